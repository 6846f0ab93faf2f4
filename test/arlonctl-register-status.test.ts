import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { TOKEN, useApiServer } from './support/api-server-fixture';
import { DIST, capiKubeconfig, runCli, writeKubeconfig } from './support/cli';
import { FakeApiServer } from './support/fake-api-server';
import { tempDir } from './support/fleet-files';
import type { KubeObject } from '../src/kube/types';

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB-test-ca\n-----END CERTIFICATE-----\n').toString('base64');
const read = (file: string) => YAML.parse(fs.readFileSync(path.join(DIST, file), 'utf8')) as KubeObject;
const decode = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

/** Plays Cluster API and CAPA: stores a cluster's objects from dist/ with the status its controllers would set. */
function provision(server: FakeApiServer, cluster: string, state: { ready: boolean; version?: string; phase?: string }): void {
  server.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: cluster } });
  const controlPlane = read(`clusters/${cluster}/AWSManagedControlPlane.${cluster}-control-plane.yaml`);
  server.put({ ...controlPlane, status: { ready: state.ready, version: state.version } });
  const capiCluster = read(`clusters/${cluster}/Cluster.${cluster}.yaml`);
  server.put({ ...capiCluster, status: { phase: state.phase ?? (state.ready ? 'Provisioned' : 'Provisioning') } });
  if (state.ready) {
    server.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${cluster}-kubeconfig`, namespace: cluster },
      data: { value: Buffer.from(capiKubeconfig(cluster, `https://${cluster}.gr7.us-east-1.eks.amazonaws.com`, CA)).toString('base64') },
    });
  }
}

describe('arlonctl register', () => {
  const fixture = useApiServer();
  const cli = (args: string[]) => fixture.cli(args);

  test('registers the clusters whose control plane is ready and skips the others, saying so', async () => {
    // GIVEN two clusters up, one provisioning, one not created yet
    provision(fixture.server, 'dev-use1', { ready: true });
    provision(fixture.server, 'prod-use1', { ready: true });
    provision(fixture.server, 'dev-euw1', { ready: false });
    // WHEN
    const result = await cli(['register']);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([
      'CLUSTER     STATE        DETAIL',
      'dev-euw1    pending      control plane not ready',
      'dev-use1    registered   https://dev-use1.gr7.us-east-1.eks.amazonaws.com',
      'prod-euw1   pending      control plane not created yet',
      'prod-use1   registered   https://prod-use1.gr7.us-east-1.eks.amazonaws.com',
      '',
    ].join('\n'));
    expect(result.stderr).toContain('2 cluster(s) not ready yet; run register again later, or with --watch');
    // AND the Argo CD cluster Secret uses EKS IAM authentication, not the kubeconfig's token, and carries the profiles
    const secret = fixture.server.get('v1', 'Secret', 'prod-use1', 'argocd')!;
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
    expect(data.name).toBe('prod-use1');
    expect(data.server).toBe('https://prod-use1.gr7.us-east-1.eks.amazonaws.com');
    // with the role the Fleet names, the one every control plane's access entry admits
    expect(JSON.parse(data.config)).toEqual({
      awsAuthConfig: { clusterName: 'prod-use1', roleARN: 'arn:aws:iam::111122223333:role/acme-argocd' },
      tlsClientConfig: { insecure: false, caData: CA },
    });
    expect(JSON.stringify(secret)).not.toContain('short-lived-token');
    expect(fixture.server.get('v1', 'Secret', 'dev-euw1', 'argocd')).toBeUndefined();
    expect(fixture.server.get('v1', 'Secret', 'legacy-ops', 'argocd')).toBeUndefined();
  });

  test('takes Argo CD\'s role from the fleet: --role-arn may only repeat it', async () => {
    provision(fixture.server, 'dev-use1', { ready: true });
    const other = await cli(['register', '--role-arn', 'arn:aws:iam::111122223333:role/someone-else']);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe('error: --role-arn arn:aws:iam::111122223333:role/someone-else is not the role fleet "acme" gives access to its clusters '
      + '(arn:aws:iam::111122223333:role/acme-argocd, the Fleet\'s `management.argoCdRoleArn`); drop --role-arn, or change the Fleet and synthesize\n'
      + 'run arlonctl --help for usage\n');
    expect(fixture.server.get('v1', 'Secret', 'dev-use1', 'argocd')).toBeUndefined();
    const same = await cli(['register', '--role-arn', 'arn:aws:iam::111122223333:role/acme-argocd']);
    expect(same.code).toBe(0);
  });

  test('is idempotent', async () => {
    provision(fixture.server, 'dev-use1', { ready: true });
    await cli(['register']);
    const again = await cli(['register', '-o', 'json']);
    expect(JSON.parse(again.stdout).find((o: { cluster: string }) => o.cluster === 'dev-use1').state).toBe('unchanged');
    expect(fixture.server.writes('v1', 'Secret', 'dev-use1', 'argocd')).toBe(1);
  });

  test('--watch keeps going, with a progress line per round, until every cluster is registered', async () => {
    // GIVEN every cluster provisioning; they become ready one after the other while the CLI watches
    const clusters = ['dev-euw1', 'dev-use1', 'prod-euw1', 'prod-use1'];
    for (const cluster of clusters) {
      provision(fixture.server, cluster, { ready: false });
    }
    // One more cluster becomes ready after each round the CLI completes (a round ends with the last cluster's lookup).
    const roundsDone = () => fixture.server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/prod-use1-control-plane') && r.status === 200).length;
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
      expect(result.stderr).toMatch(/registered 0\/4 clusters; waiting for dev-euw1 \(control plane not ready\), dev-use1 \(control plane not ready\)/);
      expect(result.stderr).toContain('registered 4/4 clusters\n');
      expect(fixture.server.all('Secret').filter((s) => s.metadata.namespace === 'argocd').map((s) => s.metadata.name).sort()).toEqual(clusters);
    } finally {
      clearInterval(timer);
    }
  });

  test('--watch gives up after --timeout with the clusters still pending', async () => {
    provision(fixture.server, 'dev-use1', { ready: true });
    const result = await cli(['register', '--watch', '--interval', '100ms', '--timeout', '300ms']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: timed out after 300ms with 3 cluster(s) not registered: dev-euw1, prod-euw1, prod-use1');
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
    provision(server, 'dev-use1', { ready: true, version: 'v1.34.1' });
    provision(server, 'prod-use1', { ready: true, version: 'v1.32.9', phase: 'Provisioned' });
    await runCli(['register'], { home: home.dir, env: { KUBECONFIG: kubeconfig } });
    for (const [bundle, health] of [['baseline-policies', 'Healthy'], ['metrics-server', 'Healthy'], ['tenant-baseline', 'Healthy'], ['wordpress', 'Progressing']]) {
      server.put({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: `dev-use1-${bundle}`, namespace: 'argocd', labels: { 'arlon.io/fleet': 'acme', 'arlon.io/bundle': bundle, 'arlon.io/cluster': 'dev-use1' } },
        spec: {},
        status: { sync: { status: 'Synced' }, health: { status: health } },
      });
    }
    // WHEN
    const text = await runCli(['status', '--context', 'mgmt', '--kubeconfig', kubeconfig], { home: home.dir });
    const data = await runCli(['status', '-o', 'json'], { home: home.dir, env: { KUBECONFIG: kubeconfig } });
    // THEN
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^CLUSTER +PROFILES +VERSION \(DESIRED\/ACTUAL\) +PHASE +CONTROL PLANE +REGISTERED +BUNDLES \(SYNCED\/HEALTHY\/EXPECTED\)$/);
    expect(text.stdout).toMatch(/dev-use1 +dev,observability +v1\.34\/v1\.34\.1 +Provisioned +ready +yes +4\/3\/4/);
    expect(text.stdout).toMatch(/prod-euw1 +prod,observability +v1\.33\/- +not created +not ready +no +0\/0\/3/);
    expect(text.stdout).toMatch(/legacy-ops +observability +\(external\) +- +- +no +0\/0\/3/);
    const rows = JSON.parse(data.stdout) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.cluster === 'prod-use1')).toEqual({
      cluster: 'prod-use1',
      external: false,
      profiles: ['prod', 'observability'],
      desiredVersion: 'v1.33',
      actualVersion: 'v1.32.9',
      phase: 'Provisioned',
      controlPlaneReady: true,
      registered: true,
      bundles: { expected: 3, found: 0, synced: 0, healthy: 0 },
    });
    // AND it asked for four lists, whatever the fleet's size
    expect(server.requests.filter((r) => r.method === 'GET' && /\/(awsmanagedcontrolplanes|clusters|secrets|applications)$/.test(r.path))).toHaveLength(8);
  });
});

describe('arlonctl list', () => {
  test('works from dist/ alone, without any cluster or kubeconfig', async () => {
    const home = tempDir();
    try {
      const clusters = await runCli(['list', 'clusters'], { home: home.dir });
      expect(clusters.code).toBe(0);
      expect(clusters.stdout).toMatch(/prod-euw1 +eks +prod,observability +eu-west-1 +v1\.33 +gpu\(g5\.xlarge 0-4\),system\(m6i\.xlarge 3-6\),workers\(m6i\.2xlarge 6-30\) +baseline-policies,cluster-autoscaler,metrics-server/);
      expect(clusters.stdout).toMatch(/legacy-ops +external +observability/);
      const profiles = await runCli(['list', 'profiles', '-o', 'json'], { home: home.dir });
      expect(JSON.parse(profiles.stdout)).toContainEqual({ name: 'prod', clusters: ['prod-euw1', 'prod-use1'], bundles: ['cluster-autoscaler', 'metrics-server'] });
      const bundles = await runCli(['list', 'bundles'], { home: home.dir });
      expect(bundles.stdout).toMatch(/wordpress +helm +oci:\/\/registry-1\.docker\.io\/bitnamicharts\/wordpress +28\.1\.5 +wordpress +2/);
    } finally {
      home.cleanup();
    }
  });
});
