/**
 * `plan` reads only what a change can touch (`src/operations/plan-scope.ts`). For each kind of change, the plan built
 * from that part of dist/ is the plan built from all of it.
 */
import { buildExampleFleet } from '../example/fleet';
import { Bundle, Cluster, KubernetesVersion, type Profile } from '../src';
import { readDistFiles, type ParseMemo } from '../src/operations/dist-fleet';
import { computePlan } from '../src/operations/plan';
import { planScope } from '../src/operations/plan-scope';

type Files = Map<string, string>;
const example = (change: (fleet: ReturnType<typeof buildExampleFleet>) => void = () => undefined, devVersion = KubernetesVersion.V1_34): Files => {
  const fleet = buildExampleFleet({ outdir: '/nonexistent' }, { devKubernetesVersion: devVersion });
  change(fleet);
  return fleet.renderFiles();
};
const only = (files: Files, keep: (file: string) => boolean) => new Map([...files].filter(([file]) => keep(file)));

function plans(before: Files, after: Files) {
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file));
  const scope = planScope(changed, (file) => before.get(file), (file) => after.get(file));
  // Each plan parses a text once for both sides, as `plan` does (see planAgainst): an unchanged file is one object.
  const plan = (b: Files, a: Files, memo: ParseMemo = new Map()) => computePlan(readDistFiles(b, 'base', memo), readDistFiles(a, 'current', memo));
  const full = plan(before, after);
  const scoped = plan(only(before, scope.file), only(after, scope.file));
  // The transition check does less work on the scoped part (fewer units), which is the point; what it finds is the same.
  expect(scoped.transitions!.units).toBeLessThanOrEqual(full.transitions!.units);
  const { transitions: _scopedWork, ...scopedPlan } = scoped;
  const { transitions: _fullWork, ...fullPlan } = full;
  return { full: fullPlan, scoped: scopedPlan, scope, changed };
}

describe('a plan from the part of dist/ a change touches is the plan from all of it', () => {
  const base = example();
  const dev = (fleet: ReturnType<typeof buildExampleFleet>) => fleet.node.findChild('dev') as Profile;
  // Each fleet with cluster "old" is built once for the file: four tests start or end at one (the plans never change the files).
  const olds = new Map<boolean | undefined, Files>();
  const withOld = (retire?: true) => olds.get(retire) ?? olds.set(retire, example((f) => new Cluster(f, 'old', { profiles: [dev(f)], retire }))).get(retire)!;
  test.each<[string, () => Files, () => Files, string[]]>([
    ['no change', () => base, () => example(), []],
    ['a profile upgrade', () => base, () => example(undefined, KubernetesVersion.V1_35), ['dev-euw1', 'dev-use1']],
    ['a cluster added', () => base, () => withOld(), ['old']],
    ['a cluster retired', () => withOld(), () => withOld(true), ['old']],
    ['a retired cluster removed', () => withOld(true), () => base, ['old']],
    ['a cluster removed without retiring it', () => withOld(), () => base, ['old']],
    ['a bundle added to a cluster, reaching it through the ApplicationSets', () => withOld(), () => example((f) => {
      new Cluster(f, 'old', { profiles: [dev(f)], bundles: [Bundle.helm('extra', { repoUrl: 'https://charts.example.com', chart: 'x', version: '1.0.0', namespace: 'x' })] });
    }), ['old']],
  ])('%s', (_name, before, after, touched) => {
    const { full, scoped, scope } = plans(before(), after());
    expect(scoped).toEqual(full);
    expect([...scope.clusters].sort()).toEqual(expect.arrayContaining(touched));
    expect(full.clusters.map((c) => c.cluster).every((c) => scope.clusters.has(c) || c === 'legacy-ops')).toBe(true);
  });

  test('a bundle version bump touches every cluster that carries it, and reads no other cluster', () => {
    const bumped = new Map([...base].map(([file, text]) => [file, file.includes('ApplicationSet.acme-bundle-metrics-server-')
      ? text.replace(/targetRevision: 3\.13\.1/, 'targetRevision: 3.13.2') : text]));
    const { full, scoped, scope } = plans(base, bumped);
    expect(full.clusters.length).toBeGreaterThan(0);
    expect(scoped).toEqual(full);
    expect([...scope.clusters].sort()).toEqual(full.clusters.map((c) => c.cluster).sort());
  });

  test('a per-cluster values change touches that cluster only', () => {
    const file = [...base.keys()].find((f) => /^bundles\/wordpress\/values\/dev-use1\.yaml$/.test(f))!;
    const changed = new Map(base).set(file, `${base.get(file)}extra: 1\n`);
    const { full, scoped, scope } = plans(base, changed);
    expect(scoped).toEqual(full);
    expect([...scope.clusters]).toEqual(['dev-use1']);
    expect(scope.folder('clusters/prod-use1')).toBe(false);
    expect(scope.folder('clusters/dev-use1')).toBe(true);
  });
});
