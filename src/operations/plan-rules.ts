import { LAST_AL2_KUBERNETES_MINOR } from '../eks/ami-type';
import { MAX_NODE_VERSION_SKEW } from '../eks/version-skew';

// Apart from the plan itself: `arlonctl plan --help` names the rules without loading what computes a plan.
/** The rules a plan enforces, and what each refuses. */
export const PLAN_RULES = {
  'kubernetes-minor-skip': 'a control plane moves one Kubernetes minor version per change: EKS upgrades one minor at a time, and while CAPA would '
    + 'step through the minors in between, the add-on builds this change pins are for the target minor',
  'kubernetes-downgrade': 'Kubernetes versions only go up: EKS cannot downgrade a control plane or a node group',
  'node-pool-skew': `a node pool may not be newer than its control plane, nor more than ${MAX_NODE_VERSION_SKEW} minor versions behind it`,
  'immutable-field': 'CAPA or EKS cannot change this field of an existing cluster or node pool',
  'cluster-removed': 'a cluster was removed from the code without being retired first',
  'cluster-identity': 'a cluster\'s namespace, Cluster API cluster and EKS cluster names are its identity: with others, Argo CD creates a new '
    + 'cluster beside the running one (and CAPA takes over any EKS cluster that has the new name), and the running one is left unmanaged',
  'bundle-removed': 'a bundle was removed from a running cluster: Argo CD stops managing what it installed, or deletes it when the bundle\'s '
    + 'removalPolicy is DESTROY',
  'not-generated': 'a file in dist/ that the synth did not write (no generated header): Argo CD syncs its folder as a whole, so whatever it '
    + 'holds would be deployed without coming from the fleet code',
  'al2-end-of-life': `EKS offers no Amazon Linux 2 AMIs after Kubernetes 1.${LAST_AL2_KUBERNETES_MINOR}, and a node group keeps its AMI type for life`,
  'new-pool-below-control-plane': 'EKS creates a node group at its control plane\'s Kubernetes version (CAPA sends none with CreateNodegroup) and '
    + 'never downgrades one, so a new node pool pinned below its control plane never reaches the version its MachinePool asks for',
  'ami-release': 'EKS refuses this AMI release on every reconcile: a node group never goes back to an older release, takes only releases of its '
    + 'own Kubernetes version, and takes none with a launch template',
  'unsafe-transition': 'a commit is safe only if it is safe in every order in which Argo CD, the ApplicationSet controller, garbage collection, '
    + 'finalizers and CAPA can act on it',
  'management-downgrade': 'the management plane\'s providers only move forward: cluster-api-operator refuses a lower minor, and Cluster API '
    + 'does not support downgrades',
  'management-minor-skip': 'Cluster API skips at most three minor versions in one upgrade',
  'provider-contract': 'every provider must implement a contract the Cluster API core supports (v1beta1 providers only before Cluster API v1.16)',
} as const;

/** A rule of `PLAN_RULES`. */
export type PlanRule = keyof typeof PLAN_RULES;
