/**
 * What Cluster API v1.14.0 and CAPA v2.11.1 do with a cluster's objects between two commits, as far as the transition
 * model needs it:
 * - a `Cluster` being deleted is deleted by Cluster API with everything it owns; CAPA deletes the EKS cluster;
 * - each managed node group is reconciled from its live MachinePool and AWSManagedMachinePool
 *   (kubernetes-sigs/cluster-api-provider-aws v2.11.1 `pkg/cloud/services/eks/nodegroup.go`): created with
 *   `scalingConfig` (desired = the MachinePool's replicas, which Cluster API's defaulting webhook sets from the
 *   autoscaler's minimum when both size annotations are there, else 1: `core/webhooks/admission/machinepool.go`);
 *   afterwards `reconcileNodegroup` first copies the node group's desired size into the MachinePool when an external
 *   autoscaler manages the replicas, then `reconcileNodegroupConfig` sends `UpdateNodegroupConfig` with
 *   `scalingConfig()` whenever the replicas differ from the desired size or min or max differ from the spec: the
 *   current desired size goes with the new bounds, unclamped (kubernetes-sigs/cluster-api-provider-aws#5746);
 * - EKS refuses a scaling config outside `minSize <= desiredSize <= maxSize` (with `minSize >= 0`, `maxSize >= 1`:
 *   https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html), on every reconcile: the
 *   labels, taints and update config of the same request never apply either.
 */
import { text, type LiveNodegroup, type Manifest, type PoolFacts, type Text } from './model';
import type { Step } from './step';
import { copyWorld, type LiveWorld, type ScenarioFacts } from './world';

/**
 * The replicas Cluster API's MachinePool defaulting webhook gives a pool without them (`core/webhooks/admission/
 * machinepool.go`, `calculateMachinePoolReplicas`): the autoscaler's minimum when both size annotations are set, else 1.
 */
export function defaultReplicas(pool: PoolFacts): number {
  return pool.annotatedMin !== undefined && pool.annotatedMax !== undefined ? pool.annotatedMin : 1;
}

/** A scaling request CAPA sends EKS. */
export interface NodegroupRequest {
  readonly nodegroup: string;
  readonly call: 'CreateNodegroup' | 'UpdateNodegroupConfig';
  readonly desiredSize: number;
  readonly minSize?: number;
  readonly maxSize?: number;
}

/** Why EKS refuses a scaling config (`NodegroupScalingConfig`), or undefined. */
export function eksScalingProblem(request: NodegroupRequest): string | undefined {
  const { desiredSize, minSize, maxSize } = request;
  if (minSize !== undefined && minSize < 0) {
    return `minSize ${minSize} is below 0`;
  }
  if (maxSize !== undefined && maxSize < 1) {
    return `maxSize ${maxSize} is below 1`;
  }
  if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
    return `minSize ${minSize} is above maxSize ${maxSize}`;
  }
  if (minSize !== undefined && desiredSize < minSize) {
    return `desiredSize ${desiredSize} is below minSize ${minSize}`;
  }
  if (maxSize !== undefined && desiredSize > maxSize) {
    return `desiredSize ${desiredSize} is above maxSize ${maxSize}`;
  }
  return undefined;
}

/** A request EKS refused, as the model reports it. */
export interface Refusal {
  readonly request: NodegroupRequest;
  readonly problem: string;
  readonly label: Text;
}

/** The node pools of the unit's cluster as live objects: each node group's MachinePool and AWSManagedMachinePool. */
function livePools(facts: ScenarioFacts, w: LiveWorld): Map<string, { machinePool?: Manifest; managed?: Manifest }> {
  const pools = new Map<string, { machinePool?: Manifest; managed?: Manifest }>();
  for (const object of Object.values(w.objects)) {
    const manifest = facts.manifest(object.content);
    if (object.deleting || manifest?.pool === undefined) {
      continue;
    }
    const entry = pools.get(manifest.pool.nodegroup) ?? pools.set(manifest.pool.nodegroup, {}).get(manifest.pool.nodegroup)!;
    if (manifest.role === 'machinepool') {
      entry.machinePool = manifest;
    } else if (manifest.role === 'managedmachinepool') {
      entry.managed = manifest;
    }
  }
  return pools;
}

/** The request CAPA sends for one node group now, if any. */
export function nodegroupRequest(machinePool: Manifest, managed: Manifest, current: LiveNodegroup | undefined): NodegroupRequest | undefined {
  const mp = machinePool.pool!;
  const scaling = managed.pool!;
  const bounds = {
    ...(scaling.minSize === undefined ? {} : { minSize: scaling.minSize }),
    ...(scaling.maxSize === undefined ? {} : { maxSize: scaling.maxSize }),
  };
  if (current === undefined) {
    return { nodegroup: mp.nodegroup, call: 'CreateNodegroup', desiredSize: mp.replicas ?? defaultReplicas(mp), ...bounds };
  }
  // An autoscaled pool's replicas are the node group's size, copied back first.
  const replicas = mp.autoscaled ? current.desired : mp.replicas ?? defaultReplicas(mp);
  const boundsDiffer = scaling.minSize !== undefined && scaling.maxSize !== undefined
    && (current.min !== scaling.minSize || current.max !== scaling.maxSize);
  if (replicas === current.desired && !boundsDiffer) {
    return undefined;
  }
  return { nodegroup: mp.nodegroup, call: 'UpdateNodegroupConfig', desiredSize: replicas, ...bounds };
}

/** CAPA's and Cluster API's steps: node group creates and updates EKS accepts, and deleting Clusters going away; and the refusals. */
export function capaSteps(facts: ScenarioFacts, w: LiveWorld): { steps: Step[]; refusals: Refusal[] } {
  const steps: Step[] = [];
  const refusals: Refusal[] = [];
  for (const [key, object] of Object.entries(w.objects)) {
    if (object.deleting && facts.manifest(object.content)?.role === 'cluster') {
      const next = copyWorld(w);
      delete next.objects[key];
      steps.push({ label: text`Cluster API deletes ${key} and what it owns, and CAPA deletes its EKS cluster`, world: next, tags: ['capi-delete'] });
    }
  }
  for (const [nodegroup, { machinePool, managed }] of livePools(facts, w)) {
    if (machinePool === undefined || managed === undefined) {
      continue;
    }
    const current = w.nodegroups[nodegroup];
    const request = nodegroupRequest(machinePool, managed, current);
    if (request === undefined) {
      continue;
    }
    const sizes = `{desiredSize: ${request.desiredSize}, minSize: ${request.minSize ?? '-'}, maxSize: ${request.maxSize ?? '-'}}`;
    const label: Text = ['CAPA sends ', request.call, ...text` for node group ${nodegroup}`, ` ${sizes}`];
    const problem = eksScalingProblem(request);
    if (problem !== undefined) {
      refusals.push({ request, problem, label: [...label, `: EKS refuses it (${problem})`] });
      continue;
    }
    const next = copyWorld(w);
    next.nodegroups[nodegroup] = {
      desired: request.desiredSize,
      min: request.minSize ?? current?.min ?? request.desiredSize,
      max: request.maxSize ?? current?.max ?? request.desiredSize,
    };
    steps.push({ label, world: next, tags: ['capa'] });
  }
  return { steps, refusals };
}
