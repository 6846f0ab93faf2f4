/**
 * What Cluster API v1.14.0 writes into a Cluster's status: ports of kubernetes-sigs/cluster-api v1.14.0
 * - `core/reconcilers/cluster/cluster_controller.go` `Reconcile` (Paused first, through `util/paused/paused.go`
 *   `EnsurePausedCondition`; observedGeneration only after a reconcile without error) and `patchCluster` (the v1beta1
 *   `Ready` summary of `ControlPlaneReady` and `InfrastructureReady`);
 * - `cluster_controller_phases.go` `reconcileExternal` (failureReason/failureMessage copied, never cleared),
 *   `reconcileInfrastructure`, `reconcileControlPlane` (provisioned/initialized by contract version, the endpoint, the
 *   failure domains, the v1beta1 mirrors `InfrastructureReady`/`ControlPlaneReady` and `ControlPlaneInitialized`);
 * - `cluster_controller_status.go` `updateStatus`: `setPhase`, `setControlPlaneReplicas`, `setWorkersReplicas` and the
 *   v1beta2 conditions (see `capi-cluster-conditions.ts`).
 * `internal/contract`: a v1beta1-contract provider (CAPA v2.11.1) reports `status.ready` / `status.initialized` and
 * failure domains as a map; a v1beta2 one `status.initialization.provisioned` / `.controlPlaneInitialized` and a list.
 * Not modeled: finalizers and owner references (metadata only), ClusterClass/topology, Machines (an EKS cluster has
 * none: its MachinePools have no `status.infrastructureMachineKind`), the kubeconfig Secret, events.
 */
import { setClusterConditions, type ClusterStatusInputs, type HealthCheckingState } from './capi-cluster-conditions';
import { findCondition, setCondition, type Condition } from './capi-conditions';
import {
  bumpGenerationOnSpecChange, clone, deletionTimestampOf, generationOf, getPath, isObject, specOf, statusOf, type Json,
} from './objects';
import { isTrueV1Beta1, markFalse, markTrue, mirrorV1Beta1, setV1Beta1, summaryV1Beta1, type V1Beta1Condition } from './v1beta1-conditions';
import type { KubeObject } from '../../../src/kube/types';

export type { HealthCheckingState } from './capi-cluster-conditions';
export type ContractVersion = 'v1beta1' | 'v1beta2';

export interface ClusterReconcileInput {
  /** The Cluster as stored (spec as applied, status as last written). */
  readonly cluster: KubeObject;
  /** `spec.infrastructureRef`'s object; leave undefined with `infraClusterIsNotFound` when it does not exist. */
  readonly infraCluster?: KubeObject;
  readonly infraClusterIsNotFound?: boolean;
  readonly controlPlane?: KubeObject;
  readonly controlPlaneIsNotFound?: boolean;
  /** The Cluster's MachinePools (counted in `status.workers`, never in its conditions). */
  readonly machinePools?: readonly KubeObject[];
  /** MachineDeployments (with their conditions), for completeness; an Arlon cluster has none. */
  readonly machineDeployments?: readonly KubeObject[];
  /** Contract of the infrastructure cluster and control plane kinds (CRD labels); CAPA v2.11.1 is `v1beta1`. */
  readonly infrastructureContract?: ContractVersion;
  readonly controlPlaneContract?: ContractVersion;
  /** The ClusterCache's view of the workload cluster; default: never connected. */
  readonly healthCheckingState?: HealthCheckingState;
  readonly remoteConnectionGracePeriodSeconds?: number;
  readonly now: string;
}

export interface ClusterReconcileResult {
  readonly cluster: KubeObject;
  /** The reconcile's error (then observedGeneration is not written); empty when it succeeded. */
  readonly errors: readonly string[];
  /** True when the reconcile stopped after writing the Paused condition (it is requeued). */
  readonly requeued?: boolean;
}

const apiEndpointValid = (e: unknown) => isObject(e) && typeof e.host === 'string' && e.host !== '' && Number(e.port ?? 0) !== 0;

/** `EnsurePausedCondition` of cluster-api v1.14.0 `util/paused/paused.go` (v1beta2 conditions); returns isPaused and requeue. */
export function ensurePausedCondition(obj: KubeObject, clusterPaused: boolean, now: string): { isPaused: boolean; requeue: boolean } {
  const status = statusOf(obj);
  const conditions = (status.conditions ?? []) as Condition[];
  const annotated = obj.metadata.annotations?.['cluster.x-k8s.io/paused'] !== undefined;
  const messages = [...(clusterPaused ? ['Cluster spec.paused is set to true'] : []),
    ...(annotated ? [`${obj.kind} has the cluster.x-k8s.io/paused annotation`] : [])];
  const isPaused = messages.length > 0;
  const next = isPaused ? { type: 'Paused', status: 'True' as const, reason: 'Paused', message: messages.join(', ') }
    : { type: 'Paused', status: 'False' as const, reason: 'NotPaused' };
  const old = findCondition(conditions, 'Paused');
  const generation = generationOf(obj);
  if (old !== undefined && old.status === next.status && old.reason === next.reason && old.message === (next.message ?? '')) {
    if ((old.observedGeneration ?? 0) !== generation && !isPaused) {
      status.conditions = setCondition(conditions, next, now, generation);
    }
    if ((old.observedGeneration ?? 0) === generation || !isPaused) {
      return { isPaused, requeue: false };
    }
  }
  status.conditions = setCondition(conditions, next, now, generation);
  return { isPaused, requeue: true };
}

function v1beta1Of(cluster: KubeObject): Json {
  const status = statusOf(cluster);
  const deprecated = (status.deprecated ??= {}) as Json;
  return (deprecated.v1beta1 ??= {}) as Json;
}

const v1beta1Conditions = (cluster: KubeObject) => v1beta1Of(cluster).conditions as V1Beta1Condition[] | undefined;

function setV1Beta1Conditions(cluster: KubeObject, conditions: V1Beta1Condition[]): void {
  v1beta1Of(cluster).conditions = conditions;
}

/** `reconcileExternal`: failures of a referenced object, recorded on the Cluster (and never cleared there). */
function recordFailures(cluster: KubeObject, obj: KubeObject): void {
  const reason = getPath(obj, 'status', 'failureReason');
  const message = getPath(obj, 'status', 'failureMessage');
  if (typeof reason === 'string' && reason !== '') {
    v1beta1Of(cluster).failureReason = reason;
  }
  if (typeof message === 'string' && message !== '') {
    const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
    v1beta1Of(cluster).failureMessage =
      `Failure detected from referenced resource ${group}/${version}, Kind=${obj.kind} with name "${obj.metadata.name}": ${message}`;
  }
}

function failureDomains(obj: KubeObject, contract: ContractVersion): Json[] | undefined {
  const value = getPath(obj, 'status', 'failureDomains');
  if (contract === 'v1beta2') {
    return Array.isArray(value) ? value as Json[] : undefined;
  }
  if (!isObject(value)) {
    return undefined;
  }
  return Object.keys(value).sort().map((name) => {
    const d = (value[name] ?? {}) as Json;
    return { name, controlPlane: d.controlPlane === true, ...(isObject(d.attributes) ? { attributes: d.attributes } : {}) };
  });
}

/** `reconcileInfrastructure`; returns an error message when the reconcile fails. */
function reconcileInfrastructure(cluster: KubeObject, input: ClusterReconcileInput, contract: ContractVersion, now: string): string | undefined {
  const status = statusOf(cluster);
  const init = (status.initialization ??= {}) as Json;
  const ref = specOf(cluster).infrastructureRef as Json | undefined;
  const deleting = deletionTimestampOf(cluster) !== undefined;
  if (ref === undefined) {
    if (!deleting) {
      init.infrastructureProvisioned = true;
      setV1Beta1Conditions(cluster, markTrue(v1beta1Conditions(cluster), 'InfrastructureReady', now));
    }
    return undefined;
  }
  const infra = input.infraCluster;
  if (infra === undefined && !input.infraClusterIsNotFound) {
    return `failed to get ${String(ref.kind)} ${String(ref.name)}`;
  }
  if (infra === undefined) {
    return !deleting && init.infrastructureProvisioned === true ? `${String(ref.kind)} has been deleted after being provisioned` : undefined;
  }
  recordFailures(cluster, infra);
  const provisioned = (contract === 'v1beta1' ? getPath(infra, 'status', 'ready')
    : getPath(infra, 'status', 'initialization', 'provisioned')) === true;
  setV1Beta1Conditions(cluster, setV1Beta1(v1beta1Conditions(cluster), mirrorV1Beta1(getPath(infra, 'status', 'conditions') as V1Beta1Condition[],
    'InfrastructureReady', deleting ? { value: false, reason: 'Deleting', severity: 'Info', message: '' }
      : { value: provisioned, reason: 'WaitingForInfrastructure', severity: 'Info', message: '' }), now));
  if (deletionTimestampOf(infra) !== undefined || (!provisioned && init.infrastructureProvisioned !== true)) {
    return undefined;
  }
  if (!apiEndpointValid(specOf(cluster).controlPlaneEndpoint)) {
    setEndpoint(cluster, getPath(infra, 'spec', 'controlPlaneEndpoint'));
  }
  const domains = failureDomains(infra, contract);
  status.failureDomains = domains !== undefined && domains.length > 0 ? domains : undefined;
  init.infrastructureProvisioned = true;
  return undefined;
}

/** `cluster.Spec.ControlPlaneEndpoint = *endpoint` (an empty endpoint is not serialized: `omitzero`). */
function setEndpoint(cluster: KubeObject, endpoint: unknown): void {
  const host = isObject(endpoint) && typeof endpoint.host === 'string' ? endpoint.host : '';
  const port = isObject(endpoint) ? Number(endpoint.port ?? 0) : 0;
  const spec = specOf(cluster);
  spec.controlPlaneEndpoint = host === '' && port === 0 ? undefined : { ...(host ? { host } : {}), ...(port ? { port } : {}) };
  if (spec.controlPlaneEndpoint === undefined) {
    delete spec.controlPlaneEndpoint;
  }
}

/** `reconcileControlPlane`. */
function reconcileControlPlane(cluster: KubeObject, input: ClusterReconcileInput, contract: ContractVersion, now: string): string | undefined {
  const init = (statusOf(cluster).initialization ??= {}) as Json;
  const ref = specOf(cluster).controlPlaneRef as Json | undefined;
  const deleting = deletionTimestampOf(cluster) !== undefined;
  if (ref === undefined) {
    return undefined;
  }
  const cp = input.controlPlane;
  if (cp === undefined && !input.controlPlaneIsNotFound) {
    return `failed to get ${String(ref.kind)} ${String(ref.name)}`;
  }
  if (cp === undefined) {
    return !deleting && init.controlPlaneInitialized === true ? `${String(ref.kind)} has been deleted after being initialized` : undefined;
  }
  recordFailures(cluster, cp);
  const initialized = (contract === 'v1beta1' ? getPath(cp, 'status', 'initialized')
    : getPath(cp, 'status', 'initialization', 'controlPlaneInitialized')) === true;
  setV1Beta1Conditions(cluster, setV1Beta1(v1beta1Conditions(cluster), mirrorV1Beta1(getPath(cp, 'status', 'conditions') as V1Beta1Condition[],
    'ControlPlaneReady', deleting ? { value: false, reason: 'Deleting', severity: 'Info', message: '' }
      : { value: initialized, reason: 'WaitingForControlPlane', severity: 'Info', message: '' }), now));
  if (deletionTimestampOf(cp) !== undefined) {
    return undefined;
  }
  if (!isTrueV1Beta1(v1beta1Conditions(cluster), 'ControlPlaneInitialized')) {
    setV1Beta1Conditions(cluster, initialized ? markTrue(v1beta1Conditions(cluster), 'ControlPlaneInitialized', now)
      : markFalse(v1beta1Conditions(cluster), 'ControlPlaneInitialized', 'WaitingForControlPlaneProviderInitialized', 'Info',
        'Waiting for control plane provider to indicate the control plane has been initialized', now));
  }
  if (!initialized && init.controlPlaneInitialized !== true) {
    return undefined;
  }
  if (!apiEndpointValid(specOf(cluster).controlPlaneEndpoint)) {
    setEndpoint(cluster, getPath(cp, 'spec', 'controlPlaneEndpoint'));
  }
  init.controlPlaneInitialized = true;
  return undefined;
}

/** `setPhase`. */
export function setPhase(cluster: KubeObject): void {
  const status = statusOf(cluster);
  const spec = specOf(cluster);
  if (!status.phase) {
    status.phase = 'Pending';
  }
  if (spec.infrastructureRef !== undefined || spec.controlPlaneRef !== undefined) {
    status.phase = 'Provisioning';
  }
  if (getPath(status, 'initialization', 'infrastructureProvisioned') === true && apiEndpointValid(spec.controlPlaneEndpoint)) {
    status.phase = 'Provisioned';
  }
  if (deletionTimestampOf(cluster) !== undefined) {
    status.phase = 'Deleting';
  }
}

const num = (o: KubeObject, ...path: string[]) => (typeof getPath(o, ...path) === 'number' ? getPath(o, ...path) as number : undefined);

/** `setControlPlaneReplicas` for a cluster with a control plane object (no stand-alone control plane Machines). */
export function setControlPlaneReplicas(cluster: KubeObject, controlPlane: KubeObject | undefined, contract: ContractVersion): void {
  const status = statusOf(cluster);
  const cp = (status.controlPlane ??= {}) as Json;
  if (specOf(cluster).controlPlaneRef === undefined) {
    return;
  }
  if (controlPlane === undefined) {
    status.controlPlane = {};
    return;
  }
  const set = (field: string, value: number | undefined) => {
    if (value !== undefined) {
      cp[field] = value;
    }
  };
  set('desiredReplicas', num(controlPlane, 'spec', 'replicas'));
  set('replicas', num(controlPlane, 'status', 'replicas'));
  set('readyReplicas', num(controlPlane, 'status', 'readyReplicas'));
  const unavailable = num(controlPlane, 'status', 'unavailableReplicas');
  if (contract === 'v1beta1') {
    if (unavailable !== undefined && cp.desiredReplicas !== undefined) {
      cp.availableReplicas = Math.max(0, (cp.desiredReplicas as number) - unavailable);
    }
  } else {
    set('availableReplicas', num(controlPlane, 'status', 'availableReplicas'));
  }
  set('upToDateReplicas', num(controlPlane, 'status', contract === 'v1beta1' ? 'updatedReplicas' : 'upToDateReplicas'));
  const versions = getPath(controlPlane, 'status', 'versions');
  cp.versions = Array.isArray(versions) ? versions : undefined;
}

/** `setWorkersReplicas` over MachinePools and MachineDeployments (sums of what each reports; versions aggregated). */
export function setWorkersReplicas(cluster: KubeObject, workers: readonly KubeObject[]): void {
  const out: Record<string, number | undefined> = {};
  const add = (field: string, value: number | undefined) => {
    if (value !== undefined) {
      out[field] = (out[field] ?? 0) + value;
    }
  };
  const versions: Array<{ version: string; replicas: number }> = [];
  for (const w of workers) {
    add('desiredReplicas', num(w, 'spec', 'replicas'));
    for (const field of ['replicas', 'readyReplicas', 'availableReplicas', 'upToDateReplicas']) {
      add(field, num(w, 'status', field));
    }
    versions.push(...((getPath(w, 'status', 'versions') ?? []) as Array<{ version: string; replicas: number }>));
  }
  const aggregated = aggregateStatusVersions(versions);
  statusOf(cluster).workers = { ...out, ...(aggregated === undefined ? {} : { versions: aggregated }) };
}

/** `internal/util/version` `AggregateStatusVersions`: replicas summed per version, sorted by version. */
export function aggregateStatusVersions(versions: ReadonlyArray<{ version: string; replicas?: number }>):
  Array<{ version: string; replicas: number }> | undefined {
  const out: Array<{ version: string; replicas: number; order: number }> = [];
  for (const v of versions) {
    if (v.version === '') {
      continue;
    }
    const found = out.find((o) => o.version === v.version);
    if (found) {
      found.replicas += v.replicas ?? 0;
    } else {
      out.push({ version: v.version, replicas: v.replicas ?? 0, order: out.length });
    }
  }
  return out.length === 0 ? undefined : sortStatusVersions(out).map(({ version, replicas }) => ({ version, replicas }));
}

/** `statusVersionLess`: semantic order (pre-releases as strings; build tags not compared), then string, then first seen. */
export function sortStatusVersions<T extends { version: string; order: number }>(versions: T[]): T[] {
  const parse = (v: string) => /^v?(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?/.exec(v);
  return [...versions].sort((a, b) => {
    const [pa, pb] = [parse(a.version), parse(b.version)];
    if (pa && pb) {
      for (const i of [1, 2, 3]) {
        const d = Number(pa[i]) - Number(pb[i]);
        if (d !== 0) {
          return d;
        }
      }
      return a.version < b.version ? -1 : a.version > b.version ? 1 : a.order - b.order;
    }
    if (pa || pb) {
      return pa ? -1 : 1;
    }
    return a.version < b.version ? -1 : a.version > b.version ? 1 : a.order - b.order;
  });
}

/** One reconcile of a Cluster (`Reconcile` of `cluster_controller.go`); pure: `input` is not changed. */
export function reconcileCluster(input: ClusterReconcileInput): ClusterReconcileResult {
  const now = input.now;
  const before = input.cluster;
  const cluster = clone(before);
  const paused = ensurePausedCondition(cluster, specOf(cluster).paused === true, now);
  if (paused.isPaused || paused.requeue) {
    return { cluster, errors: [], requeued: paused.requeue };
  }
  const infraContract = input.infrastructureContract ?? 'v1beta1';
  const cpContract = input.controlPlaneContract ?? 'v1beta1';
  const errors = [reconcileInfrastructure(cluster, input, infraContract, now), reconcileControlPlane(cluster, input, cpContract, now)]
    .filter((e): e is string => e !== undefined);
  // updateStatus (deferred): phase, replica counters, conditions.
  setPhase(cluster);
  setControlPlaneReplicas(cluster, input.controlPlane, cpContract);
  setWorkersReplicas(cluster, [...(input.machinePools ?? []), ...(input.machineDeployments ?? [])]);
  const inputs: ClusterStatusInputs = {
    infraCluster: input.infraCluster,
    infraClusterIsNotFound: input.infraClusterIsNotFound ?? false,
    controlPlane: input.controlPlane,
    controlPlaneIsNotFound: input.controlPlaneIsNotFound ?? false,
    controlPlaneContract: cpContract,
    machineDeployments: input.machineDeployments ?? [],
    healthCheckingState: input.healthCheckingState ?? { consecutiveFailures: 0 },
    remoteConnectionGracePeriodSeconds: input.remoteConnectionGracePeriodSeconds ?? 50,
  };
  setClusterConditions(cluster, inputs, now);
  // patchCluster: the v1beta1 Ready summary, then observedGeneration when the reconcile succeeded.
  setV1Beta1Conditions(cluster, setV1Beta1(v1beta1Conditions(cluster),
    summaryV1Beta1(v1beta1Conditions(cluster), { conditionTypes: ['ControlPlaneReady', 'InfrastructureReady'] }), now));
  const status = statusOf(cluster);
  if (errors.length === 0) {
    status.observedGeneration = generationOf(before);
  }
  if (isObject(status.initialization) && Object.keys(status.initialization).length === 0) {
    delete status.initialization;
  }
  bumpGenerationOnSpecChange(before, cluster);
  return { cluster, errors };
}
