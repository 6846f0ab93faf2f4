/**
 * What Cluster API v1.14.0 writes into a MachinePool whose infrastructure is a provider machine pool without
 * MachinePool Machines (CAPA's AWSManagedMachinePool has no `status.infrastructureMachineKind`): ports of
 * kubernetes-sigs/cluster-api v1.14.0
 * - `core/reconcilers/machinepool/machinepool_controller.go` `Reconcile`: Paused (`util/paused/paused.go`), then the
 *   deferred `updateStatus`, `reconcilePhase`, the v1beta1 `Ready` summary of BootstrapReady, InfrastructureReady and
 *   ReplicasReady (no step counter), and observedGeneration only when no phase returned an error. The only v1beta2
 *   condition is `Paused` ("TODO: in future add setting conditions here").
 * - `machinepool_controller_phases.go`: `reconcilePhase`, `reconcileExternal` (see `INFRA_FAILURE_PANICS`),
 *   `reconcileBootstrap` (a `dataSecretName` without a configRef: BootstrapReady True), `reconcileInfrastructure`
 *   (`initialization.infrastructureProvisioned` = the provider's `status.ready`; the v1beta1 InfrastructureReady mirror
 *   of its `Ready`; the workload cluster's client, an error while it cannot be reached; `spec.providerIDList` and
 *   `status.replicas` copied from the provider once ready; the v1beta1 counters reset when the ID list changes);
 * - `machinepool_controller_noderef.go` `reconcileNodeRefs`/`getNodeReferences` (nodeRefs, v1beta1 ready/available/
 *   unavailable replicas, ReplicasReady);
 * - `machinepool_controller_status.go` `setReplicas` (without MachinePool Machines: readyReplicas = availableReplicas =
 *   `status.replicas`, upToDateReplicas = `spec.replicas`, versions from the kubelet versions of the nodeRefs' Nodes,
 *   `versionsFromNodeRefs` + `internal/util/version` `AggregateStatusVersions`).
 * Not modeled: bootstrap config objects, MachinePool Machines, Node annotations/taints and retired Node deletion,
 * `minReadySeconds` (every Ready node counts as available), finalizers and owner references.
 */
import { ensurePausedCondition, sortStatusVersions } from './capi-cluster-status';
import { bumpGenerationOnSpecChange, clone, deletionTimestampOf, generationOf, getPath, isObject, specOf, statusOf, type Json } from './objects';
import { markFalse, markTrue, mirrorV1Beta1, setV1Beta1, summaryV1Beta1, type V1Beta1Condition } from './v1beta1-conditions';
import type { KubeObject } from '../../../src/kube/types';

/** A Node of the workload cluster, as the MachinePool controller reads it. */
export interface WorkloadNode {
  readonly name: string;
  readonly uid: string;
  readonly providerID: string;
  readonly kubeletVersion: string;
  readonly ready: boolean;
}

export interface MachinePoolReconcileInput {
  readonly machinePool: KubeObject;
  /** The owning Cluster (for `spec.paused`). */
  readonly cluster: KubeObject;
  /** `spec.template.spec.infrastructureRef`'s object; undefined when it does not exist. */
  readonly infraMachinePool?: KubeObject;
  /** The workload cluster's Nodes; undefined while the ClusterCache has no connection (`GetClient` fails). */
  readonly nodes?: readonly WorkloadNode[];
  readonly now: string;
}

export interface MachinePoolReconcileResult {
  readonly machinePool: KubeObject;
  readonly errors: readonly string[];
  /** Set when the reconcile panicked (the deferred status patch still ran; controller-runtime recovers the panic). */
  readonly panic?: string;
  readonly requeued?: boolean;
}

/**
 * `reconcileExternal` tests `m.Status.Deprecated != nil` / `m.Status.Deprecated.V1Beta1 != nil` where `== nil` is
 * meant, so setting a failureReason or failureMessage from the infrastructure object dereferences nil: every reconcile
 * of a MachinePool whose provider reports a failure panics there (CAPA sets `status.failureMessage` on
 * CREATE_FAILED/DELETE_FAILED node groups). The MachinePool keeps the status of its last reconcile.
 */
export const INFRA_FAILURE_PANICS = 'runtime error: invalid memory address or nil pointer dereference';

const v1beta1Of = (mp: KubeObject): Json => {
  const deprecated = (statusOf(mp).deprecated ??= {}) as Json;
  return (deprecated.v1beta1 ??= {}) as Json;
};
const conditions = (mp: KubeObject) => v1beta1Of(mp).conditions as V1Beta1Condition[] | undefined;
const setConditions = (mp: KubeObject, c: V1Beta1Condition[]) => { v1beta1Of(mp).conditions = c; };
const num = (o: unknown, ...path: string[]) => (typeof getPath(o, ...path) === 'number' ? getPath(o, ...path) as number : undefined);
const replicasManagedByExternalAutoscaler = (mp: KubeObject) =>
  (mp.metadata.annotations?.['cluster.x-k8s.io/replicas-managed-by'] ?? undefined) !== undefined;

/** `reconcilePhase`. */
export function reconcilePhase(mp: KubeObject): void {
  const status = statusOf(mp);
  const provisioned = getPath(status, 'initialization', 'infrastructureProvisioned') === true;
  const replicas = num(mp, 'spec', 'replicas');
  const ready = num(status, 'deprecated', 'v1beta1', 'readyReplicas') ?? 0;
  if (!status.phase) {
    status.phase = 'Pending';
  }
  if (getPath(status, 'initialization', 'bootstrapDataSecretCreated') === true && !provisioned) {
    status.phase = 'Provisioning';
  }
  if (Array.isArray(status.nodeRefs) && status.nodeRefs.length > 0) {
    status.phase = 'Provisioned';
  }
  if (provisioned && replicas !== undefined && replicas === ready) {
    status.phase = 'Running';
  }
  if (provisioned && replicas !== undefined && replicas !== ready) {
    status.phase = replicasManagedByExternalAutoscaler(mp) ? 'Scaling' : replicas > ready ? 'ScalingUp' : 'ScalingDown';
  }
  if (deletionTimestampOf(mp) !== undefined) {
    status.phase = 'Deleting';
  }
}

/** `setReplicas` without MachinePool Machines. */
export function setReplicas(mp: KubeObject, nodeRefMap: ReadonlyMap<string, WorkloadNode> | undefined): void {
  const status = statusOf(mp);
  status.readyReplicas = status.replicas;
  status.availableReplicas = status.replicas;
  status.upToDateReplicas = num(mp, 'spec', 'replicas');
  status.versions = versionsFromNodeRefs((status.nodeRefs ?? []) as Array<{ name: string }>, nodeRefMap);
}

/** `versionsFromNodeRefs`: one replica per nodeRef whose Node reports a kubelet version, aggregated. */
export function versionsFromNodeRefs(nodeRefs: ReadonlyArray<{ name: string }>, nodeRefMap: ReadonlyMap<string, WorkloadNode> | undefined):
  Array<{ version: string; replicas: number }> | undefined {
  if (nodeRefs.length === 0 || nodeRefMap === undefined || nodeRefMap.size === 0) {
    return undefined;
  }
  const byName = new Map([...nodeRefMap.values()].map((n) => [n.name, n]));
  const out: Array<{ version: string; replicas: number; order: number }> = [];
  for (const ref of nodeRefs) {
    const version = byName.get(ref.name)?.kubeletVersion ?? '';
    if (version === '') {
      continue;
    }
    const found = out.find((o) => o.version === version);
    if (found) {
      found.replicas++;
    } else {
      out.push({ version, replicas: 1, order: out.length });
    }
  }
  return out.length === 0 ? undefined : sortStatusVersions(out).map(({ version, replicas }) => ({ version, replicas }));
}

/** `reconcileInfrastructure`; returns an error, or throws `INFRA_FAILURE_PANICS`. */
function reconcileInfrastructure(mp: KubeObject, input: MachinePoolReconcileInput, nodeRefMap: Map<string, WorkloadNode> | undefined,
  now: string): string | undefined {
  const infra = input.infraMachinePool;
  const ref = getPath(mp, 'spec', 'template', 'spec', 'infrastructureRef') as Json;
  const status = statusOf(mp);
  if (infra === undefined) {
    setConditions(mp, markFalse(conditions(mp), 'InfrastructureReady', 'IncorrectExternalRef', 'Error',
      `could not find infra reference of kind ${String(ref.kind)} with name ${String(ref.name)}`, now));
    return `could not find ${String(ref.kind)} ${mp.metadata.namespace}/${String(ref.name)} for MachinePool ${mp.metadata.namespace}/${mp.metadata.name}, requeuing`;
  }
  if (['failureReason', 'failureMessage'].some((f) => typeof getPath(infra, 'status', f) === 'string' && getPath(infra, 'status', f) !== '')) {
    throw new Error(INFRA_FAILURE_PANICS);
  }
  if (deletionTimestampOf(infra) !== undefined) {
    return undefined;
  }
  const ready = getPath(infra, 'status', 'ready') === true;
  ((status.initialization ??= {}) as Json).infrastructureProvisioned = ready;
  setConditions(mp, setV1Beta1(conditions(mp), mirrorV1Beta1(getPath(infra, 'status', 'conditions') as V1Beta1Condition[], 'InfrastructureReady',
    { value: ready, reason: 'WaitingForInfrastructure', severity: 'Info', message: '' }), now));
  if (nodeRefMap === undefined) {
    return 'error getting client: connection to the workload cluster is down';
  }
  if (!ready) {
    return undefined;
  }
  const providerIDList = (getPath(infra, 'spec', 'providerIDList') ?? undefined) as string[] | undefined;
  const replicas = num(infra, 'status', 'replicas');
  if (replicas !== undefined) {
    status.replicas = replicas;
  }
  if ((providerIDList ?? []).length === 0 && (num(status, 'replicas') ?? 0) !== 0) {
    return undefined;
  }
  const current = specOf(mp).providerIDList as string[] | undefined;
  if (JSON.stringify(current ?? null) !== JSON.stringify(providerIDList ?? null)) {
    specOf(mp).providerIDList = providerIDList;
    Object.assign(v1beta1Of(mp), { readyReplicas: 0, availableReplicas: 0, unavailableReplicas: num(status, 'replicas') ?? 0 });
  }
  return undefined;
}

/** `reconcileNodeRefs`. */
function reconcileNodeRefs(mp: KubeObject, nodeRefMap: Map<string, WorkloadNode> | undefined, now: string): string | undefined {
  const status = statusOf(mp);
  if (deletionTimestampOf(mp) !== undefined) {
    return undefined;
  }
  const nodeRefs = (status.nodeRefs ?? []) as Array<{ name: string; uid: string }>;
  const readyReplicas = num(status, 'deprecated', 'v1beta1', 'readyReplicas') ?? 0;
  if ((num(status, 'replicas') ?? 0) === readyReplicas && nodeRefs.length === readyReplicas && nodeRefMap !== undefined) {
    const byName = new Map([...nodeRefMap.values()].map((n) => [n.name, n]));
    if (nodeRefs.every((r) => byName.get(r.name)?.uid === r.uid)) {
      setConditions(mp, markTrue(conditions(mp), 'ReplicasReady', now));
      return undefined;
    }
  }
  const providerIDList = (specOf(mp).providerIDList ?? []) as string[];
  const specReplicas = num(mp, 'spec', 'replicas');
  if (providerIDList.length === 0 && (specReplicas === undefined || specReplicas !== 0)) {
    return undefined;
  }
  if (nodeRefMap === undefined) {
    return 'error getting client: connection to the workload cluster is down';
  }
  const found = providerIDList.filter((id) => id !== '' && nodeRefMap.has(id)).map((id) => nodeRefMap.get(id)!);
  if (found.length === 0 && providerIDList.length !== 0) {
    return undefined; // errNoAvailableNodes: no requeue, Node events trigger the next reconcile.
  }
  const ready = found.filter((n) => n.ready).length;
  const v1beta1 = v1beta1Of(mp);
  Object.assign(v1beta1, { readyReplicas: ready, availableReplicas: ready, unavailableReplicas: (num(status, 'replicas') ?? 0) - ready });
  status.nodeRefs = found.length === 0 ? undefined : found.map((n) => ({ apiVersion: 'v1', kind: 'Node', name: n.name, uid: n.uid }));
  if ((num(status, 'replicas') ?? 0) !== ready || found.length !== ready) {
    setConditions(mp, markFalse(conditions(mp), 'ReplicasReady', 'WaitingForReplicasReady', 'Info', '', now));
    return undefined;
  }
  setConditions(mp, markTrue(conditions(mp), 'ReplicasReady', now));
  return undefined;
}

/** One reconcile of a MachinePool (`Reconcile`); pure: `input` is not changed. */
export function reconcileMachinePool(input: MachinePoolReconcileInput): MachinePoolReconcileResult {
  const now = input.now;
  const before = input.machinePool;
  const mp = clone(before);
  const paused = ensurePausedCondition(mp, getPath(input.cluster, 'spec', 'paused') === true, now);
  if (paused.isPaused || paused.requeue) {
    return { machinePool: mp, errors: [], requeued: paused.requeue };
  }
  const nodeRefMap = input.nodes === undefined ? undefined : new Map(input.nodes.map((n) => [n.providerID, n]));
  const errors: string[] = [];
  let panic: string | undefined;
  let infraSet = false;
  // reconcileBootstrap: bootstrap data brought by the user (Arlon sets `dataSecretName: ""` and no configRef).
  if (getPath(mp, 'spec', 'template', 'spec', 'bootstrap', 'dataSecretName') !== undefined) {
    ((statusOf(mp).initialization ??= {}) as Json).bootstrapDataSecretCreated = true;
    setConditions(mp, markTrue(conditions(mp), 'BootstrapReady', now));
  } else {
    errors.push(`neither .spec.bootstrap.configRef nor .spec.bootstrap.dataSecretName are set for MachinePool "${mp.metadata.name}"`);
  }
  try {
    const err = reconcileInfrastructure(mp, input, nodeRefMap, now);
    infraSet = input.infraMachinePool !== undefined;
    if (err !== undefined) {
      errors.push(`failed to reconcile infrastructure: ${err}`);
    }
    const noderefErr = reconcileNodeRefs(mp, nodeRefMap, now);
    if (noderefErr !== undefined) {
      errors.push(`failed to reconcile nodeRefs: ${noderefErr}`);
    }
  } catch (e) {
    panic = (e as Error).message;
  }
  // The deferred function (it also runs while a panic unwinds, with reterr still nil).
  if (infraSet) {
    setReplicas(mp, nodeRefMap);
  }
  reconcilePhase(mp);
  setConditions(mp, setV1Beta1(conditions(mp), summaryV1Beta1(conditions(mp), { conditionTypes: ['BootstrapReady', 'InfrastructureReady', 'ReplicasReady'] }), now));
  if (errors.length === 0) {
    statusOf(mp).observedGeneration = generationOf(before);
  }
  const status = statusOf(mp);
  for (const k of Object.keys(status)) {
    if (status[k] === undefined || (isObject(status[k]) && Object.keys(status[k] as Json).length === 0)) {
      delete status[k];
    }
  }
  if (specOf(mp).providerIDList === undefined) {
    delete specOf(mp).providerIDList;
  }
  bumpGenerationOnSpecChange(before, mp);
  return { machinePool: mp, errors, ...(panic === undefined ? {} : { panic }) };
}
