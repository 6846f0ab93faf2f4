/**
 * The one place that knows the `dist/` layout. Paths are relative to the output directory and use '/'.
 *
 * ```
 * fleet/                       bootstrap: the fleet's AppProject and root Application (what `arlonctl deploy` applies)
 * argocd/                      what the root syncs: the fleet's two AppProjects, one Application per shard, the
 *                              external clusters
 * argocd/shards/<nn>/          what a shard's Application syncs: the ApplicationSets of the shard's clusters and bundles
 * clusters/<cluster>/          Namespace, Cluster, AWSManagedCluster, AWSManagedControlPlane, MachinePools
 * management/argo-cd/          Argo CD as the management plane runs it (upstream's install, sized and with health checks)
 * management/applications/     the management plane's AppProject and Applications (cert-manager, cluster-api-operator,
 *                              providers, argo-cd), applied in order by `arlonctl bootstrap`
 * management/providers/        the Cluster API and CAPA providers cluster-api-operator installs
 * management/aws/              clusterawsadm's AWSIAMConfiguration (not synced: the input of the one AWS step)
 * bundles/<bundle>/            an inline bundle's objects, or a Helm bundle's values files (`values.yaml`, and
 *                              `values/<cluster>.yaml` for clusters with values of their own, and
 *                              `revisions/<id>/values.yaml` of an earlier definition clusters in a rollout still install)
 * ```
 */
export const DistLayout = {
  /** Bootstrap objects, applied once by `arlonctl deploy`. */
  fleetDir: 'fleet',
  /** What the root Application syncs into the Argo CD namespace. */
  argocdDir: 'argocd',
  /** The ApplicationSets of one shard. */
  argocdShardDir: (shard: string): string => `argocd/shards/${shard}`,
  /** The management plane, when the fleet has one. */
  managementDir: 'management',
  /** Whether a folder inside `dist/` is (inside) the management plane's. */
  isManagementFolder: (folder: string): boolean => folder === 'management' || folder.startsWith('management/'),
  /** Argo CD's own objects, when the fleet manages its management plane. */
  managementArgoCdDir: 'management/argo-cd',
  /** The management plane's AppProject and Applications. */
  managementApplicationsDir: 'management/applications',
  /** The providers cluster-api-operator installs. */
  managementProvidersDir: 'management/providers',
  /** clusterawsadm's configuration, read by hand (`clusterawsadm bootstrap iam create-cloudformation-stack --config`). */
  awsIamConfigurationFile: 'management/aws/iam-configuration.yaml',
  /** The rendered objects of one inline bundle, served to workload clusters from the fleet repository. */
  bundleDir: (bundle: string): string => `bundles/${bundle}`,
  /** A Helm bundle's values for every cluster. */
  bundleValuesFile: (bundle: string): string => `bundles/${bundle}/values.yaml`,
  /** The folder of a Helm bundle's per-cluster values files. */
  clusterValuesDir: (bundle: string): string => `bundles/${bundle}/values`,
  /** A Helm bundle's values for one cluster, over the bundle's own. */
  clusterValuesFile: (bundle: string, cluster: string): string => `bundles/${bundle}/values/${cluster}.yaml`,
  /** The values for every cluster of an earlier definition of a bundle that clusters in a rollout still install. */
  bundleRevisionValuesFile: (bundle: string, revision: string): string => `bundles/${bundle}/revisions/${revision}/values.yaml`,
  /** Whether a path inside `dist/` is a values file rather than an object. */
  isValuesFile: (file: string): boolean => /^bundles\/[^/]+\/(values\.yaml|values\/[^/]+\.yaml|revisions\/[0-9a-f]{12}\/values\.yaml)$/.test(file),
  /** The folder of every cluster's Cluster API objects. */
  clustersDir: 'clusters',
  /** Cluster API objects of one cluster, synced into its namespace on the management cluster. */
  clusterDir: (cluster: string): string => `clusters/${cluster}`,
  /** The file of one object inside its folder: `<Kind>.<name>.yaml`. */
  fileName: (kind: string, name: string): string => `${kind}.${name}.yaml`,
} as const;

/** Joins a path inside the git repository with a path inside `dist/`, without a leading or doubled '/'. */
export function repoPath(distPath: string, inside: string): string {
  return [distPath, inside].filter((part) => part !== '' && part !== '.').join('/');
}
