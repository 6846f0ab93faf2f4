import * as path from 'path';
import { clusterInputs, linearHistory, liveClusterOf } from './support/live-cluster';
import { EksClusterLifecycle, simulateLifecycle, type LifecycleSnapshot, type LifecycleStep } from './upstream/status/eks-cluster-lifecycle';
import type { KubeClient, KubeObject } from '../src/kube/types';
import { ClusterNaming } from '../src/naming/cluster-names';
import { applicationNameOf, readDistFiles, readFiles, type DistCluster } from '../src/operations/dist-fleet';
import { clusterHealth, healthOf, minorOf, type HealthContext } from '../src/operations/rollout-health';
import { profileProgress, promotionRefusals, releaseStep } from '../src/operations/rollout-progress';
import { formatSoak, parseSoak } from '../src/rollout/rollout-state';
import type { RolloutState } from '../src/rollout/rollout-state';

/** A client that serves `stored`, counting its LIST requests. */
function client(stored: KubeObject[]): KubeClient & { lists: number } {
  const fake = {
    server: 'https://test',
    context: 'test',
    lists: 0,
    servesGroupVersion: async () => true,
    serverVersion: async () => ({ major: '1', minor: '33', gitVersion: 'v1.33.4' }),
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
  naming: ClusterNaming.UNSCOPED,
  argocdName: name,
  namespace: name,
  kubernetesVersion: 'v1.34',
  nodePools: [{ name: 'general', instanceType: 'm6i.large', minSize: 1, maxSize: 3, kubernetesVersion: 'v1.34.0' }],
  bundles: [],
  ...extra,
});

// prod-euw1 of the example fleet as committed: profile prod at Kubernetes 1.33, three autoscaled pools, three bundles
const FILES = readFiles(path.join(__dirname, '..', 'dist'));
const FLEET = readDistFiles(FILES, 'dist');
const AT_133 = FLEET.clusters.find((c) => c.name === 'prod-euw1')!;
const INPUTS = clusterInputs(FILES, 'prod-euw1');
// the names it goes by on the management cluster, in EKS and in Argo CD (`acme--prod-euw1`, ...), as dist/ records them
const BASE = AT_133.capiName!;
const CONTROL_PLANE = AT_133.controlPlaneName!;
const EKS = AT_133.eksClusterName!;
const APP = applicationNameOf(FLEET.name, AT_133);
const AUTOSCALER_APP = applicationNameOf(FLEET.name, AT_133, 'cluster-autoscaler');
// the same cluster once its profile moved to 1.34 (revision r2): what a synth writes for it, and what dist/ then says
const AT_134: DistCluster = {
  ...AT_133,
  kubernetesVersion: 'v1.34',
  specRevision: 'r2',
  nodePools: AT_133.nodePools.map((p) => ({ ...p, kubernetesVersion: 'v1.34.0' })),
};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const edited = (kind: string, edit: (o: Json) => void) => INPUTS.objects.filter((o) => o.kind === kind).map((o) => {
  const copy = structuredClone(o) as Json;
  edit(copy);
  return copy as KubeObject;
});
const TO_134 = [
  ...edited('Cluster', (o) => { o.metadata.annotations['arlon.io/spec-revision'] = 'r2'; }),
  ...edited('AWSManagedControlPlane', (o) => { o.spec.version = 'v1.34'; }),
  ...edited('MachinePool', (o) => { o.spec.template.spec.version = 'v1.34.0'; }),
];
const at = (day: number, time: string) => `2026-12-0${day}T${time}:00Z`;
// commit c1 holds the cluster as committed, c2 its move to 1.34; Argo CD reports commits, git says what they hold
const BEFORE = linearHistory(['c1', 'c2'], { 'dist/clusters/prod-euw1': 'c1', 'dist/bundles': 'c1' });
const AFTER = linearHistory(['c1', 'c2'], { 'dist/clusters/prod-euw1': 'c2', 'dist/bundles': 'c1' });
const CREATE: LifecycleStep[] = [
  { phase: 'creating', at: at(1, '10:00'), revision: 'c1' },
  { phase: 'nodeGroupsCreating', at: at(1, '10:12') },
  { phase: 'created', at: at(1, '10:20') },
];
const health = (s: LifecycleSnapshot, dist = AT_133, evidence = BEFORE, fleet: HealthContext = FLEET) =>
  healthOf(dist, fleet, liveClusterOf(s), evidence);
const find = (s: LifecycleSnapshot, kind: string, name: string) => s.objects.find((o) => o.kind === kind && o.metadata.name === name) as Json;
const condition = (o: Json, type: string) => (o.status.conditions as Json[]).find((c) => c.type === type);

describe('cluster health, on the statuses Cluster API v1.14, CAPA v2.11 and Argo CD v3.5 write (test/upstream/status)', () => {
  test('a new cluster is healthy once EKS made its node groups ACTIVE and their Nodes joined, not before', () => {
    const [creating, nodeGroups, created] = simulateLifecycle(INPUTS, CREATE);
    expect(health(creating)).toMatchObject({ healthy: false, reasons: expect.arrayContaining(['control plane is not ready']) });
    // the Cluster says Available, and WorkersAvailable True (NoWorkers: MachinePools are not counted), while no node exists
    expect([condition(find(nodeGroups, 'Cluster', BASE), 'Available')?.status, condition(find(nodeGroups, 'Cluster', BASE), 'WorkersAvailable')])
      .toEqual(['True', expect.objectContaining({ status: 'True', reason: 'NoWorkers' })]);
    expect(health(nodeGroups)).toMatchObject({ healthy: false, reasons: expect.arrayContaining(['node pool system is Provisioning, not Running']) });
    // no MachinePool ever gets a v1beta2 Available condition: the rule reads its phase, v1beta1 conditions and Nodes
    expect((find(created, 'MachinePool', `${BASE}-system`).status.conditions as Json[]).map((c) => c.type)).toEqual(['Paused']);
    expect(health(created)).toEqual({ cluster: 'prod-euw1', healthy: true, reasons: [], since: new Date(at(1, '10:20')) });
  });

  test('an upgrade, commit by commit: healthy again only once the change is synced, the control plane and every Node at the new minor', () => {
    const life = new EksClusterLifecycle(INPUTS);
    CREATE.forEach((step) => life.step(step));
    const created = life.step({ phase: 'created', at: at(2, '09:00') });
    // c2 is committed, Argo CD has not synced it: dist/ says r2 and 1.34, the live objects are those of c1
    expect(health(created, AT_134, AFTER).reasons).toEqual([
      'its Cluster carries revision f2c25840a6f1, not r2: Argo CD has not synced the commit that released it'.replace('f2c25840a6f1', AT_133.specRevision!),
      'control plane runs 1.33, not 1.34',
      ...['gpu', 'system', 'workers'].map((p) => `node pool ${p} asks for v1.33.0, not 1.34: Argo CD has not synced it yet`),
      `Application ${APP} is synced at commit c1, before c2 (the last change to dist/clusters/prod-euw1): Argo CD has not applied it yet`,
    ]);
    // Argo CD applies c2; EKS updates the control plane. CAPA keeps it ready, the Cluster keeps ControlPlaneAvailable
    // True, Argo CD says Healthy; EKS refuses the node groups' update while the cluster updates
    const upgrading = life.step({ phase: 'controlPlaneUpgrading', at: at(2, '10:00'), revision: 'c2', manifests: TO_134 });
    const cp = find(upgrading, 'AWSManagedControlPlane', CONTROL_PLANE);
    expect([cp.status.ready, condition(find(upgrading, 'Cluster', BASE), 'ControlPlaneAvailable')?.status]).toEqual([true, 'True']);
    expect(upgrading.applications.map((a) => (a.status as Json).health.status)).toEqual(['Healthy', 'Healthy', 'Healthy', 'Healthy']);
    expect(upgrading.errors).toContain(`AWSManagedMachinePool/${BASE}-system: failed to reconcile nodegroup version: failed to update EKS nodegroup: `
      + `api error ResourceInUseException: cluster ${EKS} has an update in progress`);
    expect(health(upgrading, AT_134, AFTER)).toMatchObject({ healthy: false, reasons: expect.arrayContaining(['control plane: EKS is updating it (EKSControlPlaneUpdating)']) });
    // the control plane is at 1.34: CAPA now updates each node group, EKSNodegroupReady turns True as the call returns
    const cpDone = life.step({ phase: 'controlPlaneUpgraded', at: at(2, '10:40') });
    expect(cpDone.calls).toEqual(['gpu', 'system', 'workers'].map(() => ({ op: 'UpdateNodegroupVersion', version: '1.34' })));
    expect(condition(find(cpDone, 'AWSManagedMachinePool', `${BASE}-system`), 'EKSNodegroupReady')?.status).toBe('True');
    expect(health(cpDone, AT_134, AFTER).reasons).toEqual(['node pool system has nodes at v1.33.5-eks-113cf36, not 1.34',
      'node pool workers has nodes at v1.33.5-eks-113cf36, not 1.34']);
    // surge Nodes at 1.34 joined next to the old ones: the pools scale (their v1.34 Nodes alone are not the pool)
    const surging = life.step({ phase: 'nodeGroupUpgrading', at: at(2, '11:00') });
    expect(health(surging, AT_134, AFTER).reasons).toEqual(['node pool system is Scaling, not Running', 'node pool workers is Scaling, not Running']);
    // every Node replaced: healthy. No status records when a node group upgrade ends (the MachinePool goes from Scaling
    // to Running, no condition moves), so the soak counts from the latest time one did: the control plane's upgrade
    const done = life.step({ phase: 'nodeGroupUpgraded', at: at(2, '11:30') });
    expect(health(done, AT_134, AFTER)).toEqual({ cluster: 'prod-euw1', healthy: true, reasons: [], since: new Date(at(2, '10:40')) });
    // a later commit that changes nothing of the cluster: Argo CD compares Synced there, the soak clock does not move
    const later = life.step({ phase: 'nodeGroupUpgraded', at: at(3, '09:00'), revision: 'c3' });
    expect(health(later, AT_134, linearHistory(['c1', 'c2', 'c3'], { 'dist/clusters/prod-euw1': 'c2', 'dist/bundles': 'c1' })).since).toEqual(new Date(at(2, '10:40')));
  });

  test('failures the conditions do not show: a FAILED control plane, a DEGRADED node group, a timed-out wait', () => {
    const life = new EksClusterLifecycle(INPUTS);
    CREATE.forEach((step) => life.step(step));
    const degraded = life.step({ phase: 'failure', at: at(2, '10:00'), failure: { machinePool: `${BASE}-gpu`, nodegroup: 'DEGRADED' } });
    expect(degraded.applications[0].status).toMatchObject({ health: { status: 'Healthy' } });
    expect(health(degraded).reasons).toEqual(['node pool gpu has an EKS node group that is not ready (EKSNodegroupReady False, '
      + 'EKSNodegroupReconciliationFailed: failed to set status: unexpected EKS nodegroup status DEGRADED)']);
    const failed = life.step({ phase: 'failure', at: at(2, '11:00'), failure: { controlPlane: 'FAILED' } });
    const cp = find(failed, 'AWSManagedControlPlane', CONTROL_PLANE);
    expect(condition(cp, 'Ready')?.status).toBe('True');
    expect(health(failed).reasons).toEqual(expect.arrayContaining(['Cluster reports a failure: '
      + `Failure detected from referenced resource controlplane.cluster.x-k8s.io/v1beta2, Kind=AWSManagedControlPlane with name "${CONTROL_PLANE}": `
      + 'EKS cluster in unexpected FAILED state', 'control plane reports a failure: EKS cluster in unexpected FAILED state']));

    const stuck = new EksClusterLifecycle(INPUTS);
    CREATE.forEach((step) => stuck.step(step));
    stuck.step({ phase: 'controlPlaneUpgrading', at: at(2, '10:00'), revision: 'c2', manifests: TO_134 });
    const timedOut = stuck.step({ phase: 'controlPlaneUpgrading', at: at(2, '10:31'), waitTimedOut: true });
    expect(health(timedOut, AT_134, AFTER).reasons).toContain('control plane: EKSControlPlaneReady is False, EKSControlPlaneReconciliationFailed: '
      + `failed to wait for cluster to be active: failed to wait for eks control plane "${EKS}": exceeded max wait time for ClusterActive waiter`);
  });

  test('scaling: the autoscaler\'s new instances count in readyReplicas before their Nodes are Ready; healthy once they are', () => {
    const life = new EksClusterLifecycle(INPUTS);
    CREATE.forEach((step) => life.step(step));
    const scaling = life.step({ phase: 'scaling', at: at(2, '10:00'), desiredSizes: { [`${BASE}-workers`]: 8 } });
    expect(find(scaling, 'MachinePool', `${BASE}-workers`).status.readyReplicas).toBe(8);
    expect(health(scaling).reasons).toEqual(['node pool workers is Scaling, not Running']);
    expect(health(life.step({ phase: 'scaled', at: at(2, '10:05'), desiredSizes: { [`${BASE}-workers`]: 8 } }))).toMatchObject({ healthy: true });
  });

  test('a chart bump: healthy only once the ApplicationSet updated the Application and Argo CD synced that version', () => {
    const bumped: HealthContext = { ...FLEET, bundles: FLEET.bundles.map((b) => (b.name === 'cluster-autoscaler' ? { ...b, version: '9.60.0', clusterSources: {} } : b)) };
    const life = new EksClusterLifecycle(INPUTS);
    CREATE.forEach((step) => life.step(step));
    const before = life.step({ phase: 'created', at: at(2, '09:00') });
    expect(health(before, AT_133, BEFORE, bumped).reasons).toEqual([`Application ${AUTOSCALER_APP} installs 9.59.0, not 9.60.0: `
      + 'its ApplicationSet has not updated it yet']);
    const rendered = INPUTS.applications.map((a) => (a.metadata.name !== AUTOSCALER_APP ? a : {
      ...a, spec: { ...(a.spec as Json), sources: (a.spec as Json).sources.map((s: Json) => (s.chart === undefined ? s : { ...s, targetRevision: '9.60.0' })) },
    }));
    // the ApplicationSet controller updated the spec; the application controller has not compared it yet
    const respecified = (a: KubeObject) => ({ ...rendered.find((r) => r.metadata.name === a.metadata.name)!, status: a.status });
    const notCompared = { ...before, applications: before.applications.map(respecified) };
    expect(health(notCompared, AT_133, BEFORE, bumped).reasons).toEqual([`Application ${AUTOSCALER_APP} has not been compared since its spec changed`]);
    const synced = life.step({ phase: 'created', at: at(2, '10:00'), applications: rendered });
    const app = synced.applications.find((a) => a.metadata.name === AUTOSCALER_APP)!;
    expect(app.status).toMatchObject({ sync: { status: 'Synced', revisions: ['9.60.0', 'c1'] }, operationState: { syncResult: { revisions: ['9.60.0', 'c1'] } } });
    expect(health(synced, AT_133, BEFORE, bumped)).toMatchObject({ healthy: true, since: new Date(at(2, '10:00')) });
  });

  test('changes that are not committed, and commits this clone does not have, are said as such', () => {
    const created = simulateLifecycle(INPUTS, CREATE)[2];
    expect(health(created, AT_133, linearHistory(['c1'], { 'dist/clusters/prod-euw1': 'uncommitted', 'dist/bundles': 'c1' })).reasons)
      .toEqual([`Application ${APP} cannot have the changes to dist/clusters/prod-euw1: they are not committed`]);
    expect(health(created, AT_133, linearHistory(['c0'], { 'dist/clusters/prod-euw1': 'c0', 'dist/bundles': 'c0' })).reasons)
      .toEqual([`Application ${APP} is synced at commit c1, which this clone does not have: fetch, then ask again`,
        `Application ${AUTOSCALER_APP} is synced at commit c1, which this clone does not have: fetch, then ask again`]);
  });

  test('clusterHealth: five LISTs whatever the number of clusters, and the paths the Applications read asked of git once', async () => {
    const created = simulateLifecycle(INPUTS, CREATE)[2];
    const api = client([...created.objects, ...created.applications]);
    const asked: string[][] = [];
    const result = await clusterHealth(api, FLEET, [AT_133], async (paths) => {
      asked.push([...paths]);
      return BEFORE;
    });
    expect(result.get('prod-euw1')).toMatchObject({ healthy: true });
    expect(api.lists).toBe(5);
    expect(asked).toEqual([['dist/clusters/prod-euw1', 'dist/bundles/cluster-autoscaler/values.yaml', 'dist/bundles/cluster-autoscaler/values/prod-euw1.yaml']]);
    const missing = await clusterHealth(client([]), FLEET, [cluster('a', { bundles: ['metrics-server'] })], async () => BEFORE);
    expect(missing.get('a')!.reasons).toEqual(expect.arrayContaining(['its Cluster does not exist yet',
      '0 of its 2 Applications exist (the cluster\'s own and one per bundle; is it registered?)']));
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
