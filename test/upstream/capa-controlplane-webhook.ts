/**
 * CAPA's AWSManagedControlPlane admission webhook: a port of kubernetes-sigs/cluster-api-provider-aws v2.11.1,
 * `controlplane/eks/webhooks/awsmanagedcontrolplane_webhook.go` (`Default`, `ValidateCreate`, `ValidateUpdate` and
 * every `validate*` they call), with the helpers it relies on: `api/v1beta2/defaults.go` (`SetDefaults_Bastion`,
 * `SetDefaults_NetworkSpec`), `api/v1beta2/bastion.go` (`Bastion.Validate`), `api/v1beta2/tags.go`
 * (`Tags.Validate`, `Tags.HasOwned`), `api/v1beta2/network_types.go` (`IsIPv6Enabled`, `IsUnmanaged`,
 * `FilterPrivate`), `controlplane/eks/api/v1beta2/validate.go` (role and user mappings) and `pkg/eks/eks.go`
 * (`GenerateEKSName`, whose hash branch is not ported: names that long fail the harness instead).
 */
import { forbidden, invalid, required, type FieldError } from './field-errors';
import { addressCount, addressRange, parseCidr } from './go-net';
import { lessThan, major, minor, parseEksVersion, parseGeneric, parseSemantic } from './go-version';

export const MIN_ADDON_VERSION = 'v1.18.0';
export const MIN_KUBE_VERSION_FOR_IPV6 = 'v1.21.0';
export const MIN_VPC_CNI_VERSION_FOR_IPV6 = '1.10.2';
export const MAX_CLUSTER_NAME_LENGTH = 100;

/** `EKSAuthenticationMode` values, in the only order EKS lets a cluster move through them. */
export const AUTHENTICATION_MODES = ['config_map', 'api_and_config_map', 'api'] as const;

type Json = Record<string, unknown>;

/** An AWSManagedControlPlane as JSON, with the fields the webhook reads. */
export interface ManagedControlPlane {
  metadata: { name?: string; namespace?: string; [field: string]: unknown };
  spec: {
    eksClusterName?: string;
    version?: string;
    region?: string;
    identityRef?: { kind?: string; name?: string };
    network?: {
      vpc?: {
        id?: string;
        cidrBlock?: string;
        ipv6?: { cidrBlock?: string; poolId?: string; ipamPool?: { id?: string; name?: string } };
        secondaryCidrBlocks?: Array<{ ipv4CidrBlock?: string }>;
        tags?: Record<string, string>;
        privateDnsHostnameTypeOnLaunch?: string;
        [field: string]: unknown;
      };
      subnets?: Array<{ isPublic?: boolean; zoneType?: string; [field: string]: unknown }>;
      cni?: Json;
      [field: string]: unknown;
    };
    secondaryCidrBlock?: string;
    bastion?: { allowedCIDRBlocks?: string[]; disableIngressRules?: boolean; [field: string]: unknown };
    iamAuthenticatorConfig?: {
      mapRoles?: Array<{ rolearn?: string; username?: string; groups?: string[] }>;
      mapUsers?: Array<{ userarn?: string; username?: string; groups?: string[] }>;
    };
    addons?: Array<{ name?: string; version?: string; [field: string]: unknown }>;
    vpcCni?: { disable?: boolean; [field: string]: unknown };
    kubeProxy?: { disable?: boolean };
    restrictPrivateSubnets?: boolean;
    additionalTags?: Record<string, string>;
    accessConfig?: { authenticationMode?: string; bootstrapClusterCreatorAdminPermissions?: boolean };
    accessEntries?: Array<{
      type?: string;
      kubernetesGroups?: string[];
      accessPolicies?: Array<{ accessScope?: { type?: string; namespaces?: string[] } }>;
      [field: string]: unknown;
    }>;
    encryptionConfig?: { provider?: string; resources?: string[] };
    bootstrapSelfManagedAddons?: boolean;
    [field: string]: unknown;
  };
}

/** `Default`: EKS cluster name, identity, bastion CIDRs, Calico CNI ingress rules, and `bootstrapSelfManagedAddons` forced true. */
export function defaultControlPlane(r: ManagedControlPlane): void {
  const spec = r.spec;
  if ((spec.eksClusterName ?? '') === '') {
    const name = `${r.metadata.namespace}_${(r.metadata.name ?? '').replace(/\./g, '_')}`;
    if (name.length >= MAX_CLUSTER_NAME_LENGTH) {
      throw new Error(`the harness does not port the hashed EKS name CAPA generates for "${name}" (${name.length} characters)`);
    }
    spec.eksClusterName = name;
  }
  spec.identityRef ??= { kind: 'AWSClusterControllerIdentity', name: 'default' };
  const bastion = (spec.bastion ??= {});
  if ((bastion.allowedCIDRBlocks ?? []).length === 0 && !bastion.disableIngressRules) {
    bastion.allowedCIDRBlocks = ['0.0.0.0/0', '::/0'];
  }
  const network = (spec.network ??= {});
  network.cni ??= {
    cniIngressRules: [
      { description: 'bgp (calico)', protocol: 'tcp', fromPort: 179, toPort: 179 },
      { description: 'IP-in-IP (calico)', protocol: '4', fromPort: -1, toPort: 65535 },
    ],
  };
  spec.bootstrapSelfManagedAddons = true;
}

const isIpv6Enabled = (r: ManagedControlPlane): boolean => r.spec.network?.vpc?.ipv6 !== undefined;

function validateEksVersion(version: string | undefined, oldVersion: string | undefined, ipv6: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (version === undefined) {
    return errs;
  }
  let v: ReturnType<typeof parseEksVersion> | undefined;
  try {
    v = parseEksVersion(version);
  } catch (e) {
    errs.push(invalid('spec.version', version, (e as Error).message));
  }
  if (oldVersion !== undefined && v !== undefined) {
    try {
      const oldV = parseEksVersion(oldVersion);
      if (major(v) < major(oldV) || minor(v) < minor(oldV)) {
        errs.push(invalid('spec.version', version, 'new version less than old version'));
      }
    } catch {
      // upstream ignores an unparsable old version
    }
  }
  if (ipv6 && v !== undefined && lessThan(v, parseSemantic(MIN_KUBE_VERSION_FOR_IPV6))) {
    errs.push(invalid('spec.version', version, `IPv6 requires Kubernetes ${MIN_KUBE_VERSION_FOR_IPV6} or greater`));
  }
  return errs;
}

function validateEksAddons(r: ManagedControlPlane): FieldError[] {
  const errs: FieldError[] = [];
  const addons = r.spec.addons;
  const ipv6 = isIpv6Enabled(r);
  if (!ipv6 && (addons === undefined || addons.length === 0)) {
    return errs;
  }
  if (r.spec.version === undefined) {
    return errs;
  }
  let v;
  try {
    v = parseEksVersion(r.spec.version);
  } catch (e) {
    errs.push(invalid('spec.version', r.spec.version, (e as Error).message));
    return errs;
  }
  if (lessThan(v, parseSemantic(MIN_ADDON_VERSION))) {
    errs.push(invalid('spec.addons', r.spec.version, `addons require Kubernetes ${MIN_ADDON_VERSION} or greater`));
  }
  if (ipv6) {
    if (addons === undefined || addons.length === 0) {
      errs.push(invalid('spec.addons', '', 'addons are required to be set explicitly if IPv6 is enabled'));
      return errs;
    }
    // Upstream stops at the first vpc-cni add-on it refuses, and looks on past one it accepts.
    for (const addon of addons.filter((a) => a.name === 'vpc-cni')) {
      let cniVersion;
      try {
        cniVersion = parseGeneric(addon.version ?? '');
      } catch (e) {
        errs.push(invalid('spec.addons', addon.version, (e as Error).message));
        break;
      }
      if (lessThan(cniVersion, parseSemantic(MIN_VPC_CNI_VERSION_FOR_IPV6))) {
        errs.push(invalid('spec.addons', addon.version, `vpc-cni version must be above or equal to ${MIN_VPC_CNI_VERSION_FOR_IPV6} for IPv6`));
        break;
      }
    }
  }
  return errs;
}

function validateBastion(bastion: ManagedControlPlane['spec']['bastion']): FieldError[] {
  if (bastion === undefined) {
    return [];
  }
  if (bastion.disableIngressRules && (bastion.allowedCIDRBlocks ?? []).length > 0) {
    return [forbidden('spec.bastion.allowedCIDRBlocks', 'cannot be set if spec.bastion.disableIngressRules is true')];
  }
  return (bastion.allowedCIDRBlocks ?? []).flatMap((cidr, i) => {
    try {
      parseCidr(cidr);
      return [];
    } catch {
      return [invalid(`spec.bastion.allowedCIDRBlocks[${i}]`, cidr, 'must be a valid CIDR block')];
    }
  });
}

const ARN = /^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/;

function validateIamAuthConfig(r: ManagedControlPlane): FieldError[] {
  const cfg = r.spec.iamAuthenticatorConfig;
  if (cfg === undefined) {
    return [];
  }
  const mapping = (arn: string | undefined, username: string | undefined, groups: string[] | undefined, kind: 'role' | 'user'): string[] => {
    const errs: string[] = [];
    if ((arn ?? '').trim() === '') {
      errs.push(`${kind}arn is required`);
    }
    if ((username ?? '').trim() === '') {
      errs.push('username is required');
    }
    if ((groups ?? []).length === 0) {
      errs.push('groups are required');
    }
    if (!ARN.test(arn ?? '')) {
      errs.push('supplied value is not a ARN');
    } else if (!arn!.split(':').slice(5).join(':').includes(`${kind}/`)) {
      errs.push(`supplied ARN is not a ${kind} ARN`);
    }
    return errs;
  };
  return [
    ...(cfg.mapUsers ?? []).flatMap((u, i) => mapping(u.userarn, u.username, u.groups, 'user').map((m) => invalid(`spec.iamAuthenticatorConfig.mapUsers[${i}]`, u, m))),
    ...(cfg.mapRoles ?? []).flatMap((m, i) => mapping(m.rolearn, m.username, m.groups, 'role').map((e) => invalid(`spec.iamAuthenticatorConfig.mapRoles[${i}]`, m, e))),
  ];
}

function validateSecondaryCidr(block: string | undefined): FieldError[] {
  if (block === undefined) {
    return [];
  }
  const path = 'spec.secondaryCidrBlock';
  let net;
  try {
    net = parseCidr(block);
  } catch {
    return [invalid(path, block, 'must be a valid CIDR range')];
  }
  const errs: FieldError[] = [];
  const size = addressCount(net);
  if (size > 65536n || size < 16n) {
    errs.push(invalid(path, block, 'CIDR block sizes must be between a /16 netmask and /28 netmask'));
  }
  const [start, end] = addressRange(net);
  const within = (range: string) => {
    const r = parseCidr(range);
    const [s, e] = addressRange(r);
    return r.family === net.family && start >= s && start <= e && end >= s && end <= e;
  };
  if (!within('100.64.0.0/10') && !within('198.19.0.0/16')) {
    errs.push(invalid(path, block, 'must be within the 100.64.0.0/10 or 198.19.0.0/16 range'));
  }
  return errs;
}

function validateKubeProxy(r: ManagedControlPlane): FieldError[] {
  if (r.spec.kubeProxy?.disable && (r.spec.addons ?? []).some((a) => a.name === 'kube-proxy')) {
    return [invalid('spec.kubeProxy.disable', true, 'cannot disable kube-proxy if the kube-proxy addon is specified')];
  }
  return [];
}

function validateDisableVpcCni(r: ManagedControlPlane): FieldError[] {
  if (r.spec.vpcCni?.disable && (r.spec.addons ?? []).some((a) => a.name === 'vpc-cni')) {
    return [invalid('spec.vpcCni.disable', true, 'cannot disable vpc cni if the vpc-cni addon is specified')];
  }
  return [];
}

function validateRestrictPrivateSubnets(r: ManagedControlPlane): FieldError[] {
  const vpc = r.spec.network?.vpc;
  const owned = vpc?.tags?.[`sigs.k8s.io/cluster-api-provider-aws/cluster/${r.spec.eksClusterName ?? ''}`] === 'owned';
  const unmanaged = (vpc?.id ?? '') !== '' && !owned;
  const isEdge = (zoneType: string | undefined) => zoneType === 'local-zone' || zoneType === 'wavelength-zone';
  const privateSubnets = (r.spec.network?.subnets ?? []).filter((s) => !isEdge(s.zoneType) && !s.isPublic);
  if (r.spec.restrictPrivateSubnets && unmanaged && privateSubnets.length === 0) {
    return [invalid('spec.restrictPrivateSubnets', true, 'cannot enable private subnets restriction when no private subnets are specified')];
  }
  return [];
}

/** `Tags.Validate` (shared by every CAPA kind with `additionalTags`). */
export function validateTags(tags: Readonly<Record<string, string>> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const allowed = /^[a-zA-Z0-9\s_.:=+\-@/]*$/;
  const entries = Object.entries(tags ?? {});
  for (const [k, v] of entries) {
    if (k.length < 1) {
      errs.push(invalid('spec.additionalTags', k, 'key cannot be empty'));
    }
    if (k.length > 128) {
      errs.push(invalid('spec.additionalTags', k, 'key cannot be longer than 128 characters'));
    }
    if (v.length > 256) {
      errs.push(invalid('spec.additionalTags', v, 'value cannot be longer than 256 characters'));
    }
    if (k.length > 3 && k.slice(0, 4) === 'aws:') {
      errs.push(invalid('spec.additionalTags', k, 'user created tag\'s key cannot have prefix aws:'));
    }
    if (!allowed.test(k)) {
      errs.push(invalid('spec.additionalTags', k, 'key cannot have characters other than alphabets, numbers, spaces and _ . : / = + - @ .'));
    }
    if (!allowed.test(v)) {
      errs.push(invalid('spec.additionalTags', v, 'value cannot have characters other than alphabets, numbers, spaces and _ . : / = + - @ .'));
    }
  }
  if (entries.length > 50) {
    errs.push(invalid('spec.additionalTags', tags, 'user created tags cannot be more than 50'));
  }
  return errs;
}

function validateNetwork(r: ManagedControlPlane): FieldError[] {
  const errs: FieldError[] = [];
  const vpc = r.spec.network?.vpc ?? {};
  const secondary = r.spec.secondaryCidrBlock;
  const blocks = vpc.secondaryCidrBlocks ?? [];
  if (secondary !== undefined && blocks.length > 0 && !blocks.some((b) => b.ipv4CidrBlock === secondary)) {
    errs.push(invalid('spec.network.vpc.secondaryCidrBlocks', blocks,
      `AWSManagedControlPlane.spec.secondaryCidrBlock ${secondary} must be listed in AWSManagedControlPlane.spec.network.vpc.secondaryCidrBlocks (required if both fields are filled)`));
  }
  if (secondary !== undefined && (vpc.cidrBlock ?? '') !== '' && vpc.cidrBlock === secondary) {
    errs.push(invalid('spec.vpc.secondaryCidrBlock', blocks,
      `AWSManagedControlPlane.spec.secondaryCidrBlock ${secondary} must not be equal to the primary AWSManagedControlPlane.spec.network.vpc.cidrBlock`));
  }
  for (const block of blocks) {
    if ((vpc.cidrBlock ?? '') !== '' && vpc.cidrBlock === block.ipv4CidrBlock) {
      errs.push(invalid('spec.network.vpc.secondaryCidrBlocks', blocks,
        `AWSManagedControlPlane.spec.network.vpc.secondaryCidrBlocks must not contain the primary AWSManagedControlPlane.spec.network.vpc.cidrBlock ${vpc.cidrBlock}`));
    }
  }
  const ipv6 = vpc.ipv6;
  if (ipv6 !== undefined) {
    if ((ipv6.cidrBlock ?? '') !== '' && (ipv6.poolId ?? '') === '') {
      errs.push(invalid('spec.network.vpc.ipv6.poolId', ipv6.poolId, 'poolId cannot be empty if cidrBlock is set'));
    }
    if ((ipv6.poolId ?? '') !== '' && ipv6.ipamPool !== undefined) {
      errs.push(invalid('spec.network.vpc.ipv6.poolId', ipv6.poolId, 'poolId and ipamPool cannot be used together'));
    }
    if ((ipv6.cidrBlock ?? '') !== '' && ipv6.ipamPool !== undefined) {
      errs.push(invalid('spec.network.vpc.ipv6.cidrBlock', ipv6.cidrBlock, 'cidrBlock and ipamPool cannot be used together'));
    }
    if (ipv6.ipamPool !== undefined && (ipv6.ipamPool.id ?? '') === '' && (ipv6.ipamPool.name ?? '') === '') {
      errs.push(invalid('spec.network.vpc.ipv6.ipamPool', ipv6.ipamPool, 'ipamPool must have either id or name'));
    }
  }
  return errs;
}

function validatePrivateDnsHostnameTypeOnLaunch(r: ManagedControlPlane): FieldError[] {
  const value = r.spec.network?.vpc?.privateDnsHostnameTypeOnLaunch;
  if (isIpv6Enabled(r) && value !== undefined && value !== 'resource-name') {
    return [invalid('spec.networkSpec.vpc.privateDNSHostnameTypeOnLaunch', value, 'only resource-name HostnameType can be used in IPv6 mode')];
  }
  return [];
}

function validateAccessConfigCreate(r: ManagedControlPlane): FieldError[] {
  const cfg = r.spec.accessConfig;
  if (cfg !== undefined && cfg.authenticationMode === 'config_map' && cfg.bootstrapClusterCreatorAdminPermissions === false) {
    return [invalid('spec.accessConfig.bootstrapClusterCreatorAdminPermissions', false,
      'bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to config_map')];
  }
  return [];
}

function validateAccessConfigUpdate(r: ManagedControlPlane, old: ManagedControlPlane): FieldError[] {
  const errs: FieldError[] = [];
  const [was, now] = [old.spec.accessConfig, r.spec.accessConfig];
  if (was !== undefined && now === undefined) {
    errs.push(invalid('spec.accessConfig', now, 'removing AccessConfig is not allowed after it has been enabled'));
  }
  if (was !== undefined && now !== undefined && was.authenticationMode !== now.authenticationMode
    && ((was.authenticationMode === 'api_and_config_map' && now.authenticationMode === 'config_map') || was.authenticationMode === 'api')) {
    errs.push(invalid('spec.accessConfig.authenticationMode', now.authenticationMode, 'downgrading authentication mode is not allowed after it has been enabled'));
  }
  return errs;
}

function validateAccessEntries(r: ManagedControlPlane): FieldError[] {
  const entries = r.spec.accessEntries ?? [];
  if (entries.length === 0) {
    return [];
  }
  const errs: FieldError[] = [];
  const mode = r.spec.accessConfig?.authenticationMode;
  if (r.spec.accessConfig === undefined || (mode !== 'api' && mode !== 'api_and_config_map')) {
    errs.push(invalid('spec.accessEntries', entries, 'accessEntries can only be used when authenticationMode is set to api or api_and_config_map'));
  }
  entries.forEach((entry, i) => {
    if (entry.type === 'ec2_linux' || entry.type === 'ec2_windows') {
      if ((entry.kubernetesGroups ?? []).length > 0) {
        errs.push(invalid(`spec.accessEntries[${i}].kubernetesGroups`, entry.kubernetesGroups, 'kubernetesGroups cannot be specified when type is ec2_linux or ec2_windows'));
      }
      if ((entry.accessPolicies ?? []).length > 0) {
        errs.push(invalid(`spec.accessEntries[${i}].accessPolicies`, entry.accessPolicies, 'accessPolicies cannot be specified when type is ec2_linux or ec2_windows'));
      }
    }
    (entry.accessPolicies ?? []).forEach((policy, j) => {
      if (policy.accessScope?.type === 'namespace' && (policy.accessScope.namespaces ?? []).length === 0) {
        errs.push(invalid(`spec.accessEntries[${i}].accessPolicies[${j}].accessScope.namespaces`, policy.accessScope.namespaces,
          'at least one value must be provided when accessScope type is namespace'));
      }
    });
  });
  return errs;
}

function validateCommon(r: ManagedControlPlane): FieldError[] {
  return [
    ...validateBastion(r.spec.bastion),
    ...validateIamAuthConfig(r),
    ...validateSecondaryCidr(r.spec.secondaryCidrBlock),
    ...validateEksAddons(r),
    ...validateDisableVpcCni(r),
    ...validateRestrictPrivateSubnets(r),
    ...validateKubeProxy(r),
    ...validateTags(r.spec.additionalTags),
  ];
}

/** `ValidateCreate`. */
export function validateControlPlaneCreate(r: ManagedControlPlane): FieldError[] {
  return [
    ...((r.spec.eksClusterName ?? '') === '' ? [required('spec.eksClusterName', 'eksClusterName is required')] : []),
    ...validateEksVersion(r.spec.version, undefined, isIpv6Enabled(r)),
    ...validateCommon(r),
    ...validateNetwork(r),
    ...validatePrivateDnsHostnameTypeOnLaunch(r),
    ...validateAccessConfigCreate(r),
    ...validateAccessEntries(r),
  ];
}

/** `ValidateUpdate`: `old` is the stored object, `r` the new one after defaulting. */
export function validateControlPlaneUpdate(old: ManagedControlPlane, r: ManagedControlPlane): FieldError[] {
  const errs: FieldError[] = [
    ...((r.spec.eksClusterName ?? '') === '' ? [required('spec.eksClusterName', 'eksClusterName is required')] : []),
    ...((old.spec.eksClusterName ?? '') !== '' && r.spec.eksClusterName !== old.spec.eksClusterName
      ? [invalid('spec.eksClusterName', r.spec.eksClusterName, 'eksClusterName is different to current cluster name')] : []),
    ...validateEksVersion(r.spec.version, old.spec.version, isIpv6Enabled(r)),
    ...validateBastion(r.spec.bastion),
    ...validateAccessConfigUpdate(r, old),
    ...validateIamAuthConfig(r),
    ...validateSecondaryCidr(r.spec.secondaryCidrBlock),
    ...validateEksAddons(r),
    ...validateDisableVpcCni(r),
    ...validateRestrictPrivateSubnets(r),
    ...validateKubeProxy(r),
    ...validateTags(r.spec.additionalTags),
    ...validatePrivateDnsHostnameTypeOnLaunch(r),
    ...validateAccessEntries(r),
  ];
  if ((r.spec.region ?? '') !== (old.spec.region ?? '')) {
    errs.push(invalid('spec.region', r.spec.region, 'field is immutable'));
  }
  if (old.spec.encryptionConfig !== undefined && r.spec.encryptionConfig === undefined) {
    errs.push(invalid('spec.encryptionConfig', r.spec.encryptionConfig, 'disabling EKS encryption is not allowed after it has been enabled'));
  }
  const [newProvider, oldProvider] = [r.spec.encryptionConfig?.provider, old.spec.encryptionConfig?.provider];
  if (newProvider !== undefined && oldProvider !== undefined && newProvider !== oldProvider) {
    errs.push(invalid('spec.encryptionConfig.provider', newProvider, 'changing EKS encryption is not allowed after it has been enabled'));
  }
  if (old.spec.identityRef !== undefined && r.spec.identityRef === undefined) {
    errs.push(invalid('spec.identityRef', r.spec.identityRef, 'field cannot be set to nil'));
  }
  if (isIpv6Enabled(old) !== isIpv6Enabled(r)) {
    errs.push(invalid('spec.network.vpc.enableIPv6', isIpv6Enabled(r), 'changing IP family is not allowed after it has been set'));
  }
  return errs;
}
