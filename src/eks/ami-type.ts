import { classifyInstanceType, type CpuArchitecture } from './instance-types';

/** The EKS-optimized AMI family of a node pool (the values of AWSManagedMachinePool `amiType` that EKS still offers). */
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
  /**
   * Amazon Linux 2: only for pools at Kubernetes 1.32 or earlier, to describe a pool that already runs it (CAPA's
   * old default). EKS released no AL2 AMIs after 1.32, so such a pool must be replaced by an AL2023 pool before the
   * cluster moves to 1.33; the synth and `arlonctl plan` refuse to carry it across.
   */
  AL2_X86_64 = 'AL2_x86_64',
  /** Amazon Linux 2 with NVIDIA drivers: Kubernetes 1.32 or earlier only (see `AL2_X86_64`). */
  AL2_X86_64_GPU = 'AL2_x86_64_GPU',
  /** Amazon Linux 2 on Graviton: Kubernetes 1.32 or earlier only (see `AL2_X86_64`). */
  AL2_ARM_64 = 'AL2_ARM_64',
}

/**
 * The last Kubernetes minor with Amazon Linux 2 AMIs: "Kubernetes version 1.32 is the last version for which Amazon
 * EKS released AL2 AMIs" (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-extended.html).
 */
export const LAST_AL2_KUBERNETES_MINOR = 32;

/** Whether the AMI type is Amazon Linux 2. */
export function isAmazonLinux2(amiType: string): boolean {
  return amiType.startsWith('AL2_');
}

/** The CPU architecture an AMI type boots. */
export function amiTypeArchitecture(amiType: AmiType): CpuArchitecture {
  return /ARM_64/.test(amiType) ? 'arm64' : 'x86_64';
}

/**
 * The AMI type a pool gets when it names none: Amazon Linux 2023 for the instance type's architecture, with the
 * NVIDIA or Neuron drivers its accelerator needs.
 */
export function defaultAmiType(instanceType: string): AmiType {
  const { architecture, accelerator } = classifyInstanceType(instanceType);
  if (accelerator === 'nvidia') {
    return architecture === 'arm64' ? AmiType.AL2023_ARM_64_NVIDIA : AmiType.AL2023_X86_64_NVIDIA;
  }
  if (accelerator === 'neuron') {
    return AmiType.AL2023_X86_64_NEURON;
  }
  return architecture === 'arm64' ? AmiType.AL2023_ARM_64_STANDARD : AmiType.AL2023_X86_64_STANDARD;
}
