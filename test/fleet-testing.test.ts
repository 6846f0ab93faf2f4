import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { buildExampleFleet } from '../example/fleet';
import { Cluster, EksClusterSpec, FleetTesting, KubernetesVersion, Match, Profile, RolloutPolicy, type Fleet } from '../src';
import { argoCd } from './support/argo';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { tempDir } from './support/fleet-files';
import { bundleApplications } from './upstream/argocd-instance';
import { readRolloutState } from '../src/rollout/rollout-state';
import { matchPattern } from '../src/testing/match';

describe('FleetTesting', () => {
  const synthesized = FleetTesting.synth(() => buildExampleFleet());

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
    const upgraded = FleetTesting.synth(() => buildExampleFleet({}, { devKubernetesVersion: KubernetesVersion.V1_35 }));
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

describe('FleetTesting is hermetic: state files come only from where it is told', () => {
  /** dev-a in the dev wave, prod-a in the prod wave; outdir left to the default, `dist` in the working directory. */
  const build = (version: KubernetesVersion) => (): Fleet => {
    const fleet = testFleet({ outdir: undefined });
    fleet.setDefaultRolloutPolicy(new RolloutPolicy(fleet, 'Waves', {
      waves: [{ name: 'dev', matchLabels: { env: 'dev' }, soak: Duration.hours(1) }, { name: 'prod' }],
    }));
    const profile = new Profile(fleet, 'standard', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps({ kubernetesVersion: version })) });
    new Cluster(fleet, 'dev-a', { profiles: [profile], labels: { env: 'dev' } });
    new Cluster(fleet, 'prod-a', { profiles: [profile], labels: { env: 'prod' } });
    return fleet;
  };
  const versions = (fleet: ReturnType<typeof FleetTesting.synth>) => ['dev-a', 'prod-a'].map((c) => fleet.controlPlaneVersion(c));

  let scratch: ReturnType<typeof tempDir>;
  const here = process.cwd();
  /**
   * Runs `test` from a fleet repository (where dist.rollout.yaml records 1.33 released everywhere) and from this
   * repository's root (whose dist.rollout.yaml is another fleet's).
   */
  const fromBoth = <T>(test: () => T): [T, T] => {
    process.chdir(scratch.dir);
    try {
      const inRepository = test();
      process.chdir(here);
      return [inRepository, test()];
    } finally {
      process.chdir(here);
    }
  };
  beforeAll(() => {
    scratch = tempDir();
    process.chdir(scratch.dir);
    try {
      build(KubernetesVersion.V1_33)().writeFiles();
    } finally {
      process.chdir(here);
    }
  });
  afterAll(() => scratch.cleanup());

  test('by default, no rollout state: every wave runs the code, from any working directory', () => {
    const [inRepository, elsewhere] = fromBoth(() => versions(FleetTesting.synth(build(KubernetesVersion.V1_34))));
    expect(inRepository).toEqual(['v1.34', 'v1.34']);
    expect(elsewhere).toEqual(inRepository);
  });

  test('the rollout state it is given, as a path or as the state, whatever the working directory', () => {
    const file = path.join(scratch.dir, 'dist.rollout.yaml');
    // the change reaches the dev wave; the prod wave keeps the revision the state records until promote
    const [inRepository, elsewhere] = fromBoth(() => versions(FleetTesting.synth(build(KubernetesVersion.V1_34), { rolloutState: file })));
    expect(inRepository).toEqual(['v1.34', 'v1.33']);
    expect(elsewhere).toEqual(inRepository);
    expect(versions(FleetTesting.synth(build(KubernetesVersion.V1_34), { rolloutState: readRolloutState(file)! }))).toEqual(['v1.34', 'v1.33']);
  });

  test('a fleet built before it reads the working directory\'s state is refused, with the fix', () => {
    process.chdir(scratch.dir);
    let built: Fleet;
    try {
      built = build(KubernetesVersion.V1_34)();
    } finally {
      process.chdir(here);
    }
    expect(() => FleetTesting.synth(built)).toThrow(/read .*dist\.rollout\.yaml while it was built, so the result would depend on the working directory; pass a function/);
    // built where there is no state, it reads nothing and gives the hermetic answer
    const empty = tempDir();
    process.chdir(empty.dir);
    try {
      built = build(KubernetesVersion.V1_34)();
    } finally {
      process.chdir(here);
      empty.cleanup();
    }
    expect(versions(FleetTesting.synth(built))).toEqual(['v1.34', 'v1.34']);
    expect(() => FleetTesting.synth(built, { rolloutState: { fleet: 'test', profiles: {} } }))
      .toThrow('`rolloutState` needs the fleet as a function that builds it');
    expect(() => FleetTesting.synth(build(KubernetesVersion.V1_34), { rolloutState: '/nonexistent/dist.rollout.yaml' })).toThrow(/does not exist/);
  });
});

describe('FleetTesting assertions, per cluster, in the manner of the aws-cdk\'s Template and Match', () => {
  const synthesized = FleetTesting.synth(() => buildExampleFleet());

  test('hasObject passes when one object of the kind matches, with plain values or matchers', () => {
    const prod = synthesized.cluster('prod-use1');
    prod.hasObject('AWSManagedControlPlane', { spec: { version: 'v1.33', region: 'us-east-1' } });
    prod.hasObject('AWSManagedControlPlane', Match.objectLike({ spec: { version: Match.stringLikeRegexp('^v1\\.3'), region: Match.anyValue() } }));
    prod.hasObject('Cluster', { metadata: { name: 'acme--prod-use1', annotations: Match.anyValue() }, spec: { paused: Match.absent() } });
    expect(prod.findObjects('AWSManagedMachinePool').length).toBeGreaterThan(0);
    expect(prod.findObjects('AWSManagedControlPlane', { spec: { version: 'v1.99' } })).toEqual([]);
  });

  test('hasObject fails with the closest object and the path of each difference', () => {
    expect(() => synthesized.cluster('prod-use1').hasObject('AWSManagedControlPlane', { spec: { version: 'v1.34', region: 'us-east-1', nope: Match.anyValue() } }))
      .toThrow(new RegExp('^cluster "prod-use1" has 1 AWSManagedControlPlane, but none matches.\\n'
        + 'The closest is AWSManagedControlPlane "acme--prod-use1-control-plane", with 2 differences:\\n'
        + '  /spec/version: expected "v1.34", received "v1.33"\\n'
        + '  /spec/nope: missing key \\(expected a value matching anyValue\\)\\nIt is:\\n  apiVersion: '));
    expect(() => synthesized.cluster('prod-euw1').hasObject('AWSManagedMachinePool', { spec: { instanceType: 'x1.large' } }))
      .toThrow(/has 3 AWSManagedMachinePools, but none matches.\n.*\n {2}\/spec\/instanceType: expected "x1.large", received /);
    expect(() => synthesized.cluster('legacy-ops').hasObject('Cluster', {})).toThrow('cluster "legacy-ops" has no Cluster');
  });

  test('objectCountIs counts one cluster\'s objects of a kind, and says what there is', () => {
    synthesized.cluster('prod-euw1').objectCountIs('AWSManagedMachinePool', 3);
    synthesized.cluster('legacy-ops').objectCountIs('Cluster', 0);
    expect(() => synthesized.cluster('prod-euw1').objectCountIs('MachinePool', 2))
      .toThrow(/^cluster "prod-euw1" has 3 MachinePool \(expected 2\): acme--prod-euw1-gpu, .*; its kinds: .*AWSManagedControlPlane \(1\)/);
  });

  test('gives the Applications Argo CD generates for a cluster from the bundles, as the ApplicationSet controller does', () => {
    const devUse1 = synthesized.cluster('dev-use1');
    const harness = [...bundleApplications(argoCd(buildExampleFleet())).values()]
      .filter((app) => app.object.metadata.labels?.['arlon.io/cluster'] === 'dev-use1').map((app) => app.object)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    expect(devUse1.applications.map((a) => a.metadata.name)).toEqual(harness.map((a) => a.metadata.name));
    expect(devUse1.applications.map((a) => a.spec)).toEqual(harness.map((a) => a.spec));
    expect(devUse1.applications.map((a) => a.metadata.labels?.['arlon.io/bundle']).sort()).toEqual([...devUse1.bundles].sort());
    devUse1.hasApplication('wordpress', { spec: { destination: { name: devUse1.argocdName } } });
    expect(() => devUse1.hasApplication('wordpress', { spec: { destination: { name: 'elsewhere' } } }))
      .toThrow(/has 1 Application of bundle "wordpress", but none matches.\n.*\n {2}\/spec\/destination\/name: expected "elsewhere", received "acme--dev-use1"/);
    expect(() => synthesized.cluster('prod-use1').application('wordpress')).toThrow(/^cluster "prod-use1" gets no Application of bundle "wordpress"; its bundles: /);
    // an external cluster gets its bundles' Applications too
    expect(synthesized.cluster('legacy-ops').applications.length).toBe(synthesized.cluster('legacy-ops').bundles.length);
  });

  test('a cluster still reads back as before (the assertions are not part of its fields)', () => {
    expect(synthesized.cluster('prod-euw1')).toEqual(synthesized.clusters.find((c) => c.name === 'prod-euw1'));
  });

  test('gives each cluster its own warnings: those about it, its profiles and their specs', () => {
    const fleet = testFleet();
    const odd = new Profile(fleet, 'odd', {
      spec: new EksClusterSpec(fleet, 'OddSpec', minimalSpecProps({ nodePools: { general: { instanceType: 'm99.large' } }, unlistedInstanceTypes: ['m99.large'] })),
    });
    const plain = new Profile(fleet, 'plain', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) });
    new Cluster(fleet, 'a', { profiles: [odd] });
    new Cluster(fleet, 'b', { profiles: [plain] });
    const result = FleetTesting.synth(fleet);
    expect(result.cluster('a').warnings.map((w) => w.path)).toEqual(['OddSpec']);
    expect(result.cluster('a').warnings[0].message).toMatch(/"m99.large" is not in the library's catalogue/);
    expect(result.cluster('b').warnings).toEqual([]);
  });
});

describe('Match', () => {
  test('objectLike, objectEquals, arrayWith, exact, absent, anyValue, not', () => {
    const value = { a: 1, b: { c: [1, 2, 3], d: 'x' } };
    expect(matchPattern(Match.objectLike({ b: { c: [1, 2, 3] } }), value)).toEqual([]);
    expect(matchPattern({ b: { c: [1, 2] } }, value)).toEqual([{ path: '/b/c', message: 'expected an array of 2, received one of 3: [1,2,3]' }]);
    expect(matchPattern({ b: { c: Match.arrayWith([1, 3]) } }, value)).toEqual([]);
    expect(matchPattern({ b: { c: Match.arrayWith([3, 1]) } }, value)).toEqual([
      { path: '/b/c', message: 'no element after index 2 matches pattern 1 of arrayWith (1); received [1,2,3]' },
    ]);
    expect(matchPattern(Match.objectEquals({ a: 1 }), value)).toEqual([{ path: '/b', message: 'unexpected key (objectEquals), with {"c":[1,2,3],"d":"x"}' }]);
    expect(matchPattern({ b: Match.exact({ d: 'x', c: [1, 2, 3] }) }, value)).toEqual([]);
    expect(matchPattern({ b: Match.exact({ d: 'x' }) }, value)).toHaveLength(1);
    expect(matchPattern({ z: Match.absent(), a: Match.anyValue() }, value)).toEqual([]);
    expect(matchPattern({ a: Match.absent() }, value)).toEqual([{ path: '/a', message: 'expected no value, received 1' }]);
    expect(matchPattern({ a: Match.not(2) }, value)).toEqual([]);
    expect(matchPattern({ 'a/b': 1 }, { 'a/b': 2 })).toEqual([{ path: '/a~1b', message: 'expected 1, received 2' }]);
  });
});

describe('per-cluster snapshots: a change shows once', () => {
  const before = FleetTesting.synth(() => buildExampleFleet());
  const after = FleetTesting.synth(() => buildExampleFleet({}, { devKubernetesVersion: KubernetesVersion.V1_35 }));

  test('a cluster\'s snapshot holds its own files: its Cluster API objects, its values and its bundle Applications', () => {
    const files = Object.keys(before.clusterSnapshot('dev-use1'));
    expect(files.every((f) => f.startsWith('clusters/dev-use1/') || f === 'bundles/wordpress/values/dev-use1.yaml' || f.startsWith('applications/'))).toBe(true);
    expect(files).toContain('bundles/wordpress/values/dev-use1.yaml');
    expect(files).toContain('applications/Application.acme--dev-use1--wordpress.yaml');
    expect(before.clusterSnapshot('dev-use1')).toEqual(before.cluster('dev-use1').snapshot());
  });

  test('the clusters\' snapshots and the shared one cover dist/, with the bundles\' ApplicationSets in the clusters\' Applications', () => {
    const ofClusters = before.clusters.flatMap((c) => Object.keys(before.clusterSnapshot(c.name)));
    const covered = new Set([...Object.keys(before.sharedSnapshot()), ...ofClusters]);
    const left = [...before.files.keys()].filter((f) => !covered.has(f));
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((f) => /^argocd\/shards\/\d+\/ApplicationSet\.acme-bundle-/.test(f))).toBe(true);
  });

  test('a profile change shows in the snapshot of each cluster it reaches, and nowhere else', () => {
    const changed = before.clusters.filter((c) => JSON.stringify(before.clusterSnapshot(c.name)) !== JSON.stringify(after.clusterSnapshot(c.name)));
    expect(changed.map((c) => c.name)).toEqual(before.clusters.filter((c) => c.profiles.includes('dev')).map((c) => c.name));
    expect(after.sharedSnapshot()).toEqual(before.sharedSnapshot());
  });
});

test('the README\'s "Test your fleet" example is test/readme-fleet-testing.test.ts, word for word', () => {
  const root = path.resolve(__dirname, '..');
  const source = fs.readFileSync(path.join(root, 'test/readme-fleet-testing.test.ts'), 'utf8')
    .replace("from '../src';", "from 'cdk8s-arlon';").replace("from './support/readme-fleet';", "from '../src/fleet';");
  expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${source}\`\`\``);
});
