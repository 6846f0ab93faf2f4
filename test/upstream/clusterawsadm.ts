/**
 * What `clusterawsadm bootstrap iam create-cloudformation-stack --config <file>` of CAPA v2.11.1 does with an
 * AWSIAMConfiguration, up to the CloudFormation template it submits: ports of kubernetes-sigs/cluster-api-provider-aws v2.11.1
 * - `cmd/clusterawsadm/cmd/bootstrap/iam/config.go` `getBootstrapTemplate` (no `--config`: `bootstrap.NewTemplate()`, i.e. the
 *   defaults of an empty object; with `--config`: `configreader.LoadConfigFile`);
 * - `cmd/clusterawsadm/configreader/configreader.go` `fsLoader.Load` (an empty file is an error; apiVersion and kind must both
 *   name a group, a version and a kind, read case-insensitively by apimachinery's YAML `DefaultMetaFactory.Interpret`) and
 *   `DecodeBootstrapConfiguration` (`runtime.DecodeInto` with the `UniversalDecoder` of a `serializer.NewCodecFactory` built
 *   without `EnableStrict`: unknown fields are dropped without a word, field names match case-sensitively
 *   (`sigs.k8s.io/json`), a value of the wrong JSON type is an error; the scheme of
 *   `cmd/clusterawsadm/api/bootstrap/v1beta1/scheme/scheme.go` `NewSchemeAndCodecs` knows kind `AWSIAMConfiguration` in
 *   `bootstrap.aws.infrastructure.cluster.x-k8s.io` `v1beta1` and `v1alpha1`; the codec runs the scheme's defaulter on the
 *   decoded object, then `SetDefaults_AWSIAMConfiguration` runs once more; errors are wrapped "error decoding metadata.yaml");
 * - `cmd/clusterawsadm/api/bootstrap/v1beta1/types.go` (JSON names), `defaults.go` `SetDefaults_AWSIAMConfigurationSpec`,
 *   `SetDefaults_BootstrapUser`, `SetDefaults_AWSIAMConfiguration`, `zz_generated.defaults.go` `SetObjectDefaults_AWSIAMConfiguration`;
 *   `cmd/clusterawsadm/api/bootstrap/v1alpha1/{types,defaults}.go` and `zz_generated.conversion.go` for v1alpha1 files;
 * - `iam/api/v1beta1/types.go` (`StatementEntry`: keys `Sid`, `Principal`, `NotPrincipal`, `Effect`, `Action`, `Resource`,
 *   `Condition`, capitalised and case-sensitive; `Actions` and `PrincipalID` take a string or a list, `Resource` only a list);
 * - `cmd/clusterawsadm/cloudformation/bootstrap/template.go` `RenderCloudFormation` (which resources exist, their names,
 *   trust policies, attachments), `cluster_api_controller.go` (`ControllersPolicy`, `ControllersPolicyEKS`,
 *   `controllersPolicyGroups`, `controllersPolicyRoleAttachments`, `controllersTrustPolicy`, `controllersRolePolicy`,
 *   `allowedEC2InstanceProfiles`), `control_plane.go`, `node.go`, `user.go` (`bootstrapUserGroups`, `bootstrapUserPolicy`),
 *   `cluster_api_node.go` (`nodeManagedPolicies`, `generateAWSManagedPolicyARN`), `csi.go` / `cloud_provider_integration_*.go`
 *   (role attachments only), `managed_control_plane.go` `eksControlPlanePolicies`, `managed_nodegroup.go`
 *   `eksMachinePoolPolicies`, `fargate.go` `fargateProfilePolicies`; `pkg/cloud/services/eks/roles.go`
 *   `NodegroupRolePolicies`/`FargateRolePolicies` (and the US-Gov variants); role names from
 *   `controlplane/eks/api/v1beta2/types.go` `DefaultEKSControlPlaneRole`, `exp/api/v1beta2/awsmanagedmachinepool_types.go`
 *   `DefaultEKSNodegroupRole`, `exp/api/v1beta2/awsfargateprofile_types.go` `DefaultEKSFargateRole` (all fixed to the default
 *   suffix, whatever `nameSuffix` says), `cmd/clusterawsadm/converters/cloudformation.go` `MapToCloudFormationTags` (sorted by key).
 *
 * Not ported: the policy documents of `AWSIAMManagedPolicyCloudProviderControlPlane`, `AWSIAMManagedPolicyCloudProviderNodes`,
 * `AWSEBSCSIPolicyController` and `AWSIAMManagedPolicyEKSConsole` (those resources are rendered without `PolicyDocument`);
 * the `--region`/AWS_REGION resolution and the CloudFormation API calls; YAML parsing differences beyond YAML 1.1 scalars.
 * Rendered resources omit empty lists and strings, as goformation's `omitempty` does.
 */
import { parse as parseYaml } from 'yaml';

export const GROUP = 'bootstrap.aws.infrastructure.cluster.x-k8s.io';
export const KIND = 'AWSIAMConfiguration';
/** `iam/api/v1beta1/types.go` `DefaultNameSuffix`. */
export const DEFAULT_NAME_SUFFIX = '.cluster-api-provider-aws.sigs.k8s.io';
/** `cmd/clusterawsadm/api/bootstrap/v1beta1/defaults.go`. */
export const DEFAULT_BOOTSTRAP_USER_NAME = 'bootstrapper.cluster-api-provider-aws.sigs.k8s.io';
export const DEFAULT_BOOTSTRAP_GROUP_NAME = 'bootstrapper.cluster-api-provider-aws.sigs.k8s.io';
export const DEFAULT_STACK_NAME = 'cluster-api-provider-aws-sigs-k8s-io';
export const DEFAULT_PARTITION_NAME = 'aws';
export const PARTITION_NAME_US_GOV = 'aws-us-gov';
export const DEFAULT_KMS_ALIAS_PATTERN = 'cluster-api-provider-aws-*';
export const DEFAULT_S3_BUCKET_PREFIX = 'cluster-api-provider-aws-';
/** Role names the EKS controllers fall back to (fixed to the default suffix). */
export const DEFAULT_EKS_CONTROL_PLANE_ROLE = `eks-controlplane${DEFAULT_NAME_SUFFIX}`;
export const DEFAULT_EKS_NODEGROUP_ROLE = `eks-nodegroup${DEFAULT_NAME_SUFFIX}`;
export const DEFAULT_EKS_FARGATE_ROLE = `eks-fargate${DEFAULT_NAME_SUFFIX}`;
/** `api/v1beta2/types.go` `SecretBackend` values (the `Enum` marker is not checked by clusterawsadm). */
export const SECRET_BACKEND_SECRETS_MANAGER = 'secrets-manager';
export const SECRET_BACKEND_SSM_PARAMETER_STORE = 'ssm-parameter-store';

/** `iam/api/v1beta1/types.go` `StatementEntry`, as decoded (Action/Principal values normalised to lists). */
export interface StatementEntry {
  Sid?: string;
  Principal?: Record<string, string[]>;
  NotPrincipal?: Record<string, string[]>;
  Effect: string;
  Action: string[];
  Resource?: string[];
  Condition?: Record<string, unknown>;
}

export interface PolicyDocument {
  Version: string;
  Statement: StatementEntry[];
}

export interface AWSIAMRoleSpec {
  disable: boolean;
  extraPolicyAttachments?: string[];
  extraStatements?: StatementEntry[];
  /** v1beta1 only. */
  path?: string;
  /** v1beta1 only. */
  permissionsBoundary?: string;
  trustStatements?: StatementEntry[];
  tags?: Record<string, string>;
}

export interface ControlPlane extends AWSIAMRoleSpec {
  disableClusterAPIControllerPolicyAttachment: boolean;
  disableCloudProviderPolicy: boolean;
  enableCSIPolicy: boolean;
}

export interface ClusterAPIControllers extends AWSIAMRoleSpec {
  allowedEC2InstanceProfiles?: string[];
}

export interface Nodes extends AWSIAMRoleSpec {
  disableCloudProviderPolicy: boolean;
  ec2ContainerRegistryReadOnly: boolean;
}

export interface BootstrapUser {
  enable: boolean;
  userName: string;
  groupName: string;
  extraPolicyAttachments?: string[];
  extraGroups?: string[];
  extraStatements?: StatementEntry[];
  tags?: Record<string, string>;
}

export interface EKSConfig {
  disable: boolean;
  /** JSON `iamRoleCreation` (Go `AllowIAMRoleCreation`). */
  iamRoleCreation: boolean;
  enableUserEKSConsolePolicy: boolean;
  defaultControlPlaneRole: AWSIAMRoleSpec;
  managedMachinePool: AWSIAMRoleSpec;
  fargate: AWSIAMRoleSpec;
  kmsAliasPrefix: string;
}

export interface AWSIAMConfigurationSpec {
  namePrefix: string;
  nameSuffix: string;
  controlPlane: ControlPlane;
  clusterAPIControllers: ClusterAPIControllers;
  nodes: Nodes;
  bootstrapUser: BootstrapUser;
  stackName: string;
  stackTags?: Record<string, string>;
  region: string;
  eks: EKSConfig;
  eventBridge: { enable: boolean };
  partition: string;
  /** JSON `secureSecretBackends`. */
  secureSecretBackends: string[];
  s3Buckets: { enable: boolean; namePrefix: string };
  allowAssumeRole: boolean;
}

/** A defaulted configuration, as clusterawsadm holds it before rendering (mutable, as upstream tests mutate it). */
export interface AWSIAMConfiguration {
  apiVersion: string;
  kind: string;
  spec: AWSIAMConfigurationSpec;
}

// ---------------------------------------------------------------------------------------------------------------------
// Decoding: Go encoding/json semantics (sigs.k8s.io/json, case-sensitive, non-strict) over the schema of types.go.

type FieldType =
  | 'bool' | 'string' | 'strings' | 'stringMap' | 'statements'
  | { readonly struct: Schema; readonly goName: string; readonly pointer?: boolean };
type Schema = Readonly<Record<string, FieldType>>;

const STATEMENT_KEYS = ['Sid', 'Principal', 'NotPrincipal', 'Effect', 'Action', 'Resource', 'Condition'] as const;

const roleSpecV1Beta1: Schema = {
  disable: 'bool',
  extraPolicyAttachments: 'strings',
  extraStatements: 'statements',
  path: 'string',
  permissionsBoundary: 'string',
  trustStatements: 'statements',
  tags: 'stringMap',
};
/** v1alpha1 `AWSIAMRoleSpec` has no `path` / `permissionsBoundary`. */
const roleSpecV1Alpha1: Schema = {
  disable: 'bool', extraPolicyAttachments: 'strings', extraStatements: 'statements', trustStatements: 'statements', tags: 'stringMap',
};

function specSchema(version: 'v1beta1' | 'v1alpha1'): Schema {
  const role = version === 'v1beta1' ? roleSpecV1Beta1 : roleSpecV1Alpha1;
  const spec: Record<string, FieldType> = {
    namePrefix: 'string',
    nameSuffix: 'string',
    controlPlane: {
      goName: 'ControlPlane',
      struct: { ...role, disableClusterAPIControllerPolicyAttachment: 'bool', disableCloudProviderPolicy: 'bool', enableCSIPolicy: 'bool' },
    },
    clusterAPIControllers: { goName: 'ClusterAPIControllers', struct: { ...role, allowedEC2InstanceProfiles: 'strings' } },
    nodes: { goName: 'Nodes', struct: { ...role, disableCloudProviderPolicy: 'bool', ec2ContainerRegistryReadOnly: 'bool' } },
    bootstrapUser: {
      goName: 'BootstrapUser',
      struct: {
        enable: 'bool',
        userName: 'string',
        groupName: 'string',
        extraPolicyAttachments: 'strings',
        extraGroups: 'strings',
        extraStatements: 'statements',
        tags: 'stringMap',
      },
    },
    stackName: 'string',
    region: 'string',
    eks: {
      goName: 'EKSConfig',
      pointer: true,
      struct: {
        disable: 'bool',
        iamRoleCreation: 'bool',
        enableUserEKSConsolePolicy: 'bool',
        defaultControlPlaneRole: { goName: 'AWSIAMRoleSpec', struct: role },
        managedMachinePool: { goName: 'AWSIAMRoleSpec', struct: role, pointer: true },
        fargate: { goName: 'AWSIAMRoleSpec', struct: role, pointer: true },
        kmsAliasPrefix: 'string',
      },
    },
    eventBridge: { goName: 'EventBridgeConfig', pointer: true, struct: { enable: 'bool' } },
    partition: 'string',
    secureSecretBackends: 'strings',
  };
  if (version === 'v1beta1') {
    spec.stackTags = 'stringMap';
    spec.s3Buckets = { goName: 'S3Buckets', struct: { enable: 'bool', namePrefix: 'string' } };
    spec.allowAssumeRole = 'bool';
  }
  return spec;
}

/** The JSON type name Go's decoder reports in an UnmarshalTypeError. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class DecodeError extends Error {}

function typeError(v: unknown, path: string, goType: string): DecodeError {
  return new DecodeError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${path} of type ${goType}`);
}

function decodeStrings(v: unknown, path: string): string[] {
  if (!Array.isArray(v)) throw typeError(v, path, '[]string');
  return v.map((e) => {
    if (typeof e !== 'string') throw typeError(e, path, 'string');
    return e;
  });
}

function decodeStringMap(v: unknown, path: string): Record<string, string> {
  if (!isObject(v)) throw typeError(v, path, 'map[string]string');
  const out: Record<string, string> = {};
  for (const [k, e] of Object.entries(v)) {
    if (e === null) { out[k] = ''; continue; }
    if (typeof e !== 'string') throw typeError(e, `${path}.${k}`, 'string');
    out[k] = e;
  }
  return out;
}

/** `Actions.UnmarshalJSON` / `PrincipalID.UnmarshalJSON`: a list of strings, else a string. */
function decodeStringOrList(v: unknown): string[] {
  if (Array.isArray(v) && v.every((e) => typeof e === 'string')) return v as string[];
  if (typeof v === 'string') return [v];
  throw new DecodeError(`couldn't unmarshal as either []string or string: json: cannot unmarshal ${jsonKind(v)} into Go value of type string`);
}

function decodePrincipals(v: unknown, path: string): Record<string, string[]> {
  if (!isObject(v)) throw typeError(v, path, 'v1beta1.Principals');
  const out: Record<string, string[]> = {};
  for (const [k, e] of Object.entries(v)) out[k] = e === null ? [] : decodeStringOrList(e);
  return out;
}

function decodeStatements(v: unknown, path: string): StatementEntry[] {
  if (!Array.isArray(v)) throw typeError(v, path, 'v1beta1.Statements');
  return v.map((raw) => {
    if (raw === null) return { Effect: '', Action: [] };
    if (!isObject(raw)) throw typeError(raw, path, 'v1beta1.StatementEntry');
    const st: StatementEntry = { Effect: '', Action: [] };
    // Only the capitalised Go names match (case-sensitive decoder); `effect:` or `resource:` are dropped.
    for (const key of STATEMENT_KEYS) {
      if (!(key in raw) || raw[key] === null) continue;
      const e = raw[key];
      const p = `${path}.${key}`;
      switch (key) {
        case 'Sid':
        case 'Effect':
          if (typeof e !== 'string') throw typeError(e, p, 'string');
          st[key] = e;
          break;
        case 'Principal':
        case 'NotPrincipal':
          st[key] = decodePrincipals(e, p);
          break;
        case 'Action':
          st.Action = decodeStringOrList(e);
          break;
        case 'Resource':
          st.Resource = decodeStrings(e, p);
          break;
        case 'Condition':
          if (!isObject(e)) throw typeError(e, p, 'v1beta1.Conditions');
          st.Condition = e;
          break;
      }
    }
    return st;
  });
}

/** Decodes `raw` into a struct of `schema`, Go style: unknown keys ignored, `null` leaves a value alone / clears a pointer. */
function decodeStruct(raw: unknown, schema: Schema, path: string, goName: string): Record<string, unknown> {
  if (!isObject(raw)) throw typeError(raw, path, goName);
  const out: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(schema)) {
    if (!Object.prototype.hasOwnProperty.call(raw, key)) continue;
    const v = raw[key];
    const p = `${path}.${key}`;
    if (v === null) continue; // zero value (nil for pointers, slices and maps)
    if (type === 'bool') {
      if (typeof v !== 'boolean') throw typeError(v, p, 'bool');
      out[key] = v;
    } else if (type === 'string') {
      if (typeof v !== 'string') throw typeError(v, p, key === 'nameSuffix' ? '*string' : 'string');
      out[key] = v;
    } else if (type === 'strings') {
      out[key] = decodeStrings(v, p);
    } else if (type === 'stringMap') {
      out[key] = decodeStringMap(v, p);
    } else if (type === 'statements') {
      out[key] = decodeStatements(v, p);
    } else {
      out[key] = decodeStruct(v, type.struct, p, type.goName);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Defaulting.

function roleSpec(raw: Record<string, unknown> | undefined): AWSIAMRoleSpec {
  return { ...(raw ?? {}), disable: (raw?.disable as boolean | undefined) ?? false } as AWSIAMRoleSpec;
}

/** The decoded object with Go zero values filled in (before the defaulters run). */
function withZeroValues(spec: Record<string, unknown>): {
  spec: Omit<AWSIAMConfigurationSpec, 'nameSuffix' | 'eks' | 'eventBridge'> & {
    nameSuffix?: string;
    eks?: Omit<EKSConfig, 'managedMachinePool' | 'fargate'> & { managedMachinePool?: AWSIAMRoleSpec; fargate?: AWSIAMRoleSpec };
    eventBridge?: { enable: boolean };
  };
} {
  const o = (k: string) => spec[k] as Record<string, unknown> | undefined;
  const eks = o('eks');
  return {
    spec: {
      namePrefix: (spec.namePrefix as string | undefined) ?? '',
      nameSuffix: spec.nameSuffix as string | undefined,
      controlPlane: {
        ...roleSpec(o('controlPlane')),
        disableClusterAPIControllerPolicyAttachment: (o('controlPlane')?.disableClusterAPIControllerPolicyAttachment as boolean) ?? false,
        disableCloudProviderPolicy: (o('controlPlane')?.disableCloudProviderPolicy as boolean) ?? false,
        enableCSIPolicy: (o('controlPlane')?.enableCSIPolicy as boolean) ?? false,
      },
      clusterAPIControllers: roleSpec(o('clusterAPIControllers')) as ClusterAPIControllers,
      nodes: {
        ...roleSpec(o('nodes')),
        disableCloudProviderPolicy: (o('nodes')?.disableCloudProviderPolicy as boolean) ?? false,
        ec2ContainerRegistryReadOnly: (o('nodes')?.ec2ContainerRegistryReadOnly as boolean) ?? false,
      },
      bootstrapUser: {
        ...(o('bootstrapUser') ?? {}),
        enable: (o('bootstrapUser')?.enable as boolean) ?? false,
        userName: (o('bootstrapUser')?.userName as string) ?? '',
        groupName: (o('bootstrapUser')?.groupName as string) ?? '',
      },
      stackName: (spec.stackName as string | undefined) ?? '',
      ...(spec.stackTags ? { stackTags: spec.stackTags as Record<string, string> } : {}),
      region: (spec.region as string | undefined) ?? '',
      eks: eks === undefined ? undefined : {
        disable: (eks.disable as boolean) ?? false,
        iamRoleCreation: (eks.iamRoleCreation as boolean) ?? false,
        enableUserEKSConsolePolicy: (eks.enableUserEKSConsolePolicy as boolean) ?? false,
        defaultControlPlaneRole: roleSpec(eks.defaultControlPlaneRole as Record<string, unknown> | undefined),
        managedMachinePool: eks.managedMachinePool === undefined ? undefined : roleSpec(eks.managedMachinePool as Record<string, unknown>),
        fargate: eks.fargate === undefined ? undefined : roleSpec(eks.fargate as Record<string, unknown>),
        kmsAliasPrefix: (eks.kmsAliasPrefix as string) ?? '',
      },
      eventBridge: o('eventBridge') === undefined ? undefined : { enable: (o('eventBridge')?.enable as boolean) ?? false },
      partition: (spec.partition as string | undefined) ?? '',
      secureSecretBackends: (spec.secureSecretBackends as string[] | undefined) ?? [],
      s3Buckets: {
        enable: (o('s3Buckets')?.enable as boolean) ?? false,
        namePrefix: (o('s3Buckets')?.namePrefix as string) ?? '',
      },
      allowAssumeRole: (spec.allowAssumeRole as boolean | undefined) ?? false,
    },
  };
}

/**
 * `SetDefaults_AWSIAMConfigurationSpec` (v1beta1, or v1alpha1's, which sets neither `s3Buckets.namePrefix` nor, in
 * `SetDefaults_BootstrapUser`, `groupName`) followed by `SetDefaults_BootstrapUser`.
 * Note the asymmetry upstream: `nodes.ec2ContainerRegistryReadOnly` is forced to true only when `spec.eks` was given (and
 * not disabled); when `spec.eks` is absent it is created with EKS enabled but the flag is left alone.
 */
function setSpecDefaults(s: ReturnType<typeof withZeroValues>['spec'], version: 'v1beta1' | 'v1alpha1'): AWSIAMConfigurationSpec {
  if (s.nameSuffix === undefined) s.nameSuffix = DEFAULT_NAME_SUFFIX;
  if (s.partition === '') s.partition = DEFAULT_PARTITION_NAME;
  if (s.stackName === '') s.stackName = DEFAULT_STACK_NAME;
  if (s.eks === undefined) {
    s.eks = {
      disable: false,
      iamRoleCreation: false,
      enableUserEKSConsolePolicy: false,
      defaultControlPlaneRole: { disable: false },
      kmsAliasPrefix: '',
    };
  } else if (!s.eks.disable) {
    s.nodes.ec2ContainerRegistryReadOnly = true;
  }
  if (s.eventBridge === undefined) s.eventBridge = { enable: false };
  if (s.eks.managedMachinePool === undefined) s.eks.managedMachinePool = { disable: true };
  if (s.eks.fargate === undefined) s.eks.fargate = { disable: true };
  if (s.secureSecretBackends.length === 0) s.secureSecretBackends = [SECRET_BACKEND_SECRETS_MANAGER];
  if (s.eks.kmsAliasPrefix.length === 0) s.eks.kmsAliasPrefix = DEFAULT_KMS_ALIAS_PATTERN;
  if (version === 'v1beta1' && s.s3Buckets.namePrefix === '') s.s3Buckets.namePrefix = DEFAULT_S3_BUCKET_PREFIX;
  // SetDefaults_BootstrapUser
  if (s.bootstrapUser.userName === '') s.bootstrapUser.userName = DEFAULT_BOOTSTRAP_USER_NAME;
  if (version === 'v1beta1' && s.bootstrapUser.groupName === '') s.bootstrapUser.groupName = DEFAULT_BOOTSTRAP_GROUP_NAME;
  return s as AWSIAMConfigurationSpec;
}

/** Go's encoding/json (used by `DefaultMetaFactory.Interpret`) matches keys case-insensitively; the last match wins. */
function interpretTypeMeta(obj: Record<string, unknown>): { apiVersion: string; kind: string } {
  const out = { apiVersion: '', kind: '' };
  for (const [k, v] of Object.entries(obj)) {
    for (const field of ['apiVersion', 'kind'] as const) {
      if (k.toLowerCase() !== field.toLowerCase() || v === null) continue;
      if (typeof v !== 'string') throw new DecodeError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field .${field} of type string`);
      out[field] = v;
    }
  }
  return out;
}

/** `schema.ParseGroupVersion`. */
function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  throw new DecodeError(`unexpected GroupVersion string: ${gv}`);
}

/**
 * `configreader.LoadConfigFile` + `DecodeBootstrapConfiguration`: the configuration clusterawsadm renders from a config file.
 * `raw` is the parsed file (an object) or its text (YAML 1.1, as sigs.k8s.io/yaml's go-yaml v2 reads it). Throws what
 * clusterawsadm fails with. The result is a fresh, mutable object.
 */
export function defaultedConfig(raw: unknown, fileName = 'bootstrap-config.yaml'): AWSIAMConfiguration {
  let doc = raw;
  if (typeof raw === 'string') {
    if (raw.length === 0) throw new Error(`bootstrap config file "${fileName}" was empty`);
    doc = parseYaml(raw, { version: '1.1' });
  }
  if (doc === null || doc === undefined) throw new Error(`bootstrap config file "${fileName}" was empty`);
  if (!isObject(doc)) throw new Error(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(doc)} into Go value of type struct`);
  const tm = interpretTypeMeta(doc);
  const gv = parseGroupVersion(tm.apiVersion);
  if (gv.group === '' || gv.version === '' || tm.kind === '') {
    throw new Error(`invalid configuration for GroupVersionKind {Group:${gv.group} Version:${gv.version} Kind:${tm.kind}}: `
      + 'kind and apiVersion is mandatory information that must be specified');
  }
  const wrap = (msg: string) => new Error(`error decoding metadata.yaml: ${msg}`);
  if (gv.group !== GROUP || (gv.version !== 'v1beta1' && gv.version !== 'v1alpha1') || tm.kind !== KIND) {
    // metav1.AddToGroupVersion also registers option/status kinds in the group, which then fail conversion instead.
    throw wrap(`no kind "${tm.kind}" is registered for version "${tm.apiVersion}" in scheme "pkg/runtime/scheme.go:100"`);
  }
  const version = gv.version;
  let decoded: Record<string, unknown>;
  try {
    const top = decodeStruct(doc, { spec: { goName: 'AWSIAMConfigurationSpec', struct: specSchema(version) } }, 'AWSIAMConfiguration', 'AWSIAMConfiguration');
    decoded = (top.spec as Record<string, unknown> | undefined) ?? {};
  } catch (e) {
    if (e instanceof DecodeError) throw wrap(e.message);
    throw e;
  }
  // Codec defaulting (SetObjectDefaults_AWSIAMConfiguration of the file's version), conversion to v1beta1, then
  // SetDefaults_AWSIAMConfiguration (apiVersion/kind, nameSuffix, stackName: already set by then).
  const spec = setSpecDefaults(withZeroValues(decoded).spec, version);
  return { apiVersion: `${GROUP}/v1beta1`, kind: KIND, spec };
}

/** `bootstrapv1.NewAWSIAMConfiguration()` / `bootstrap.NewTemplate()`: what clusterawsadm uses without `--config`. */
export function newAWSIAMConfiguration(): AWSIAMConfiguration {
  return defaultedConfig({ apiVersion: `${GROUP}/v1beta1`, kind: KIND });
}

// ---------------------------------------------------------------------------------------------------------------------
// Rendering (`Template.RenderCloudFormation`).

export type Ref = { readonly Ref: string };
const ref = (name: string): Ref => ({ Ref: name });

export interface CfnResource {
  readonly Type: 'AWS::IAM::User' | 'AWS::IAM::Group' | 'AWS::IAM::ManagedPolicy' | 'AWS::IAM::Role' | 'AWS::IAM::InstanceProfile';
  readonly Properties: Record<string, unknown>;
}

/** `template.go` constants. */
export const R = {
  AWSIAMGroupBootstrapper: 'AWSIAMGroupBootstrapper',
  AWSIAMInstanceProfileControllers: 'AWSIAMInstanceProfileControllers',
  AWSIAMInstanceProfileControlPlane: 'AWSIAMInstanceProfileControlPlane',
  AWSIAMInstanceProfileNodes: 'AWSIAMInstanceProfileNodes',
  AWSIAMRoleControllers: 'AWSIAMRoleControllers',
  AWSIAMRoleControlPlane: 'AWSIAMRoleControlPlane',
  AWSIAMRoleNodes: 'AWSIAMRoleNodes',
  AWSIAMRoleEKSControlPlane: 'AWSIAMRoleEKSControlPlane',
  AWSIAMRoleEKSNodegroup: 'AWSIAMRoleEKSNodegroup',
  AWSIAMRoleEKSFargate: 'AWSIAMRoleEKSFargate',
  AWSIAMUserBootstrapper: 'AWSIAMUserBootstrapper',
  ControllersPolicy: 'AWSIAMManagedPolicyControllers',
  ControllersPolicyEKS: 'AWSIAMManagedPolicyControllersEKS',
  ControlPlanePolicy: 'AWSIAMManagedPolicyCloudProviderControlPlane',
  NodePolicy: 'AWSIAMManagedPolicyCloudProviderNodes',
  CSIPolicy: 'AWSEBSCSIPolicyController',
  EKSConsolePolicy: 'AWSIAMManagedPolicyEKSConsole',
} as const;

const POLICY_VERSION = '2012-10-17';
const doc = (Statement: StatementEntry[]): PolicyDocument => ({ Version: POLICY_VERSION, Statement });

const newManagedName = (s: AWSIAMConfigurationSpec, name: string) => `${s.namePrefix}${name}${s.nameSuffix}`;
const managedPolicyArn = (s: AWSIAMConfigurationSpec, name: string) => `arn:${s.partition}:iam::aws:policy/${name}`;

function assumeRolePolicy(principalType: 'Service' | 'AWS', ids: string[]): PolicyDocument {
  return doc([{ Effect: 'Allow', Principal: { [principalType]: ids }, Action: ['sts:AssumeRole'] }]);
}

function cfnTags(tags: Record<string, string> | undefined): Array<{ Key: string; Value: string }> {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })).sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
}

/** `controllersRolePolicy` / `controlPlanePolicies` / `nodePolicies` / `bootstrapUserPolicy`: one inline policy named after the stack. */
function inlinePolicies(s: AWSIAMConfigurationSpec, extra: StatementEntry[] | undefined) {
  return extra === undefined ? [] : [{ PolicyName: s.stackName, PolicyDocument: doc(extra) }];
}

/** `allowedEC2InstanceProfiles`. */
function allowedEC2InstanceProfiles(s: AWSIAMConfigurationSpec): string[] {
  const profiles = s.clusterAPIControllers.allowedEC2InstanceProfiles ?? [newManagedName(s, '*')];
  return profiles.map((p) => `arn:*:iam::*:role/${p}`);
}

/** `ControllersPolicy` (cluster_api_controller.go), statement by statement. */
export function controllersPolicy(config: AWSIAMConfiguration): PolicyDocument {
  const s = config.spec;
  const statement: StatementEntry[] = [
    { Effect: 'Allow', Resource: ['*'], Action: [...CONTROLLERS_ANY_RESOURCE_ACTIONS] },
    {
      Effect: 'Allow',
      Resource: ['arn:*:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*'],
      Action: [
        'autoscaling:CancelInstanceRefresh', 'autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup',
        'autoscaling:CreateOrUpdateTags', 'autoscaling:StartInstanceRefresh', 'autoscaling:DeleteAutoScalingGroup', 'autoscaling:DeleteTags',
      ],
    },
    serviceLinkedRole('arn:*:iam::*:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling', 'autoscaling.amazonaws.com'),
    serviceLinkedRole(
      'arn:*:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
      'elasticloadbalancing.amazonaws.com',
    ),
    serviceLinkedRole('arn:*:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot', 'spot.amazonaws.com'),
    { Effect: 'Allow', Resource: allowedEC2InstanceProfiles(s), Action: ['iam:PassRole'] },
  ];
  for (const backend of s.secureSecretBackends) {
    if (backend === SECRET_BACKEND_SECRETS_MANAGER) {
      statement.push({
        Effect: 'Allow',
        Resource: ['arn:*:secretsmanager:*:*:secret:aws.cluster.x-k8s.io/*'],
        Action: ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:TagResource'],
      });
    } else if (backend === SECRET_BACKEND_SSM_PARAMETER_STORE) {
      statement.push({
        Effect: 'Allow',
        Resource: ['arn:*:ssm:*:*:parameter/cluster.x-k8s.io/*'],
        Action: ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:AddTagsToResource'],
      });
    } // any other value: no statement (the switch has no default)
  }
  if (s.allowAssumeRole) statement.push({ Effect: 'Allow', Resource: allowedEC2InstanceProfiles(s), Action: ['sts:AssumeRole'] });
  if (s.s3Buckets.enable) {
    statement.push({
      Effect: 'Allow',
      Resource: [`arn:*:s3:::${s.s3Buckets.namePrefix}*`],
      Action: [
        's3:CreateBucket', 's3:DeleteBucket', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutBucketPolicy',
        's3:PutBucketTagging', 's3:PutLifecycleConfiguration', 's3:PutObject',
      ],
    });
  }
  if (s.eventBridge.enable) {
    statement.push({
      Effect: 'Allow',
      Resource: ['*'],
      Action: [
        'events:DeleteRule', 'events:DescribeRule', 'events:ListTargetsByRule', 'events:PutRule', 'events:PutTargets',
        'events:RemoveTargets', 'sqs:CreateQueue', 'sqs:DeleteMessage', 'sqs:DeleteQueue', 'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SetQueueAttributes',
      ],
    });
  }
  return doc(statement);
}

function serviceLinkedRole(resource: string, service: string): StatementEntry {
  return { Effect: 'Allow', Resource: [resource], Action: ['iam:CreateServiceLinkedRole'], Condition: { StringLike: { 'iam:AWSServiceName': service } } };
}

/** `ControllersPolicyEKS` (cluster_api_controller.go); rendered only when `spec.eks.disable` is false. */
export function controllersPolicyEKS(config: AWSIAMConfiguration): PolicyDocument {
  const s = config.spec;
  const allowedIAMActions = ['iam:GetRole', 'iam:ListAttachedRolePolicies'];
  const statements: StatementEntry[] = [
    { Effect: 'Allow', Resource: ['arn:*:ssm:*:*:parameter/aws/service/eks/optimized-ami/*'], Action: ['ssm:GetParameter'] },
    serviceLinkedRole('arn:*:iam::*:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS', 'eks.amazonaws.com'),
    serviceLinkedRole(
      'arn:*:iam::*:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup',
      'eks-nodegroup.amazonaws.com',
    ),
    serviceLinkedRole(
      `arn:${s.partition}:iam::*:role/aws-service-role/eks-fargate-pods.amazonaws.com/AWSServiceRoleForAmazonEKSForFargate`,
      'eks-fargate.amazonaws.com',
    ),
  ];
  if (s.eks.iamRoleCreation) {
    allowedIAMActions.push('iam:DetachRolePolicy', 'iam:DeleteRole', 'iam:CreateRole', 'iam:TagRole', 'iam:AttachRolePolicy');
    statements.push({
      Action: [
        'iam:ListOpenIDConnectProviders', 'iam:GetOpenIDConnectProvider', 'iam:CreateOpenIDConnectProvider',
        'iam:AddClientIDToOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:DeleteOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
      ],
      Resource: ['*'],
      Effect: 'Allow',
    });
  }
  statements.push(
    { Action: allowedIAMActions, Resource: ['arn:*:iam::*:role/*'], Effect: 'Allow' },
    { Action: ['iam:GetPolicy'], Resource: [managedPolicyArn(s, 'AmazonEKSClusterPolicy')], Effect: 'Allow' },
    {
      Action: [
        'eks:DescribeCluster', 'eks:ListClusters', 'eks:CreateCluster', 'eks:TagResource', 'eks:UpdateClusterVersion',
        'eks:DeleteCluster', 'eks:UpdateClusterConfig', 'eks:UntagResource', 'eks:UpdateNodegroupVersion', 'eks:DescribeNodegroup',
        'eks:DeleteNodegroup', 'eks:UpdateNodegroupConfig', 'eks:CreateNodegroup', 'eks:AssociateEncryptionConfig',
        'eks:ListIdentityProviderConfigs', 'eks:AssociateIdentityProviderConfig', 'eks:DescribeIdentityProviderConfig',
        'eks:DisassociateIdentityProviderConfig',
      ],
      Resource: ['arn:*:eks:*:*:cluster/*', 'arn:*:eks:*:*:nodegroup/*/*/*'],
      Effect: 'Allow',
    },
    {
      Action: [
        'ec2:AssociateVpcCidrBlock', 'ec2:DisassociateVpcCidrBlock', 'eks:ListAddons', 'eks:CreateAddon', 'eks:DescribeAddonVersions',
        'eks:DescribeAddon', 'eks:DeleteAddon', 'eks:UpdateAddon', 'eks:TagResource', 'eks:DescribeFargateProfile',
        'eks:CreateFargateProfile', 'eks:DeleteFargateProfile',
      ],
      Resource: ['*'],
      Effect: 'Allow',
    },
    { Action: ['iam:PassRole'], Resource: ['*'], Condition: { StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com' } }, Effect: 'Allow' },
    {
      Action: ['kms:CreateGrant', 'kms:DescribeKey'],
      Resource: ['*'],
      Effect: 'Allow',
      Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': `alias/${s.eks.kmsAliasPrefix}` } },
    },
  );
  return doc(statements);
}

/** The first statement of `ControllersPolicy` (Resource `*`), in upstream order (with its duplicate `ec2:DescribeInstanceTypes`). */
const CONTROLLERS_ANY_RESOURCE_ACTIONS = [
  'ec2:DescribeIpamPools', 'ec2:AllocateIpamPoolCidr', 'ec2:AttachNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:AllocateAddress',
  'ec2:AssignIpv6Addresses', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses', 'ec2:AssociateRouteTable',
  'ec2:AssociateVpcCidrBlock', 'ec2:AttachInternetGateway', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateCarrierGateway',
  'ec2:CreateInternetGateway', 'ec2:CreateEgressOnlyInternetGateway', 'ec2:CreateNatGateway', 'ec2:CreateNetworkInterface',
  'ec2:CreateRoute', 'ec2:CreateRouteTable', 'ec2:CreateSecurityGroup', 'ec2:CreateSubnet', 'ec2:CreateTags', 'ec2:CreateVpc',
  'ec2:CreateVpcEndpoint', 'ec2:DisassociateVpcCidrBlock', 'ec2:ModifyVpcAttribute', 'ec2:ModifyVpcEndpoint', 'ec2:DeleteCarrierGateway',
  'ec2:DeleteInternetGateway', 'ec2:DeleteEgressOnlyInternetGateway', 'ec2:DeleteNatGateway', 'ec2:DeleteRouteTable', 'ec2:ReplaceRoute',
  'ec2:DeleteSecurityGroup', 'ec2:DeleteSubnet', 'ec2:DeleteTags', 'ec2:DeleteVpc', 'ec2:DeleteVpcEndpoints', 'ec2:DescribeAccountAttributes',
  'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeCarrierGateways', 'ec2:DescribeInstances',
  'ec2:DescribeInstanceTypes', 'ec2:DescribeInternetGateways', 'ec2:DescribeEgressOnlyInternetGateways', 'ec2:DescribeInstanceTypes',
  'ec2:DescribeImages', 'ec2:DescribeNatGateways', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeNetworkInterfaceAttribute',
  'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions',
  'ec2:DescribeVpcAttribute', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeVolumes', 'ec2:DescribeTags', 'ec2:DetachInternetGateway',
  'ec2:DisassociateRouteTable', 'ec2:DisassociateAddress', 'ec2:ModifyInstanceAttribute', 'ec2:ModifyNetworkInterfaceAttribute',
  'ec2:ModifySubnetAttribute', 'ec2:ReleaseAddress', 'ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RunInstances',
  'ec2:TerminateInstances', 'ec2:GetSecurityGroupsForVpc', 'tag:GetResources', 'elasticloadbalancing:AddTags',
  'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:ConfigureHealthCheck', 'elasticloadbalancing:DeleteLoadBalancer',
  'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:ApplySecurityGroupsToLoadBalancer', 'elasticloadbalancing:SetSecurityGroups',
  'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:ModifyLoadBalancerAttributes',
  'elasticloadbalancing:RegisterInstancesWithLoadBalancer', 'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
  'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:ModifyTargetGroupAttributes',
  'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:CreateListener',
  'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets',
  'elasticloadbalancing:DeleteListener', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes',
  'autoscaling:DeleteLifecycleHook', 'autoscaling:DescribeLifecycleHooks', 'autoscaling:PutLifecycleHook', 'ec2:CreateLaunchTemplate',
  'ec2:CreateLaunchTemplateVersion', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions', 'ec2:DeleteLaunchTemplate',
  'ec2:DeleteLaunchTemplateVersions', 'ec2:DescribeKeyPairs', 'ec2:ModifyInstanceMetadataOptions', 'eks:CreateAccessEntry',
  'eks:DeleteAccessEntry', 'eks:DescribeAccessEntry', 'eks:UpdateAccessEntry', 'eks:ListAccessEntries', 'eks:AssociateAccessPolicy',
  'eks:DisassociateAccessPolicy', 'eks:ListAssociatedAccessPolicies',
] as const;

/** `pkg/cloud/services/eks/roles.go` `NodegroupRolePolicies` / `NodegroupRolePoliciesUSGov` (+ extra attachments). */
function eksMachinePoolPolicies(s: AWSIAMConfigurationSpec): string[] {
  const p = s.partition.includes(PARTITION_NAME_US_GOV) ? 'aws-us-gov' : 'aws';
  return [
    `arn:${p}:iam::aws:policy/AmazonEKSWorkerNodePolicy`, `arn:${p}:iam::aws:policy/AmazonEKS_CNI_Policy`,
    `arn:${p}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly`, ...(s.eks.managedMachinePool.extraPolicyAttachments ?? []),
  ];
}

function fargateProfilePolicies(s: AWSIAMConfigurationSpec): string[] {
  const p = s.partition.includes(PARTITION_NAME_US_GOV) ? 'aws-us-gov' : 'aws';
  return [`arn:${p}:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy`, ...(s.eks.fargate.extraPolicyAttachments ?? [])];
}

/** `nodeManagedPolicies` (cluster_api_node.go). */
function nodeManagedPolicies(s: AWSIAMConfigurationSpec): string[] {
  const policies = [...(s.nodes.extraPolicyAttachments ?? [])];
  if (!s.eks.disable) policies.push(managedPolicyArn(s, 'AmazonEKSWorkerNodePolicy'), managedPolicyArn(s, 'AmazonEKS_CNI_Policy'));
  if (s.nodes.ec2ContainerRegistryReadOnly) policies.push(managedPolicyArn(s, 'AmazonEC2ContainerRegistryReadOnly'));
  return policies;
}

/** goformation marshals with `omitempty`: drop undefined, empty strings and empty lists. */
function props(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * `Template.RenderCloudFormation`: the template's `Resources`, keyed by logical name. Policy documents of the cloud-provider,
 * CSI and EKS-console managed policies are not ported (absent).
 */
export function renderTemplate(config: AWSIAMConfiguration): Record<string, CfnResource> {
  const s = config.spec;
  const res: Record<string, CfnResource> = {};
  const controllersPolicyGroups = s.bootstrapUser.enable ? [ref(R.AWSIAMGroupBootstrapper)] : [];
  const controllersPolicyRoles = [
    ref(R.AWSIAMRoleControllers),
    ...(s.controlPlane.disableClusterAPIControllerPolicyAttachment ? [] : [ref(R.AWSIAMRoleControlPlane)]),
  ];
  const ec2Trust = (extra: StatementEntry[] | undefined) => {
    const d = assumeRolePolicy('Service', ['ec2.amazonaws.com']);
    d.Statement.push(...(extra ?? []));
    return d;
  };

  if (s.bootstrapUser.enable) {
    res[R.AWSIAMUserBootstrapper] = {
      Type: 'AWS::IAM::User',
      Properties: props({
        UserName: s.bootstrapUser.userName,
        Groups: [ref(R.AWSIAMGroupBootstrapper), ...(s.bootstrapUser.extraGroups ?? [])],
        // Upstream attaches the *control plane's* extra policy attachments to the user.
        ManagedPolicyArns: s.controlPlane.extraPolicyAttachments,
        Policies: inlinePolicies(s, s.bootstrapUser.extraStatements),
        Tags: cfnTags(s.bootstrapUser.tags),
      }),
    };
    res[R.AWSIAMGroupBootstrapper] = { Type: 'AWS::IAM::Group', Properties: props({ GroupName: s.bootstrapUser.groupName }) };
  }

  res[R.ControllersPolicy] = {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: props({
      ManagedPolicyName: newManagedName(s, 'controllers'),
      Description: 'For the Kubernetes Cluster API Provider AWS Controllers',
      PolicyDocument: controllersPolicy(config),
      Groups: controllersPolicyGroups,
      Roles: controllersPolicyRoles,
    }),
  };
  if (!s.eks.disable) {
    res[R.ControllersPolicyEKS] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: props({
        ManagedPolicyName: newManagedName(s, 'controllers-eks'),
        Description: 'For the Kubernetes Cluster API Provider AWS Controllers',
        PolicyDocument: controllersPolicyEKS(config),
        Groups: controllersPolicyGroups,
        Roles: controllersPolicyRoles,
      }),
    };
  }
  if (!s.controlPlane.disableCloudProviderPolicy) {
    res[R.ControlPlanePolicy] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: props({
        ManagedPolicyName: newManagedName(s, 'control-plane'),
        Description: 'For the Kubernetes Cloud Provider AWS Control Plane',
        Roles: [ref(R.AWSIAMRoleControlPlane)],
      }),
    };
  }
  if (!s.nodes.disableCloudProviderPolicy) {
    res[R.NodePolicy] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: props({
        ManagedPolicyName: newManagedName(s, 'nodes'),
        Description: 'For the Kubernetes Cloud Provider AWS nodes',
        Roles: [...(s.controlPlane.disableCloudProviderPolicy ? [] : [ref(R.AWSIAMRoleControlPlane)]), ref(R.AWSIAMRoleNodes)],
      }),
    };
  }
  if (s.controlPlane.enableCSIPolicy) {
    res[R.CSIPolicy] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: props({
        ManagedPolicyName: newManagedName(s, 'csi'),
        Description: 'For the AWS EBS CSI Driver for Kubernetes',
        Roles: s.controlPlane.disableCloudProviderPolicy ? [] : [ref(R.AWSIAMRoleControlPlane)],
      }),
    };
  }
  // All three EC2 roles take `path` and `permissionsBoundary` from spec.controlPlane (sic).
  res[R.AWSIAMRoleControlPlane] = {
    Type: 'AWS::IAM::Role',
    Properties: props({
      RoleName: newManagedName(s, 'control-plane'),
      Path: s.controlPlane.path,
      AssumeRolePolicyDocument: ec2Trust(s.controlPlane.trustStatements),
      ManagedPolicyArns: s.controlPlane.extraPolicyAttachments,
      Policies: inlinePolicies(s, s.controlPlane.extraStatements),
      PermissionsBoundary: s.controlPlane.permissionsBoundary,
      Tags: cfnTags(s.controlPlane.tags),
    }),
  };
  res[R.AWSIAMRoleControllers] = {
    Type: 'AWS::IAM::Role',
    Properties: props({
      RoleName: newManagedName(s, 'controllers'),
      Path: s.controlPlane.path,
      AssumeRolePolicyDocument: ec2Trust(s.clusterAPIControllers.trustStatements),
      Policies: inlinePolicies(s, s.clusterAPIControllers.extraStatements),
      PermissionsBoundary: s.controlPlane.permissionsBoundary,
      Tags: cfnTags(s.clusterAPIControllers.tags),
    }),
  };
  res[R.AWSIAMRoleNodes] = {
    Type: 'AWS::IAM::Role',
    Properties: props({
      RoleName: newManagedName(s, 'nodes'),
      Path: s.controlPlane.path,
      AssumeRolePolicyDocument: ec2Trust(s.nodes.trustStatements),
      ManagedPolicyArns: nodeManagedPolicies(s),
      Policies: inlinePolicies(s, s.nodes.extraStatements),
      PermissionsBoundary: s.controlPlane.permissionsBoundary,
      Tags: cfnTags(s.nodes.tags),
    }),
  };
  for (const [name, profile, role] of [
    [R.AWSIAMInstanceProfileControlPlane, 'control-plane', R.AWSIAMRoleControlPlane],
    [R.AWSIAMInstanceProfileControllers, 'controllers', R.AWSIAMRoleControllers],
    [R.AWSIAMInstanceProfileNodes, 'nodes', R.AWSIAMRoleNodes],
  ] as const) {
    res[name] = { Type: 'AWS::IAM::InstanceProfile', Properties: { InstanceProfileName: newManagedName(s, profile), Roles: [ref(role)] } };
  }
  if (!s.eks.defaultControlPlaneRole.disable && !s.eks.disable) {
    res[R.AWSIAMRoleEKSControlPlane] = {
      Type: 'AWS::IAM::Role',
      Properties: props({
        RoleName: DEFAULT_EKS_CONTROL_PLANE_ROLE,
        AssumeRolePolicyDocument: assumeRolePolicy('Service', ['eks.amazonaws.com']),
        ManagedPolicyArns: [managedPolicyArn(s, 'AmazonEKSClusterPolicy'), ...(s.eks.defaultControlPlaneRole.extraPolicyAttachments ?? [])],
        Tags: cfnTags(s.eks.defaultControlPlaneRole.tags),
      }),
    };
  }
  if (!s.eks.managedMachinePool.disable && !s.eks.disable) {
    res[R.AWSIAMRoleEKSNodegroup] = {
      Type: 'AWS::IAM::Role',
      Properties: props({
        RoleName: DEFAULT_EKS_NODEGROUP_ROLE,
        AssumeRolePolicyDocument: assumeRolePolicy('Service', ['ec2.amazonaws.com', 'eks.amazonaws.com']),
        ManagedPolicyArns: eksMachinePoolPolicies(s),
        Tags: cfnTags(s.eks.managedMachinePool.tags),
      }),
    };
  }
  if (!s.eks.fargate.disable && !s.eks.disable) {
    res[R.AWSIAMRoleEKSFargate] = {
      Type: 'AWS::IAM::Role',
      Properties: props({
        RoleName: DEFAULT_EKS_FARGATE_ROLE,
        AssumeRolePolicyDocument: assumeRolePolicy('Service', ['eks-fargate-pods.amazonaws.com']),
        ManagedPolicyArns: fargateProfilePolicies(s),
        Tags: cfnTags(s.eks.fargate.tags),
      }),
    };
  }
  if (s.eks.enableUserEKSConsolePolicy && !s.eks.disable) {
    res[R.EKSConsolePolicy] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: props({ ManagedPolicyName: newManagedName(s, 'eks-console'), Description: 'For users/groups to view EKS nodes and workloads' }),
    };
  }
  return res;
}

/** Logical names of the template's resources, sorted (as the YAML output orders them). */
export function templateResources(config: AWSIAMConfiguration): string[] {
  return Object.keys(renderTemplate(config)).sort();
}

/**
 * The statements of the managed policies attached to the controllers role (`AWSIAMManagedPolicyControllers`, and
 * `AWSIAMManagedPolicyControllersEKS` unless EKS is disabled). The role's inline `clusterAPIControllers.extraStatements`
 * policy is included only with `includeInline`.
 */
export function controllersStatements(config: AWSIAMConfiguration, includeInline = false): StatementEntry[] {
  const out = [...controllersPolicy(config).Statement];
  if (!config.spec.eks.disable) out.push(...controllersPolicyEKS(config).Statement);
  if (includeInline) out.push(...(config.spec.clusterAPIControllers.extraStatements ?? []));
  return out;
}

/** The IAM actions the controllers managed policies allow (with any resource or condition). */
export function controllersPolicyActions(config: AWSIAMConfiguration, includeInline = false): Set<string> {
  return new Set(controllersStatements(config, includeInline).filter((st) => st.Effect === 'Allow').flatMap((st) => st.Action));
}

/** The Allow statements of the controllers managed policies naming `action` literally (resources and conditions). */
export function statementsGranting(config: AWSIAMConfiguration, action: string): StatementEntry[] {
  return controllersStatements(config).filter((st) => st.Effect === 'Allow' && st.Action.includes(action));
}
