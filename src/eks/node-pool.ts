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

/** The EKS-optimized AMI family of a node pool (the values of AWSManagedMachinePool `amiType`). */
export enum AmiType {
  AL2023_X86_64_STANDARD = 'AL2023_x86_64_STANDARD',
  AL2023_ARM_64_STANDARD = 'AL2023_ARM_64_STANDARD',
  AL2023_X86_64_NEURON = 'AL2023_x86_64_NEURON',
  AL2023_X86_64_NVIDIA = 'AL2023_x86_64_NVIDIA',
  AL2023_ARM_64_NVIDIA = 'AL2023_ARM_64_NVIDIA',
  BOTTLEROCKET_X86_64 = 'BOTTLEROCKET_x86_64',
  BOTTLEROCKET_ARM_64 = 'BOTTLEROCKET_ARM_64',
  BOTTLEROCKET_X86_64_FIPS = 'BOTTLEROCKET_x86_64_FIPS',
  BOTTLEROCKET_ARM_64_FIPS = 'BOTTLEROCKET_ARM_64_FIPS',
  BOTTLEROCKET_X86_64_NVIDIA = 'BOTTLEROCKET_x86_64_NVIDIA',
  BOTTLEROCKET_ARM_64_NVIDIA = 'BOTTLEROCKET_ARM_64_NVIDIA',
  WINDOWS_CORE_2022_X86_64 = 'WINDOWS_CORE_2022_x86_64',
  WINDOWS_FULL_2022_X86_64 = 'WINDOWS_FULL_2022_x86_64',
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
   * AMI family of the nodes.
   *
   * @default - EKS chooses (AL2023 for x86_64 instance types)
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
   * @default - the cluster's Kubernetes version
   */
  readonly kubernetesVersion?: KubernetesVersion;
}

/** Per-cluster changes to a node pool of the profile: any field of `NodePoolOptions`. */
export type NodePoolOverrides = Partial<NodePoolOptions>;
