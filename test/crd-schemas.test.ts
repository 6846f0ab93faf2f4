import { CRD_ROOT, CrdSchemas, type KubeObject } from './support/crd-schemas';

const schemas = new CrdSchemas();

const machinePool = (spec: Record<string, unknown>, apiVersion = 'infrastructure.cluster.x-k8s.io/v1beta2'): KubeObject => ({
  apiVersion, kind: 'AWSManagedMachinePool', metadata: { name: 'a-general', namespace: 'a' }, spec,
});

describe('the CRD schema validator used by the tests', () => {
  test('accepts a valid object', () => {
    expect(schemas.validate(machinePool({ instanceType: 'm6i.large', scaling: { minSize: 1, maxSize: 2 } }))).toEqual([]);
  });

  test('rejects unknown fields, wrong types and values outside an enum', () => {
    expect(schemas.validate(machinePool({ instanceTypes: ['m6i.large'], scaling: { minSize: 'one' }, capacityType: 'cheap' })).sort()).toEqual([
      'AWSManagedMachinePool/a-general: /spec must NOT have additional properties ("instanceTypes")',
      'AWSManagedMachinePool/a-general: /spec/capacityType must be equal to one of the allowed values',
      'AWSManagedMachinePool/a-general: /spec/scaling/minSize must be integer',
    ]);
  });

  test('rejects an apiVersion that is listed but not served', () => {
    expect(schemas.validate(machinePool({}, 'infrastructure.cluster.x-k8s.io/v1beta1')))
      .toEqual(['AWSManagedMachinePool/a-general: apiVersion infrastructure.cluster.x-k8s.io/v1beta1 is not served (served: v1beta2)']);
  });

  test('rejects a namespaced object without a namespace and a bad name', () => {
    expect(schemas.validate({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'Bad_Name' }, spec: { paused: false } })).toEqual([
      'Cluster/Bad_Name: metadata.name "Bad_Name" is not a DNS-1123 subdomain',
      'Cluster/Bad_Name: namespaced kind without metadata.namespace',
    ]);
  });

  test('refuses to pass a field guarded by a CEL rule it cannot evaluate', () => {
    const controlPlane: KubeObject = {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'AWSManagedControlPlane',
      metadata: { name: 'a', namespace: 'a' },
      spec: { network: { vpc: { carrierGatewayId: 'cagw-123' } } },
    };
    expect(schemas.validate(controlPlane).join('\n')).toMatch(/carrierGatewayId is guarded by a CEL rule/);
  });
});

describe('built-in kinds', () => {
  test('are accepted with a real apiVersion and valid metadata', () => {
    expect(schemas.validate({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'deployer' }, rules: [] })).toEqual([]);
  });

  test('are rejected with an apiVersion Kubernetes does not serve', () => {
    expect(schemas.validate({ apiVersion: 'rbac.authorization.k8s.io/v1beta1', kind: 'Role', metadata: { name: 'deployer' } })).toEqual([
      `Role/deployer: rbac.authorization.k8s.io/v1beta1 Role is neither a built-in kind of Kubernetes 1.28 nor a CRD in ${CRD_ROOT}`,
    ]);
  });
});
