import { Construct } from 'constructs';
import { buildExampleFleet } from '../example/fleet';
import { Cluster, EksClusterSpec, FleetTesting, KubernetesVersion, Profile } from '../src';
import { argoCd } from './support/argo';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { bundleApplications } from './upstream/argocd-instance';

describe('FleetTesting', () => {
  const synthesized = FleetTesting.synth(buildExampleFleet());

  test('says which clusters get a bundle, as Argo CD generates its Applications', () => {
    expect(synthesized.clustersWithBundle('wordpress')).toEqual(['dev-euw1', 'dev-use1']);
    // the same clusters the ApplicationSet controller generates an Application for
    const generated = [...bundleApplications(argoCd(buildExampleFleet())).values()]
      .filter((app) => app.object.metadata.labels?.['arlon.io/bundle'] === 'wordpress')
      .map((app) => app.object.metadata.labels!['arlon.io/cluster']).sort();
    expect(synthesized.clustersWithBundle('wordpress')).toEqual(generated);
  });

  test('gives each cluster\'s control plane version, profiles, node pools and own values', () => {
    expect(synthesized.controlPlaneVersion('prod-use1')).toBe('v1.33');
    expect(synthesized.controlPlaneVersion('legacy-ops')).toBeUndefined();
    expect(synthesized.cluster('prod-euw1')).toMatchObject({ profiles: ['prod', 'observability'], region: 'eu-west-1' });
    expect(synthesized.cluster('prod-euw1').nodePools.map((p) => p.name)).toEqual(['gpu', 'system', 'workers']);
    expect(synthesized.bundle('wordpress').clusterValues['dev-euw1']).toMatchObject({ ingress: { hostname: 'blog.acme.example' } });
  });

  test('finds objects by kind and name, by folder and by cluster, and says what there is when one is missing', () => {
    // objects go by the cluster's names outside the repository, which the cluster read back gives
    const devUse1 = synthesized.cluster('dev-use1');
    expect(devUse1.controlPlaneName).toBe('acme--dev-use1-control-plane');
    expect(synthesized.object('AWSManagedControlPlane', devUse1.controlPlaneName!).spec).toMatchObject({ region: 'us-east-1' });
    expect(synthesized.clusterObjects('dev-use1').map((o) => o.kind)).toContain('MachinePool');
    expect(synthesized.objectsIn('fleet').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['AppProject/acme', 'Application/acme-management', 'Application/acme']);
    expect(() => synthesized.object('Cluster', 'nope')).toThrow('no Cluster named "nope" in the synthesized fleet; Clusters there: '
      + 'acme--canary-use1, acme--dev-euw1, acme--dev-use1, acme--prod-euw1, acme--prod-use1');
    expect(() => synthesized.cluster('nope')).toThrow('no cluster named "nope" in the synthesized fleet; its clusters: canary-use1, dev-euw1, dev-use1, legacy-ops, prod-euw1, prod-use1');
  });

  test('follows a profile change: the upgrade reaches every cluster of the profile, and nothing else', () => {
    const upgraded = FleetTesting.synth(buildExampleFleet({}, { devKubernetesVersion: KubernetesVersion.V1_35 }));
    for (const cluster of synthesized.clusters) {
      const expected = cluster.profiles.includes('dev') ? 'v1.35' : cluster.kubernetesVersion;
      expect([cluster.name, upgraded.controlPlaneVersion(cluster.name)]).toEqual([cluster.name, expected]);
    }
  });

  test('gives the files for a snapshot, sorted, exactly as the synth writes them', () => {
    const snapshot = synthesized.snapshot();
    expect(Object.keys(snapshot)).toEqual([...synthesized.files.keys()].sort());
    expect(new Map(Object.entries(snapshot))).toEqual(buildExampleFleet().renderFiles());
  });

  test('throws the synth\'s own error for a fleet that would not synthesize', () => {
    const fleet = testFleet();
    const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) });
    new Cluster(fleet, 'a', { profiles: [profile] });
    new Construct(fleet, 'Check').node.addValidation({ validate: () => ['bundle "x" was never added'] });
    expect(() => FleetTesting.synth(fleet)).toThrow('[Check] bundle "x" was never added');
  });
});
