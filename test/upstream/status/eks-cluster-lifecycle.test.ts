/**
 * The statuses of one cluster of the example fleet (`dist/clusters/prod-euw1`, three autoscaled node pools, EKS 1.33)
 * through its lifecycle, as the ported status writers produce them, checked field by field and against the CRD
 * schemas (status included) of Cluster API v1.14.0, CAPA v2.11.1 and Argo CD v3.5.1.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { resourceHealth } from './argocd-application-status';
import { simulateLifecycle, type LifecycleSnapshot, type LifecycleStep } from './eks-cluster-lifecycle';
import type { KubeObject } from '../../../src/kube/types';
import { applicationNameOf, oneCluster, readDistFiles, readFiles } from '../../../src/operations/dist-fleet';
import { CrdSchemas } from '../../support/crd-schemas';
import { generateApplications } from '../argocd-applicationset';
import { registered } from '../argocd-instance';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form status objects read back
type Json = Record<string, any>;
const DIST = path.join(__dirname, '..', '..', '..', 'dist');
const readYaml = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
  .map((f) => YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as KubeObject);
const objects = readYaml(path.join(DIST, 'clusters', 'prod-euw1'));
/** prod-euw1 as dist/ records it: its objects and Applications are named after its base name (`acme--prod-euw1`). */
const FLEET = readDistFiles(readFiles(DIST, oneCluster('prod-euw1')), 'dist');
const PROD = FLEET.clusters.find((c) => c.name === 'prod-euw1')!;
const BASE = PROD.capiName!;
/** The name of prod-euw1's Application (no bundle) or of its bundle Application. */
const appName = (bundle?: string) => applicationNameOf(FLEET.name, PROD, bundle);
const applications = fs.readdirSync(path.join(DIST, 'argocd', 'shards')).sort()
  .flatMap((shard) => readYaml(path.join(DIST, 'argocd', 'shards', shard)))
  .flatMap((set) => generateApplications(set, { clusters: registered('acme', [PROD]), projects: new Set(['acme-clusters', 'acme-bundles']) }).applications)
  .filter((a) => a.metadata.labels?.['arlon.io/cluster'] === 'prod-euw1');
const changed = (kind: string, change: (o: Json) => void) => objects.filter((o) => o.kind === kind).map((o) => {
  const copy = structuredClone(o) as Json;
  change(copy);
  return copy as KubeObject;
});
const at = (day: number, time: string) => `2026-12-0${day}T${time}:00Z`;

const UPGRADE: LifecycleStep[] = [
  { phase: 'creating', at: at(1, '10:00'), revision: 'a1a1a1a' },
  { phase: 'nodeGroupsCreating', at: at(1, '10:12') },
  { phase: 'created', at: at(1, '10:20') },
  { phase: 'controlPlaneUpgrading', at: at(2, '10:00'), revision: 'b2b2b2b', manifests: changed('AWSManagedControlPlane', (o) => { o.spec.version = 'v1.34'; }) },
  { phase: 'controlPlaneUpgrading', at: at(2, '10:31'), waitTimedOut: true },
  { phase: 'controlPlaneUpgraded', at: at(2, '10:40') },
  { phase: 'nodeGroupUpgrading', at: at(3, '10:00'), revision: 'c3c3c3c', manifests: changed('MachinePool', (o) => { o.spec.template.spec.version = 'v1.34.0'; }) },
  { phase: 'nodeGroupUpgraded', at: at(3, '11:00') },
  { phase: 'scaling', at: at(4, '10:00'), desiredSizes: { [`${BASE}-workers`]: 8 } },
  { phase: 'scaled', at: at(4, '10:05'), desiredSizes: { [`${BASE}-workers`]: 8 } },
  { phase: 'failure', at: at(5, '10:00'), failure: { machinePool: `${BASE}-gpu`, nodegroup: 'DEGRADED' } },
  { phase: 'failure', at: at(5, '11:00'), failure: { controlPlane: 'FAILED' } },
];

const find = (s: LifecycleSnapshot, kind: string, name = kind === 'AWSManagedControlPlane' ? 'control-plane' : undefined) =>
  s.objects.find((o) => o.kind === kind && o.metadata.name === (name === undefined ? BASE : `${BASE}-${name}`)) as Json;
const cond = (conditions: Json[] | undefined, type: string) => {
  const c = (conditions ?? []).find((x) => x.type === type);
  return c === undefined ? undefined : [c.status, c.reason, c.severity].filter((x) => x !== undefined && x !== '').join('/');
};
const health = (o: Json) => resourceHealth(o as KubeObject);
const app = (s: LifecycleSnapshot, name = appName()) => s.applications.find((a) => a.metadata.name === name) as Json | undefined;
const POOLS = ['gpu', 'system', 'workers'];

describe('the upgrade path of prod-euw1', () => {
  let snapshots: LifecycleSnapshot[];
  const phase = (i: number) => snapshots[i];
  beforeAll(() => {
    snapshots = simulateLifecycle({ objects, applications }, UPGRADE);
  });

  test('every object and Application is valid against its CRD, status included, at every phase', () => {
    const schemas = new CrdSchemas();
    const problems = snapshots.flatMap((s) => [...s.objects, ...s.applications].flatMap((o) => schemas.validate(o).map((p) => `${s.phase} ${s.at}: ${p}`)));
    expect(problems).toEqual([]);
    const live = find(phase(2), 'MachinePool', 'system') as KubeObject;
    const bogus: KubeObject = { ...live, status: { ...(live.status as Json), ready: true } };
    expect(schemas.validate(bogus)).toEqual([`MachinePool/${BASE}-system: /status must NOT have additional properties ("ready")`]);
  });

  test('observedGeneration exists on Cluster and MachinePool (and on each v1beta2 condition), never on the CAPA kinds', () => {
    const s = phase(2);
    expect(find(s, 'Cluster').status.observedGeneration).toBe(find(s, 'Cluster').metadata.generation);
    expect(find(s, 'Cluster').status.conditions.every((c: Json) => typeof c.observedGeneration === 'number')).toBe(true);
    for (const kind of ['AWSManagedCluster', 'AWSManagedControlPlane', 'AWSManagedMachinePool']) {
      expect(s.objects.filter((o) => o.kind === kind).map((o) => 'observedGeneration' in (o.status as Json))).not.toContain(true);
    }
  });

  test('creating: EKS CREATING; the control plane not ready; no node group yet; nothing Healthy in Argo CD', () => {
    const s = phase(0);
    const cluster = find(s, 'Cluster');
    expect(s.calls).toEqual([{ op: 'CreateCluster', version: '1.33' }]);
    expect(cluster.status.phase).toBe('Provisioning');
    expect(['Available', 'RemoteConnectionProbe', 'InfrastructureReady', 'ControlPlaneInitialized', 'ControlPlaneAvailable', 'WorkersAvailable', 'RollingOut']
      .map((t) => cond(cluster.status.conditions, t))).toEqual(['False/NotAvailable', 'False/ProbeFailed', 'True/Ready', 'False/NotInitialized',
      'False/NotAvailable', 'True/NoWorkers', 'False/NotRollingOut']);
    expect(cluster.status.deprecated.v1beta1.conditions.map((c: Json) => `${c.type}=${c.status}/${c.reason ?? ''}`)).toEqual(['Ready=False/WaitingForControlPlane',
      'ControlPlaneInitialized=False/WaitingForControlPlaneProviderInitialized', 'ControlPlaneReady=False/WaitingForControlPlane', 'InfrastructureReady=True/']);
    const cp = find(s, 'AWSManagedControlPlane');
    expect([cp.status.ready, cp.status.version, cp.status.initialized]).toEqual([false, '1.33', undefined]);
    expect([cond(cp.status.conditions, 'EKSControlPlaneCreating'), cond(cp.status.conditions, 'Ready')]).toEqual(['True', undefined]);
    for (const pool of POOLS) {
      expect(find(s, 'AWSManagedMachinePool', pool).status.conditions.map((c: Json) => c.type)).toEqual(['Paused']);
      const mp = find(s, 'MachinePool', pool);
      expect([mp.status.phase, mp.status.observedGeneration, mp.status.replicas, mp.status.upToDateReplicas])
        .toEqual(['Provisioning', undefined, undefined, mp.spec.replicas]);
      expect(health(mp)).toEqual({ status: 'Progressing', message: 'MachinePool is Provisioning: Not Paused (NotPaused)' });
    }
    expect([health(cluster), health(cp)]).toEqual([{ status: 'Progressing', message: 'Waiting for clusters' },
      { status: 'Progressing', message: 'Control plane is not ready (.status.ready is false)' }]);
    expect(s.applications.map((a) => a.metadata.name)).toEqual([appName()]);
    expect(app(s)!.status).toMatchObject({ sync: { status: 'Synced', revision: 'a1a1a1a' }, health: { status: 'Progressing' } });
  });

  test('control plane ACTIVE, node groups CREATING: the Cluster is Available and Provisioned while every pool provisions', () => {
    const s = phase(1);
    const cluster = find(s, 'Cluster');
    expect([cluster.status.phase, cond(cluster.status.conditions, 'Available'), cond(cluster.status.conditions, 'WorkersAvailable')])
      .toEqual(['Provisioned', 'True/Available', 'True/NoWorkers']);
    expect(cluster.status.workers).toEqual({ desiredReplicas: 9, upToDateReplicas: 9 });
    expect(find(s, 'AWSManagedControlPlane').status).toMatchObject({ ready: true, initialized: true, version: '1.33' });
    expect(POOLS.map((p) => [find(s, 'AWSManagedMachinePool', p).status.ready, find(s, 'MachinePool', p).status.phase]))
      .toEqual(POOLS.map(() => [false, 'Provisioning']));
    expect(app(s)!.status.health.status).toBe('Progressing');
    expect(s.applications.map((a) => [a.metadata.name, (a.status as Json).sync.status, (a.status as Json).health.status])).toEqual([
      [appName(), 'Synced', 'Progressing'], [appName('baseline-policies'), 'Synced', 'Healthy'],
      [appName('cluster-autoscaler'), 'Synced', 'Healthy'], [appName('metrics-server'), 'Synced', 'Healthy'],
    ]);
  });

  test('created: pools Running with readyReplicas = replicas, versions from the kubelets; the only v1beta2 MachinePool condition is Paused', () => {
    const s = phase(2);
    for (const [pool, n] of [['gpu', 0], ['system', 3], ['workers', 6]] as const) {
      const mp = find(s, 'MachinePool', pool);
      const st = mp.status;
      expect([mp.spec.replicas, st.phase, st.replicas, st.readyReplicas, st.availableReplicas, st.upToDateReplicas])
        .toEqual([n, 'Running', n, n, n, n]);
      expect(mp.status.versions).toEqual(n === 0 ? undefined : [{ version: 'v1.33.5-eks-113cf36', replicas: n }]);
      expect(mp.status.conditions.map((c: Json) => `${c.type}=${c.status}`)).toEqual(['Paused=False']);
      expect(cond(mp.status.deprecated.v1beta1.conditions, 'Ready')).toBe('True');
      expect(health(mp)).toEqual({ status: 'Healthy', message: 'MachinePool is Running: Not Paused (NotPaused)' });
      expect(find(s, 'AWSManagedMachinePool', pool).status).toMatchObject({ ready: true, replicas: n });
    }
    expect(find(s, 'Cluster').status.workers.versions).toEqual([{ version: 'v1.33.5-eks-113cf36', replicas: 9 }]);
    expect(s.applications.map((a) => (a.status as Json).health.status)).toEqual(['Healthy', 'Healthy', 'Healthy', 'Healthy']);
  });

  test('control plane upgrading (EKS UPDATING): ready stays true, version stays 1.33, Cluster Available and not RollingOut, Argo CD Healthy', () => {
    const s = phase(3);
    const cp = find(s, 'AWSManagedControlPlane');
    expect(s.calls).toEqual([{ op: 'UpdateClusterVersion', version: '1.34' }]);
    expect([cp.spec.version, cp.status.ready, cp.status.version]).toEqual(['v1.34', true, '1.33']);
    expect(['EKSControlPlaneUpdating', 'EKSControlPlaneReady', 'Ready'].map((t) => cond(cp.status.conditions, t))).toEqual(['True', 'True', 'True']);
    const cluster = find(s, 'Cluster');
    expect(['Available', 'ControlPlaneAvailable', 'RollingOut'].map((t) => cond(cluster.status.conditions, t))).toEqual(['True/Available', 'True/Available',
      'False/NotRollingOut']);
    expect([health(cp)?.status, health(cluster)?.status]).toEqual(['Healthy', 'Healthy']);
    expect(app(s)!.status).toMatchObject({ sync: { status: 'Synced', revision: 'b2b2b2b' }, health: { status: 'Healthy' } });
  });

  test('past the 30-minute wait the blocked reconcile fails: Ready False/Error, Argo CD Degraded; the Cluster does not notice', () => {
    const s = phase(4);
    const cp = find(s, 'AWSManagedControlPlane');
    expect(cond(cp.status.conditions, 'Ready')).toBe('False/EKSControlPlaneReconciliationFailed/Error');
    expect(health(cp)?.status).toBe('Degraded');
    expect(cond(find(s, 'Cluster').status.conditions, 'Available')).toBe('True/Available');
    expect(app(s)!.status.health).toEqual({ status: 'Degraded', lastTransitionTime: at(2, '10:31') });
  });

  test('control plane upgraded: version 1.34, EKSControlPlaneUpdating False/updated', () => {
    const cp = find(phase(5), 'AWSManagedControlPlane');
    expect([cp.status.version, cond(cp.status.conditions, 'EKSControlPlaneUpdating'), cond(cp.status.conditions, 'Ready')])
      .toEqual(['1.34', 'False/updated/Info', 'True']);
  });

  test('node groups upgrading: ready and EKSNodegroupReady True at once; surge nodes make the pools Scaling, still Healthy', () => {
    const s = phase(6);
    expect(s.calls).toEqual(POOLS.map(() => ({ op: 'UpdateNodegroupVersion', version: '1.34' })));
    const workers = find(s, 'MachinePool', 'workers');
    expect([workers.status.phase, workers.spec.replicas, workers.status.replicas, workers.status.readyReplicas, workers.status.upToDateReplicas])
      .toEqual(['Scaling', 6, 12, 12, 6]);
    expect(workers.status.versions).toEqual([{ version: 'v1.33.5-eks-113cf36', replicas: 6 }, { version: 'v1.34.5-eks-113cf36', replicas: 6 }]);
    const mmp = find(s, 'AWSManagedMachinePool', 'workers');
    expect([mmp.status.ready, cond(mmp.status.conditions, 'EKSNodegroupReady'), cond(mmp.status.conditions, 'Ready')]).toEqual([true, 'True', 'True']);
    expect(health(workers)?.status).toBe('Healthy');
    expect(cond(find(s, 'Cluster').status.conditions, 'RollingOut')).toBe('False/NotRollingOut');
  });

  test('node groups upgraded: every node at 1.34', () => {
    expect(POOLS.slice(1).map((p) => find(phase(7), 'MachinePool', p).status.versions)).toEqual([[{ version: 'v1.34.5-eks-113cf36', replicas: 3 }],
      [{ version: 'v1.34.5-eks-113cf36', replicas: 6 }]]);
  });

  test('scaling: CAPA writes the desired size into spec.replicas; readyReplicas counts instances, not Ready nodes', () => {
    const workers = find(phase(8), 'MachinePool', 'workers');
    expect([workers.spec.replicas, workers.status.replicas, workers.status.readyReplicas, workers.status.deprecated.v1beta1.readyReplicas,
      workers.status.versions[0].replicas, workers.status.phase, health(workers)?.status]).toEqual([8, 8, 8, 6, 6, 'Scaling', 'Healthy']);
    expect(find(phase(9), 'MachinePool', 'workers').status.phase).toBe('Running');
  });

  test('a DEGRADED node group: EKSNodegroupReady False/Error but ready stays true; the MachinePool stays Running and Healthy', () => {
    const s = phase(10);
    const mmp = find(s, 'AWSManagedMachinePool', 'gpu');
    expect([mmp.status.ready, cond(mmp.status.conditions, 'EKSNodegroupReady'), cond(mmp.status.conditions, 'Ready')])
      .toEqual([true, 'False/EKSNodegroupReconciliationFailed/Error', 'False/EKSNodegroupReconciliationFailed/Error']);
    const mp = find(s, 'MachinePool', 'gpu');
    expect([mp.status.phase, cond(mp.status.deprecated.v1beta1.conditions, 'InfrastructureReady'), health(mp)?.status])
      .toEqual(['Running', 'False/EKSNodegroupReconciliationFailed/Error', 'Healthy']);
    expect(app(s)!.status.health.status).toBe('Healthy');
  });

  test('a FAILED control plane: ready false with a failureMessage, yet Ready True and Argo CD Healthy; the Cluster stays Available', () => {
    const s = phase(11);
    const cp = find(s, 'AWSManagedControlPlane');
    expect([cp.status.ready, cp.status.failureMessage, cond(cp.status.conditions, 'Ready'), health(cp)?.status])
      .toEqual([false, 'EKS cluster in unexpected FAILED state', 'True', 'Healthy']);
    const cluster = find(s, 'Cluster');
    expect([cluster.status.phase, cond(cluster.status.conditions, 'Available')]).toEqual(['Provisioned', 'True/Available']);
    expect(cluster.status.deprecated.v1beta1.failureMessage).toMatch(new RegExp(`AWSManagedControlPlane with name "${PROD.controlPlaneName!}": EKS cluster in unexpected FAILED state$`));
  });

  test('the simulation is deterministic', () => {
    expect(simulateLifecycle({ objects, applications }, UPGRADE)).toEqual(snapshots);
  });
});

describe('other lifecycles of prod-euw1', () => {
  const start: LifecycleStep[] = [{ phase: 'creating', at: at(1, '10:00'), revision: 'a1a1a1a' }, { phase: 'nodeGroupsCreating', at: at(1, '10:12') }];

  test('a node group CREATE_FAILED: CAPA reports ready false and a failureMessage; the MachinePool reconcile panics and stays Provisioning', () => {
    const [, , s] = simulateLifecycle({ objects, applications },
      [...start, { phase: 'created', at: at(1, '10:20'), failure: { machinePool: `${BASE}-system`, nodegroup: 'CREATE_FAILED' } }]);
    const mmp = find(s, 'AWSManagedMachinePool', 'system');
    expect([mmp.status.ready, mmp.status.failureMessage, cond(mmp.status.conditions, 'Ready')]).toEqual([false, 'EKS nodegroup in failed CREATE_FAILED status', 'True']);
    expect(s.errors).toEqual([`MachinePool/${BASE}-system: panic: runtime error: invalid memory address or nil pointer dereference`]);
    const mp = find(s, 'MachinePool', 'system');
    expect([mp.status.phase, mp.status.deprecated.v1beta1.failureMessage, health(mp)?.status]).toEqual(['Provisioning', undefined, 'Progressing']);
    expect(app(s)!.status.health.status).toBe('Progressing');
  });

  test('CAPA as clusterctl installs it (EKSEnableIAM and MachinePool gates off): Degraded control plane, node pools never created', () => {
    const [, , s] = simulateLifecycle({ objects, applications, capaGates: { EKSEnableIAM: false, MachinePool: false } },
      [...start, { phase: 'created', at: at(1, '10:20') }]);
    const cp = find(s, 'AWSManagedControlPlane');
    expect([cp.status.ready, cond(cp.status.conditions, 'EKSControlPlaneReady'), health(cp)?.status])
      .toEqual([true, 'False/EKSControlPlaneReconciliationFailed/Error', 'Degraded']);
    expect(POOLS.map((p) => [find(s, 'AWSManagedMachinePool', p).status, find(s, 'MachinePool', p).status.phase])).toEqual(POOLS.map(() => [undefined, 'Provisioning']));
    expect(app(s)!.status.health.status).toBe('Degraded');
  });
});
