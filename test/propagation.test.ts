import {
  Cluster, EksAddon, EksClusterSpec, KubernetesVersion, Profile,
  type EksClusterSpecProps,
} from '../src';
import type { KubeObject } from './support/crd-schemas';
import { testFleet } from './support/fixtures';
import { changedPaths, findObject, parseFiles } from './support/fleet-files';

interface FleetKnobs {
  readonly devVersion?: KubernetesVersion;
  readonly devRegion?: string;
  readonly devInstanceType?: string;
  readonly prodMaxSize?: number;
}

/** Two profiles, five clusters; one dev cluster overrides its region and pool sizes, one pins its version. */
function render(knobs: FleetKnobs = {}): Map<string, string> {
  const fleet = testFleet();
  const specProps = (props: Partial<EksClusterSpecProps>): EksClusterSpecProps => ({
    kubernetesVersion: KubernetesVersion.V1_34,
    region: 'us-east-1',
    nodePools: { general: { instanceType: 'm6i.large', minSize: 1, maxSize: 3 } },
    addons: [EksAddon.vpcCni(), EksAddon.kubeProxy()],
    ...props,
  });
  const dev = new Profile(fleet, 'dev', {
    spec: new EksClusterSpec(fleet, 'DevSpec', specProps({
      kubernetesVersion: knobs.devVersion ?? KubernetesVersion.V1_34,
      region: knobs.devRegion ?? 'us-east-1',
      nodePools: { general: { instanceType: knobs.devInstanceType ?? 'm6i.large', minSize: 1, maxSize: 3 } },
    })),
  });
  const prod = new Profile(fleet, 'prod', {
    spec: new EksClusterSpec(fleet, 'ProdSpec', specProps({ nodePools: { general: { instanceType: 'm6i.xlarge', minSize: 3, maxSize: knobs.prodMaxSize ?? 9 } } })),
  });
  new Cluster(fleet, 'dev-a', { profiles: [dev] });
  new Cluster(fleet, 'dev-b', { profiles: [dev], overrides: { region: 'eu-west-1', nodePools: { general: { minSize: 2, maxSize: 6 } } } });
  new Cluster(fleet, 'dev-pinned', { profiles: [dev], overrides: { kubernetesVersion: KubernetesVersion.V1_34 } });
  new Cluster(fleet, 'prod-a', { profiles: [prod] });
  new Cluster(fleet, 'prod-b', { profiles: [prod] });
  return fleet.renderFiles();
}

/** The base name of fleet cluster `cluster` (its Cluster API Cluster's), which the names of its other objects start with. */
const baseName = (objects: Map<string, KubeObject>, cluster: string) => [...objects.values()]
  .find((o) => o.kind === 'Cluster' && o.metadata.labels?.['arlon.io/cluster'] === cluster)!.metadata.name;

const clustersOf = (paths: string[]) => [...new Set(paths.map((p) => p.split('/').slice(-2)[0]))].sort();

describe('a profile change', () => {
  test('bumping the Kubernetes version changes exactly the clusters that follow the profile', () => {
    // GIVEN the fleet before and after dev moves from 1.34 to 1.35
    const before = render();
    const after = render({ devVersion: KubernetesVersion.V1_35 });
    // THEN only the control planes and pools of dev-a and dev-b change: not prod, not the pinned dev cluster
    expect(changedPaths(before, after)).toEqual([
      'clusters/dev-a/AWSManagedControlPlane.test--dev-a-control-plane.yaml',
      'clusters/dev-a/MachinePool.test--dev-a-general.yaml',
      'clusters/dev-b/AWSManagedControlPlane.test--dev-b-control-plane.yaml',
      'clusters/dev-b/MachinePool.test--dev-b-general.yaml',
    ]);
    const objects = parseFiles(after);
    for (const name of ['dev-a', 'dev-b']) {
      const base = baseName(objects, name);
      const controlPlane = findObject(objects, 'AWSManagedControlPlane', `${base}-control-plane`).spec as { version: string; addons: unknown[] };
      expect(controlPlane.version).toBe('v1.35');
      // add-ons without an explicit version follow the Kubernetes version too
      expect(controlPlane.addons).toContainEqual({ name: 'kube-proxy', version: 'v1.35.3-eksbuild.21' });
      expect((findObject(objects, 'MachinePool', `${base}-general`).spec as { template: { spec: { version: string } } }).template.spec.version)
        .toBe('v1.35.0');
    }
    for (const name of ['dev-pinned', 'prod-a', 'prod-b']) {
      const controlPlane = findObject(objects, 'AWSManagedControlPlane', `${baseName(objects, name)}-control-plane`);
      expect((controlPlane.spec as { version: string }).version).toBe('v1.34');
    }
  });

  test('a change to the other profile touches only its own clusters', () => {
    expect(clustersOf(changedPaths(render(), render({ prodMaxSize: 12 })))).toEqual(['prod-a', 'prod-b']);
  });

  test('an override survives a profile change of the same field, and the rest of the change still arrives', () => {
    // GIVEN dev moves to us-west-2 and a bigger instance type
    const after = parseFiles(render({ devRegion: 'us-west-2', devInstanceType: 'm6i.2xlarge' }));
    const [devA, devB] = [baseName(after, 'dev-a'), baseName(after, 'dev-b')];
    // THEN dev-b keeps its own region and pool sizes but gets the new instance type
    expect((findObject(after, 'AWSManagedControlPlane', `${devB}-control-plane`).spec as { region: string }).region).toBe('eu-west-1');
    expect(findObject(after, 'AWSManagedMachinePool', `${devB}-general`).spec).toMatchObject({
      instanceType: 'm6i.2xlarge', scaling: { minSize: 2, maxSize: 6 },
    });
    // AND dev-a follows the profile in full
    expect((findObject(after, 'AWSManagedControlPlane', `${devA}-control-plane`).spec as { region: string }).region).toBe('us-west-2');
    expect(findObject(after, 'AWSManagedMachinePool', `${devA}-general`).spec).toMatchObject({
      instanceType: 'm6i.2xlarge', scaling: { minSize: 1, maxSize: 3 },
    });
  });

  test('no change means no changed file', () => {
    expect(changedPaths(render(), render())).toEqual([]);
  });
});
