/**
 * CAPA's AWSManagedMachinePool admission webhook: a port of kubernetes-sigs/cluster-api-provider-aws v2.11.1,
 * `exp/webhooks/awsmanagedmachinepool_webhook.go` (`Default`, `ValidateCreate`, `ValidateUpdate`, `validateScaling`,
 * `validateNodegroupUpdateConfig`, `validateRemoteAccess`, `validateLaunchTemplate`, `validateImmutable`) and
 * `exp/webhooks/validation.go` (`validateLifecycleHooks`). `cmp.Equal` is JSON deep equality, where an absent list
 * and an empty one differ, as a nil slice and an empty one do for go-cmp.
 */
import { validateTags } from './capa-controlplane-webhook';
import { invalid, required, type FieldError } from './field-errors';

export const MAX_NODEGROUP_NAME_LENGTH = 64;

/** An AWSManagedMachinePool as JSON, with the fields the webhook reads. */
export interface ManagedMachinePool {
  metadata: { name?: string; namespace?: string; [field: string]: unknown };
  spec: {
    eksNodegroupName?: string;
    subnetIDs?: string[];
    roleName?: string;
    diskSize?: number;
    amiType?: string;
    amiVersion?: string;
    instanceType?: string;
    remoteAccess?: { sshKeyName?: string; sourceSecurityGroups?: string[]; public?: boolean };
    capacityType?: string;
    availabilityZones?: string[];
    availabilityZoneSubnetType?: string;
    awsLaunchTemplate?: { name?: string; iamInstanceProfile?: string; [field: string]: unknown };
    scaling?: { minSize?: number; maxSize?: number };
    updateConfig?: { maxUnavailable?: number; maxUnavailablePercentage?: number };
    lifecycleHooks?: Array<{
      name?: string;
      notificationTargetARN?: string;
      roleARN?: string;
      lifecycleTransition?: string;
      defaultResult?: string;
      heartbeatTimeout?: string;
    }>;
    additionalTags?: Record<string, string>;
    [field: string]: unknown;
  };
}

/** `Default`: the node group name when missing, and an update config of one unavailable node. */
export function defaultManagedMachinePool(r: ManagedMachinePool): void {
  if ((r.spec.eksNodegroupName ?? '') === '') {
    const name = `${r.metadata.namespace}_${(r.metadata.name ?? '').replace(/\./g, '_')}`;
    if (name.length >= MAX_NODEGROUP_NAME_LENGTH) {
      throw new Error(`the harness does not port the hashed node group name CAPA generates for "${name}" (${name.length} characters)`);
    }
    r.spec.eksNodegroupName = name;
  }
  r.spec.updateConfig ??= { maxUnavailable: 1 };
}

function validateScaling(r: ManagedMachinePool): FieldError[] {
  const errs: FieldError[] = [];
  const scaling = r.spec.scaling;
  if (scaling !== undefined) {
    const { minSize, maxSize } = scaling;
    if (minSize !== undefined) {
      if (minSize < 0) {
        errs.push(invalid('spec.scaling.minSize', minSize, 'must be greater or equal zero'));
      }
      if (maxSize !== undefined && maxSize < minSize) {
        errs.push(invalid('spec.scaling.maxSize', maxSize, 'must be greater than field spec.scaling.minSize'));
      }
    }
    if (maxSize !== undefined && maxSize < 0) {
      errs.push(invalid('spec.scaling.maxSize', maxSize, 'must be greater than zero'));
    }
  }
  return errs;
}

function validateUpdateConfig(r: ManagedMachinePool): FieldError[] {
  const cfg = r.spec.updateConfig;
  if (cfg === undefined) {
    return [];
  }
  return [
    ...(cfg.maxUnavailable === undefined && cfg.maxUnavailablePercentage === undefined
      ? [invalid('spec.updateConfig', cfg, 'must specify one of maxUnavailable or maxUnavailablePercentage when using nodegroup updateconfig')] : []),
    ...(cfg.maxUnavailable !== undefined && cfg.maxUnavailablePercentage !== undefined
      ? [invalid('spec.updateConfig', cfg, 'cannot specify both maxUnavailable and maxUnavailablePercentage')] : []),
  ];
}

function validateRemoteAccess(r: ManagedMachinePool): FieldError[] {
  const access = r.spec.remoteAccess;
  if (access?.public && (access.sourceSecurityGroups ?? []).length > 0) {
    return [invalid('spec.remoteAccess.sourceSecurityGroups', access.sourceSecurityGroups, 'must be empty if public is set')];
  }
  return [];
}

function validateLaunchTemplate(r: ManagedMachinePool): FieldError[] {
  const template = r.spec.awsLaunchTemplate;
  if (template === undefined) {
    return [];
  }
  return [
    ...(r.spec.instanceType !== undefined ? [invalid('spec.InstanceType', r.spec.instanceType, 'InstanceType cannot be specified when LaunchTemplate is specified')] : []),
    ...(r.spec.diskSize !== undefined ? [invalid('spec.DiskSize', r.spec.diskSize, 'DiskSize cannot be specified when LaunchTemplate is specified')] : []),
    ...((template.iamInstanceProfile ?? '') !== ''
      ? [invalid('spec.AWSLaunchTemplate.IamInstanceProfile', template.iamInstanceProfile, 'IAM instance profile in launch template is prohibited in EKS managed node group')] : []),
  ];
}

/** Go's `time.ParseDuration` for the forms a heartbeat timeout takes, in seconds. */
function durationSeconds(text: string): number {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  const re = /([0-9.]+)(ns|us|µs|ms|s|m|h)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(text)) !== null) {
    total += Number(match[1]) * units[match[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || text === '') {
    throw new Error(`time: invalid duration "${text}"`);
  }
  return total;
}

function validateLifecycleHooks(r: ManagedMachinePool): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of r.spec.lifecycleHooks ?? []) {
    if ((hook.name ?? '') === '') {
      errs.push(required('spec.lifecycleHooks.name', 'Name is required'));
    }
    if (hook.notificationTargetARN !== undefined && hook.roleARN === undefined) {
      errs.push(required('spec.lifecycleHooks.roleARN', 'RoleARN is required if NotificationTargetARN is provided'));
    }
    if (hook.roleARN !== undefined && hook.notificationTargetARN === undefined) {
      errs.push(required('spec.lifecycleHooks.notificationTargetARN', 'NotificationTargetARN is required if RoleARN is provided'));
    }
    if (hook.lifecycleTransition !== 'autoscaling:EC2_INSTANCE_LAUNCHING' && hook.lifecycleTransition !== 'autoscaling:EC2_INSTANCE_TERMINATING') {
      errs.push(invalid('spec.lifecycleHooks.lifecycleTransition', hook.lifecycleTransition,
        'LifecycleTransition must be either "autoscaling:EC2_INSTANCE_LAUNCHING" or "autoscaling:EC2_INSTANCE_TERMINATING"'));
    }
    if (hook.defaultResult !== undefined && hook.defaultResult !== 'CONTINUE' && hook.defaultResult !== 'ABANDON') {
      errs.push(invalid('spec.lifecycleHooks.defaultResult', hook.defaultResult, 'DefaultResult must be either CONTINUE or ABANDON'));
    }
    if (hook.heartbeatTimeout !== undefined) {
      const seconds = durationSeconds(hook.heartbeatTimeout);
      if (seconds < 30 || seconds > 172800) {
        errs.push(invalid('spec.lifecycleHooks.heartbeatTimeout', hook.heartbeatTimeout, 'HeartbeatTimeout must be between 30 and 172800 seconds'));
      }
    }
  }
  return errs;
}

/** `ValidateCreate`. */
export function validateManagedMachinePoolCreate(r: ManagedMachinePool): FieldError[] {
  return [
    ...((r.spec.eksNodegroupName ?? '') === '' ? [required('spec.eksNodegroupName', 'eksNodegroupName is required')] : []),
    ...validateScaling(r),
    ...validateRemoteAccess(r),
    ...validateUpdateConfig(r),
    ...validateLaunchTemplate(r),
    ...validateLifecycleHooks(r),
    ...validateTags(r.spec.additionalTags),
  ];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
/** `reflect.ValueOf(old).IsZero()` for the JSON forms of a string or a pointer. */
const isZero = (v: unknown): boolean => v === undefined || v === '';

/** `validateImmutable`: what an update may not change. */
export function validateImmutable(r: ManagedMachinePool, old: ManagedMachinePool): FieldError[] {
  const errs: FieldError[] = [];
  const ifMutated = (before: unknown, after: unknown, name: string) => {
    if (!same(before, after)) {
      errs.push(invalid(`spec.${name}`, after, 'field is immutable'));
    }
  };
  const ifSetAndMutated = (before: unknown, after: unknown, name: string) => {
    if (!isZero(before) && !same(before, after)) {
      errs.push(invalid(`spec.${name}`, after, 'field is immutable'));
    }
  };
  if ((old.spec.eksNodegroupName ?? '') !== '') {
    ifMutated(old.spec.eksNodegroupName, r.spec.eksNodegroupName, 'eksNodegroupName');
  }
  ifMutated(old.spec.subnetIDs, r.spec.subnetIDs, 'subnetIDs');
  ifSetAndMutated(old.spec.roleName, r.spec.roleName, 'roleName');
  ifMutated(old.spec.diskSize, r.spec.diskSize, 'diskSize');
  ifMutated(old.spec.amiType, r.spec.amiType, 'amiType');
  ifMutated(old.spec.remoteAccess, r.spec.remoteAccess, 'remoteAccess');
  ifSetAndMutated(old.spec.capacityType, r.spec.capacityType, 'capacityType');
  ifMutated(old.spec.availabilityZones, r.spec.availabilityZones, 'availabilityZones');
  ifMutated(old.spec.availabilityZoneSubnetType, r.spec.availabilityZoneSubnetType, 'availabilityZoneSubnetType');
  if ((old.spec.awsLaunchTemplate === undefined) !== (r.spec.awsLaunchTemplate === undefined)) {
    errs.push(invalid('spec.AWSLaunchTemplate', old.spec.awsLaunchTemplate, 'field is immutable'));
  }
  if (old.spec.awsLaunchTemplate !== undefined && r.spec.awsLaunchTemplate !== undefined) {
    ifMutated(old.spec.awsLaunchTemplate.name, r.spec.awsLaunchTemplate.name, 'awsLaunchTemplate.name');
  }
  return errs;
}

/** `ValidateUpdate`: `old` is the stored object, `r` the new one after defaulting. */
export function validateManagedMachinePoolUpdate(old: ManagedMachinePool, r: ManagedMachinePool): FieldError[] {
  return [
    ...validateImmutable(r, old),
    ...validateTags(r.spec.additionalTags),
    ...validateScaling(r),
    ...validateUpdateConfig(r),
    ...validateLaunchTemplate(r),
    ...validateLifecycleHooks(r),
  ];
}
