import { AmiType, cidrSubnet, classifyInstanceType, Cluster, defaultAmiType, EksClusterSpec, Profile } from '../src';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { findObject, parseFiles } from './support/fleet-files';

describe('the AMI type a pool gets from its instance type', () => {
  test.each([
    ['m6i.large', 'x86_64', 'none', AmiType.AL2023_X86_64_STANDARD],
    ['m7i-flex.large', 'x86_64', 'none', AmiType.AL2023_X86_64_STANDARD],
    ['c7a.2xlarge', 'x86_64', 'none', AmiType.AL2023_X86_64_STANDARD],
    ['m7g.large', 'arm64', 'none', AmiType.AL2023_ARM_64_STANDARD],
    ['c7gn.xlarge', 'arm64', 'none', AmiType.AL2023_ARM_64_STANDARD],
    ['r8gd.4xlarge', 'arm64', 'none', AmiType.AL2023_ARM_64_STANDARD],
    ['im4gn.large', 'arm64', 'none', AmiType.AL2023_ARM_64_STANDARD],
    ['a1.large', 'arm64', 'none', AmiType.AL2023_ARM_64_STANDARD],
    ['g5.xlarge', 'x86_64', 'nvidia', AmiType.AL2023_X86_64_NVIDIA],
    ['g6e.12xlarge', 'x86_64', 'nvidia', AmiType.AL2023_X86_64_NVIDIA],
    ['p5.48xlarge', 'x86_64', 'nvidia', AmiType.AL2023_X86_64_NVIDIA],
    ['gr6.4xlarge', 'x86_64', 'nvidia', AmiType.AL2023_X86_64_NVIDIA],
    ['g5g.xlarge', 'arm64', 'nvidia', AmiType.AL2023_ARM_64_NVIDIA],
    ['g4ad.xlarge', 'x86_64', 'none', AmiType.AL2023_X86_64_STANDARD],
    ['inf2.xlarge', 'x86_64', 'neuron', AmiType.AL2023_X86_64_NEURON],
    ['trn1.2xlarge', 'x86_64', 'neuron', AmiType.AL2023_X86_64_NEURON],
  ])('%s: %s, accelerator %s, %s', (instanceType, architecture, accelerator, amiType) => {
    expect(classifyInstanceType(instanceType)).toMatchObject({ architecture, accelerator });
    expect(defaultAmiType(instanceType)).toBe(amiType);
  });

  test('is written into the pool, and follows an override of the instance type', () => {
    const fleet = testFleet();
    const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) });
    const x86 = new Cluster(fleet, 'x86', { profiles: [profile] });
    const arm = new Cluster(fleet, 'arm', { profiles: [profile], overrides: { nodePools: { general: { instanceType: 'm7g.large' } } } });
    const objects = parseFiles(fleet.renderFiles());
    const amiType = (cluster: Cluster) => (findObject(objects, 'AWSManagedMachinePool', `${cluster.names.base}-general`).spec as { amiType: string }).amiType;
    expect(amiType(x86)).toBe('AL2023_x86_64_STANDARD');
    expect(amiType(arm)).toBe('AL2023_ARM_64_STANDARD');
  });
});

describe('a VPC block per cluster', () => {
  test('cidrSubnet numbers blocks as Terraform\'s cidrsubnet does, and refuses what does not fit', () => {
    expect(cidrSubnet('10.0.0.0/8', 8, 3)).toBe('10.3.0.0/16');
    expect(cidrSubnet('10.20.0.0/14', 2, 1)).toBe('10.21.0.0/16');
    expect(cidrSubnet('172.16.0.0/12', 4, 15)).toBe('172.31.0.0/16');
    expect(() => cidrSubnet('10.0.0.0/8', 8, 256)).toThrow('cidrSubnet: network number 256 does not fit in 8 bits (0 to 255) of 10.0.0.0/8');
    expect(() => cidrSubnet('10.0.0.0/30', 4, 0)).toThrow('cidrSubnet: 4 new bits on 10.0.0.0/30 give /34; use 1 to 2 new bits');
    expect(() => cidrSubnet('10.0.0/8', 8, 0)).toThrow('cidrSubnet: "10.0.0/8" is not an IPv4 CIDR block such as "10.0.0.0/8"');
  });

  test('vpcCidrForCluster gives each cluster of a profile the block computed from it', () => {
    const fleet = testFleet();
    const seen: unknown[] = [];
    const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps({
      network: {
        vpcCidrForCluster: (cluster) => {
          seen.push(cluster);
          return cidrSubnet('10.64.0.0/10', 6, Number(cluster.labels['vpc-number']));
        },
        availabilityZoneCount: 2,
      },
    }));
    const profile = new Profile(fleet, 'p', { spec });
    const a = new Cluster(fleet, 'a', { profiles: [profile], labels: { 'vpc-number': '0' } });
    const b = new Cluster(fleet, 'b', { profiles: [profile], labels: { 'vpc-number': '5' }, overrides: { region: 'eu-west-1' } });
    const objects = parseFiles(fleet.renderFiles());
    const network = (cluster: Cluster) =>
      (findObject(objects, 'AWSManagedControlPlane', `${cluster.names.base}-control-plane`).spec as { network: unknown }).network;
    expect(network(a)).toEqual({ vpc: { cidrBlock: '10.64.0.0/16', availabilityZoneUsageLimit: 2 } });
    expect(network(b)).toEqual({ vpc: { cidrBlock: '10.69.0.0/16', availabilityZoneUsageLimit: 2 } });
    expect(seen).toEqual([
      { name: 'a', labels: { 'vpc-number': '0' }, region: 'us-east-1' },
      { name: 'b', labels: { 'vpc-number': '5' }, region: 'eu-west-1' },
    ]);
  });
});
