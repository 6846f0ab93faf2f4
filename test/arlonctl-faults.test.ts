import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { certificate } from './support/certificates';
import { DIST, runCli, runCliInProcess, writeKubeconfig, type CliResult } from './support/cli';
import { FakeApiServer } from './support/fake-api-server';
import { tempDir } from './support/fleet-files';

const TOKEN = 'test-token';
/** Every run of the binary here must end well within this; a run that hangs is killed and fails its assertions. */
const KILL_AFTER_MS = 12_000;

/** Whether a process runs (a zombie awaiting its reaper does not). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Waits until `pid` has stopped, for at most `ms`. */
async function stopped(pid: number, ms = 3000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (!isRunning(pid)) {
      return true;
    }
  }
  return !isRunning(pid);
}

/** A server that accepts every connection and never answers. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** An exec credential plugin (`node -e script`) as a kubeconfig user. */
function execUser(script: string): Record<string, unknown> {
  return { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: ['-e', script], interactiveMode: 'Never' } };
}

describe('arlonctl under faults', () => {
  let home: { dir: string; cleanup: () => void };
  let server: FakeApiServer | undefined;
  /**
   * The built binary, for what is about the process: that it ends (a hang is killed and fails the test) when a server
   * or plugin never answers or a deadline passes, and that it stops what it started.
   */
  const binary = (args: string[], env: Record<string, string> = {}) => runCli(args, { home: home.dir, env, killAfterMs: KILL_AFTER_MS });
  /** The same CLI in this process's CLI thread, for what it prints and its exit status (no Node start per run). */
  const run = (args: string[], env: Record<string, string> = {}) => runCliInProcess(args, { home: home.dir, env });
  const timed = async (work: Promise<CliResult>) => {
    const start = Date.now();
    const result = await work;
    return { ...result, seconds: (Date.now() - start) / 1000 };
  };

  beforeEach(() => {
    home = tempDir();
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    home.cleanup();
  });

  describe('secrets never appear in messages', () => {
    test('a malformed kubeconfig is reported by line and column, without quoting the line', async () => {
      // GIVEN a kubeconfig whose token line is not valid YAML
      const file = path.join(home.dir, 'kubeconfig');
      fs.writeFileSync(file, [
        'apiVersion: v1', 'kind: Config',
        'clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]',
        'contexts: [{name: c, context: {cluster: c, user: u}}]', 'current-context: c',
        'users:', '- name: u', '  user:', '    token: kube-token-8d7f6e5a4b3c: broken', '',
      ].join('\n'));
      // WHEN
      const result = await run(['status', '--kubeconfig', file]);
      // THEN the message names the file, the line and the reason, and nothing of what the line holds
      expect(result).toMatchObject({
        code: 1,
        stderr: `error: kubeconfig ${file} is not valid YAML: bad indentation of a mapping entry at line 9, column 35 (the line is not shown, `
          + 'as it may hold credentials); fix the file, or point --kubeconfig or KUBECONFIG at another file\n',
      });
      expect(result.stderr).not.toContain('kube-token');
    });

    test('a server error that echoes the applied Secret and the bearer token is printed redacted', async () => {
      // GIVEN a server whose admission webhook denies every apply, quoting the request and its Authorization header
      server = new FakeApiServer({ token: TOKEN, faults: { echoPatchStatus: 422 } });
      await server.start();
      const kubeconfig = writeKubeconfig(home.dir, server.url, TOKEN);
      // WHEN deploying with repository credentials, so that the first object applied is a Secret
      const password = 'ghp_secret-password-5e4d3c';
      const result = await run(['deploy', '--repo-username', 'ci-bot'], { KUBECONFIG: kubeconfig, ARLON_REPO_PASSWORD: password });
      // THEN the error names the status and the webhook, with the Secret's values and the token redacted
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/\nerror: the management cluster at http:\/\/127\.0\.0\.1:\d+ \(context mgmt\) answered 422 Invalid: admission webhook "validate\.example\.com" denied the request \(Authorization: Bearer \[redacted\]\): /);
      expect(result.stderr).toContain('"data":{[redacted]}');
      for (const secret of [password, Buffer.from(password).toString('base64'), TOKEN]) {
        expect(result.stdout + result.stderr).not.toContain(secret);
      }
    });

    test('an exec plugin that prints something other than an ExecCredential is not quoted', async () => {
      const kubeconfig = writeKubeconfig(home.dir, 'http://127.0.0.1:1', TOKEN, 'kubeconfig', {
        user: execUser("process.stdout.write('token=leaked-credential-123')"),
      });
      const result = await run(['status'], { KUBECONFIG: kubeconfig });
      expect(result).toMatchObject({
        code: 1,
        stderr: `error: the exec credential plugin \`${process.execPath}\` of kubeconfig user "admin" printed something that is not an ExecCredential (JSON); `
          + `its output is not shown, as it may hold credentials; run \`${process.execPath}\` yourself to see what it prints\n`,
      });
    });

    test('an exec plugin that fails is named with its error, redacted', async () => {
      const kubeconfig = writeKubeconfig(home.dir, 'http://127.0.0.1:1', TOKEN, 'kubeconfig', {
        user: execUser("process.stderr.write('refresh failed for token: sk-live-0a1b2c3d4e\\n'); process.exit(1)"),
      });
      const result = await run(['status'], { KUBECONFIG: kubeconfig });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`error: the exec credential plugin \`${process.execPath}\` of kubeconfig user "admin" failed: refresh failed for `
        + 'token: [redacted]; run it yourself to see why (e.g. an expired session: aws sso login), or pick another context with --context\n');
    });
  });

  describe('nothing hangs', () => {
    test('an exec plugin that never returns is stopped after --request-timeout', async () => {
      // GIVEN a credential plugin that records its pid and never ends
      const pidFile = path.join(home.dir, 'plugin.pid');
      const kubeconfig = writeKubeconfig(home.dir, 'http://127.0.0.1:1', TOKEN, 'kubeconfig', {
        user: execUser(`require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`),
      });
      // WHEN
      const result = await timed(binary(['status', '--request-timeout', '1s'], { KUBECONFIG: kubeconfig }));
      // THEN it fails within about the timeout, naming the plugin, and the plugin is stopped
      expect(result).toMatchObject({
        code: 1,
        stderr: `error: the exec credential plugin \`${process.execPath}\` of kubeconfig user "admin" did not return credentials within 1s `
          + '(--request-timeout) and was stopped; run it yourself to see why (it may wait for a login in a browser or a prompt), '
          + 'or allow it more time with --request-timeout\n',
      });
      expect(result.seconds).toBeLessThan(8);
      expect(await stopped(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(true);
    });

    test('a server that accepts connections and never answers: each request gets --request-timeout, tried twice, and says so', async () => {
      const silent = await silentServer();
      try {
        const kubeconfig = writeKubeconfig(home.dir, silent.url, TOKEN);
        const result = await timed(binary(['status', '--request-timeout', '500ms'], { KUBECONFIG: kubeconfig }));
        expect(result.code).toBe(1);
        expect(result.stderr).toBe('GET /apis/argoproj.io/v1alpha1 got no answer within 500ms (the server accepted the connection but did not answer); '
          + 'trying again\n'
          + `error: the management cluster at ${silent.url} (context mgmt) did not answer: GET /apis/argoproj.io/v1alpha1 got no answer within 500ms `
          + '(the server accepted the connection but did not answer); check that it is healthy and reachable from here (a proxy or firewall may '
          + 'hold the connection), or allow more time with --request-timeout\n');
        expect(result.seconds).toBeLessThan(8);
      } finally {
        await silent.close();
      }
    });

    test('a server that refuses connections: one progress line per retry after the first, then the error', async () => {
      // GIVEN a port nothing listens on
      const port = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, '127.0.0.1', () => {
          const { port: free } = probe.address() as net.AddressInfo;
          probe.close(() => resolve(free));
        });
      });
      const kubeconfig = writeKubeconfig(home.dir, `http://127.0.0.1:${port}`, TOKEN);
      // WHEN
      const result = await run(['status'], { KUBECONFIG: kubeconfig, ARLONCTL_RETRY_DELAY_MS: '2' });
      // THEN attempts 3 to 8 are announced, each with its wait, on stderr only, without the token
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines.slice(0, -1).map((line) => line.replace(/next in \d+ms$/, 'next in Nms'))).toEqual([3, 4, 5, 6, 7, 8].map((attempt) =>
        `retrying GET http://127.0.0.1:${port}/apis/argoproj.io/v1alpha1 (attempt ${attempt} of 8, connection refused), next in Nms`));
      expect(lines[lines.length - 1]).toMatch(/^error: cannot connect to the management cluster at /);
      expect(result.stderr).not.toContain(TOKEN);
    });

    test('a server failing with 429 and 500: the lines name the status', async () => {
      server = new FakeApiServer({ token: TOKEN, faults: { errorRate: 1, seed: 7 } });
      const url = await server.start();
      const result = await run(['status'], { KUBECONFIG: writeKubeconfig(home.dir, url, TOKEN), ARLONCTL_RETRY_DELAY_MS: '1' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^retrying GET http:\/\/127\.0\.0\.1:\d+\/apis\/argoproj\.io\/v1alpha1 \(attempt 3 of 8, HTTP (429|500|503)[^)]*\), next in \d+ms$/m);
      expect(result.stderr).not.toContain(TOKEN);
    });

    test('--deadline stops a command that takes too long, naming what it waited for', async () => {
      const silent = await silentServer();
      try {
        const kubeconfig = writeKubeconfig(home.dir, silent.url, TOKEN);
        const result = await timed(binary(['status', '--deadline', '3s'], { KUBECONFIG: kubeconfig }));
        expect(result).toMatchObject({
          code: 1,
          stderr: 'error: arlonctl status did not finish within --deadline 3s and was stopped while waiting for GET /apis/argoproj.io/v1alpha1 '
            + `from ${silent.url}; find out why that takes so long, or allow more time with --deadline <duration>\n`,
        });
        expect(result.seconds).toBeLessThan(8);
      } finally {
        await silent.close();
      }
    });

    test('--deadline stops an exec plugin that never returns, too', async () => {
      const pidFile = path.join(home.dir, 'plugin.pid');
      const kubeconfig = writeKubeconfig(home.dir, 'http://127.0.0.1:1', TOKEN, 'kubeconfig', {
        user: execUser(`require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`),
      });
      const result = await timed(binary(['deploy', '--deadline', '3000ms'], { KUBECONFIG: kubeconfig }));
      expect(result).toMatchObject({
        code: 1,
        stderr: 'applying 3 objects of fleet "acme" to http://127.0.0.1:1 (context mgmt)\n'
          + 'error: arlonctl deploy did not finish within --deadline 3000ms and was stopped while waiting for the exec credential plugin '
          + `\`${process.execPath}\` of kubeconfig user "admin" to return credentials; find out why that takes so long, or allow more time `
          + 'with --deadline <duration>\n',
      });
      expect(result.seconds).toBeLessThan(8);
      expect(await stopped(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(true);
    });

    test('check --app-timeout stops a synth that never ends, with every process it started', async () => {
      // GIVEN a fleet repository, and a synth that starts a child holding its output open, then never ends
      const repo = tempDir('arlon-repo-');
      try {
        const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' });
        fs.cpSync(DIST, path.join(repo.dir, 'dist'), { recursive: true });
        git('init', '-q');
        git('add', '-A');
        git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-qm', 'dist');
        const pidFile = path.join(repo.dir, 'child.pid');
        const app = 'node -e "const c = require(\'child_process\').spawn(\'sleep\', [\'60\'], { stdio: \'inherit\' }); '
          + `require('fs').writeFileSync('${pidFile}', String(c.pid)); setInterval(() => {}, 1000)"`;
        // WHEN
        const result = await timed(runCli(['check', '--dist', path.join(repo.dir, 'dist'), '--app', app, '--app-timeout', '1s'],
          { home: repo.dir, killAfterMs: KILL_AFTER_MS }));
        // THEN the stopped synth is one problem, and its child is gone too
        expect(result.code).toBe(1);
        expect(result.stdout).toBe(`synth failed: \`${app}\` did not finish within --app-timeout 1s and was stopped; find out where it waits `
          + '(input, the network, a lock), or allow more time with --app-timeout\n');
        expect(result.seconds).toBeLessThan(8);
        expect(await stopped(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(true);
      } finally {
        repo.cleanup();
      }
    });

    test.each([
      [['status', '--deadline', 'soon'], 'error: --deadline "soon" is not a duration; use e.g. 30s, 10m or 1h\nrun arlonctl --help for usage\n'],
      [['status', '--deadline', '0'], 'error: --deadline "0" is too short; use at least a millisecond\nrun arlonctl --help for usage\n'],
      [['check', '--app-timeout', 'never'], 'error: --app-timeout "never" is not a duration; use e.g. 30s, 10m or 1h\nrun arlonctl --help for usage\n'],
    ])('usage error %j exits 2', async (args, stderr) => {
      expect(await run(args)).toMatchObject({ code: 2, stdout: '', stderr });
    });
  });

  describe('TLS certificate errors are not retried, and say what is wrong', () => {
    const ca = certificate({ name: 'test-ca', ca: true });
    const past = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') };
    const trust = 'put the certificate authority of the API server in the kubeconfig (certificate-authority-data or certificate-authority of the '
      + 'cluster; aws eks update-kubeconfig writes it)';

    test.each([
      ['self-signed', certificate({ name: 'self', hosts: ['127.0.0.1'] }), false,
        'its certificate is self-signed and the kubeconfig does not trust it (DEPTH_ZERO_SELF_SIGNED_CERT); ' + trust],
      ['unknown authority', certificate({ name: 'api', hosts: ['127.0.0.1'], issuer: ca }), false,
        'its certificate is signed by an unknown certificate authority (UNABLE_TO_VERIFY_LEAF_SIGNATURE); ' + trust],
      ['hostname mismatch', certificate({ name: 'api', hosts: ['api.other.example'], issuer: ca }), true,
        'its certificate is not valid for the host 127.0.0.1 (hostname mismatch; it is for DNS:api.other.example) (ERR_TLS_CERT_ALTNAME_INVALID); '
        + 'use the server URL the certificate names, or set tls-server-name of the cluster in the kubeconfig to a name it holds'],
      ['expired', certificate({ name: 'api', hosts: ['127.0.0.1'], issuer: ca, ...past }), true,
        'its certificate has expired (CERT_HAS_EXPIRED); renew the API server certificate, or correct the clock of this machine if it is wrong'],
    ])('%s', async (_name, pair, trusted, explanation) => {
      server = new FakeApiServer({ token: TOKEN, tls: pair });
      await server.start();
      const kubeconfig = writeKubeconfig(home.dir, server.url, TOKEN, 'kubeconfig', { skipTlsVerify: false, certificateAuthority: trusted ? ca.cert : undefined });
      const result = await run(['status'], { KUBECONFIG: kubeconfig });
      expect(result).toMatchObject({ code: 1, stderr: `error: cannot trust the management cluster at ${server.url} (context mgmt): ${explanation}\n` });
      // Not retried: `status` opens at most its four first requests at once (they may race), where a retried failure
      // would open 8 connections for one request alone.
      expect(server.connections).toBeGreaterThanOrEqual(1);
      expect(server.connections).toBeLessThanOrEqual(4);
    });

    test('an https server whose certificate authority the kubeconfig holds is trusted', async () => {
      server = new FakeApiServer({ token: TOKEN, tls: certificate({ name: 'api', hosts: ['127.0.0.1'], issuer: ca }) });
      await server.start();
      const kubeconfig = writeKubeconfig(home.dir, server.url, TOKEN, 'kubeconfig', { skipTlsVerify: false, certificateAuthority: ca.cert });
      const result = await run(['deploy'], { KUBECONFIG: kubeconfig });
      expect(result).toMatchObject({ code: 0, stdout: 'appproject.argoproj.io/acme created\napplication.argoproj.io/acme-management created\napplication.argoproj.io/acme created\n' });
    });
  });

  describe('the kubeconfig is found and read as kubectl does', () => {
    test('no kubeconfig at all', async () => {
      const result = await run(['status']);
      const fallback = path.join(home.dir, '.kube', 'config');
      expect(result).toMatchObject({
        code: 1,
        stderr: `error: no kubeconfig: KUBECONFIG is not set and ${fallback} does not exist; give the kubeconfig of the management cluster with `
          + `--kubeconfig or KUBECONFIG, or write ${fallback} (aws eks update-kubeconfig --name <management cluster> does)\n`,
      });
    });

    test('an empty kubeconfig', async () => {
      const file = path.join(home.dir, 'empty');
      fs.writeFileSync(file, '');
      const result = await run(['status'], { KUBECONFIG: file });
      expect(result).toMatchObject({
        code: 1,
        stderr: `error: kubeconfig ${file} is empty; give the kubeconfig of the management cluster with --kubeconfig or KUBECONFIG `
          + '(aws eks update-kubeconfig --name <management cluster> writes one)\n',
      });
    });

    test('KUBECONFIG naming a file that does not exist', async () => {
      const file = path.join(home.dir, 'nope');
      const result = await run(['status'], { KUBECONFIG: file });
      expect(result).toMatchObject({
        code: 1,
        stderr: `error: KUBECONFIG names ${file}, which does not exist; point KUBECONFIG at the kubeconfig of the management cluster, or pass --kubeconfig\n`,
      });
    });

    test('~/.kube/config, and a plain http:// server without insecure-skip-tls-verify, as kubectl allows', async () => {
      server = new FakeApiServer({ token: TOKEN });
      await server.start();
      fs.mkdirSync(path.join(home.dir, '.kube'));
      writeKubeconfig(path.join(home.dir, '.kube'), server.url, TOKEN, 'config', { skipTlsVerify: false });
      const result = await run(['deploy']);
      expect(result).toMatchObject({ code: 0, stdout: 'appproject.argoproj.io/acme created\napplication.argoproj.io/acme-management created\napplication.argoproj.io/acme created\n' });
    });

    test('KUBECONFIG lists files: the missing ones are skipped and the others merged, the first to name something wins', async () => {
      server = new FakeApiServer({ token: TOKEN });
      await server.start();
      const first = writeKubeconfig(home.dir, server.url, TOKEN, 'first');
      const second = writeKubeconfig(home.dir, 'http://127.0.0.1:1', 'other-token', 'second');
      const list = [path.join(home.dir, 'missing'), first, second].join(path.delimiter);
      const result = await run(['deploy'], { KUBECONFIG: list });
      expect(result).toMatchObject({ code: 0, stdout: 'appproject.argoproj.io/acme created\napplication.argoproj.io/acme-management created\napplication.argoproj.io/acme created\n' });
    });
  });
});
