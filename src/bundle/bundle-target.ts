import type { ResolvedEksSpec } from '../eks/resolve';

/** What a bundle knows about a cluster it is installed on, e.g. to compute per-cluster Helm values. */
export interface BundleTarget {
  /**
   * The cluster's name in the fleet (its folder in `dist/`). With fleet-scoped names it is neither its Argo CD cluster
   * name nor its EKS cluster name: use `eksClusterName` for the latter.
   */
  readonly name: string;
  /** The name of its EKS cluster in AWS (`Cluster.names.eksCluster`); undefined for an external cluster. */
  readonly eksClusterName?: string;
  /** The cluster's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The cluster's effective EKS spec; undefined for an external cluster. */
  readonly spec?: ResolvedEksSpec;
}
