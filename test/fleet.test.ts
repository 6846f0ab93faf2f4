import { Construct } from 'constructs';
import { Fleet, Profile } from '../src';
import { testFleet } from './support/fixtures';
import { findObject, parseFiles } from './support/fleet-files';

describe('Fleet', () => {
  test('bootstraps a root Application over dist/argocd and a project that only allows Argo CD objects', () => {
    // GIVEN
    const fleet = testFleet({ name: 'acme', path: 'deploy/dist', argocdNamespace: 'gitops' });
    // WHEN
    const objects = parseFiles(fleet.renderFiles());
    // THEN
    expect([...objects.keys()].sort()).toEqual(['fleet/AppProject.acme.yaml', 'fleet/Application.acme.yaml']);
    const root = findObject(objects, 'Application', 'acme');
    expect(root.metadata.namespace).toBe('gitops');
    expect(root.spec).toEqual({
      project: 'acme',
      source: { repoURL: 'https://git.example.com/platform/fleet.git', targetRevision: 'main', path: 'deploy/dist/argocd', directory: { recurse: true } },
      destination: { name: 'in-cluster', namespace: 'gitops' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    expect(findObject(objects, 'AppProject', 'acme').spec).toEqual({
      description: 'cdk8s-arlon fleet "acme": the root Application, which manages the fleet\'s Argo CD objects',
      sourceRepos: ['https://git.example.com/platform/fleet.git'],
      destinations: [{ name: 'in-cluster', namespace: 'gitops' }],
      namespaceResourceWhitelist: [
        { group: 'argoproj.io', kind: 'AppProject' },
        { group: 'argoproj.io', kind: 'Application' },
        { group: 'argoproj.io', kind: 'ApplicationSet' },
      ],
    });
  });

  test('defaults to revision HEAD, path dist, namespace argocd and the in-cluster destination', () => {
    const fleet = new Fleet({ repoUrl: 'git@github.com:acme/fleet.git', outdir: '/nonexistent' });
    const root = findObject(parseFiles(fleet.renderFiles()), 'Application', 'fleet');
    expect(root.spec).toMatchObject({
      source: { repoURL: 'git@github.com:acme/fleet.git', targetRevision: 'HEAD', path: 'dist/argocd' },
      destination: { name: 'in-cluster', namespace: 'argocd' },
    });
  });

  test('takes its output directory from CDK8S_OUTDIR, as `cdk8s synth` sets it', () => {
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = '/tmp/from-cdk8s-cli';
    try {
      expect(new Fleet({ repoUrl: 'https://git.example.com/fleet.git' }).outdir).toBe('/tmp/from-cdk8s-cli');
    } finally {
      if (previous === undefined) {
        delete process.env.CDK8S_OUTDIR;
      } else {
        process.env.CDK8S_OUTDIR = previous;
      }
    }
  });

  test('is found from any construct inside it', () => {
    const fleet = testFleet();
    const group = new Construct(fleet, 'Group');
    const profile = new Profile(group, 'nested');
    expect(Fleet.of(profile)).toBe(fleet);
    expect(Fleet.isFleet(fleet)).toBe(true);
    expect(Fleet.isFleet(group)).toBe(false);
  });

  test('runs construct validations before rendering anything', () => {
    const fleet = testFleet();
    new Construct(fleet, 'Checked').node.addValidation({ validate: () => ['something was never added'] });
    expect(() => fleet.renderFiles()).toThrow('Validation failed with the following errors:\n  [Checked] something was never added');
  });

  test('matches the snapshot of its bootstrap files', () => {
    expect(Object.fromEntries(testFleet().renderFiles())).toMatchSnapshot();
  });
});
