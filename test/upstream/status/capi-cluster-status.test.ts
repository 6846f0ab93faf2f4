/**
 * Cluster API v1.14.0 Cluster status: the test tables of kubernetes-sigs/cluster-api v1.14.0
 * `core/reconcilers/cluster/cluster_controller_status_test.go` (TestSetPhases, TestSetRemoteConnectionProbeCondition,
 * TestSetInfrastructureReadyCondition, TestSetControlPlaneAvailableCondition, TestSetControlPlaneInitialized,
 * TestSetWorkersAvailableCondition, TestDeletingCondition, TestSetAvailableCondition; the ClusterClass cases are left
 * out), then whole reconciles of a Cluster whose provider objects are CAPA's.
 */
import {
  setControlPlaneAvailableCondition, setControlPlaneInitializedCondition, setDeletingCondition, setInfrastructureReadyCondition,
  setAvailableCondition, setRemoteConnectionProbeCondition, setWorkersAvailableCondition,
} from './capi-cluster-conditions';
import { reconcileCluster, setPhase } from './capi-cluster-status';
import type { Condition } from './capi-conditions';
import type { KubeObject } from '../../../src/kube/types';

const NOW = '2026-12-01T10:00:00Z';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form status objects read back
type Json = Record<string, any>;

interface FakeCluster {
  infra?: string;
  cp?: string;
  provisioned?: boolean;
  initialized?: boolean;
  deleted?: boolean;
  conditions?: Partial<Condition>[];
  endpoint?: { host: string; port: number };
}

/** `fakeCluster` of the upstream test, with its options. */
function fakeCluster(o: FakeCluster = {}): KubeObject {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name: 'c', ...(o.deleted ? { deletionTimestamp: NOW } : {}) },
    spec: {
      ...(o.infra ? { infrastructureRef: { kind: o.infra, name: 'i1' } } : {}),
      ...(o.cp ? { controlPlaneRef: { kind: o.cp, name: 'cp1' } } : {}),
      ...(o.endpoint ? { controlPlaneEndpoint: o.endpoint } : {}),
    },
    status: {
      initialization: { ...(o.provisioned ? { infrastructureProvisioned: true } : {}), ...(o.initialized ? { controlPlaneInitialized: true } : {}) },
      conditions: (o.conditions ?? []).map((c) => ({ lastTransitionTime: NOW, reason: '', message: '', ...c })),
    },
  };
}

const fakeProvider = (kind: string, status: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'x/v1', kind, metadata: { name: 'p1' }, status });

const conditionOf = (cluster: KubeObject, type: string) => {
  const c = ((cluster.status as { conditions?: Condition[] }).conditions ?? []).find((x) => x.type === type);
  return c === undefined ? undefined : { type: c.type, status: c.status, reason: c.reason, message: c.message };
};

describe('TestSetPhases', () => {
  test.each([
    ['cluster not provisioned', fakeCluster(), 'Pending'],
    ['cluster has infrastructureRef', fakeCluster({ infra: 'I' }), 'Provisioning'],
    ['cluster infrastructure is ready', fakeCluster({ infra: 'I', provisioned: true }), 'Provisioning'],
    ['cluster infrastructure is ready and ControlPlaneEndpoint is set', fakeCluster({ infra: 'I', provisioned: true, endpoint: { host: '1.2.3.4', port: 8443 } }), 'Provisioned'],
    ['no cluster infrastructure, control plane ready and ControlPlaneEndpoint is set',
      fakeCluster({ cp: 'C', provisioned: true, endpoint: { host: '1.2.3.4', port: 8443 } }), 'Provisioned'],
    ['cluster has deletion timestamp', fakeCluster({ infra: 'I', provisioned: true, deleted: true }), 'Deleting'],
  ])('%s', (_, cluster, phase) => {
    setPhase(cluster);
    expect((cluster.status as { phase: string }).phase).toBe(phase);
  });
});

describe('TestSetRemoteConnectionProbeCondition', () => {
  const grace = 300;
  const ago = (s: number) => new Date(Date.parse(NOW) - s * 1000).toISOString().replace(/\.000Z$/, 'Z');
  test.each([
    ['connection down, did not try to connect yet', fakeCluster(), { consecutiveFailures: 0 },
      { status: 'False', reason: 'ProbeFailed', message: 'Remote connection not established yet' }],
    ['connection down, did not try to connect yet (preserve existing condition)',
      fakeCluster({ conditions: [{ type: 'RemoteConnectionProbe', status: 'True', reason: 'ProbeSucceeded' }] }), { consecutiveFailures: 0 },
      { status: 'True', reason: 'ProbeSucceeded', message: '' }],
    ['connection down, tried to connect, but failed', fakeCluster(), { consecutiveFailures: 4 },
      { status: 'False', reason: 'ProbeFailed', message: 'Remote connection not established yet' }],
    ['connection down, tried to connect, but failed >=5 times', fakeCluster(), { consecutiveFailures: 5 },
      { status: 'False', reason: 'ProbeFailed', message: 'Remote connection probe failed' }],
    ['connection down, last probe success more than remote connection grace period ago', fakeCluster(),
      { lastProbeSuccessTime: ago(grace + 1), consecutiveFailures: 2 },
      { status: 'False', reason: 'ProbeFailed', message: `Remote connection probe failed, probe last succeeded at ${ago(grace + 1)}` }],
    ['connection up, last probe succeeded within remote connection grace period', fakeCluster(),
      { lastProbeSuccessTime: ago(grace - 1), consecutiveFailures: 2 }, { status: 'True', reason: 'ProbeSucceeded', message: '' }],
  ])('%s', (_, cluster, state, expected) => {
    setRemoteConnectionProbeCondition(cluster, state, grace, NOW);
    expect(conditionOf(cluster, 'RemoteConnectionProbe')).toEqual({ type: 'RemoteConnectionProbe', ...expected });
  });
});

describe('TestSetInfrastructureReadyCondition and TestSetControlPlaneAvailableCondition (no topology)', () => {
  const cases = (kind: string, target: 'InfrastructureReady' | 'ControlPlaneAvailable') => {
    const ok = target === 'InfrastructureReady' ? 'Ready' : 'Available';
    const flag = target === 'InfrastructureReady' ? 'provisioned' : 'initialized';
    const ref = (extra: FakeCluster = {}) => fakeCluster({ ...(target === 'InfrastructureReady' ? { infra: kind } : { cp: kind }), ...extra });
    const field = target === 'InfrastructureReady' ? 'status.initialization.provisioned' : 'status.initialization.controlPlaneInitialized';
    return [
      [`mirror ${ok} condition`, ref(), fakeProvider(kind, { conditions: [{ type: ok, status: 'False', message: 'some message', reason: 'SomeReason' }] }), false,
        { status: 'False', reason: 'SomeReason', message: 'some message' }],
      [`mirror ${ok} condition (true, reason fixed up)`, ref(), fakeProvider(kind, { conditions: [{ type: ok, status: 'True', message: 'some message' }] }), false,
        { status: 'True', reason: ok, message: 'some message' }],
      ['fallback when the condition is missing', ref(), fakeProvider(kind), false,
        { status: 'False', reason: `Not${ok}`, message: `${kind} ${field} is false` }],
      ['fallback when the condition is missing (true)', ref({ [flag]: true }), fakeProvider(kind), false, { status: 'True', reason: ok, message: '' }],
      [`invalid ${ok} condition`, ref(), fakeProvider(kind, { conditions: [{ type: ok }] }), false, {
        status: 'Unknown',
        reason: 'InvalidConditionReported',
        message: `failed to convert status.conditions from ${kind} to []metav1.Condition: status must be set for the ${ok} condition`,
      }],
      ['failed to get the object', ref({ deleted: true }), undefined, false,
        { status: 'Unknown', reason: 'InternalError', message: 'Please check controller logs for errors' }],
      ['ready object not found while cluster is deleting', ref({ [flag]: true, deleted: true }), undefined, true,
        { status: 'False', reason: 'ObjectDeleted', message: `${kind} has been deleted` }],
      ['not found while cluster is deleting', ref({ deleted: true }), undefined, true,
        { status: 'False', reason: 'ObjectDoesNotExist', message: `${kind} does not exist` }],
      ['not found after the cluster has been initialized', ref({ [flag]: true }), undefined, true,
        { status: 'False', reason: 'ObjectDeleted', message: `${kind} has been deleted while the cluster still exists` }],
      ['not found', ref(), undefined, true, { status: 'False', reason: 'ObjectDoesNotExist', message: `${kind} does not exist` }],
    ] as Array<[string, KubeObject, KubeObject | undefined, boolean, Record<string, string>]>;
  };
  test.each(cases('FakeInfraCluster', 'InfrastructureReady'))('InfrastructureReady: %s', (_, cluster, infra, notFound, expected) => {
    setInfrastructureReadyCondition(cluster, infra, notFound, NOW);
    expect(conditionOf(cluster, 'InfrastructureReady')).toEqual({ type: 'InfrastructureReady', ...expected });
  });
  test.each(cases('FakeControlPlane', 'ControlPlaneAvailable'))('ControlPlaneAvailable: %s', (_, cluster, cp, notFound, expected) => {
    setControlPlaneAvailableCondition(cluster, cp, notFound, NOW);
    expect(conditionOf(cluster, 'ControlPlaneAvailable')).toEqual({ type: 'ControlPlaneAvailable', ...expected });
  });
});

describe('TestSetControlPlaneInitialized (control plane object)', () => {
  test.each([
    ['cluster with control plane, control plane does not exist', fakeCluster({ cp: 'FakeControlPlane' }), undefined, true,
      { status: 'Unknown', reason: 'ObjectDoesNotExist', message: 'FakeControlPlane does not exist' }],
    ['cluster with control plane, unexpected error reading the CP', fakeCluster({ cp: 'FakeControlPlane' }), undefined, false,
      { status: 'Unknown', reason: 'InternalError', message: 'Please check controller logs for errors' }],
    ['cluster with control plane, not yet initialized', fakeCluster({ cp: 'FakeControlPlane' }), fakeProvider('FakeControlPlane'), false,
      { status: 'False', reason: 'NotInitialized', message: 'Control plane not yet initialized' }],
    ['cluster with control plane, initialized', fakeCluster({ cp: 'FakeControlPlane' }),
      fakeProvider('FakeControlPlane', { initialization: { controlPlaneInitialized: true } }), false, { status: 'True', reason: 'Initialized', message: '' }],
    ['initialized never flips back to false', fakeCluster({ cp: 'FakeControlPlane', conditions: [{ type: 'ControlPlaneInitialized', status: 'True', reason: 'Initialized' }] }),
      fakeProvider('FakeControlPlane', { initialization: { controlPlaneInitialized: false } }), false, { status: 'True', reason: 'Initialized', message: '' }],
  ] as Array<[string, KubeObject, KubeObject | undefined, boolean, Record<string, string>]>)('%s', (_, cluster, cp, notFound, expected) => {
    setControlPlaneInitializedCondition(cluster, cp, 'v1beta2', notFound, NOW);
    expect(conditionOf(cluster, 'ControlPlaneInitialized')).toEqual({ type: 'ControlPlaneInitialized', ...expected });
  });
});

describe('TestSetWorkersAvailableCondition', () => {
  const worker = (kind: string, name: string, conditions: Partial<Condition>[] = []): KubeObject =>
    ({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind, metadata: { name }, status: { conditions } });
  test('true if no descendants', () => {
    const cluster = fakeCluster({ cp: 'C' });
    setWorkersAvailableCondition(cluster, [], [], NOW);
    expect(conditionOf(cluster, 'WorkersAvailable')).toEqual({ type: 'WorkersAvailable', status: 'True', reason: 'NoWorkers', message: '' });
  });
  test('descendants do not report available', () => {
    const cluster = fakeCluster({ cp: 'C' });
    setWorkersAvailableCondition(cluster, [worker('MachinePool', 'mp1')], [worker('MachineDeployment', 'md1')], NOW);
    expect(conditionOf(cluster, 'WorkersAvailable')).toEqual({
      type: 'WorkersAvailable',
      status: 'Unknown',
      reason: 'AvailableUnknown',
      message: '* MachineDeployment md1: Condition Available not yet reported\n* MachinePool mp1: Condition Available not yet reported',
    });
  });
  test('descendants report available', () => {
    const cluster = fakeCluster({ cp: 'C' });
    const m = (n: number) => `${n} available replicas, at least ${n + 1} required (spec.strategy.rollout.maxUnavailable is 1, spec.replicas is ${n + 2})`;
    setWorkersAvailableCondition(cluster, [worker('MachinePool', 'mp1', [{ type: 'Available', status: 'False', reason: 'Foo', message: m(2) }])],
      [worker('MachineDeployment', 'md1', [{ type: 'Available', status: 'False', reason: 'Foo', message: m(3) }])], NOW);
    expect(conditionOf(cluster, 'WorkersAvailable')).toEqual({
      type: 'WorkersAvailable',
      status: 'False',
      reason: 'NotAvailable',
      message: `* MachineDeployment md1: ${m(3)}\n* MachinePool mp1: ${m(2)}`,
    });
  });
});

describe('TestDeletingCondition', () => {
  test('deletionTimestamp not set', () => {
    const cluster = fakeCluster();
    setDeletingCondition(cluster, '', '', NOW);
    expect(conditionOf(cluster, 'Deleting')).toEqual({ type: 'Deleting', status: 'False', reason: 'NotDeleting', message: '' });
  });
  test('deletionTimestamp set (some reason/message reported)', () => {
    const cluster = fakeCluster({ deleted: true });
    setDeletingCondition(cluster, 'WaitingForWorkersDeletion', '* MachineDeployments: md1, md2', NOW);
    expect(conditionOf(cluster, 'Deleting')).toEqual({ type: 'Deleting', status: 'True', reason: 'WaitingForWorkersDeletion', message: '* MachineDeployments: md1, md2' });
  });
});

describe('TestSetAvailableCondition (no ClusterClass)', () => {
  const all = (deleting: Partial<Condition>, extra: Partial<Condition>[] = []) => [
    { type: 'InfrastructureReady', status: 'True', reason: 'Foo' }, { type: 'ControlPlaneAvailable', status: 'True', reason: 'Foo' },
    { type: 'WorkersAvailable', status: 'True', reason: 'Foo' }, { type: 'RemoteConnectionProbe', status: 'True', reason: 'Foo' }, deleting, ...extra,
  ] as Partial<Condition>[];
  const multiline = '* Control plane Machines: cp1, cp2, cp3\n* MachineDeployments: md1, md2\n* MachineSets: ms1, ms2\n* Worker Machines: w1, w2, w3, w4, w5, ... (3 more)';
  test.each([
    ['Takes into account all the required conditions', fakeCluster(), {
      status: 'Unknown',
      reason: 'AvailableUnknown',
      message: ['Deleting', 'RemoteConnectionProbe', 'InfrastructureReady', 'ControlPlaneAvailable', 'WorkersAvailable']
        .map((t) => `* ${t}: Condition not yet reported`).join('\n'),
    }],
    ['TopologyReconciled is ignored when the cluster is not using CC', fakeCluster({ conditions: all({ type: 'Deleting', status: 'False', reason: 'Foo' }) }),
      { status: 'True', reason: 'Available', message: '' }],
    ['Handles multiline conditions', fakeCluster({ conditions: all({ type: 'Deleting', status: 'True', reason: 'WaitingForWorkersDeletion', message: multiline }) }),
      { status: 'False', reason: 'NotAvailable', message: `* Deleting:\n${multiline.split('\n').map((l) => `  ${l}`).join('\n')}` }],
    ['Tolerates InfraCluster and ControlPlane do not exists while the cluster is deleting', fakeCluster({
      deleted: true,
      conditions: [
        { type: 'InfrastructureReady', status: 'False', reason: 'ObjectDeleted' }, { type: 'ControlPlaneAvailable', status: 'False', reason: 'ObjectDeleted' },
        { type: 'WorkersAvailable', status: 'True', reason: 'Foo' }, { type: 'RemoteConnectionProbe', status: 'True', reason: 'Foo' },
        { type: 'Deleting', status: 'True', reason: 'WaitingForBeforeDeleteHook', message: 'Some message' },
      ],
    }),
    { status: 'False', reason: 'NotAvailable', message: '* Deleting: Some message' }],
  ])('%s', (_, cluster, expected) => {
    setAvailableCondition(cluster, NOW);
    expect(conditionOf(cluster, 'Available')).toEqual({ type: 'Available', ...expected });
  });
});

describe('a reconcile of a Cluster whose providers are CAPA v2.11.1 (v1beta1 contract)', () => {
  const cluster: KubeObject = {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name: 'a', namespace: 'a', generation: 1 },
    spec: {
      controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'AWSManagedControlPlane', name: 'a-control-plane' },
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'AWSManagedCluster', name: 'a' },
    },
  };
  const infra: KubeObject = {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedCluster',
    metadata: { name: 'a', namespace: 'a' },
    spec: { controlPlaneEndpoint: { host: 'https://X.gr7.eu-west-1.eks.amazonaws.com', port: 443 } },
    status: { ready: true },
  };
  const cp = (status: Record<string, unknown>): KubeObject => ({
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedControlPlane',
    metadata: { name: 'a-control-plane', namespace: 'a' },
    spec: { controlPlaneEndpoint: { host: 'https://X.gr7.eu-west-1.eks.amazonaws.com', port: 443 } },
    status,
  });
  const pool: KubeObject = {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    metadata: { name: 'a-general', namespace: 'a' },
    spec: { replicas: 2 },
    status: { replicas: 2, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 2, versions: [{ version: 'v1.33.5-eks-113cf36', replicas: 2 }] },
  };
  const reconcile = (c: KubeObject, controlPlane: KubeObject) => {
    let out = c;
    for (let i = 0; i < 3; i++) {
      out = reconcileCluster({
        cluster: out,
        infraCluster: infra,
        controlPlane,
        machinePools: [pool],
        now: NOW,
        healthCheckingState: { lastProbeSuccessTime: NOW, consecutiveFailures: 0 },
      }).cluster;
    }
    return out;
  };

  test('the first reconcile only writes Paused', () => {
    const r = reconcileCluster({ cluster, infraCluster: infra, controlPlane: cp({}), now: NOW });
    expect(r.requeued).toBe(true);
    expect((r.cluster.status as { conditions: Condition[] }).conditions.map((c) => [c.type, c.status, c.reason])).toEqual([['Paused', 'False', 'NotPaused']]);
  });

  test('ControlPlaneAvailable falls back to initialization.controlPlaneInitialized (CAPA never sets Available); MachinePools are counted, not aggregated', () => {
    const out = reconcile(cluster, cp({ ready: true, initialized: true, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: NOW }] }));
    const status = out.status as Json;
    expect(conditionOf(out, 'ControlPlaneAvailable')).toEqual({ type: 'ControlPlaneAvailable', status: 'True', reason: 'Available', message: '' });
    expect(conditionOf(out, 'WorkersAvailable')).toEqual({ type: 'WorkersAvailable', status: 'True', reason: 'NoWorkers', message: '' });
    expect(conditionOf(out, 'Available')?.status).toBe('True');
    expect(status.workers).toEqual({
      desiredReplicas: 2,
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      upToDateReplicas: 2,
      versions: [{ version: 'v1.33.5-eks-113cf36', replicas: 2 }],
    });
    expect(status.controlPlane).toEqual({});
    expect(status.phase).toBe('Provisioned');
    expect(out.spec).toMatchObject({ controlPlaneEndpoint: { host: 'https://X.gr7.eu-west-1.eks.amazonaws.com', port: 443 } });
    expect(out.metadata.generation).toBe(2);
    expect(status.observedGeneration).toBe(2);
    expect(status.deprecated.v1beta1.conditions.map((c: Condition) => [c.type, c.status])).toEqual([
      ['Ready', 'True'], ['ControlPlaneInitialized', 'True'], ['ControlPlaneReady', 'True'], ['InfrastructureReady', 'True'],
    ]);
  });

  test('a control plane failureMessage is copied under status.deprecated.v1beta1 and never cleared', () => {
    const failed = reconcile(cluster, cp({ ready: false, initialized: true, failureMessage: 'EKS cluster in unexpected FAILED state' }));
    const message = 'Failure detected from referenced resource controlplane.cluster.x-k8s.io/v1beta2, Kind=AWSManagedControlPlane '
      + 'with name "a-control-plane": EKS cluster in unexpected FAILED state';
    expect((failed.status as Json).deprecated.v1beta1.failureMessage).toBe(message);
    const recovered = reconcile(failed, cp({ ready: true, initialized: true }));
    expect((recovered.status as Json).deprecated.v1beta1.failureMessage).toBe(message);
    expect((recovered.status as Json).phase).toBe('Provisioned');
  });
});
