/**
 * When a field's change is refused:
 * - `changed`: any change of its value;
 * - `setAndChanged`: a change once it holds a value (setting it for the first time is accepted);
 * - `removed`: taking the value away;
 * - `presence`: adding or removing it (changing a value it keeps is accepted);
 * - `downgraded`: moving back along `order`.
 */
export type ImmutableWhen = 'changed' | 'setAndChanged' | 'removed' | 'presence' | 'downgraded';

/** A field CAPA or EKS cannot change on an existing cluster or node pool. */
export interface ImmutableField {
  readonly kind: 'AWSManagedControlPlane' | 'AWSManagedMachinePool' | 'Cluster' | 'MachinePool';
  /** Path in the object, e.g. `.spec.region`. */
  readonly path: string;
  readonly when: ImmutableWhen;
  /** For `downgraded`: the values in the only order they may move through. */
  readonly order?: readonly string[];
  /**
   * What the API server stores when the manifest leaves the field out (a CRD schema default or a webhook default),
   * so leaving it out compares as that value: an unset `amiType` is `AL2_x86_64` on the cluster.
   */
  readonly stored?: unknown;
  /** Why it cannot change. */
  readonly why: string;
}

const CP = 'AWSManagedControlPlane';
const POOL = 'AWSManagedMachinePool';

/**
 * What `arlonctl plan` refuses to change in place. It covers everything the update webhooks refuse (CAPA v2.11.1
 * `controlplane/eks/webhooks/awsmanagedcontrolplane_webhook.go` `ValidateUpdate` and
 * `exp/webhooks/awsmanagedmachinepool_webhook.go` `validateImmutable`; Cluster API v1.14.0
 * `core/webhooks/admission/machinepool.go` and `cluster.go`), which the upstream-behaviour tests check against the
 * ported webhooks, plus changes CAPA accepts but never carries out (it reads them only when it creates the cluster
 * or node group, so the object would differ from AWS for ever) and changes it would carry out destructively.
 * Control plane version downgrades are the `kubernetes-downgrade` rule.
 */
export const IMMUTABLE_FIELDS: readonly ImmutableField[] = [
  { kind: CP, path: '.spec.eksClusterName', when: 'setAndChanged', why: 'CAPA refuses it: the EKS cluster name is fixed when the cluster is created' },
  { kind: CP, path: '.spec.region', when: 'changed', why: 'CAPA refuses it: an EKS cluster cannot move to another region' },
  { kind: CP, path: '.spec.network.vpc.id', when: 'changed', why: 'EKS fixes a cluster\'s VPC when it is created' },
  { kind: CP, path: '.spec.network.vpc.cidrBlock', when: 'changed', why: 'the VPC CAPA created for the cluster is never re-created' },
  {
    kind: CP,
    path: '.spec.network.vpc.availabilityZoneUsageLimit',
    when: 'changed',
    stored: 3,
    why: 'the subnets CAPA created for the cluster are never re-laid',
  },
  { kind: CP, path: '.spec.network.subnets', when: 'changed', why: 'CAPA does not move an existing cluster to other subnets' },
  { kind: CP, path: '.spec.network.vpc.ipv6', when: 'presence', why: 'CAPA refuses it: the IP family is fixed once set' },
  { kind: CP, path: '.spec.secondaryCidrBlock', when: 'changed', why: 'the secondary CIDR of the VPC is set when the VPC is created' },
  { kind: CP, path: '.spec.encryptionConfig', when: 'removed', why: 'CAPA refuses disabling secrets encryption once enabled' },
  { kind: CP, path: '.spec.encryptionConfig.provider', when: 'setAndChanged', why: 'CAPA refuses changing the secrets encryption key once set' },
  {
    kind: CP,
    path: '.spec.identityRef',
    when: 'changed',
    stored: { kind: 'AWSClusterControllerIdentity', name: 'default' },
    why: 'CAPA accepts it, then looks for the EKS cluster with other credentials: in another account it finds none and creates a second cluster',
  },
  { kind: CP, path: '.spec.accessConfig', when: 'removed', why: 'CAPA refuses removing the access configuration once set' },
  {
    kind: CP,
    path: '.spec.accessConfig.authenticationMode',
    when: 'downgraded',
    order: ['config_map', 'api_and_config_map', 'api'],
    stored: 'config_map',
    why: 'CAPA and EKS refuse it: the authentication mode only moves forward (config_map, api_and_config_map, api)',
  },
  { kind: POOL, path: '.spec.eksNodegroupName', when: 'setAndChanged', why: 'CAPA refuses it: the node group name is fixed when the group is created' },
  {
    kind: POOL,
    path: '.spec.instanceType',
    when: 'changed',
    why: 'CAPA accepts it but never applies it: instance types are sent to EKS only when the node group is created',
  },
  { kind: POOL, path: '.spec.diskSize', when: 'changed', why: 'CAPA refuses it: the disk size is fixed when the node group is created' },
  { kind: POOL, path: '.spec.amiType', when: 'changed', stored: 'AL2_x86_64', why: 'CAPA refuses it: the AMI type is fixed when the node group is created' },
  {
    kind: POOL,
    path: '.spec.capacityType',
    when: 'setAndChanged',
    stored: 'onDemand',
    why: 'CAPA refuses it: on-demand or spot is fixed when the node group is created',
  },
  { kind: POOL, path: '.spec.remoteAccess', when: 'changed', why: 'CAPA refuses it: SSH access is fixed when the node group is created' },
  { kind: POOL, path: '.spec.subnetIDs', when: 'changed', why: 'CAPA refuses it: the subnets of a node group are fixed when it is created' },
  { kind: POOL, path: '.spec.availabilityZones', when: 'changed', why: 'CAPA refuses it: the zones of a node group are fixed when it is created' },
  {
    kind: POOL,
    path: '.spec.availabilityZoneSubnetType',
    when: 'changed',
    why: 'CAPA refuses it: the subnet type of a node group\'s zones is fixed when it is created',
  },
  { kind: POOL, path: '.spec.roleName', when: 'setAndChanged', why: 'CAPA refuses it: the node role is fixed when the node group is created' },
  { kind: POOL, path: '.spec.awsLaunchTemplate', when: 'presence', why: 'CAPA refuses adding or removing a launch template after creation' },
  { kind: POOL, path: '.spec.awsLaunchTemplate.name', when: 'setAndChanged', why: 'CAPA refuses renaming the launch template of a node group' },
  {
    kind: 'Cluster',
    path: '.spec.infrastructureRef',
    when: 'changed',
    why: 'Cluster API refuses removing it, and pointing a cluster at other infrastructure makes it a different cluster',
  },
  {
    kind: 'Cluster',
    path: '.spec.controlPlaneRef',
    when: 'changed',
    why: 'Cluster API refuses removing it, and pointing a cluster at another control plane makes it a different cluster',
  },
  { kind: 'MachinePool', path: '.spec.clusterName', when: 'changed', why: 'Cluster API refuses moving a MachinePool to another cluster' },
];

/** Whether moving `field` from `before` to `after` (each undefined when left out) is refused. */
export function isRefusedChange(field: ImmutableField, before: unknown, after: unknown): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const [was, now] = [before ?? field.stored, after ?? field.stored];
  switch (field.when) {
    case 'changed':
      return !same(was, now);
    case 'setAndChanged':
      return was !== undefined && was !== '' && !same(was, now);
    case 'removed':
      return before !== undefined && after === undefined;
    case 'presence':
      return (before === undefined) !== (after === undefined);
    case 'downgraded':
      return field.order!.indexOf(String(now)) < field.order!.indexOf(String(was));
  }
}
