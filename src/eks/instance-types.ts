/** The CPU architecture of an EC2 instance type. */
export type CpuArchitecture = 'x86_64' | 'arm64';

/** The accelerator an EKS AMI must bring drivers for. */
export type Accelerator = 'nvidia' | 'neuron' | 'none';

/** What the library reads from an EC2 instance type name. */
export interface InstanceTypeClass {
  readonly family: string;
  readonly architecture: CpuArchitecture;
  readonly accelerator: Accelerator;
}

const NAME = /^([a-z]+)(\d+)([a-z-]*)\.[a-z0-9-]+$/;

/**
 * Reads architecture and accelerator from an instance type name, following EC2's naming convention
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html): series letters, generation,
 * then attributes, where `g` marks AWS Graviton (arm64), e.g. `m7g`, `c7gn`, `r8gd`, `g5g`; the first Graviton
 * family is `a1`. NVIDIA GPUs are the `p`, `g` and `gr` series except AMD's (`a` attribute: `g4ad`); Inferentia and
 * Trainium (`inf`, `trn`) use AWS Neuron.
 */
export function classifyInstanceType(instanceType: string): InstanceTypeClass {
  const match = NAME.exec(instanceType);
  if (match === null) {
    return { family: instanceType, architecture: 'x86_64', accelerator: 'none' };
  }
  const [, series, generation, attributes] = match;
  const family = `${series}${generation}${attributes}`;
  const architecture: CpuArchitecture = attributes.includes('g') || family === 'a1' ? 'arm64' : 'x86_64';
  let accelerator: Accelerator = 'none';
  if (series === 'inf' || series === 'trn') {
    accelerator = 'neuron';
  } else if ((series === 'p' || series === 'g' || series === 'gr') && !attributes.includes('a')) {
    accelerator = 'nvidia';
  }
  return { family, architecture, accelerator };
}
