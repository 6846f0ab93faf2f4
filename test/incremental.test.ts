import * as fs from 'fs';
import * as path from 'path';
import { buildExampleFleet } from '../example/fleet';
import { Bundle, Cluster, EksClusterSpec, KubernetesVersion, Profile } from '../src';
import { DIST } from './support/cli';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { changedPaths, readTree, tempDir } from './support/fleet-files';
import { shardLabel, shardOf } from '../src/argocd/shards';

interface Knobs {
  readonly devVersion?: KubernetesVersion;
  readonly withoutCluster?: string;
  readonly withoutBundle?: boolean;
}

/** Two profiles and four clusters; dev carries a Helm bundle. */
function synthInto(outdir: string, knobs: Knobs = {}) {
  const fleet = testFleet({ outdir });
  const chart = Bundle.helm('web', { repoUrl: 'https://charts.example.com', chart: 'web', version: '1.0.0', namespace: 'web' });
  const dev = new Profile(fleet, 'dev', {
    spec: new EksClusterSpec(fleet, 'DevSpec', minimalSpecProps({ kubernetesVersion: knobs.devVersion ?? KubernetesVersion.V1_34 })),
    bundles: knobs.withoutBundle ? [] : [chart],
  });
  const prod = new Profile(fleet, 'prod', { spec: new EksClusterSpec(fleet, 'ProdSpec', minimalSpecProps()) });
  for (const [name, profile] of [['dev-a', dev], ['dev-b', dev], ['prod-a', prod], ['prod-b', prod]] as const) {
    if (name !== knobs.withoutCluster) {
      new Cluster(fleet, name, { profiles: [profile] });
    }
  }
  return { report: fleet.writeFiles(), rendered: fleet.renderFiles() };
}

describe('incremental output', () => {
  let out: { dir: string; cleanup: () => void };
  const PAST = new Date('2020-01-01T00:00:00Z');
  const age = () => {
    for (const file of readTree(out.dir).keys()) {
      fs.utimesSync(path.join(out.dir, file), PAST, PAST);
    }
  };
  const rewritten = () => [...readTree(out.dir).keys()].filter((f) => fs.statSync(path.join(out.dir, f)).mtime.getTime() !== PAST.getTime()).sort();

  beforeEach(() => {
    out = tempDir();
  });
  afterEach(() => out.cleanup());

  test('a re-synth with one changed profile rewrites only the files that changed; the others keep their mtime', () => {
    // GIVEN a synthesized fleet whose files are all old
    synthInto(out.dir);
    const before = readTree(out.dir);
    age();
    // WHEN the dev profile moves to 1.35 and the fleet is synthesized again
    const { report } = synthInto(out.dir, { devVersion: KubernetesVersion.V1_35 });
    const after = readTree(out.dir);
    // THEN exactly the changed files were written, and nothing else was touched
    const changed = changedPaths(before, after);
    expect(changed).toEqual([
      // (the objects go by the clusters' fleet-scoped names, `test--<cluster>`)
      'clusters/dev-a/AWSManagedControlPlane.test--dev-a-control-plane.yaml', 'clusters/dev-a/MachinePool.test--dev-a-general.yaml',
      'clusters/dev-b/AWSManagedControlPlane.test--dev-b-control-plane.yaml', 'clusters/dev-b/MachinePool.test--dev-b-general.yaml',
    ]);
    expect(rewritten()).toEqual(changed);
    expect(report).toMatchObject({ written: 4, unchanged: after.size - 4, removed: 0 });
  });

  test('removes the files of deleted objects, and folders left empty', () => {
    synthInto(out.dir);
    age();
    const { report, rendered } = synthInto(out.dir, { withoutCluster: 'prod-b', withoutBundle: true });
    const files = readTree(out.dir);
    expect([...files.keys()].sort()).toEqual([...rendered.keys()].sort());
    expect([...files.keys()].some((f) => f.includes('prod-b') || f.includes('bundle-web'))).toBe(false);
    expect(fs.existsSync(path.join(out.dir, 'clusters/prod-b'))).toBe(false);
    // prod-b's 6 Cluster API files go, and the bundle's ApplicationSet in each shard that held a dev cluster
    const devShards = new Set(['dev-a', 'dev-b'].map((name) => shardLabel(shardOf(name, 16), 16)));
    expect(report.removed).toBe(6 + devShards.size);
    // what stays but changes: the bundles' project (no chart left) and the ApplicationSet of prod-b's shard
    expect(rewritten()).toEqual([
      'argocd/AppProject.test-bundles.yaml',
      `argocd/shards/${shardLabel(shardOf('prod-b', 16), 16)}/ApplicationSet.test-clusters-${shardLabel(shardOf('prod-b', 16), 16)}.yaml`,
    ]);
  });

  test('a re-synth of an unchanged fleet writes nothing', () => {
    synthInto(out.dir);
    age();
    expect(synthInto(out.dir).report).toMatchObject({ written: 0, removed: 0 });
    expect(rewritten()).toEqual([]);
  });
});

test('the writer puts exactly the committed dist/ on disk for the example fleet', () => {
  const out = tempDir();
  try {
    buildExampleFleet({ outdir: out.dir }).writeFiles();
    expect(readTree(out.dir)).toEqual(readTree(DIST));
  } finally {
    out.cleanup();
  }
});
