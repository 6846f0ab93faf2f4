import { FleetTesting, KubernetesVersion, Match } from '../src';
import { buildFleet } from './support/readme-fleet';

// A function that builds the fleet: FleetTesting builds it with the rollout state the test gives (none here), never
// with the dist.rollout.yaml of the working directory.
const fleet = FleetTesting.synth(() => buildFleet());

test('the 1.35 upgrade reaches the dev clusters only', () => {
  const upgraded = FleetTesting.synth(() => buildFleet({ devVersion: KubernetesVersion.V1_35 }));
  upgraded.cluster('dev-use1').hasObject('AWSManagedControlPlane', { spec: { version: 'v1.35' } });
  upgraded.cluster('prod-use1').hasObject('AWSManagedControlPlane', { spec: { version: 'v1.33' } });
  upgraded.cluster('dev-use1').hasObject('MachinePool', { spec: { template: { spec: { version: 'v1.35.0' } } } });
});

test('wordpress goes to the dev clusters, with their own hostnames', () => {
  expect(fleet.clustersWithBundle('wordpress')).toEqual(['dev-euw1', 'dev-use1']); // the Applications Argo CD generates
  fleet.cluster('dev-euw1').hasApplication('wordpress', {
    spec: { destination: { namespace: 'wordpress' }, sources: Match.arrayWith([Match.objectLike({ targetRevision: '28.1.5' })]) },
  });
  expect(fleet.bundle('wordpress').clusterValues['dev-euw1']).toMatchObject({ ingress: { hostname: 'blog.acme.example' } });
  fleet.cluster('prod-euw1').objectCountIs('AWSManagedMachinePool', 3);
});

test('no warnings but the reviewed ones', () => {
  for (const cluster of fleet.clusters) {
    expect([cluster.name, fleet.cluster(cluster.name).warnings]).toEqual([cluster.name, []]);
  }
});

// One snapshot per cluster, and one of what no cluster owns: a profile change shows once per cluster it reaches.
test.each(fleet.clusters.map((c) => c.name))('cluster %s as reviewed', (name) => {
  expect(fleet.clusterSnapshot(name)).toMatchSnapshot();
});

test('the rest of dist/ as reviewed', () => {
  expect(fleet.sharedSnapshot()).toMatchSnapshot();
});
