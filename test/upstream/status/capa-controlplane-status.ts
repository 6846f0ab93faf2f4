/**
 * What CAPA v2.11.1 writes into an AWSManagedControlPlane (and its AWSManagedCluster) from the EKS cluster it
 * describes: ports of kubernetes-sigs/cluster-api-provider-aws v2.11.1
 * - `pkg/cloud/services/eks/cluster.go` `setStatus` (ready/failureMessage per EKS status; PENDING and any other status
 *   are an error after `status.version` was already set), `computeCurrentStatusVersion`, `parseClusterVersionString`,
 *   `reconcileCluster` (create, then block in `waitForClusterActive` while CREATING/UPDATING; nothing more while not
 *   ready; endpoint; `reconcileClusterVersion`: one minor per UpdateClusterVersion, `EKSControlPlaneUpdating` True),
 *   `parseEKSVersion`/`versionToEKS`;
 * - `pkg/cloud/services/eks/config.go` `reconcileKubeconfig` (`status.initialized` = true) and `oidc.go`
 *   `reconcileOIDCProvider` (an error every reconcile without the `EKSEnableIAM` gate);
 * - `pkg/cloud/services/eks/eks.go` `ReconcileControlPlane` (IAMControlPlaneRolesReady, EKSControlPlaneReady True or
 *   False/EKSControlPlaneReconciliationFailed/Error with the error, EKSAddonsConfigured, EKSIdentityProviderConfigured);
 * - `controlplane/eks/controllers/awsmanagedcontrolplane_controller.go` `Reconcile`/`reconcileNormal` (Paused through
 *   CAPA's `util/paused`, a v1beta1-format condition; the network conditions of `pkg/cloud/services/network/network.go`
 *   `ReconcileNetwork` and ClusterSecurityGroupsReady; IAMAuthenticatorConfigured; failure domains of the private
 *   subnets; the deferred v1beta1 `Ready` summary with step counter), conditions of `controlplane/eks/api/v1beta2/
 *   conditions_consts.go`;
 * - `controllers/awsmanagedcluster_controller.go` `Reconcile` (status.ready true at once; endpoint and failure domains
 *   copied from the control plane).
 * The object has no `observedGeneration` (AWSManagedControlPlaneStatus has none). Assumed to succeed without writing
 * anything else: VPC/subnet/NAT/route/security group reconciliation, addons (`status.addons` not modeled), access
 * config/entries, logging, encryption, tags, aws-node/kube-proxy, the IAM authenticator; no bastion.
 */
import { oidcProviderArn, oidcProviderStatus } from './capa-oidc';
import { bumpGenerationOnSpecChange, clone, getPath, parseTolerant, specOf, statusOf, type Json, type Semver } from './objects';
import { markFalse, markTrue, setV1Beta1, summaryV1Beta1, type V1Beta1Condition, type V1Beta1NewCondition } from './v1beta1-conditions';
import type { KubeObject } from '../../../src/kube/types';

export type EksClusterStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'FAILED' | 'PENDING';

/** What DescribeCluster returns, as far as CAPA's status depends on it. */
export interface EksCluster {
  readonly status: EksClusterStatus;
  /** `major.minor` (EKS reports the old version until an update completes). */
  readonly version?: string;
  /** `https://<id>.<suffix>.<region>.eks.amazonaws.com` once ACTIVE. */
  readonly endpoint?: string;
  /** `identity.oidc.issuer`: `https://oidc.eks.<region>.amazonaws.com/id/<id>` (by default the endpoint's id). */
  readonly oidcIssuer?: string;
}

/** A call CAPA makes to EKS during the reconcile. */
export type EksCall = { readonly op: 'CreateCluster'; readonly version?: string } | { readonly op: 'UpdateClusterVersion'; readonly version: string };

export interface ControlPlanePassInput {
  readonly controlPlane: KubeObject;
  /** What CAPA reads of the owning Cluster. */
  readonly cluster: { readonly infrastructureProvisioned: boolean; readonly paused?: boolean; readonly infrastructureKind: string };
  /** The EKS cluster; undefined when it does not exist yet (CAPA creates it: CREATING at the requested minor). */
  readonly eks?: EksCluster;
  readonly gates: { readonly EKSEnableIAM: boolean };
  /** Availability zones of the private subnets (the failure domains CAPA reports). */
  readonly zones: readonly string[];
  /** The 30-minute `--max-wait-managed-resources` wait for ACTIVE ran out (CREATING/UPDATING for that long). */
  readonly waitTimedOut?: boolean;
  readonly now: string;
}

export interface ControlPlanePassResult {
  readonly controlPlane: KubeObject;
  readonly eksCalls: readonly EksCall[];
  /** Set while the pass blocks in `waitForClusterActive` (what is stored is what `setStatus` patched). */
  readonly blocked?: boolean;
  readonly error?: string;
}

/** `parseEKSVersion` + `versionToEKS`: `major.minor`. */
export function eksMinor(raw: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(raw.trim());
  if (m === null) {
    throw new Error(`could not parse "${raw}" as version`);
  }
  return `${Number(m[1])}.${Number(m[2])}`;
}

/** `parseClusterVersionString`: unparsable or missing is 0.0.0. */
export const parseClusterVersionString = (v: string | undefined): Semver => parseTolerant(v) ?? { major: 0, minor: 0, patch: 0, pre: '' };

/** `computeCurrentStatusVersion`: the EKS `major.minor`, or the spec's patch when the minor matches and it has one. */
export function computeCurrentStatusVersion(clusterV: string | undefined, spec: Semver, current: Semver): string | undefined {
  if (current.major === 0 && current.minor === 0 && current.patch === 0 && current.pre === '') {
    return '';
  }
  if (current.major === spec.major && current.minor === spec.minor && spec.patch !== 0) {
    return `${current.major}.${current.minor}.${spec.patch}${current.pre === '' ? '' : `-${current.pre}`}`;
  }
  return clusterV;
}

const conditionsOf = (obj: KubeObject) => (statusOf(obj).conditions ?? []) as V1Beta1Condition[];
const setConditions = (obj: KubeObject, c: V1Beta1Condition[]) => { statusOf(obj).conditions = c; };

/** `setStatus`; returns its error. */
export function setControlPlaneStatus(cp: KubeObject, eks: EksCluster, now: string): string | undefined {
  const status = statusOf(cp);
  const spec = parseClusterVersionString(specOf(cp).version as string | undefined);
  const current = parseClusterVersionString(eks.version);
  status.version = computeCurrentStatusVersion(eks.version, spec, current);
  switch (eks.status) {
    case 'DELETING':
      status.ready = false;
      break;
    case 'FAILED':
      status.ready = false;
      status.failureMessage = `EKS cluster in unexpected ${eks.status} state`;
      break;
    case 'ACTIVE': {
      status.ready = true;
      delete status.failureMessage;
      const conditions = conditionsOf(cp);
      if (conditions.some((c) => c.type === 'EKSControlPlaneCreating' && c.status === 'True')) {
        setConditions(cp, markFalse(conditionsOf(cp), 'EKSControlPlaneCreating', 'created', 'Info', '', now));
      }
      if (conditions.some((c) => c.type === 'EKSControlPlaneUpdating' && c.status === 'True')) {
        setConditions(cp, markFalse(conditionsOf(cp), 'EKSControlPlaneUpdating', 'updated', 'Info', '', now));
      }
      if (specOf(cp).upgradePolicy === 'standard' && (spec.major < current.major || (spec.major === current.major && spec.minor < current.minor))) {
        status.ready = false;
        status.failureMessage = `EKS control plane ${String(specOf(cp).eksClusterName)} was automatically upgraded to version `
          + `${current.major}.${current.minor}.${current.patch} because ${spec.major}.${spec.minor}.${spec.patch} is out of standard support. `
          + 'This can be fixed by changing to the version of the AWSManagedControlPlane to the one reported in the status';
      }
      break;
    }
    case 'CREATING':
      status.ready = false;
      break;
    case 'UPDATING':
      status.ready = true;
      break;
    default:
      return `unexpected EKS cluster status ${String(eks.status)}`;
  }
  return undefined;
}

/** `reconcileClusterVersion`: the next minor when EKS runs an older one than the spec. */
export function reconcileClusterVersion(specVersion: string | undefined, eksVersion: string): string | undefined {
  if (specVersion === undefined) {
    return undefined;
  }
  const [sMajor, sMinor] = eksMinor(specVersion).split('.').map(Number);
  const [cMajor, cMinor] = eksMinor(eksVersion).split('.').map(Number);
  return cMajor < sMajor || (cMajor === sMajor && cMinor < sMinor) ? `${cMajor}.${cMinor + 1}` : undefined;
}

/** CAPA's `util/paused` `EnsurePausedCondition` (a v1beta1-format `Paused` condition); true when the pass stops there. */
export function ensureV1Beta1Paused(obj: KubeObject, clusterPaused: boolean, now: string): boolean {
  const annotated = obj.metadata.annotations?.['cluster.x-k8s.io/paused'] !== undefined;
  const messages = [...(clusterPaused ? ['Cluster spec.paused is set to true'] : []),
    ...(annotated ? [`${obj.kind} has the cluster.x-k8s.io/paused annotation`] : [])];
  const next: V1Beta1NewCondition = messages.length > 0 ? { type: 'Paused', status: 'True', reason: 'Paused', message: messages.join(', ') }
    : { type: 'Paused', status: 'False', reason: 'NotPaused' };
  const before = JSON.stringify(conditionsOf(obj));
  setConditions(obj, setV1Beta1(conditionsOf(obj), next, now));
  return messages.length > 0 || JSON.stringify(conditionsOf(obj)) !== before;
}

/** The conditions the deferred summary covers (a CAPA-managed VPC; no bastion; IPv4). */
export const CONTROL_PLANE_READY_CONDITIONS = ['EKSControlPlaneReady', 'IAMControlPlaneRolesReady', 'IAMAuthenticatorConfigured',
  'EKSAddonsConfigured', 'VpcReady', 'SubnetsReady', 'ClusterSecurityGroupsReady', 'InternetGatewayReady', 'NatGatewaysReady',
  'RouteTablesReady', 'VpcEndpointsReady'];

const NETWORK_CONDITIONS = ['VpcReady', 'SecondaryCidrsReady', 'SubnetsReady', 'InternetGatewayReady', 'CarrierGatewayReady',
  'EgressOnlyInternetGatewayReady', 'NatGatewaysReady', 'RouteTablesReady', 'VpcEndpointsReady', 'ClusterSecurityGroupsReady'];

/** One reconcile of an AWSManagedControlPlane; pure: `input` is not changed. */
export function reconcileControlPlanePass(input: ControlPlanePassInput): ControlPlanePassResult {
  const now = input.now;
  const before = input.controlPlane;
  const cp = clone(before);
  const eksCalls: EksCall[] = [];
  const done = (extra: { blocked?: boolean; error?: string } = {}, summary = true): ControlPlanePassResult => {
    if (summary) {
      setConditions(cp, setV1Beta1(conditionsOf(cp), summaryV1Beta1(conditionsOf(cp),
        { conditionTypes: CONTROL_PLANE_READY_CONDITIONS, stepCounter: true }), now));
    }
    statusOf(cp).ready ??= false;
    bumpGenerationOnSpecChange(before, cp);
    return { controlPlane: cp, eksCalls, ...extra };
  };
  if (ensureV1Beta1Paused(cp, input.cluster.paused === true, now)) {
    return done({}, false);
  }
  if (input.cluster.infrastructureKind !== 'AWSManagedControlPlane' && !input.cluster.infrastructureProvisioned) {
    return done();
  }
  for (const type of NETWORK_CONDITIONS) {
    setConditions(cp, markTrue(conditionsOf(cp), type, now));
  }
  setConditions(cp, markTrue(conditionsOf(cp), 'IAMControlPlaneRolesReady', now));
  const clusterError = (message: string) => {
    setConditions(cp, markFalse(conditionsOf(cp), 'EKSControlPlaneReady', 'EKSControlPlaneReconciliationFailed', 'Error', message, now));
    return done({ error: message });
  };
  const spec = specOf(cp);
  let eks = input.eks;
  if (eks === undefined) {
    const version = spec.version === undefined ? undefined : eksMinor(String(spec.version));
    eksCalls.push({ op: 'CreateCluster', version });
    setConditions(cp, markTrue(conditionsOf(cp), 'EKSControlPlaneCreating', now));
    eks = { status: 'CREATING', version };
  }
  const statusError = setControlPlaneStatus(cp, eks, now);
  if (statusError !== undefined) {
    return clusterError(`failed to set status: ${statusError}`);
  }
  if (eks.status === 'CREATING' || eks.status === 'UPDATING') {
    if (!input.waitTimedOut) {
      return { ...done({ blocked: true }, false), eksCalls };
    }
    return clusterError(`failed to wait for cluster to be active: failed to wait for eks control plane "${String(spec.eksClusterName)}": `
      + 'exceeded max wait time for ClusterActive waiter');
  }
  const status = statusOf(cp);
  if (status.ready === true) {
    spec.controlPlaneEndpoint = { host: eks.endpoint ?? '', port: 443 };
    status.initialized = true;
    const next = reconcileClusterVersion(spec.version as string | undefined, eks.version ?? '');
    if (next !== undefined) {
      eksCalls.push({ op: 'UpdateClusterVersion', version: next });
      setConditions(cp, markTrue(conditionsOf(cp), 'EKSControlPlaneUpdating', now));
    }
    if (spec.associateOIDCProvider === true && getPath(status, 'oidcProvider', 'arn') === undefined) {
      if (!input.gates.EKSEnableIAM) {
        return clusterError('failed reconciling OIDC provider for cluster: \'AssociateOIDCProvider\' provided without enabling the \'EKSEnableIAM\' feature flag');
      }
      // oidc.go reconcileOIDCProvider: the provider of the cluster's issuer, and CAPA's boilerplate trust policy
      status.oidcProvider = oidcProviderStatus(oidcProviderArn('111122223333', eks.oidcIssuer ?? issuerOf(eks.endpoint ?? '', String(spec.region))));
    }
  }
  for (const type of ['EKSControlPlaneReady', 'EKSAddonsConfigured', 'EKSIdentityProviderConfigured', 'IAMAuthenticatorConfigured']) {
    setConditions(cp, markTrue(conditionsOf(cp), type, now));
  }
  status.failureDomains = Object.fromEntries(input.zones.map((z) => [z, { controlPlane: true }]));
  return done();
}

/** The issuer EKS gives a cluster: `https://oidc.eks.<region>.amazonaws.com/id/<id>`, the id being its endpoint's. */
function issuerOf(endpoint: string, region: string): string {
  return `https://oidc.eks.${region}.amazonaws.com/id/${endpoint.replace(/^https:\/\//, '').split('.')[0].toUpperCase()}`;
}

/** One reconcile of an AWSManagedCluster (`controllers/awsmanagedcluster_controller.go`); pure. */
export function reconcileManagedCluster(managedCluster: KubeObject, controlPlane: KubeObject, clusterPaused: boolean, now: string): KubeObject {
  const out = clone(managedCluster);
  if (ensureV1Beta1Paused(out, clusterPaused, now)) {
    return out;
  }
  const status = statusOf(out);
  status.ready = true;
  // The patch helper diffs the typed object before and after: a zero endpoint copied onto a zero endpoint writes nothing.
  const endpoint = (getPath(controlPlane, 'spec', 'controlPlaneEndpoint') ?? {}) as Json;
  if (endpoint.host || endpoint.port) {
    specOf(out).controlPlaneEndpoint = { host: endpoint.host ?? '', port: endpoint.port ?? 0 };
  }
  const domains = getPath(controlPlane, 'status', 'failureDomains');
  if (domains === undefined) {
    delete status.failureDomains;
  } else {
    status.failureDomains = clone(domains);
  }
  bumpGenerationOnSpecChange(managedCluster, out);
  return out;
}
