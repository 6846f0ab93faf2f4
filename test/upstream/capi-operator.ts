/**
 * What kubernetes-sigs/cluster-api-operator v0.28.0 (built on sigs.k8s.io/cluster-api v1.12.10) does to a provider
 * object (operator.cluster.x-k8s.io/v1alpha2 CoreProvider, InfrastructureProvider, ...) and what it writes in its
 * status. Ports of cluster-api-operator v0.28.0:
 * - `internal/controller/genericprovider_controller.go` `Reconcile` (finalizer first, then the phases; the deferred
 *   patch sets `status.observedGeneration` only when the reconcile returned no error, and `ignoreCoreProviderWaitError`
 *   makes "waiting for the CoreProvider" a success), `reconcile` (a `PhaseError` becomes a False condition of its type
 *   with its reason and the error text as message), `normalizeExistingConditions`, `ApplyFromCache`;
 * - `preflight_checks.go` `preflightChecks`, `checkProviderVersion`, `coreProviderIsReady`, `isPredefinedProvider`;
 * - `phase_initialize.go` (`initReaderVariables`: the configSecret's keys are the clusterctl variables);
 * - `manifests_downloader.go` `DownloadManifests`, `RepositoryConfigMap`, `ProviderLabels`, `ProviderCacheName`,
 *   `Finalize`;
 * - `phase_load.go` `Load`, `validateRepoCAPIVersion`, `getLatestVersion`;
 * - `phase_fetch.go` `Fetch` (clusterctl `repository.NewComponents` with `yamlprocessor.NewSimpleProcessor`, then
 *   `customizeObjectsFn`), `ReportStatus`;
 * - `phase_lifecycle.go` `Upgrade` (clusterctl `ProviderUpgrader().ApplyCustomPlan`: the contract checks of
 *   `cmd/clusterctl/client/cluster/upgrader.go` `createCustomPlan` at cluster-api v1.12.10), `Install`;
 * - `component_customizer.go` `customizeManagerContainer` (feature gates, additional args), `parseFeatureGates`,
 *   `setArgs`, `isProviderManagerDeploymentName`;
 * - `internal/controller/healthcheck/healthcheck_controller.go` `Reconcile` (the `Ready` condition from the manager
 *   Deployment's `Available` condition, only once `ProviderInstalled` is True).
 * Conditions: the operator API (`api/v1alpha2/provider_types.go` `ProviderStatus.Conditions []metav1.Condition`) and
 * `sigs.k8s.io/cluster-api/util/conditions` v1.12.10 `Set` (v1beta2-style `metav1.Condition`: no severity,
 * observedGeneration from the object, the transition time changes only with the status; `Ready` first, the others
 * alphabetically) — ported in `./status/capi-conditions` `setCondition`.
 * Not modeled: deletion, GitHub token validation, OCI pulls, `/config/clusterctl.yaml` overrides, image overrides,
 * manifest patches, the ConfigMap/Secret contents (a release is given by its metadata.yaml and the templated strings
 * of its components), the exact value of the applied-spec hash (see `appliedSpecHash`).
 */
import { createHash } from 'crypto';
import * as YAML from 'yaml';
import { major, minor, parseSemantic, type GoVersion } from './go-version';
import { findCondition, isTrue, setCondition, type Condition, type NewCondition } from './status/capi-conditions';
import { clone, generationOf, getPath, isObject, type Json } from './status/objects';
import type { KubeObject } from '../support/crd-schemas';

export const OPERATOR_API_VERSION = 'operator.cluster.x-k8s.io/v1alpha2';

// api/v1alpha2/conditions_consts.go
export const PREFLIGHT_CHECK_CONDITION = 'PreflightCheckPassed';
export const PROVIDER_INSTALLED_CONDITION = 'ProviderInstalled';
export const PROVIDER_UPGRADED_CONDITION = 'ProviderUpgraded';
/** `clusterv1.ReadyCondition` (cluster-api v1.12.10 `api/core/v1beta2`). */
export const READY_CONDITION = 'Ready';
export const REASONS = {
  MoreThanOneProviderInstanceExists: 'MoreThanOneExists',
  IncorrectVersionFormat: 'IncorrectVersionFormat',
  IncorrectCoreProviderName: 'IncorrectCoreProviderNameReason',
  FetchConfigValidationError: 'FetchConfigValidationError',
  UnknownProvider: 'UnknownProvider',
  CAPIVersionIncompatibility: 'CAPIVersionIncompatibility',
  ComponentsFetchError: 'ComponentsFetchError',
  ComponentsCustomizationError: 'ComponentsCustomizationError',
  ComponentsUpgradeError: 'ComponentsUpgradeError',
  WaitingForCoreProviderReady: 'WaitingForCoreProviderReady',
  InvalidGithubToken: 'InvalidGithubTokenError',
  NoDeploymentAvailableCondition: 'NoDeploymentAvailableConditionReason',
  DeploymentAvailable: 'DeploymentAvailable',
  UnsupportedProviderDowngrade: 'UnsupportedProviderDowngradeReason',
} as const;

// api/v1alpha2/provider_types.go and genericprovider_controller.go
export const PROVIDER_FINALIZER = 'provider.cluster.x-k8s.io';
export const APPLIED_SPEC_HASH_ANNOTATION = 'operator.cluster.x-k8s.io/applied-spec-hash';

// preflight_checks.go
export const MESSAGES = {
  moreThanOneCoreProviderInstanceExists: 'CoreProvider already exists in the cluster. Only one is allowed.',
  waitingForCoreProviderReady: 'Waiting for the CoreProvider to be installed.',
  unsupportedProviderDowngrade: 'Downgrade is not supported for provider %s',
  preflightPassed: 'All preflight checks passed',
  notPredefinedWithoutFetchConfig: 'Either Selector, OCI URL or provider URL must be provided for a not predefined provider',
  selectorAndUrl: 'Only one of Selector and URL must be provided, not both',
} as const;

/** `clusterctlv1.ProviderType`, from the provider kind (`util/util.go` `ClusterctlProviderType`). */
export type ProviderType = 'CoreProvider' | 'InfrastructureProvider' | 'BootstrapProvider' | 'ControlPlaneProvider' | 'AddonProvider'
  | 'IPAMProvider' | 'RuntimeExtensionProvider' | 'Unknown';
const CLUSTERCTL_TYPE: Record<string, string> = {
  CoreProvider: 'CoreProvider',
  InfrastructureProvider: 'InfrastructureProvider',
  BootstrapProvider: 'BootstrapProvider',
  ControlPlaneProvider: 'ControlPlaneProvider',
  AddonProvider: 'AddonProvider',
  IPAMProvider: 'IPAMProvider',
  RuntimeExtensionProvider: 'RuntimeExtensionProvider',
};
export const providerTypeOf = (p: KubeObject): ProviderType => (CLUSTERCTL_TYPE[p.kind] ?? 'Unknown') as ProviderType;

/** The `GetType()` of each wrapper (`api/v1alpha2/*_wrapper.go`), used in ConfigMap labels and cache names. */
const WRAPPER_TYPE: Record<string, string> = {
  CoreProvider: 'core',
  InfrastructureProvider: 'infrastructure',
  BootstrapProvider: 'bootstrap',
  ControlPlaneProvider: 'control-plane',
  AddonProvider: 'addon',
  IPAMProvider: 'ipam',
  RuntimeExtensionProvider: 'runtimeextension',
};

/**
 * The providers clusterctl knows without configuration (`isPredefinedProvider`): cluster-api v1.12.10
 * `cmd/clusterctl/client/config/providers_client.go` `defaults()` (name per type).
 */
export const PREDEFINED_PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  CoreProvider: ['cluster-api'],
  InfrastructureProvider: ['linode-linode', 'aws', 'azure', 'docker', 'cloudstack', 'digitalocean', 'gcp', 'tinkerbell-tinkerbell', 'metal3',
    'nested', 'oci', 'openstack', 'sidero', 'vcd', 'vsphere', 'maas', 'coxedge', 'byoh', 'harvester-harvester', 'hetzner',
    'hivelocity-hivelocity', 'huawei', 'outscale', 'ibmcloud', 'nutanix', 'kubekey', 'kubevirt', 'vcluster', 'virtink', 'proxmox',
    'k0sproject-k0smotron', 'ionoscloud-ionoscloud', 'vultr-vultr', 'opennebula', 'scaleway', 'metal-stack'],
  BootstrapProvider: ['kubeadm', 'kubekey-k3s', 'talos', 'microk8s', 'rke2', 'k0sproject-k0smotron', 'canonical-kubernetes'],
  ControlPlaneProvider: ['kubeadm', 'kubekey-k3s', 'talos', 'microk8s', 'nested', 'kamaji', 'rke2', 'k0sproject-k0smotron',
    'canonical-kubernetes', 'hosted-control-plane'],
  IPAMProvider: ['in-cluster', 'metal3', 'nutanix'],
  AddonProvider: ['rancher-fleet', 'helm', 'eitco-cdk8s'],
  RuntimeExtensionProvider: ['nutanix'],
};

/** The default fetch URLs of the two providers this project installs (same file, `defaults()`). */
export const DEFAULT_PROVIDER_URLS = {
  'cluster-api': 'https://github.com/kubernetes-sigs/cluster-api/releases/latest/core-components.yaml',
  'aws': 'https://github.com/kubernetes-sigs/cluster-api-provider-aws/releases/latest/infrastructure-components.yaml',
} as const;

/** `configclient.ClusterAPIProviderName`. */
export const CLUSTER_API_PROVIDER_NAME = 'cluster-api';
/** `contract.Version` of cluster-api v1.12.10 (`internal/contract/version.go`: `clusterv1.GroupVersion.Version`). */
export const OPERATOR_CONTRACT_VERSION = 'v1beta2';

// ---------------------------------------------------------------------------------------------------------------------
// Releases read from the mirrors.

/**
 * kubernetes-sigs/cluster-api v1.14.0 `metadata.yaml` (release series, newest first as in the file; the comment header
 * is left out).
 */
export const CAPI_V1_14_0_METADATA = `apiVersion: clusterctl.cluster.x-k8s.io/v1alpha3
kind: Metadata
releaseSeries:
${[14, 13, 12, 11].map((m) => `  - major: 1\n    minor: ${m}\n    contract: v1beta2\n`).join('')}${
  [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((m) => `  - major: 1\n    minor: ${m}\n    contract: v1beta1\n`).join('')}`;

/** kubernetes-sigs/cluster-api-provider-aws v2.11.1 `metadata.yaml`. */
export const CAPA_V2_11_1_METADATA = `apiVersion: clusterctl.cluster.x-k8s.io/v1alpha3
kind: Metadata
releaseSeries:
  - major: 0
    minor: 4
    contract: v1alpha2
  - major: 0
    minor: 5
    contract: v1alpha3
  - major: 0
    minor: 6
    contract: v1alpha3
  - major: 0
    minor: 7
    contract: v1alpha4
${[0, 1, 2, 3, 4, 5].map((m) => `  - major: 1\n    minor: ${m}\n    contract: v1beta1\n`).join('')}${
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((m) => `  - major: 2\n    minor: ${m}\n    contract: v1beta1\n`).join('')}`;

/** kubernetes-sigs/cluster-api v1.14.0 `core/config/manager/manager.yaml`, the `manager` container's args, verbatim. */
export const CAPI_V1_14_0_MANAGER_ARGS: readonly string[] = [
  '--leader-elect',
  '--diagnostics-address=${CAPI_DIAGNOSTICS_ADDRESS:=:8443}',
  '--insecure-diagnostics=${CAPI_INSECURE_DIAGNOSTICS:=false}',
  '--feature-gates=MachinePool=${EXP_MACHINE_POOL:=true},ClusterTopology=${CLUSTER_TOPOLOGY:=false},RuntimeSDK=${EXP_RUNTIME_SDK:=false},'
    + 'MachineSetPreflightChecks=${EXP_MACHINE_SET_PREFLIGHT_CHECKS:=true},'
    + 'MachineWaitForVolumeDetachConsiderVolumeAttachments=${EXP_MACHINE_WAITFORVOLUMEDETACH_CONSIDER_VOLUMEATTACHMENTS:=true},'
    + 'PriorityQueue=${EXP_PRIORITY_QUEUE:=true},ReconcilerRateLimiting=${EXP_RECONCILER_RATE_LIMITING:=true},'
    + 'InPlaceUpdates=${EXP_IN_PLACE_UPDATES:=false},MachineTaintPropagation=${EXP_MACHINE_TAINT_PROPAGATION:=false}',
];

/**
 * kubernetes-sigs/cluster-api-provider-aws v2.11.1 `config/manager/manager.yaml`, the `manager` container's args,
 * verbatim (no kustomize patch of `config/default` changes them).
 */
export const CAPA_V2_11_1_MANAGER_ARGS: readonly string[] = [
  '--leader-elect',
  '--feature-gates=EKS=${CAPA_EKS:=true},EKSEnableIAM=${CAPA_EKS_IAM:=false},EKSAllowAddRoles=${CAPA_EKS_ADD_ROLES:=false},'
    + 'EKSFargate=${EXP_EKS_FARGATE:=false},MachinePool=${EXP_MACHINE_POOL:=false},MachinePoolMachines=${EXP_MACHINE_POOL_MACHINES:=false},'
    + 'EventBridgeInstanceState=${EVENT_BRIDGE_INSTANCE_STATE:=false},AutoControllerIdentityCreator=${AUTO_CONTROLLER_IDENTITY_CREATOR:=true},'
    + 'BootstrapFormatIgnition=${EXP_BOOTSTRAP_FORMAT_IGNITION:=false},ExternalResourceGC=${EXTERNAL_RESOURCE_GC:=true},'
    + 'AlternativeGCStrategy=${ALTERNATIVE_GC_STRATEGY:=false},TagUnmanagedNetworkResources=${TAG_UNMANAGED_NETWORK_RESOURCES:=true},'
    + 'ROSA=${EXP_ROSA:=false}',
  '--v=${CAPA_LOGLEVEL:=0}',
  '--diagnostics-address=${CAPA_DIAGNOSTICS_ADDRESS:=:8443}',
  '--insecure-diagnostics=${CAPA_INSECURE_DIAGNOSTICS:=false}',
];

/**
 * CAPA v2.11.1 `config/default/credentials.yaml`: the `capa-manager-bootstrap-credentials` Secret's
 * `data.credentials`, a variable without default — clusterctl refuses to process the components unless it is set.
 */
export const CAPA_V2_11_1_CREDENTIALS_TEMPLATE = '${AWS_B64ENCODED_CREDENTIALS}';

/** A provider release as the operator sees it: its metadata.yaml, and the templated strings of its components. */
export interface ProviderRelease {
  readonly metadata: string;
  /** The manager Deployment's `manager` container args, before variable substitution. */
  readonly managerArgs: readonly string[];
  /** Any other templated strings of the components (they only matter for missing variables). */
  readonly otherTemplates?: readonly string[];
  /** The manager Deployment name (before the namespace is rewritten to the provider's). */
  readonly deploymentName: string;
}

/**
 * Cluster API v1.14.0 core components: Deployment `capi-controller-manager` (`core/config/default/kustomization.yaml`
 * `namePrefix: capi-` + `core/config/manager/manager.yaml` `controller-manager`).
 */
export const CAPI_V1_14_0_RELEASE: ProviderRelease = {
  metadata: CAPI_V1_14_0_METADATA, managerArgs: CAPI_V1_14_0_MANAGER_ARGS, deploymentName: 'capi-controller-manager',
};

/**
 * CAPA v2.11.1 infrastructure components: Deployment `capa-controller-manager` (`config/default/kustomization.yaml`
 * `namePrefix: capa-` + `config/manager/manager.yaml` `controller-manager`).
 */
export const CAPA_V2_11_1_RELEASE: ProviderRelease = {
  metadata: CAPA_V2_11_1_METADATA,
  managerArgs: CAPA_V2_11_1_MANAGER_ARGS,
  otherTemplates: [CAPA_V2_11_1_CREDENTIALS_TEMPLATE],
  deploymentName: 'capa-controller-manager',
};

/** Key of `OperatorWorld.releases`: `<kind>/<provider name>@<version>`. */
export const releaseKey = (kind: string, name: string, version: string): string => `${kind}/${name}@${version}`;

// ---------------------------------------------------------------------------------------------------------------------
// clusterctl metadata (cluster-api v1.12.10 `cmd/clusterctl/api/v1alpha3/metadata_type.go`).

export interface ReleaseSeries {
  readonly major: number;
  readonly minor: number;
  readonly contract: string;
}

/** Decodes a metadata.yaml; throws on malformed input (the operator's `runtime.DecodeInto` error). */
export function parseMetadata(yaml: string): ReleaseSeries[] {
  const doc = YAML.parse(yaml) as unknown;
  if (!isObject(doc)) {
    throw new Error('Object \'Kind\' is missing');
  }
  const series = Array.isArray(doc.releaseSeries) ? doc.releaseSeries : [];
  return series.filter(isObject).map((s) => ({
    major: typeof s.major === 'number' ? s.major : 0,
    minor: typeof s.minor === 'number' ? s.minor : 0,
    contract: typeof s.contract === 'string' ? s.contract : '',
  }));
}

/** `Metadata.GetReleaseSeriesForVersion`: the first series with the version's major and minor. */
export function getReleaseSeriesForVersion(series: readonly ReleaseSeries[], version: GoVersion): ReleaseSeries | undefined {
  return series.find((s) => major(version) === s.major && minor(version) === s.minor);
}

/** `validateRepoCAPIVersion`: the contract of `version`, or throws the operator's error. */
export function validateRepoCAPIVersion(providerName: string, version: string, metadataYaml: string): string {
  let series: ReleaseSeries[];
  try {
    series = parseMetadata(metadataYaml);
  } catch (e) {
    throw new Error(`error decoding "metadata.yaml" for provider "${providerName}": ${(e as Error).message}`);
  }
  let target: GoVersion;
  try {
    target = parseSemantic(version);
  } catch (e) {
    throw new Error(`failed to parse current version for the ${providerName} provider: ${(e as Error).message}`);
  }
  const releaseSeries = getReleaseSeriesForVersion(series, target);
  if (releaseSeries === undefined) {
    throw new Error(`invalid provider metadata: version ${version} for the provider ${providerName} does not match any release series`);
  }
  if (releaseSeries.contract !== 'v1beta1' && releaseSeries.contract !== 'v1beta2') {
    throw new Error(`CAPI operator is only compatible with ${OPERATOR_CONTRACT_VERSION} providers, detected ${releaseSeries.contract} for provider ${providerName}.`);
  }
  return releaseSeries.contract;
}

/** `getLatestVersion` (phase_load.go): the highest version, with a `v` prefix. */
export function getLatestVersion(versions: readonly string[]): string {
  if (versions.length === 0) {
    throw new Error('no versions available');
  }
  let latest = parseSemantic(versions[0]);
  for (const v of versions) {
    const parsed = parseSemantic(v);
    if (compareSemantic(latest, parsed) < 0) {
      latest = parsed;
    }
  }
  return `v${latest.components.join('.')}${latest.preRelease ? `-${latest.preRelease}` : ''}${latest.buildMetadata ? `+${latest.buildMetadata}` : ''}`;
}

function compareSemantic(a: GoVersion, b: GoVersion): number {
  for (let i = 0; i < 3; i++) {
    if (a.components[i] !== b.components[i]) {
      return a.components[i] - b.components[i];
    }
  }
  if (a.preRelease === b.preRelease) {
    return 0;
  }
  if (a.preRelease === '') {
    return 1;
  }
  if (b.preRelease === '') {
    return -1;
  }
  return a.preRelease < b.preRelease ? -1 : 1;
}

/** `contract.GetCompatibleVersions` (cluster-api v1.12.10 `internal/contract/version.go`). */
export const compatibleContracts = (contract: string): string[] => (contract === 'v1beta2' ? ['v1beta2', 'v1beta1'] : [contract]);

// ---------------------------------------------------------------------------------------------------------------------
// clusterctl variable substitution: cluster-api v1.12.10 `cmd/clusterctl/client/yamlprocessor/simple_processor.go`
// `Process` on github.com/drone/envsubst/v2 v2.0.0-20210730161058-179042472c46 (`parse/parse.go`, `parse/scan.go`,
// `template.go` `lookupFunc`, `funcs.go` `toDefault`).

type Piece = { text: string } | { param: string; op: string; args: Piece[] };

const IDENT = /[\p{L}\p{N}_-]/u;

/** drone/envsubst `parse.Parse` for the forms clusterctl templates use; anything else is a bad substitution. */
function parseTemplate(s: string): Piece[] {
  let pos = 0;
  const bad = () => new Error('bad substitution');
  const parseFunc = (): Piece => {
    let name = '';
    while (pos < s.length && IDENT.test(s[pos])) {
      name += s[pos++];
    }
    if (name === '') {
      throw bad();
    }
    if (pos >= s.length) {
      throw bad();
    }
    if (s[pos] === '}') {
      pos++;
      return { param: name, op: '', args: [] };
    }
    let op: string;
    if (s[pos] === '=') {
      op = '=';
      pos++;
    } else if (s[pos] === ':' && ['=', '-', '?', '+'].includes(s[pos + 1])) {
      op = s.slice(pos, pos + 2);
      pos += 2;
    } else {
      // substring, casing, replace and remove functions: not used by provider components.
      throw new Error(`unsupported substitution \${${name}${s[pos] ?? ''}...}`);
    }
    const args: Piece[] = [];
    for (;;) {
      if (pos >= s.length) {
        throw bad();
      }
      if (s[pos] === '}') {
        pos++;
        return { param: name, op, args };
      }
      if (s.startsWith('${', pos)) {
        pos += 2;
        args.push(parseFunc());
        continue;
      }
      let text = '';
      while (pos < s.length && s[pos] !== '}' && !s.startsWith('${', pos)) {
        text += s[pos++];
      }
      args.push({ text });
    }
  };
  const out: Piece[] = [];
  let text = '';
  while (pos < s.length) {
    if (s.startsWith('${', pos)) {
      if (text) {
        out.push({ text });
        text = '';
      }
      pos += 2;
      out.push(parseFunc());
    } else if (s.startsWith('$$', pos) || s.startsWith('\\\\', pos) || s.startsWith('\\/', pos)) {
      // scanEscaped: `$$` -> `$`, `\\` -> `\`, `\/` -> `/`.
      text += s[pos + 1];
      pos += 2;
    } else {
      text += s[pos++];
    }
  }
  if (text) {
    out.push({ text });
  }
  return out;
}

/** `inspectVariables`/`traverse`: top-level variables with their default text (`''` when required). */
function inspectVariables(pieces: readonly Piece[], into: Map<string, string>): void {
  for (const p of pieces) {
    if ('param' in p && !into.has(p.param)) {
      into.set(p.param, p.args.map((a) => ('text' in a ? a.text : `\${${a.param}}`)).join(''));
    }
  }
}

function evaluate(pieces: readonly Piece[], lookup: (name: string) => string | undefined): string {
  return pieces.map((p) => {
    if ('text' in p) {
      return p.text;
    }
    const value = lookup(p.param) ?? '';
    const args = p.args.map((a) => evaluate([a], lookup));
    // lookupFunc: every default-style operator is `toDefault` (empty value -> the concatenated args).
    return value.length === 0 && args.length > 0 ? args.join('') : value;
  }).join('');
}

/**
 * `SimpleProcessor.Process` over several templated strings (a components file): the variables come only from the
 * provider's configSecret (the operator injects a `MemoryReader`, so neither the operator's environment nor a
 * clusterctl config file is consulted). Throws `value for variables [...] is not set...` when a variable without
 * default is missing, as clusterctl does before substituting anything.
 */
export function processTemplates(templates: readonly string[], variables: Readonly<Record<string, string>>): string[] {
  const parsed = templates.map(parseTemplate);
  const found = new Map<string, string>();
  parsed.forEach((p) => inspectVariables(p, found));
  const has = (name: string) => Object.prototype.hasOwnProperty.call(variables, name);
  const missing = [...found].filter(([name, def]) => !has(name) && def === '').map(([name]) => name).sort();
  if (missing.length > 0) {
    throw new Error(`value for variables [${missing.join(', ')}] is not set. `
      + 'Please set the value using os environment variables or the clusterctl config file');
  }
  return parsed.map((p) => evaluate(p, (name) => (has(name) ? variables[name] : undefined)));
}

// ---------------------------------------------------------------------------------------------------------------------
// component_customizer.go

/** `parseFeatureGates`: the first `--feature-gates=` arg; a gate is true only when its value is exactly `true`. */
export function parseFeatureGates(args: readonly string[]): Map<string, boolean> {
  const gates = new Map<string, boolean>();
  const arg = args.find((a) => a.startsWith('--feature-gates='));
  if (arg === undefined) {
    return gates;
  }
  for (const gate of arg.slice('--feature-gates='.length).split(',')) {
    const i = gate.indexOf('=');
    if (i >= 0) {
      gates.set(gate.slice(0, i), gate.slice(i + 1) === 'true');
    }
  }
  return gates;
}

/** `setArgs`: replaces the first `name=...` arg, else appends. Returns a new list. */
export function setArgs(args: readonly string[], name: string, value: string): string[] {
  const out = [...args];
  const i = out.findIndex((a) => a.startsWith(`${name}=`));
  if (i >= 0) {
    out[i] = `${name}=${value}`;
  } else {
    out.push(`${name}=${value}`);
  }
  return out;
}

/** `isProviderManagerDeploymentName`: `ca*-controller-manager`. */
export const isProviderManagerDeploymentName = (name: string): boolean => name.startsWith('ca') && name.endsWith('-controller-manager');

/** The part of `spec.manager` this port applies. */
export interface ManagerSpec {
  readonly featureGates?: Readonly<Record<string, boolean>>;
  readonly additionalArgs?: Readonly<Record<string, string>>;
  /** Defaults to 1 in the CRD (`+kubebuilder:default=1`); any other value adds `--v=<n>`. */
  readonly verbosity?: number;
}

/**
 * The feature-gate, verbosity and additional-args part of `customizeManagerContainer`: gates from the manifest,
 * overridden by `featureGates`, sorted as `name=bool` strings; nothing changes when `featureGates` is empty.
 * Throws `arg "<k>" already exists` for an additional arg already present.
 */
export function customizeManagerArgs(args: readonly string[], manager: ManagerSpec): string[] {
  let out = [...args];
  const verbosity = manager.verbosity ?? 1;
  if (verbosity !== 1) {
    out = setArgs(out, '--v', String(verbosity));
  }
  const userGates = Object.entries(manager.featureGates ?? {});
  if (userGates.length > 0) {
    const merged = parseFeatureGates(out);
    for (const [fg, val] of userGates) {
      merged.set(fg, val);
    }
    const fgValue = [...merged].map(([fg, val]) => `${fg}=${String(val)}`).sort(goStringLess);
    out = setArgs(out, '--feature-gates', fgValue.join(','));
  }
  for (const [k, v] of Object.entries(manager.additionalArgs ?? {})) {
    if (out.some((a) => a.startsWith(`${k}=`))) {
      throw new Error(`arg "${k}" already exists`);
    }
    out = setArgs(out, k, v);
  }
  return out;
}

/** Go's `sort.Strings` order (byte-wise). */
const goStringLess = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The manager container's args the controller runs with: the release's raw args through clusterctl variable
 * substitution (variables from the configSecret), then the operator's customization from `spec.manager`.
 */
export function effectiveManagerArgs(rawArgs: readonly string[], variables: Readonly<Record<string, string>>, manager?: ManagerSpec): string[] {
  const processed = processTemplates(rawArgs, variables);
  return manager === undefined ? processed : customizeManagerArgs(processed, manager);
}

/** The feature gates a controller with these args runs with (the parsed `--feature-gates` arg). */
export function effectiveFeatureGates(rawArgs: readonly string[], variables: Readonly<Record<string, string>>,
  manager?: ManagerSpec): Record<string, boolean> {
  return Object.fromEntries(parseFeatureGates(effectiveManagerArgs(rawArgs, variables, manager)));
}

// ---------------------------------------------------------------------------------------------------------------------
// The world around one provider.

/** The provider's manager Deployment as the health check reads it. */
export interface ManagerDeploymentState {
  /** The Deployment's `Available` condition; undefined when it has none yet. */
  readonly available?: { readonly status: 'True' | 'False' | 'Unknown'; readonly reason?: string; readonly message?: string };
}

export interface OperatorWorld {
  /** Every provider object in the cluster (the reconciled one may be included; it is matched by kind/namespace/name). */
  readonly providers: readonly KubeObject[];
  /** Secrets by `<namespace>/<name>`, data decoded. */
  readonly secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Releases by `releaseKey(kind, name, version)`. */
  readonly releases?: Readonly<Record<string, ProviderRelease>>;
  /** `repo.DefaultVersion()` of the provider's GitHub repository (the latest release), used when spec.version is empty. */
  readonly latestVersion?: string;
  /** The error reading the release from GitHub (e.g. a rate limit or a missing release asset). */
  readonly fetchError?: string;
  /** The error creating the components in the cluster (Install phase). */
  readonly installError?: string;
  /** The provider's manager Deployment; undefined while it does not exist. */
  readonly deployment?: ManagerDeploymentState;
  /** Overrides `ProviderTypeMapper` (upstream tests inject one). */
  readonly mapper?: (p: KubeObject) => ProviderType;
}

/** What one `Reconcile` returned. */
export interface ReconcileOutcome {
  readonly provider: KubeObject;
  /** The error returned to controller-runtime (requeue with backoff); undefined when none. */
  readonly error?: string;
  /** The last phase that ran. */
  readonly phase: string;
}

class PhaseError extends Error {
  public constructor(message: string, public readonly reason: string, public readonly conditionType: string) {
    super(message);
  }
}

const WAIT_FOR_CORE = new Error(MESSAGES.waitingForCoreProviderReady);

const specObj = (p: KubeObject): Json => (isObject(p.spec) ? p.spec : {});
const versionOf = (p: KubeObject): string => (typeof specObj(p).version === 'string' ? specObj(p).version as string : '');
const installedVersionOf = (p: KubeObject): string | undefined => getPath(p, 'status', 'installedVersion') as string | undefined;
const conditionsOf = (p: KubeObject): Condition[] => (getPath(p, 'status', 'conditions') as Condition[] | undefined) ?? [];
const fetchConfigOf = (p: KubeObject): Json | undefined => (isObject(specObj(p).fetchConfig) ? specObj(p).fetchConfig as Json : undefined);
const configSecretOf = (p: KubeObject): { name: string; namespace?: string } | undefined =>
  (isObject(specObj(p).configSecret) ? specObj(p).configSecret as { name: string; namespace?: string } : undefined);

function setStatusCondition(p: KubeObject, c: NewCondition, now: string): void {
  const status = (isObject(p.status) ? p.status : (p.status = {})) as Json;
  status.conditions = setCondition(conditionsOf(p), c, now, generationOf(p));
}

/** `setPreflightFailed`. */
function setPreflightFailed(p: KubeObject, reason: string, message: string, now: string): Error {
  setStatusCondition(p, { type: PREFLIGHT_CHECK_CONDITION, status: 'False', reason, message }, now);
  return new Error(message);
}

/** The configSecret's data (`initReaderVariables`); the namespace defaults to the provider's only in the hash. */
function secretData(p: KubeObject, world: OperatorWorld): Record<string, string> | undefined {
  const ref = configSecretOf(p);
  if (ref === undefined) {
    return {};
  }
  return world.secrets?.[`${ref.namespace ?? ''}/${ref.name}`];
}

/** `preflightChecks`; returns the error (undefined when the checks passed). */
export function preflightChecks(provider: KubeObject, world: OperatorWorld, now: string): Error | undefined {
  const mapper = world.mapper ?? providerTypeOf;
  const spec = specObj(provider);
  const version = versionOf(provider);
  if (version !== '') {
    let target: GoVersion;
    try {
      target = parseSemantic(version);
    } catch (e) {
      return setPreflightFailed(provider, REASONS.IncorrectVersionFormat, (e as Error).message, now);
    }
    const installed = installedVersionOf(provider);
    if (installed !== undefined && installed !== '') {
      let current: GoVersion;
      try {
        current = parseSemantic(installed);
      } catch {
        return new Error(`installed version contains invalid value for provider "${provider.metadata.name}"`);
      }
      if (major(target) < major(current) || (major(target) === major(current) && minor(target) < minor(current))) {
        // upstream formats nothing into the %s of unsupportedProviderDowngradeMessage.
        return setPreflightFailed(provider, REASONS.UnsupportedProviderDowngrade, MESSAGES.unsupportedProviderDowngrade, now);
      }
    }
  }
  const type = mapper(provider);
  if (type === 'CoreProvider' && provider.metadata.name !== CLUSTER_API_PROVIDER_NAME) {
    return setPreflightFailed(provider, REASONS.IncorrectCoreProviderName,
      `Incorrect CoreProvider name: ${provider.metadata.name}. It should be ${CLUSTER_API_PROVIDER_NAME}`, now);
  }
  const fetchConfig = fetchConfigOf(provider);
  const predefined = (PREDEFINED_PROVIDERS[type] ?? []).includes(provider.metadata.name);
  if (!predefined && (fetchConfig === undefined || (fetchConfig.selector === undefined && !fetchConfig.url && !fetchConfig.oci))) {
    return setPreflightFailed(provider, REASONS.FetchConfigValidationError, MESSAGES.notPredefinedWithoutFetchConfig, now);
  }
  if (fetchConfig !== undefined && fetchConfig.selector !== undefined && fetchConfig.url) {
    return setPreflightFailed(provider, REASONS.FetchConfigValidationError, MESSAGES.selectorAndUrl, now);
  }
  if (spec.configSecret !== undefined) {
    const ref = configSecretOf(provider)!;
    const data = secretData(provider, world);
    if (data === undefined) {
      return new Error(`failed to get providers secret: secrets "${ref.name}" not found`);
    }
    // A `github-token` key would be validated against the GitHub API here (InvalidGithubTokenError): not modeled.
  }
  // providerList: the objects of the same kind as the reconciled provider.
  for (const p of world.providers.filter((o) => o.kind === provider.kind)) {
    if (p.metadata.namespace === provider.metadata.namespace && p.metadata.name === provider.metadata.name) {
      continue;
    }
    if (type === 'CoreProvider' && mapper(p) === 'CoreProvider') {
      return setPreflightFailed(provider, REASONS.MoreThanOneProviderInstanceExists, MESSAGES.moreThanOneCoreProviderInstanceExists, now);
    }
    if (mapper(p) !== 'CoreProvider' && p.metadata.name === provider.metadata.name && mapper(p) === type) {
      // upstream passes (name, namespace) to "There is already a %s with name %s in the cluster."
      return setPreflightFailed(provider, REASONS.MoreThanOneProviderInstanceExists,
        `There is already a ${p.metadata.name} with name ${p.metadata.namespace ?? ''} in the cluster. Only one is allowed.`, now);
    }
  }
  if (type !== 'CoreProvider') {
    // coreProviderIsReady over every provider list (`listProviders`).
    const ready = world.providers.some((p) => mapper(p) === 'CoreProvider' && isTrue(conditionsOf(p), READY_CONDITION));
    if (!ready) {
      setPreflightFailed(provider, REASONS.WaitingForCoreProviderReady, MESSAGES.waitingForCoreProviderReady, now);
      return WAIT_FOR_CORE;
    }
  }
  setStatusCondition(provider, { type: PREFLIGHT_CHECK_CONDITION, status: 'True', reason: 'PreflightChecksPassed', message: MESSAGES.preflightPassed }, now);
  return undefined;
}

/** `ProviderLabels`: the labels of the ConfigMap holding a downloaded release. */
export function providerLabels(provider: KubeObject): Record<string, string> {
  return {
    'provider.cluster.x-k8s.io/version': versionOf(provider),
    'provider.cluster.x-k8s.io/type': WRAPPER_TYPE[provider.kind] ?? '',
    'provider.cluster.x-k8s.io/name': provider.metadata.name,
    'managed-by.operator.cluster.x-k8s.io': 'true',
    ...(fetchConfigOf(provider)?.oci ? { 'provider.cluster.x-k8s.io/source': 'oci' } : {}),
  };
}

/** `TemplateManifestsConfigMap` name: `<type>-<name>-<version>`. */
export const manifestsConfigMapName = (provider: KubeObject): string => `${WRAPPER_TYPE[provider.kind]}-${provider.metadata.name}-${versionOf(provider)}`;

/** `ProviderCacheName`: `<type>-<name>-<version>-cache`. */
export const providerCacheName = (provider: KubeObject): string => `${manifestsConfigMapName(provider)}-cache`;

/**
 * Stand-in for the applied-spec hash (`providerHash` + cache Secret data + `/config/clusterctl.yaml`): a sha256 of the
 * spec and the configSecret data. Upstream's value differs (Go JSON of the typed spec and the cache's manifests); what
 * is kept is that it changes exactly when the spec or the secret data change.
 */
export function appliedSpecHash(provider: KubeObject, world: OperatorWorld): string {
  const data = secretData(provider, world) ?? {};
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => goStringLess(a, b)));
  return createHash('sha256').update(JSON.stringify(specObj(provider))).update(JSON.stringify(sorted)).digest('hex');
}

/**
 * The manager Deployment the operator installs for a provider: the release's Deployment name (from the provider's
 * kustomize `namePrefix`), in the provider's namespace (clusterctl `NewComponents` moves every namespaced object to
 * `ComponentsOptions.TargetNamespace` = the provider's namespace, phase_load.go `Load`). Owned by the provider object
 * (`customizeObjectsFn` adds the owner reference the health check follows).
 */
export function providerDeployment(provider: KubeObject, release?: ProviderRelease): { name: string; namespace: string } {
  const name = release?.deploymentName
    ?? (provider.kind === 'CoreProvider' ? CAPI_V1_14_0_RELEASE.deploymentName
      : provider.kind === 'InfrastructureProvider' && provider.metadata.name === 'aws' ? CAPA_V2_11_1_RELEASE.deploymentName : undefined);
  if (name === undefined) {
    throw new Error(`no known manager Deployment for ${provider.kind} ${provider.metadata.name}`);
  }
  return { name, namespace: provider.metadata.namespace ?? 'default' };
}

/** The clusterctl `ManifestLabel`/`InstanceName` of a provider (`cmd/clusterctl/api/v1alpha3/provider_type.go`). */
function instanceName(p: KubeObject): string {
  const prefix: Record<string, string> = {
    CoreProvider: '',
    InfrastructureProvider: 'infrastructure-',
    BootstrapProvider: 'bootstrap-',
    ControlPlaneProvider: 'control-plane-',
    AddonProvider: 'addon-',
    IPAMProvider: 'ipam-',
    RuntimeExtensionProvider: 'runtime-extension-',
  };
  return `${p.metadata.namespace ?? ''}/${prefix[p.kind] ?? ''}${p.metadata.name}`;
}

function contractOf(world: OperatorWorld, p: KubeObject, version: string): string {
  const release = world.releases?.[releaseKey(p.kind, p.metadata.name, version)];
  if (release === undefined) {
    throw new Error(`config map repository required for validation does not exist yet for provider ${p.metadata.namespace}/${p.metadata.name}`);
  }
  const rs = getReleaseSeriesForVersion(parseMetadata(release.metadata), parseSemantic(version));
  if (rs === undefined) {
    throw new Error(`invalid provider metadata: version ${version} for the provider ${p.metadata.name} does not match any release series`);
  }
  return rs.contract;
}

/** clusterctl `ApplyCustomPlan` → `createCustomPlan` contract checks for upgrading `provider` to `next`. */
function upgradePlanError(provider: KubeObject, next: string, world: OperatorWorld): string | undefined {
  const cores = world.providers.filter((p) => p.kind === 'CoreProvider' && installedVersionOf(p));
  if (cores.length !== 1) {
    return `invalid management cluster: there must be one core provider, found ${cores.length}`;
  }
  const core = cores[0];
  const isCore = provider.kind === 'CoreProvider';
  try {
    const targetContract = contractOf(world, core, isCore ? next : installedVersionOf(core)!);
    if (targetContract !== OPERATOR_CONTRACT_VERSION) {
      return `current version of clusterctl could only upgrade the core provider to ${OPERATOR_CONTRACT_VERSION} contract version, requested ${targetContract}`;
    }
    const compatible = compatibleContracts(targetContract);
    const contract = contractOf(world, provider, next);
    if (!compatible.includes(contract)) {
      // Go ranges over a set here: the order of the contracts in this message is not deterministic upstream.
      return `unable to perform upgrade: the target version for the provider ${instanceName(provider)} implements the ${contract} contract version, `
        + `while the core provider supports ${compatible.join(', ')} contract versions`;
    }
    for (const other of world.providers.filter((p) => installedVersionOf(p) && instanceName(p) !== instanceName(provider))) {
      const c = contractOf(world, other, installedVersionOf(other)!);
      if (!compatible.includes(c)) {
        return `unable to perform upgrade: the provider ${instanceName(other)} implements the ${c} contract version, while the core provider is `
          + `getting updated to a version that supports ${compatible.join(', ')} contract versions. Please include the ${instanceName(other)} provider in the upgrade`;
      }
    }
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** The phases of `GenericProviderReconciler.reconcile` after the preflight checks; throws `PhaseError`s. */
function runInstallPhases(provider: KubeObject, world: OperatorWorld, now: string): 'done' {
  const spec = specObj(provider);
  const name = provider.metadata.name;
  const fetchConfig = fetchConfigOf(provider);
  const installedFail = (reason: string, message: string) => new PhaseError(message, reason, PROVIDER_INSTALLED_CONDITION);
  // DownloadManifests (skipped for a ConfigMap selector).
  if (fetchConfig?.selector === undefined) {
    if (spec.version === undefined || spec.version === '') {
      if (world.latestVersion === undefined) {
        throw new Error('OperatorWorld.latestVersion is needed for a provider without spec.version');
      }
      spec.version = world.latestVersion; // p.provider.SetSpec(spec): written back by the patch helper.
    }
    if (world.fetchError !== undefined) {
      throw installedFail(REASONS.ComponentsFetchError, fetchConfig?.oci
        ? world.fetchError
        : `failed to create config map for provider "${name}": failed to read metadata.yaml from the repository for provider "${name}": ${world.fetchError}`);
    }
  }
  const version = versionOf(provider);
  const release = world.releases?.[releaseKey(provider.kind, name, version)];
  if (release === undefined) {
    if (fetchConfig?.selector !== undefined) {
      throw installedFail(REASONS.ComponentsFetchError, 'no ConfigMaps found with selector '
        + Object.entries((fetchConfig.selector as Json).matchLabels as Record<string, string> ?? {}).map(([k, v]) => `${k}=${v}`).join(','));
    }
    throw new Error(`OperatorWorld.releases has no ${releaseKey(provider.kind, name, version)} and no fetchError`);
  }
  // Load
  let contract: string;
  try {
    contract = validateRepoCAPIVersion(name, version, release.metadata);
  } catch (e) {
    throw installedFail(REASONS.CAPIVersionIncompatibility, (e as Error).message);
  }
  // Fetch: variable substitution, then the manager customization.
  const variables = secretData(provider, world) ?? {};
  try {
    processTemplates([...release.managerArgs, ...(release.otherTemplates ?? [])], variables);
  } catch (e) {
    throw installedFail(REASONS.ComponentsFetchError, `failed to perform variable substitution: ${(e as Error).message}`);
  }
  if (isObject(spec.manager)) {
    try {
      effectiveManagerArgs(release.managerArgs, variables, spec.manager as ManagerSpec);
    } catch (e) {
      throw installedFail(REASONS.ComponentsCustomizationError, `failed to customize manager container: ${(e as Error).message}`);
    }
  }
  // Store: the cache Secret (not modeled as an object).
  // Upgrade
  const installed = installedVersionOf(provider);
  if (installed !== undefined && installed !== version) {
    const err = upgradePlanError(provider, version, world);
    if (err !== undefined) {
      throw new PhaseError(err, REASONS.ComponentsUpgradeError, PROVIDER_UPGRADED_CONDITION);
    }
    setStatusCondition(provider, { type: PROVIDER_UPGRADED_CONDITION, status: 'True', reason: 'ProviderUpgraded', message: 'Provider upgraded successfully' }, now);
  } else {
    // Install
    if (world.installError !== undefined) {
      throw installedFail('InstallFailed', world.installError);
    }
    setStatusCondition(provider, { type: PROVIDER_INSTALLED_CONDITION, status: 'True', reason: 'ProviderInstalled', message: 'Provider installed successfully' }, now);
  }
  // ReportStatus
  const status = provider.status as Json;
  status.contract = contract;
  status.installedVersion = version;
  // Finalize: setCacheHash on the provider.
  provider.metadata.annotations = { ...(provider.metadata.annotations ?? {}), [APPLIED_SPEC_HASH_ANNOTATION]: appliedSpecHash(provider, world) };
  return 'done';
}

/** One `GenericProviderReconciler.Reconcile` of `provider` (a copy is returned). */
export function reconcileOnce(input: KubeObject, world: OperatorWorld, now: string): ReconcileOutcome {
  const provider = clone(input);
  if (!isObject(provider.status)) {
    provider.status = {};
  }
  let error: string | undefined;
  let phase: string;
  const finalizers = (provider.metadata.finalizers as string[] | undefined) ?? [];
  if (!finalizers.includes(PROVIDER_FINALIZER)) {
    provider.metadata.finalizers = [...finalizers, PROVIDER_FINALIZER];
    phase = 'AddFinalizer';
  } else if (provider.metadata.annotations?.[APPLIED_SPEC_HASH_ANNOTATION] === appliedSpecHash(provider, world)
    && installedVersionOf(provider) === versionOf(provider)) {
    phase = 'ApplyFromCache';
  } else {
    phase = 'PreflightChecks';
    const pre = preflightChecks(provider, world, now);
    if (pre !== undefined) {
      error = pre === WAIT_FOR_CORE ? undefined : pre.message;
    } else {
      phase = 'Finalize';
      try {
        runInstallPhases(provider, world, now);
      } catch (e) {
        if (e instanceof PhaseError) {
          setStatusCondition(provider, { type: e.conditionType, status: 'False', reason: e.reason, message: e.message }, now);
        }
        error = (e as Error).message;
        phase = 'Error';
      }
    }
  }
  // deferred patchProvider: normalizeExistingConditions, observedGeneration on success.
  const status = provider.status as Json;
  if (Array.isArray(status.conditions)) {
    status.conditions = (status.conditions as Condition[]).map((c) => (c.reason ? c : { ...c, reason: c.type }));
  }
  if (error === undefined) {
    status.observedGeneration = generationOf(provider);
  }
  return { provider, error, phase };
}

/**
 * `GenericProviderHealthCheckReconciler.Reconcile` for the provider's manager Deployment (a copy is returned): nothing
 * until `ProviderInstalled` is True or while `Ready` already has the Deployment's `Available` status; then `Ready`
 * mirrors `Available` (reason defaults to `DeploymentAvailable`), or is False `NoDeploymentAvailableConditionReason`
 * when the Deployment has no `Available` condition.
 */
export function healthCheck(input: KubeObject, deployment: ManagerDeploymentState, now: string): KubeObject {
  const provider = clone(input);
  const conditions = conditionsOf(provider);
  if (!isTrue(conditions, PROVIDER_INSTALLED_CONDITION)) {
    return provider;
  }
  const available = deployment.available;
  const ready = findCondition(conditions, READY_CONDITION);
  if (ready !== undefined && available !== undefined && ready.status === available.status) {
    return provider;
  }
  setStatusCondition(provider, available !== undefined
    ? { type: READY_CONDITION, status: available.status, reason: available.reason || REASONS.DeploymentAvailable, message: available.message ?? '' }
    : { type: READY_CONDITION, status: 'False', reason: REASONS.NoDeploymentAvailableCondition, message: 'No minimum availability condition found on the provider deployment' },
  now);
  return provider;
}

/**
 * The provider after the operator has reacted to `world` at `now`: a `Reconcile` (twice when the first only added the
 * finalizer — the update re-enqueues it), then the health check when the manager Deployment exists.
 */
export function reconcileProvider(provider: KubeObject, world: OperatorWorld, now: string): KubeObject {
  let out = reconcileOnce(provider, world, now);
  if (out.phase === 'AddFinalizer') {
    out = reconcileOnce(out.provider, world, now);
  }
  return world.deployment === undefined ? out.provider : healthCheck(out.provider, world.deployment, now);
}

/** A provider object as the project synthesizes it. */
export function providerObject(kind: 'CoreProvider' | 'InfrastructureProvider', name: string, namespace: string, spec: Json,
  generation = 1): KubeObject {
  return { apiVersion: OPERATOR_API_VERSION, kind, metadata: { name, namespace, generation }, spec };
}
