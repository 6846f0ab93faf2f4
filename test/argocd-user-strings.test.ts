/**
 * With `goTemplate: true`, Argo CD renders every string of an ApplicationSet's template, map keys included, as a Go
 * template with `missingkey=error` (`applicationset/utils/utils.go`). Text from the user must reach the generated
 * Applications, and the charts, exactly as written. Each case puts `{{ ... }}` into one user-facing string, runs the
 * fleet through the Argo CD harness (`test/upstream/argocd-instance.ts`), and finds the string, unchanged, where Argo
 * CD hands it on. Strings the library refuses anyway (names, release names, versions, sync options, and repository URLs
 * with glob characters) never reach a template.
 */
import * as kplus from 'cdk8s-plus-28';
import { Bundle, Cluster, EksClusterSpec, GitSourceType, Profile, type Fleet, type FleetProps } from '../src';
import { argoCd, application, specOf } from './support/argo';
import { minimalSpecProps, testFleet } from './support/fixtures';

/** Text a chart or a description may well contain: a Helm template, and Argo CD's own parameter syntax. */
const TEXT = '{{ .Release.Name }}-{{.cluster}}';
/** A git ref name holds no whitespace (git check-ref-format), so the revision carries the template without it. */
const REF_TEXT = '{{.Release.Name}}-{{.cluster}}';
/** The same without spaces, for strings that take none. */
const COMPACT = '{{.Release.Name}}-{{.cluster}}';

interface Case {
  readonly fleet?: Partial<FleetProps>;
  readonly bundle: () => Bundle;
  readonly clusterValues?: Record<string, Record<string, unknown>>;
  /** Where the string surfaces in the Application of cluster "a" (or in what it installs). */
  readonly found: (fleet: Fleet) => unknown;
  readonly expected: unknown;
}

const helm = (extra: Record<string, unknown> = {}) => Bundle.helm('app', {
  repoUrl: 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'app', ...extra,
});
const git = (extra: Record<string, unknown> = {}) => Bundle.git('app', {
  repoUrl: 'https://git.example.com/addons.git', revision: 'v1.0.0', path: 'addons', namespace: 'app', ...extra,
});
const app = (fleet: Fleet) => application(argoCd(fleet), 'test--a--app');
const chartSource = (fleet: Fleet) => (specOf(app(fleet)).sources?.[0] ?? specOf(app(fleet)).source) as Record<string, unknown>;

const CASES: Record<string, Case> = {
  'a bundle description': {
    bundle: () => helm({ description: `blog ${TEXT}` }), found: (f) => specOf(app(f)).info, expected: [{ name: 'Description', value: `blog ${TEXT}` }],
  },
  'a git path': { bundle: () => git({ path: `addons/${TEXT}` }), found: (f) => chartSource(f).path, expected: `addons/${TEXT}` },
  // A revision has no spaces: a tag named with template syntax.
  'a git revision': {
    bundle: () => git({ revision: `refs/tags/${COMPACT}` }), found: (f) => chartSource(f).targetRevision, expected: `refs/tags/${COMPACT}`,
  },
  'a Helm value and its key': { bundle: () => helm({ values: { fullnameOverride: TEXT, [TEXT]: [TEXT] } }), found: (f) => app(f).helmValues, expected: { fullnameOverride: TEXT, [TEXT]: [TEXT] } },
  'values computed per cluster': {
    bundle: () => helm({ valuesForCluster: () => ({ ingress: { hostname: TEXT } }) }),
    found: (f) => app(f).helmValues,
    expected: { ingress: { hostname: TEXT } },
  },
  'a cluster\'s own values': {
    bundle: () => helm({ values: { a: 1 } }), clusterValues: { app: { note: TEXT } }, found: (f) => app(f).helmValues, expected: { a: 1, note: TEXT },
  },
  'values of a chart kept in git': {
    bundle: () => git({ type: GitSourceType.HELM, values: { note: TEXT } }), found: (f) => app(f).helmValues, expected: { note: TEXT },
  },
  'an inline bundle\'s objects': {
    bundle: () => Bundle.inline('app', { namespace: 'app', define: (scope) => new kplus.ConfigMap(scope, 'Config', { metadata: { name: 'config' }, data: { note: TEXT } }) }),
    found: (f) => [...app(f).manifests.values()].map((o) => o.data),
    expected: [{ note: TEXT }],
  },
  'the fleet repository\'s revision': {
    fleet: { targetRevision: `release/${REF_TEXT}` },
    bundle: () => helm({ values: { a: 1 } }),
    found: (f) => specOf(app(f)).sources?.find((s) => s.ref === 'values')?.targetRevision,
    expected: `release/${REF_TEXT}`,
  },
};

describe('a `{{` in a user string reaches the cluster unchanged', () => {
  test.each(Object.entries(CASES))('%s', (_name, c) => {
    const fleet = testFleet(c.fleet);
    const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [c.bundle()] });
    new Cluster(fleet, 'a', { profiles: [profile], bundleValues: c.clusterValues });
    expect(argoCd(fleet).problems()).toEqual([]);
    expect(c.found(fleet)).toEqual(c.expected);
  });

  test('a repository URL with braces is refused: Argo CD would read it as a glob in the project that admits it', () => {
    const fleet = testFleet();
    expect(() => new Profile(fleet, 'q', { bundles: [helm({ repoUrl: `https://charts.example.com/${TEXT}` })] })).toThrow(
      '[q] bundle "app" `repoUrl` holds "{", "}", which Argo CD reads as a glob in the AppProject that admits '
        + 'the repository; use the URL without them (percent-encode them if the server needs them)');
  });

  test('and the fleet repository\'s revision reaches the cluster Applications unchanged too', () => {
    const fleet = testFleet({ targetRevision: `release/${REF_TEXT}` });
    const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) });
    const cluster = new Cluster(fleet, 'a', { profiles: [profile] });
    const argo = argoCd(fleet);
    expect(argo.problems()).toEqual([]);
    expect((specOf(application(argo, cluster.names.base)).source as { targetRevision: string }).targetRevision).toBe(`release/${REF_TEXT}`);
  });
});
