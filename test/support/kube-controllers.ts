import { createHash } from 'crypto';
import type { KubeObject } from './crd-schemas';
import type { FakeApiServer } from './fake-api-server';

/*
 * Small ports of the built-in controllers a bootstrap of a bare cluster depends on, writing status to the fake API
 * server through `setStatus` (as they write the status subresource):
 *
 * - the CRD naming and establishing controllers of kube-apiserver, from kubernetes/apiextensions-apiserver
 *   (staging/src/k8s.io/apiextensions-apiserver in kubernetes/kubernetes), commit 1aa2717a552e:
 *   pkg/controller/status/naming_controller.go (`calculateNamesAndConditions`, `equalToAcceptedOrFresh`, `sync`),
 *   pkg/controller/establish/establishing_controller.go (`sync`), pkg/apihelpers/helpers.go (`SetCRDCondition`);
 * - the Deployment controller's status, from kubernetes/kubernetes pkg/controller/deployment/progress.go
 *   (`syncRolloutStatus`), sync.go (`calculateStatus`, `getNewReplicaSet`'s Progressing conditions) and
 *   util/deployment_util.go (`DeploymentComplete`, `DeploymentProgressing`, `DeploymentTimedOut`, `MaxUnavailable`,
 *   `ResolveFenceposts`, `SetDeploymentCondition`, `HasProgressDeadline`);
 * - the StatefulSet controller's status, from kubernetes/kubernetes pkg/controller/statefulset/stateful_set_control.go
 *   (`updateStatefulSet`: pods created in ordinal order, one at a time with OrderedReady; rolling update from the
 *   highest ordinal down to the partition; status counts) and stateful_set_utils.go (`completeRollingUpdate`).
 *
 * Pods and ReplicaSets are not modelled as objects: each workload's pods are counted here. A pod created or replaced
 * in a step becomes ready in the next step, unless `podsReady` says otherwise; `podsReady` false makes every pod of the
 * workload unready for that step (a failing readiness probe), so a test can hold a workload unavailable.
 * Simplifications, beyond that: a Deployment's new ReplicaSet is scaled to `spec.replicas` at once and its old ones
 * to 0 when the new one is fully available (no maxSurge/maxUnavailable stepping); minReadySeconds is 0; paused
 * Deployments are not handled; template hashes are derived from the template's JSON, not from Go's DeepHashObject.
 */

/** A condition of a CRD, Deployment or StatefulSet status. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** `CustomResourceDefinitionNames`: '' and undefined are Go's zero values. */
export interface CrdNames {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames?: string[];
  categories?: string[];
}

/** A CRD as the naming controller reads it. */
export interface CrdView {
  readonly name: string;
  readonly group: string;
  readonly specNames: CrdNames;
  readonly acceptedNames: CrdNames;
  readonly conditions: readonly Condition[];
}

export const ESTABLISHED = 'Established';
export const NAMES_ACCEPTED = 'NamesAccepted';

// ---------------------------------------------------------------------------------------------------------------
// apiextensions-apiserver: naming controller (pkg/controller/status/naming_controller.go)
// ---------------------------------------------------------------------------------------------------------------

/** `getAcceptedNamesForGroup`: resource names and kinds accepted by the CRDs of `group`. */
function acceptedNamesForGroup(group: string, all: readonly CrdView[]): { resources: Set<string>; kinds: Set<string> } {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const crd of all.filter((c) => c.group === group)) {
    resources.add(crd.acceptedNames.plural);
    resources.add(crd.acceptedNames.singular);
    for (const shortName of crd.acceptedNames.shortNames ?? []) {
      resources.add(shortName);
    }
    kinds.add(crd.acceptedNames.kind);
    kinds.add(crd.acceptedNames.listKind);
  }
  return { resources, kinds };
}

/** `equalToAcceptedOrFresh`: an error message, or undefined. */
function equalToAcceptedOrFresh(requested: string, accepted: string, used: Set<string>): string | undefined {
  if (requested === accepted || !used.has(requested)) {
    return undefined;
  }
  return `"${requested}" is already in use`;
}

/** `calculateNamesAndConditions`: the accepted names and the NamesAccepted and Established conditions (without times). */
export function calculateNamesAndConditions(crd: CrdView, all: readonly CrdView[]):
{ names: CrdNames; namesAccepted: Condition; established: Condition } {
  const { resources, kinds } = acceptedNamesForGroup(crd.group, all);
  const namesAccepted: Condition = { type: NAMES_ACCEPTED, status: 'Unknown' };
  const requested = crd.specNames;
  const accepted = crd.acceptedNames;
  const names: CrdNames = structuredClone(accepted);
  const conflict = (reason: string, message: string) => Object.assign(namesAccepted, { status: 'False', reason, message });

  const plural = equalToAcceptedOrFresh(requested.plural, accepted.plural, resources);
  if (plural) {
    conflict('PluralConflict', plural);
  } else {
    names.plural = requested.plural;
  }
  const singular = equalToAcceptedOrFresh(requested.singular, accepted.singular, resources);
  if (singular) {
    conflict('SingularConflict', singular);
  } else {
    names.singular = requested.singular;
  }
  if (JSON.stringify(requested.shortNames) !== JSON.stringify(accepted.shortNames)) {
    const existing = new Set(accepted.shortNames ?? []);
    const errors = (requested.shortNames ?? []).filter((s) => !existing.has(s))
      .map((s) => equalToAcceptedOrFresh(s, '', resources)).filter((e): e is string => e !== undefined);
    if (errors.length > 0) {
      // utilerrors.NewAggregate: one error as is, several as "[a, b]".
      conflict('ShortNamesConflict', errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    } else {
      names.shortNames = requested.shortNames;
    }
  }
  const kind = equalToAcceptedOrFresh(requested.kind, accepted.kind, kinds);
  if (kind) {
    conflict('KindConflict', kind);
  } else {
    names.kind = requested.kind;
  }
  const listKind = equalToAcceptedOrFresh(requested.listKind, accepted.listKind, kinds);
  if (listKind) {
    conflict('ListKindConflict', listKind);
  } else {
    names.listKind = requested.listKind;
  }
  names.categories = requested.categories;
  if (namesAccepted.status === 'Unknown') {
    Object.assign(namesAccepted, { status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
  }
  // Established starts False; the establishing controller sets it True once it sees NamesAccepted.
  let established: Condition = crd.conditions.find((c) => c.type === ESTABLISHED)
    ?? { type: ESTABLISHED, status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };
  if (established.status !== 'True' && namesAccepted.status === 'True') {
    established = { type: ESTABLISHED, status: 'False', reason: 'Installing', message: 'the initial names have been accepted' };
  }
  return { names, namesAccepted, established: { ...established } };
}

/** apihelpers `IsCRDConditionEquivalent`: same type, status, reason and message. */
export function conditionEquivalent(a: Condition | undefined, b: Condition | undefined): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  return a.type === b.type && a.status === b.status && (a.reason ?? '') === (b.reason ?? '') && (a.message ?? '') === (b.message ?? '');
}

/** apihelpers `SetCRDCondition`: lastTransitionTime changes only with the status (or when it was never set). */
export function setCrdCondition(conditions: Condition[], condition: Condition, now: string): Condition[] {
  const existing = conditions.find((c) => c.type === condition.type);
  if (existing === undefined) {
    return [...conditions, { ...condition, lastTransitionTime: now }];
  }
  return conditions.map((c) => (c !== existing ? c : {
    ...c,
    status: condition.status,
    reason: condition.reason,
    message: condition.message,
    lastTransitionTime: c.status !== condition.status || !c.lastTransitionTime ? now : c.lastTransitionTime,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// kubernetes/kubernetes pkg/controller/deployment
// ---------------------------------------------------------------------------------------------------------------

export const NEW_RS_CREATED_REASON = 'NewReplicaSetCreated';
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
export const REPLICA_SET_UPDATED_REASON = 'ReplicaSetUpdated';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

/** The Deployment fields the controller reads. */
export interface DeploymentView {
  readonly name: string;
  readonly generation: number;
  readonly replicas: number;
  /** undefined: none (the API server defaults it to 600). */
  readonly progressDeadlineSeconds?: number;
  readonly strategy: { readonly type: string; readonly maxSurge?: number | string; readonly maxUnavailable?: number | string };
  readonly status: DeploymentStatus;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  collisionCount?: number;
  conditions?: Condition[];
}

/** A ReplicaSet as the status computation counts it. */
export interface ReplicaSetView {
  readonly name: string;
  /** status.replicas (pods that exist). */
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
}

const MAX_INT32 = 2 ** 31 - 1;

/** `HasProgressDeadline`. */
export function hasProgressDeadline(d: DeploymentView): boolean {
  return d.progressDeadlineSeconds !== undefined && d.progressDeadlineSeconds !== MAX_INT32;
}

/** intstr `GetScaledValueFromIntOrPercent`. */
function scaled(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) {
    return 0;
  }
  if (typeof value === 'number') {
    return value;
  }
  const percent = Number(value.replace(/%$/, ''));
  return roundUp ? Math.ceil((percent * total) / 100) : Math.floor((percent * total) / 100);
}

/** `ResolveFenceposts`: maxSurge rounded up, maxUnavailable down; both 0 makes maxUnavailable 1. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavail: number | string | undefined, desired: number): [number, number] {
  const surge = scaled(maxSurge, desired, true);
  const unavailable = scaled(maxUnavail, desired, false);
  return surge === 0 && unavailable === 0 ? [0, 1] : [surge, unavailable];
}

/** `MaxUnavailable`. */
export function maxUnavailable(d: DeploymentView): number {
  if (d.strategy.type !== 'RollingUpdate' || d.replicas === 0) {
    return 0;
  }
  const [, unavailable] = resolveFenceposts(d.strategy.maxSurge, d.strategy.maxUnavailable, d.replicas);
  return Math.min(unavailable, d.replicas);
}

/** `DeploymentComplete`. */
export function deploymentComplete(d: DeploymentView, s: DeploymentStatus): boolean {
  return s.updatedReplicas === d.replicas && s.replicas === d.replicas && s.availableReplicas === d.replicas
    && (s.observedGeneration ?? 0) >= d.generation;
}

/** `DeploymentProgressing`: more updated, ready or available replicas, or fewer old ones, than the last status says. */
export function deploymentProgressing(d: DeploymentView, s: DeploymentStatus): boolean {
  const old = d.status;
  const oldStatusOldReplicas = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newStatusOldReplicas = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newStatusOldReplicas < oldStatusOldReplicas
    || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** `DeploymentTimedOut`: no progress reported within progressDeadlineSeconds of the Progressing condition's lastUpdateTime. */
export function deploymentTimedOut(d: DeploymentView, s: DeploymentStatus, now: string): boolean {
  if (!hasProgressDeadline(d)) {
    return false;
  }
  const condition = s.conditions?.find((c) => c.type === 'Progressing');
  if (condition === undefined || condition.reason === NEW_RS_AVAILABLE_REASON) {
    return false;
  }
  if (condition.reason === TIMED_OUT_REASON) {
    return true;
  }
  const from = Date.parse(condition.lastUpdateTime ?? '0001-01-01T00:00:00Z');
  return from + d.progressDeadlineSeconds! * 1000 < Date.parse(now);
}

/** `NewDeploymentCondition`. */
export function newDeploymentCondition(type: string, status: Condition['status'], reason: string, message: string, now: string): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** `SetDeploymentCondition`: no change for the same status and reason; lastTransitionTime kept for the same status. */
export function setDeploymentCondition(s: DeploymentStatus, condition: Condition): void {
  const current = s.conditions?.find((c) => c.type === condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) {
    return;
  }
  const next = { ...condition };
  if (current !== undefined && current.status === condition.status) {
    next.lastTransitionTime = current.lastTransitionTime;
  }
  s.conditions = [...(s.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

function removeDeploymentCondition(s: DeploymentStatus, type: string): void {
  s.conditions = (s.conditions ?? []).filter((c) => c.type !== type);
}

/** `calculateStatus` (sync.go). */
export function calculateStatus(allRSs: readonly ReplicaSetView[], newRS: ReplicaSetView | undefined, d: DeploymentView,
  now: string): DeploymentStatus {
  const sum = (rss: readonly ReplicaSetView[], field: 'replicas' | 'readyReplicas' | 'availableReplicas') => rss.reduce((n, rs) => n + rs[field], 0);
  const availableReplicas = sum(allRSs, 'availableReplicas');
  const totalReplicas = sum(allRSs, 'replicas');
  const status: DeploymentStatus = {
    observedGeneration: d.generation,
    replicas: totalReplicas,
    updatedReplicas: newRS === undefined ? 0 : newRS.replicas,
    readyReplicas: sum(allRSs, 'readyReplicas'),
    availableReplicas,
    unavailableReplicas: Math.max(0, totalReplicas - availableReplicas),
    collisionCount: d.status.collisionCount,
    conditions: (d.status.conditions ?? []).map((c) => ({ ...c })),
  };
  if (availableReplicas >= d.replicas - maxUnavailable(d)) {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', now));
  } else {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE,
      'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** `syncRolloutStatus` (progress.go), returning the new status instead of writing it. */
export function syncRolloutStatus(allRSs: readonly ReplicaSetView[], newRS: ReplicaSetView | undefined, d: DeploymentView,
  now: string): DeploymentStatus {
  const newStatus = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) {
    removeDeploymentCondition(newStatus, 'Progressing');
  }
  const currentCond = d.status.conditions?.find((c) => c.type === 'Progressing');
  const isCompleteDeployment = newStatus.replicas === newStatus.updatedReplicas && currentCond?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const subject = newRS === undefined ? `Deployment "${d.name}"` : `ReplicaSet "${newRS.name}"`;
    if (deploymentComplete(d, newStatus)) {
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, newStatus)) {
      const condition = newDeploymentCondition('Progressing', 'True', REPLICA_SET_UPDATED_REASON, `${subject} is progressing.`, now);
      if (currentCond !== undefined) {
        if (currentCond.status === 'True') {
          condition.lastTransitionTime = currentCond.lastTransitionTime;
        }
        removeDeploymentCondition(newStatus, 'Progressing');
      }
      setDeploymentCondition(newStatus, condition);
    } else if (deploymentTimedOut(d, newStatus, now)) {
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'False', TIMED_OUT_REASON, `${subject} has timed out progressing.`, now));
    }
  }
  return newStatus;
}

// ---------------------------------------------------------------------------------------------------------------
// The controllers, over the fake API server's store
// ---------------------------------------------------------------------------------------------------------------

/** Options of one pass of the controllers. */
export interface StepOptions {
  /** Whether the pods of a workload (Deployment or StatefulSet) are ready in this step; default: yes. */
  readonly podsReady?: (namespace: string, name: string, kind: 'Deployment' | 'StatefulSet') => boolean;
}

interface ReplicaSetModel {
  name: string;
  hash: string;
  revision: number;
  replicas: number;
  ready: number;
}

interface PodModel {
  ordinal: number;
  revision: string;
  ready: boolean;
}

/**
 * Plays kube-apiserver's CRD naming and establishing controllers and kube-controller-manager's Deployment and
 * StatefulSet controllers on a {@link FakeApiServer}: each {@link step} is one pass of each over the stored objects.
 * A new CRD gets NamesAccepted (Established False, Installing) in the first step that sees it and Established True in
 * the next; a Deployment or StatefulSet gets its pods (counted, not stored) and its status.
 */
export class KubeControllers {
  private readonly replicaSets = new Map<string, ReplicaSetModel[]>();
  private readonly pods = new Map<string, PodModel[]>();

  constructor(private readonly server: FakeApiServer) {}

  /**
   * One pass of every controller at time `now` (RFC 3339, e.g. '2025-01-01T00:00:00Z', used for condition times and
   * progress deadlines). Returns the objects whose status it changed, as `Kind namespace/name`.
   */
  public step(now: string, opts: StepOptions = {}): string[] {
    const changed: string[] = [];
    this.crdControllers(now, changed);
    const podsReady = opts.podsReady ?? (() => true);
    const live = new Set<string>();
    // Read-only views: these controllers write status through the server and never change the object they read.
    for (const d of this.server.objects({ apiVersion: 'apps/v1', kind: 'Deployment' }, false)) {
      live.add(d.metadata.uid as string);
      this.syncDeployment(d, now, podsReady(d.metadata.namespace ?? '', d.metadata.name, 'Deployment'), changed);
    }
    for (const sts of this.server.objects({ apiVersion: 'apps/v1', kind: 'StatefulSet' }, false)) {
      live.add(sts.metadata.uid as string);
      this.syncStatefulSet(sts, podsReady(sts.metadata.namespace ?? '', sts.metadata.name, 'StatefulSet'), changed);
    }
    for (const models of [this.replicaSets, this.pods]) {
      for (const uid of [...models.keys()].filter((u) => !live.has(u))) {
        models.delete(uid);
      }
    }
    return changed;
  }

  private crdControllers(now: string, changed: string[]): void {
    // Read-only views of the stored CRDs (copying megabytes of schema per CRD per step would dominate every test).
    const crds = () => this.server.objects({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }, false);
    // The establishing controller acts on CRDs whose names were accepted before this step (it is queued by the
    // CRD handler once NamesAccepted arrives), so Established follows NamesAccepted by one step.
    const namesAcceptedBefore = new Set(crds().filter((c) => crdView(c).conditions.some((x) => x.type === NAMES_ACCEPTED && x.status === 'True'))
      .map((c) => c.metadata.name));
    for (const crd of crds()) {
      const all = crds().map(crdView);
      const view = crdView(crd);
      // naming_controller.go sync
      if (JSON.stringify(view.specNames) === JSON.stringify(view.acceptedNames)) {
        continue;
      }
      const { names, namesAccepted, established } = calculateNamesAndConditions(view, all);
      if (JSON.stringify(names) === JSON.stringify(view.acceptedNames)
        && conditionEquivalent(namesAccepted, view.conditions.find((c) => c.type === NAMES_ACCEPTED))) {
        continue;
      }
      const conditions = setCrdCondition(setCrdCondition([...view.conditions], namesAccepted, now), established, now);
      this.writeStatus(crd, { ...(crd.status as object), acceptedNames: namesJson(names), conditions }, changed);
    }
    for (const crd of crds()) {
      // establishing_controller.go sync
      const view = crdView(crd);
      const isTrue = (type: string) => view.conditions.some((c) => c.type === type && c.status === 'True');
      if (!namesAcceptedBefore.has(crd.metadata.name) || !isTrue(NAMES_ACCEPTED) || isTrue(ESTABLISHED)) {
        continue;
      }
      const webhook = (crd.spec as { conversion?: { webhook?: { clientConfig?: { caBundle?: string } } } }).conversion?.webhook;
      const condition: Condition = webhook?.clientConfig !== undefined && !validCaBundle(webhook.clientConfig.caBundle)
        ? { type: ESTABLISHED, status: 'False', reason: 'InvalidCABundle', message: 'The conversion webhook CABundle is invalid' }
        : { type: ESTABLISHED, status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' };
      this.writeStatus(crd, { ...(crd.status as object), conditions: setCrdCondition([...view.conditions], condition, now) }, changed);
    }
  }

  private syncDeployment(obj: KubeObject, now: string, podsReady: boolean, changed: string[]): void {
    const uid = obj.metadata.uid as string;
    const d = deploymentView(obj);
    const rss = this.replicaSets.get(uid) ?? [];
    this.replicaSets.set(uid, rss);
    // Pods that existed before this step are ready now, or all unready when podsReady says so.
    for (const rs of rss) {
      rs.ready = podsReady ? rs.replicas : 0;
    }
    const status: DeploymentStatus = structuredClone(d.status);
    const hash = podTemplateHash((obj.spec as { template?: unknown } | undefined)?.template);
    let newRS = rss.find((rs) => rs.hash === hash);
    if (newRS === undefined) {
      // getNewReplicaSet: create the new ReplicaSet (revision max+1) and record it in the Progressing condition.
      newRS = { name: `${d.name}-${hash}`, hash, revision: Math.max(0, ...rss.map((rs) => rs.revision)) + 1, replicas: 0, ready: 0 };
      rss.push(newRS);
      if (hasProgressDeadline(d)) {
        setDeploymentCondition(status, newDeploymentCondition('Progressing', 'True', NEW_RS_CREATED_REASON, `Created new replica set "${newRS.name}"`, now));
      }
    } else if (hasProgressDeadline(d) && !status.conditions?.some((c) => c.type === 'Progressing')) {
      setDeploymentCondition(status, newDeploymentCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${newRS.name}"`, now));
    }
    // Scaling (simplified rolling update): the new ReplicaSet to spec.replicas, new pods unready until the next step;
    // the old ones to 0 once the new one is fully available.
    if (newRS.replicas !== d.replicas) {
      newRS.ready = Math.min(newRS.ready, d.replicas);
      newRS.replicas = d.replicas;
    }
    if (newRS.ready === newRS.replicas) {
      for (const rs of rss.filter((r) => r !== newRS)) {
        rs.replicas = 0;
        rs.ready = 0;
      }
    }
    const views = rss.map((rs) => ({ name: rs.name, replicas: rs.replicas, readyReplicas: rs.ready, availableReplicas: rs.ready }));
    const next = syncRolloutStatus(views, views[rss.indexOf(newRS)], { ...d, status }, now);
    this.writeStatus(obj, omitUndefined(next), changed);
  }

  private syncStatefulSet(obj: KubeObject, podsReady: boolean, changed: string[]): void {
    const uid = obj.metadata.uid as string;
    const spec = (obj.spec ?? {}) as {
      replicas?: number;
      podManagementPolicy?: string;
      template?: unknown;
      updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
    };
    const current = (obj.status ?? {}) as { currentRevision?: string };
    const pods = this.pods.get(uid) ?? [];
    this.pods.set(uid, pods);
    for (const pod of pods) {
      pod.ready = podsReady;
    }
    const replicas = spec.replicas ?? 1;
    const rollingUpdate = (spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    const monotonic = spec.podManagementPolicy !== 'Parallel';
    const updateRevision = `${obj.metadata.name}-${podTemplateHash(spec.template)}`;
    let currentRevision = current.currentRevision || updateRevision;
    const byOrdinal = (a: PodModel, b: PodModel) => a.ordinal - b.ordinal;
    // Create missing pods in ordinal order: with OrderedReady, one at a time, each once its predecessors are ready.
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      const pod = pods.find((p) => p.ordinal === ordinal);
      if (pod === undefined) {
        pods.push({ ordinal, revision: rollingUpdate && ordinal < partition ? currentRevision : updateRevision, ready: false });
        pods.sort(byOrdinal);
        if (monotonic) {
          break;
        }
      } else if (!pod.ready && monotonic) {
        break;
      }
    }
    // Scale down from the highest ordinal (one at a time with OrderedReady).
    const condemned = pods.filter((p) => p.ordinal >= replicas).sort((a, b) => b.ordinal - a.ordinal);
    for (const pod of monotonic ? condemned.slice(0, 1) : condemned) {
      pods.splice(pods.indexOf(pod), 1);
    }
    // Rolling update: once every pod is there and ready, replace the highest-ordinal outdated pod at or above the partition.
    if (rollingUpdate && pods.length === replicas && pods.every((p) => p.ready)) {
      const outdated = pods.filter((p) => p.ordinal >= partition && p.revision !== updateRevision).sort((a, b) => b.ordinal - a.ordinal)[0];
      if (outdated !== undefined) {
        Object.assign(outdated, { revision: updateRevision, ready: false });
      }
    }
    const ready = pods.filter((p) => p.ready).length;
    const status = {
      observedGeneration: (obj.metadata.generation as number | undefined) ?? 1,
      replicas: pods.length,
      readyReplicas: ready,
      currentReplicas: pods.filter((p) => p.revision === currentRevision).length,
      updatedReplicas: pods.filter((p) => p.revision === updateRevision).length,
      currentRevision,
      updateRevision,
      collisionCount: 0,
      availableReplicas: ready,
    };
    // completeRollingUpdate
    if (rollingUpdate && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
      currentRevision = updateRevision;
      Object.assign(status, { currentReplicas: status.updatedReplicas, currentRevision });
    }
    this.writeStatus(obj, status, changed);
  }

  private writeStatus(obj: KubeObject, status: unknown, changed: string[]): void {
    if (JSON.stringify(obj.status) === JSON.stringify(status)) {
      return;
    }
    this.server.setStatus(obj.apiVersion, obj.kind, obj.metadata.name, obj.metadata.namespace, status);
    changed.push(`${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`);
  }
}

/** A stored CRD as the naming controller reads it, spec names defaulted as kube-apiserver defaults them (singular, listKind). */
export function crdView(crd: KubeObject): CrdView {
  const spec = (crd.spec ?? {}) as { group?: string; names?: Partial<CrdNames> };
  const status = (crd.status ?? {}) as { acceptedNames?: Partial<CrdNames>; conditions?: Condition[] };
  const kind = spec.names?.kind ?? '';
  return {
    name: crd.metadata.name,
    group: spec.group ?? '',
    specNames: crdNames({ ...spec.names, singular: spec.names?.singular || kind.toLowerCase(), listKind: spec.names?.listKind || `${kind}List` }),
    acceptedNames: crdNames(status.acceptedNames ?? {}),
    conditions: status.conditions ?? [],
  };
}

function crdNames(n: Partial<CrdNames>): CrdNames {
  return { plural: n.plural ?? '', singular: n.singular ?? '', kind: n.kind ?? '', listKind: n.listKind ?? '', shortNames: n.shortNames, categories: n.categories };
}

/** CustomResourceDefinitionNames as JSON: plural and kind always, the rest omitted when empty. */
function namesJson(n: CrdNames): Record<string, unknown> {
  return omitUndefined({
    plural: n.plural,
    singular: n.singular || undefined,
    shortNames: n.shortNames?.length ? n.shortNames : undefined,
    kind: n.kind,
    listKind: n.listKind || undefined,
    categories: n.categories?.length ? n.categories : undefined,
  });
}

function deploymentView(obj: KubeObject): DeploymentView {
  const spec = (obj.spec ?? {}) as {
    replicas?: number;
    progressDeadlineSeconds?: number;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  };
  return {
    name: obj.metadata.name,
    generation: (obj.metadata.generation as number | undefined) ?? 1,
    replicas: spec.replicas ?? 1,
    progressDeadlineSeconds: spec.progressDeadlineSeconds,
    strategy: {
      type: spec.strategy?.type ?? 'RollingUpdate',
      maxSurge: spec.strategy?.rollingUpdate?.maxSurge,
      maxUnavailable: spec.strategy?.rollingUpdate?.maxUnavailable,
    },
    status: (obj.status ?? {}) as DeploymentStatus,
  };
}

/** A hash of a pod template in the shape of controller.ComputeHash's (rand.SafeEncodeString of a 32-bit number). */
export function podTemplateHash(template: unknown): string {
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  const n = parseInt(createHash('sha256').update(JSON.stringify(template ?? {})).digest('hex').slice(0, 8), 16);
  return [...String(n)].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

/** webhook.ValidateCABundle: the bundle (base64 in JSON) must hold PEM certificates. */
function validCaBundle(caBundle: string | undefined): boolean {
  return caBundle !== undefined && Buffer.from(caBundle, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----');
}

function omitUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
