/**
 * The v1beta2 conditions Cluster API v1.14.0 sets on a Cluster: ports of kubernetes-sigs/cluster-api v1.14.0
 * `core/reconcilers/cluster/cluster_controller_status.go`: `setRemoteConnectionProbeCondition`,
 * `setInfrastructureReadyCondition` (mirror of the infrastructure cluster's `Ready`, else `initialization.
 * infrastructureProvisioned`), `setControlPlaneAvailableCondition` (mirror of the control plane's `Available`, else
 * `initialization.controlPlaneInitialized`), `setControlPlaneInitializedCondition`, `setWorkersAvailableCondition` (which
 * `updateStatus` calls with an EMPTY MachinePool list: MachinePools are never aggregated, so a cluster without
 * MachineDeployments is `WorkersAvailable` True with reason `NoWorkers`), the Machines conditions (no Machines: True,
 * `NoReplicas`), `setRollingOutCondition`/`setScalingUpCondition`/`setScalingDownCondition` (control plane only when it
 * reports the condition, MachinePools again passed empty), `setRemediatingCondition` (no Machines), `setDeletingCondition`
 * and `setAvailableCondition` (summary of Deleting, RemoteConnectionProbe, InfrastructureReady, ControlPlaneAvailable,
 * WorkersAvailable and, with a topology, TopologyReconciled; `clusterConditionCustomMergeStrategy`).
 * Left out: ClusterClass/topology branches, availability gates, stand-alone control plane Machines, MachineSets.
 */
import {
  aggregateCondition, defaultMergePriority, defaultStrategy, findCondition, isTrue, MergePriority, mirrorCondition,
  setCondition, summaryCondition, unstructuredConditions, type Condition, type MergeStrategy, type NewCondition,
} from './capi-conditions';
import { deletionTimestampOf, generationOf, getPath, specOf, statusOf } from './objects';
import type { KubeObject } from '../../../src/kube/types';

/** `clustercache.HealthCheckingState`. */
export interface HealthCheckingState {
  /** When the last probe of the workload cluster's API server succeeded; undefined: never. */
  readonly lastProbeSuccessTime?: string;
  readonly consecutiveFailures: number;
}

export interface ClusterStatusInputs {
  readonly infraCluster?: KubeObject;
  readonly infraClusterIsNotFound: boolean;
  readonly controlPlane?: KubeObject;
  readonly controlPlaneIsNotFound: boolean;
  readonly controlPlaneContract: 'v1beta1' | 'v1beta2';
  readonly machineDeployments: readonly KubeObject[];
  readonly healthCheckingState: HealthCheckingState;
  readonly remoteConnectionGracePeriodSeconds: number;
}

const conditionsOf = (cluster: KubeObject) => (statusOf(cluster).conditions ?? []) as Condition[];

function set(cluster: KubeObject, condition: NewCondition, now: string): void {
  statusOf(cluster).conditions = setCondition(conditionsOf(cluster), condition, now, generationOf(cluster));
}

const initialization = (cluster: KubeObject, field: string) => getPath(cluster, 'status', 'initialization', field) === true;
const refKind = (cluster: KubeObject, ref: string) => String(getPath(cluster, 'spec', ref, 'kind') ?? '');
const CHECK_LOGS = 'Please check controller logs for errors';

/** `setRemoteConnectionProbeCondition`. */
export function setRemoteConnectionProbeCondition(cluster: KubeObject, state: HealthCheckingState, gracePeriodSeconds: number, now: string): void {
  if (state.lastProbeSuccessTime === undefined && state.consecutiveFailures < 5) {
    if (findCondition(conditionsOf(cluster), 'RemoteConnectionProbe') === undefined) {
      set(cluster, { type: 'RemoteConnectionProbe', status: 'False', reason: 'ProbeFailed', message: 'Remote connection not established yet' }, now);
    }
    return;
  }
  const since = state.lastProbeSuccessTime === undefined ? Infinity : (Date.parse(now) - Date.parse(state.lastProbeSuccessTime)) / 1000;
  if (since > gracePeriodSeconds) {
    const message = state.lastProbeSuccessTime === undefined ? 'Remote connection probe failed'
      : `Remote connection probe failed, probe last succeeded at ${state.lastProbeSuccessTime}`;
    set(cluster, { type: 'RemoteConnectionProbe', status: 'False', reason: 'ProbeFailed', message }, now);
    return;
  }
  set(cluster, { type: 'RemoteConnectionProbe', status: 'True', reason: 'ProbeSucceeded' }, now);
}

/** The shared shape of `setInfrastructureReadyCondition` and `setControlPlaneAvailableCondition`. */
function setMirrored(cluster: KubeObject, now: string, o: {
  target: string;
  source?: KubeObject;
  sourceType: string;
  isNotFound: boolean;
  flag: boolean;
  ref: string;
  reasons: { ok: string; notOk: string; invalid: string; internal: string; doesNotExist: string; deleted: string };
  fallbackMessage: (kind: string) => string;
}): void {
  const kind = refKind(cluster, o.ref);
  const deleting = deletionTimestampOf(cluster) !== undefined;
  if (o.source !== undefined) {
    let mirrored: NewCondition;
    try {
      mirrored = mirrorCondition(unstructuredConditions(o.source).find((c) => c.type === o.sourceType), o.sourceType, o.target,
        { status: o.flag ? 'True' : 'False', reason: o.flag ? o.reasons.ok : o.reasons.notOk, message: o.flag ? '' : o.fallbackMessage(kind) });
    } catch (e) {
      set(cluster, { type: o.target, status: 'Unknown', reason: o.reasons.invalid, message: (e as Error).message }, now);
      return;
    }
    if (mirrored.reason === 'NoReasonReported' && mirrored.status === 'True') {
      mirrored = { ...mirrored, reason: o.reasons.ok };
    }
    set(cluster, mirrored, now);
    return;
  }
  if (!o.isNotFound) {
    set(cluster, { type: o.target, status: 'Unknown', reason: o.reasons.internal, message: CHECK_LOGS }, now);
  } else if (deleting) {
    set(cluster, o.flag ? { type: o.target, status: 'False', reason: o.reasons.deleted, message: `${kind} has been deleted` }
      : { type: o.target, status: 'False', reason: o.reasons.doesNotExist, message: `${kind} does not exist` }, now);
  } else if (o.flag) {
    set(cluster, { type: o.target, status: 'False', reason: o.reasons.deleted, message: `${kind} has been deleted while the cluster still exists` }, now);
  } else {
    set(cluster, { type: o.target, status: 'False', reason: o.reasons.doesNotExist, message: `${kind} does not exist` }, now);
  }
}

/** `setInfrastructureReadyCondition` (no topology). */
export function setInfrastructureReadyCondition(cluster: KubeObject, infraCluster: KubeObject | undefined, isNotFound: boolean, now: string): void {
  setMirrored(cluster, now, {
    target: 'InfrastructureReady',
    source: infraCluster,
    sourceType: 'Ready',
    isNotFound,
    ref: 'infrastructureRef',
    flag: initialization(cluster, 'infrastructureProvisioned'),
    reasons: {
      ok: 'Ready',
      notOk: 'NotReady',
      invalid: 'InvalidConditionReported',
      internal: 'InternalError',
      doesNotExist: 'ObjectDoesNotExist',
      deleted: 'ObjectDeleted',
    },
    fallbackMessage: (kind) => `${kind} status.initialization.provisioned is false`,
  });
}

/** `setControlPlaneAvailableCondition` (no topology): CAPA never sets `Available`, so the fallback is what shows. */
export function setControlPlaneAvailableCondition(cluster: KubeObject, controlPlane: KubeObject | undefined, isNotFound: boolean, now: string): void {
  setMirrored(cluster, now, {
    target: 'ControlPlaneAvailable',
    source: controlPlane,
    sourceType: 'Available',
    isNotFound,
    ref: 'controlPlaneRef',
    flag: initialization(cluster, 'controlPlaneInitialized'),
    reasons: {
      ok: 'Available',
      notOk: 'NotAvailable',
      invalid: 'InvalidConditionReported',
      internal: 'InternalError',
      doesNotExist: 'ObjectDoesNotExist',
      deleted: 'ObjectDeleted',
    },
    fallbackMessage: (kind) => `${kind} status.initialization.controlPlaneInitialized is false`,
  });
}

/** `setControlPlaneInitializedCondition` for a cluster with a control plane object; never flips back once True. */
export function setControlPlaneInitializedCondition(cluster: KubeObject, controlPlane: KubeObject | undefined, contract: 'v1beta1' | 'v1beta2',
  isNotFound: boolean, now: string): void {
  if (isTrue(conditionsOf(cluster), 'ControlPlaneInitialized') || specOf(cluster).controlPlaneRef === undefined) {
    return;
  }
  if (controlPlane === undefined) {
    set(cluster, isNotFound
      ? { type: 'ControlPlaneInitialized', status: 'Unknown', reason: 'ObjectDoesNotExist', message: `${refKind(cluster, 'controlPlaneRef')} does not exist` }
      : { type: 'ControlPlaneInitialized', status: 'Unknown', reason: 'InternalError', message: CHECK_LOGS }, now);
    return;
  }
  const initialized = (contract === 'v1beta1' ? getPath(controlPlane, 'status', 'initialized')
    : getPath(controlPlane, 'status', 'initialization', 'controlPlaneInitialized')) === true;
  set(cluster, initialized ? { type: 'ControlPlaneInitialized', status: 'True', reason: 'Initialized' }
    : { type: 'ControlPlaneInitialized', status: 'False', reason: 'NotInitialized', message: 'Control plane not yet initialized' }, now);
}

const asSources = (objects: readonly KubeObject[]) => objects.map((o) => ({
  kind: o.kind, name: o.metadata.name, conditions: (getPath(o, 'status', 'conditions') ?? []) as Condition[],
}));

/** `setWorkersAvailableCondition(ctx, cluster, machinePools, machineDeployments, true)`. */
export function setWorkersAvailableCondition(cluster: KubeObject, machinePools: readonly KubeObject[], machineDeployments: readonly KubeObject[],
  now: string): void {
  if (machinePools.length + machineDeployments.length === 0) {
    set(cluster, { type: 'WorkersAvailable', status: 'True', reason: 'NoWorkers' }, now);
    return;
  }
  set(cluster, aggregateCondition(asSources([...machinePools, ...machineDeployments]), 'Available', 'WorkersAvailable',
    defaultStrategy(['NotAvailable', 'AvailableUnknown', 'Available'])), now);
}

/** `setRollingOutCondition` / `setScalingUpCondition` / `setScalingDownCondition` (negative polarity aggregates). */
export function setNegativeAggregateCondition(cluster: KubeObject, type: 'RollingOut' | 'ScalingUp' | 'ScalingDown',
  controlPlane: KubeObject | undefined, machineDeployments: readonly KubeObject[], now: string): void {
  const reporting = controlPlane !== undefined && unstructuredConditions(controlPlane).some((c) => c.type === type)
    ? [{ kind: controlPlane.kind, name: controlPlane.metadata.name, conditions: unstructuredConditions(controlPlane) }] : [];
  const sources = [...reporting, ...asSources(machineDeployments)];
  const [yes, unknown, no] = {
    RollingOut: ['RollingOut', 'RollingOutUnknown', 'NotRollingOut'],
    ScalingUp: ['ScalingUp', 'ScalingUpUnknown', 'NotScalingUp'],
    ScalingDown: ['ScalingDown', 'ScalingDownUnknown', 'NotScalingDown'],
  }[type];
  if (sources.length === 0) {
    set(cluster, { type, status: 'False', reason: no }, now);
    return;
  }
  set(cluster, aggregateCondition(sources, type, type, defaultStrategy([yes, unknown, no], defaultMergePriority(type), false)), now);
}

/** `setDeletingCondition`. */
export function setDeletingCondition(cluster: KubeObject, deletingReason: string, deletingMessage: string, now: string): void {
  set(cluster, deletionTimestampOf(cluster) === undefined ? { type: 'Deleting', status: 'False', reason: 'NotDeleting' }
    : { type: 'Deleting', status: 'True', reason: deletingReason, message: deletingMessage }, now);
}

/** `setAvailableCondition` without availability gates (`clusterConditionCustomMergeStrategy`). */
export function setAvailableCondition(cluster: KubeObject, now: string): void {
  const deleting = deletionTimestampOf(cluster) !== undefined;
  const base = defaultMergePriority('Deleting');
  const strategy: MergeStrategy = defaultStrategy(['NotAvailable', 'AvailableUnknown', 'Available'], (c) => {
    if (deleting && ((c.type === 'InfrastructureReady' && ['ObjectDeleted', 'ObjectDoesNotExist'].includes(c.reason))
      || (c.type === 'ControlPlaneAvailable' && ['ObjectDeleted', 'ObjectDoesNotExist'].includes(c.reason)))) {
      return MergePriority.Info;
    }
    if (c.type === 'TopologyReconciled' && c.status === 'False' && !['ReconcileFailed', 'ClusterClassNotReconciled'].includes(c.reason)) {
      return MergePriority.Info;
    }
    return base(c);
  });
  const topology = specOf(cluster).topology !== undefined;
  set(cluster, summaryCondition(conditionsOf(cluster), { kind: 'Cluster', name: cluster.metadata.name }, 'Available', {
    forConditionTypes: ['Deleting', 'RemoteConnectionProbe', 'InfrastructureReady', 'ControlPlaneAvailable', 'WorkersAvailable', 'TopologyReconciled'],
    ignoreTypesIfMissing: topology ? [] : ['TopologyReconciled'],
    strategy,
  }), now);
}

/** Every condition `updateStatus` sets, in its order, for a cluster without Machines or MachineSets. */
export function setClusterConditions(cluster: KubeObject, inputs: ClusterStatusInputs, now: string): void {
  setRemoteConnectionProbeCondition(cluster, inputs.healthCheckingState, inputs.remoteConnectionGracePeriodSeconds, now);
  setInfrastructureReadyCondition(cluster, inputs.infraCluster, inputs.infraClusterIsNotFound, now);
  setControlPlaneAvailableCondition(cluster, inputs.controlPlane, inputs.controlPlaneIsNotFound, now);
  setControlPlaneInitializedCondition(cluster, inputs.controlPlane, inputs.controlPlaneContract, inputs.controlPlaneIsNotFound, now);
  // updateStatus passes `clusterv1.MachinePoolList{}`: "should be replaced ... once Available, RollingOut, ScalingUp and
  // ScalingDown conditions have been implemented for MachinePools".
  setWorkersAvailableCondition(cluster, [], inputs.machineDeployments, now);
  for (const [type, reason] of [['ControlPlaneMachinesReady', 'NoReplicas'], ['WorkerMachinesReady', 'NoReplicas'],
    ['ControlPlaneMachinesUpToDate', 'NoReplicas'], ['WorkerMachinesUpToDate', 'NoReplicas']]) {
    set(cluster, { type, status: 'True', reason }, now);
  }
  for (const type of ['RollingOut', 'ScalingUp', 'ScalingDown'] as const) {
    setNegativeAggregateCondition(cluster, type, inputs.controlPlane, inputs.machineDeployments, now);
  }
  set(cluster, { type: 'Remediating', status: 'False', reason: 'NotRemediating' }, now);
  setDeletingCondition(cluster, '', '', now);
  setAvailableCondition(cluster, now);
}
