/**
 * The seven day-2 defects of issue 21, each as the transition it is: synthesized before and after, run through the
 * transition model (`src/operations/transitions/`, ports of Argo CD v3.5.1, Kubernetes' garbage collector, CAPA
 * v2.11.1 and EKS) and through `plan`. Each failed on the release before the model (git 19b6704 plus the model alone):
 * the output let the controllers delete or wedge something in some order, or `plan` passed the change.
 */
import * as path from 'path';
import { Bundle, RemovalPolicy, type WaveOptions } from '../../src';
import { shardLabel, shardOf } from '../../src/argocd/shards';
import { readDistFiles } from '../../src/operations/dist-fleet';
import { formatPlan } from '../../src/operations/plan';
import { readTree, tempDir } from '../support/fleet-files';
import { previousLayout } from '../support/previous-layout';
import {
  blockedLines, buildFleet, distOf, findingLines, planOf, promoteInto, rolloutValuesShape, synthInto, transition, type FleetShape,
} from '../support/transitions';

const chart = (options: { removalPolicy?: RemovalPolicy; repoUrl?: string; values?: Record<string, unknown> } = {}) => Bundle.helm('app', {
  repoUrl: options.repoUrl ?? 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'app', ...options,
});

describe('1. un-retiring a cluster', () => {
  test('changes its Cluster in place: in no order of the controllers is it deleted, and plan passes it', () => {
    const base = distOf({ clusters: { a: {}, b: { retire: true } } });
    const head = distOf({ clusters: { a: {}, b: {} } });
    expect(findingLines(transition(base, head))).toEqual([]);
    const plan = planOf(base, head);
    expect(blockedLines(plan)).toEqual([]);
    expect(plan.clusters.find((c) => c.cluster === 'b')!.items.map((i) => i.message)).toContain('no longer retired: deletion protection restored');
  });

  test('from the previous release\'s layout (a retiring ApplicationSet) it could delete the cluster: plan blocks it with the order found', () => {
    const base = readDistFiles(previousLayout(buildFleet({ clusters: { a: {}, b: { retire: true } } }).renderFiles()), 'previous');
    const head = distOf({ clusters: { a: {}, b: {} } });
    const check = transition(base, head);
    expect(findingLines(check)).toEqual([
      'b cluster-deleted: Cluster/test--b/test--b is deleted, and with it EKS cluster test--b, while the head still has the cluster '
        + '(it is deleted only by removing it from the code after retiring it)',
    ]);
    const label = shardLabel(shardOf('b', 16), 16);
    expect(check.findings[0].trace).toEqual([
      `Application test-shard-${label} prunes test-retiring-${label} (no longer in its folder argocd/shards/${label})`,
      `garbage collection deletes Application test--b (its ApplicationSet test-retiring-${label} is being deleted)`,
      'Argo CD\'s resources finalizer of Application test--b deletes Cluster/test--b/test--b',
    ]);
    const text = formatPlan(planOf(base, head), 'Plan');
    expect(text).toContain('x BLOCKED (unsafe-transition) Cluster/test--b/test--b is deleted');
    expect(text).toContain('fix: un-retire b in a change of its own, in which nothing else moves its Application');
    expect(text).toContain('escape: arlonctl plan --allow unsafe-transition=b');
  });
});

describe('2. changing the shard count', () => {
  const four = (extra: FleetShape = {}): FleetShape => ({ clusters: Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, {}])), ...extra });

  test('with a DESTROY bundle: Argo CD can uninstall and reinstall it on every moved cluster; plan blocks it with the RETAIN-first path', () => {
    const base = distOf(four({ bundles: [chart({ removalPolicy: RemovalPolicy.DESTROY })] }));
    const head = distOf(four({ bundles: [chart({ removalPolicy: RemovalPolicy.DESTROY })], fleet: { shards: 32 } }));
    const moved = ['a', 'b', 'c', 'd'].filter((n) => shardOf(n, 16) !== shardOf(n, 32));
    expect(moved.length).toBeGreaterThan(0);
    const check = transition(base, head);
    expect(check.findings.map((f) => `${f.cluster}/${f.bundle} ${f.cause}`).sort()).toEqual(moved.map((n) => `${n}/app reinstalled`));
    const blocked = blockedLines(planOf(base, head));
    expect(blocked).toEqual(moved.map((n) => `${n}: unsafe-transition: bundle app is deleted from cluster ${n} (and installed again) although the cluster keeps it`));
    expect(planOf(base, head).clusters.find((c) => c.cluster === moved[0])!.items.at(-1)!.blocked!.fix).toMatch(/^set `removalPolicy: RemovalPolicy.RETAIN` on bundle app/);
  });

  test('with only RETAIN bundles, doubling the count moves Applications without deleting anything', () => {
    const base = distOf(four({ bundles: [chart()] }));
    const head = distOf(four({ bundles: [chart()], fleet: { shards: 32 } }));
    expect(findingLines(transition(base, head))).toEqual([]);
    expect(blockedLines(planOf(base, head))).toEqual([]);
  });

  test('with a cluster between the two steps of its retirement: Argo CD can delete it early; plan blocks it', () => {
    const base = distOf(four({ clusters: { a: {}, b: { retire: true }, c: {}, d: {} } }));
    const head = distOf(four({ clusters: { a: {}, b: { retire: true }, c: {}, d: {} }, fleet: { shards: 32 } }));
    expect(shardOf('b', 16)).not.toBe(shardOf('b', 32));
    expect(transition(base, head).findings.map((f) => `${f.cluster} ${f.kind} ${f.cause}`)).toEqual(['b cluster-deleted retired-early']);
    expect(blockedLines(planOf(base, head))).toEqual([
      'b: unsafe-transition: Cluster/test--b/test--b is deleted, and with it EKS cluster test--b, while the head still has the cluster '
        + '(it is deleted only by removing it from the code after retiring it)',
    ]);
  });

  test('when clusters move both ways between shards that stay, the ApplicationSets wait for each other for ever; plan blocks it', () => {
    // 4 -> 6 shards: shards 00..03 stay and exchange clusters.
    const names = Array.from({ length: 24 }, (_, i) => `c${i}`);
    const moves = names.filter((n) => shardOf(n, 6) < 4 && shardOf(n, 4) !== shardOf(n, 6)).map((n) => [shardOf(n, 4), shardOf(n, 6)]);
    expect(moves.some(([from, to]) => moves.some(([f, t]) => f === to && t === from))).toBe(true);
    const shape = (shards: number): FleetShape => ({ clusters: Object.fromEntries(names.map((n) => [n, {}])), fleet: { shards } });
    const check = transition(distOf(shape(4)), distOf(shape(6)));
    const handovers = check.findings.filter((f) => f.cause === 'handover');
    expect(handovers.length).toBeGreaterThan(0);
    expect(handovers[0].message).toMatch(/^Application test--c\d+ stays controlled by ApplicationSet test-clusters-0\d, so ApplicationSet test-clusters-0\d never takes it over/);
    expect(planOf(distOf(shape(4)), distOf(shape(6))).blocked).toBe(true);
    // Doubling instead moves clusters only into new shards.
    expect(findingLines(transition(distOf(shape(4)), distOf(shape(8))))).toEqual([]);
  });
});

describe('3. resizing an autoscaled node pool past its current size', () => {
  const pools = (minSize: number, maxSize: number): FleetShape => ({
    autoscaler: true, clusters: { a: {} }, spec: { nodePools: { general: { instanceType: 'm6i.large', minSize, maxSize } } },
  });

  test('raising minSize or lowering maxSize wedges the node group (EKS refuses every update); plan blocks it with the current size to check', () => {
    const check = transition(distOf(pools(1, 5)), distOf(pools(3, 4)));
    expect(findingLines(check)).toEqual([
      'a eks-refused: CAPA sends UpdateNodegroupConfig for node group test--a-general {desiredSize: 1, minSize: 3, maxSize: 4}: EKS refuses it (desiredSize 1 is below minSize 3), on every reconcile',
      'a eks-refused: CAPA sends UpdateNodegroupConfig for node group test--a-general {desiredSize: 5, minSize: 3, maxSize: 4}: EKS refuses it (desiredSize 5 is above maxSize 4), on every reconcile',
    ]);
    const plan = planOf(distOf(pools(1, 5)), distOf(pools(3, 4)));
    expect(plan.blocked).toBe(true);
    expect(plan.clusters[0].items.filter((i) => i.blocked).map((i) => i.blocked!.fix)[0])
      .toContain('`kubectl get machinepool -n test--a test--a-general -o jsonpath=\'{.spec.replicas}\'` shows');
  });

  test('widening the bounds is safe whatever the current size', () => {
    expect(findingLines(transition(distOf(pools(2, 4)), distOf(pools(1, 6))))).toEqual([]);
  });

  test('a pool without the autoscaler moves its desired size with its bounds: EKS may refuse the first update, never the last', () => {
    const fixed = (minSize: number, maxSize: number, desiredSize: number): FleetShape => ({
      clusters: { a: {} }, spec: { nodePools: { general: { instanceType: 'm6i.large', minSize, maxSize, desiredSize } } },
    });
    const check = transition(distOf(fixed(1, 3, 2)), distOf(fixed(4, 8, 5)));
    expect(findingLines(check)).toEqual([]);
    // Argo CD applies the pool's two objects in no fixed order: whichever comes first, CAPA's first update mixes old and new.
    expect(check.transientRefusals).toEqual([
      'CAPA sends UpdateNodegroupConfig for node group test--a-general {desiredSize: 2, minSize: 4, maxSize: 8}: EKS refuses it (desiredSize 2 is below minSize 4)',
      'CAPA sends UpdateNodegroupConfig for node group test--a-general {desiredSize: 5, minSize: 1, maxSize: 3}: EKS refuses it (desiredSize 5 is above maxSize 3)',
    ]);
  });
});

describe('4. bundle values while a rollout completes', () => {
  const WAVES: WaveOptions[] = [{ name: 'dev', matchLabels: { env: 'dev' } }, { name: 'prod' }];
  const shape = (replicas: number): FleetShape => rolloutValuesShape((values) => chart({ values }), replicas, WAVES);

  test('the commit that completes it and deletes the held revision\'s values never lets Argo CD render the chart without them', () => {
    const out = tempDir();
    try {
      synthInto(out.dir, shape(1));
      synthInto(out.dir, shape(2));
      const started = readTree(path.join(out.dir, 'dist'));
      expect([...started.keys()].filter((f) => f.includes('/revisions/'))).toHaveLength(1);
      promoteInto(out.dir, shape(2));
      const completed = readTree(path.join(out.dir, 'dist'));
      expect([...completed.keys()].filter((f) => f.includes('/revisions/'))).toEqual([]);
      expect(findingLines(transition(readDistFiles(started, 'started'), readDistFiles(completed, 'completed')))).toEqual([]);
      // The previous release set ignoreMissingValueFiles where a cluster had no values of its own (prod-b; prod-a's shard lists only
      // prod-a, which has): a held cluster's Application could render without its base values.
      const before = transition(readDistFiles(previousLayout(started), 'started'), readDistFiles(previousLayout(completed), 'completed'));
      expect(before.findings.map((f) => `${f.cluster}/${f.bundle} ${f.kind}`)).toEqual(['prod-b/app render-without-base-values']);
    } finally {
      out.cleanup();
    }
  });
});

describe('5. a bundle\'s repository changed during a rollout', () => {
  test('the held clusters keep installing from the old repository, which the bundles project still permits', () => {
    const out = tempDir();
    const shape = (repoUrl: string): FleetShape => ({
      waves: [{ name: 'dev', matchLabels: { env: 'dev' } }, { name: 'prod' }],
      bundles: [chart({ repoUrl })],
      clusters: { 'dev-a': { labels: { env: 'dev' } }, 'prod-a': { labels: { env: 'prod' } } },
    });
    try {
      const base = synthInto(out.dir, shape('https://charts.example.com'));
      const head = synthInto(out.dir, shape('https://charts.other.example.com'));
      expect(head.bundles[0].clusterSources['prod-a']?.repoUrl).toBe('https://charts.example.com');
      expect(findingLines(transition(base, head))).toEqual([]);
    } finally {
      out.cleanup();
    }
  });
});

describe('6. removing a node pool', () => {
  test('leaves the pool running and the cluster\'s Application in sync (its live objects say IgnoreExtraneous)', () => {
    const pools = (extra: boolean): FleetShape => ({
      clusters: { a: {} },
      spec: { nodePools: { general: { instanceType: 'm6i.large' }, ...(extra ? { batch: { instanceType: 'c6i.large' } } : {}) } },
    });
    expect(findingLines(transition(distOf(pools(true)), distOf(pools(false))))).toEqual([]);
    expect(blockedLines(planOf(distOf(pools(true)), distOf(pools(false))))).toEqual([]);
  });

  test('from the previous release\'s layout, its Application stays OutOfSync for good: plan blocks it', () => {
    const pools = (extra: boolean) => buildFleet({
      clusters: { a: {} },
      spec: { nodePools: { general: { instanceType: 'm6i.large' }, ...(extra ? { batch: { instanceType: 'c6i.large' } } : {}) } },
    }).renderFiles();
    const base = readDistFiles(previousLayout(pools(true)), 'previous');
    const check = transition(base, readDistFiles(pools(false), 'head'));
    expect(findingLines(check)).toEqual([
      'a application-stuck: Application test--a stays OutOfSync for good: it never prunes AWSManagedMachinePool/test--a/test--a-batch, '
        + 'MachinePool/test--a/test--a-batch',
    ]);
  });
});

describe('7. retiring a cluster with a DESTROY bundle', () => {
  test('uninstalls the bundle in every order: register keeps the cluster Secret until the bundle Applications are gone', () => {
    const shape = (retire: boolean): FleetShape => ({
      bundles: [chart({ removalPolicy: RemovalPolicy.DESTROY })], clusters: { a: {}, b: { retire } },
    });
    const check = transition(distOf(shape(false)), distOf(shape(true)));
    expect(findingLines(check)).toEqual([]);
    expect(check.states).toBeGreaterThan(10);
  });
});

describe('what the model does not read', () => {
  test('an ApplicationSet changed through an escape hatch beyond what the library writes is reported as not checked, not guessed at', () => {
    const files = buildFleet({ clusters: { a: {} } }).renderFiles();
    const file = [...files.keys()].find((f) => /ApplicationSet\.test-clusters-\d+\.yaml$/.test(f))!;
    const head = new Map(files).set(file, files.get(file)!.replace('spec:\n', 'spec:\n  templatePatch: "{{ if true }}{}{{ end }}"\n'));
    const plan = planOf(readDistFiles(files, 'base'), readDistFiles(head, 'head'));
    expect(plan.blocked).toBe(false);
    expect(plan.clusters.find((c) => c.cluster === 'a')!.items).toContainEqual({
      message: 'transition not checked: the Application of cluster a: only goTemplate ApplicationSets without a templatePatch are modelled',
      warning: true,
    });
  });
});
