import {
  CapacityType, Cluster, ControlPlaneLog, EksAddon, EksClusterSpec, Fleet, KubernetesVersion, Profile,
} from '../src';

const fleet = new Fleet({
  name: 'acme',
  repoUrl: 'https://github.com/acme/platform-fleet.git', // the repository that holds dist/
  targetRevision: 'main',
  path: 'dist',
  // Where the management cluster (CAPA, Cluster API, Argo CD) calls the clusters' APIs from: its NAT gateways.
  management: { egressCidrs: ['203.0.113.10/32'] },
});

const standard = new EksClusterSpec(fleet, 'StandardSpec', {
  kubernetesVersion: KubernetesVersion.V1_34,
  region: 'us-east-1',
  nodePools: {
    general: { instanceType: 'm6i.large', minSize: 2, desiredSize: 3, maxSize: 6 },
    spot: { instanceType: 'c7i.xlarge', minSize: 0, maxSize: 10, capacityType: CapacityType.SPOT },
  },
  addons: [EksAddon.vpcCni(), EksAddon.coreDns(), EksAddon.kubeProxy(), EksAddon.ebsCsiDriver()],
  network: { vpcCidr: '10.30.0.0/16' },
  endpointAccess: { public: true, private: true, publicCidrs: ['203.0.113.0/24'] },
  controlPlaneLogging: [ControlPlaneLog.API_SERVER, ControlPlaneLog.AUDIT],
  tags: { 'cost-center': 'platform' },
});

const web = new Profile(fleet, 'web', { spec: standard, description: 'Clusters that serve the web tier' });

new Cluster(fleet, 'web-use1', { profiles: [web], labels: { env: 'prod' } });
new Cluster(fleet, 'web-euw1', {
  profiles: [web],
  labels: { env: 'prod' },
  overrides: { region: 'eu-west-1', nodePools: { general: { minSize: 3, maxSize: 12 } } },
});

fleet.synth();
