/**
 * The transition check as plan items: each invariant the model finds broken (`transitions/explore.ts`) becomes a
 * blocked change of its cluster, with the order of steps that breaks it and the safe path for its cause.
 */
import type { DistFleet } from './dist-fleet';
import { checkTransition, type TransitionFinding } from './transitions/check-transition';

/** A transition problem of one cluster, as plan.ts shows it. */
export interface TransitionProblem {
  readonly message: string;
  /** The order of the controllers' steps that leads there. */
  readonly why: string;
  readonly fix: string;
  /** Not a broken invariant: the model could not check this unit (reported, not blocked). */
  readonly unchecked?: boolean;
}

/** What the transition check of a plan did: units of the clusters in scope, those changed, scenarios explored, states. */
export interface TransitionFigures {
  readonly units: number;
  readonly changed: number;
  readonly explorations: number;
  readonly states: number;
}

/** The transition problems of the change from `base` to `current`, by cluster, and what finding them took. */
export function transitionProblems(base: DistFleet, current: DistFleet): { problems: Map<string, TransitionProblem[]>; figures: TransitionFigures } {
  const clusters = [...new Set([...base.clusters, ...current.clusters].map((c) => c.name))];
  const byCluster = new Map<string, TransitionProblem[]>();
  const check = checkTransition(base, current, clusters);
  const namespaces = new Map([...base.clusters, ...current.clusters].map((c) => [c.name, c.namespace ?? c.name]));
  const namespaceOf = (cluster: string) => namespaces.get(cluster) ?? cluster;
  for (const finding of check.findings) {
    const problem: TransitionProblem = finding.kind === 'not-modelled'
      ? { message: `transition not checked: ${finding.message}`, why: '', fix: '', unchecked: true }
      : { message: finding.message, why: orderOf(finding), fix: fixFor(finding, namespaceOf(finding.cluster)) };
    (byCluster.get(finding.cluster) ?? byCluster.set(finding.cluster, []).get(finding.cluster)!).push(problem);
  }
  const { units, changed, explorations, states } = check;
  return { problems: byCluster, figures: { units, changed, explorations, states } };
}

function orderOf(finding: TransitionFinding): string {
  const steps = finding.trace.map((step, i) => `(${i + 1}) ${step}`).join('; ');
  return 'after the merge, Argo CD\'s Applications, the ApplicationSet controller, garbage collection, finalizers and CAPA act independently and '
    + `in any order${steps === '' ? '' : `, for instance: ${steps}`}`;
}

/** The safe path for what led to a finding. */
function fixFor(f: TransitionFinding, namespace: string): string {
  switch (f.cause) {
    case 'reinstalled':
      return `set \`removalPolicy: RemovalPolicy.RETAIN\` on bundle ${f.bundle} in a change of its own; once Argo CD has synced it (its Applications `
        + 'lose the resources finalizer), make this change; then set DESTROY again';
    case 'retired-early':
      return `finish retiring ${f.cluster} first (remove it from the code and let Argo CD delete it), or un-retire it, and merge that; then make this change`;
    case 'unretired':
      return `un-retire ${f.cluster} in a change of its own, in which nothing else moves its Application (no shard count change, no library upgrade `
        + 'that changes the dist/ layout); once Argo CD has synced it (its Cluster says Delete=false again), make the rest of this change';
    case 'handover':
      return 'ApplicationSets that hand Applications over to each other wait for each other for ever (Argo CD creates and updates before it deletes, and '
        + 'stops at an Application another ApplicationSet controls): change `shards` to a multiple of the current count (16 -> 32), which moves '
        + 'clusters only into new shards';
    case 'eks-refused':
      return `the cluster autoscaler sets node group ${f.nodegroup}'s size anywhere between its old minSize and maxSize, and CAPA sends that size `
        + 'with the new bounds, unclamped (kubernetes-sigs/cluster-api-provider-aws#5746), so EKS refuses the update on every reconcile, with its labels, '
        + 'taints and update settings; keep the bounds around the current size, which '
        + `\`kubectl get machinepool -n ${namespace} ${f.nodegroup} -o jsonpath='{.spec.replicas}'\` shows: widen them first, narrow them only as far `
        + `as that size, and once checked pass --allow unsafe-transition=${f.cluster}`;
    case 'values-missing':
      return 'keep the value file in this change (Applications name it until their ApplicationSet is updated) and remove it in a later one';
    case 'destroy-skipped':
      return `keep the Argo CD cluster Secret of ${f.cluster} until its bundle Applications are deleted (\`arlonctl register\` waits for them)`;
    case 'out-of-sync':
      return 'delete the objects it no longer holds deliberately (kubectl delete), or keep them in the code';
    case 'invalid':
      return 'keep what the Application still uses in this change (its repository in the project, its destination) and drop it in a later one';
    default:
      return 'split the change: make the part that lifts a protection or moves an Application in a later change than the one it depends on '
        + '(README, "Safe changes")';
  }
}

/**
 * A change of the role Argo CD reaches the clusters with (`management.argoCdRoleArn`) leaves them unreachable for a
 * while, whatever the order: CAPA deletes the access entries a control plane no longer lists as soon as it reconciles
 * it (CAPA v2.11.1 `pkg/cloud/services/eks/accessentry.go`, `reconcileAccessEntries`), while the Argo CD cluster
 * Secrets name the old role until `arlonctl register` rewrites them. Not a broken invariant (nothing is deleted, and
 * register repairs it), so a warning with the way to avoid the gap.
 */
export function roleChangeWarning(base: DistFleet, current: DistFleet): string | undefined {
  if (base.argocdRoleArn === undefined || current.argocdRoleArn === undefined || base.argocdRoleArn === current.argocdRoleArn) {
    return undefined;
  }
  return `Argo CD's role changes from ${base.argocdRoleArn} to ${current.argocdRoleArn}: CAPA removes the old role's access entries as it `
    + 'reconciles each control plane, and Argo CD cannot reach a cluster until `arlonctl register` has rewritten its Secret; to avoid the gap, '
    + 'list the new role in `management.clusterAdminRoleArns` in a change of its own, then switch, run `arlonctl register` and drop it';
}
