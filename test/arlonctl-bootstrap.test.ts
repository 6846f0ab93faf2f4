/**
 * `arlonctl bootstrap` on the modelled management cluster (./support/management-simulator.ts): a bare API server
 * whose controllers write status as kube-apiserver, kube-controller-manager, Argo CD v3.5.1 and cluster-api-operator
 * v0.28.0 write it. The operation runs in process on a simulated clock (every wait is a pass of the controllers); the
 * built CLI is run once end to end.
 */
import * as path from 'path';
import { useApiServer } from './support/api-server-fixture';
import { executeHealthLua } from './support/argocd-lua';
import type { KubeObject } from './support/crd-schemas';
import { fetchKubeClient } from './support/fetch-kube-client';
import { ManagementSimulator } from './support/management-simulator';
import { CAPI_V1_14_0_RELEASE, providerObject, reconcileProvider, releaseKey } from './upstream/capi-operator';
import { OPERATOR_PROVIDER_HEALTH_LUA } from '../src/management/argocd-health-checks';
import { BootstrapError, bootstrap, type BootstrapOptions, type BootstrapStep } from '../src/operations/bootstrap';
import { applicationReadiness, providerReadiness } from '../src/operations/component-readiness';
import { FLEET_ONLY, readDist } from '../src/operations/dist-fleet';
import { readManagementPlane } from '../src/operations/dist-management';

const DIST = path.resolve(__dirname, '../dist');
const REPO = 'https://github.com/acme/platform-fleet.git';
const CREDENTIALS = '[default]\naws_access_key_id = test\n';
const plane = readManagementPlane(DIST);
const fleet = readDist(DIST, FLEET_ONLY);

describe('arlonctl bootstrap on a bare cluster', () => {
  const api = useApiServer({ token: 'test-token', bare: true, kubernetesVersion: 'v1.33.4' });

  /** Runs bootstrap in process; every poll is one pass of the simulated controllers (10 s of their time). */
  async function run(sim: ManagementSimulator, options: Partial<BootstrapOptions> = {}, progress: string[] = []): Promise<BootstrapStep[]> {
    const client = fetchKubeClient(api.server.url, 'test-token');
    return bootstrap(client, plane, fleet, {
      timeoutMs: 30 * 60_000,
      pollMs: 10_000,
      capaCredentials: CREDENTIALS,
      now: () => sim.now.getTime(),
      sleep: async () => sim.step(),
      onProgress: (line) => progress.push(line),
      ...options,
    });
  }

  const simulator = (options: Partial<ConstructorParameters<typeof ManagementSimulator>[1]> = {}) =>
    new ManagementSimulator(api.server, { dist: DIST, repoUrl: REPO, ...options });
  const totalWrites = () => api.server.objects({}, false)
    .reduce((sum, o) => sum + api.server.writes(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace), 0);
  const live = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => api.server.get(apiVersion, kind, name, namespace)!;

  test('brings the management plane up in dependency order, each step ready as its controllers report it, and registers the fleet', async () => {
    const sim = simulator();
    // What was ready when each Application was first applied: the order bootstrap promises.
    const readyAt = new Map<string, string[]>();
    api.server.onRequest = (request) => {
      const applied = /\/applications\/(acme-management-[a-z-]+)$/.exec(request.path)?.[1];
      if (request.method === 'PATCH' && applied !== undefined && !readyAt.has(applied)) {
        readyAt.set(applied, api.server.objects({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' })
          .filter((a) => applicationReadiness(a).ready).map((a) => a.metadata.name).sort());
      }
    };
    const steps = await run(sim);
    expect(steps.map((s) => s.step)).toEqual([
      'argo-cd', 'acme-management-cert-manager', 'acme-management-cluster-api-operator', 'acme-management-providers', 'acme-management-argo-cd', 'fleet',
    ]);
    expect(Object.fromEntries(readyAt)).toEqual({
      'acme-management-cert-manager': [],
      'acme-management-cluster-api-operator': ['acme-management-cert-manager'],
      'acme-management-providers': ['acme-management-cert-manager', 'acme-management-cluster-api-operator'],
      'acme-management-argo-cd': ['acme-management-cert-manager', 'acme-management-cluster-api-operator', 'acme-management-providers'],
    });
    // Cluster API and CAPA installed by the operator at the pinned versions, Ready, and running with the fleet's gates.
    for (const [kind, name, namespace] of [['CoreProvider', 'cluster-api', 'capi-system'], ['InfrastructureProvider', 'aws', 'capa-system']]) {
      const provider = live('operator.cluster.x-k8s.io/v1alpha2', kind, name, namespace);
      expect([name, providerReadiness(provider)]).toEqual([name, { ready: true, message: `${(provider.spec as { version: string }).version} installed and ready` }]);
    }
    expect(sim.managerArgs('capa-system', 'capa-controller-manager').find((a) => a.startsWith('--feature-gates=')))
      .toMatch(/^--feature-gates=.*\bEKS=true,EKSAllowAddRoles=false,EKSEnableIAM=true,.*\bMachinePool=true\b/);
    expect(sim.managerArgs('capi-system', 'capi-controller-manager').find((a) => a.startsWith('--feature-gates='))).toMatch(/\bMachinePool=true\b/);
    // CAPA's credentials reached the operator's variables Secret, and nothing else.
    expect(Buffer.from((live('v1', 'Secret', 'capa-variables', 'capa-system').data as Record<string, string>).AWS_B64ENCODED_CREDENTIALS, 'base64').toString())
      .toBe(CREDENTIALS);
    // The fleet is registered; Argo CD then owns every management Application and keeps it in sync with git.
    expect(applicationReadiness(live('argoproj.io/v1alpha1', 'Application', 'acme-management-argo-cd', 'argocd')).ready).toBe(true);
    expect(live('argoproj.io/v1alpha1', 'Application', 'acme-management', 'argocd')).toBeDefined();
    expect(live('argoproj.io/v1alpha1', 'Application', 'acme', 'argocd')).toBeDefined();
  });

  test('a second run writes nothing', async () => {
    const sim = simulator();
    await run(sim);
    sim.steps(5);
    const before = totalWrites();
    const clock = sim.now.getTime();
    const steps = await run(sim);
    expect(totalWrites()).toBe(before);
    expect(steps.flatMap((s) => s.results).filter((r) => r.action !== 'unchanged')).toEqual([]);
    // and it did not wait: every step was ready already, no controller pass ran
    expect(sim.now.getTime()).toBe(clock);
  });

  test('an interrupted run resumes where it stopped, and says which component held it up, in its own words', async () => {
    let operatorPods = false;
    const sim = simulator({ podsReady: (_namespace, name) => operatorPods || name !== 'capi-operator-cluster-api-operator' });
    const progress: string[] = [];
    // The operator's Application is applied within two minutes of simulated time; each minute more is six passes.
    const failed = run(sim, { timeoutMs: 4 * 60_000 }, progress);
    await expect(failed).rejects.toThrow(BootstrapError);
    await expect(failed).rejects.toThrow('acme-management-cluster-api-operator: application.argoproj.io/acme-management-cluster-api-operator '
      + 'did not become ready before the timeout: Synced, Progressing; Deployment capi-operator-system/capi-operator-cluster-api-operator: '
      + 'Waiting for rollout to finish: 0 of 1 updated replicas are available...');
    const writesBefore = totalWrites();
    operatorPods = true;
    const steps = await run(sim);
    // The steps done before were ready at once and wrote nothing; the rest completed.
    expect(steps.slice(0, 3).flatMap((s) => s.results).filter((r) => r.action !== 'unchanged')).toEqual([]);
    expect(steps.map((s) => s.step)).toContain('fleet');
    expect(totalWrites()).toBeGreaterThan(writesBefore);
    expect(progress.some((line) => line.includes('waiting for application.argoproj.io/acme-management-cluster-api-operator'))).toBe(true);
  });

  test('a provider that never becomes ready stops bootstrap at the timeout with the operator\'s condition', async () => {
    const sim = simulator({ fetchError: 'failed to get latest release: GET https://api.github.com/repos/kubernetes-sigs/cluster-api/releases: 403 API rate limit exceeded' });
    // The providers' Application is applied after about two minutes of simulated time; then three more of waiting.
    await expect(run(sim, { timeoutMs: 5 * 60_000 })).rejects.toThrow(
      /acme-management-providers: .*did not become ready before the timeout: Synced, Progressing; CoreProvider capi-system\/cluster-api: not installed yet \(ProviderInstalled: ComponentsFetchError: .*403 API rate limit exceeded/);
  });

  test('a dry run writes nothing and waits for nothing, and lists what it would create', async () => {
    const sim = simulator();
    const before = totalWrites();
    const steps = await run(sim, { dryRun: true });
    expect(totalWrites()).toBe(before);
    expect(sim.now.getTime()).toBe(new Date('2026-12-01T09:00:00Z').getTime());
    const created = steps.flatMap((s) => s.results).filter((r) => r.action === 'created').map((r) => r.object);
    expect(created).toEqual(expect.arrayContaining([
      'customresourcedefinition.apiextensions.k8s.io/applications.argoproj.io', 'statefulset.apps/argocd-application-controller',
      'application.argoproj.io/acme-management-cert-manager', 'secret/capa-variables',
    ]));
  });

  test('refuses a cluster older than Kubernetes v1.33, and credentials that may not create CRDs, before writing anything', async () => {
    const sim = simulator();
    const before = totalWrites();
    api.server.forbid('patch', 'apiextensions.k8s.io', 'customresourcedefinitions');
    await expect(run(sim)).rejects.toThrow(/the credentials of context .* may not create customresourcedefinition.apiextensions.k8s.io\/applications.argoproj.io: .*forbidden.*; bootstrap installs CRDs, cluster roles and namespaces, so it needs cluster-admin/);
    expect(totalWrites()).toBe(before);
  });

  test('without CAPA\'s credentials and no Secret holding them, it stops before the providers and says how to get them', async () => {
    const sim = simulator();
    await expect(run(sim, { capaCredentials: undefined })).rejects.toThrow(
      /CAPA needs AWS credentials and Secret capa-system\/capa-variables does not exist: set AWS_B64ENCODED_CREDENTIALS \(`clusterawsadm bootstrap credentials encode-as-profile`/);
    // A Secret already there (an earlier run) is enough.
    await expect(run(sim)).resolves.toBeDefined();
  });
});

describe('a provider cluster-api-operator refuses for good', () => {
  const now = '2026-12-01T09:00:00Z';
  const core = (version: string, installedVersion?: string) => ({
    ...providerObject('CoreProvider', 'cluster-api', 'capi-system', { version }),
    ...(installedVersion === undefined ? {} : { status: { installedVersion } }),
  });

  test('is terminal for bootstrap, as Degraded for Argo CD: a downgrade and a version outside the release series, as the operator writes them', () => {
    const world = { providers: [], releases: { [releaseKey('CoreProvider', 'cluster-api', 'v1.14.0')]: CAPI_V1_14_0_RELEASE } };
    const downgrade = reconcileProvider(core('v1.13.0', 'v1.14.0'), { ...world, providers: [core('v1.13.0', 'v1.14.0')] }, now);
    expect(providerReadiness(downgrade)).toMatchObject({ ready: false, failed: true, message: expect.stringMatching(/^preflight failed \(UnsupportedProviderDowngradeReason: /) });
    const unknownSeries = reconcileProvider(core('v1.99.0'), {
      ...world, providers: [core('v1.99.0')], releases: { [releaseKey('CoreProvider', 'cluster-api', 'v1.99.0')]: CAPI_V1_14_0_RELEASE },
    }, now);
    expect(providerReadiness(unknownSeries)).toMatchObject({ ready: false, failed: true, message: expect.stringMatching(/^install failed \(CAPIVersionIncompatibility: /) });
    // A fetch error is retried by the operator: bootstrap keeps waiting.
    const fetchFailed = reconcileProvider(core('v1.14.0'), { ...world, providers: [core('v1.14.0')], fetchError: 'rate limited' }, now);
    expect(providerReadiness(fetchFailed)).toMatchObject({ ready: false });
    expect(providerReadiness(fetchFailed).failed).toBeUndefined();
    // The providers' Argo CD health check reads the same reasons.
    expect([downgrade, unknownSeries, fetchFailed].map((p) => executeHealthLua(p, OPERATOR_PROVIDER_HEALTH_LUA).status)).toEqual(['Degraded', 'Degraded', 'Progressing']);
  });
});

describe('arlonctl bootstrap on a cluster that is too old', () => {
  const api = useApiServer({ token: 'test-token', bare: true, kubernetesVersion: 'v1.31.2' });

  test('says which version it found and which it needs', async () => {
    const client = fetchKubeClient(api.server.url, 'test-token');
    await expect(bootstrap(client, plane, fleet, { timeoutMs: 1000, pollMs: 10 })).rejects.toThrow(
      /runs Kubernetes v1\.31\.2; the management plane needs v1\.33 or later/);
    expect(api.server.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });
});

describe('arlonctl bootstrap, the built CLI', () => {
  const api = useApiServer({ token: 'test-token', bare: true });

  test('brings the plane up and registers the fleet; run again, it changes nothing', async () => {
    const sim = new ManagementSimulator(api.server, { dist: DIST, repoUrl: REPO });
    // The controllers act between the CLI's requests.
    api.server.onRequest = () => sim.step();
    const env = { ARLONCTL_POLL_MS: '1', AWS_B64ENCODED_CREDENTIALS: CREDENTIALS };
    const first = await api.cli(['--dist', DIST, 'bootstrap', '--timeout', '5m'], env);
    expect(first.stderr).toContain('bootstrapping the management plane of fleet "acme"');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('acme-management-providers: ');
    expect(first.stdout).toContain('fleet: appproject.argoproj.io/acme created, application.argoproj.io/acme-management created, application.argoproj.io/acme created');
    const second = await api.cli(['--dist', DIST, 'bootstrap', '--timeout', '5m'], env);
    expect(second.code).toBe(0);
    expect(second.stdout.trim().split('\n').filter((line) => !line.endsWith(': unchanged'))).toEqual([]);
  });

  test('--print-settings prints what a hand-run management cluster must match, without a cluster', async () => {
    const result = await api.cli(['--dist', DIST, 'bootstrap', '--print-settings']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('clusterawsadm bootstrap iam create-cloudformation-stack --config');
    expect(result.stdout).toContain('iamRoleCreation: true');
    expect(result.stdout).toContain('export CAPA_EKS_IAM=true');
    expect(result.stdout).toContain('export EXP_MACHINE_POOL=true');
    expect(result.stdout).toContain('clusterctl init --core cluster-api:v1.14.0 --infrastructure aws:v2.11.1');
    expect(api.server.requests).toEqual([]);
  });
});
