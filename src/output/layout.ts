/**
 * The one place that knows the `dist/` layout. Paths are relative to the output directory and use '/'.
 *
 * ```
 * fleet/                       bootstrap: the fleet's AppProject and root Application (what `arlonctl deploy` applies)
 * argocd/clusters/<cluster>/   the cluster's AppProjects and the Application that syncs its Cluster API objects
 * argocd/bundles/<bundle>/     the bundle's ApplicationSet: one Application per cluster that carries the bundle
 * clusters/<cluster>/          Namespace, Cluster, AWSManagedCluster, AWSManagedControlPlane, MachinePools
 * bundles/<bundle>/            the objects of an inline bundle, synced to the workload clusters
 * ```
 */
export const DistLayout = {
  /** Bootstrap objects, applied once by `arlonctl deploy`. */
  fleetDir: 'fleet',
  /** What the root Application syncs into the Argo CD namespace. */
  argocdDir: 'argocd',
  /** Argo CD objects of one cluster. */
  argocdClusterDir: (cluster: string): string => `argocd/clusters/${cluster}`,
  /** The ApplicationSet of one bundle. */
  argocdBundleDir: (bundle: string): string => `argocd/bundles/${bundle}`,
  /** The rendered objects of one inline bundle, served to workload clusters from the fleet repository. */
  bundleDir: (bundle: string): string => `bundles/${bundle}`,
  /** Cluster API objects of one cluster, synced into its namespace on the management cluster. */
  clusterDir: (cluster: string): string => `clusters/${cluster}`,
  /** The file of one object inside its folder: `<Kind>.<name>.yaml`. */
  fileName: (kind: string, name: string): string => `${kind}.${name}.yaml`,
} as const;

/** Joins a path inside the git repository with a path inside `dist/`, without a leading or doubled '/'. */
export function repoPath(distPath: string, inside: string): string {
  return [distPath, inside].filter((part) => part !== '' && part !== '.').join('/');
}
