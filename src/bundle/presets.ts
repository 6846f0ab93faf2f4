import { HelmBundle } from './bundle';
import type { BundleTarget } from './bundle-target';

/**
 * Pinned versions of the ready-made bundles, in one place (update them with a reviewed commit). Checked against the
 * upstream repositories in November 2026:
 * - cluster-autoscaler chart 9.59.0 (kubernetes/autoscaler tag `cluster-autoscaler-chart-9.59.0`, appVersion 1.35.0,
 *   listed in https://kubernetes.github.io/autoscaler/index.yaml). Charts before 9.54.0 lack the `resource.k8s.io`
 *   RBAC that cluster-autoscaler 1.35 and later always watch (kubernetes/autoscaler#9244, #10278).
 * - metrics-server chart 3.13.1 (kubernetes-sigs/metrics-server tag `metrics-server-helm-chart-3.13.1`, appVersion
 *   0.8.1, for Kubernetes 1.31 and later); 3.13.0 rendered null annotations that Argo CD shows as OutOfSync.
 */
export const PRESET_VERSIONS = {
  /** cluster-autoscaler chart from https://kubernetes.github.io/autoscaler. */
  clusterAutoscalerChart: '9.59.0',
  /** metrics-server chart from https://kubernetes-sigs.github.io/metrics-server. */
  metricsServerChart: '3.13.1',
} as const;

/**
 * The cluster-autoscaler image for each Kubernetes minor: upstream asks for the latest release of the cluster's minor
 * (kubernetes/autoscaler `cluster-autoscaler/README.md`). Tags `cluster-autoscaler-1.32.7`, `-1.33.6`, `-1.34.5`,
 * `-1.35.2` and `-1.36.1` of kubernetes/autoscaler, published as `registry.k8s.io/autoscaling/cluster-autoscaler`.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
  1.32: 'v1.32.7',
  1.33: 'v1.33.6',
  1.34: 'v1.34.5',
  1.35: 'v1.35.2',
  1.36: 'v1.36.1',
};

/** Options of the cluster-autoscaler bundle. */
export interface ClusterAutoscalerOptions {
  /**
   * The chart version.
   *
   * @default PRESET_VERSIONS.clusterAutoscalerChart
   */
  readonly chartVersion?: string;
  /**
   * The IAM role of the autoscaler's service account (IRSA) on each cluster; it needs the autoscaling permissions
   * listed in the cluster-autoscaler AWS documentation.
   *
   * @default - the node role's permissions
   */
  readonly roleArnForCluster?: (target: BundleTarget) => string;
  /**
   * cluster-autoscaler image tags by Kubernetes minor (`'1.37': 'v1.37.0'`), over `CLUSTER_AUTOSCALER_IMAGE_TAGS`; a
   * cluster at a minor without a tag is refused at synth.
   *
   * @default - CLUSTER_AUTOSCALER_IMAGE_TAGS
   */
  readonly imageTags?: Readonly<Record<string, string>>;
  /**
   * Further chart values for every cluster.
   *
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * The Kubernetes cluster-autoscaler for EKS, running in each workload cluster with the AWS provider. It discovers the
 * cluster's managed node groups by the tags EKS puts on their Auto Scaling groups, and scales each between the
 * `minSize` and `maxSize` of its node pool (the node group's scaling bounds). Clusters that carry it mark their
 * MachinePools' replicas as managed by an external autoscaler, so CAPA stops resetting the desired size.
 *
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 */
export class ClusterAutoscalerBundle extends HelmBundle {
  constructor(private readonly options: ClusterAutoscalerOptions = {}) {
    super('cluster-autoscaler', {
      repoUrl: 'https://kubernetes.github.io/autoscaler',
      chart: 'cluster-autoscaler',
      version: options.chartVersion ?? PRESET_VERSIONS.clusterAutoscalerChart,
      namespace: 'kube-system',
      createNamespace: false,
      description: 'Kubernetes cluster-autoscaler (AWS provider) scaling the managed node groups within their node pool bounds',
      values: { cloudProvider: 'aws', fullnameOverride: 'cluster-autoscaler', ...options.values },
      valuesForCluster: (target) => {
        // requiresEksSpec guarantees a spec here. The autoscaler's minor version must match the cluster's.
        const spec = target.spec!;
        const role = options.roleArnForCluster?.(target);
        return {
          awsRegion: spec.region,
          // The EKS cluster's name, which tags its node groups' Auto Scaling groups: with fleet-scoped names (or
          // `adoptEksCluster`) it is not the cluster's name in the fleet.
          autoDiscovery: { clusterName: target.eksClusterName ?? target.name },
          image: { tag: imageTagFor(spec.kubernetesVersion.version, options.imageTags) },
          ...(role === undefined ? {} : { rbac: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': role } } } }),
        };
      },
    });
  }

  public override get requiresEksSpec(): boolean {
    return true;
  }

  public override get managesNodePoolReplicas(): boolean {
    return true;
  }

  public override usesIamRolesForServiceAccounts(): boolean {
    return this.options.roleArnForCluster !== undefined;
  }
}

/** The autoscaler image for a cluster at `minor`: its minor must match the cluster's. */
function imageTagFor(minor: string, overrides: Readonly<Record<string, string>> = {}): string {
  const tags = { ...CLUSTER_AUTOSCALER_IMAGE_TAGS, ...overrides };
  const tag = tags[minor];
  if (tag === undefined) {
    throw new Error(`bundle cluster-autoscaler has no image pinned for Kubernetes ${minor} (pinned: ${Object.keys(tags).sort().join(', ')}); `
      + `give one with \`Bundles.clusterAutoscaler({ imageTags: { '${minor}': 'v${minor}.<patch>' } })\`, the latest cluster-autoscaler release of ${minor}`);
  }
  return tag;
}

/** Ready, pinned bundles for the usual cluster plugins. CNI and CSI come as EKS add-ons in the cluster spec. */
export class Bundles {
  /** cluster-autoscaler, wired to the node pools' min/max (see `ClusterAutoscalerBundle`). */
  public static clusterAutoscaler(options: ClusterAutoscalerOptions = {}): ClusterAutoscalerBundle {
    return new ClusterAutoscalerBundle(options);
  }

  /** metrics-server, the resource metrics API behind `kubectl top` and HorizontalPodAutoscalers, in kube-system. */
  public static metricsServer(options: { readonly chartVersion?: string; readonly values?: Readonly<Record<string, unknown>> } = {}): HelmBundle {
    return new HelmBundle('metrics-server', {
      repoUrl: 'https://kubernetes-sigs.github.io/metrics-server',
      chart: 'metrics-server',
      version: options.chartVersion ?? PRESET_VERSIONS.metricsServerChart,
      namespace: 'kube-system',
      createNamespace: false,
      description: 'metrics-server: resource metrics for kubectl top and HorizontalPodAutoscalers',
      values: options.values,
    });
  }
}
