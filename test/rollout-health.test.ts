import type { KubeClient, KubeObject } from '../src/kube/types';
import type { DistCluster, DistFleet } from '../src/operations/dist-fleet';
import { clusterHealth, minorOf } from '../src/operations/rollout-health';
import { profileProgress, promotionRefusals, releaseStep } from '../src/operations/rollout-progress';
import { formatSoak, parseSoak } from '../src/rollout/rollout-state';
import type { RolloutState } from '../src/rollout/rollout-state';

const AT = '2026-11-30T10:00:00Z';
const condition = (type: string, status = 'True') => ({ type, status, lastTransitionTime: AT });
const labels = (cluster: string) => ({ 'arlon.io/fleet': 'acme', 'arlon.io/cluster': cluster });

/** A cluster as the management cluster holds it when healthy at 1.34, with `change` applied to its objects. */
function objects(cluster: string, change: (kind: string, o: KubeObject) => KubeObject | undefined = (_, o) => o): KubeObject[] {
  const meta = (name: string) => ({ name, namespace: cluster, labels: labels(cluster) });
  const all: Array<[string, KubeObject]> = [
    ['Cluster', {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: meta(cluster),
      status: { phase: 'Provisioned', conditions: [condition('Available'), condition('RollingOut', 'False')] },
    }],
    ['AWSManagedControlPlane', {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'AWSManagedControlPlane',
      metadata: meta(`${cluster}-control-plane`),
      status: { ready: true, version: '1.34', conditions: [condition('Ready')] },
    }],
    ['MachinePool', {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachinePool',
      metadata: meta(`${cluster}-general`),
      status: { replicas: 2, readyReplicas: 2, versions: [{ version: 'v1.34.2-eks-113cf36', replicas: 2 }], conditions: [condition('Available')] },
    }],
    ['Application', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: cluster, namespace: 'argocd', labels: labels(cluster) },
      status: { sync: { status: 'Synced' }, health: { status: 'Healthy', lastTransitionTime: '2026-11-30T10:05:00Z' } },
    }],
  ];
  return all.map(([kind, o]) => change(kind, o)).filter((o): o is KubeObject => o !== undefined);
}

/** A client that serves `stored`, counting its LIST requests. */
function client(stored: KubeObject[]): KubeClient & { lists: number } {
  const fake = {
    server: 'https://test',
    context: 'test',
    lists: 0,
    servesGroupVersion: async () => true,
    get: async () => undefined,
    list: async (_apiVersion: string, kind: string) => {
      fake.lists++;
      return stored.filter((o) => o.kind === kind);
    },
    apply: async (o: KubeObject) => o,
    delete: async () => false,
  };
  return fake;
}

const cluster = (name: string, extra: Partial<DistCluster> = {}): DistCluster => ({
  name,
  external: false,
  retired: false,
  profiles: ['standard'],
  overrides: [],
  labels: {},
  namespace: name,
  kubernetesVersion: 'v1.34',
  nodePools: [{ name: 'general', instanceType: 'm6i.large', minSize: 1, maxSize: 3, kubernetesVersion: 'v1.34.0' }],
  bundles: [],
  ...extra,
});
const FLEET = { name: 'acme', argocdNamespace: 'argocd' } as DistFleet;

describe('cluster health, as a rollout reads it', () => {
  test.each<[string, (kind: string, o: KubeObject) => KubeObject | undefined, string]>([
    ['rolling out', (k, o) => (k === 'Cluster' ? { ...o, status: { phase: 'Provisioned', conditions: [condition('Available'), condition('RollingOut')] } } : o),
      'Cluster is RollingOut'],
    ['a control plane still at the old minor', (k, o) => (k === 'AWSManagedControlPlane' ? { ...o, status: { ready: true, version: '1.33' } } : o),
      'control plane runs 1.33, not 1.34'],
    ['nodes not ready', (k, o) => (k === 'MachinePool' ? { ...o, status: { ...(o.status as object), readyReplicas: 1 } } : o),
      'node pool general has 1 of 2 nodes ready'],
    ['nodes at the old minor', (k, o) => (k === 'MachinePool'
      ? { ...o, status: { ...(o.status as object), versions: [{ version: 'v1.33.5-eks-1', replicas: 2 }] } } : o), 'node pool general has nodes at v1.33.5-eks-1, not 1.34'],
    ['no MachinePool', (k, o) => (k === 'MachinePool' ? undefined : o), 'node pool general has no MachinePool yet'],
    ['an Application out of sync', (k, o) => (k === 'Application' ? { ...o, status: { sync: { status: 'OutOfSync' }, health: { status: 'Progressing' } } } : o),
      'Application a is OutOfSync and Progressing'],
  ])('is not healthy when %s, and says so', async (_what, change, reason) => {
    const health = await clusterHealth(client(objects('a', change)), FLEET, [cluster('a')]);
    expect(health.get('a')).toMatchObject({ healthy: false, reasons: expect.arrayContaining([reason]) });
  });

  test('is healthy when everything is, since the latest transition; in four LISTs whatever the number of clusters', async () => {
    const api = client([...objects('a'), ...objects('b')]);
    const health = await clusterHealth(api, FLEET, [cluster('a'), cluster('b', { bundles: ['metrics-server'] })]);
    expect(health.get('a')).toEqual({ cluster: 'a', healthy: true, reasons: [], since: new Date('2026-11-30T10:05:00Z') });
    expect(health.get('b')!.reasons).toEqual(['1 of its 2 Applications exist (the cluster\'s own and one per bundle; is it registered?)']);
    expect(api.lists).toBe(4);
  });

  test('reads the minor of every way a version is written', () => {
    expect(['v1.34', '1.34', 'v1.34.2-eks-113cf36', '1.34.0', undefined, 'x'].map(minorOf)).toEqual(['1.34', '1.34', '1.34', '1.34', undefined, undefined]);
    expect(['2h', '15m', '90s', undefined, '1d'].map(parseSoak)).toEqual([7200, 900, 90, 0, 0]);
    expect([7200, 900, 90].map(formatSoak)).toEqual(['2h', '15m', '90s']);
  });
});

describe('promotion', () => {
  const state: RolloutState = {
    fleet: 'acme',
    profiles: {
      standard: {
        target: 'bbbbbbbbbbbb',
        waves: [
          { name: 'dev', clusters: 1, soak: '1h', revision: 'bbbbbbbbbbbb' },
          { name: 'prod', clusters: 3, maxClusters: 2, revision: 'aaaaaaaaaaaa', requireApproval: true },
        ],
        revisions: { aaaaaaaaaaaa: { spec: {}, bundles: [] }, bbbbbbbbbbbb: { spec: {}, bundles: [] } },
      },
    },
  };
  const clusters = [
    cluster('dev-a', { rolloutWave: 'dev', specRevision: 'bbbbbbbbbbbb' }),
    ...['prod-c', 'prod-a', 'prod-b'].map((name) => cluster(name, { rolloutWave: 'prod', specRevision: 'aaaaaaaaaaaa' })),
  ];
  const healthy = (since: string) => new Map([['dev-a', { cluster: 'dev-a', healthy: true, reasons: [], since: new Date(since) }]]);
  const now = new Date('2026-11-30T12:00:00Z');

  test('releases the next maxClusters of a wave in name order, then the rest, which completes it', () => {
    const progress = profileProgress('standard', state.profiles.standard, clusters);
    expect(progress.next).toMatchObject({ wave: { name: 'prod' }, clusters: ['prod-a', 'prod-b'], completesWave: false });
    const partial = releaseStep(state, 'standard', progress.next!);
    expect(partial.profiles.standard.waves[1]).toMatchObject({ revision: 'aaaaaaaaaaaa', released: { 'prod-a': 'bbbbbbbbbbbb', 'prod-b': 'bbbbbbbbbbbb' } });
    const moved = clusters.map((c) => (['prod-a', 'prod-b'].includes(c.name) ? { ...c, specRevision: 'bbbbbbbbbbbb' } : c));
    const last = profileProgress('standard', partial.profiles.standard, moved);
    expect(last.next).toMatchObject({ clusters: ['prod-c'], completesWave: true });
    expect(releaseStep(partial, 'standard', last.next!).profiles.standard.waves[1]).toEqual({
      name: 'prod', clusters: 3, maxClusters: 2, revision: 'bbbbbbbbbbbb', requireApproval: true,
    });
  });

  test('refuses while soaking or without approval, and for a paused or aborted rollout; --approve approves, --skip-soak alone cuts the soak', () => {
    const progress = profileProgress('standard', state.profiles.standard, clusters);
    expect(promotionRefusals(progress, healthy('2026-11-30T11:30:00Z'), { now, approve: false })).toEqual([
      expect.stringMatching(/^cluster dev-a of wave dev has been as it is for 30m of its 1h soak .*, or cut the soak short with --skip-soak$/),
      'wave prod requires approval; release it with `arlonctl rollout promote standard --approve`',
    ]);
    expect(promotionRefusals(progress, healthy('2026-11-30T10:00:00Z'), { now, approve: false })).toEqual([expect.stringMatching(/requires approval/)]);
    // approving is not skipping the soak: each is its own decision
    expect(promotionRefusals(progress, healthy('2026-11-30T11:30:00Z'), { now, approve: true })).toEqual([expect.stringMatching(/of its 1h soak/)]);
    expect(promotionRefusals(progress, healthy('2026-11-30T11:30:00Z'), { now, approve: false, skipSoak: true })).toEqual([expect.stringMatching(/requires approval/)]);
    expect(promotionRefusals(progress, healthy('2026-11-30T11:30:00Z'), { now, approve: true, skipSoak: true })).toEqual([]);
    expect(promotionRefusals(progress, healthy('2026-11-30T10:00:00Z'), { now, approve: true })).toEqual([]);
    const stopped = profileProgress('standard', { ...state.profiles.standard, paused: true, aborted: 'bbbbbbbbbbbb' }, clusters);
    expect(promotionRefusals(stopped, healthy('2026-11-30T10:00:00Z'), { now, approve: true })).toEqual([
      expect.stringContaining('is paused; `arlonctl rollout resume standard` lets it go on'),
      expect.stringContaining('revision bbbbbbbbbbbb of profile "standard" was aborted'),
    ]);
  });
});
