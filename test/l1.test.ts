import { ApiObject } from 'cdk8s';
import * as l1 from '../src/l1';
import { CrdSchemas } from './support/crd-schemas';
import { scratchChart } from './support/fixtures';

const schemas = new CrdSchemas();

test('every kind exported by src/l1.ts is pinned to a served apiVersion', () => {
  const chart = scratchChart();
  const classes = Object.entries(l1).filter(([, value]) => typeof value === 'function' && (value as { GVK?: unknown }).GVK !== undefined);
  expect(classes.map(([name]) => name).sort()).toEqual([
    'ArgoAppProject', 'ArgoApplication', 'ArgoApplicationSet',
    'AwsManagedCluster', 'AwsManagedControlPlane', 'AwsManagedMachinePool', 'CapiCluster', 'CapiMachinePool',
    'CoreProvider', 'InfrastructureProvider',
  ]);
  for (const [name, cls] of classes) {
    const { apiVersion, kind } = (cls as unknown as { GVK: { apiVersion: string; kind: string } }).GVK;
    const [group, version] = apiVersion.split('/');
    expect({ name, served: schemas.servedVersions(group, kind).includes(version) }).toEqual({ name, served: true });
  }
  expect(ApiObject.isApiObject(new l1.CapiCluster(chart, 'c', { metadata: { name: 'c' }, spec: { paused: false } }))).toBe(true);
});

test('the unpinned generated classes would emit versions the API server does not serve', () => {
  // This is why src/l1.ts exists: the first-listed CAPA versions are unserved.
  expect(schemas.servedVersions('controlplane.cluster.x-k8s.io', 'AWSManagedControlPlane')).toEqual(['v1beta2']);
  expect(schemas.servedVersions('infrastructure.cluster.x-k8s.io', 'AWSManagedMachinePool')).toEqual(['v1beta2']);
});
