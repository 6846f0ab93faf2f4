import { CAPI_KINDS } from './cluster-application-set';
import { globLiteral, IN_CLUSTER_SERVER, type ManagementAddresses } from './destinations';
import { lazyValue } from '../_lazy';
import type { Fleet } from '../fleet/fleet';
import type * as l1 from '../l1';

export { IN_CLUSTER_SERVER } from './destinations';

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

/** The addresses of the fleet's management cluster, in a stable order (the in-cluster ones first). */
export function managementAddresses(fleet: Fleet): ManagementAddresses {
  return {
    names: [...new Set([fleet.managementClusterName, ...fleet.management.argoCdClusterNames])],
    servers: [...new Set([IN_CLUSTER_SERVER, ...fleet.management.apiServerUrls])],
  };
}

/**
 * The project of every bundle Application: the bundles' repositories and the fleet repository (inline bundles and
 * value files), and the namespaces the bundles write to, on any registered cluster except the management cluster.
 * One long-lived project rather than one per cluster: deleting a project while its Applications are deleted leaves
 * them hanging ("AppProject not found"), and one project stays small at any fleet size.
 *
 * The management cluster is denied by every address the fleet knows it by. Argo CD resolves a destination to a
 * cluster and matches each project destination against both its name and its server (argoproj/argo-cd v3.5.1
 * `pkg/apis/application/v1alpha1/app_project_types.go`, `isDestinationMatched`): an entry whose `!server` pattern
 * does not match denies in its namespace, and one whose `!name` pattern does not match denies in any namespace. So
 * each namespace gets one entry per known server and one per known name; any of them permits the other clusters.
 */
export function bundlesProjectSpec(fleet: Fleet, repositories: () => readonly string[], namespaces: () => readonly string[]): l1.ArgoAppProjectSpec {
  return {
    description: `cdk8s-arlon fleet "${fleet.name}": the bundles of every cluster`,
    sourceRepos: lazyValue(() => [...new Set([fleet.repoUrl, ...repositories()])].sort()),
    destinations: lazyValue(() => {
      const { names, servers } = managementAddresses(fleet);
      return [...new Set(namespaces())].sort().flatMap((namespace) => [
        ...servers.map((server) => ({ server: `!${globLiteral(server)}`, namespace })),
        ...names.map((name) => ({ name: `!${globLiteral(name)}`, namespace })),
      ]);
    }),
    clusterResourceWhitelist: [{ group: '*', kind: '*' }],
  };
}
