import { DIST } from './support/cli';
import { CommandContext } from '../src/cli/context';
import { describeError } from '../src/cli/error-messages';
import { main } from '../src/cli/main';
import { commandDeadline, parseDuration, repositoryCredentials } from '../src/cli/options';
import {
  KubeconfigError, credentialsError, formatDuration, kubeconfigLoadError, requestError, statusError,
} from '../src/kube/http-client-errors';
import { REDACTED, redactSecrets, secretValuesOf } from '../src/kube/redact';
import { RetryableResponse, isRetryable, retryLine, retryReason, withRetry } from '../src/kube/retry';
import { KubeApiError, KubeConnectionError, KubeTlsError, describeObject } from '../src/kube/types';
import { ClusterNaming } from '../src/naming/cluster-names';
import { changedFields, declaredPart } from '../src/operations/diff';
import { CLUSTER_SUMMARY, FLEET_ONLY, oneCluster, readDist } from '../src/operations/dist-fleet';
import { registrationRole, RoleMismatchError } from '../src/operations/register';

describe('withRetry', () => {
  const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

  test('retries throttling, server errors and dropped connections, backing off up to a bound', async () => {
    const delays: number[] = [];
    const failures = [new RetryableResponse('slow down', 429, 'TooManyRequests'), new RetryableResponse('oops', 503, undefined), new KubeConnectionError('reset', 'ECONNRESET')];
    const result = await withRetry(policy, async () => {
      const failure = failures.shift();
      if (failure) {
        throw failure;
      }
      return 'done';
    }, async (ms) => {
      delays.push(ms);
    });
    expect(result).toBe('done');
    expect(delays).toHaveLength(3);
    expect(delays[0]).toBeGreaterThanOrEqual(80);
    expect(delays[0]).toBeLessThanOrEqual(120);
    expect(delays[2]).toBeLessThanOrEqual(250);
  });

  test('waits as long as Retry-After asks, past the backoff\'s cap (the command\'s --deadline bounds it)', async () => {
    const delays: number[] = [];
    const asks = [200, 30_000];
    await withRetry(policy, async () => {
      const ask = asks.shift();
      if (ask !== undefined) {
        throw new RetryableResponse('slow down', 429, 'TooManyRequests', ask);
      }
    }, async (ms) => {
      delays.push(ms);
    });
    expect(delays).toEqual([200, 30_000]);
  });

  test('gives up after the last attempt and never retries a conflict or a 404', async () => {
    let calls = 0;
    await expect(withRetry(policy, async () => {
      calls++;
      throw new RetryableResponse('down', 500, undefined);
    }, async () => undefined)).rejects.toThrow('down');
    expect(calls).toBe(4);
    for (const status of [404, 409, 422]) {
      calls = 0;
      await expect(withRetry(policy, async () => {
        calls++;
        throw new KubeApiError('no', status, undefined);
      }, async () => undefined)).rejects.toThrow('no');
      expect(calls).toBe(1);
    }
  });
});

describe('retry progress lines', () => {
  test('name the attempt to come, why the last failed and the wait, never user information or a query', () => {
    expect(retryLine('GET', 'https://10.0.0.1:6443/', '/api/v1', new KubeConnectionError('refused', 'ECONNREFUSED'), 2, 8, 1000))
      .toBe('retrying GET https://10.0.0.1:6443/api/v1 (attempt 3 of 8, connection refused), next in 1.0s');
    expect(retryLine('PATCH', 'https://admin:s3cret@api.example.com', '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/a?fieldManager=arlon',
      new RetryableResponse('slow down', 429, 'TooManyRequests'), 4, 8, 250.4))
      .toBe('retrying PATCH https://api.example.com/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/a (attempt 5 of 8, HTTP 429 TooManyRequests), '
        + 'next in 250ms');
    expect(retryReason(new RetryableResponse('oops', 503, undefined))).toBe('HTTP 503');
    expect(retryReason(new KubeConnectionError('odd', 'EWEIRD'))).toBe('EWEIRD');
  });
});

describe('withRetry and timeouts', () => {
  test('a request that timed out is tried twice in all (each try costs the whole timeout), and the retry is told', async () => {
    let calls = 0;
    const told: number[] = [];
    await expect(withRetry({ attempts: 8, baseDelayMs: 1, maxDelayMs: 1 }, async () => {
      calls++;
      throw new KubeConnectionError('GET /api/v1 got no answer within 1s', 'ETIMEDOUT');
    }, async () => undefined, (_error, attempt) => told.push(attempt))).rejects.toThrow('got no answer');
    expect(calls).toBe(2);
    expect(told).toEqual([1]);
  });

  test('TLS errors and credential errors are never retried', () => {
    expect(isRetryable(new KubeTlsError('x', 'CERT_HAS_EXPIRED', 'expired', 'renew'))).toBe(false);
    expect(isRetryable(new KubeconfigError('plugin failed'))).toBe(false);
    expect(isRetryable(new KubeConnectionError('reset', 'ECONNRESET'))).toBe(true);
  });
});

describe('redactSecrets', () => {
  test.each([
    ['JSON key', '{"token":"abc123def","user":"me"}', `{"token":"${REDACTED}","user":"me"}`],
    ['escaped JSON', String.raw`body: {\"password\":\"p@ss\\\"word\"}`, String.raw`body: {\"password\":\"${REDACTED}\"}`],
    ['YAML', 'user:\n  token: kube-abc.def\n  client-key-data: LS0tLS1CRUdJTg==\n', `user:\n  token: ${REDACTED}\n  client-key-data: ${REDACTED}\n`],
    ['Go map', 'map[password:hunter22 username:bob]', `map[password:${REDACTED} username:bob]`],
    ['Secret data', '{"kind":"Secret","data":{"password":"aHVudGVyMg==","url":"x"},"type":"Opaque"}', `{"kind":"Secret","data":{${REDACTED}},"type":"Opaque"}`],
    ['Secret stringData, Go form', 'Invalid value: map[stringData:map[password:hunter2 token:[1 2]] kind:Secret]', `Invalid value: map[stringData:map[${REDACTED}] kind:Secret]`],
    ['data block in YAML', 'kind: Secret\ndata:\n  a: YWJj\n  b: ZGVm\ntype: Opaque\n', `kind: Secret\ndata: ${REDACTED}\ntype: Opaque\n`],
    ['bearer header', 'Authorization: Bearer sha256~abcdefgh', `Authorization: Bearer ${REDACTED}`],
    ['JWT', 'id eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2lnbmF0dXJl end', `id ${REDACTED} end`],
    ['EKS token', 'got k8s-aws-v1.aHR0cHM6Ly9zdHM', `got k8s-aws-v1.${REDACTED}`],
    ['private key', 'key: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----',
      `key: -----BEGIN EC PRIVATE KEY----- ${REDACTED} -----END EC PRIVATE KEY-----`],
  ])('%s', (_name, text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
    // Redacting twice changes nothing more.
    expect(redactSecrets(redactSecrets(text))).toBe(redacted);
  });

  test('removes known values and their base64 forms wherever they appear, and leaves plain prose alone', () => {
    expect(redactSecrets('denied: s3cr3t-pass (czNjcjN0LXBhc3M=)', ['s3cr3t-pass'])).toBe(`denied: ${REDACTED} (${REDACTED})`);
    const prose = 'rejected the credentials (401 Unauthorized); refresh them (e.g. aws sso login, or a new token) or use --repo-password-file';
    expect(redactSecrets(prose, ['git', 'a'])).toBe(prose);
  });

  test('secretValuesOf takes the values of a Secret (data decoded too), and nothing of other kinds', () => {
    const secret = JSON.stringify({ kind: 'Secret', data: { password: Buffer.from('hunter2').toString('base64') }, stringData: { token: 'tok' } });
    expect(secretValuesOf(secret)).toEqual(['aHVudGVyMg==', 'hunter2', 'tok']);
    expect(secretValuesOf(JSON.stringify({ kind: 'ConfigMap', data: { a: 'b' } }))).toEqual([]);
    expect(secretValuesOf('not json')).toEqual([]);
  });
});

describe('messages of the Kubernetes client', () => {
  test('a server error that echoes the request is redacted, conflicts included', () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'repo' }, data: { password: Buffer.from('hunter2').toString('base64') } });
    const status = JSON.stringify({
      kind: 'Status',
      code: 409,
      reason: 'Conflict',
      message: `conflict applying ${body} with Bearer my-token-123`,
      details: { causes: [{ field: '.data.password', message: 'conflict with "kubectl": hunter2' }] },
    });
    const error = statusError(409, status, undefined, 'PATCH /api/v1/namespaces/argocd/secrets/repo', [...secretValuesOf(body), 'my-token-123']);
    expect(error.message).toBe(`conflict applying {"apiVersion":"v1","kind":"Secret","metadata":{"name":"repo"},"data":{${REDACTED}}} with Bearer ${REDACTED}`);
    expect(error.conflicts).toEqual([{ field: '.data.password', message: `conflict with "kubectl": ${REDACTED}` }]);
  });

  test('a server error that is not JSON is redacted and cut short', () => {
    const error = statusError(400, `<html>token=abc123 ${'x'.repeat(3000)}</html>`, undefined, 'GET /api/v1');
    expect(error.message.startsWith(`<html>token=${REDACTED} xxx`)).toBe(true);
    expect(error.message).toMatch(/\.\.\. \(\d+ more characters\)$/);
    expect(statusError(503, '', undefined, 'GET /api/v1')).toBeInstanceOf(RetryableResponse);
  });

  test('a kubeconfig that is not YAML is reported without the snippet the parser quotes', () => {
    const parserError = Object.assign(new Error('bad indentation (4:12)\n\n 4 |     token: SECRET: x\n-----------^'), {
      name: 'YAMLException', reason: 'bad indentation of a mapping entry', mark: { line: 3, column: 11 },
    });
    expect(kubeconfigLoadError('/k/config', parserError).message).toBe('kubeconfig /k/config is not valid YAML: bad indentation of a mapping entry '
      + 'at line 4, column 12 (the line is not shown, as it may hold credentials); fix the file, or point --kubeconfig or KUBECONFIG at another file');
    expect(kubeconfigLoadError('/k/config', Object.assign(new Error('ENOENT'), { code: 'ENOENT', path: '/k/token' })).message)
      .toBe('kubeconfig /k/config names /k/token, which cannot be read (ENOENT); fix the path in the kubeconfig, or point --kubeconfig or KUBECONFIG at another file');
    expect(kubeconfigLoadError('/k/config', new Error('users[0] token: abc-123 is odd')).message)
      .toBe(`kubeconfig /k/config is not a valid kubeconfig: users[0] token: ${REDACTED} is odd; fix the file, or point --kubeconfig or KUBECONFIG at another file`);
  });

  test('credential plugin failures name the plugin, never quote its output, and redact its errors', () => {
    const plugin = { command: 'aws', user: 'admin' };
    expect(credentialsError(Object.assign(new Error('spawn aws ENOENT'), { code: 'ENOENT', syscall: 'spawn aws', path: 'aws' }), 'admin', plugin).message)
      .toBe('the exec credential plugin `aws` of kubeconfig user "admin" could not be run (ENOENT); install it or put it on PATH, '
        + 'or fix users[].user.exec.command in the kubeconfig');
    let syntax: unknown;
    try {
      JSON.parse('token=leaked-credential');
    } catch (error) {
      syntax = error;
    }
    expect(credentialsError(syntax, 'admin', plugin).message).not.toContain('leaked');
    expect(credentialsError(new Error('line 1\nexpired token: abc.def.ghi\n'), 'admin', plugin).message)
      .toBe(`the exec credential plugin \`aws\` of kubeconfig user "admin" failed: line 1 / expired token: ${REDACTED}; run it yourself to see why `
        + '(e.g. an expired session: aws sso login), or pick another context with --context');
  });

  test('request failures: TLS problems name the cause, timeouts say whether the server accepted the connection', () => {
    const failure = { server: 'https://api.example:6443', what: 'GET /api/v1', timeoutMs: 30_000, connected: false };
    const expired = requestError(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), failure);
    expect(expired).toBeInstanceOf(KubeTlsError);
    expect(expired.message).toBe('cannot trust the API server at https://api.example:6443: its certificate has expired (CERT_HAS_EXPIRED); '
      + 'renew the API server certificate, or correct the clock of this machine if it is wrong');
    const plain = requestError(Object.assign(new Error('write EPROTO 0A00010B:SSL routines:ssl3_get_record:wrong version number'), { code: 'EPROTO' }), failure);
    expect(plain).toBeInstanceOf(KubeTlsError);
    expect(plain.message).toContain('if it serves plain HTTP, give the kubeconfig an http:// server URL');
    expect(requestError(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), failure).message)
      .toBe('GET /api/v1 got no answer within 30s (no connection could be made)');
    expect(requestError(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), { ...failure, connected: true, timeoutMs: 1500 }).message)
      .toBe('GET /api/v1 got no answer within 1.5s (the server accepted the connection but did not answer)');
    expect(requestError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), failure)).toBeInstanceOf(KubeConnectionError);
  });

  test('formatDuration', () => {
    expect([250, 1000, 1500, 90_000, 600_000, 7_200_000].map(formatDuration)).toEqual(['250ms', '1s', '1.5s', '90s', '10m', '2h']);
  });

  test('every message printed is redacted, whatever error it comes from', () => {
    expect(describeError(new Error('failed with {"password":"hunter2"}')).message).toBe(`failed with {"password":"${REDACTED}"}`);
    expect(describeError(new KubeApiError('webhook said Bearer abcdef123', 400, 'BadRequest'), { server: 'https://x', context: 'c' }).message)
      .toBe(`the management cluster at https://x (context c) answered 400 BadRequest: webhook said Bearer ${REDACTED}`);
  });
});

describe('deadlines', () => {
  test('--deadline as given; otherwise 10 minutes beyond the waits a command was asked for', () => {
    const base = { dist: 'dist', output: 'text', requestTimeout: '30s' };
    expect(commandDeadline('status', base)).toEqual({ ms: 600_000, label: '--deadline (default 10m)' });
    expect(commandDeadline('status', { ...base, deadline: '90s' })).toEqual({ ms: 90_000, label: '--deadline 90s' });
    expect(commandDeadline('register', { ...base, watch: true, timeout: '30m' })).toEqual({ ms: 2_400_000, label: '--deadline (default 10m beyond --timeout 30m)' });
    expect(commandDeadline('register', { ...base, timeout: '30m' }).ms).toBe(600_000);
    expect(commandDeadline('check', { ...base, appTimeout: '5m' }).ms).toBe(900_000);
    expect(() => commandDeadline('status', { ...base, deadline: 'later' })).toThrow('--deadline "later" is not a duration');
  });

  test('a command that waits past its deadline is stopped: exit 1, what it waited for, and its work aborted', async () => {
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t), env: {} };
    const context = new CommandContext(io, async (_options, _io, ctx) => {
      ctx.doing('waiting for the moon');
      return new Promise(() => undefined);
    });
    const code = await main(['status', '--dist', DIST, '--deadline', '50ms'], io, context);
    expect(code).toBe(1);
    expect(stderr).toBe('error: arlonctl status did not finish within --deadline 50ms and was stopped while waiting for the moon; '
      + 'find out why that takes so long, or allow more time with --deadline <duration>\n');
    expect(context.signal.aborted).toBe(true);
  });
});

describe('readDist', () => {
  const fleet = readDist(DIST);

  test('reads the fleet, its clusters, bundles and profiles back from dist/', () => {
    expect(fleet.name).toBe('acme');
    expect(fleet.argocdNamespace).toBe('argocd');
    expect(fleet.bootstrap.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['AppProject/acme', 'Application/acme-management', 'Application/acme']);
    expect(fleet.clusters.map((c) => `${c.name}:${c.external ? 'external' : c.kubernetesVersion}`))
      .toEqual(['canary-use1:v1.33', 'dev-euw1:v1.34', 'dev-use1:v1.34', 'legacy-ops:external', 'prod-euw1:v1.33', 'prod-use1:v1.33']);
    const prodEuw1 = fleet.clusters.find((c) => c.name === 'prod-euw1')!;
    expect(prodEuw1).toMatchObject({ region: 'eu-west-1', profiles: ['prod', 'observability'], labels: { env: 'prod', region: 'eu-west-1' } });
    // the names it goes by outside the repository, read back from its objects: fleet-scoped
    expect(prodEuw1).toMatchObject({
      naming: ClusterNaming.FLEET_SCOPED,
      argocdName: 'acme--prod-euw1',
      namespace: 'acme--prod-euw1',
      capiName: 'acme--prod-euw1',
      controlPlaneName: 'acme--prod-euw1-control-plane',
      eksClusterName: 'acme--prod-euw1',
    });
    // an external cluster keeps its own name in Argo CD
    expect(fleet.clusters.find((c) => c.name === 'legacy-ops')!.argocdName).toBe('legacy-ops');
    expect(prodEuw1.nodePools.find((p) => p.name === 'workers')).toEqual({
      name: 'workers', instanceType: 'm6i.2xlarge', minSize: 6, maxSize: 30, desiredSize: undefined, kubernetesVersion: 'v1.33.0', eksNodegroupName: expect.any(String), amiType: 'AL2023_x86_64_STANDARD',
    });
    expect(fleet.bundles.find((b) => b.name === 'tenant-baseline')).toMatchObject({ kind: 'inline', clusters: ['dev-euw1', 'dev-use1', 'legacy-ops'] });
    expect(fleet.profiles.find((p) => p.name === 'observability')!.bundles).toEqual(['baseline-policies', 'metrics-server']);
  });

  test('the cluster summary status and register read is the whole fleet but node pools and values files', () => {
    const summary = readDist(DIST, CLUSTER_SUMMARY);
    expect(summary.clusters).toEqual(fleet.clusters.map((c) => ({ ...c, nodePools: [] })));
    // value files are not read: neither the bundles' base values nor each cluster's own
    expect(summary.bundles).toEqual(fleet.bundles.map((b) => ({ ...b, clusterValues: {}, values: undefined })));
    expect(summary.profiles).toEqual(fleet.profiles);
    const rest = (f: typeof fleet) => ({ ...f, clusters: [], bundles: [], objects: undefined, valueFiles: undefined });
    expect(rest(summary)).toEqual(rest(fleet));
    // a tenth of what it would parse: of each cluster, its Cluster and control plane
    expect([...summary.objects.keys()].filter((f) => f.startsWith('clusters/')).sort())
      .toEqual([...fleet.objects.keys()].filter((f) => /^clusters\/[^/]+\/(Cluster|AWSManagedControlPlane)\./.test(f)).sort());
    expect(fleet.clusters.some((c) => c.nodePools.length > 0) && fleet.bundles.some((b) => Object.keys(b.clusterValues).length > 0)).toBe(true);
  });

  test('describe reads one cluster\'s files, and deploy the fleet\'s own folder: what they show is what the whole read shows', () => {
    const one = readDist(DIST, oneCluster('dev-euw1'));
    expect(one.clusters.find((c) => c.name === 'dev-euw1')).toEqual(fleet.clusters.find((c) => c.name === 'dev-euw1'));
    expect(one.clusters.filter((c) => !c.external).map((c) => c.name)).toEqual(['dev-euw1']);
    const wordpress = fleet.bundles.find((b) => b.name === 'wordpress')!;
    expect(one.bundles.find((b) => b.name === 'wordpress')!.clusterValues).toEqual({ 'dev-euw1': wordpress.clusterValues['dev-euw1'] });
    const own = readDist(DIST, FLEET_ONLY);
    const deployed = (f: typeof fleet) => [f.name, f.repoUrl, f.argocdNamespace, f.argocdRoleArn, f.bootstrap];
    expect(deployed(own)).toEqual(deployed(fleet));
    expect([...own.objects.keys()].every((file) => file.startsWith('fleet/'))).toBe(true);
  });
});

describe('options', () => {
  test('durations', () => {
    expect([parseDuration('--t', '45'), parseDuration('--t', '90s'), parseDuration('--t', '10m'), parseDuration('--t', '1h'), parseDuration('--t', '250ms')])
      .toEqual([45_000, 90_000, 600_000, 3_600_000, 250]);
    expect(() => parseDuration('--timeout', '5 minutes')).toThrow('--timeout "5 minutes" is not a duration; use e.g. 30s, 10m or 1h');
  });

  test('repository credentials come from flags or the environment, never half given', () => {
    expect(repositoryCredentials({}, {})).toBeUndefined();
    expect(repositoryCredentials({ repoUsername: 'bot' }, { ARLON_REPO_PASSWORD: 'pw' })).toEqual({ username: 'bot', password: 'pw', sshPrivateKey: undefined });
    expect(repositoryCredentials({}, { ARLON_REPO_SSH_KEY: 'key' })).toEqual({ sshPrivateKey: 'key', username: undefined, password: undefined });
    expect(() => repositoryCredentials({}, { ARLON_REPO_SSH_KEY: 'key', ARLON_REPO_PASSWORD: 'pw' })).toThrow('either an SSH key or a user name and password');
  });
});

describe('diff', () => {
  test('names the declared fields that differ, ignoring what the server sets', () => {
    const live = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', resourceVersion: '7', uid: 'u' }, spec: { a: 1, b: { c: 2 } }, status: { ready: true } };
    const next = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', resourceVersion: '8' }, spec: { a: 1, b: { c: 3, d: 4 } } };
    expect(changedFields(declaredPart(live), declaredPart(next))).toEqual(['.spec.b.c', '.spec.b.d']);
    expect(describeObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'acme' } })).toBe('appproject.argoproj.io/acme');
    expect(describeObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })).toBe('secret/s');
  });
});

describe('main, in process', () => {
  const run = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
    return { code, stdout, stderr };
  };

  test('lists from dist/ without loading the Kubernetes client', async () => {
    const result = await run('list', 'profiles', '--dist', DIST);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^NAME +CLUSTERS +BUNDLES\ndev +dev-euw1,dev-use1 +metrics-server,tenant-baseline,wordpress\n/);
  });

  test('without a command, prints the help to stderr and exits 2', async () => {
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: arlonctl [options] [command]');
  });
});

describe('the role register writes', () => {
  const fleet = readDist(DIST);

  test('is the fleet\'s, named on its root Application; --role-arn may only repeat it', () => {
    expect(fleet.argocdRoleArn).toBe('arn:aws:iam::111122223333:role/acme-argocd');
    expect(registrationRole(fleet, undefined)).toBe('arn:aws:iam::111122223333:role/acme-argocd');
    expect(registrationRole(fleet, 'arn:aws:iam::111122223333:role/acme-argocd')).toBe('arn:aws:iam::111122223333:role/acme-argocd');
    expect(() => registrationRole(fleet, 'arn:aws:iam::111122223333:role/other')).toThrow(RoleMismatchError);
  });

  test('is refused from the command line when the fleet gives no role access to its clusters', () => {
    const roleless = { ...fleet, argocdRoleArn: undefined };
    expect(registrationRole(roleless, undefined)).toBeUndefined();
    expect(() => registrationRole(roleless, 'arn:aws:iam::111122223333:role/other')).toThrow(
      '--role-arn arn:aws:iam::111122223333:role/other: fleet "acme" gives no IAM role access to its clusters, so Argo CD could not reach them with it; '
      + 'name the role on the Fleet (`management: { argoCdRoleArn: ... }`), synthesize and commit, then run register without --role-arn');
  });
});
