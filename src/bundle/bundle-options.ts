import type { Construct } from 'constructs';
import type { BundleTarget } from './bundle-target';
import type { RemovalPolicy } from './removal-policy';

/** Options every bundle kind takes. */
export interface BundleOptions {
  /** Namespace on the workload cluster the bundle installs into (created if missing, unless `createNamespace` is false). */
  readonly namespace: string;
  /**
   * What the bundle is for; shown in the Argo CD UI as the Applications' description label.
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * Other namespaces the bundle writes to (e.g. a chart that also installs into kube-system). They are added to the
   * destinations of the clusters' bundle AppProjects, which Argo CD checks for every object.
   *
   * @default - none
   */
  readonly extraNamespaces?: readonly string[];
  /**
   * Whether Argo CD creates `namespace` when it does not exist (`CreateNamespace=true`).
   *
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Whether Argo CD deletes objects the bundle no longer contains.
   *
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Whether Argo CD reverts changes made on the cluster by hand.
   *
   * @default true
   */
  readonly selfHeal?: boolean;
  /**
   * Lets the bundle carry secret-looking Helm values (keys such as `password` or `token`) or, for an inline bundle,
   * Secret objects with data. Everything in dist/ is committed to git, so these are refused by default: reference
   * secrets instead (a Secret name, an ExternalSecret, an AWS Secrets Manager ARN).
   *
   * @default false
   */
  readonly allowSecrets?: boolean;
  /**
   * What happens to what the bundle installed on a cluster that stops carrying it. `arlonctl plan` blocks every
   * change that removes a bundle from a cluster, whatever the policy, unless allowed (`--allow bundle-removed`).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Further Argo CD sync options, e.g. `ServerSideApply=true`.
   *
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
   * @default - none
   */
  readonly syncOptions?: readonly string[];
}

/** Options of a Helm chart bundle. */
export interface HelmBundleOptions extends BundleOptions {
  /**
   * The chart repository: an HTTP(S) Helm repository (`https://charts.example.com`) or an OCI registry path
   * (`oci://registry-1.docker.io/bitnamicharts`). Helm is rendered by Argo CD, never at synth time.
   */
  readonly repoUrl: string;
  /** The chart name in the repository. */
  readonly chart: string;
  /** The exact chart version. Ranges and "latest" are refused: every version change is a reviewed commit. */
  readonly version: string;
  /**
   * The Helm release name.
   *
   * @default - the bundle name
   */
  readonly releaseName?: string;
  /**
   * Values for every cluster, as structured data (Argo CD `helm.valuesObject`).
   *
   * @default - the chart's defaults
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * Values computed per cluster (e.g. a hostname from the cluster name), merged over `values` the way Helm merges
   * values files. A cluster's own `bundleValues` are merged over these.
   *
   * @default - none
   */
  readonly valuesForCluster?: (target: BundleTarget) => Record<string, unknown>;
}

/** How Argo CD renders a path in a git repository. */
export enum GitSourceType {
  /** Plain manifests (YAML/JSON files). */
  DIRECTORY = 'directory',
  /** A kustomization. */
  KUSTOMIZE = 'kustomize',
  /** A Helm chart kept in git. */
  HELM = 'helm',
}

/** Options of a git bundle. */
export interface GitBundleOptions extends BundleOptions {
  /** The repository URL, e.g. `https://github.com/acme/platform-addons.git`. */
  readonly repoUrl: string;
  /**
   * What to install: a commit SHA, a version tag (`v1.2.3`) or `refs/tags/<tag>`. A branch (or `HEAD`) moves without
   * review and is refused unless `trackBranch` is set.
   */
  readonly revision: string;
  /**
   * Follow a branch on purpose: `revision` may then name one, and every commit to it reaches the clusters without a
   * change to the fleet.
   *
   * @default false
   */
  readonly trackBranch?: boolean;
  /** Path inside the repository. */
  readonly path: string;
  /**
   * How Argo CD renders the path.
   *
   * @default GitSourceType.DIRECTORY
   */
  readonly type?: GitSourceType;
  /**
   * For `DIRECTORY`: whether to include subdirectories.
   *
   * @default false
   */
  readonly recurse?: boolean;
  /**
   * For `HELM`: values for every cluster.
   *
   * @default - the chart's defaults
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * For `HELM`: values computed per cluster, merged over `values`.
   *
   * @default - none
   */
  readonly valuesForCluster?: (target: BundleTarget) => Record<string, unknown>;
}

/** Options of an inline bundle. */
export interface InlineBundleOptions extends BundleOptions {
  /**
   * Builds the bundle's objects with cdk8s constructs (e.g. `cdk8s-plus-28` Deployments, ServiceAccounts, RBAC,
   * NetworkPolicies) in `scope`, a chart synthesized once into `dist/bundles/<name>/` and served to the clusters
   * from the fleet repository. Objects without a namespace go into the bundle's `namespace`.
   */
  readonly define: (scope: Construct) => void;
}
