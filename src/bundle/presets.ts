import { HelmBundle } from './bundle';
import type { BundleTarget } from './bundle-target';

/** Pinned versions of the ready-made bundles, in one place (update them with a reviewed commit). */
export const PRESET_VERSIONS = {
  /** cluster-autoscaler chart from https://kubernetes.github.io/autoscaler. */
  clusterAutoscalerChart: '9.46.3',
  /** metrics-server chart from https://kubernetes-sigs.github.io/metrics-server. */
  metricsServerChart: '3.12.2',
} as const;

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
          autoDiscovery: { clusterName: target.name },
          image: { tag: `v${spec.kubernetesVersion.version}.0` },
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
