import { DIST } from './support/cli';
import { main } from '../src/cli/main';
import { parseDuration, repositoryCredentials } from '../src/cli/options';
import { RetryableResponse, withRetry } from '../src/kube/retry';
import { KubeApiError, KubeConnectionError, describeObject } from '../src/kube/types';
import { changedFields, declaredPart } from '../src/operations/diff';
import { readDist } from '../src/operations/dist-fleet';
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

  test('waits at least as long as Retry-After asks, within the bound', async () => {
    const delays: number[] = [];
    let first = true;
    await withRetry(policy, async () => {
      if (first) {
        first = false;
        throw new RetryableResponse('slow down', 429, 'TooManyRequests', 200);
      }
    }, async (ms) => {
      delays.push(ms);
    });
    expect(delays).toEqual([200]);
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

describe('readDist', () => {
  const fleet = readDist(DIST);

  test('reads the fleet, its clusters, bundles and profiles back from dist/', () => {
    expect(fleet.name).toBe('acme');
    expect(fleet.argocdNamespace).toBe('argocd');
    expect(fleet.bootstrap.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['AppProject/acme', 'Application/acme']);
    expect(fleet.clusters.map((c) => `${c.name}:${c.external ? 'external' : c.kubernetesVersion}`))
      .toEqual(['dev-euw1:v1.34', 'dev-use1:v1.34', 'legacy-ops:external', 'prod-euw1:v1.33', 'prod-use1:v1.33']);
    const prodEuw1 = fleet.clusters.find((c) => c.name === 'prod-euw1')!;
    expect(prodEuw1).toMatchObject({ region: 'eu-west-1', eksClusterName: 'prod-euw1', profiles: ['prod', 'observability'], labels: { env: 'prod', region: 'eu-west-1' } });
    expect(prodEuw1.nodePools.find((p) => p.name === 'workers')).toEqual({
      name: 'workers', instanceType: 'm6i.2xlarge', minSize: 6, maxSize: 30, desiredSize: undefined, kubernetesVersion: 'v1.33.0',
    });
    expect(fleet.bundles.find((b) => b.name === 'tenant-baseline')).toMatchObject({ kind: 'inline', clusters: ['dev-euw1', 'dev-use1', 'legacy-ops'] });
    expect(fleet.profiles.find((p) => p.name === 'observability')!.bundles).toEqual(['baseline-policies', 'metrics-server']);
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
