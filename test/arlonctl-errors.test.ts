import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { runCliInProcess, writeKubeconfig } from './support/cli';
import { FakeApiServer } from './support/fake-api-server';
import { tempDir } from './support/fleet-files';

const TOKEN = 'test-token';

describe('arlonctl error messages', () => {
  let home: { dir: string; cleanup: () => void };
  beforeEach(() => {
    home = tempDir();
  });
  afterEach(() => home.cleanup());

  /** Starts a server with `options`, runs the CLI against it, stops the server. */
  async function against(options: ConstructorParameters<typeof FakeApiServer>[0], args: string[], token = TOKEN) {
    const server = new FakeApiServer(options);
    const url = await server.start();
    try {
      return { url, result: await runCliInProcess(args, { home: home.dir, env: { KUBECONFIG: writeKubeconfig(home.dir, url, token) } }) };
    } finally {
      await server.stop();
    }
  }

  test('cannot connect', async () => {
    // GIVEN a port nothing listens on
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const kubeconfig = writeKubeconfig(home.dir, `http://127.0.0.1:${port}`, TOKEN);
    const result = await runCliInProcess(['deploy'], { home: home.dir, env: { KUBECONFIG: kubeconfig } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: cannot connect to the management cluster at http://127.0.0.1:${port} (context mgmt): ECONNREFUSED; `
      + 'check that it is running and reachable from here, and that KUBECONFIG, --kubeconfig or --context point at it\n');
  });

  test('unauthorized', async () => {
    const { url, result } = await against({ token: TOKEN }, ['deploy'], 'expired-token');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: the management cluster at ${url} (context mgmt) rejected the credentials (401 Unauthorized); `
      + 'refresh them (e.g. aws sso login, or a new token) or pick another context with --context\n');
  });

  test('Argo CD not installed', async () => {
    const { url, result } = await against({ token: TOKEN, groups: [] }, ['deploy']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: the management cluster at ${url} (context mgmt) is missing components:\n`
      + '  - Argo CD (Application, AppProject, ApplicationSet) is not installed: the API server does not serve argoproj.io/v1alpha1; install Argo CD 3.x\n');
  });

  test('Cluster API and CAPA not installed', async () => {
    const { result } = await against({ token: TOKEN, groups: ['argoproj.io'] }, ['register']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('  - Cluster API v1beta2 (Cluster, MachinePool) is not installed: the API server does not serve cluster.x-k8s.io/v1beta2; '
      + 'install Cluster API v1.11 or later (clusterctl init)\n');
    expect(result.stderr).toContain('  - the AWS provider with EKS (AWSManagedControlPlane) is not installed: the API server does not serve '
      + 'controlplane.cluster.x-k8s.io/v1beta2; install CAPA v2.x with EKS enabled (clusterctl init --infrastructure aws)\n');
  });

  test('namespace missing', async () => {
    const { url, result } = await against({ token: TOKEN, namespaces: ['default'] }, ['deploy']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: namespace "argocd" does not exist on the management cluster at ${url}; `
      + 'Argo CD runs there in this fleet (Fleet `argocdNamespace`); install Argo CD into it first\n');
  });

  test('unknown context and missing kubeconfig file', async () => {
    const kubeconfig = writeKubeconfig(home.dir, 'http://127.0.0.1:1', TOKEN);
    const context = await runCliInProcess(['status', '--kubeconfig', kubeconfig, '--context', 'prod'], { home: home.dir });
    expect(context).toMatchObject({ code: 1, stderr: 'error: context "prod" is not in the kubeconfig (contexts: mgmt); pick one with --context\n' });
    const missing = await runCliInProcess(['status', '--kubeconfig', path.join(home.dir, 'nope')], { home: home.dir });
    expect(missing).toMatchObject({
      code: 1, stderr: `error: kubeconfig file ${path.join(home.dir, 'nope')} does not exist; pass the path of a kubeconfig with --kubeconfig\n`,
    });
  });

  test('no synthesized fleet', async () => {
    const result = await runCliInProcess(['list', 'clusters', '--dist', home.dir], { home: home.dir });
    expect(result).toMatchObject({
      code: 1, stderr: `error: ${home.dir} is not a synthesized fleet (no fleet/ folder); run the synth first (npm run synth), or point --dist at the folder\n`,
    });
  });

  test.each([
    [['deploy', '--bogus'], "error: unknown option '--bogus'\n"],
    [['dploy'], "error: unknown command 'dploy'\n(Did you mean deploy?)\n"],
    [['list'], "error: missing required argument 'what'\n"],
    [['list', 'widgets'], 'error: cannot list "widgets"; use one of: clusters, profiles, bundles\nrun arlonctl --help for usage\n'],
    [['list', 'clusters', '-o', 'yaml'], 'error: --output "yaml" is not a format; use text or json\nrun arlonctl --help for usage\n'],
    [['register', '--timeout', 'soon'], 'error: --timeout "soon" is not a duration; use e.g. 30s, 10m or 1h\nrun arlonctl --help for usage\n'],
    [['register', '--watch', '--interval', '0'], 'error: --interval "0" is too short: each round reads every cluster\'s objects from the API server; '
      + 'use at least 100ms\nrun arlonctl --help for usage\n'],
    [['register', '--timeout', '0s'], 'error: --timeout "0s" is too short; use at least a millisecond\nrun arlonctl --help for usage\n'],
    [['register', '--role-arn', 'argocd'], 'error: --role-arn "argocd" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)\nrun arlonctl --help for usage\n'],
    [['deploy', '--repo-username', 'bot'], 'error: HTTPS repository credentials need both a user name (--repo-username or ARLON_REPO_USERNAME) '
      + 'and a password or token (--repo-password-file or ARLON_REPO_PASSWORD)\nrun arlonctl --help for usage\n'],
  ])('usage error %j exits 2', async (args, stderr) => {
    const result = await runCliInProcess(args, { home: home.dir });
    expect(result).toMatchObject({ code: 2, stdout: '', stderr });
  });

  test('--help lists every command with examples, and exits 0', async () => {
    const result = await runCliInProcess(['--help'], { home: home.dir });
    expect(result.code).toBe(0);
    for (const command of ['deploy', 'register', 'status', 'list']) {
      expect(result.stdout).toMatch(new RegExp(`\\n  ${command} `));
    }
    expect(result.stdout).toContain('Examples:\n');
    for (const command of ['deploy', 'register', 'status', 'list']) {
      const help = await runCliInProcess([command, '--help'], { home: home.dir });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Examples:\n {2}arlonctl /);
    }
  });

  test('has no flag that takes a password itself (command lines are visible to other users)', async () => {
    const result = await runCliInProcess(['deploy', '--repo-password', 'x'], { home: home.dir });
    expect(result).toMatchObject({ code: 2, stderr: "error: unknown option '--repo-password'\n" });
  });

  test('reads a password from a file', async () => {
    const server = new FakeApiServer({ token: TOKEN });
    await server.start();
    try {
      const passwordFile = path.join(home.dir, 'token');
      fs.writeFileSync(passwordFile, 'from-a-file\n');
      const kubeconfig = writeKubeconfig(home.dir, server.url, TOKEN);
      const result = await runCliInProcess(['deploy', '--repo-username', 'bot', '--repo-password-file', passwordFile], { home: home.dir, env: { KUBECONFIG: kubeconfig } });
      expect(result.code).toBe(0);
      const data = server.get('v1', 'Secret', 'acme-repository', 'argocd')!.data as Record<string, string>;
      expect(Buffer.from(data.password, 'base64').toString()).toBe('from-a-file');
    } finally {
      await server.stop();
    }
  });
});
