import { Bundle, Bundles, Cluster, EksClusterSpec, Profile, type Fleet, type HelmBundleOptions } from '../src';
import { argoCd } from './support/argo';
import { CrdSchemas } from './support/crd-schemas';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { changedPaths, parseFiles } from './support/fleet-files';
import { bundleApplications } from './upstream/argocd-instance';

interface Knobs {
  /** Whether profile dev carries WordPress. */
  readonly devHasWordpress?: boolean;
  readonly wordpressVersion?: string;
  /** Per-cluster values for dev-b. */
  readonly devBValues?: Record<string, unknown>;
}

/** Profiles dev (2 clusters) and prod (2 clusters), both with metrics-server. */
function build(knobs: Knobs = {}): Fleet {
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
  return fleet;
}

/** The clusters Argo CD installs WordPress on (every cluster registered). */
const wordpressClusters = (fleet: Fleet) => [...bundleApplications(argoCd(fleet)).values()]
  .filter((a) => a.object.metadata.labels?.['arlon.io/bundle'] === 'wordpress').map((a) => a.object.metadata.labels!['arlon.io/cluster']).sort();

describe('bundle changes in a profile', () => {
  test('adding a bundle installs it on exactly the profile\'s clusters', () => {
    // GIVEN dev without WordPress, then with it
    const before = build({ devHasWordpress: false });
    const after = build();
    // THEN Argo CD installs it on dev-a and dev-b; what changes is its ApplicationSets and the bundles' project
    expect(wordpressClusters(before)).toEqual([]);
    expect(wordpressClusters(after)).toEqual(['dev-a', 'dev-b']);
    const changed = changedPaths(before.renderFiles(), after.renderFiles());
    expect(changed.filter((p) => !/^argocd\/shards\/\d+\/ApplicationSet\.test-bundle-wordpress-\d+\.yaml$/.test(p))).toEqual(['argocd/AppProject.test-bundles.yaml']);
    const project = argoCd(after).projects.get('test-bundles')!;
    expect(project.sourceRepos).toContain('oci://registry-1.docker.io/bitnamicharts/wordpress');
    expect(project.destinations).toContainEqual({ server: '!https://kubernetes.default.svc', namespace: 'wordpress' });
  });

  test('removing a bundle removes its Applications and nothing else', () => {
    const before = build();
    const after = build({ devHasWordpress: false });
    expect(wordpressClusters(after)).toEqual([]);
    expect(changedPaths(before.renderFiles(), after.renderFiles()).every((p) => p.includes('wordpress') || p === 'argocd/AppProject.test-bundles.yaml')).toBe(true);
    const apps = (fleet: Fleet) => [...bundleApplications(argoCd(fleet)).keys()].filter((name) => !name.endsWith('-wordpress')).sort();
    expect(apps(after)).toEqual(apps(before));
  });

  test('bumping a chart version changes the version in its ApplicationSets and nothing else', () => {
    const before = build().renderFiles();
    const after = build({ wordpressVersion: '28.2.0' }).renderFiles();
    const changed = changedPaths(before, after);
    expect(changed.length).toBeGreaterThan(0);
    for (const file of changed) {
      expect(file).toMatch(/^argocd\/shards\/\d+\/ApplicationSet\.test-bundle-wordpress-\d+\.yaml$/);
      const lines = (files: Map<string, string>) => files.get(file)!.split('\n');
      expect(lines(after).filter((line, i) => line !== lines(before)[i])).toEqual(['        targetRevision: 28.2.0']);
    }
    expect(new Set([...bundleApplications(argoCd(build({ wordpressVersion: '28.2.0' }))).values()]
      .filter((a) => a.object.metadata.name.endsWith('-wordpress')).map((a) => a.installs))).toEqual(new Set(['oci://registry-1.docker.io/bitnamicharts/wordpress @ 28.2.0']));
  });

  test('a per-cluster values override reaches only that cluster, and changes only its values file and its shard\'s ApplicationSet', () => {
    const values = { ingress: { hostname: 'blog.example.com' } };
    const argo = argoCd(build({ devBValues: values }));
    expect(argo.problems()).toEqual([]);
    expect(argo.applications.get('test--dev-b--wordpress')!.helmValues).toEqual(values);
    expect(argo.applications.get('test--dev-a--wordpress')!.helmValues).toEqual({});
    const before = build().renderFiles();
    const after = build({ devBValues: values }).renderFiles();
    const changed = changedPaths(before, after);
    expect(changed).toContain('bundles/wordpress/values/dev-b.yaml');
    // The bundle had no values of its own: the clusters without values name its (empty) file in the place of theirs.
    expect(before.has('bundles/wordpress/values.yaml')).toBe(false);
    expect(after.get('bundles/wordpress/values.yaml')).toMatch(/\n\{\}\n$/);
    expect(changed.filter((p) => !p.startsWith('bundles/wordpress/values')).every((p) => /ApplicationSet\.test-bundle-wordpress-\d+\.yaml$/.test(p))).toBe(true);
  });

  test('every object before and after these changes validates against its CRD', () => {
    const schemas = new CrdSchemas();
    for (const fleet of [build(), build({ devHasWordpress: false }), build({ devBValues: { a: { b: [1, 2] } } })]) {
      expect([...parseFiles(fleet.renderFiles()).values()].flatMap((o) => schemas.validate(o))).toEqual([]);
    }
  });
});
