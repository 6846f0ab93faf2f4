/**
 * CAPA v2.11.1 status writers: kubernetes-sigs/cluster-api-provider-aws v2.11.1 `pkg/cloud/services/eks/cluster_test.go`
 * (TestParseEKSVersion, TestVersionToEKS, TestReconcileClusterVersion: "no upgrade necessary", "needs upgrade"); CAPA has
 * no tests of `setStatus` (control plane or node group) or `computeCurrentStatusVersion`, so those cases follow the code
 * and its comments in `pkg/cloud/services/eks/cluster.go` and `nodegroup.go`.
 */
import {
  computeCurrentStatusVersion, CONTROL_PLANE_READY_CONDITIONS, eksMinor, parseClusterVersionString, reconcileControlPlanePass,
  reconcileClusterVersion, reconcileManagedCluster, setControlPlaneStatus, type EksCluster, type EksClusterStatus,
} from './capa-controlplane-status';
import { reconcileNodegroupPass, setNodegroupStatus, type EksNodegroup, type NodegroupStatus } from './capa-nodegroup-status';
import type { V1Beta1Condition } from './v1beta1-conditions';
import type { KubeObject } from '../../../src/kube/types';

const NOW = '2026-12-01T10:00:00Z';
const PAUSED: V1Beta1Condition = { type: 'Paused', status: 'False', lastTransitionTime: NOW, reason: 'NotPaused' };
const cond = (o: KubeObject, type: string) => ((o.status as { conditions?: V1Beta1Condition[] }).conditions ?? []).find((c) => c.type === type);
const brief = (c: V1Beta1Condition | undefined) =>
  (c === undefined ? undefined : [c.status, c.reason, c.severity, c.message].filter((x) => x !== undefined));

type Json = Record<string, unknown>;
const controlPlane = (version: string, status: Json = { conditions: [PAUSED] }, extra: Json = {}): KubeObject => ({
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'AWSManagedControlPlane',
  metadata: { name: 'a-control-plane', namespace: 'a', generation: 1 },
  spec: { eksClusterName: 'a', region: 'eu-west-1', version, associateOIDCProvider: true, ...extra },
  status,
});
const pass = (cp: KubeObject, eks: EksCluster | undefined, gates = { EKSEnableIAM: true }) => reconcileControlPlanePass({ controlPlane: cp, eks, gates, now: NOW, zones: ['eu-west-1a'], cluster: { infrastructureProvisioned: true, infrastructureKind: 'AWSManagedCluster' } });
const ENDPOINT = 'https://ABC.gr7.eu-west-1.eks.amazonaws.com';

describe('versions', () => {
  test.each([['with patch', '1.17.8'], ['with v', 'v1.17.8'], ['no patch', '1.17'], ['with extra data', '1.17-alpha']])('parseEKSVersion/versionToEKS %s', (_, input) => {
    expect(eksMinor(input)).toBe('1.17');
  });
  test.each([
    ['EKS reports no version yet', undefined, 'v1.33', ''],
    ['spec without a patch: the EKS major.minor as reported', '1.33', 'v1.33', '1.33'],
    ['spec with a zero patch', '1.33', 'v1.33.0', '1.33'],
    ['spec with a patch at the same minor: the spec\'s patch', '1.33', 'v1.33.4', '1.33.4'],
    ['EKS still on the old minor during an update', '1.33', 'v1.34.1', '1.33'],
  ])('computeCurrentStatusVersion: %s', (_, eks, spec, expected) => {
    expect(computeCurrentStatusVersion(eks, parseClusterVersionString(spec), parseClusterVersionString(eks))).toBe(expected);
  });
  test.each([['no upgrade necessary', '1.16', '1.16', undefined], ['needs upgrade', '1.16', '1.14', '1.15']])('TestReconcileClusterVersion: %s', (_, spec, eks, next) => {
    expect(reconcileClusterVersion(spec, eks)).toBe(next);
  });
});

describe('AWSManagedControlPlane setStatus', () => {
  test.each([
    ['CREATING', false, undefined, undefined],
    ['ACTIVE', true, undefined, undefined],
    ['UPDATING', true, undefined, undefined],
    ['DELETING', false, undefined, undefined],
    ['FAILED', false, 'EKS cluster in unexpected FAILED state', undefined],
    ['PENDING', undefined, undefined, 'unexpected EKS cluster status PENDING'],
  ] as Array<[EksClusterStatus, boolean | undefined, string | undefined, string | undefined]>)('%s', (status, ready, failureMessage, error) => {
    const cp = controlPlane('v1.33');
    expect(setControlPlaneStatus(cp, { status, version: '1.33' }, NOW)).toBe(error);
    expect(cp.status).toMatchObject({ version: '1.33', ...(ready === undefined ? {} : { ready }) });
    expect((cp.status as { failureMessage?: string }).failureMessage).toBe(failureMessage);
  });

  test('ACTIVE under the standard upgrade policy after EKS upgraded the cluster itself: not ready', () => {
    const cp = controlPlane('v1.31', undefined, { upgradePolicy: 'standard' });
    setControlPlaneStatus(cp, { status: 'ACTIVE', version: '1.32' }, NOW);
    expect(cp.status).toMatchObject({
      ready: false,
      version: '1.32',
      failureMessage: 'EKS control plane a was automatically upgraded to version 1.32.0 because '
      + '1.31.0 is out of standard support. This can be fixed by changing to the version of the AWSManagedControlPlane to the one reported in the status',
    });
  });
});

describe('AWSManagedControlPlane reconcile', () => {
  test('creating: CreateCluster, EKSControlPlaneCreating True, then the reconcile blocks before any Ready summary', () => {
    const r = pass(controlPlane('v1.33'), undefined);
    expect(r.eksCalls).toEqual([{ op: 'CreateCluster', version: '1.33' }]);
    expect(r.blocked).toBe(true);
    expect(r.controlPlane.status).toMatchObject({ ready: false, version: '1.33' });
    expect(brief(cond(r.controlPlane, 'EKSControlPlaneCreating'))).toEqual(['True']);
    expect(cond(r.controlPlane, 'Ready')).toBeUndefined();
    expect(cond(r.controlPlane, 'EKSControlPlaneReady')).toBeUndefined();
    expect((r.controlPlane.status as { initialized?: boolean }).initialized).toBeUndefined();
  });

  test('active: endpoint, initialized, every condition True; no observedGeneration', () => {
    const created = pass(controlPlane('v1.33'), undefined).controlPlane;
    const r = pass(created, { status: 'ACTIVE', version: '1.33', endpoint: ENDPOINT });
    expect(r.controlPlane.spec).toMatchObject({ controlPlaneEndpoint: { host: ENDPOINT, port: 443 } });
    expect(r.controlPlane.status).toMatchObject({ ready: true, initialized: true, version: '1.33', failureDomains: { 'eu-west-1a': { controlPlane: true } } });
    expect(brief(cond(r.controlPlane, 'EKSControlPlaneCreating'))).toEqual(['False', 'created', 'Info']);
    expect(CONTROL_PLANE_READY_CONDITIONS.map((t) => cond(r.controlPlane, t)?.status)).toEqual(CONTROL_PLANE_READY_CONDITIONS.map(() => 'True'));
    expect(brief(cond(r.controlPlane, 'Ready'))).toEqual(['True']);
    expect(r.controlPlane.status).not.toHaveProperty('observedGeneration');
    expect(r.controlPlane.metadata.generation).toBe(2);
  });

  test('TestReconcileClusterVersion "needs upgrade": one minor, EKSControlPlaneUpdating True, then UPDATING keeps ready and the old version', () => {
    const active = pass(pass(controlPlane('v1.16'), undefined).controlPlane, { status: 'ACTIVE', version: '1.14', endpoint: ENDPOINT }).controlPlane;
    const r = pass(active, { status: 'ACTIVE', version: '1.14', endpoint: ENDPOINT });
    expect(r.eksCalls).toEqual([{ op: 'UpdateClusterVersion', version: '1.15' }]);
    expect(brief(cond(r.controlPlane, 'EKSControlPlaneUpdating'))).toEqual(['True']);
    const updating = pass(r.controlPlane, { status: 'UPDATING', version: '1.14', endpoint: ENDPOINT });
    expect(updating.blocked).toBe(true);
    expect(updating.controlPlane.status).toMatchObject({ ready: true, version: '1.14' });
    expect(brief(cond(updating.controlPlane, 'Ready'))).toEqual(['True']);
    // At 1.15 setStatus marks it False/updated and the next UpdateClusterVersion marks it True again in the same reconcile.
    const next = pass(updating.controlPlane, { status: 'ACTIVE', version: '1.15', endpoint: ENDPOINT });
    expect(next.controlPlane.status).toMatchObject({ version: '1.15' });
    expect(next.eksCalls).toEqual([{ op: 'UpdateClusterVersion', version: '1.16' }]);
    expect(brief(cond(next.controlPlane, 'EKSControlPlaneUpdating'))).toEqual(['True']);
    const done = pass(next.controlPlane, { status: 'ACTIVE', version: '1.16', endpoint: ENDPOINT });
    expect(brief(cond(done.controlPlane, 'EKSControlPlaneUpdating'))).toEqual(['False', 'updated', 'Info']);
    expect(done.eksCalls).toEqual([]);
  });

  test('associateOIDCProvider without the EKSEnableIAM gate fails every reconcile after the cluster is up', () => {
    const created = pass(controlPlane('v1.33'), undefined, { EKSEnableIAM: false }).controlPlane;
    const r = pass(created, { status: 'ACTIVE', version: '1.33', endpoint: ENDPOINT }, { EKSEnableIAM: false });
    const message = 'failed reconciling OIDC provider for cluster: \'AssociateOIDCProvider\' provided without enabling the \'EKSEnableIAM\' feature flag';
    expect(r.error).toBe(message);
    expect(brief(cond(r.controlPlane, 'EKSControlPlaneReady'))).toEqual(['False', 'EKSControlPlaneReconciliationFailed', 'Error', message]);
    expect(brief(cond(r.controlPlane, 'Ready'))).toEqual(['False', 'EKSControlPlaneReconciliationFailed', 'Error', '8 of 11 completed']);
    expect(r.controlPlane.status).toMatchObject({ ready: true, initialized: true });
  });

  test('PENDING: status.version is written, the reconcile fails', () => {
    const r = pass(controlPlane('v1.33'), { status: 'PENDING', version: '1.33' });
    expect(r.error).toBe('failed to set status: unexpected EKS cluster status PENDING');
    expect(r.controlPlane.status).toMatchObject({ version: '1.33', ready: false });
  });

  test('the AWSManagedCluster is ready at once and copies endpoint and failure domains', () => {
    const cluster: KubeObject = {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'AWSManagedCluster',
      metadata: { name: 'a', namespace: 'a' },
      spec: {},
      status: { conditions: [PAUSED] },
    };
    expect(reconcileManagedCluster(cluster, controlPlane('v1.33'), false, NOW)).toEqual({ ...cluster, status: { conditions: [PAUSED], ready: true } });
    const cp = controlPlane('v1.33', { failureDomains: { 'eu-west-1a': { controlPlane: true } } }, { controlPlaneEndpoint: { host: ENDPOINT, port: 443 } });
    expect(reconcileManagedCluster(cluster, cp, false, NOW)).toMatchObject({
      metadata: { generation: 2 },
      spec: { controlPlaneEndpoint: { host: ENDPOINT, port: 443 } },
      status: { ready: true, failureDomains: { 'eu-west-1a': { controlPlane: true } } },
    });
  });
});

describe('AWSManagedMachinePool', () => {
  const ng = (status: NodegroupStatus, extra: Partial<EksNodegroup> = {}): EksNodegroup => ({
    status,
    version: '1.33',
    desiredSize: 2,
    minSize: 1,
    maxSize: 4,
    instances: [{ id: 'i-1', zone: 'eu-west-1a' }, { id: 'i-2', zone: 'eu-west-1b' }],
    hasAutoScalingGroup: true,
    ...extra,
  });
  const mmp = (): KubeObject => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedMachinePool',
    metadata: { name: 'a-general', namespace: 'a' },
    spec: { eksNodegroupName: 'a-general', scaling: { minSize: 1, maxSize: 4 } },
    status: { conditions: [PAUSED] },
  });
  const mp = (version = 'v1.33.0'): KubeObject => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    metadata: { name: 'a-general', namespace: 'a', annotations: { 'cluster.x-k8s.io/replicas-managed-by': 'external-autoscaler' } },
    spec: { replicas: 1, template: { spec: { version } } },
  });
  const readyCp = controlPlane('v1.33', { ready: true });
  const run = (nodegroup: EksNodegroup | undefined, o: { version?: string; waitTimedOut?: boolean; cp?: KubeObject } = {}) =>
    reconcileNodegroupPass({
      managedMachinePool: mmp(),
      machinePool: mp(o.version),
      controlPlane: o.cp ?? readyCp,
      nodegroup,
      now: NOW,
      waitTimedOut: o.waitTimedOut,
    });

  test.each([
    ['CREATING', false, undefined, undefined], ['ACTIVE', true, undefined, undefined], ['UPDATING', true, undefined, undefined],
    ['DELETING', false, undefined, undefined], ['CREATE_FAILED', false, 'EKS nodegroup in failed CREATE_FAILED status', undefined],
    ['DELETE_FAILED', false, 'EKS nodegroup in failed DELETE_FAILED status', undefined], ['DEGRADED', undefined, undefined, 'unexpected EKS nodegroup status DEGRADED'],
  ] as Array<[NodegroupStatus, boolean | undefined, string | undefined, string | undefined]>)('setStatus %s', (status, ready, failureMessage, error) => {
    const pool = mmp();
    expect(setNodegroupStatus(pool, ng(status))).toBe(error);
    const s = pool.status as { ready?: boolean; replicas?: number; failureMessage?: string };
    expect([s.ready, s.failureMessage, s.replicas]).toEqual([ready, failureMessage, ready ? 2 : undefined]);
  });

  test('nothing is stored while the control plane is not ready (EKSNodegroupReady False is never patched)', () => {
    const r = run(undefined, { cp: controlPlane('v1.33', { ready: false }) });
    expect(r.calls).toEqual([]);
    expect(r.managedMachinePool.status).toEqual({ conditions: [PAUSED], ready: false, replicas: 0 });
  });

  test('creating blocks with ready false and no Ready summary yet', () => {
    const r = run(undefined);
    expect(r.calls).toEqual([{ op: 'CreateNodegroup', desiredSize: 1, minSize: 1, maxSize: 4, version: '1.33' }]);
    expect(r.blocked).toBe(true);
    expect(r.managedMachinePool.status).toMatchObject({ ready: false, replicas: 0 });
    expect(cond(r.managedMachinePool, 'Ready')).toBeUndefined();
    expect(brief(cond(r.managedMachinePool, 'IAMNodegroupRolesReady'))).toEqual(['True']);
  });

  test('active: instances and provider IDs copied, the MachinePool replicas set to the desired size', () => {
    const r = run(ng('ACTIVE'));
    expect(r.managedMachinePool.spec).toMatchObject({ providerIDList: ['aws:///eu-west-1a/i-1', 'aws:///eu-west-1b/i-2'] });
    expect(r.managedMachinePool.status).toMatchObject({ ready: true, replicas: 2 });
    expect(r.machinePool.spec).toMatchObject({ replicas: 2 });
    expect([brief(cond(r.managedMachinePool, 'Ready')), brief(cond(r.managedMachinePool, 'EKSNodegroupReady'))]).toEqual([['True'], ['True']]);
    expect(r.managedMachinePool.status).not.toHaveProperty('observedGeneration');
  });

  test('an upgrade: UpdateNodegroupVersion returns and EKSNodegroupReady is True at once; while UPDATING ready stays true', () => {
    const r = run(ng('ACTIVE'), { version: 'v1.34.0' });
    expect(r.calls).toEqual([{ op: 'UpdateNodegroupVersion', version: '1.34' }]);
    expect(brief(cond(r.managedMachinePool, 'EKSNodegroupReady'))).toEqual(['True']);
    const updating = run(ng('UPDATING', { instances: [...ng('ACTIVE').instances, { id: 'i-3', zone: 'eu-west-1c' }] }), { version: 'v1.34.0' });
    expect(updating.blocked).toBe(true);
    expect(updating.managedMachinePool.status).toMatchObject({ ready: true, replicas: 3 });
  });

  test('DEGRADED: the reconcile fails and status.ready keeps its last value', () => {
    const active = run(ng('ACTIVE')).managedMachinePool;
    const r = reconcileNodegroupPass({ managedMachinePool: active, machinePool: mp(), controlPlane: readyCp, nodegroup: ng('DEGRADED'), now: NOW });
    expect(r.managedMachinePool.status).toMatchObject({ ready: true, replicas: 2 });
    expect(brief(cond(r.managedMachinePool, 'EKSNodegroupReady')))
      .toEqual(['False', 'EKSNodegroupReconciliationFailed', 'Error', 'failed to set status: unexpected EKS nodegroup status DEGRADED']);
    expect(brief(cond(r.managedMachinePool, 'Ready'))).toEqual(['False', 'EKSNodegroupReconciliationFailed', 'Error', '1 of 3 completed']);
  });

  test('CREATE_FAILED: not ready with a failureMessage, yet EKSNodegroupReady and Ready are True', () => {
    const r = run(ng('CREATE_FAILED', { instances: [] }));
    expect(r.managedMachinePool.status).toMatchObject({ ready: false, failureMessage: 'EKS nodegroup in failed CREATE_FAILED status' });
    expect([brief(cond(r.managedMachinePool, 'Ready')), brief(cond(r.managedMachinePool, 'EKSNodegroupReady'))]).toEqual([['True'], ['True']]);
  });

  test('a wait for ACTIVE that runs out dereferences the nil node group of an externally autoscaled pool', () => {
    const r = run(ng('UPDATING'), { waitTimedOut: true });
    expect(r.panic).toBe('runtime error: invalid memory address or nil pointer dereference');
    expect(r.managedMachinePool.status).toMatchObject({ ready: true });
  });
});
