/**
 * What CAPA v2.11.1 writes into an AWSManagedMachinePool, and into its MachinePool, from the EKS node group: ports of
 * kubernetes-sigs/cluster-api-provider-aws v2.11.1
 * - `pkg/cloud/services/eks/nodegroup.go` `setStatus` (ready/failureMessage per node group status; DEGRADED and any
 *   other status are an error, which leaves `ready` as it was; when ready, `status.replicas` = the instances of the
 *   node group's Auto Scaling groups and `spec.providerIDList` = `aws:///<zone>/<instance id>` of each), and
 *   `reconcileNodegroup` (create; block in `waitForNodegroupActive` while CREATING/UPDATING; with the
 *   `cluster.x-k8s.io/replicas-managed-by` annotation the MachinePool's `spec.replicas` is set to the node group's
 *   desired size; `reconcileNodegroupVersion`: one minor per UpdateNodegroupVersion, which returns at once, so
 *   `EKSNodegroupReady` is True as the update starts, and an error EKS answers it with fails the pass ("failed to
 *   reconcile nodegroup version: failed to update EKS nodegroup: ..."); the min/max part of `reconcileNodegroupConfig`; `scalingConfig`);
 * - `pkg/cloud/services/eks/eks.go` `ReconcilePool` (IAMNodegroupRolesReady, then EKSNodegroupReady True, or False
 *   with reason EKSNodegroupReconciliationFailed, severity Error and the error as message);
 * - `exp/controllers/awsmanagedmachinepool_controller.go` `Reconcile` (Paused via CAPA's `util/paused`; while the
 *   control plane's `status.ready` is false, EKSNodegroupReady False/WaitingForEKSControlPlane is set in memory but
 *   the pass returns before the patch helper exists, so it is never stored; the deferred v1beta1 `Ready` summary of
 *   EKSNodegroupReady, IAMNodegroupRolesReady and LaunchTemplateReady with a step counter over those three);
 * - conditions of `exp/api/v1beta2/conditions_consts.go` (there is no "EKSNodegroupUpdating" condition).
 * The object has no `observedGeneration`. Not modeled: launch templates, labels/taints/update-config/repair-config
 * updates, tags, node group deletion.
 */
import { ensureV1Beta1Paused, eksMinor } from './capa-controlplane-status';
import { bumpGenerationOnSpecChange, clone, getPath, specOf, statusOf } from './objects';
import { markFalse, markTrue, setV1Beta1, summaryV1Beta1, type V1Beta1Condition } from './v1beta1-conditions';
import type { KubeObject } from '../../../src/kube/types';

export type NodegroupStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'CREATE_FAILED' | 'DELETE_FAILED' | 'DEGRADED';

/** What DescribeNodegroup and DescribeAutoScalingGroups return, as far as CAPA's status depends on them. */
export interface EksNodegroup {
  readonly status: NodegroupStatus;
  /** `major.minor`. */
  readonly version: string;
  readonly desiredSize: number;
  readonly minSize: number;
  readonly maxSize: number;
  /** The instances of the node group's Auto Scaling groups (any lifecycle state); none while it has no ASG. */
  readonly instances: ReadonlyArray<{ readonly id: string; readonly zone: string }>;
  /** Whether `resources.autoScalingGroups` is reported (false while CREATING). */
  readonly hasAutoScalingGroup: boolean;
}

export type NodegroupCall =
  | { readonly op: 'CreateNodegroup'; readonly desiredSize: number; readonly minSize?: number; readonly maxSize?: number; readonly version?: string }
  | { readonly op: 'UpdateNodegroupVersion'; readonly version: string }
  | { readonly op: 'UpdateNodegroupConfig'; readonly desiredSize: number; readonly minSize?: number; readonly maxSize?: number };

export interface NodegroupPassInput {
  readonly managedMachinePool: KubeObject;
  readonly machinePool: KubeObject;
  readonly controlPlane: KubeObject;
  readonly clusterPaused?: boolean;
  /** The node group; undefined when it does not exist yet (CAPA creates it: CREATING, no instances). */
  readonly nodegroup?: EksNodegroup;
  /** The 30-minute wait for ACTIVE ran out. */
  readonly waitTimedOut?: boolean;
  /** The error EKS answers UpdateNodegroupVersion with, if it refuses the update (the EKS model decides). */
  readonly versionUpdateRefusal?: string;
  readonly now: string;
}

export interface NodegroupPassResult {
  readonly managedMachinePool: KubeObject;
  /** The MachinePool, with `spec.replicas` as CAPA writes it for an externally autoscaled pool. */
  readonly machinePool: KubeObject;
  readonly calls: readonly NodegroupCall[];
  readonly blocked?: boolean;
  readonly error?: string;
  /** Set when the pass panicked (the deferred summary and patch still ran). */
  readonly panic?: string;
}

const conditionsOf = (obj: KubeObject) => (statusOf(obj).conditions ?? []) as V1Beta1Condition[];
const setConditions = (obj: KubeObject, c: V1Beta1Condition[]) => { statusOf(obj).conditions = c; };

/** `setStatus`; returns its error. */
export function setNodegroupStatus(mmp: KubeObject, ng: EksNodegroup): string | undefined {
  const status = statusOf(mmp);
  switch (ng.status) {
    case 'DELETING':
      status.ready = false;
      break;
    case 'CREATE_FAILED':
    case 'DELETE_FAILED':
      status.ready = false;
      status.failureMessage = `EKS nodegroup in failed ${ng.status} status`;
      break;
    case 'ACTIVE':
      status.ready = true;
      delete status.failureMessage;
      break;
    case 'CREATING':
      status.ready = false;
      break;
    case 'UPDATING':
      status.ready = true;
      break;
    default:
      return `unexpected EKS nodegroup status ${String(ng.status)}`;
  }
  if (status.ready === true && ng.hasAutoScalingGroup) {
    status.replicas = ng.instances.length;
    const ids = ng.instances.map((i) => `aws:///${i.zone}/${i.id}`);
    if (ids.length === 0) {
      delete specOf(mmp).providerIDList;
    } else {
      specOf(mmp).providerIDList = ids;
    }
  }
  return undefined;
}

/** `scalingConfig`: desired = the MachinePool's replicas (1 when unset), min/max from `spec.scaling`. */
export function scalingConfig(mp: KubeObject, mmp: KubeObject): { desiredSize: number; minSize?: number; maxSize?: number } {
  const desiredSize = typeof getPath(mp, 'spec', 'replicas') === 'number' ? getPath(mp, 'spec', 'replicas') as number : 1;
  const scaling = getPath(mmp, 'spec', 'scaling') as { minSize?: number; maxSize?: number } | undefined;
  return { desiredSize, ...(scaling?.maxSize !== undefined ? { maxSize: scaling.maxSize, minSize: scaling.minSize } : {}) };
}

/** One reconcile of an AWSManagedMachinePool; pure: `input` is not changed. */
export function reconcileNodegroupPass(input: NodegroupPassInput): NodegroupPassResult {
  const now = input.now;
  const mmp = clone(input.managedMachinePool);
  const mp = clone(input.machinePool);
  const calls: NodegroupCall[] = [];
  const finish = (extra: Partial<NodegroupPassResult> = {}, summary = true): NodegroupPassResult => {
    if (summary) {
      setConditions(mmp, setV1Beta1(conditionsOf(mmp), summaryV1Beta1(conditionsOf(mmp),
        { conditionTypes: ['EKSNodegroupReady', 'IAMNodegroupRolesReady', 'LaunchTemplateReady'], stepCounter: true }), now));
    }
    statusOf(mmp).ready ??= false;
    statusOf(mmp).replicas ??= 0;
    bumpGenerationOnSpecChange(input.managedMachinePool, mmp);
    bumpGenerationOnSpecChange(input.machinePool, mp);
    return { managedMachinePool: mmp, machinePool: mp, calls, ...extra };
  };
  if (ensureV1Beta1Paused(mmp, input.clusterPaused === true, now)) {
    return finish({}, false);
  }
  if (getPath(input.controlPlane, 'status', 'ready') !== true) {
    return finish({}, false);
  }
  setConditions(mmp, markTrue(conditionsOf(mmp), 'IAMNodegroupRolesReady', now));
  const failed = (message: string) => {
    setConditions(mmp, markFalse(conditionsOf(mmp), 'EKSNodegroupReady', 'EKSNodegroupReconciliationFailed', 'Error', message, now));
    return finish({ error: message });
  };
  const specVersion = getPath(mp, 'spec', 'template', 'spec', 'version') as string | undefined;
  let ng = input.nodegroup;
  if (ng === undefined) {
    const scaling = scalingConfig(mp, mmp);
    const version = getPath(input.controlPlane, 'spec', 'version') as string | undefined;
    calls.push({ op: 'CreateNodegroup', ...scaling, ...(version === undefined ? {} : { version: eksMinor(version) }) });
    ng = {
      status: 'CREATING',
      version: version === undefined ? '' : eksMinor(version),
      ...scaling,
      minSize: scaling.minSize ?? 0,
      maxSize: scaling.maxSize ?? scaling.desiredSize,
      instances: [],
      hasAutoScalingGroup: false,
    };
  }
  const statusError = setNodegroupStatus(mmp, ng);
  if (statusError !== undefined) {
    return failed(`failed to set status: ${statusError}`);
  }
  const managedByAutoscaler = mp.metadata.annotations?.['cluster.x-k8s.io/replicas-managed-by'] !== undefined;
  if (ng.status === 'CREATING' || ng.status === 'UPDATING') {
    if (!input.waitTimedOut) {
      return { ...finish({ blocked: true }, false) };
    }
    if (managedByAutoscaler) {
      // `ng` is nil after the failed wait and `ng.ScalingConfig.DesiredSize` is read before `err` is checked.
      return finish({ panic: 'runtime error: invalid memory address or nil pointer dereference' });
    }
    return failed(`failed to wait for nodegroup to be active: failed to wait for EKS nodegroup "${String(getPath(mmp, 'spec', 'eksNodegroupName'))}": `
      + 'exceeded max wait time for NodegroupActive waiter');
  }
  if (managedByAutoscaler && getPath(mp, 'spec', 'replicas') !== ng.desiredSize) {
    specOf(mp).replicas = ng.desiredSize;
  }
  if (specVersion !== undefined) {
    const [sMajor, sMinor] = eksMinor(specVersion).split('.').map(Number);
    const [cMajor, cMinor] = eksMinor(ng.version).split('.').map(Number);
    if (cMajor < sMajor || (cMajor === sMajor && cMinor < sMinor)) {
      if (input.versionUpdateRefusal !== undefined) {
        // `reconcileNodegroupVersion` wraps the call's error; `reconcileNodegroup` wraps it again; `ReconcilePool` marks it
        return failed(`failed to reconcile nodegroup version: failed to update EKS nodegroup: ${input.versionUpdateRefusal}`);
      }
      calls.push({ op: 'UpdateNodegroupVersion', version: `${cMajor}.${cMinor + 1}` });
    }
  }
  const scaling = getPath(mmp, 'spec', 'scaling') as { minSize?: number; maxSize?: number } | undefined;
  const replicas = getPath(mp, 'spec', 'replicas') as number | undefined;
  if ((replicas === undefined ? ng.desiredSize !== 1 : replicas !== ng.desiredSize)
    || (scaling !== undefined && (scaling.maxSize !== ng.maxSize || scaling.minSize !== ng.minSize))) {
    calls.push({ op: 'UpdateNodegroupConfig', ...scalingConfig(mp, mmp) });
  }
  setConditions(mmp, markTrue(conditionsOf(mmp), 'EKSNodegroupReady', now));
  return finish();
}
