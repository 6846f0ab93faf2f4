import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as YAML from 'yaml';
import {
  Bundle, Bundles, Cluster, EksAddon, EksClusterSpec, KubernetesVersion, Profile, RolloutPolicy, cidrSubnet,
  type EksClusterSpecProps, type RolloutState, type WaveOptions,
} from '../src';
import { argoCdOnDist, specOf } from './support/argo';
import { CrdSchemas } from './support/crd-schemas';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { changedPaths, parseFiles, readTree, tempDir } from './support/fleet-files';
import { bundleApplications } from './upstream/argocd-instance';
import { validateAnnotations } from './upstream/k8s-validation';
import { describeCluster } from '../src/cli/actions/describe';
import { readDist, readDistFiles } from '../src/operations/dist-fleet';
import { computePlan } from '../src/operations/plan';
import { profileProgress, promotionRefusals, releaseStep } from '../src/operations/rollout-progress';
import { readRolloutState, writeRolloutState } from '../src/rollout/rollout-state';
import { specFromData, specToData } from '../src/rollout/spec-data';

const WAVES: WaveOptions[] = [
  { name: 'dev', matchLabels: { env: 'dev' }, soak: Duration.hours(1) },
  { name: 'prod', maxClusters: 1, requireApproval: true },
];

/** One profile ("standard") on three clusters, dev-a in the dev wave, prod-a and prod-b in the prod wave (the rest). */
interface FleetShape {
  readonly spec?: Partial<EksClusterSpecProps>;
  readonly bundles?: Bundle[];
  readonly bundleValues?: Record<string, Record<string, Record<string, unknown>>>;
  readonly clusters?: Record<string, Record<string, string>>;
  readonly overrides?: Record<string, EksClusterSpecProps['nodePools']>;
  readonly waves?: WaveOptions[];
}

const CLUSTERS = { 'dev-a': { env: 'dev' }, 'prod-a': { env: 'prod' }, 'prod-b': { env: 'prod' } };

/** Synthesizes the fleet into `dir/dist` (dist.rollout.yaml beside it); returns the clusters and what the synth said. */
function synth(dir: string, shape: FleetShape = {}): { clusters: Map<string, Cluster>; summary: string } {
  const fleet = testFleet({ outdir: path.join(dir, 'dist') });
  fleet.setDefaultRolloutPolicy(new RolloutPolicy(fleet, 'Waves', { waves: shape.waves ?? WAVES }));
  const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps({ kubernetesVersion: KubernetesVersion.V1_33, ...shape.spec }));
  const profile = new Profile(fleet, 'standard', { spec, bundles: shape.bundles });
  const clusters = new Map(Object.entries(shape.clusters ?? CLUSTERS).map(([name, labels]) => [name, new Cluster(fleet, name, {
    profiles: [profile],
    labels,
    overrides: shape.overrides?.[name] === undefined ? undefined : { nodePools: shape.overrides[name] },
    bundleValues: shape.bundleValues?.[name],
  })]));
  let summary = '';
  fleet._synthesize((text) => (summary += text));
  return { clusters, summary };
}

const state = (dir: string) => readRolloutState(path.join(dir, 'dist.rollout.yaml'))!;
/** The Kubernetes version of `cluster`'s control plane in dist/ (its file is named after the object, not the cluster). */
const controlPlaneVersion = (dir: string, cluster: string) => {
  const folder = path.join(dir, 'dist/clusters', cluster);
  const file = fs.readdirSync(folder).find((f) => f.startsWith('AWSManagedControlPlane.'))!;
  return (YAML.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as { spec: { version: string } }).spec.version;
};

/** Releases the next step of "standard" as `arlonctl rollout promote` does (without the health gate), and synthesizes. */
function promote(dir: string, shape: FleetShape = {}): string[] {
  const progress = profileProgress('standard', state(dir).profiles.standard, readDist(path.join(dir, 'dist')).clusters);
  writeRolloutState(path.join(dir, 'dist.rollout.yaml'), releaseStep(state(dir), 'standard', progress.next!));
  synth(dir, shape);
  return [...progress.next!.clusters];
}

describe('a rollout policy', () => {
  let out: { dir: string; cleanup: () => void };
  beforeEach(() => (out = tempDir()));
  afterEach(() => out.cleanup());

  test('records every wave at the code\'s revision on the first synth, and rewrites nothing on the next', () => {
    const { clusters, summary } = synth(out.dir);
    expect(summary).toContain('; dist.rollout.yaml updated');
    const recorded = state(out.dir).profiles.standard;
    expect(recorded.waves.map((w) => [w.name, w.clusters, w.revision])).toEqual([['dev', 1, recorded.target], ['prod', 2, recorded.target]]);
    expect(recorded.waves[0]).toMatchObject({ soak: '1h', matchLabels: { env: 'dev' } });
    expect(recorded.waves[1]).toMatchObject({ maxClusters: 1, requireApproval: true });
    expect(Object.keys(recorded.revisions)).toEqual([recorded.target]);
    expect(clusters.get('prod-b')!.rollout).toMatchObject({ wave: { name: 'prod' }, revision: recorded.target });
    expect(clusters.get('prod-b')!.rollout!.releasedSpec).toBeUndefined();
    // the Cluster says where it stands, for `arlonctl rollout`
    const capi = readDist(path.join(out.dir, 'dist')).clusters.find((c) => c.name === 'prod-b')!;
    expect(capi).toMatchObject({ rolloutWave: 'prod', specRevision: recorded.target });
    expect(synth(out.dir).summary).not.toContain('dist.rollout.yaml');
  });

  test.each<[string, Partial<EksClusterSpecProps>]>([
    ['the Kubernetes version', { kubernetesVersion: KubernetesVersion.V1_34 }],
    ['a node pool', { nodePools: { general: { instanceType: 'm6i.xlarge', maxSize: 5 } } }],
    ['a node pool\'s AMI release', { nodePools: { general: { instanceType: 'm6i.large', amiReleaseVersion: '1.33.5-20251103' } } }],
    ['an add-on', { addons: [EksAddon.vpcCni({ version: 'v1.20.1-eksbuild.1' })] }],
    ['tags', { tags: { team: 'platform' } }],
    ['the endpoint', { endpointAccess: { public: true, private: true, publicCidrs: ['203.0.113.0/24'] } }],
  ])('releases a change of %s to the dev wave only, and keeps the prod clusters exactly as released', (_what, change) => {
    // GIVEN the fleet as released
    synth(out.dir);
    const released = readTree(path.join(out.dir, 'dist'));
    const before = state(out.dir).profiles.standard.target;
    // WHEN the profile's spec changes
    const { summary } = synth(out.dir, { spec: change });
    expect(summary).toMatch(/\nprofile "standard": revision \w{12} reaches wave dev with this commit; held back: wave prod: prod-a, prod-b \(at \w{12}\); `arlonctl rollout promote standard` releases the next wave/);
    // THEN only dev-a's files change (and the shard's ApplicationSet, never): prod-a and prod-b are byte for byte as released
    const changed = changedPaths(released, readTree(path.join(out.dir, 'dist')));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((file) => file.startsWith('clusters/dev-a/'))).toBe(true);
    // AND dist.rollout.yaml says so: the new target, the dev wave at it, prod at the revision before, both specs held
    const after = state(out.dir).profiles.standard;
    expect(after.target).not.toBe(before);
    expect(after.waves.map((w) => w.revision)).toEqual([after.target, before]);
    expect(Object.keys(after.revisions).sort()).toEqual([after.target, before].sort());
  });

  test('releases the prod wave one cluster per step (maxClusters), in name order', () => {
    synth(out.dir);
    synth(out.dir, { spec: { kubernetesVersion: KubernetesVersion.V1_34 } });
    expect(promote(out.dir, { spec: { kubernetesVersion: KubernetesVersion.V1_34 } })).toEqual(['prod-a']);
    expect(['dev-a', 'prod-a', 'prod-b'].map((c) => controlPlaneVersion(out.dir, c))).toEqual(['v1.34', 'v1.34', 'v1.33']);
    const partial = state(out.dir).profiles.standard;
    expect(partial.waves[1]).toMatchObject({ revision: expect.not.stringMatching(partial.target), released: { 'prod-a': partial.target } });
    expect(promote(out.dir, { spec: { kubernetesVersion: KubernetesVersion.V1_34 } })).toEqual(['prod-b']);
    const done = state(out.dir).profiles.standard;
    // complete: every wave at the target, nothing released ahead, only the target's spec kept
    expect(done.waves.map((w) => [w.revision, w.released])).toEqual([[done.target, undefined], [done.target, undefined]]);
    expect(Object.keys(done.revisions)).toEqual([done.target]);
  });

  test('gives a cluster added during a rollout the revision of its wave', () => {
    synth(out.dir);
    const v134 = { kubernetesVersion: KubernetesVersion.V1_34 };
    synth(out.dir, { spec: v134 });
    synth(out.dir, { spec: v134, clusters: { ...CLUSTERS, 'dev-b': { env: 'dev' }, 'prod-c': { env: 'prod' } } });
    expect(controlPlaneVersion(out.dir, 'dev-b')).toBe('v1.34');
    expect(controlPlaneVersion(out.dir, 'prod-c')).toBe('v1.33');
  });

  test('applies a held cluster\'s own overrides at once, over the revision its wave runs', () => {
    synth(out.dir);
    const v134 = { kubernetesVersion: KubernetesVersion.V1_34 };
    synth(out.dir, { spec: v134 });
    const { clusters } = synth(out.dir, { spec: v134, overrides: { 'prod-b': { general: { instanceType: 'm6i.large', maxSize: 9 } } } });
    const poolFile = `dist/clusters/prod-b/AWSManagedMachinePool.${clusters.get('prod-b')!.names.base}-general.yaml`;
    const pool = YAML.parse(fs.readFileSync(path.join(out.dir, poolFile), 'utf8')) as
      { spec: { scaling: { maxSize: number } } };
    expect(pool.spec.scaling.maxSize).toBe(9);
    expect(controlPlaneVersion(out.dir, 'prod-b')).toBe('v1.33');
  });

  test('supersedes: a new change while rolling out goes to the dev wave, and released clusters keep what they got', () => {
    synth(out.dir);
    const first = state(out.dir).profiles.standard.target;
    synth(out.dir, { spec: { kubernetesVersion: KubernetesVersion.V1_34 } });
    const second = state(out.dir).profiles.standard.target;
    promote(out.dir, { spec: { kubernetesVersion: KubernetesVersion.V1_34 } });
    // WHEN a second change comes before prod-b got the first
    const { summary } = synth(out.dir, { spec: { kubernetesVersion: KubernetesVersion.V1_34, tags: { team: 'platform' } } });
    const third = state(out.dir).profiles.standard;
    // THEN the synth says so
    expect(summary).toContain(`profile "standard": revision ${third.target} reaches wave dev with this commit; it supersedes the rollout of revision ${second}, `
      + `whose released clusters keep it until this one reaches them; held back: wave prod: prod-a, prod-b (at ${[first, second].sort().join(', ')}); `
      + '`arlonctl rollout promote standard` releases the next wave once the released clusters are healthy\n');
    expect(['dev-a', 'prod-a', 'prod-b'].map((c) => readDist(path.join(out.dir, 'dist')).clusters.find((x) => x.name === c)!.specRevision))
      .toEqual([third.target, second, first]);
    expect(Object.keys(third.revisions).sort()).toEqual([first, second, third.target].sort());
  });

  test('abort, then the revert: the clusters that run the aborted revision follow the code at once', () => {
    synth(out.dir);
    const first = state(out.dir).profiles.standard.target;
    synth(out.dir, { spec: { kubernetesVersion: KubernetesVersion.V1_34 } });
    promote(out.dir, { spec: { kubernetesVersion: KubernetesVersion.V1_34 } });
    const aborted = state(out.dir);
    writeRolloutState(path.join(out.dir, 'dist.rollout.yaml'), { ...aborted, profiles: { standard: { ...aborted.profiles.standard, aborted: aborted.profiles.standard.target } } });
    // WHEN the change is reverted in the code
    expect(synth(out.dir).summary).toContain('; the clusters that ran aborted revision');
    expect(['dev-a', 'prod-a', 'prod-b'].map((c) => controlPlaneVersion(out.dir, c))).toEqual(['v1.33', 'v1.33', 'v1.33']);
    const after = state(out.dir).profiles.standard;
    expect(after).toMatchObject({ target: first, revisions: { [first]: expect.anything() } });
    expect(after.aborted).toBeUndefined();
    expect(Object.keys(after.revisions)).toEqual([first]);
  });

  test('a first wave released in steps: the change waits for promote', () => {
    const waves: WaveOptions[] = [{ name: 'canary', matchLabels: { env: 'dev' }, maxClusters: 1 }, { name: 'rest' }];
    const shape = { waves, clusters: { ...CLUSTERS, 'dev-b': { env: 'dev' } } };
    synth(out.dir, shape);
    const v134 = { ...shape, spec: { kubernetesVersion: KubernetesVersion.V1_34 } };
    synth(out.dir, v134);
    expect(['dev-a', 'dev-b'].map((c) => controlPlaneVersion(out.dir, c))).toEqual(['v1.33', 'v1.33']);
    expect(promote(out.dir, v134)).toEqual(['dev-a']);
    expect(['dev-a', 'dev-b'].map((c) => controlPlaneVersion(out.dir, c))).toEqual(['v1.34', 'v1.33']);
  });

  describe('only promote releases', () => {
    const v134 = { kubernetesVersion: KubernetesVersion.V1_34 };
    const versions = () => Object.fromEntries(readDist(path.join(out.dir, 'dist')).clusters.map((c) => [c.name, controlPlaneVersion(out.dir, c.name)]));

    /**
     * "standard" on prod-a and prod-b only (and `devOfStandard` in the dev wave), and "other" with a dev cluster: one
     * policy whose prod wave is released whole, on approval.
     */
    const twoProfiles = (spec: Partial<EksClusterSpecProps>, devOfStandard: boolean) => {
      const fleet = testFleet({ outdir: path.join(out.dir, 'dist') });
      const waves: WaveOptions[] = [{ name: 'dev', matchLabels: { env: 'dev' } }, { name: 'prod', requireApproval: true }];
      fleet.setDefaultRolloutPolicy(new RolloutPolicy(fleet, 'Waves', { waves }));
      const standard = new Profile(fleet, 'standard', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps({ kubernetesVersion: KubernetesVersion.V1_33, ...spec })) });
      const other = new Profile(fleet, 'other', { spec: new EksClusterSpec(fleet, 'Other', minimalSpecProps({ kubernetesVersion: KubernetesVersion.V1_33 })) });
      new Cluster(fleet, 'dev-other', { profiles: [other], labels: { env: 'dev' } });
      for (const name of ['prod-a', 'prod-b', ...(devOfStandard ? ['dev-a'] : [])]) {
        new Cluster(fleet, name, { profiles: [standard], labels: { env: name.startsWith('dev') ? 'dev' : 'prod' } });
      }
      let summary = '';
      fleet._synthesize((text) => (summary += text));
      return summary;
    };

    test('a change to a profile whose first wave holds none of its clusters reaches none; promote releases the next wave under its gates', () => {
      twoProfiles({}, false);
      const summary = twoProfiles(v134, false);
      expect(versions()).toMatchObject({ 'prod-a': 'v1.33', 'prod-b': 'v1.33' });
      expect(summary).toContain('profile "standard": revision');
      expect(summary).toContain('reaches no cluster yet');
      // the dev wave holds none of its clusters: the next step is prod, which requires approval
      const progress = profileProgress('standard', state(out.dir).profiles.standard, readDist(path.join(out.dir, 'dist')).clusters);
      expect(progress.next).toMatchObject({ wave: { name: 'prod', requireApproval: true }, clusters: ['prod-a', 'prod-b'] });
      expect(promotionRefusals(progress, new Map(), { now: new Date(), approve: false })).toEqual([
        'wave prod requires approval; release it with `arlonctl rollout promote standard --approve`',
      ]);
    });

    test('a change after the profile\'s clusters left the first wave releases nothing', () => {
      twoProfiles({}, true);
      twoProfiles({}, false);
      expect(state(out.dir).profiles.standard.waves.map((w) => w.clusters)).toEqual([0, 2]);
      twoProfiles(v134, false);
      expect(versions()).toMatchObject({ 'prod-a': 'v1.33', 'prod-b': 'v1.33' });
    });

    test('a renamed wave keeps its clusters at the revision they run', () => {
      synth(out.dir);
      synth(out.dir, { spec: v134 });
      expect(versions()).toEqual({ 'dev-a': 'v1.34', 'prod-a': 'v1.33', 'prod-b': 'v1.33' });
      const renamed: WaveOptions[] = [WAVES[0], { ...WAVES[1], name: 'production' }];
      synth(out.dir, { spec: v134, waves: renamed });
      expect(versions()).toEqual({ 'dev-a': 'v1.34', 'prod-a': 'v1.33', 'prod-b': 'v1.33' });
      const production = state(out.dir).profiles.standard.waves.find((w) => w.name === 'production')!;
      expect(Object.keys(production.released ?? {})).toEqual(['prod-a', 'prod-b']);
      // and promote releases them, one at a time, under the wave's approval
      expect(promote(out.dir, { spec: v134, waves: renamed })).toEqual(['prod-a']);
      expect(versions()).toEqual({ 'dev-a': 'v1.34', 'prod-a': 'v1.34', 'prod-b': 'v1.33' });
    });

    test('a cluster relabelled into a released wave keeps its revision until promoted; one relabelled out keeps the newer one', () => {
      synth(out.dir);
      synth(out.dir, { spec: v134 });
      synth(out.dir, { spec: v134, clusters: { 'dev-a': { env: 'prod' }, 'prod-a': { env: 'dev' }, 'prod-b': { env: 'prod' } } });
      expect(versions()).toEqual({ 'dev-a': 'v1.34', 'prod-a': 'v1.33', 'prod-b': 'v1.33' });
      const progress = profileProgress('standard', state(out.dir).profiles.standard, readDist(path.join(out.dir, 'dist')).clusters);
      expect(progress.next).toMatchObject({ wave: { name: 'dev' }, clusters: ['prod-a'] });
    });

    test('a lost state file with clusters held back fails the synth with the fix, and leaves dist/ as it was', () => {
      synth(out.dir);
      synth(out.dir, { spec: v134 });
      const before = readTree(path.join(out.dir, 'dist'));
      fs.rmSync(path.join(out.dir, 'dist.rollout.yaml'));
      expect(() => synth(out.dir, { spec: v134 })).toThrow(/\[prod-a\] runs revision \w{12} of profile "standard" \(its Cluster in dist\/ says so\), but .*dist\.rollout\.yaml holds no rollout of the profile, so the synth would release the code's revision to it without `arlonctl rollout promote`; restore the file from git \(`git checkout dist\.rollout\.yaml`\)/);
      expect(changedPaths(before, readTree(path.join(out.dir, 'dist')))).toEqual([]);
    });
  });

  test('keeps a held cluster\'s computed VPC block: functions are not part of a revision, and come from the code', () => {
    const network = { network: { vpcCidrForCluster: (c: { name: string }) => cidrSubnet('10.20.0.0/14', 2, ['dev-a', 'prod-a', 'prod-b'].indexOf(c.name)) } };
    synth(out.dir, { spec: network });
    const released = readTree(path.join(out.dir, 'dist'));
    synth(out.dir, { spec: { ...network, kubernetesVersion: KubernetesVersion.V1_34 } });
    expect(changedPaths(released, readTree(path.join(out.dir, 'dist'))).every((f) => f.startsWith('clusters/dev-a/'))).toBe(true);
    expect(Object.values(state(out.dir).profiles.standard.revisions).every((r) => !('vpcCidrForCluster' in (r.spec.network as object)))).toBe(true);
  });

  test('reads back every spec it records as the spec it was', () => {
    const props = minimalSpecProps({
      kubernetesVersion: KubernetesVersion.unlisted('1.40'),
      addons: [EksAddon.vpcCni({ version: 'v1.20.1-eksbuild.1', configuration: { env: { A: '1' } } })],
      nodePools: { general: { instanceType: 'm6i.large', kubernetesVersion: KubernetesVersion.V1_33, labels: { a: 'b' } } },
    });
    const data = specToData(props);
    expect(specToData(specFromData(JSON.parse(JSON.stringify(data)), props))).toEqual(data);
    expect(specFromData(data, props).kubernetesVersion).toMatchObject({ version: '1.40', unlisted: true });
  });
});

describe('a rollout policy stages which bundles a profile installs', () => {
  let out: { dir: string; cleanup: () => void };
  beforeEach(() => (out = tempDir()));
  afterEach(() => out.cleanup());

  const wordpress = (version = '28.1.5') => Bundle.helm('wordpress', {
    repoUrl: 'oci://registry-1.docker.io/bitnamicharts', chart: 'wordpress', version, namespace: 'wordpress', values: { service: { type: 'ClusterIP' } },
  });
  /** The bundle Applications Argo CD runs for dist/ as written, as cluster/bundle pairs, with their chart version. */
  const installed = () => Object.fromEntries([...bundleApplications(argoCdOnDist(readTree(path.join(out.dir, 'dist')))).values()]
    .map((a) => [`${a.object.metadata.labels!['arlon.io/cluster']}/${a.object.metadata.labels!['arlon.io/bundle']}`,
      (specOf(a).source ?? specOf(a).sources![0]).targetRevision]));

  test('a bundle added to the profile reaches the dev wave first, then each wave as it is released', () => {
    synth(out.dir);
    const shape = { bundles: [wordpress()] };
    synth(out.dir, shape);
    expect(installed()).toEqual({ 'dev-a/wordpress': '28.1.5' });
    promote(out.dir, shape);
    promote(out.dir, shape);
    expect(installed()).toEqual({ 'dev-a/wordpress': '28.1.5', 'prod-a/wordpress': '28.1.5', 'prod-b/wordpress': '28.1.5' });
  });

  test('a bundle removed from the profile stays on the waves not released, from the definition the state file keeps', () => {
    const shape = { bundles: [wordpress(), Bundles.metricsServer()] };
    synth(out.dir, shape);
    // WHEN wordpress leaves the profile, and nothing in the fleet defines it any more
    synth(out.dir, { bundles: [Bundles.metricsServer()] });
    expect(Object.keys(installed()).sort()).toEqual(['dev-a/metrics-server', 'prod-a/metrics-server', 'prod-a/wordpress', 'prod-b/metrics-server', 'prod-b/wordpress']);
    promote(out.dir, { bundles: [Bundles.metricsServer()] });
    promote(out.dir, { bundles: [Bundles.metricsServer()] });
    expect(Object.keys(installed()).sort()).toEqual(['dev-a/metrics-server', 'prod-a/metrics-server', 'prod-b/metrics-server']);
  });

  test('values of a cluster\'s own for a bundle its wave does not install yet wait for the wave', () => {
    synth(out.dir);
    const shape = { bundles: [wordpress()], bundleValues: { 'prod-a': { wordpress: { replicaCount: 3 } } } };
    synth(out.dir, shape);
    expect(fs.existsSync(path.join(out.dir, 'dist/bundles/wordpress/values/prod-a.yaml'))).toBe(false);
    promote(out.dir, shape);
    expect(YAML.parse(fs.readFileSync(path.join(out.dir, 'dist/bundles/wordpress/values/prod-a.yaml'), 'utf8'))).toEqual({ replicaCount: 3 });
  });

  test('a new chart version reaches the dev wave first; the others keep theirs, from the same ApplicationSet, until released', () => {
    synth(out.dir, { bundles: [wordpress('28.1.5')] });
    const read = () => readDistFiles(readTree(path.join(out.dir, 'dist')), 'dist');
    const released = read();
    const shape = { bundles: [wordpress('28.2.0')] };
    synth(out.dir, shape);
    // THEN Argo CD generates each cluster's Application with the version of its wave, in place: no Application moves
    expect(installed()).toEqual({ 'dev-a/wordpress': '28.2.0', 'prod-a/wordpress': '28.1.5', 'prod-b/wordpress': '28.1.5' });
    // AND the parameterized ApplicationSet (elements, its bundle-source annotation) is admitted as the API server admits it:
    // its CRD's schema, and the metadata checks of apiextensions-apiserver v0.36.3 (see test/upstream/k8s-validation.ts)
    const schemas = new CrdSchemas();
    const objects = parseFiles(readTree(path.join(out.dir, 'dist')));
    expect([...objects.values()].filter((o) => o.metadata.annotations?.['arlon.io/bundle-source'] !== undefined).map((o) => o.kind)).toContain('ApplicationSet');
    for (const [file, obj] of objects) {
      expect({ file, errors: [...schemas.validate(obj), ...validateAnnotations(obj.metadata.annotations, 'metadata.annotations').map((e) => `${e.field}: ${e.detail}`)] })
        .toEqual({ file, errors: [] });
    }
    // AND arlonctl reads it back so: the fleet's version, and each held cluster's own; the plan moves dev-a only
    const dist = read();
    expect(dist.bundles.find((b) => b.name === 'wordpress')).toMatchObject({
      version: '28.2.0', clusterSources: { 'prod-a': { version: '28.1.5' }, 'prod-b': { version: '28.1.5' } },
    });
    expect(describeCluster(dist, 'prod-b').bundles).toEqual([expect.objectContaining({ name: 'wordpress', version: '28.1.5' })]);
    expect(describeCluster(dist, 'dev-a').bundles).toEqual([expect.objectContaining({ name: 'wordpress', version: '28.2.0' })]);
    const plan = computePlan(released, dist);
    expect(plan.clusters.map((c) => [c.cluster, c.items.map((i) => i.message).filter((m) => m.startsWith('bundle'))]))
      .toEqual([['dev-a', ['bundle wordpress: 28.1.5 -> 28.2.0']]]);
    promote(out.dir, shape);
    expect(computePlan(dist, read()).clusters.map((c) => [c.cluster, c.items.map((i) => i.message).filter((m) => m.startsWith('bundle'))]))
      .toEqual([['prod-a', ['bundle wordpress: 28.1.5 -> 28.2.0']]]);
    expect(installed()).toEqual({ 'dev-a/wordpress': '28.2.0', 'prod-a/wordpress': '28.2.0', 'prod-b/wordpress': '28.1.5' });
    promote(out.dir, shape);
    expect(installed()).toEqual({ 'dev-a/wordpress': '28.2.0', 'prod-a/wordpress': '28.2.0', 'prod-b/wordpress': '28.2.0' });
    // AND once every wave has it, the ApplicationSet is as it would be without a rollout, and the earlier values are gone
    const files = readTree(path.join(out.dir, 'dist'));
    expect([...files.keys()].filter((f) => f.includes('/revisions/'))).toEqual([]);
    const appSet = [...files.values()].find((t) => t.includes('name: test-bundle-wordpress-'))!;
    expect(appSet).not.toContain('bundleTargetRevision');
  });

  test('new values reach the dev wave first, through a values file of each definition', () => {
    const values = (replicas: number) => Bundle.helm('wordpress', {
      repoUrl: 'oci://registry-1.docker.io/bitnamicharts', chart: 'wordpress', version: '28.1.5', namespace: 'wordpress', values: { replicaCount: replicas },
    });
    synth(out.dir, { bundles: [values(1)] });
    synth(out.dir, { bundles: [values(3)] });
    const argo = argoCdOnDist(readTree(path.join(out.dir, 'dist')));
    const replicas = (cluster: string) => (argo.applications.get(`test--${cluster}--wordpress`)!.helmValues as { replicaCount: number }).replicaCount;
    expect(['dev-a', 'prod-a', 'prod-b'].map(replicas)).toEqual([3, 1, 1]);
    expect(argo.problems()).toEqual([]);
  });

  test('values computed per cluster keep the code\'s function on the waves not released', () => {
    const computed = (version: string) => Bundle.helm('hello', {
      repoUrl: 'https://charts.example.com', chart: 'hello', version, namespace: 'hello', valuesForCluster: (c) => ({ greeting: `hello ${c.name}` }),
    });
    synth(out.dir, { bundles: [computed('1.0.0')] });
    synth(out.dir, { bundles: [computed('1.1.0')] });
    const argo = argoCdOnDist(readTree(path.join(out.dir, 'dist')));
    expect(installed()).toEqual({ 'dev-a/hello': '1.1.0', 'prod-a/hello': '1.0.0', 'prod-b/hello': '1.0.0' });
    expect(argo.applications.get('test--prod-b--hello')!.helmValues).toEqual({ greeting: 'hello prod-b' });
  });

  test('a bundle moved to another kind of source is refused while a wave still runs the old one: it needs a new name', () => {
    synth(out.dir, { bundles: [wordpress()] });
    const fromRepository = Bundle.helm('wordpress', { repoUrl: 'https://charts.bitnami.com/bitnami', chart: 'wordpress', version: '28.1.5', namespace: 'wordpress' });
    expect(() => synth(out.dir, { bundles: [fromRepository] })).toThrow(
      /\[prod-a\] bundle "wordpress" is a helm bundle in the code, and a helm \(OCI\) one in the revision \w{12} of profile "standard" this cluster's wave runs; .* give the new one another name/);
  });

  test('a bundle that holds code, removed from the code while a wave still runs it, fails with what to do', () => {
    const computed = Bundle.helm('hello', {
      repoUrl: 'https://charts.example.com', chart: 'hello', version: '1.0.0', namespace: 'hello', valuesForCluster: (c) => ({ name: c.name }),
    });
    synth(out.dir, { bundles: [computed] });
    expect(() => synth(out.dir)).toThrow(/\[prod-a\] its wave runs revision \w{12} of profile "standard", which installs bundle "hello", but nothing in the fleet defines /);
  });
});

describe('a rollout policy refuses', () => {
  const fleetWith = (waves: WaveOptions[]) => {
    const fleet = testFleet();
    return () => new RolloutPolicy(fleet, 'Waves', { waves });
  };

  test.each<[string, WaveOptions[], RegExp]>([
    ['no waves', [], /`waves` is empty; give at least one wave/],
    ['the rest before the last wave', [{ name: 'rest' }, { name: 'dev', matchLabels: { env: 'dev' } }], /wave "rest" has no `matchLabels`, which makes it the rest .* must be the last wave/],
    ['a name used twice', [{ name: 'dev', matchLabels: { a: 'b' } }, { name: 'dev' }], /wave name "dev" is used twice/],
    ['empty labels', [{ name: 'dev', matchLabels: {} }], /wave "dev" has empty `matchLabels`, which would select every cluster/],
    ['a bad name', [{ name: 'Dev Wave' }], /wave 1 `name` "Dev Wave" must be a DNS-1123 label .*; try "dev-wave"/],
    ['a zero cap', [{ name: 'dev', maxClusters: 0 }], /wave "dev" `maxClusters` \(0\) must be a whole number at least 1/],
    ['an unknown prop', [{ name: 'dev', soakTime: 1 } as unknown as WaveOptions], /wave 1: `soakTime` is not a prop it takes/],
  ])('%s', (_what, waves, message) => {
    expect(fleetWith(waves)).toThrow(message);
  });

  test('a cluster two waves select, a cluster no wave selects, and a wave that selects no cluster', () => {
    const build = (labels: Record<string, string>[], waves: WaveOptions[]) => () => {
      const fleet = testFleet();
      fleet.setDefaultRolloutPolicy(new RolloutPolicy(fleet, 'Waves', { waves }));
      const profile = new Profile(fleet, 'standard', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) });
      labels.forEach((l, i) => new Cluster(fleet, `c${i}`, { profiles: [profile], labels: l }));
      fleet.renderFiles();
    };
    expect(build([{ env: 'dev', tier: 'a' }], [{ name: 'dev', matchLabels: { env: 'dev' } }, { name: 'a', matchLabels: { tier: 'a' } }]))
      .toThrow(/\[c0\] its labels env=dev,tier=a match waves "dev" and "a" of rollout policy "Waves"; a cluster belongs to exactly one wave/);
    expect(build([{ env: 'qa' }], [{ name: 'dev', matchLabels: { env: 'dev' } }]))
      .toThrow(/\[c0\] its labels env=qa match no wave of rollout policy "Waves" \(dev: env=dev\); .*end the policy with a wave without `matchLabels`/);
    expect(build([{ env: 'dev' }], [{ name: 'dev', matchLabels: { env: 'dev' } }, { name: 'prod', matchLabels: { env: 'prod' } }]))
      .toThrow(/wave "prod" of rollout policy "Waves" selects no cluster of the profiles that follow it \(standard\)/);
  });

  test('a default policy set after clusters exist, and a policy on a profile without a spec', () => {
    const fleet = testFleet();
    const profile = new Profile(fleet, 'standard', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) });
    new Cluster(fleet, 'c0', { profiles: [profile] });
    const policy = new RolloutPolicy(fleet, 'Waves', { waves: [{ name: 'all' }] });
    expect(() => fleet.setDefaultRolloutPolicy(policy)).toThrow(/has clusters already, placed without a rollout policy; call `setDefaultRolloutPolicy` before/);
    expect(() => new Profile(fleet, 'extras', { rollout: policy })).toThrow(/`rollout` is set on a profile without a spec/);
  });

  test('a state file of another fleet, or one it cannot read', () => {
    const out = tempDir();
    try {
      const file = path.join(out.dir, 'dist.rollout.yaml');
      const build = () => synth(out.dir);
      fs.writeFileSync(file, YAML.stringify({ fleet: 'other', profiles: {} } satisfies RolloutState));
      expect(build).toThrow(/rollout\.yaml is the rollout state of fleet "other", not of "test"/);
      fs.writeFileSync(file, 'fleet: test\nprofiles:\n  standard:\n    target: nothex\n');
      expect(build).toThrow(/rollout\.yaml: profiles\.standard needs `target` \(a revision: 12 hex digits\).*restore it from git/);
      expect(fs.existsSync(path.join(out.dir, 'dist'))).toBe(false);
    } finally {
      out.cleanup();
    }
  });
});
