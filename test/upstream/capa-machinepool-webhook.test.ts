/**
 * Port of kubernetes-sigs/cluster-api-provider-aws v2.11.1, `exp/webhooks/awsmanagedmachinepool_webhook_test.go`, run
 * against the ported AWSManagedMachinePool webhook of ./capa-machinepool-webhook.ts. Every test function is ported:
 * TestAWSManagedMachinePoolDefault, TestAWSManagedMachinePoolValidateCreate and TestAWSManagedMachinePoolValidateUpdate
 * (immutability of the node group name, subnets, role, disk size, AMI type, remote access, capacity type, availability
 * zones and their subnet type, and of the launch template's presence and name; tags, update config and scaling).
 * That file has no lifecycle-hook case, so none is ported.
 *
 * Upstream calls the webhook methods directly (no API server, so no CRD defaulting), so the cases call the plain
 * functions: `Default` → `defaultManagedMachinePool`, `ValidateCreate` → `validateManagedMachinePoolCreate`,
 * `ValidateUpdate(old, new)` → `validateManagedMachinePoolUpdate(old, new)`; `ValidateDelete` always returns nil and is
 * not ported. Go structs are written as the JSON they marshal to (pointers to zero values included, nil and zero values
 * absent). None of the webhook's methods returns warnings, so upstream's `Expect(warn).To(BeEmpty())` has nothing to port.
 */
import {
  defaultManagedMachinePool, validateManagedMachinePoolCreate, validateManagedMachinePoolUpdate, type ManagedMachinePool,
} from './capa-machinepool-webhook';

const oldDiskSize = 50;
const newDiskSize = 100;
const oldAmiType = 'AL2_x86_64'; // expinfrav1.Al2x86_64
const newAmiType = 'AL2_x86_64_GPU'; // expinfrav1.Al2x86_64GPU
const oldCapacityType = 'onDemand'; // expinfrav1.ManagedMachinePoolCapacityTypeOnDemand
const newCapacityType = 'spot'; // expinfrav1.ManagedMachinePoolCapacityTypeSpot
const oldAvailabilityZoneSubnetType = 'public'; // expinfrav1.AZSubnetTypePublic
const newAvailabilityZoneSubnetType = 'private'; // expinfrav1.AZSubnetTypePrivate

/** `&expinfrav1.AWSManagedMachinePool{Spec: spec}`. */
const pool = (spec: ManagedMachinePool['spec']): ManagedMachinePool => ({ metadata: {}, spec });

/** The tags upstream uses to be rejected: an empty key, a 132-character key and a 260-character value. */
const invalidTags = (): Record<string, string> => ({
  'key-1': 'value-1',
  '': 'value-2',
  ['CAPI'.repeat(33)]: 'value-3',
  'key-4': 'CAPI'.repeat(65),
});

describe('TestAWSManagedMachinePoolDefault', () => {
  const fargate: ManagedMachinePool = { metadata: { name: 'foo', namespace: 'default' }, spec: {} };

  // utildefaulting.DefaultValidateTest: defaulted copies pass validation on create and update (delete never fails).
  describe('for AWSManagedMachinePool', () => {
    const createCopy = structuredClone(fargate);
    const updateCopy = structuredClone(fargate);
    const deleteCopy = structuredClone(fargate);
    const defaultingUpdateCopy = structuredClone(updateCopy);

    test('validate-on-create', () => {
      expect(() => defaultManagedMachinePool(createCopy)).not.toThrow();
      expect(validateManagedMachinePoolCreate(createCopy)).toEqual([]);
    });

    test('validate-on-update', () => {
      expect(() => defaultManagedMachinePool(defaultingUpdateCopy)).not.toThrow();
      expect(() => defaultManagedMachinePool(updateCopy)).not.toThrow();
      expect(validateManagedMachinePoolUpdate(createCopy, defaultingUpdateCopy)).toEqual([]);
    });

    test('validate-on-delete', () => {
      expect(() => defaultManagedMachinePool(deleteCopy)).not.toThrow();
    });
  });

  test('Default', () => {
    expect(() => defaultManagedMachinePool(fargate)).not.toThrow();
  });
});

describe('TestAWSManagedMachinePoolValidateCreate', () => {
  const tests: Array<{ name: string; pool: ManagedMachinePool; wantErr: boolean }> = [
    {
      name: 'pool requires a EKS Node group name',
      pool: pool({ eksNodegroupName: '' }),
      wantErr: true,
    },
    {
      name: 'pool with valid EKS Node group name',
      pool: pool({ eksNodegroupName: 'eks-node-group-1' }),
      wantErr: false,
    },
    {
      name: 'pool with valid tags is accepted',
      pool: pool({ eksNodegroupName: 'eks-node-group-2', additionalTags: { 'key-1': 'value-1', 'key-2': 'value-2' } }),
      wantErr: false,
    },
    {
      name: 'invalid tags are rejected',
      pool: pool({ eksNodegroupName: 'eks-node-group-3', additionalTags: invalidTags() }),
      wantErr: true,
    },
    {
      name: 'valid update config',
      pool: pool({ eksNodegroupName: 'eks-node-group-3', updateConfig: { maxUnavailable: 1 } }),
      wantErr: false,
    },
    {
      name: 'update config with no values',
      pool: pool({ eksNodegroupName: 'eks-node-group-3', updateConfig: {} }),
      wantErr: true,
    },
    {
      name: 'update config with both values',
      pool: pool({ eksNodegroupName: 'eks-node-group-3', updateConfig: { maxUnavailable: 1, maxUnavailablePercentage: 10 } }),
      wantErr: true,
    },
    {
      name: 'minSize 0 is accepted',
      pool: pool({ eksNodegroupName: 'eks-node-group-3', scaling: { minSize: 0 } }),
      wantErr: false,
    },
  ];

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    const errs = validateManagedMachinePoolCreate(tt.pool);
    if (tt.wantErr) {
      expect(errs).not.toEqual([]);
    } else {
      expect(errs).toEqual([]);
    }
  });
});

describe('TestAWSManagedMachinePoolValidateUpdate', () => {
  const group1 = 'eks-node-group-1';
  const tests: Array<{ name: string; old: ManagedMachinePool; new: ManagedMachinePool; wantErr: boolean }> = [
    {
      name: 'update EKS node groups name is rejected',
      old: pool({ eksNodegroupName: 'eks-node-group-1' }),
      new: pool({ eksNodegroupName: 'eks-node-group-2' }),
      wantErr: true,
    },
    {
      name: 'adding tags is accepted',
      old: pool({ eksNodegroupName: group1, additionalTags: { 'key-1': 'value-1' } }),
      new: pool({ eksNodegroupName: group1, additionalTags: { 'key-1': 'value-1', 'key-2': 'value-2' } }),
      wantErr: false,
    },
    {
      name: 'adding invalid tags is rejected',
      old: pool({ eksNodegroupName: 'eks-node-group-3', additionalTags: { 'key-1': 'value-1' } }),
      new: pool({ eksNodegroupName: 'eks-node-group-3', additionalTags: invalidTags() }),
      wantErr: true,
    },
    {
      name: 'adding update config is accepted',
      old: pool({ eksNodegroupName: group1 }),
      new: pool({ eksNodegroupName: group1, updateConfig: { maxUnavailablePercentage: 10 } }),
      wantErr: false,
    },
    {
      name: 'removing update config is accepted',
      old: pool({ eksNodegroupName: group1, updateConfig: { maxUnavailablePercentage: 10 } }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: false,
    },
    {
      name: 'adding subnet id is rejected',
      old: pool({ eksNodegroupName: group1 }),
      new: pool({ eksNodegroupName: group1, subnetIDs: ['subnet-1'] }),
      wantErr: true,
    },
    {
      name: 'removing subnet id is rejected',
      old: pool({ eksNodegroupName: group1, subnetIDs: ['subnet-1'] }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: true,
    },
    {
      name: 'changing subnet id is rejected',
      old: pool({ eksNodegroupName: group1, subnetIDs: ['subnet-1'] }),
      new: pool({ eksNodegroupName: group1, subnetIDs: ['subnet-2'] }),
      wantErr: true,
    },
    {
      name: 'removing role name is rejected',
      old: pool({ eksNodegroupName: group1, roleName: 'role-1' }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: true,
    },
    {
      name: 'changing role name is rejected',
      old: pool({ eksNodegroupName: group1, roleName: 'role-1' }),
      new: pool({ eksNodegroupName: group1, roleName: 'role-2' }),
      wantErr: true,
    },
    {
      name: 'adding disk size is rejected',
      old: pool({ eksNodegroupName: group1 }),
      new: pool({ eksNodegroupName: group1, diskSize: newDiskSize }),
      wantErr: true,
    },
    {
      name: 'removing disk size is rejected',
      old: pool({ eksNodegroupName: group1, diskSize: oldDiskSize }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: true,
    },
    {
      name: 'changing disk size is rejected',
      old: pool({ eksNodegroupName: group1, diskSize: oldDiskSize }),
      new: pool({ eksNodegroupName: group1, diskSize: newDiskSize }),
      wantErr: true,
    },
    {
      name: 'adding ami type is rejected',
      old: pool({ eksNodegroupName: group1 }),
      new: pool({ eksNodegroupName: group1, amiType: newAmiType }),
      wantErr: true,
    },
    {
      name: 'removing ami type is rejected',
      old: pool({ eksNodegroupName: group1, amiType: oldAmiType }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: true,
    },
    {
      name: 'changing ami type is rejected',
      old: pool({ eksNodegroupName: group1, amiType: oldAmiType }),
      new: pool({ eksNodegroupName: group1, amiType: newAmiType }),
      wantErr: true,
    },
    {
      // ManagedRemoteAccess{Public: false} marshals to {} (`public` is omitempty).
      name: 'adding remote access is rejected',
      old: pool({ eksNodegroupName: group1 }),
      new: pool({ eksNodegroupName: group1, remoteAccess: {} }),
      wantErr: true,
    },
    {
      name: 'removing remote access is rejected',
      old: pool({ eksNodegroupName: group1, remoteAccess: {} }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: true,
    },
    {
      name: 'changing remote access is rejected',
      old: pool({ eksNodegroupName: group1, remoteAccess: {} }),
      new: pool({ eksNodegroupName: group1, remoteAccess: { public: true } }),
      wantErr: true,
    },
    {
      name: 'removing capacity type is rejected',
      old: pool({ eksNodegroupName: group1, capacityType: oldCapacityType }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: true,
    },
    {
      name: 'changing capacity type is rejected',
      old: pool({ eksNodegroupName: group1, capacityType: oldCapacityType }),
      new: pool({ eksNodegroupName: group1, capacityType: newCapacityType }),
      wantErr: true,
    },
    {
      name: 'adding availability zones is rejected',
      old: pool({ eksNodegroupName: group1 }),
      new: pool({ eksNodegroupName: group1, availabilityZones: ['us-east-1a'] }),
      wantErr: true,
    },
    {
      name: 'removing availability zones is rejected',
      old: pool({ eksNodegroupName: group1, availabilityZones: ['us-east-1a'] }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: true,
    },
    {
      name: 'changing availability zones is rejected',
      old: pool({ eksNodegroupName: group1, availabilityZones: ['us-east-1a'] }),
      new: pool({ eksNodegroupName: group1, availabilityZones: ['us-east-1a', 'us-east-1b'] }),
      wantErr: true,
    },
    {
      name: 'adding availability zone subnet type is rejected',
      old: pool({ eksNodegroupName: group1 }),
      new: pool({ eksNodegroupName: group1, availabilityZoneSubnetType: newAvailabilityZoneSubnetType }),
      wantErr: true,
    },
    {
      name: 'removing availability zone subnet type is rejected',
      old: pool({ eksNodegroupName: group1, availabilityZoneSubnetType: oldAvailabilityZoneSubnetType }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: true,
    },
    {
      name: 'changing availability zone subnet type is rejected',
      old: pool({ eksNodegroupName: group1, availabilityZoneSubnetType: oldAvailabilityZoneSubnetType }),
      new: pool({ eksNodegroupName: group1, availabilityZoneSubnetType: newAvailabilityZoneSubnetType }),
      wantErr: true,
    },
    {
      name: 'adding launch template is rejected',
      old: pool({ eksNodegroupName: group1 }),
      new: pool({ eksNodegroupName: group1, awsLaunchTemplate: { name: 'test' } }),
      wantErr: true,
    },
    {
      name: 'removing launch template is rejected',
      old: pool({ eksNodegroupName: group1, awsLaunchTemplate: { name: 'test' } }),
      new: pool({ eksNodegroupName: group1 }),
      wantErr: true,
    },
    {
      name: 'changing launch template name is rejected',
      old: pool({ eksNodegroupName: group1, awsLaunchTemplate: { name: 'test' } }),
      new: pool({ eksNodegroupName: group1, awsLaunchTemplate: { name: 'test2' } }),
      wantErr: true,
    },
    {
      name: 'changing launch template fields other than name is accepted',
      old: pool({ eksNodegroupName: group1, awsLaunchTemplate: { name: 'test', imageLookupFormat: 'test' } }),
      new: pool({ eksNodegroupName: group1, awsLaunchTemplate: { name: 'test', imageLookupFormat: 'test2' } }),
      wantErr: false,
    },
  ];

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    const errs = validateManagedMachinePoolUpdate(structuredClone(tt.old), tt.new);
    if (tt.wantErr) {
      expect(errs).not.toEqual([]);
    } else {
      expect(errs).toEqual([]);
    }
  });
});
