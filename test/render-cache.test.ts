import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Bundle, Cluster, EksClusterSpec, KubernetesVersion, Profile } from '../src';
import { minimalSpecProps, scratchChart, testFleet } from './support/fixtures';
import { changedPaths, readTree, tempDir } from './support/fleet-files';
import { sidecars } from '../src/output/commit-journal';
import { dataKey, inputKey } from '../src/output/render-key';
import { StagedWriter } from '../src/output/write';

interface Knobs {
  readonly devVersion?: KubernetesVersion;
  readonly patchDevA?: boolean;
  readonly allowSecrets?: boolean;
}

/** Credential-shaped text, assembled here so that this file holds none. */
const AWS_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');

/** Two profiles and four clusters; dev carries a Helm bundle with per-cluster values. */
function synthInto(outdir: string, knobs: Knobs = {}) {
  const fleet = testFleet({ outdir });
  const web = Bundle.helm('web', {
    repoUrl: 'https://charts.example.com',
    chart: 'web',
    version: '1.0.0',
    namespace: 'web',
    allowSecrets: knobs.allowSecrets,
    values: knobs.allowSecrets === undefined ? { replicas: 2 } : { config: `aws_access_key_id = ${AWS_KEY_ID}` },
    valuesForCluster: (cluster) => ({ host: `${cluster.name}.example.com` }),
  });
  const dev = new Profile(fleet, 'dev', {
    spec: new EksClusterSpec(fleet, 'DevSpec', minimalSpecProps({ kubernetesVersion: knobs.devVersion ?? KubernetesVersion.V1_34 })),
    bundles: [web],
  });
  const prod = new Profile(fleet, 'prod', { spec: new EksClusterSpec(fleet, 'ProdSpec', minimalSpecProps()) });
  for (const [name, profile] of [['dev-a', dev], ['dev-b', dev], ['prod-a', prod], ['prod-b', prod]] as const) {
    const cluster = new Cluster(fleet, name, { profiles: [profile] });
    if (knobs.patchDevA && name === 'dev-a') {
      cluster.controlPlane.addJsonPatch(JsonPatch.add('/spec/additionalTags', { team: 'web' }));
    }
  }
  return fleet.writeFiles();
}

describe('render cache: a re-synth renders only what changed', () => {
  let out: { dir: string; cleanup: () => void };
  const cacheFile = () => sidecars(out.dir).cache;
  beforeEach(() => {
    out = tempDir();
  });
  afterEach(() => out.cleanup());

  test('the first synth keeps the cache beside dist/, never inside it', () => {
    const report = synthInto(out.dir);
    expect(report.cached).toBe(0);
    expect(fs.existsSync(cacheFile())).toBe(true);
    expect(path.dirname(cacheFile())).toBe(path.dirname(out.dir));
    expect([...readTree(out.dir).keys()].filter((file) => !file.endsWith('.yaml'))).toEqual([]);
  });

  test('an unchanged fleet is found unchanged from the cache: nothing rendered, nothing written', () => {
    synthInto(out.dir);
    const files = readTree(out.dir).size;
    expect(synthInto(out.dir)).toMatchObject({ written: 0, removed: 0, unchanged: files, cached: files });
  });

  test('a one-profile change renders and writes only the files of that profile\'s clusters', () => {
    synthInto(out.dir);
    const before = readTree(out.dir);
    const report = synthInto(out.dir, { devVersion: KubernetesVersion.V1_35 });
    const after = readTree(out.dir);
    expect(changedPaths(before, after)).toEqual([
      // (the objects go by the clusters' fleet-scoped names, `test--<cluster>`)
      'clusters/dev-a/AWSManagedControlPlane.test--dev-a-control-plane.yaml', 'clusters/dev-a/MachinePool.test--dev-a-general.yaml',
      'clusters/dev-b/AWSManagedControlPlane.test--dev-b-control-plane.yaml', 'clusters/dev-b/MachinePool.test--dev-b-general.yaml',
    ]);
    // every other file was known unchanged without rendering it
    expect(report).toMatchObject({ written: 4, unchanged: after.size - 4, cached: after.size - 4 });
    // and the output is exactly what a synth without any cache writes
    const fresh = tempDir();
    try {
      synthInto(fresh.dir, { devVersion: KubernetesVersion.V1_35 });
      expect(readTree(fresh.dir)).toEqual(after);
    } finally {
      fresh.cleanup();
    }
  });

  test('an escape hatch (a JSON patch) reaches the file: a patched object is rendered, not taken from the cache', () => {
    synthInto(out.dir);
    const report = synthInto(out.dir, { patchDevA: true });
    expect(report.written).toBe(1);
    expect(readTree(out.dir).get('clusters/dev-a/AWSManagedControlPlane.test--dev-a-control-plane.yaml')).toContain('team: web');
  });

  test.each([
    ['changed by hand', (file: string) => fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}# edited\n`)],
    ['changed to text of the same size', (file: string) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('m6i.large', 'm6i.LARGE'))],
    ['removed', (file: string) => fs.rmSync(file)],
  ])('a file %s since the last synth is rendered again and restored', (_what, touch) => {
    synthInto(out.dir);
    const before = readTree(out.dir);
    const victim = 'clusters/prod-a/AWSManagedMachinePool.test--prod-a-general.yaml';
    touch(path.join(out.dir, victim));
    const report = synthInto(out.dir);
    expect(readTree(out.dir)).toEqual(before);
    expect(report).toMatchObject({ written: 1, cached: before.size - 1 });
  });

  test('a cache that cannot be read is ignored: every file is compared by content, and the cache is written anew', () => {
    synthInto(out.dir);
    fs.writeFileSync(cacheFile(), '{ not json');
    const files = readTree(out.dir).size;
    expect(synthInto(out.dir)).toMatchObject({ written: 0, unchanged: files, cached: 0 });
    expect(synthInto(out.dir)).toMatchObject({ written: 0, cached: files });
  });

  test('values allowed to look like credentials are checked again once the bundle stops allowing them', () => {
    synthInto(out.dir, { allowSecrets: true });
    const cache = fs.readFileSync(cacheFile(), 'utf8');
    expect(() => synthInto(out.dir, { allowSecrets: false })).toThrow(/bundle "web" `values` set config \(it looks like an AWS access key id\) to a literal value that looks secret/);
    // the failed synth left dist/ and its cache as they were
    expect(fs.readFileSync(cacheFile(), 'utf8')).toBe(cache);
  });
});

describe('render keys', () => {
  test('tell apart the values JSON confuses, which YAML writes differently', () => {
    const pairs: Array<[unknown, unknown]> = [
      [{ a: undefined }, {}],
      [{ a: NaN }, { a: null }],
      [{ a: Infinity }, { a: null }],
      [{ a: -0 }, { a: 0 }],
      [{ a: '\u0000undefined' }, { a: undefined }],
      [[undefined], [null]],
      [{ a: 1, b: 2 }, { b: 2, a: 1 }],
    ];
    for (const [one, other] of pairs) {
      expect(dataKey(one, false)).not.toEqual(dataKey(other, false));
    }
    expect(dataKey({ a: 1 }, false)).toEqual(dataKey({ a: 1 }, false));
    expect(dataKey({ a: 1 }, false)).not.toEqual(dataKey({ a: 1 }, true));
  });

  test('are not given to data that is not plain (a Map, a Date, a function, a class instance): such a file is always rendered', () => {
    for (const value of [new Map([['a', 1]]), new Date(0), () => 1, Lazy.any({ produce: () => 1 }), BigInt(1)]) {
      expect(dataKey({ value }, false)).toBeUndefined();
    }
  });

  test('of objects, come from their props and metadata when their rendering depends on nothing else', () => {
    const chart = scratchChart();
    const plain = (id: string, data: Record<string, string>, labels: Record<string, string> = {}) => {
      return new k8s.KubeConfigMap(chart, id, { metadata: { name: 'settings', labels }, data });
    };
    const key = inputKey(plain('a', { x: '1' }), false);
    expect(key).toBeDefined();
    expect(inputKey(plain('b', { x: '1' }), false)).toEqual(key);
    expect(inputKey(plain('c', { x: '2' }), false)).not.toEqual(key);
    expect(inputKey(plain('d', { x: '1' }, { team: 'web' }), false)).not.toEqual(key);
    expect(inputKey(plain('e', { x: '1' }), true)).not.toEqual(key);
    // so is metadata added after construction, whichever way
    const additions: Array<(object: ApiObject) => void> = [
      (o) => o.metadata.addLabel('team', 'web'),
      (o) => o.metadata.addAnnotation('example.com/note', 'x'),
      (o) => o.metadata.addFinalizers('example.com/keep'),
      (o) => o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }),
      (o) => o.metadata.add('generateName', 'settings-'),
    ];
    const keys = additions.map((add, i) => {
      const object = plain(`added-${i}`, { x: '1' });
      add(object);
      return inputKey(object, false);
    });
    expect(new Set([key, ...keys]).size).toBe(additions.length + 1);
  });

  test('of objects, are not taken from inputs when a Lazy, a JSON patch or a rendering of its own decides the output', () => {
    const chart = scratchChart();
    const lazy = new k8s.KubeConfigMap(chart, 'lazy', { metadata: { name: 'lazy' }, data: { x: Lazy.any({ produce: () => '1' }) as unknown as string } });
    const patched = new k8s.KubeConfigMap(chart, 'patched', { metadata: { name: 'patched' }, data: { x: '1' } });
    patched.addJsonPatch(JsonPatch.add('/data/y', '2'));
    class Stamped extends ApiObject {
      public override toJson(): unknown {
        return { ...(super.toJson() as object), stamped: true };
      }
    }
    const own = new Stamped(chart, 'own', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'own' } });
    for (const object of [lazy, patched, own]) {
      expect(inputKey(object, false)).toBeUndefined();
    }
  });
});

test('the writer does not render a file the cache knows unchanged', () => {
  const out = tempDir();
  try {
    let renders = 0;
    const content = (text: string) => () => {
      renders++;
      return `# Generated by cdk8s-arlon. Do not edit: change the fleet code and synthesize again.\n${text}\n`;
    };
    const write = (key: string, text: string) => {
      const writer = new StagedWriter(out.dir);
      writer.add('a/One.x.yaml', () => key, content(text));
      return writer.commit();
    };
    write('k1', 'one');
    expect(renders).toBe(1);
    expect(write('k1', 'one')).toMatchObject({ written: 0, cached: 1 });
    expect(renders).toBe(1);
    expect(write('k2', 'two')).toMatchObject({ written: 1, cached: 0 });
    expect(renders).toBe(2);
    expect(fs.readFileSync(path.join(out.dir, 'a/One.x.yaml'), 'utf8')).toContain('two');
  } finally {
    out.cleanup();
  }
});
