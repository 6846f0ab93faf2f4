/**
 * Cluster API v1.14.0 MachinePool status: kubernetes-sigs/cluster-api v1.14.0
 * `core/reconcilers/machinepool/machinepool_controller_status_test.go` (Test_setReplicas, the cases without MachinePool
 * Machines), the phase expectations of `machinepool_controller_phases_test.go` TestReconcileMachinePoolPhases and
 * TestReconcileMachinePoolScaleToFromZero (as the state each case reaches before `reconcilePhase`), then whole
 * reconciles against an AWSManagedMachinePool as CAPA writes it.
 */
import type { Condition } from './capi-conditions';
import { INFRA_FAILURE_PANICS, reconcileMachinePool, reconcilePhase, setReplicas, type WorkloadNode } from './capi-machinepool-status';
import type { KubeObject } from '../../../src/kube/types';

const NOW = '2026-12-01T10:00:00Z';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form status objects read back
type Json = Record<string, any>;

const node = (name: string, kubeletVersion: string, providerID = `aws:///eu-west-1a/i-${name}`, ready = true): WorkloadNode =>
  ({ name, uid: `uid-${name}`, providerID, kubeletVersion, ready });

describe('Test_setReplicas', () => {
  test('without MachinePool Machines versions are not surfaced', () => {
    const mp: KubeObject = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachinePool', metadata: { name: 'mp' }, spec: { replicas: 3 }, status: { replicas: 2 } };
    setReplicas(mp, undefined);
    expect(mp.status).toEqual({ replicas: 2, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 3, versions: undefined });
  });

  test('without MachinePool Machines versions are aggregated from node refs', () => {
    const mp: KubeObject = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachinePool',
      metadata: { name: 'mp' },
      spec: {},
      status: { nodeRefs: [{ name: 'node-1' }, { name: 'node-2' }, { name: 'node-3' }] },
    };
    const nodes = new Map([['provider-id-1', node('node-1', 'v1.31.1')], ['provider-id-2', node('node-2', 'v1.31.1')], ['provider-id-3', node('node-3', 'v1.32.0')]]);
    setReplicas(mp, nodes);
    expect((mp.status as { versions: unknown }).versions).toEqual([{ version: 'v1.31.1', replicas: 2 }, { version: 'v1.32.0', replicas: 1 }]);
  });
});

describe('reconcilePhase (TestReconcileMachinePoolPhases, TestReconcileMachinePoolScaleToFromZero)', () => {
  interface State {
    replicas?: number; bootstrap?: boolean; infra?: boolean; ready?: number; nodeRefs?: number; deleted?: boolean; autoscaled?: boolean;
  }
  const pool = (s: State): KubeObject => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    metadata: {
      name: 'machinepool-test',
      ...(s.deleted ? { deletionTimestamp: NOW } : {}),
      ...(s.autoscaled ? { annotations: { 'cluster.x-k8s.io/replicas-managed-by': 'external-autoscaler' } } : {}),
    },
    spec: { replicas: s.replicas ?? 1 },
    status: {
      initialization: {
        ...(s.bootstrap ? { bootstrapDataSecretCreated: true } : {}),
        ...(s.infra !== undefined ? { infrastructureProvisioned: s.infra } : {}),
      },
      ...(s.ready !== undefined ? { deprecated: { v1beta1: { readyReplicas: s.ready } } } : {}),
      ...(s.nodeRefs ? { nodeRefs: Array.from({ length: s.nodeRefs }, (_, i) => ({ kind: 'Node', name: `n${i}` })) } : {}),
    },
  });
  test.each([
    ['Should set `Pending` with a new MachinePool', {}, 'Pending'],
    ['Should set `Provisioning` when bootstrap is ready', { bootstrap: true }, 'Provisioning'],
    ['Should set `Running` when bootstrap and infra is ready', { bootstrap: true, infra: true, ready: 1, nodeRefs: 1 }, 'Running'],
    ['Should set `Provisioned` when there is a NodeRef but infra is not ready ', { bootstrap: true, infra: false, nodeRefs: 1 }, 'Provisioned'],
    ['Should set `ScalingUp` when infra is scaling up', { bootstrap: true, infra: true, ready: 1, nodeRefs: 1, replicas: 5 }, 'ScalingUp'],
    ['Should set `ScalingDown` when infra is scaling down', { bootstrap: true, infra: true, ready: 4, nodeRefs: 4, replicas: 1 }, 'ScalingDown'],
    ['Should set `Deleting` when MachinePool is being deleted', { bootstrap: true, infra: true, ready: 1, deleted: true }, 'Deleting'],
    ['Should set `ScalingDown` when scaling to zero', { bootstrap: true, infra: true, ready: 1, nodeRefs: 1, replicas: 0 }, 'ScalingDown'],
    ['Should set `Running` when scaled to zero', { bootstrap: true, infra: true, replicas: 0 }, 'Running'],
    ['Should set `ScalingUp` when scaling from zero to one', { bootstrap: true, infra: true, replicas: 1 }, 'ScalingUp'],
    ['an externally autoscaled pool is `Scaling` either way', { bootstrap: true, infra: true, ready: 3, nodeRefs: 3, replicas: 2, autoscaled: true }, 'Scaling'],
  ] as Array<[string, State, string]>)('%s', (_, state, phase) => {
    const mp = pool(state);
    reconcilePhase(mp);
    expect((mp.status as { phase: string }).phase).toBe(phase);
  });
});

describe('a reconcile against an AWSManagedMachinePool (no status.infrastructureMachineKind: no MachinePool Machines)', () => {
  const cluster: KubeObject = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'a', namespace: 'a' }, spec: {} };
  const machinePool: KubeObject = {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    metadata: { name: 'a-general', namespace: 'a', generation: 1, annotations: { 'cluster.x-k8s.io/replicas-managed-by': 'external-autoscaler' } },
    spec: {
      clusterName: 'a',
      replicas: 3,
      template: {
        spec: {
          bootstrap: { dataSecretName: '' },
          clusterName: 'a',
          version: 'v1.33.0',
          infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'AWSManagedMachinePool', name: 'a-general' },
        },
      },
    },
    status: { conditions: [{ type: 'Paused', status: 'False', observedGeneration: 1, lastTransitionTime: NOW, reason: 'NotPaused', message: '' }] },
  };
  const infra = (status: Record<string, unknown>, ids: string[] = []): KubeObject => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedMachinePool',
    metadata: { name: 'a-general', namespace: 'a' },
    spec: ids.length > 0 ? { providerIDList: ids } : {},
    status,
  });
  const ids = ['aws:///eu-west-1a/i-1', 'aws:///eu-west-1b/i-2', 'aws:///eu-west-1c/i-3'];
  const nodes = [node('n1', 'v1.33.5-eks-113cf36', ids[0]), node('n2', 'v1.33.5-eks-113cf36', ids[1]), node('n3', 'v1.34.2-eks-113cf36', ids[2], false)];
  const run = (mp: KubeObject, infraPool: KubeObject | undefined, ns?: WorkloadNode[]) => {
    let out = reconcileMachinePool({ machinePool: mp, cluster, infraMachinePool: infraPool, nodes: ns, now: NOW });
    out = reconcileMachinePool({ machinePool: out.machinePool, cluster, infraMachinePool: infraPool, nodes: ns, now: NOW });
    return out;
  };

  test('while the workload cluster cannot be reached: an error, so no observedGeneration; upToDateReplicas is spec.replicas already', () => {
    const r = run(machinePool, infra({ ready: false, replicas: 0 }));
    const status = r.machinePool.status as Json;
    expect(r.errors).toEqual(['failed to reconcile infrastructure: error getting client: connection to the workload cluster is down']);
    expect(status.observedGeneration).toBeUndefined();
    expect(status.phase).toBe('Provisioning');
    expect(status.upToDateReplicas).toBe(3);
    expect(status.replicas).toBeUndefined();
    expect(status.initialization).toEqual({ bootstrapDataSecretCreated: true, infrastructureProvisioned: false });
    expect(status.deprecated.v1beta1.conditions.map((c: Condition) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'False', 'WaitingForInfrastructure'], ['BootstrapReady', 'True', undefined], ['InfrastructureReady', 'False', 'WaitingForInfrastructure'],
    ]);
  });

  test('ready: replicas and readyReplicas are the provider\'s instance count whatever the Nodes say; the only v1beta2 condition is Paused', () => {
    const r = run(machinePool, infra({ ready: true, replicas: 3, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: NOW }] }, ids), nodes);
    const status = r.machinePool.status as Json;
    expect(r.errors).toEqual([]);
    expect(status.conditions.map((c: Condition) => c.type)).toEqual(['Paused']);
    expect([status.replicas, status.readyReplicas, status.availableReplicas, status.upToDateReplicas]).toEqual([3, 3, 3, 3]);
    expect(status.deprecated.v1beta1).toMatchObject({ readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 });
    expect(status.versions).toEqual([{ version: 'v1.33.5-eks-113cf36', replicas: 2 }, { version: 'v1.34.2-eks-113cf36', replicas: 1 }]);
    expect(status.nodeRefs.map((n: { name: string }) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(status.phase).toBe('Scaling');
    expect(status.deprecated.v1beta1.conditions.find((c: Condition) => c.type === 'ReplicasReady'))
      .toMatchObject({ status: 'False', reason: 'WaitingForReplicasReady', severity: 'Info' });
    expect(r.machinePool.spec).toMatchObject({ providerIDList: ids });
    expect(r.machinePool.metadata.generation).toBe(2);
    expect(status.observedGeneration).toBe(2);
  });

  test('a provider failureMessage makes reconcileExternal dereference nil: the status of the last reconcile stays', () => {
    const failing = infra({ ready: false, replicas: 0, failureMessage: 'EKS nodegroup in failed CREATE_FAILED status' });
    const r = reconcileMachinePool({ machinePool, cluster, infraMachinePool: failing, nodes: [], now: NOW });
    const status = r.machinePool.status as Json;
    expect(r.panic).toBe(INFRA_FAILURE_PANICS);
    expect(status.phase).toBe('Provisioning');
    expect(status.deprecated.v1beta1.failureMessage).toBeUndefined();
    expect(status.upToDateReplicas).toBeUndefined();
    expect(status.observedGeneration).toBe(1);
  });
});
