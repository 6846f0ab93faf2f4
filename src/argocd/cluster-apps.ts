import type { Fleet } from '../fleet/fleet';
import type * as l1 from '../l1';
import { DistLayout, repoPath } from '../output/layout';

/** The Cluster API kinds a cluster's Application may create in its namespace on the management cluster. */
export const CAPI_KINDS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: 'cluster.x-k8s.io', kind: 'Cluster' },
  { group: 'cluster.x-k8s.io', kind: 'MachinePool' },
  { group: 'controlplane.cluster.x-k8s.io', kind: 'AWSManagedControlPlane' },
  { group: 'infrastructure.cluster.x-k8s.io', kind: 'AWSManagedCluster' },
  { group: 'infrastructure.cluster.x-k8s.io', kind: 'AWSManagedMachinePool' },
];

/**
 * The AppProject of one cluster: its Applications may only pull from the fleet repository and only create the
 * cluster's Namespace and its Cluster API objects in that namespace of the management cluster. One project per
 * cluster keeps each project small at any fleet size and keeps a mistake in one cluster's objects out of the others.
 */
export function clusterAppProjectSpec(fleet: Fleet, cluster: string): l1.ArgoAppProjectSpec {
  return {
    description: `cdk8s-arlon cluster "${cluster}" of fleet "${fleet.name}"`,
    sourceRepos: [fleet.repoUrl],
    destinations: [{ name: fleet.managementClusterName, namespace: cluster }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    namespaceResourceWhitelist: CAPI_KINDS.map((k) => ({ ...k })),
  };
}

/**
 * The Application that syncs a cluster's Cluster API objects from `dist/clusters/<cluster>` into its namespace.
 *
 * Automated so that a committed profile change reaches the cluster, but never pruning and without the cascade
 * finalizer: taking a cluster out of the code, or deleting this Application, must not delete the EKS cluster.
 * Server-side apply and diff, because CAPA fills in fields of these objects (subnets, endpoints) that git does not
 * hold, and a client-side diff would report them as drift forever.
 */
export function clusterApplicationSpec(fleet: Fleet, cluster: string): l1.ArgoApplicationSpec {
  return {
    project: cluster,
    source: {
      repoUrl: fleet.repoUrl,
      targetRevision: fleet.targetRevision,
      path: repoPath(fleet.distPath, DistLayout.clusterDir(cluster)),
    },
    destination: { name: fleet.managementClusterName, namespace: cluster },
    syncPolicy: {
      automated: { prune: false, selfHeal: true },
      syncOptions: ['ServerSideApply=true'],
    },
  };
}
