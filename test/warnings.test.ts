import { Construct } from 'constructs';
import {
  Cluster, EksClusterSpec, FleetTesting, KubernetesVersion, Profile, synthFleet, Warnings, type EksClusterOverrides, type EksClusterSpecProps,
} from '../src';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { tempDir } from './support/fleet-files';

/** A fleet with one profile built from `specProps` and one cluster per entry of `clusters` (name: overrides). */
function fleetWith(specProps: Partial<EksClusterSpecProps>, clusters: Record<string, EksClusterOverrides> = { alpha: {} }, outdir?: string) {
  const fleet = testFleet(outdir === undefined ? {} : { outdir });
  const profile = new Profile(fleet, 'base', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps(specProps)) });
  for (const [name, overrides] of Object.entries(clusters)) {
    new Cluster(fleet, name, { profiles: [profile], overrides: Object.keys(overrides).length === 0 ? undefined : overrides });
  }
  return fleet;
}

describe('Warnings', () => {
  test('are stored on the construct once per message and collected with their paths', () => {
    // GIVEN
    const fleet = testFleet();
    const child = new Construct(fleet, 'Child');
    // WHEN
    Warnings.of(child).add('first');
    Warnings.of(child).add('first');
    Warnings.of(fleet).add('fleet-wide');
    // THEN
    expect(Warnings.of(child).messages).toEqual(['first']);
    expect(Warnings.collect(fleet)).toEqual([{ path: '', message: 'fleet-wide' }, { path: 'Child', message: 'first' }]);
    expect(Warnings.format(Warnings.collect(fleet))).toEqual(['warning: [] fleet-wide', 'warning: [Child] first']);
  });

  test('a valid fleet without escape hatches has none', () => {
    expect(FleetTesting.synth(fleetWith({})).warnings).toEqual([]);
  });
});

describe('what is accepted through an escape hatch is a warning, listed by FleetTesting', () => {
  test('an instance type newer than the catalogue, listed in unlistedInstanceTypes', () => {
    // GIVEN a spec whose pool uses an instance type the catalogue does not know, listed as unlisted
    const fleet = fleetWith({ nodePools: { general: { instanceType: 'm99.large' } }, unlistedInstanceTypes: ['m99.large'] });
    // WHEN
    const synthesized = FleetTesting.synth(fleet);
    // THEN the synth succeeds and warns once, at the spec
    expect(synthesized.warningsAt('Spec')).toEqual([
      expect.stringMatching(/^`nodePools.general.instanceType` "m99.large" is not in the library's catalogue of EC2 instance types \(@aws-sdk\/client-ec2 .*\); accepted because `unlistedInstanceTypes` lists it/),
    ]);
    expect(synthesized.warnings).toHaveLength(1);
    expect(synthesized.cluster('alpha').nodePools[0]).toMatchObject({ instanceType: 'm99.large' });
  });

  test('a region newer than the catalogue, listed in unlistedRegions', () => {
    const warnings = FleetTesting.warnings(fleetWith({ region: 'us-east-9', unlistedRegions: ['us-east-9'] }));
    expect(warnings).toEqual([{ path: 'Spec', message: expect.stringMatching(/^`region` "us-east-9" is not in the library's catalogue of AWS regions .*accepted because `unlistedRegions` lists it$/) }]);
  });

  test('an entry of unlistedRegions the catalogue knows', () => {
    expect(FleetTesting.warnings(fleetWith({ unlistedRegions: ['us-east-1'] })).map((w) => w.message))
      .toEqual(['`unlistedRegions` lists "us-east-1", which the catalogue knows; drop it from the list']);
  });

  test('a Kubernetes version given as unlisted', () => {
    const warnings = FleetTesting.warnings(fleetWith({ kubernetesVersion: KubernetesVersion.unlisted('1.37') }));
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^`kubernetesVersion` "1.37" is not one this library knows .*KubernetesVersion.unlisted/)]);
  });

  test('a pool past the default node quota that a raised quota covers', () => {
    const warnings = FleetTesting.warnings(fleetWith({
      nodePools: { general: { instanceType: 'm6i.large', maxSize: 600 } }, serviceQuotas: { nodesPerManagedNodeGroup: 1000 },
    }));
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(
      /^`nodePools.general.maxSize` \(600\) is past EKS's default quota of 450 nodes per managed node group; accepted because `serviceQuotas.nodesPerManagedNodeGroup` says the account's quota was raised to 1000/)]);
  });

  test('a cluster warns about what its overrides bring, not again about its profile\'s spec', () => {
    // GIVEN a spec with an unlisted region, one cluster overriding nothing and one with an unlisted instance type of its own
    const fleet = fleetWith({ region: 'us-east-9', unlistedRegions: ['us-east-9'] }, {
      plain: {},
      custom: { nodePools: { general: { instanceType: 'm99.large' } }, unlistedInstanceTypes: ['m99.large'] },
    });
    // THEN
    const synthesized = FleetTesting.synth(fleet);
    expect(synthesized.warnings.map((w) => w.path)).toEqual(['Spec', 'custom']);
    expect(synthesized.warningsAt('custom')).toEqual([expect.stringMatching(
      /^effective spec \(profile "base" with this cluster's overrides\): `nodePools.general.instanceType` "m99.large" is not in the library's catalogue/)]);
  });

  test('a pool a cluster adds with an unlisted instance type', () => {
    const fleet = fleetWith({ unlistedInstanceTypes: ['x9.large'] });
    (fleet.node.findChild('alpha') as Cluster).addNodePool('extra', { instanceType: 'x9.large' });
    expect(FleetTesting.warnings(fleet)).toEqual([
      { path: 'alpha', message: expect.stringMatching(/^`nodePools.extra.instanceType` "x9.large" is not in the library's catalogue/) },
    ]);
  });
});

test('the synth prints the warnings on stderr with the construct path, and succeeds', () => {
  // GIVEN
  const out = tempDir();
  try {
    const printed: string[] = [];
    // WHEN
    const report = synthFleet(() => fleetWith({ region: 'us-east-9', unlistedRegions: ['us-east-9'] }, { alpha: {} }, out.dir), {
      stderr: (text) => printed.push(text),
    });
    // THEN
    expect(report).toBeDefined();
    expect(printed.join('')).toMatch(/^synthesized fleet "test" into .*\nwarning: \[Spec\] `region` "us-east-9" is not in the library's catalogue of AWS regions/m);
  } finally {
    out.cleanup();
  }
});

test('addNodePool refuses a pool past the quota of node groups per cluster', () => {
  const fleet = fleetWith({ nodePools: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, { instanceType: 'm6i.large' }])) });
  expect(() => (fleet.node.findChild('alpha') as Cluster).addNodePool('extra', { instanceType: 'm6i.large' }))
    .toThrow(/^\[alpha\] `nodePools` has 31 pools, each an EKS managed node group, past the quota of 30 managed node groups per cluster/);
});
