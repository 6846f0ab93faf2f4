/** A field CAPA or EKS cannot change on an existing cluster or node pool. */
export interface ImmutableField {
  readonly kind: 'AWSManagedControlPlane' | 'AWSManagedMachinePool' | 'Cluster' | 'MachinePool';
  /** Path in the object, e.g. `.spec.region`. */
  readonly path: string;
  /** `changed`: any change; `removed`: only taking away a value that was set. */
  readonly when: 'changed' | 'removed';
  /** Why it cannot change. */
  readonly why: string;
}

const CP = 'AWSManagedControlPlane';
const POOL = 'AWSManagedMachinePool';

/**
 * What `arlonctl plan` refuses to change in place, from CAPA's update webhooks (AWSManagedControlPlane and
 * AWSManagedMachinePool in CAPA v2.11), Cluster API's, and what EKS itself cannot change (CAPA would leave the
 * difference in place, and Argo CD would show the object OutOfSync for ever).
 */
export const IMMUTABLE_FIELDS: readonly ImmutableField[] = [
  { kind: CP, path: '.spec.eksClusterName', when: 'changed', why: 'CAPA refuses it: the EKS cluster name is fixed when the cluster is created' },
  { kind: CP, path: '.spec.region', when: 'changed', why: 'CAPA refuses it: an EKS cluster cannot move to another region' },
  { kind: CP, path: '.spec.network.vpc.id', when: 'changed', why: 'EKS fixes a cluster\'s VPC when it is created' },
  { kind: CP, path: '.spec.network.vpc.cidrBlock', when: 'changed', why: 'the VPC CAPA created for the cluster is never re-created' },
  { kind: CP, path: '.spec.network.vpc.availabilityZoneUsageLimit', when: 'changed', why: 'the subnets CAPA created for the cluster are never re-laid' },
  { kind: CP, path: '.spec.network.subnets', when: 'changed', why: 'CAPA does not move an existing cluster to other subnets' },
  { kind: CP, path: '.spec.network.vpc.ipv6', when: 'changed', why: 'CAPA refuses it: the IP family is fixed once set' },
  { kind: CP, path: '.spec.secondaryCidrBlock', when: 'changed', why: 'the secondary CIDR of the VPC is set when the VPC is created' },
  { kind: CP, path: '.spec.encryptionConfig', when: 'changed', why: 'CAPA refuses disabling or changing secrets encryption once enabled' },
  { kind: CP, path: '.spec.identityRef', when: 'removed', why: 'CAPA refuses removing the identity of a cluster' },
  { kind: CP, path: '.spec.accessConfig', when: 'removed', why: 'CAPA refuses removing the access configuration once set' },
  { kind: POOL, path: '.spec.eksNodegroupName', when: 'changed', why: 'CAPA refuses it: the node group name is fixed when the group is created' },
  { kind: POOL, path: '.spec.instanceType', when: 'changed', why: 'EKS cannot change a node group\'s instance type, and CAPA does not replace the group' },
  { kind: POOL, path: '.spec.diskSize', when: 'changed', why: 'CAPA refuses it: the disk size is fixed when the node group is created' },
  { kind: POOL, path: '.spec.amiType', when: 'changed', why: 'CAPA refuses it: the AMI type is fixed when the node group is created' },
  { kind: POOL, path: '.spec.capacityType', when: 'changed', why: 'CAPA refuses it: on-demand or spot is fixed when the node group is created' },
  { kind: POOL, path: '.spec.remoteAccess', when: 'changed', why: 'CAPA refuses it: SSH access is fixed when the node group is created' },
  { kind: POOL, path: '.spec.subnetIDs', when: 'changed', why: 'CAPA refuses it: the subnets of a node group are fixed when it is created' },
  { kind: POOL, path: '.spec.availabilityZones', when: 'changed', why: 'CAPA refuses it: the zones of a node group are fixed when it is created' },
  { kind: POOL, path: '.spec.roleName', when: 'changed', why: 'CAPA refuses it: the node role is fixed when the node group is created' },
  { kind: POOL, path: '.spec.awsLaunchTemplate', when: 'removed', why: 'CAPA refuses adding or removing a launch template after creation' },
  { kind: 'Cluster', path: '.spec.infrastructureRef', when: 'changed', why: 'Cluster API does not move a cluster to other infrastructure' },
  { kind: 'Cluster', path: '.spec.controlPlaneRef', when: 'changed', why: 'Cluster API does not move a cluster to another control plane' },
  { kind: 'MachinePool', path: '.spec.clusterName', when: 'changed', why: 'Cluster API refuses moving a MachinePool to another cluster' },
];
