import type { ResolvedEksSpec } from '../eks/resolve';

/** What a bundle knows about a cluster it is installed on, e.g. to compute per-cluster Helm values. */
export interface BundleTarget {
  /** The cluster's name: its Argo CD cluster name, and for fleet clusters its EKS cluster name. */
  readonly name: string;
  /** The cluster's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The cluster's effective EKS spec; undefined for an external cluster. */
  readonly spec?: ResolvedEksSpec;
}
