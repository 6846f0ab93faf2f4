import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Bundle, Cluster, EksClusterSpec, Profile } from '../src';
import { application, argoCd } from './support/argo';
import { DIST } from './support/cli';
import { minimalSpecProps, singleCluster, testFleet } from './support/fixtures';
import { parseFiles, readTree } from './support/fleet-files';

describe('deletion protection', () => {
  test('a cluster\'s objects are protected by their own Delete=false, which Argo CD reads from the live object when its Application is deleted', () => {
    const { fleet, cluster } = singleCluster();
    const objects = parseFiles(fleet.renderFiles());
    for (const obj of [...objects].filter(([file]) => file.startsWith('clusters/alpha/')).map(([, o]) => o)) {
      expect(obj.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
      expect(obj.metadata.annotations?.['arlon.io/retired']).toBeUndefined();
    }
    const app = application(argoCd(fleet), cluster.names.base);
    // The finalizer is there for every cluster, so that retiring and un-retiring change one object in place.
    expect(app.object.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(app.origin).toMatch(/^test-clusters-\d+$/);
  });

  test('retiring a cluster leaves only its Cluster deletable, with the same Application, so that removing it later deletes it in order', () => {
    const { fleet, cluster } = singleCluster({}, { retire: true });
    const objects = parseFiles(fleet.renderFiles());
    expect(cluster.retired).toBe(true);
    for (const obj of [...objects].filter(([file]) => file.startsWith('clusters/alpha/')).map(([, o]) => o)) {
      // Deleting the Cluster, Cluster API deletes the control plane and node pools it owns, in order.
      expect(obj.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe(obj.kind === 'Cluster' ? 'Prune=false' : 'Prune=false,Delete=false');
      expect(obj.metadata.annotations?.['arlon.io/retired']).toBe('true');
    }
    const argo = argoCd(fleet);
    const app = application(argo, cluster.names.base);
    expect(app.origin).toMatch(/^test-clusters-\d+$/);
    expect(app.object.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect((app.object.spec as { syncPolicy: unknown }).syncPolicy).toMatchObject({ automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'] });
    expect(argo.problems()).toEqual([]);
    expect([...argo.applicationSets.keys()].filter((name) => name.includes('retiring'))).toEqual([]);
  });
});

describe('no secrets in git', () => {
  const chart = { repoUrl: 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'app' };
  const profile = (...bundles: Bundle[]) => () => new Profile(testFleet(), 'p', { bundles });

  test('refuses secret-looking Helm values, and lets references through', () => {
    expect(profile(Bundle.helm('blog', { ...chart, values: { wordpressPassword: 'hunter2', db: { auth: { apiKey: 'k' } } } }))).toThrow(
      '[p] bundle "blog" `values` set wordpressPassword (its key names a password), db.auth.apiKey (its key names an API key) to a literal value that looks secret; '
      + 'dist/ is committed to git, so secrets never go there');
    expect(profile(Bundle.helm('blog', { ...chart, values: { existingSecret: 'blog-credentials', auth: { passwordSecretRef: { name: 'x' } }, token: '' } })))
      .not.toThrow();
    expect(profile(Bundle.helm('blog', { ...chart, values: { adminPassword: 'not-secret-demo' }, allowSecrets: true }))).not.toThrow();
  });

  // Credentials in published formats, assembled here so that this file holds none.
  const AWS_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
  const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
  const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJhcmxvbiJ9', 'c2lnbmF0dXJlLXZhbHVl'].join('.');

  /** Synthesizes a one-cluster fleet whose profile carries `bundles`, with `changes` applied to the cluster. */
  const synth = (bundles: Bundle[], changes: (cluster: Cluster) => void = () => undefined) => () => {
    const fleet = testFleet();
    const p = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles });
    changes(new Cluster(fleet, 'a', { profiles: [p] }));
    return fleet.renderFiles();
  };

  test.each([
    ['an AWS access key id in a value under an innocent key', [Bundle.helm('app', { ...chart, values: { config: `aws_access_key_id = ${AWS_KEY_ID}` } })],
      undefined, /^\[p\] bundle "app" `values` set config \(it looks like an AWS access key id\) to a literal value that looks secret/],
    ['a GitHub token in a cluster tag', [], (c: Cluster) => c.controlPlane.addJsonPatch(JsonPatch.add('/spec/additionalTags', { ci: GITHUB_TOKEN })),
      /\[a\/Capi\/ControlPlane\] clusters\/a\/AWSManagedControlPlane\.test--a-control-plane\.yaml would hold what looks like a secret at spec\.additionalTags\.ci \(it looks like a GitHub token\)/],
    ['a JSON Web Token put in by an escape hatch', [], (c: Cluster) => c.capiCluster.metadata.addAnnotation('example.com/auth', JWT),
      /\[a\/Capi\/Cluster\] clusters\/a\/Cluster\.test--a\.yaml would hold what looks like a secret at metadata\.annotations\["example\.com\/auth"\] \(it looks like a JSON Web Token\)/],
    ['a private key in an inline ConfigMap', [Bundle.inline('keys', {
      namespace: 'k', define: (scope) => new kplus.ConfigMap(scope, 'C', { metadata: { name: 'c' }, data: { 'id.pem': '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==' } }),
    })], undefined, /\[InlineBundles\/keys\] ConfigMap "c" of inline bundle "keys" set data\["id\.pem"\] \(it looks like a private key\) to a literal value that looks secret/],
  ])('finds %s by its value, says what and where, never the value', (_what, bundles, changes, message) => {
    const run = synth(bundles as Bundle[], changes);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      for (const secret of [AWS_KEY_ID, GITHUB_TOKEN, JWT, 'b3Blbg==']) {
        expect((error as Error).message).not.toContain(secret);
      }
    }
  });

  test('refuses secret-looking name/value pairs: a chart\'s extraEnv, a container\'s env', () => {
    expect(profile(Bundle.helm('app', { ...chart, values: { extraEnv: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI' }, { name: 'LOG', value: 'x' }] } })))
      .toThrow('[p] bundle "app" `values` set extraEnv[0].value (its name "AWS_SECRET_ACCESS_KEY" names a secret access key) to a literal value that looks secret');
    expect(synth([Bundle.inline('db', {
      namespace: 'db',
      define: (scope) => new kplus.k8s.KubeConfigMap(scope, 'Env', { metadata: { name: 'env' }, data: { DB_HOST: 'db', password: 'hunter2' } }),
    })])).toThrow(/ConfigMap "env" of inline bundle "db" set data\.password \(its key names a password\) to a literal value that looks secret/);
    // references pass: valueFrom, a Secret's name
    expect(profile(Bundle.helm('app', { ...chart, values: { extraEnv: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] } })))
      .not.toThrow();
  });

  test('a bundle with allowSecrets may carry what looks like a credential', () => {
    expect(synth([Bundle.helm('app', { ...chart, values: { config: `aws_access_key_id = ${AWS_KEY_ID}` }, allowSecrets: true })])).not.toThrow();
  });

  test('allowSecrets covers the new forms too: keys in any spelling, numbers, webhook URLs, and a description that reaches the ApplicationSets', () => {
    const hook = ['https://hooks.', 'slack.com/services/', 'T00000000/B00000000/', 'X'.repeat(24)].join('');
    const values = { 'Pass Word': 'demo', 'smtp': { pwd: 1234 }, 'alerts': { url: hook } };
    expect(synth([Bundle.helm('app', { ...chart, values })])).toThrow(/set "Pass Word" \(its key names a password\), smtp.pwd .*, alerts.url \(it looks like a Slack webhook URL\)/);
    const allowed = synth([Bundle.helm('app', { ...chart, values, description: `alerts go to ${hook}`, allowSecrets: true })]);
    expect(allowed).not.toThrow();
    expect([...allowed().values()].some((content) => content.includes(`alerts go to ${hook}`))).toBe(true);
  });

  test('refuses secret-looking values given to one cluster', () => {
    const fleet = testFleet();
    const p = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [Bundle.helm('blog', chart)] });
    expect(() => new Cluster(fleet, 'a', { profiles: [p], bundleValues: { blog: { smtp: { password: 'hunter2' } } } }))
      .toThrow('[a] values of bundle "blog" for this cluster set smtp.password (its key names a password) to a literal value that looks secret');
  });

  test('refuses Secret objects with data in inline bundles unless the bundle allows them', () => {
    const inline = (allowSecrets: boolean) => Bundle.inline('creds', {
      namespace: 'app',
      allowSecrets,
      define: (scope) => new kplus.Secret(scope, 'Db', { metadata: { name: 'db' }, stringData: { password: 'hunter2' } }),
    });
    const fleet = testFleet();
    const p = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [inline(false)] });
    new Cluster(fleet, 'a', { profiles: [p] });
    expect(() => fleet.renderFiles()).toThrow('[InlineBundles/creds] Secret "db" of inline bundle "creds" carries stringData; dist/ is committed to git');

    const allowed = testFleet();
    const q = new Profile(allowed, 'p', { spec: new EksClusterSpec(allowed, 'Spec', minimalSpecProps()), bundles: [inline(true)] });
    new Cluster(allowed, 'a', { profiles: [q] });
    expect([...allowed.renderFiles().keys()]).toContain('bundles/creds/Secret.db.yaml');
  });

  test('dist/ holds nothing that looks like a credential', () => {
    const patterns: Array<[string, RegExp]> = [
      ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
      ['AWS access key', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
      ['AWS secret key', /aws_secret_access_key|secretAccessKey/i],
      ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{20,}\b/],
      ['Slack token', /\bxox[abpr]-[A-Za-z0-9-]{10,}/],
      ['JWT', /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./],
      ['URL with credentials', /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
      // A literal after a secret-looking key; booleans, numbers and null are settings, not secrets.
      ['password or token value', /^[ \t]*[\w.-]*(password|passwd|token|secret|apikey|api_key)[ \t]*:[ \t]*["']?(?!(true|false|null|\d+)\s*$)[^\s"'{}[\]]+/im],
      ['Secret with data', /^kind: Secret$[\s\S]*^(data|stringData):/m],
    ];
    const findings: string[] = [];
    for (const [file, content] of readTree(DIST)) {
      for (const [what, pattern] of patterns) {
        if (pattern.test(content)) {
          findings.push(`${file}: ${what}`);
        }
      }
    }
    expect(findings).toEqual([]);
  });

  test('the scan would catch a credential', () => {
    expect(/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test('-----BEGIN OPENSSH PRIVATE KEY-----')).toBe(true);
    const value = /^\s*[\w.-]*(password|passwd|token|secret|apikey|api_key)\s*:\s*["']?(?!(true|false|null|\d+)\s*$)[^\s"'{}[\]]+/im;
    expect(value.test('  adminPassword: hunter2')).toBe(true);
    expect(value.test('  apiToken: "abc123"')).toBe(true);
    expect(value.test('automountServiceAccountToken: false')).toBe(false);
  });
});
