/** Label and annotation keys the library puts on what it generates. The `arlon.io/` prefix is reserved for them. */
export const Labels = {
  MANAGED_BY: 'app.kubernetes.io/managed-by',
  FLEET: 'arlon.io/fleet',
  CLUSTER: 'arlon.io/cluster',
  /** On a bundle's ApplicationSets and Applications. */
  BUNDLE: 'arlon.io/bundle',
  /** `profile.arlon.io/<profile>: "true"` on a cluster's objects: select clusters by profile. */
  profile: (profile: string): string => `profile.arlon.io/${profile}`,
  /** Cluster API's own label, set on every object of a workload cluster. */
  CAPI_CLUSTER_NAME: 'cluster.x-k8s.io/cluster-name',
} as const;

export const Annotations = {
  /** Comma-separated profile names: of a cluster (in the order given), or carrying a bundle (sorted). */
  PROFILES: 'arlon.io/profiles',
  /** The kind of a bundle (helm, git, inline), on its ApplicationSet. */
  BUNDLE_KIND: 'arlon.io/bundle-kind',
  ARGOCD_SYNC_OPTIONS: 'argocd.argoproj.io/sync-options',
  /** `"true"` on a cluster marked for deletion (`Cluster` `retire: true`). */
  RETIRED: 'arlon.io/retired',
  ARGOCD_COMPARE_OPTIONS: 'argocd.argoproj.io/compare-options',
  /**
   * Comma-separated fields of the profile's spec a cluster overrides (`region`, `nodePools.workers`, ...), on its
   * Cluster API Cluster (read by `arlonctl describe`).
   */
  OVERRIDES: 'arlon.io/overrides',
  /** The wave of its profile's rollout policy a cluster belongs to, on its Cluster API Cluster (read by `arlonctl rollout`). */
  ROLLOUT_WAVE: 'arlon.io/rollout-wave',
  /** The revision of its profile's spec a cluster runs (see `dist.rollout.yaml`), on its Cluster API Cluster. */
  SPEC_REVISION: 'arlon.io/spec-revision',
  /**
   * On a bundle's ApplicationSet whose clusters install different definitions during a rollout: the fleet's source
   * fields the template takes from list-element parameters (JSON), which `arlonctl` reads back.
   */
  BUNDLE_SOURCE: 'arlon.io/bundle-source',
  /** The IAM role Argo CD reaches the clusters with, on the root Application (read by `arlonctl register`). */
  ARGOCD_ROLE_ARN: 'arlon.io/argocd-role-arn',
} as const;

export const MANAGED_BY = 'cdk8s-arlon';

/** Prefixes of label keys users may not set, because the library owns them. */
export const RESERVED_LABEL_PREFIXES = ['arlon.io/', 'profile.arlon.io/', 'cluster.x-k8s.io/'];

/** Problems for label keys the library sets itself: its prefixes, and `app.kubernetes.io/managed-by`. */
export function reservedLabelProblems(labels: Readonly<Record<string, string>>): string[] {
  return Object.keys(labels).flatMap((key) => {
    if (key === Labels.MANAGED_BY) {
      return [`\`labels\` key "${key}" is set by the library on every object ("${MANAGED_BY}"), so yours would be overwritten; pick another key`];
    }
    return RESERVED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix))
      ? [`\`labels\` key "${key}" uses a prefix the library owns (${RESERVED_LABEL_PREFIXES.join(', ')}); pick another key`] : [];
  });
}
