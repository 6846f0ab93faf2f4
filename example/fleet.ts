import {
  AmiType, AwsIdentity, CapacityType, Cluster, ControlPlaneLog, EksAddon, EksClusterSpec, Fleet, KubernetesVersion, Profile, TaintEffect,
  type FleetProps,
} from '../src';

/**
 * The example fleet of this repository, synthesized into the committed `dist/`: two profiles ("dev" and "prod") and
 * four clusters across us-east-1 and eu-west-1, one of them with overrides.
 */
export function buildExampleFleet(props: Partial<FleetProps> = {}): Fleet {
  const fleet = new Fleet({
    name: 'acme',
    repoUrl: 'https://github.com/acme/platform-fleet.git',
    targetRevision: 'main',
    path: 'dist',
    ...props,
  });

  const devSpec = new EksClusterSpec(fleet, 'DevSpec', {
    kubernetesVersion: KubernetesVersion.V1_34,
    region: 'us-east-1',
    nodePools: {
      general: { instanceType: 'm6i.large', minSize: 1, desiredSize: 2, maxSize: 4, capacityType: CapacityType.SPOT, diskSizeGiB: 50 },
    },
    addons: [EksAddon.vpcCni(), EksAddon.coreDns(), EksAddon.kubeProxy()],
    network: { vpcCidr: '10.10.0.0/16', availabilityZoneCount: 2 },
    controlPlaneLogging: [ControlPlaneLog.API_SERVER, ControlPlaneLog.AUDIT],
    tags: { 'cost-center': 'platform-dev' },
  });

  const prodSpec = new EksClusterSpec(fleet, 'ProdSpec', {
    kubernetesVersion: KubernetesVersion.V1_33,
    region: 'us-east-1',
    nodePools: {
      system: {
        instanceType: 'm6i.xlarge',
        minSize: 3,
        maxSize: 6,
        amiType: AmiType.AL2023_X86_64_STANDARD,
        labels: { 'node-role': 'system' },
        taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
      },
      workers: { instanceType: 'm6i.2xlarge', minSize: 3, desiredSize: 6, maxSize: 20, diskSizeGiB: 100, labels: { 'node-role': 'worker' } },
    },
    addons: [
      EksAddon.vpcCni({ configuration: { env: { ENABLE_PREFIX_DELEGATION: 'true' } } }),
      EksAddon.coreDns(),
      EksAddon.kubeProxy(),
      EksAddon.ebsCsiDriver({ serviceAccountRoleArn: 'arn:aws:iam::111122223333:role/acme-ebs-csi' }),
    ],
    network: { vpcCidr: '10.20.0.0/16' },
    endpointAccess: { public: true, private: true, publicCidrs: ['203.0.113.0/24'] },
    controlPlaneLogging: Object.values(ControlPlaneLog),
    identity: AwsIdentity.role('acme-prod'),
    sshKeyName: 'acme-prod-ops',
    tags: { 'cost-center': 'platform-prod', 'environment': 'production' },
  });

  const dev = new Profile(fleet, 'dev', { spec: devSpec, description: 'Development clusters: small, spot capacity' });
  const prod = new Profile(fleet, 'prod', { spec: prodSpec, description: 'Production clusters: private endpoint, all logs, EBS CSI' });

  new Cluster(fleet, 'dev-use1', { profiles: [dev], labels: { env: 'dev', region: 'us-east-1' } });
  new Cluster(fleet, 'dev-euw1', {
    profiles: [dev],
    labels: { env: 'dev', region: 'eu-west-1' },
    overrides: { region: 'eu-west-1' },
  });
  new Cluster(fleet, 'prod-use1', { profiles: [prod], labels: { env: 'prod', region: 'us-east-1' } });
  const prodEuw1 = new Cluster(fleet, 'prod-euw1', {
    profiles: [prod],
    labels: { env: 'prod', region: 'eu-west-1' },
    overrides: {
      region: 'eu-west-1',
      nodePools: { workers: { minSize: 6, desiredSize: 8, maxSize: 30 } },
      endpointAccess: { public: true, private: true, publicCidrs: ['198.51.100.0/24'] },
      tags: { 'data-residency': 'eu' },
    },
  });
  prodEuw1.addNodePool('gpu', {
    instanceType: 'g5.xlarge',
    minSize: 0,
    maxSize: 4,
    amiType: AmiType.AL2023_X86_64_NVIDIA,
    taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
  });

  return fleet;
}
