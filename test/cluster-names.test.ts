import * as YAML from 'yaml';
import {
  Bundle, Cluster, ClusterNaming, EksClusterSpec, ExternalCluster, type Fleet, Profile, type ClusterProps, type FleetProps,
} from '../src';
import { argoCd, application, specOf } from './support/argo';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { readDistFiles } from '../src/operations/dist-fleet';
import { computePlan } from '../src/operations/plan';

type Json = Record<string, unknown>;

/** A fleet with one spec profile carrying a bundle, and the given clusters (name -> props). */
function fleetWith(clusters: Record<string, Partial<ClusterProps>>, props: Partial<FleetProps> = {}): Fleet {
  const fleet = testFleet(props);
  const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps());
  const web = Bundle.helm('web', { repoUrl: 'https://charts.example.com', chart: 'web', version: '1.0.0', namespace: 'web' });
  const profile = new Profile(fleet, 'base', { spec, bundles: [web] });
  for (const [name, clusterProps] of Object.entries(clusters)) {
    new Cluster(fleet, name, { profiles: [profile], ...clusterProps });
  }
  return fleet;
}

/** The objects of `dist/clusters/<cluster>/` by kind. */
function clusterObjects(fleet: Fleet, cluster: string): Map<string, Json & { metadata: { name: string; namespace?: string } }> {
  const files = fleet.renderFiles();
  return new Map([...files].filter(([f]) => f.startsWith(`clusters/${cluster}/`))
    .map(([, text]) => YAML.parse(text) as Json & { kind: string; metadata: { name: string } })
    .map((o) => [o.kind as string, o]));
}

const planOf = (base: Fleet, head: Fleet) => computePlan(readDistFiles(base.renderFiles(), 'base'), readDistFiles(head.renderFiles(), 'head'));

describe('fleet-scoped names', () => {
  test('a cluster goes by <fleet>--<cluster> on the management cluster, in AWS and in Argo CD', () => {
    const fleet = fleetWith({ 'prod-1': {} }, { name: 'acme' });
    const objects = clusterObjects(fleet, 'prod-1');
    expect(objects.get('Namespace')!.metadata.name).toBe('acme--prod-1');
    expect(objects.get('Cluster')!.metadata).toMatchObject({ name: 'acme--prod-1', namespace: 'acme--prod-1' });
    expect(objects.get('AWSManagedControlPlane')!.metadata.name).toBe('acme--prod-1-control-plane');
    expect((objects.get('AWSManagedControlPlane')!.spec as Json).eksClusterName).toBe('acme--prod-1');
    expect(objects.get('MachinePool')!.metadata.name).toBe('acme--prod-1-general');
    expect((objects.get('AWSManagedMachinePool')!.spec as Json).eksNodegroupName).toBe('acme--prod-1-general');

    // What Argo CD's ApplicationSet controller (ported) generates from them, with the cluster registered as `register` does.
    const argo = argoCd(fleet);
    const clusterApp = application(argo, 'acme--prod-1');
    expect(specOf(clusterApp).destination).toEqual({ name: 'in-cluster', namespace: 'acme--prod-1' });
    expect(specOf(application(argo, 'acme--prod-1--web')).destination).toEqual({ name: 'acme--prod-1', namespace: 'web' });
    expect(readDistFiles(fleet.renderFiles(), 'dist').clusters[0]).toMatchObject({
      name: 'prod-1', naming: ClusterNaming.FLEET_SCOPED, argocdName: 'acme--prod-1', capiName: 'acme--prod-1', namespace: 'acme--prod-1',
    });
  });

  test('two fleets with a cluster of the same name share no name outside their repositories', () => {
    const names = (fleet: Fleet, cluster: string) => {
      const argo = argoCd(fleet);
      const objects = [...clusterObjects(fleet, cluster).values()];
      return new Set([
        ...[...argo.applications.keys()].filter((n) => n.includes('prod-1')).map((n) => `Application ${n}`),
        ...objects.map((o) => `${o.kind as string} ${o.metadata.namespace ?? ''}/${o.metadata.name}`),
        `EKS ${(objects.find((o) => o.kind === 'AWSManagedControlPlane')!.spec as Json).eksClusterName as string}`,
      ]);
    };
    // "a" + "b-prod-1" and "a-b" + "prod-1" joined with one hyphen would both be "a-b-prod-1".
    const one = names(fleetWith({ 'prod-1': {} }, { name: 'a-b' }), 'prod-1');
    const other = names(fleetWith({ 'b-prod-1': {} }, { name: 'a' }), 'b-prod-1');
    expect(one.size).toBeGreaterThan(8);
    expect([...one].filter((n) => other.has(n))).toEqual([]);
  });

  test('UNSCOPED keeps the names clusters had before fleet-scoped names, for the fleet or one cluster', () => {
    const fleet = fleetWith({ 'old-1': {}, 'new-1': { naming: ClusterNaming.FLEET_SCOPED } }, { name: 'acme', clusterNaming: ClusterNaming.UNSCOPED });
    expect(clusterObjects(fleet, 'old-1').get('Cluster')!.metadata).toMatchObject({ name: 'old-1', namespace: 'old-1' });
    expect(clusterObjects(fleet, 'new-1').get('Cluster')!.metadata).toMatchObject({ name: 'acme--new-1', namespace: 'acme--new-1' });
    const argo = argoCd(fleet);
    // Both shapes of name can share a shard: the ApplicationSets then take them from their list elements.
    expect(specOf(application(argo, 'old-1')).destination).toEqual({ name: 'in-cluster', namespace: 'old-1' });
    expect(specOf(application(argo, 'old-1-web')).destination).toEqual({ name: 'old-1', namespace: 'web' });
    expect(specOf(application(argo, 'acme--new-1')).destination).toEqual({ name: 'in-cluster', namespace: 'acme--new-1' });
    expect(specOf(application(argo, 'acme--new-1--web')).destination).toEqual({ name: 'acme--new-1', namespace: 'web' });
  });

  test('external clusters keep their Argo CD name; their bundle Applications follow the naming', () => {
    const fleet = fleetWith({}, { name: 'acme' });
    const profile = fleet.node.findChild('base') as Profile;
    new ExternalCluster(fleet, 'ops', { profiles: [profile] });
    new ExternalCluster(fleet, 'legacy', { profiles: [profile], naming: ClusterNaming.UNSCOPED });
    const argo = argoCd(fleet);
    expect(specOf(application(argo, 'acme--ops--web')).destination).toEqual({ name: 'ops', namespace: 'web' });
    expect(specOf(application(argo, 'legacy-web')).destination).toEqual({ name: 'legacy', namespace: 'web' });
  });

  test('adoptEksCluster names the EKS cluster, and only that', () => {
    const fleet = fleetWith({ 'prod-1': { adoptEksCluster: 'legacy_prod' } }, { name: 'acme' });
    const objects = clusterObjects(fleet, 'prod-1');
    expect((objects.get('AWSManagedControlPlane')!.spec as Json).eksClusterName).toBe('legacy_prod');
    expect(objects.get('Cluster')!.metadata.name).toBe('acme--prod-1');
  });
});

describe('names the synth refuses', () => {
  test.each([
    ['a fleet name with "--"', () => fleetWith({ x: {} }, { name: 'ac--me' }), /fleet `name` "ac--me" contains "--"/],
    ['a cluster name with "--"', () => fleetWith({ 'a--b': {} }), /cluster `name` "a--b" contains "--"/],
    ['a base name over 63 characters', () => fleetWith({ ['c'.repeat(60)]: {} }, { name: 'acme' }),
      /gives the name "acme--c+" \(66 characters\) to its namespace and Cluster API cluster, which Kubernetes limits to 63; shorten the cluster's name or the fleet's/],
    ['an EKS name EKS refuses', () => fleetWith({ x: { adoptEksCluster: 'bad.name' } }), /`adoptEksCluster` "bad.name" is not an EKS cluster name/],
    ['two clusters adopting one EKS cluster', () => fleetWith({ x: { adoptEksCluster: 'shared' }, y: { adoptEksCluster: 'shared' } }),
      /EKS cluster name "shared" is already used by "x"/],
    ['adopting the EKS cluster another cluster creates', () => fleetWith({ x: {}, y: { adoptEksCluster: 'test--x' } }),
      /EKS cluster name "test--x" is already used by "x"/],
    ['a naming that does not exist', () => fleetWith({ x: { naming: 'short' as ClusterNaming } }), /`naming` "short" is not a cluster naming/],
    ['an unscoped cluster in a management plane namespace', () => fleetWith({ 'capa-system': { naming: ClusterNaming.UNSCOPED } }),
      /cluster `name` "capa-system" is the namespace CAPA runs in/],
    ['a base name that is the management cluster\'s Argo CD name', () => fleetWith({ hub: {} }, { name: 'mgmt', managementClusterName: 'mgmt--hub' }),
      /cluster name "hub" gives the name Argo CD knows the management cluster by/],
  ])('%s', (_what, build, message) => {
    expect(() => build().renderFiles()).toThrow(message);
  });

  test('with EKSEnableIAM the base name, fleet included, fits the control plane\'s IAM role', () => {
    const management = { argoCdRoleArn: 'arn:aws:iam::111122223333:role/argocd', capaFeatureGates: { eksEnableIam: true } };
    expect(() => fleetWith({ ['c'.repeat(41)]: {} }, { name: 'acme', management })).not.toThrow();
    expect(() => fleetWith({ ['c'.repeat(42)]: {} }, { name: 'acme', management }))
      .toThrow(/the Cluster API cluster name "acme--c{42}" is 48 characters: .*"<name>-iam-service-role".* so that "acme--<cluster>" has at most 47 characters/);
  });
});

describe('plan guards a cluster\'s identity', () => {
  test('moving a running cluster to fleet-scoped names is blocked, with the way to keep its names', () => {
    const before = fleetWith({ 'prod-1': {} }, { name: 'acme', clusterNaming: ClusterNaming.UNSCOPED });
    const after = fleetWith({ 'prod-1': {} }, { name: 'acme' });
    const plan = planOf(before, after);
    const items = plan.clusters.find((c) => c.cluster === 'prod-1')!.items;
    const renamed = items.find((i) => i.blocked?.rule === 'cluster-identity');
    expect(renamed?.message).toBe('renamed: namespace prod-1 -> acme--prod-1, Cluster API cluster prod-1 -> acme--prod-1, EKS cluster prod-1 -> acme--prod-1');
    expect(renamed?.blocked?.fix).toMatch(/^keep the names it runs with: `naming: ClusterNaming.UNSCOPED` on the cluster/);
    expect(plan.blocked).toBe(true);
  });

  test('keeping the running cluster unscoped and adding a fleet-scoped one passes', () => {
    const before = fleetWith({ 'prod-1': {} }, { name: 'acme', clusterNaming: ClusterNaming.UNSCOPED });
    const after = fleetWith({ 'prod-1': {}, 'prod-2': { naming: ClusterNaming.FLEET_SCOPED } }, { name: 'acme', clusterNaming: ClusterNaming.UNSCOPED });
    const plan = planOf(before, after);
    expect(plan.blocked).toBe(false);
    expect(plan.clusters.map((c) => c.cluster)).toEqual(['prod-2']);
    expect(plan.clusters[0].items[0].message).toMatch(/^new EKS cluster acme--prod-2: Kubernetes/);
  });

  test('a new cluster that adopts an EKS cluster says so', () => {
    const before = fleetWith({}, { name: 'acme' });
    const after = fleetWith({ 'prod-1': { adoptEksCluster: 'legacy-prod' } }, { name: 'acme' });
    const item = planOf(before, after).clusters[0].items[0];
    expect(item).toMatchObject({ warning: true });
    expect(item.message).toMatch(/^adopts EKS cluster legacy-prod \(`adoptEksCluster`\): CAPA takes it over as it is/);
  });
});
