import { CAPI_KINDS } from './cluster-application-set';
import { lazyValue } from '../_lazy';
import type { Fleet } from '../fleet/fleet';
import type * as l1 from '../l1';

/** The API server address of the cluster Argo CD runs in: the management cluster. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * The project of the Applications that sync each cluster's Cluster API objects into its namespace on the management
 * cluster: the fleet repository only, the Namespace and the Cluster API kinds only, and not in the Argo CD namespace,
 * `default` or `kube-*` (deny rules, which Argo CD matches against the destination's server, so they name the
 * in-cluster server). One project for the whole fleet: it never changes as clusters come and go.
 */
export function clustersProjectSpec(fleet: Fleet): l1.ArgoAppProjectSpec {
  return {
    description: `cdk8s-arlon fleet "${fleet.name}": the Cluster API objects of every cluster`,
    sourceRepos: [fleet.repoUrl],
    destinations: [
      { name: fleet.managementClusterName, namespace: '*' },
      ...[fleet.argocdNamespace, 'default', 'kube-*'].map((namespace) => ({ server: IN_CLUSTER_SERVER, namespace: `!${namespace}` })),
    ],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    namespaceResourceWhitelist: CAPI_KINDS.map((k) => ({ ...k })),
  };
}

/**
 * The project of every bundle Application: the bundles' repositories and the fleet repository (inline bundles and
 * value files), and the namespaces the bundles write to, on any registered cluster except the management cluster.
 * One long-lived project rather than one per cluster: deleting a project while its Applications are deleted leaves
 * them hanging ("AppProject not found"), and one project stays small at any fleet size.
 */
export function bundlesProjectSpec(fleet: Fleet, repositories: () => readonly string[], namespaces: () => readonly string[]): l1.ArgoAppProjectSpec {
  return {
    description: `cdk8s-arlon fleet "${fleet.name}": the bundles of every cluster`,
    sourceRepos: lazyValue(() => [...new Set([fleet.repoUrl, ...repositories()])].sort()),
    // `!server` matches every cluster but the management cluster, and only in the namespaces listed.
    destinations: lazyValue(() => [...new Set(namespaces())].sort().map((namespace) => ({ server: `!${IN_CLUSTER_SERVER}`, namespace }))),
    clusterResourceWhitelist: [{ group: '*', kind: '*' }],
  };
}
