import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { useApiServer } from './support/api-server-fixture';
import { DIST } from './support/cli';
const bootstrap = fs.readdirSync(path.join(DIST, 'fleet')).map((f) => YAML.parse(fs.readFileSync(path.join(DIST, 'fleet', f), 'utf8')));
const root = bootstrap.find((o) => o.kind === 'Application' && o.metadata.name === 'acme');

describe('arlonctl deploy', () => {
  const fixture = useApiServer();
  const cli = (args: string[], env: Record<string, string> = {}) => fixture.cli(args, env);

  test('applies the bootstrap objects with one field manager; a second run changes nothing', async () => {
    // WHEN deployed twice
    const first = await cli(['deploy']);
    const second = await cli(['deploy']);
    // THEN the first creates the fleet's AppProject and root Application, the second leaves them alone
    expect(first).toMatchObject({ code: 0, stdout: 'appproject.argoproj.io/acme created\napplication.argoproj.io/acme-management created\napplication.argoproj.io/acme created\n' });
    expect(first.stderr).toContain(`applying 3 objects of fleet "acme" to ${fixture.server.url} (context mgmt)`);
    expect(second).toMatchObject({ code: 0, stdout: 'appproject.argoproj.io/acme unchanged\napplication.argoproj.io/acme-management unchanged\napplication.argoproj.io/acme unchanged\n' });
    expect(fixture.server.writes('argoproj.io/v1alpha1', 'Application', 'acme', 'argocd')).toBe(1);
    expect(fixture.server.writes('argoproj.io/v1alpha1', 'AppProject', 'acme', 'argocd')).toBe(1);
    // AND every write was a server-side apply by arlonctl, without force
    const patches = fixture.server.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(6);
    for (const patch of patches) {
      expect(patch.contentType).toBe('application/apply-patch+yaml');
      expect(patch.query).toEqual({ fieldManager: 'arlonctl' });
    }
    // AND what is stored is what dist/ holds
    const stored = fixture.server.get('argoproj.io/v1alpha1', 'Application', 'acme', 'argocd')!;
    expect(stored.spec).toEqual(root.spec);
  });

  test('--dry-run runs a server-side dry run, shows what would change and stores nothing', async () => {
    const created = await cli(['deploy', '--dry-run']);
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toBe('appproject.argoproj.io/acme would be created (server dry run)\napplication.argoproj.io/acme-management would be created (server dry run)\n'
      + 'application.argoproj.io/acme would be created (server dry run)\n');
    expect(fixture.server.all('Application')).toEqual([]);
    expect(fixture.server.requests.filter((r) => r.method === 'PATCH').every((r) => r.query.dryRun === 'All')).toBe(true);

    // GIVEN the fleet deployed, then someone changes the revision with another tool
    await cli(['deploy']);
    fixture.server.applyAs('kubectl-edit', { ...root, spec: { source: { targetRevision: 'hotfix' } } }, true);
    const configured = await cli(['deploy', '--dry-run', '--force-conflicts']);
    expect(configured.stdout).toContain('application.argoproj.io/acme would be configured: .spec.source.targetRevision (server dry run)');
    expect((fixture.server.get('argoproj.io/v1alpha1', 'Application', 'acme', 'argocd')!.spec as { source: { targetRevision: string } }).source.targetRevision).toBe('hotfix');
  });

  test('stops at a conflict with the field and its owner, and takes it over only when asked', async () => {
    // GIVEN another field manager owns the root Application's target revision
    await cli(['deploy']);
    fixture.server.applyAs('kubectl-edit', { ...root, spec: { source: { targetRevision: 'hotfix' } } }, true);
    // WHEN deploying
    const refused = await cli(['deploy']);
    // THEN it fails naming the field and the manager, and changes nothing
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: application.argoproj.io/acme has fields owned by another field manager:\n'
      + '  - .spec.source.targetRevision: conflict with "kubectl-edit"\n'
      + 'someone changed them outside the fleet; fix the fleet code, or take the fields over with --force-conflicts');
    // WHEN forced
    const forced = await cli(['deploy', '--force-conflicts']);
    expect(forced).toMatchObject({ code: 0 });
    expect(forced.stdout).toContain('application.argoproj.io/acme configured: .spec.source.targetRevision');
    expect((fixture.server.get('argoproj.io/v1alpha1', 'Application', 'acme', 'argocd')!.spec as { source: { targetRevision: string } }).source.targetRevision).toBe('main');
  });

  test('registers repository credentials from the environment without printing them', async () => {
    const result = await cli(['deploy', '--repo-username', 'ci-bot', '-o', 'json'], { ARLON_REPO_PASSWORD: 'ghp_not-a-real-token-9f8e7d' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).results.map((r: { object: string; action: string }) => `${r.object} ${r.action}`)).toEqual([
      'secret/acme-repository created', 'appproject.argoproj.io/acme created', 'application.argoproj.io/acme-management created',
      'application.argoproj.io/acme created',
    ]);
    const secret = fixture.server.get('v1', 'Secret', 'acme-repository', 'argocd')!;
    expect(secret.metadata.labels?.['argocd.argoproj.io/secret-type']).toBe('repository');
    const decoded = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    expect(decoded).toEqual({ type: 'git', url: 'https://github.com/acme/platform-fleet.git', username: 'ci-bot', password: 'ghp_not-a-real-token-9f8e7d' });
    expect(result.stdout + result.stderr).not.toContain('ghp_not-a-real-token');
    // AND a changed password is reported without its value
    const rotated = await cli(['deploy', '--repo-username', 'ci-bot'], { ARLON_REPO_PASSWORD: 'ghp_rotated-token-1a2b3c' });
    expect(rotated.stdout).toContain('secret/acme-repository configured: .data (values hidden)');
    expect(rotated.stdout + rotated.stderr).not.toContain('ghp_rotated');
  });

  test('converges through 30% injected failures (429, 500, dropped connections) with nothing lost or duplicated', async () => {
    // GIVEN a server failing 15% of requests with 429/500 and dropping 15% of connections, before or after the write
    fixture.server.setFaults({ errorRate: 0.15, dropRate: 0.15, latencyMs: 5, seed: 42 });
    // WHEN deploying, with credentials so that three objects go over the wire
    const result = await cli(['deploy', '--repo-username', 'ci-bot'], { ARLON_REPO_PASSWORD: 'not-a-real-password' });
    // THEN it succeeds, and each object was stored exactly once with dist/'s content
    expect(result).toMatchObject({ code: 0 });
    expect(fixture.server.requests.filter((r) => r.fault !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(fixture.server.requests.some((r) => r.fault === 'dropped after')).toBe(true);
    expect(fixture.server.all('Application').map((o) => o.metadata.name).sort()).toEqual(['acme', 'acme-management']);
    expect(fixture.server.all('AppProject').map((o) => o.metadata.name)).toEqual(['acme']);
    expect(fixture.server.all('Secret').map((o) => o.metadata.name)).toEqual(['acme-repository']);
    for (const [kind, name] of [['Application', 'acme'], ['AppProject', 'acme']]) {
      expect(fixture.server.writes('argoproj.io/v1alpha1', kind, name, 'argocd')).toBe(1);
      expect(fixture.server.get('argoproj.io/v1alpha1', kind, name, 'argocd')!.spec).toEqual(bootstrap.find((o) => o.kind === kind && o.metadata.name === name).spec);
    }
    // AND a second deploy through the same faults changes nothing
    const again = await cli(['deploy']);
    expect(again).toMatchObject({ code: 0, stdout: 'appproject.argoproj.io/acme unchanged\napplication.argoproj.io/acme-management unchanged\napplication.argoproj.io/acme unchanged\n' });
  });
});
