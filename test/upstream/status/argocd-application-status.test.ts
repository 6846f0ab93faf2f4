/**
 * Argo CD v3.5.1 Application status: the `health_test.yaml` tables of argoproj/argo-cd v3.5.1
 * `resource_customizations/cluster.x-k8s.io/Cluster`, `cluster.x-k8s.io/MachinePool` and
 * `controlplane.cluster.x-k8s.io/AWSManagedControlPlane` (each `testdata/*.yaml` reduced to the fields the script
 * reads: `spec.paused`, `status.phase`, `status.conditions`, `status.ready`), then `setApplicationHealth` and the
 * operation state across an automated sync (`controller/appcontroller.go`, `controller/health.go`).
 */
import {
  applicationStatus, awsManagedControlPlaneHealth, clusterHealth, durationSeconds, machinePoolHealth, resourceHealth, setApplicationHealth,
} from './argocd-application-status';
import type { KubeObject } from '../../../src/kube/types';
import { CrdSchemas } from '../../support/crd-schemas';

type Json = Record<string, unknown>;
const c = (type: string, status: string, extra: Json = {}) => ({ type, status, lastTransitionTime: '2024-07-30T11:10:03Z', ...extra });

describe('cluster.x-k8s.io/Cluster/health_test.yaml', () => {
  const ready = [c('Ready', 'True'), c('ControlPlaneReady', 'True'), c('InfrastructureReady', 'True')];
  const thumbprint = 'Post "https://tvc01.foo.bar/sdk": host "tvc01.foo.bar:443" thumbprint does not match "0A:21:BD:FC:71:40:BD:96"';
  test.each([
    ['testdata/progressing_provisioning.yaml', { status: { phase: 'Provisioning', conditions: ready } }, 'Progressing', 'Waiting for clusters'],
    ['testdata/degraded_failed.yaml', { status: { phase: 'Failed', conditions: [c('Ready', 'False', { message: 'Error message' })] } }, 'Degraded', 'Error message'],
    ['testdata/suspended_paused.yaml', { spec: { paused: true }, status: { phase: 'Failed' } }, 'Suspended', 'Cluster is paused'],
    ['testdata/healthy_provisioned.yaml', { status: { phase: 'Provisioned', conditions: ready } }, 'Healthy', 'Cluster is running'],
    ['testdata/error_provisioned.yaml', {
      status: {
        phase: 'Provisioned',
        conditions: [c('Ready', 'False', {
          reason: 'VCenterUnreachable',
          severity: 'Error',
          message: thumbprint,
        })],
      },
    }, 'Degraded', thumbprint],
  ])('%s', (_, obj, status, message) => {
    expect(clusterHealth(obj)).toEqual({ status, message });
  });

  test('a v1beta2 Cluster has no Ready condition: only the phase counts (v1.14 never sets phase Failed)', () => {
    expect(clusterHealth({ status: { phase: 'Provisioned', conditions: [c('Available', 'False', { reason: 'NotAvailable' })] } }))
      .toEqual({ status: 'Healthy', message: 'Cluster is running' });
  });
});

describe('cluster.x-k8s.io/MachinePool/health_test.yaml', () => {
  const ready = [c('Ready', 'True'), c('BootstrapReady', 'True'), c('InfrastructureReady', 'True'), c('ReplicasReady', 'True')];
  test.each([
    ['testdata/healthy_provisioned.yaml', { status: { phase: 'Running', conditions: ready } }, 'Healthy', 'MachinePool is Running'],
    ['testdata/scaling_provisioned.yaml', { status: { phase: 'Scaling', conditions: ready } }, 'Healthy', 'MachinePool is Scaling'],
    ['testdata/progressing_provisioning.yaml', {
      status: {
        phase: 'Provisioning',
        conditions: [
          c('Ready', 'False', { reason: 'WaitingForInfrastructure', severity: 'Info' }), c('BootstrapReady', 'True'),
          c('InfrastructureReady', 'False', { reason: 'WaitingForInfrastructure', severity: 'Info' }), c('ReplicasReady', 'True'),
        ],
      },
    },
    'Progressing', 'MachinePool is Provisioning: Not Ready (WaitingForInfrastructure), Not InfrastructureReady (WaitingForInfrastructure)'],
    ['testdata/degraded_failed.yaml', { status: { phase: 'Failed' } }, 'Degraded', 'MachinePool is Failed'],
  ])('%s', (_, obj, status, message) => {
    expect(machinePoolHealth(obj)).toEqual({ status, message });
  });

  test('a v1beta2 MachinePool lists its Paused condition, which is False when all is well', () => {
    expect(machinePoolHealth({ status: { phase: 'Running', conditions: [c('Paused', 'False', { reason: 'NotPaused' })] } }))
      .toEqual({ status: 'Healthy', message: 'MachinePool is Running: Not Paused (NotPaused)' });
  });
});

describe('controlplane.cluster.x-k8s.io/AWSManagedControlPlane/health_test.yaml', () => {
  const rest = [c('ClusterSecurityGroupsReady', 'True'), c('EKSAddonsConfigured', 'True'), c('EKSControlPlaneCreating', 'False', { reason: 'created', severity: 'Info' }),
    c('EKSControlPlaneReady', 'True'), c('IAMAuthenticatorConfigured', 'True'), c('IAMControlPlaneRolesReady', 'True'), c('SubnetsReady', 'True'), c('VpcReady', 'True')];
  const oidc = 'failed reconciling OIDC provider for cluster: failed to create OIDC provider: error creating provider: LimitExceeded: '
    + 'Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100';
  test.each([
    ['testdata/healthy.yaml', { status: { conditions: [c('Ready', 'True'), ...rest], ready: true } }, 'Healthy', 'Control plane is ready'],
    ['testdata/progressing_ready_false.yaml', { status: { conditions: [c('Ready', 'False'), ...rest], ready: false } }, 'Progressing',
      'Control plane is not ready (.status.ready is false)'],
    ['testdata/progressing_ready_true.yaml', { status: { conditions: [c('Ready', 'False'), ...rest], ready: true } }, 'Progressing', 'Control plane is not ready'],
    ['testdata/degraded.yaml', {
      status: {
        ready: true,
        conditions: [c('Ready', 'False', { severity: 'Error', message: '7 of 10 completed' }), ...rest.slice(0, 3),
          c('EKSControlPlaneReady', 'False', { reason: 'EKSControlPlaneReconciliationFailed', severity: 'Error', message: oidc }), ...rest.slice(4)],
      },
    },
    'Degraded', `7 of 10 completed ${oidc} `],
    ['no status', {}, 'Progressing', 'Provisioning...'],
  ])('%s', (_, obj, status, message) => {
    expect(awsManagedControlPlaneHealth(obj)).toEqual({ status, message });
  });
});

const obj = (apiVersion: string, kind: string, name: string, status?: Json, extra: Json = {}): KubeObject =>
  ({ apiVersion, kind, metadata: { name, namespace: 'a', ...extra }, spec: {}, ...(status ? { status } : {}) });

describe('resource health and setApplicationHealth', () => {
  test('kinds without a built-in check have no health; a deleting object is Progressing', () => {
    expect(resourceHealth(obj('infrastructure.cluster.x-k8s.io/v1beta2', 'AWSManagedMachinePool', 'a', { ready: false }))).toBeUndefined();
    expect(resourceHealth(obj('infrastructure.cluster.x-k8s.io/v1beta2', 'AWSManagedCluster', 'a', { ready: true }))).toBeUndefined();
    expect(resourceHealth(obj('v1', 'Namespace', 'a'))).toBeUndefined();
    expect(resourceHealth(obj('cluster.x-k8s.io/v1beta2', 'Cluster', 'a', { phase: 'Provisioned' }, { deletionTimestamp: '2026-01-01T00:00:00Z' })))
      .toEqual({ status: 'Progressing', message: 'Pending deletion' });
  });

  test('the worst live health; missing resources do not count; none live is Missing', () => {
    const cluster = obj('cluster.x-k8s.io/v1beta2', 'Cluster', 'a', { phase: 'Provisioned' });
    const pool = obj('cluster.x-k8s.io/v1beta2', 'MachinePool', 'a-general', { phase: 'Provisioning' });
    const mmp = obj('infrastructure.cluster.x-k8s.io/v1beta2', 'AWSManagedMachinePool', 'a-general', { ready: false });
    expect(setApplicationHealth([{ target: cluster, live: cluster }, { target: mmp, live: mmp }])).toBe('Healthy');
    expect(setApplicationHealth([{ target: cluster, live: cluster }, { target: pool, live: pool }])).toBe('Progressing');
    expect(setApplicationHealth([{ target: cluster, live: cluster }, { target: pool }])).toBe('Healthy');
    expect(setApplicationHealth([{ target: cluster }, { target: pool }])).toBe('Missing');
    expect(setApplicationHealth([])).toBe('Healthy');
  });
});

describe('an automated sync', () => {
  const app: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'a', namespace: 'argocd' },
    spec: {
      project: 'p',
      destination: { name: 'in-cluster', namespace: 'a' },
      source: { repoURL: 'https://git.example/r.git', path: 'dist/clusters/a', targetRevision: 'main' },
      syncPolicy: { automated: { selfHeal: true }, retry: { limit: 2, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } },
    },
  };
  const cluster = obj('cluster.x-k8s.io/v1beta2', 'Cluster', 'a', { phase: 'Provisioned' });
  const resources = [{ target: cluster, live: cluster }];
  const at = (m: number) => `2026-12-01T10:${String(m).padStart(2, '0')}:00Z`;

  test('Running, then Succeeded: Synced at the revision, history, health since its last change', () => {
    const running = applicationStatus({ application: app, revision: 'r1', resources, now: at(0), sync: { revision: 'r1', startedAt: at(0), phase: 'Running' } });
    expect(running).toMatchObject({
      sync: { status: 'OutOfSync', revision: 'r1' },
      operationState: { phase: 'Running', startedAt: at(0) },
      reconciledAt: at(0),
      health: { status: 'Healthy', lastTransitionTime: at(0) },
    });
    expect(running.operationState).not.toHaveProperty('finishedAt');
    const done = applicationStatus({
      application: { ...app, status: running },
      revision: 'r1',
      resources,
      now: at(1),
      sync: { revision: 'r1', startedAt: at(0), finishedAt: at(1), phase: 'Succeeded' },
    });
    expect(done).toMatchObject({
      sync: { status: 'Synced', revision: 'r1', comparedTo: { source: { path: 'dist/clusters/a' }, destination: { name: 'in-cluster' } } },
      operationState: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        finishedAt: at(1),
        syncResult: { revision: 'r1' },
        operation: { initiatedBy: { automated: true }, sync: { revision: 'r1' } },
      },
      history: [{ id: 0, revision: 'r1', deployStartedAt: at(0), deployedAt: at(1) }],
      health: { status: 'Healthy', lastTransitionTime: at(0) },
      resourceHealthSource: 'appTree',
      sourceType: 'Directory',
    });
  });

  test('a failed attempt is retried with backoff, then Failed; the revision is not synced again (SyncError)', () => {
    expect(durationSeconds('1m30s')).toBe(90);
    const retrying = applicationStatus({
      application: app,
      revision: 'r2',
      resources,
      now: at(2),
      sync: { revision: 'r2', startedAt: at(1), finishedAt: at(2), phase: 'Failed', message: 'one or more objects failed to apply' },
    });
    expect(retrying.operationState).toMatchObject({
      phase: 'Running',
      retryCount: 1,
      finishedAt: at(2),
      message: 'one or more objects failed to apply. Retrying attempt #1 at 10:02AM.',
    });
    const failed = applicationStatus({
      application: app,
      revision: 'r2',
      resources,
      now: at(9),
      sync: { revision: 'r2', startedAt: at(1), finishedAt: at(9), phase: 'Failed', message: 'one or more objects failed to apply', retryCount: 2 },
    });
    expect(failed).toMatchObject({
      sync: { status: 'OutOfSync' },
      operationState: {
        phase: 'Failed',
        retryCount: 2,
        message: 'one or more objects failed to apply (retried 2 times).',
      },
      conditions: [{ type: 'SyncError', message: 'Failed last sync attempt to [r2]: one or more objects failed to apply (retried 2 times).' }],
    });
  });
  test('a later commit that changes nothing of the Application: Synced at that commit, no new operation (autoSync skips a Synced app)', () => {
    const synced = applicationStatus({ application: app, revision: 'r1', resources, now: at(1), sync: { revision: 'r1', startedAt: at(0), finishedAt: at(1), phase: 'Succeeded' } });
    const later = applicationStatus({ application: { ...app, status: synced }, revision: 'r3', resources, now: at(20) });
    expect(later).toMatchObject({ sync: { status: 'Synced', revision: 'r3' }, operationState: { phase: 'Succeeded', finishedAt: at(1), syncResult: { revision: 'r1' } }, reconciledAt: at(20) });
    expect(later.history).toHaveLength(1);
    // a commit that changes it: OutOfSync at that commit until its sync (the diff is the input)
    const changed = applicationStatus({ application: { ...app, status: later }, revision: 'r4', resources: [{ target: cluster, live: cluster, outOfSync: true }], now: at(21) });
    expect(changed).toMatchObject({ sync: { status: 'OutOfSync', revision: 'r4' }, operationState: { syncResult: { revision: 'r1' } } });
  });

  test('several sources: revisions per source (a chart resolves to its version), comparedTo.sources, and the sync result\'s', () => {
    const sources = [
      { chart: 'cluster-autoscaler', repoURL: 'https://kubernetes.github.io/autoscaler', targetRevision: '9.59.0', helm: { valueFiles: ['$values/dist/bundles/ca/values/a.yaml'] } },
      { ref: 'values', repoURL: 'https://git.example/r.git', targetRevision: 'main' },
    ];
    const { source: _, ...spec } = app.spec as Record<string, unknown>;
    const multi: KubeObject = { ...app, spec: { ...spec, sources } };
    const sync = { revision: ['9.59.0', 'c0ffee'], startedAt: at(2), finishedAt: at(3), phase: 'Succeeded' as const };
    const status = applicationStatus({ application: multi, revision: ['9.59.0', 'c0ffee'], resources: [], now: at(3), sync });
    expect(status).toMatchObject({
      sync: { status: 'Synced', revisions: ['9.59.0', 'c0ffee'], comparedTo: { sources } },
      operationState: { operation: { sync: { revisions: ['9.59.0', 'c0ffee'], sources } }, syncResult: { revision: '', revisions: ['9.59.0', 'c0ffee'], sources } },
      history: [{ revisions: ['9.59.0', 'c0ffee'], sources }],
    });
    expect(status.sync).not.toHaveProperty('revision');
    expect((status.operationState as { operation: { sync: object } }).operation.sync).not.toHaveProperty('revision');
    expect(new CrdSchemas().validate({ ...multi, status } as KubeObject)).toEqual([]);
    expect(() => applicationStatus({ application: multi, revision: 'c0ffee', resources: [], now: at(3) })).toThrow('several sources need one revision each');
  });
});
