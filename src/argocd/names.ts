/**
 * Names of the fleet's Argo CD objects. Each starts with the fleet's name, so fleets can share one Argo CD, and says
 * what it is, so no cluster or bundle name can make two of them collide (`<fleet>-bundle-<bundle>-<shard>` can never
 * equal `<fleet>-clusters-<shard>`).
 */
export const ArgoNames = {
  /** The AppProject of the Applications that sync Cluster API objects to the management cluster. */
  clustersProject: (fleet: string): string => `${fleet}-clusters`,
  /** The AppProject of every bundle Application. */
  bundlesProject: (fleet: string): string => `${fleet}-bundles`,
  /** The Application that syncs one shard's ApplicationSets. */
  shardApplication: (fleet: string, shard: string): string => `${fleet}-shard-${shard}`,
  /** The ApplicationSet of one shard's clusters. */
  clustersApplicationSet: (fleet: string, shard: string): string => `${fleet}-clusters-${shard}`,
  /** The ApplicationSet of one bundle on one shard's clusters. */
  bundleApplicationSet: (fleet: string, bundle: string, shard: string): string => `${fleet}-bundle-${bundle}-${shard}`,
  /** The ConfigMap that records the fleet's external clusters. */
  externalClusters: (fleet: string): string => `${fleet}-external-clusters`,
  /**
   * The Argo CD cluster Secret `arlonctl register` writes for a fleet cluster. Argo CD knows the cluster by the name
   * inside it; the Secret's own name is prefixed so no cluster name can overwrite one of Argo CD's own Secrets
   * (`argocd-secret`, `argocd-redis`, ...) or another fleet's.
   */
  clusterSecret: (fleet: string, cluster: string): string => `${fleet}-cluster-${cluster}`,
  /** The AppProject of the management plane's Applications. */
  managementProject: (fleet: string): string => `${fleet}-management`,
  /** The Application that syncs the management plane's Applications (`dist/management/applications/`). */
  managementRoot: (fleet: string): string => `${fleet}-management`,
  /** The Application of one component of the management plane (`cert-manager`, `argo-cd`, ...). */
  managementApplication: (fleet: string, component: string): string => `${fleet}-management-${component}`,
  /** The Application of one (cluster, bundle) pair. */
  bundleApplication: (cluster: string, bundle: string): string => `${cluster}-${bundle}`,
} as const;
