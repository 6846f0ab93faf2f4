import { Bundle, Bundles, Cluster, EksClusterSpec, Profile, type HelmBundleOptions } from '../src';
import { CrdSchemas } from './support/crd-schemas';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { changedPaths, findObject, parseFiles } from './support/fleet-files';

interface Knobs {
  /** Whether profile dev carries WordPress. */
  readonly devHasWordpress?: boolean;
  readonly wordpressVersion?: string;
  /** Per-cluster values for dev-b. */
  readonly devBValues?: Record<string, unknown>;
}

/** Profiles dev (2 clusters) and prod (2 clusters), both with metrics-server. */
function render(knobs: Knobs = {}): Map<string, string> {
  const fleet = testFleet();
  const wordpress = Bundle.helm('wordpress', {
    repoUrl: 'oci://registry-1.docker.io/bitnamicharts', chart: 'wordpress', version: knobs.wordpressVersion ?? '28.1.5', namespace: 'wordpress',
  } satisfies HelmBundleOptions);
  const metrics = Bundles.metricsServer();
  const dev = new Profile(fleet, 'dev', {
    spec: new EksClusterSpec(fleet, 'DevSpec', minimalSpecProps()),
    bundles: knobs.devHasWordpress === false ? [metrics] : [metrics, wordpress],
  });
  const prod = new Profile(fleet, 'prod', { spec: new EksClusterSpec(fleet, 'ProdSpec', minimalSpecProps()), bundles: [metrics] });
  new Cluster(fleet, 'dev-a', { profiles: [dev] });
  new Cluster(fleet, 'dev-b', { profiles: [dev], bundleValues: knobs.devBValues ? { wordpress: knobs.devBValues } : undefined });
  new Cluster(fleet, 'prod-a', { profiles: [prod] });
  new Cluster(fleet, 'prod-b', { profiles: [prod] });
  return fleet.renderFiles();
}

const wordpressClusters = (files: Map<string, string>) =>
  (findObject(parseFiles(files), 'ApplicationSet', 'wordpress').spec as { generators: Array<{ list: { elements: Array<{ cluster: string }> } }> })
    .generators[0].list.elements.map((e) => e.cluster);

describe('bundle changes in a profile', () => {
  test('adding a bundle installs it on exactly the profile\'s clusters', () => {
    // GIVEN dev without WordPress, then with it
    const before = render({ devHasWordpress: false });
    const after = render();
    // THEN one new ApplicationSet listing dev-a and dev-b, and their bundle projects allow its registry; prod is untouched
    expect(wordpressClusters(after)).toEqual(['dev-a', 'dev-b']);
    expect(changedPaths(before, after)).toEqual([
      'argocd/bundles/wordpress/ApplicationSet.wordpress.yaml',
      'argocd/clusters/dev-a/AppProject.dev-a-bundles.yaml',
      'argocd/clusters/dev-b/AppProject.dev-b-bundles.yaml',
    ]);
    const project = findObject(parseFiles(after), 'AppProject', 'dev-a-bundles').spec as { sourceRepos: string[]; destinations: unknown[] };
    expect(project.sourceRepos).toContain('oci://registry-1.docker.io/bitnamicharts/wordpress');
    expect(project.destinations).toContainEqual({ name: 'dev-a', namespace: 'wordpress' });
  });

  test('removing a bundle removes its Applications and nothing else', () => {
    const before = render();
    const after = render({ devHasWordpress: false });
    expect(after.has('argocd/bundles/wordpress/ApplicationSet.wordpress.yaml')).toBe(false);
    expect(changedPaths(before, after).every((p) => p.includes('wordpress') || /dev-[ab]-bundles/.test(p))).toBe(true);
  });

  test('bumping a chart version changes one place in dist/', () => {
    const before = render();
    const after = render({ wordpressVersion: '28.2.0' });
    expect(changedPaths(before, after)).toEqual(['argocd/bundles/wordpress/ApplicationSet.wordpress.yaml']);
    const lines = (file: Map<string, string>) => file.get('argocd/bundles/wordpress/ApplicationSet.wordpress.yaml')!.split('\n');
    const differing = lines(after).filter((line, i) => line !== lines(before)[i]);
    expect(differing).toEqual(['        targetRevision: 28.2.0']);
  });

  test('a per-cluster values override reaches only that cluster', () => {
    const after = parseFiles(render({ devBValues: { ingress: { hostname: 'blog.example.com' } } }));
    const spec = findObject(after, 'ApplicationSet', 'wordpress').spec as { generators: Array<{ list: { elements: unknown[] } }> };
    expect(spec.generators[0].list.elements).toEqual([
      { cluster: 'dev-a', values: {} },
      { cluster: 'dev-b', values: { ingress: { hostname: 'blog.example.com' } } },
    ]);
    expect(changedPaths(render(), render({ devBValues: { ingress: { hostname: 'blog.example.com' } } })))
      .toEqual(['argocd/bundles/wordpress/ApplicationSet.wordpress.yaml']);
  });

  test('every object before and after these changes validates against its CRD', () => {
    const schemas = new CrdSchemas();
    for (const files of [render(), render({ devHasWordpress: false }), render({ devBValues: { a: { b: [1, 2] } } })]) {
      expect([...parseFiles(files).values()].flatMap((o) => schemas.validate(o))).toEqual([]);
    }
  });
});
