import type { AmiType } from './ami-type';
import type { KubernetesVersion } from './kubernetes-version';

/** How the instances of a node pool are bought. */
export enum CapacityType {
  ON_DEMAND = 'onDemand',
  SPOT = 'spot',
}

/** What a taint does to pods that do not tolerate it. */
export enum TaintEffect {
  NO_SCHEDULE = 'no-schedule',
  NO_EXECUTE = 'no-execute',
  PREFER_NO_SCHEDULE = 'prefer-no-schedule',
}

/** A Kubernetes taint on every node of a pool. */
export interface Taint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. */
  readonly value: string;
  /** Taint effect. */
  readonly effect: TaintEffect;
}

/**
 * A node pool: an EKS managed node group, synthesized as a CAPI `MachinePool` backed by a CAPA `AWSManagedMachinePool`.
 *
 * CAPA gives a managed node group exactly one instance type, so a pool has one; use several pools for a mix.
 */
export interface NodePoolOptions {
  /** EC2 instance type of the pool's nodes, e.g. `m6i.large`. */
  readonly instanceType: string;
  /**
   * Minimum number of nodes.
   *
   * @default 1
   */
  readonly minSize?: number;
  /**
   * Maximum number of nodes.
   *
   * @default - `minSize`, or `desiredSize` when that is larger
   */
  readonly maxSize?: number;
  /**
   * Number of nodes to run (the MachinePool's `replicas`).
   *
   * @default - `minSize`
   */
  readonly desiredSize?: number;
  /**
   * On-demand or spot instances.
   *
   * @default CapacityType.ON_DEMAND
   */
  readonly capacityType?: CapacityType;
  /**
   * Root volume size in GiB.
   *
   * @default - the EKS default (20 GiB)
   */
  readonly diskSizeGiB?: number;
  /**
   * AMI family of the nodes. Always emitted: without it CAPA's CRD defaults every pool to `AL2_x86_64`, which EKS
   * does not offer from Kubernetes 1.33, and the AMI type of a node group never changes after it is created.
   *
   * @default - Amazon Linux 2023 for the instance type's architecture and accelerator: `AL2023_x86_64_STANDARD`,
   * `AL2023_ARM_64_STANDARD` (Graviton), `AL2023_x86_64_NVIDIA` / `AL2023_ARM_64_NVIDIA` (NVIDIA GPUs),
   * `AL2023_x86_64_NEURON` (Inferentia, Trainium); see `defaultAmiType`
   */
  readonly amiType?: AmiType;
  /**
   * Kubernetes labels on the nodes.
   *
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Taints on the nodes.
   *
   * @default - none
   */
  readonly taints?: readonly Taint[];
  /**
   * Kubernetes version of the pool's nodes, for upgrading pools after their control plane. It may not be newer than
   * the control plane's.
   *
   * Only an existing pool can lag behind its control plane: EKS creates every node group at the control plane's
   * version (CAPA v2.11.1 `createNodegroup` sends no version) and never downgrades one, so a new pool pinned lower
   * would never reach the version it asks for. `arlonctl plan` blocks adding one (rule
   * `new-pool-below-control-plane`); give a new pool the control plane's version (leave this out).
   *
   * @default - the cluster's Kubernetes version
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * The EKS-optimized AMI release of the pool's nodes (AWSManagedMachinePool `amiVersion`, EKS's `releaseVersion`),
   * to pin and roll node images like the Kubernetes version: `"1.34.1-20251103"` for Amazon Linux (a release of the
   * pool's own Kubernetes minor), `"1.26.0-5a5a4e2c"` for Bottlerocket. Changing it makes CAPA call
   * UpdateNodegroupVersion, and EKS replaces the nodes (rolling); EKS never goes back to an older release. A node
   * group is created at the newest release of its version, and moved to this one just after; when its Kubernetes
   * version changes, CAPA moves it to the newest release of the new version first, then to this one. So pin the
   * newest release when you add a pool or change its version (see `arlonctl plan`).
   *
   * @default - not pinned: a node group keeps the release it runs, and a new or upgraded one gets the newest
   */
  readonly amiReleaseVersion?: string;
}

/** Per-cluster changes to a node pool of the profile: any field of `NodePoolOptions`. */
export type NodePoolOverrides = Partial<NodePoolOptions>;
