import * as path from 'path';
import { TOKEN, useApiServer } from './support/api-server-fixture';
import { DIST, capiKubeconfigSecret, distClusterOf, runCliInProcess, writeKubeconfig } from './support/cli';
import { FakeApiServer } from './support/fake-api-server';
import { tempDir } from './support/fleet-files';
import { buildExampleFleet } from '../example/fleet';
import { Cluster, type Profile } from '../src';
import { argoCdOnDist } from './support/argo';
import { clusterInputs, clusterObjects } from './support/live-cluster';
import { ArgoInstance, bundleApplications } from './upstream/argocd-instance';
import { simulateLifecycle, type LifecycleSnapshot, type LifecycleStep } from './upstream/status/eks-cluster-lifecycle';
import type { KubeObject } from '../src/kube/types';
import { applicationNameOf, readFiles } from '../src/operations/dist-fleet';

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB-test-ca\n-----END CERTIFICATE-----\n').toString('base64');
const decode = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00Z`;
const lifecycles = new Map<string, LifecycleSnapshot>();

/**
 * A cluster of dist/ as Cluster API, CAPA and EKS leave it (the ported status writers of test/upstream/status): being
 * created, or created (`ready`); with `upgradingFrom`, created at that minor, then its control plane updating to dist/'s.
 */
function lifecycle(cluster: string, state: { ready: boolean; upgradingFrom?: string }): LifecycleSnapshot {
  const key = JSON.stringify([cluster, state]);
  if (!lifecycles.has(key)) {
    const objects = clusterObjects(readFiles(DIST), cluster);
    const older = (o: KubeObject) => {
      const copy = structuredClone(o) as { spec: { version?: string; template?: { spec: { version?: string } } } } & KubeObject;
      if (o.kind === 'AWSManagedControlPlane') {
        copy.spec.version = `v${state.upgradingFrom}`;
      } else if (o.kind === 'MachinePool') {
        copy.spec.template!.spec.version = `v${state.upgradingFrom}.0`;
      }
      return copy;
    };
    const steps: LifecycleStep[] = [
      { phase: 'creating', at: at(0), revision: 'c1' },
      ...(state.ready ? [{ phase: 'nodeGroupsCreating' as const, at: at(12) }, { phase: 'created' as const, at: at(20) }] : []),
      ...(state.upgradingFrom === undefined ? [] : [{ phase: 'controlPlaneUpgrading' as const, at: at(40), revision: 'c2', manifests: objects }]),
    ];
    const snapshots = simulateLifecycle({ objects: state.upgradingFrom === undefined ? objects : objects.map(older) }, steps);
    lifecycles.set(key, snapshots[snapshots.length - 1]);
  }
  return lifecycles.get(key)!;
}

/** The endpoint EKS gave a created cluster (CAPA copies it into the control plane's spec). */
const endpointOf = (cluster: string) => (lifecycle(cluster, { ready: true }).objects.find((o) => o.kind === 'AWSManagedControlPlane')!
  .spec as { controlPlaneEndpoint: { host: string } }).controlPlaneEndpoint.host;

/** Stores a cluster's objects, status included, as `lifecycle` leaves them; with its control plane up, the kubeconfig CAPA writes. */
function provision(server: FakeApiServer, cluster: string, state: { ready: boolean; upgradingFrom?: string }): void {
  const snapshot = lifecycle(cluster, state);
  for (const obj of snapshot.objects) {
    server.put(obj);
  }
  const endpoint = snapshot.objects.find((o) => o.kind === 'AWSManagedControlPlane')!.spec as { controlPlaneEndpoint?: { host?: string } };
  if (endpoint.controlPlaneEndpoint?.host) {
    // CAPA writes the kubeconfig Secret once EKS reports the endpoint (pkg/cloud/services/eks/config.go `reconcileKubeconfig`)
    server.put(capiKubeconfigSecret(distClusterOf(cluster), endpoint.controlPlaneEndpoint.host, CA));
  }
}

/** The Argo CD cluster Secret `argocd cluster add` writes for the external cluster legacy-ops (named after its server). */
function addExternalToArgoCd(server: FakeApiServer): void {
  server.put({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'cluster-legacy.example.com-3404512931', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
    data: { name: Buffer.from('legacy-ops').toString('base64'), server: Buffer.from('https://legacy.example.com').toString('base64'), config: 'e30=' },
  });
}

/** The names of the Argo CD cluster Secrets stored. */
const clusterSecrets = (server: FakeApiServer) => server.all('Secret')
  .filter((s) => s.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'cluster').map((s) => s.metadata.name).sort();

describe('arlonctl register', () => {
  const fixture = useApiServer();
  const cli = (args: string[]) => fixture.cli(args);

  /**
   * The example fleet with a cluster `retired` (dev's profile, `retire: true`), written once for the tests that read
   * it (register only reads dist/).
   */
  let withRetired: { repo: { dir: string; cleanup: () => void }; dist: string; retired: Cluster } | undefined;
  const fleetWithRetired = () => {
    if (withRetired === undefined) {
      const repo = tempDir();
      const dist = path.join(repo.dir, 'dist');
      const fleet = buildExampleFleet({ outdir: dist });
      const retired = new Cluster(fleet, 'retired', { profiles: [fleet.node.findChild('dev') as Profile], retire: true });
      fleet.writeFiles();
      withRetired = { repo, dist, retired };
    }
    return withRetired;
  };
  afterAll(() => withRetired?.repo.cleanup());

  test('registers the clusters whose control plane is ready and skips the others, saying so', async () => {
    // GIVEN two clusters up, one provisioning, one not created yet; the external cluster added to Argo CD by its owners
    provision(fixture.server, 'dev-use1', { ready: true });
    provision(fixture.server, 'prod-use1', { ready: true });
    provision(fixture.server, 'dev-euw1', { ready: false });
    addExternalToArgoCd(fixture.server);
    // WHEN
    const result = await cli(['register']);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([
      'CLUSTER       STATE        DETAIL',
      'canary-use1   pending      control plane not created yet',
      'dev-euw1      pending      control plane not ready',
      `dev-use1      registered   ${endpointOf('dev-use1')}`,
      'legacy-ops    registered   https://legacy.example.com',
      'prod-euw1     pending      control plane not created yet',
      `prod-use1     registered   ${endpointOf('prod-use1')}`,
      '',
    ].join('\n'));
    expect(result.stderr).toContain('3 cluster(s) not ready yet; run register again later, or with --watch');
    // AND the Argo CD cluster Secret uses EKS IAM authentication, not the kubeconfig's token, and carries the profiles
    const secret = fixture.server.get('v1', 'Secret', 'acme-cluster-prod-use1', 'argocd')!;
    expect(secret.metadata.labels).toEqual({
      'argocd.argoproj.io/secret-type': 'cluster',
      'app.kubernetes.io/managed-by': 'cdk8s-arlon',
      'arlon.io/fleet': 'acme',
      'arlon.io/cluster': 'prod-use1',
      'profile.arlon.io/prod': 'true',
      'profile.arlon.io/observability': 'true',
      'env': 'prod',
      'region': 'us-east-1',
    });
    const data = decode(secret.data as Record<string, string>);
    // Argo CD knows the cluster by its fleet-scoped name, as its bundle Applications' destination says
    const prodUse1 = distClusterOf('prod-use1');
    expect(prodUse1.argocdName).toBe('acme--prod-use1');
    expect(data.name).toBe(prodUse1.argocdName);
    expect(data.server).toBe(endpointOf('prod-use1'));
    // with the role the Fleet names, the one every control plane's access entry admits
    expect(JSON.parse(data.config)).toEqual({
      awsAuthConfig: { clusterName: prodUse1.eksClusterName, roleARN: 'arn:aws:iam::111122223333:role/acme-argocd' },
      tlsClientConfig: { insecure: false, caData: CA },
    });
    expect(JSON.stringify(secret)).not.toContain('short-lived-token');
    expect(clusterSecrets(fixture.server)).toEqual(['acme-cluster-dev-use1', 'acme-cluster-prod-use1', 'cluster-legacy.example.com-3404512931']);
    // AND the external cluster's Secret gained the labels the bundle ApplicationSets select by, and kept everything else
    const external = fixture.server.get('v1', 'Secret', 'cluster-legacy.example.com-3404512931', 'argocd')!;
    expect(external.metadata.labels).toEqual({
      'argocd.argoproj.io/secret-type': 'cluster',
      'arlon.io/fleet': 'acme',
      'arlon.io/cluster': 'legacy-ops',
      'profile.arlon.io/observability': 'true',
      'env': 'ops',
    });
    expect(decode(external.data as Record<string, string>)).toEqual({ name: 'legacy-ops', server: 'https://legacy.example.com', config: '{}' });
  });

  test('gives each bundle ApplicationSet exactly the clusters it has registered', async () => {
    // GIVEN dev-use1 registered, and the external cluster, while the other clusters are still being created
    provision(fixture.server, 'dev-use1', { ready: true });
    addExternalToArgoCd(fixture.server);
    await cli(['register']);
    // WHEN Argo CD's ApplicationSet controller runs over dist/ with the cluster Secrets register wrote
    const argo = argoCdOnDist(readFiles(DIST), []);
    const registered = fixture.server.all('Secret').filter((s) => s.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'cluster')
      .map((s) => {
        const { name, server } = decode(s.data as Record<string, string>);
        return { name, server, labels: s.metadata.labels };
      });
    const withSecrets = new ArgoInstance(readFiles(DIST), 'fleet/Application.acme.yaml', {
      repoUrl: 'https://github.com/acme/platform-fleet.git', distPath: 'dist', clusters: registered,
    });
    // THEN bundles go to those two clusters only
    expect(new Set([...bundleApplications(withSecrets).values()].map((a) => a.object.metadata.labels!['arlon.io/cluster']))).toEqual(new Set(['dev-use1', 'legacy-ops']));
    // AND the ApplicationSets report the others' Applications as skipped for want of their cluster in Argo CD, and
    // nothing else (issue 26: the list names the clusters, Argo CD's destination check waits for their registration)
    const waiting = (instance: ArgoInstance) => new Set(instance.problems().map((p) => /: there are no clusters with this name: acme--(.+)$/.exec(p)?.[1] ?? p));
    expect(waiting(withSecrets)).toEqual(new Set(['dev-euw1', 'canary-use1', 'prod-use1', 'prod-euw1']));
    expect(waiting(argo)).toEqual(new Set(['dev-use1', 'dev-euw1', 'canary-use1', 'prod-use1', 'prod-euw1']));
  });

  test('removes the Secret of a retired cluster, and the Secret an older release named after the cluster', async () => {
    // GIVEN prod-use1 registered under the name older releases used, and a dist/ in which dev-use1 is retired
    provision(fixture.server, 'prod-use1', { ready: true });
    provision(fixture.server, 'dev-use1', { ready: true });
    await cli(['register']);
    const current = fixture.server.get('v1', 'Secret', 'acme-cluster-prod-use1', 'argocd')!;
    fixture.server.put({ ...current, metadata: { ...current.metadata, name: 'prod-use1', resourceVersion: undefined } });
    const { dist, retired } = fleetWithRetired();
    expect(retired.retired).toBe(true);
    fixture.server.put({
      ...fixture.server.get('v1', 'Secret', 'acme-cluster-dev-use1', 'argocd')!,
      metadata: {
        ...fixture.server.get('v1', 'Secret', 'acme-cluster-dev-use1', 'argocd')!.metadata,
        name: 'acme-cluster-retired',
        resourceVersion: undefined,
        labels: { ...fixture.server.get('v1', 'Secret', 'acme-cluster-dev-use1', 'argocd')!.metadata.labels, 'arlon.io/cluster': 'retired' },
      },
    });
    // WHEN
    const result = await cli(['register', '--dist', dist, '-o', 'json']);
    // THEN
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).find((o: { cluster: string }) => o.cluster === 'retired')).toEqual({ cluster: 'retired', state: 'deregistered' });
    expect(clusterSecrets(fixture.server)).toEqual(['acme-cluster-dev-use1', 'acme-cluster-prod-use1']);
  });

  test('keeps a retired cluster\'s Secret while bundle Applications of it are left, so that DESTROY bundles are uninstalled first', async () => {
    // GIVEN a retired cluster registered, whose bundle Application Argo CD has not deleted yet
    provision(fixture.server, 'dev-use1', { ready: true });
    await cli(['register']);
    const { dist } = fleetWithRetired();
    const secret = fixture.server.get('v1', 'Secret', 'acme-cluster-dev-use1', 'argocd')!;
    fixture.server.put({
      ...secret,
      metadata: { ...secret.metadata, name: 'acme-cluster-retired', resourceVersion: undefined, labels: { ...secret.metadata.labels, 'arlon.io/cluster': 'retired' } },
    });
    const retiredCluster = distClusterOf('retired', dist);
    const leftoverName = applicationNameOf('acme', retiredCluster, 'wordpress');
    const leftover = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: leftoverName, namespace: 'argocd', labels: { 'arlon.io/fleet': 'acme', 'arlon.io/cluster': 'retired', 'arlon.io/bundle': 'wordpress' } },
      spec: { project: 'acme-bundles', destination: { name: retiredCluster.argocdName, namespace: 'wordpress' }, source: { repoURL: 'oci://registry-1.docker.io/bitnamicharts/wordpress' } },
    };
    fixture.server.put(leftover);
    // WHEN register runs: THEN the Secret stays, and the cluster is pending with the reason
    const waiting = await cli(['register', '--dist', dist, '-o', 'json']);
    expect(JSON.parse(waiting.stdout).find((o: { cluster: string }) => o.cluster === 'retired')).toEqual({
      cluster: 'retired',
      state: 'pending',
      reason: `retired: its Argo CD cluster Secret stays until its bundle Applications are deleted (${leftoverName}), so that bundles with `
        + 'removalPolicy DESTROY uninstall what they installed',
    });
    expect(clusterSecrets(fixture.server)).toContain('acme-cluster-retired');
    // AND once Argo CD has deleted the Application, the next round removes the Secret
    fixture.server.remove('argoproj.io/v1alpha1', 'Application', leftoverName, 'argocd');
    const done = await cli(['register', '--dist', dist, '-o', 'json']);
    expect(JSON.parse(done.stdout).find((o: { cluster: string }) => o.cluster === 'retired')).toEqual({ cluster: 'retired', state: 'deregistered' });
    expect(clusterSecrets(fixture.server)).not.toContain('acme-cluster-retired');
  });

  test('--dry-run stores nothing and says what would happen', async () => {
    provision(fixture.server, 'dev-use1', { ready: true });
    addExternalToArgoCd(fixture.server);
    const result = await cli(['register', '--dry-run', '-o', 'json']);
    expect(result.code).toBe(0);
    const states = Object.fromEntries((JSON.parse(result.stdout) as Array<{ cluster: string; state: string }>).map((o) => [o.cluster, o.state]));
    expect(states).toMatchObject({ 'dev-use1': 'would register', 'legacy-ops': 'would register' });
    expect(clusterSecrets(fixture.server)).toEqual(['cluster-legacy.example.com-3404512931']);
    expect(fixture.server.get('v1', 'Secret', 'cluster-legacy.example.com-3404512931', 'argocd')!.metadata.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'cluster' });
  });

  test('a malformed kubeconfig Secret holds back its cluster only, named, without quoting what it holds', async () => {
    // GIVEN dev-use1 ready, and prod-use1 ready but with a kubeconfig Secret that is not a kubeconfig
    provision(fixture.server, 'dev-use1', { ready: true });
    provision(fixture.server, 'prod-use1', { ready: true });
    const broken = 'token: "k8s-aws-v1.c2VjcmV0LXRva2Vu"\n: : not yaml [';
    fixture.server.put(capiKubeconfigSecret(distClusterOf('prod-use1'), '', CA, broken));
    // WHEN
    const result = await cli(['register']);
    // THEN the round goes on for the others, and the message names the Secret without its content
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/dev-use1 +registered +https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com\n/);
    expect(result.stdout).toMatch(/prod-use1 +pending +kubeconfig Secret acme--prod-use1\/acme--prod-use1-kubeconfig is malformed \(key `value` is not a kubeconfig with a cluster server\); /);
    expect(`${result.stdout}${result.stderr}`).not.toContain('k8s-aws-v1');
    expect(`${result.stdout}${result.stderr}`).not.toContain('not yaml');
  });

  test('takes Argo CD\'s role from the fleet: --role-arn may only repeat it', async () => {
    provision(fixture.server, 'dev-use1', { ready: true });
    const other = await cli(['register', '--role-arn', 'arn:aws:iam::111122223333:role/someone-else']);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe('error: --role-arn arn:aws:iam::111122223333:role/someone-else is not the role fleet "acme" gives access to its clusters '
      + '(arn:aws:iam::111122223333:role/acme-argocd, the Fleet\'s `management.argoCdRoleArn`); drop --role-arn, or change the Fleet and synthesize\n'
      + 'run arlonctl --help for usage\n');
    expect(clusterSecrets(fixture.server)).toEqual([]);
    const same = await cli(['register', '--role-arn', 'arn:aws:iam::111122223333:role/acme-argocd']);
    expect(same.code).toBe(0);
  });

  test('a round once every cluster is registered reads two lists and writes nothing, whatever the fleet\'s size', async () => {
    for (const cluster of ['canary-use1', 'dev-euw1', 'dev-use1', 'prod-euw1', 'prod-use1']) {
      provision(fixture.server, cluster, { ready: true });
    }
    addExternalToArgoCd(fixture.server);
    await cli(['register']);
    fixture.server.requests.length = 0;
    const again = await cli(['register', '-o', 'json']);
    expect((JSON.parse(again.stdout) as Array<{ state: string }>).map((o) => o.state)).toEqual(Array(6).fill('unchanged'));
    const work = fixture.server.requests.filter((r) => !(r.method === 'GET' && /^\/apis?(\/[^/]+)?\/v[^/]+$/.test(r.path)));
    expect(work.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/v1/namespaces/argocd',
      'GET /api/v1/namespaces/argocd/secrets',
      'GET /apis/controlplane.cluster.x-k8s.io/v1beta2/awsmanagedcontrolplanes',
    ]);
  });

  test('is idempotent', async () => {
    provision(fixture.server, 'dev-use1', { ready: true });
    addExternalToArgoCd(fixture.server);
    await cli(['register']);
    const again = await cli(['register', '-o', 'json']);
    const states = Object.fromEntries((JSON.parse(again.stdout) as Array<{ cluster: string; state: string }>).map((o) => [o.cluster, o.state]));
    expect(states).toMatchObject({ 'dev-use1': 'unchanged', 'legacy-ops': 'unchanged' });
    expect(fixture.server.writes('v1', 'Secret', 'acme-cluster-dev-use1', 'argocd')).toBe(1);
  });

  test('--watch keeps going, with a progress line per round, until every cluster is registered', async () => {
    // GIVEN every cluster provisioning; they become ready one after the other while the CLI watches
    const clusters = ['canary-use1', 'dev-euw1', 'dev-use1', 'prod-euw1', 'prod-use1'];
    for (const cluster of clusters) {
      provision(fixture.server, cluster, { ready: false });
    }
    addExternalToArgoCd(fixture.server);
    // One more cluster becomes ready after each round the CLI starts (a round starts with its LIST of the control planes).
    const roundsDone = () => fixture.server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/awsmanagedcontrolplanes') && r.status === 200).length;
    let next = 0;
    const timer = setInterval(() => {
      if (next < clusters.length && roundsDone() > next) {
        provision(fixture.server, clusters[next++], { ready: true });
      }
    }, 20);
    try {
      // WHEN
      const result = await cli(['register', '--watch', '--interval', '200ms', '--timeout', '30s']);
      // THEN
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/registered 1\/6 clusters; waiting for canary-use1 \(control plane not ready\), dev-euw1 \(control plane not ready\)/);
      expect(result.stderr).toContain('registered 6/6 clusters\n');
      expect(clusterSecrets(fixture.server)).toEqual([...clusters.map((c) => `acme-cluster-${c}`), 'cluster-legacy.example.com-3404512931']);
    } finally {
      clearInterval(timer);
    }
  });

  test('--watch gives up after --timeout with the clusters still pending, an external cluster not in Argo CD among them', async () => {
    provision(fixture.server, 'dev-use1', { ready: true });
    const result = await cli(['register', '--watch', '--interval', '100ms', '--timeout', '300ms']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('legacy-ops (not in Argo CD yet: add it with `argocd cluster add <context> --name legacy-ops`)');
    expect(result.stderr).toContain('error: timed out after 300ms with 5 cluster(s) not registered: canary-use1, dev-euw1, legacy-ops, prod-euw1, prod-use1');
  });
});

/**
 * Points a provisioned cluster at `server`, as CAPA leaves a control plane that adopted the management cluster's EKS
 * cluster (issue 24: an existing EKS cluster of the same name is adopted): the endpoint in its spec and the kubeconfig
 * Secret it writes.
 */
function pointAt(server: FakeApiServer, cluster: string, endpoint: string): void {
  const cp = server.all('AWSManagedControlPlane').find((o) => o.metadata.labels?.['arlon.io/cluster'] === cluster)!;
  const spec = { ...cp.spec as object, controlPlaneEndpoint: { host: endpoint, port: 443 } };
  server.put({ ...cp, metadata: { ...cp.metadata, resourceVersion: undefined }, spec });
  server.put(capiKubeconfigSecret(distClusterOf(cluster), endpoint, CA));
}

describe('arlonctl register and status refuse the management cluster as a workload cluster', () => {
  const fixture = useApiServer();
  const cli = (args: string[]) => fixture.cli(args);
  /** The management cluster as the kubeconfig reaches it, on https (the API server is the same whatever the scheme). */
  const management = () => fixture.server.url.replace(/^http:/, 'https:');

  test('a fleet cluster whose API server is the kubeconfig\'s is refused, and the Secret that sends bundles there removed', async () => {
    // GIVEN dev-use1 registered, then its control plane pointing at the management cluster
    provision(fixture.server, 'dev-use1', { ready: true });
    provision(fixture.server, 'prod-use1', { ready: true });
    expect((await cli(['register'])).code).toBe(0);
    expect(clusterSecrets(fixture.server)).toContain('acme-cluster-dev-use1');
    pointAt(fixture.server, 'dev-use1', management());
    // WHEN
    const result = await cli(['register']);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`dev-use1 +refused +its API server ${management().replace(/[.]/g, '\\.')} is the management cluster's `
      + '\\(the server of kubeconfig context "mgmt", which arlonctl reaches the management cluster at\\): Argo CD would install its bundles on the '
      + 'management cluster; nothing was registered \\(and the cluster\'s Secret, if any, removed\\); the control plane\'s `spec.controlPlaneEndpoint` '
      + 'names that server, so check that dev-use1\'s control plane is its own EKS cluster \\(`eksClusterName` "acme--dev-use1"\\), then run register again'));
    expect(result.stdout).toMatch(/prod-use1 +unchanged/);
    expect(result.stderr).toMatch(/^error: 1 cluster\(s\) refused: dev-use1: its API server /);
    expect(clusterSecrets(fixture.server)).toEqual(['acme-cluster-prod-use1']);
  });

  test('an API server the Fleet records in management.apiServerUrls is refused', async () => {
    // GIVEN a dist/ whose Fleet says the management cluster is also reached at dev-use1's endpoint
    provision(fixture.server, 'dev-use1', { ready: true });
    const repo = tempDir();
    try {
      // the example's management settings, and the address
      const withUrl = buildExampleFleet({
        outdir: path.join(repo.dir, 'dist'),
        management: {
          capaFeatureGates: { eksEnableIam: true },
          egressCidrs: ['192.0.2.0/28'],
          argoCdRoleArn: 'arn:aws:iam::111122223333:role/acme-argocd',
          clusterAdminRoleArns: ['arn:aws:iam::111122223333:role/acme-platform-admin'],
          apiServerUrls: [`${endpointOf('dev-use1')}/`],
        },
      });
      withUrl.writeFiles();
      // WHEN
      const result = await cli(['register', '--dist', path.join(repo.dir, 'dist'), '-o', 'json']);
      // THEN
      expect(result.code).toBe(1);
      const outcome = (JSON.parse(result.stdout) as Array<{ cluster: string; state: string; reason: string }>).find((o) => o.cluster === 'dev-use1')!;
      expect(outcome.state).toBe('refused');
      expect(outcome.reason).toContain(`its API server ${endpointOf('dev-use1')} is the management cluster's (in the Fleet's \`management.apiServerUrls\`)`);
      expect(clusterSecrets(fixture.server)).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  test('an external cluster added to Argo CD at the management cluster\'s address is not labelled, so no bundle selects it', async () => {
    // GIVEN legacy-ops added to Argo CD with the management cluster's in-cluster address
    fixture.server.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cluster-kubernetes.default.svc-3396314289', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      data: { name: Buffer.from('legacy-ops').toString('base64'), server: Buffer.from('https://kubernetes.default.svc').toString('base64'), config: 'e30=' },
    });
    // WHEN
    const result = await cli(['register', '-o', 'json']);
    // THEN
    expect(result.code).toBe(1);
    const outcome = (JSON.parse(result.stdout) as Array<{ cluster: string; state: string; reason: string }>).find((o) => o.cluster === 'legacy-ops')!;
    expect(outcome).toMatchObject({ state: 'refused', server: 'https://kubernetes.default.svc' });
    expect(outcome.reason).toContain('is the management cluster\'s (Argo CD\'s in-cluster address)');
    expect(outcome.reason).toContain('add the external cluster under its own API server (`argocd cluster add <its context> --name legacy-ops`)');
    expect(fixture.server.get('v1', 'Secret', 'cluster-kubernetes.default.svc-3396314289', 'argocd')!.metadata.labels)
      .toEqual({ 'argocd.argoproj.io/secret-type': 'cluster' });
  });

  test('status flags a cluster whose Argo CD cluster Secret points at the management cluster', async () => {
    // GIVEN dev-use1 registered, then its Secret changed by hand to the management cluster's address
    provision(fixture.server, 'dev-use1', { ready: true });
    await cli(['register']);
    const secret = fixture.server.get('v1', 'Secret', 'acme-cluster-dev-use1', 'argocd')!;
    fixture.server.put({
      ...secret,
      metadata: { ...secret.metadata, resourceVersion: undefined },
      data: { ...secret.data as Record<string, string>, server: Buffer.from(`${management()}/`).toString('base64') },
    });
    // WHEN
    const result = await cli(['status']);
    // THEN
    expect(result.stdout).toMatch(/dev-use1 +dev,observability +\S+ +Provisioned +ready +MANAGEMENT CLUSTER /);
    expect(result.stderr).toContain(`dev-use1: its Argo CD cluster Secret acme-cluster-dev-use1 has server ${management()}/, the management cluster's `
      + '(the server of kubeconfig context "mgmt", which arlonctl reaches the management cluster at), so its bundles would be installed on the management '
      + 'cluster; delete that Secret and register the cluster under its own API server');
  });
});

describe('arlonctl describe cluster --trust-policy: IRSA trust for a new cluster', () => {
  const fixture = useApiServer();
  const cli = (args: string[]) => fixture.cli(args);

  test('prints each role, the service accounts that assume it, and the statement its trust policy needs for the OIDC provider CAPA published', async () => {
    // GIVEN prod-use1 created: CAPA (ported) has written status.oidcProvider
    provision(fixture.server, 'prod-use1', { ready: true });
    const cp = fixture.server.all('AWSManagedControlPlane').find((o) => o.metadata.labels?.['arlon.io/cluster'] === 'prod-use1')!;
    const status = (cp.status as { oidcProvider: { arn: string; trustPolicy: string } }).oidcProvider;
    expect(status.arn).toMatch(/^arn:aws:iam::111122223333:oidc-provider\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    const issuer = status.arn.slice(status.arn.indexOf('/') + 1);
    // WHEN
    const data = JSON.parse((await cli(['describe', 'cluster', 'prod-use1', '--trust-policy', '-o', 'json'])).stdout) as {
      oidcProvider: unknown; serviceAccountRoles: unknown;
    };
    const text = await cli(['describe', 'cluster', 'prod-use1', '--trust-policy']);
    // THEN the provider, from the status
    expect(data.oidcProvider).toEqual({ ready: true, arn: status.arn, issuer });
    // AND the condition key is the one CAPA's own boilerplate policy uses
    expect(Object.keys((JSON.parse(status.trustPolicy) as { Statement: Array<{ Condition: Record<string, Record<string, unknown>> }> })
      .Statement[0].Condition['ForAnyValue:StringLike'])).toEqual([`${issuer}:sub`]);
    const statement = (account: string) => ({
      Effect: 'Allow',
      Principal: { Federated: status.arn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${account}`, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
    });
    expect(data.serviceAccountRoles).toEqual([
      {
        roleArn: 'arn:aws:iam::111122223333:role/acme-ebs-csi',
        usedBy: ['add-on aws-ebs-csi-driver'],
        serviceAccounts: [{ namespace: 'kube-system', name: 'ebs-csi-controller-sa' }],
        unknownServiceAccounts: [],
        trustStatement: statement('kube-system:ebs-csi-controller-sa'),
      },
      {
        roleArn: 'arn:aws:iam::111122223333:role/prod-use1-cluster-autoscaler',
        usedBy: ['bundle cluster-autoscaler'],
        serviceAccounts: [{ namespace: 'kube-system', name: 'cluster-autoscaler' }],
        unknownServiceAccounts: [],
        trustStatement: statement('kube-system:cluster-autoscaler'),
      },
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain([
      'IAM roles for service accounts (IRSA):',
      `  OIDC provider: ${status.arn}`,
      '  arn:aws:iam::111122223333:role/acme-ebs-csi',
      '    used by:          add-on aws-ebs-csi-driver',
      '    service accounts: kube-system:ebs-csi-controller-sa',
      '    add this statement to the role\'s trust policy (aws iam update-assume-role-policy):',
      '      {',
      '        "Effect": "Allow",',
      '        "Principal": {',
      `          "Federated": "${status.arn}"`,
    ].join('\n'));
  });

  test('says the OIDC provider is not ready yet while CAPA has not published it', async () => {
    // GIVEN prod-use1 being created: no status.oidcProvider yet
    provision(fixture.server, 'prod-use1', { ready: false });
    // WHEN
    const result = await cli(['describe', 'cluster', 'prod-use1', '--trust-policy']);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('IAM roles for service accounts (IRSA):\n  OIDC provider not ready yet: CAPA has not written status.oidcProvider.arn '
      + 'on acme--prod-use1/acme--prod-use1-control-plane (it does once the EKS cluster is active)\n  arn:aws:iam::111122223333:role/acme-ebs-csi\n');
    expect(result.stdout).not.toContain('add this statement');
    // AND before the control plane exists at all
    const none = await cli(['describe', 'cluster', 'prod-euw1', '--trust-policy', '-o', 'json']);
    expect((JSON.parse(none.stdout) as { oidcProvider: unknown }).oidcProvider).toEqual({
      ready: false, reason: 'OIDC provider not ready yet: control plane acme--prod-euw1/acme--prod-euw1-control-plane not created yet',
    });
  });

  test('without --trust-policy, lists the roles from dist/ alone and says how to get the statements', async () => {
    const result = await runCliInProcess(['describe', 'cluster', 'prod-use1'], { home: fixture.home });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain([
      '  arn:aws:iam::111122223333:role/prod-use1-cluster-autoscaler',
      '    used by:          bundle cluster-autoscaler',
      '    service accounts: kube-system:cluster-autoscaler',
      '  Each role must trust this cluster\'s IAM OIDC provider: arlonctl describe cluster prod-use1 --trust-policy prints the statements.',
    ].join('\n'));
    // a cluster without IRSA has no such section
    expect((await runCliInProcess(['describe', 'cluster', 'dev-use1'], { home: fixture.home })).stdout).not.toContain('IRSA');
  });
});

describe('arlonctl status', () => {
  let server: FakeApiServer;
  let home: { dir: string; cleanup: () => void };

  beforeEach(async () => {
    server = new FakeApiServer({ token: TOKEN });
    await server.start();
    home = tempDir();
  });
  afterEach(async () => {
    await server.stop();
    home.cleanup();
  });

  test('shows one row per cluster: profiles, versions, phase, readiness, registration and bundle Applications', async () => {
    // GIVEN dev-use1 provisioned and registered with its bundles synced, one of them unhealthy; prod-use1 upgrading
    const kubeconfig = writeKubeconfig(home.dir, server.url, TOKEN);
    provision(server, 'dev-use1', { ready: true });
    provision(server, 'prod-use1', { ready: true, upgradingFrom: '1.32' });
    await runCliInProcess(['register'], { home: home.dir, env: { KUBECONFIG: kubeconfig } });
    server.requests.length = 0;
    // Argo CD's bundle Applications of dev-use1 (ported status writers), wordpress's Deployment still rolling out
    const files = readFiles(DIST);
    const deployment = (name: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'wordpress' } });
    const [, , bundles] = simulateLifecycle({
      objects: clusterObjects(files, 'dev-use1'),
      applications: clusterInputs(files, 'dev-use1').applications,
      bundleResources: (app) => (app.metadata.labels?.['arlon.io/bundle'] !== 'wordpress' ? []
        : [{ target: deployment('wordpress'), live: deployment('wordpress'), health: { status: 'Progressing', message: 'Waiting for rollout to finish' } }]),
    }, [{ phase: 'creating', at: at(0), revision: 'c1' }, { phase: 'nodeGroupsCreating', at: at(12) }, { phase: 'created', at: at(20) }]);
    for (const app of bundles.applications.filter((a) => a.metadata.labels?.['arlon.io/bundle'] !== undefined)) {
      server.put(app);
    }
    // WHEN
    const text = await runCliInProcess(['status', '--context', 'mgmt', '--kubeconfig', kubeconfig], { home: home.dir });
    const data = await runCliInProcess(['status', '-o', 'json'], { home: home.dir, env: { KUBECONFIG: kubeconfig } });
    // THEN
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^CLUSTER +PROFILES +VERSION \(DESIRED\/ACTUAL\) +PHASE +CONTROL PLANE +REGISTERED +BUNDLES \(SYNCED\/HEALTHY\/EXPECTED\)$/);
    // CAPA reports the version EKS runs as major.minor (computeCurrentStatusVersion)
    expect(text.stdout).toMatch(/dev-use1 +dev,observability +v1\.34\/1\.34 +Provisioned +ready +yes +4\/3\/4/);
    expect(text.stdout).toMatch(/prod-euw1 +prod,observability +v1\.33\/- +not created +not ready +no +0\/0\/3/);
    expect(text.stdout).toMatch(/legacy-ops +observability +\(external\) +- +- +no +0\/0\/3/);
    const rows = JSON.parse(data.stdout) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.cluster === 'prod-use1')).toEqual({
      cluster: 'prod-use1',
      external: false,
      profiles: ['prod', 'observability'],
      desiredVersion: 'v1.33',
      actualVersion: '1.32',
      phase: 'Provisioned',
      controlPlaneReady: true,
      registered: true,
      bundles: { expected: 3, found: 0, synced: 0, healthy: 0 },
    });
    // AND it asked for four lists, whatever the fleet's size
    expect(server.requests.filter((r) => r.method === 'GET' && /\/(awsmanagedcontrolplanes|clusters|secrets|applications)$/.test(r.path))).toHaveLength(8);
  });
});

describe('arlonctl status at scale', () => {
  const fixture = useApiServer();

  test('reads every page of a LIST: 1,200 cluster Secrets of other fleets, ours on the last page', async () => {
    // GIVEN 1,200 Argo CD cluster Secrets that sort before ours, and dev-use1 registered
    for (let i = 0; i < 1200; i++) {
      fixture.server.put({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `aaa-other-${String(i).padStart(4, '0')}`, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
        data: { name: Buffer.from(`other-${i}`).toString('base64') },
      });
    }
    provision(fixture.server, 'dev-use1', { ready: true });
    await fixture.cli(['register']);
    fixture.server.requests.length = 0;
    // WHEN
    const result = await fixture.cli(['status', '-o', 'json']);
    // THEN the Secret is found on the third page of 500, in three requests
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ cluster: string; registered: boolean }>).find((r) => r.cluster === 'dev-use1')!.registered).toBe(true);
    const secretLists = fixture.server.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/argocd/secrets');
    expect(secretLists.map((r) => r.query.continue ?? 'first')).toEqual(['first', '500', '1000']);
    expect(secretLists.every((r) => r.query.limit === '500')).toBe(true);
  });
});

describe('arlonctl list', () => {
  test('filters clusters by profile or bundle, and bundles by profile; an unknown name lists the known ones', async () => {
    const home = tempDir();
    try {
      const names = async (...args: string[]) => (JSON.parse((await runCliInProcess([...args, '-o', 'json'], { home: home.dir })).stdout) as Array<{ name: string }>)
        .map((item) => item.name);
      expect(await names('list', 'clusters', '--profile', 'prod')).toEqual(['canary-use1', 'prod-euw1', 'prod-use1']);
      expect(await names('list', 'clusters', '--bundle', 'wordpress')).toEqual(['dev-euw1', 'dev-use1']);
      expect(await names('list', 'clusters', '--profile', 'observability', '--bundle', 'cluster-autoscaler')).toEqual(['canary-use1', 'prod-euw1', 'prod-use1']);
      expect(await names('list', 'bundles', '--profile', 'prod')).toEqual(['cluster-autoscaler', 'metrics-server']);
      const text = await runCliInProcess(['list', 'clusters', '--profile', 'dev'], { home: home.dir });
      expect(text.stdout.split('\n').filter((line) => line !== '').map((line) => line.split(/ +/)[0])).toEqual(['NAME', 'dev-euw1', 'dev-use1']);
      expect(await runCliInProcess(['list', 'clusters', '--profile', 'nope'], { home: home.dir })).toMatchObject({
        code: 2, stderr: 'error: the fleet has no profile "nope"; its profiles: dev, observability, prod\nrun arlonctl --help for usage\n',
      });
      expect((await runCliInProcess(['list', 'profiles', '--bundle', 'wordpress'], { home: home.dir })).stderr).toContain('--bundle selects clusters; use it with `list clusters`');
    } finally {
      home.cleanup();
    }
  });

  test('describe cluster shows one cluster: profiles, versions, node pools, bundles and its own values', async () => {
    const home = tempDir();
    try {
      const text = await runCliInProcess(['describe', 'cluster', 'dev-euw1'], { home: home.dir });
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^Name: +dev-euw1\nType: +eks\nProfiles: +dev, observability\nOverrides: +region \(of its profile's spec\)\nLabels: +env=dev, region=eu-west-1\n/);
      expect(text.stdout).toMatch(/\nRegion: +eu-west-1\n/);
      expect(text.stdout).toMatch(/\nRollout: +wave dev, spec revision [0-9a-f]{12} \(arlonctl rollout status\)\n/);
      expect(text.stdout).toMatch(/\nNode pools:\n +NAME +INSTANCE TYPE +MIN +MAX +DESIRED +VERSION\n +general +m6i\.large +1 +4 +2 +v1\.34\.0\n/);
      expect(text.stdout).toMatch(/\n +wordpress +helm +28\.1\.5 +wordpress +yes\n/);
      expect(text.stdout).toContain('Own values:\n  wordpress:\n    ingress:\n      hostname: blog.acme.example\n    replicaCount: 2\n');
      const data = JSON.parse((await runCliInProcess(['describe', 'cluster', 'dev-euw1', '-o', 'json'], { home: home.dir })).stdout) as {
        kubernetesVersion: string; bundles: Array<{ name: string; values?: unknown }>;
      };
      expect(data.kubernetesVersion).toBe('v1.34');
      expect(data.bundles.find((b) => b.name === 'wordpress')!.values).toEqual({ ingress: { hostname: 'blog.acme.example' }, replicaCount: 2 });
      expect(data.bundles.find((b) => b.name === 'metrics-server')).not.toHaveProperty('values');
      expect((await runCliInProcess(['describe', 'cluster', 'legacy-ops'], { home: home.dir })).stdout).toMatch(/^Name: +legacy-ops\nType: +external/);
      // the fields of its profile's spec a cluster overrides
      expect(text.stdout).toMatch(/\nOverrides: +region \(of its profile's spec\)\n/);
      expect((await runCliInProcess(['describe', 'cluster', 'prod-euw1'], { home: home.dir })).stdout)
        .toMatch(/\nOverrides: +endpointAccess, nodePools\.workers, region, tags \(of its profile's spec\)\n/);
      expect((await runCliInProcess(['describe', 'cluster', 'prod-use1'], { home: home.dir })).stdout).not.toContain('Overrides:');
      expect(await runCliInProcess(['describe', 'cluster', 'nope'], { home: home.dir })).toMatchObject({
        code: 2, stderr: expect.stringContaining('the fleet has no cluster "nope"; its clusters: canary-use1, dev-euw1, dev-use1, legacy-ops, prod-euw1, prod-use1'),
      });
    } finally {
      home.cleanup();
    }
  });

  test('works from dist/ alone, without any cluster or kubeconfig', async () => {
    const home = tempDir();
    try {
      const clusters = await runCliInProcess(['list', 'clusters'], { home: home.dir });
      expect(clusters.code).toBe(0);
      expect(clusters.stdout).toMatch(/prod-euw1 +eks +prod,observability +eu-west-1 +v1\.33 +gpu\(g5\.xlarge 0-4\),system\(m6i\.xlarge 3-6\),workers\(m6i\.2xlarge 6-30\) +baseline-policies,cluster-autoscaler,metrics-server/);
      expect(clusters.stdout).toMatch(/legacy-ops +external +observability/);
      const profiles = await runCliInProcess(['list', 'profiles', '-o', 'json'], { home: home.dir });
      expect(JSON.parse(profiles.stdout)).toContainEqual({ name: 'prod', clusters: ['canary-use1', 'prod-euw1', 'prod-use1'], bundles: ['cluster-autoscaler', 'metrics-server'] });
      const bundles = await runCliInProcess(['list', 'bundles'], { home: home.dir });
      expect(bundles.stdout).toMatch(/wordpress +helm +oci:\/\/registry-1\.docker\.io\/bitnamicharts\/wordpress +28\.1\.5 +wordpress +2/);
    } finally {
      home.cleanup();
    }
  });
});
