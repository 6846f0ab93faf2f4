import { controlPlaneObject, controlPlaneRef, type DistCluster, type DistFleet } from './dist-fleet';
import { mergeValues } from '../_json';
import type { KubeClient } from '../kube/types';

/**
 * IAM roles for service accounts (IRSA) of a cluster, and the trust each role needs for the cluster's IAM OIDC
 * provider. CAPA creates the provider (`associateOIDCProvider`, with the `EKSEnableIAM` gate) and publishes it on the
 * control plane's status, but never touches the roles: until each role trusts the new provider, the pods that use it
 * cannot assume it. What CAPA v2.11.1 writes (`pkg/cloud/services/eks/oidc.go`, `reconcileOIDCProvider`):
 * `status.oidcProvider.arn`, the provider's ARN (`arn:aws:iam::<account>:oidc-provider/<issuer host and path>`, from
 * IAM's CreateOpenIDConnectProvider with client ID `sts.amazonaws.com`, `pkg/cloud/services/eks/iam/iam.go`), and
 * `status.oidcProvider.trustPolicy`, a boilerplate policy (`buildOIDCTrustPolicy`) whose condition key is the ARN after
 * its first `/` followed by `:sub`, with `${SERVICE_ACCOUNT_NAMESPACE}` and `${SERVICE_ACCOUNT_NAME}` left to fill in.
 */

/** The audience EKS's pod identity webhook requests tokens for, and the client ID CAPA registers on the provider. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** A Kubernetes service account. */
export interface ServiceAccountName {
  readonly namespace: string;
  readonly name: string;
}

/** One IAM role the cluster's add-ons and bundles assume through their service accounts. */
export interface ServiceAccountRole {
  readonly roleArn: string;
  /** What assumes it: `add-on aws-ebs-csi-driver`, `bundle cluster-autoscaler`. */
  readonly usedBy: readonly string[];
  /** The service accounts that assume it, as far as arlonctl knows them. */
  readonly serviceAccounts: readonly ServiceAccountName[];
  /** Users whose service account arlonctl does not know (a custom add-on, a bundle's own chart): fill them in by hand. */
  readonly unknownServiceAccounts: readonly string[];
}

/**
 * The service account of each EKS add-on that takes an IRSA role (`serviceAccountRoleArn`), as the add-on creates it:
 * - aws-ebs-csi-driver: `ebs-csi-controller-sa` in kube-system (AWS EKS user guide, "Create an Amazon EBS CSI driver
 *   IAM role"; the driver chart's `controller.serviceAccount.name`, kubernetes-sigs/aws-ebs-csi-driver);
 * - vpc-cni: `aws-node` in kube-system (AWS EKS user guide, "Configure the Amazon VPC CNI plugin to use IRSA").
 */
export const ADDON_SERVICE_ACCOUNTS: Readonly<Record<string, ServiceAccountName>> = {
  'aws-ebs-csi-driver': { namespace: 'kube-system', name: 'ebs-csi-controller-sa' },
  'vpc-cni': { namespace: 'kube-system', name: 'aws-node' },
};

/** The annotation that gives a service account its IRSA role (EKS pod identity webhook). */
export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The roles a cluster's add-ons (its control plane in dist/) and bundles (their Helm values for it) assume, by role. */
export function serviceAccountRoles(fleet: DistFleet, cluster: DistCluster): ServiceAccountRole[] {
  const roles = new Map<string, { usedBy: string[]; serviceAccounts: ServiceAccountName[]; unknown: string[] }>();
  const add = (roleArn: string, usedBy: string, account: ServiceAccountName | undefined) => {
    const entry = roles.get(roleArn) ?? roles.set(roleArn, { usedBy: [], serviceAccounts: [], unknown: [] }).get(roleArn)!;
    entry.usedBy.push(usedBy);
    if (account === undefined) {
      entry.unknown.push(usedBy);
    } else if (!entry.serviceAccounts.some((a) => a.namespace === account.namespace && a.name === account.name)) {
      entry.serviceAccounts.push(account);
    }
  };
  type Addon = { name: string; serviceAccountRoleARN?: string };
  const addons = ((controlPlaneObject(fleet, cluster)?.spec ?? {}) as { addons?: Addon[] }).addons ?? [];
  for (const addon of addons) {
    if (addon.serviceAccountRoleARN !== undefined) {
      add(addon.serviceAccountRoleARN, `add-on ${addon.name}`, ADDON_SERVICE_ACCOUNTS[addon.name]);
    }
  }
  for (const name of cluster.bundles) {
    const bundle = fleet.bundles.find((b) => b.name === name);
    if (bundle === undefined) {
      continue;
    }
    const values = mergeValues(asMap(bundle.values), asMap(bundle.clusterValues[cluster.name]));
    const autoscaler = bundle.chart === 'cluster-autoscaler' && /kubernetes\.github\.io\/autoscaler\/?$/.test(bundle.repoUrl);
    for (const { path, roleArn } of roleAnnotations(values)) {
      const account = autoscaler && path === 'rbac.serviceAccount.annotations'
        ? { namespace: bundle.namespace, name: clusterAutoscalerServiceAccount(values, bundle.releaseName ?? bundle.name, bundle.chart) }
        : undefined;
      add(roleArn, account === undefined ? `bundle ${bundle.name} (values ${path})` : `bundle ${bundle.name}`, account);
    }
  }
  return [...roles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([roleArn, e]) => ({ roleArn, usedBy: e.usedBy, serviceAccounts: e.serviceAccounts, unknownServiceAccounts: e.unknown }));
}

/**
 * The service account the cluster-autoscaler chart runs as: kubernetes/autoscaler
 * `charts/cluster-autoscaler/templates/_helpers.tpl`, `cluster-autoscaler.serviceAccountName` (with
 * `rbac.serviceAccount.create`, its `name` or the chart's full name; without it, its `name` or `default`) and
 * `cluster-autoscaler.fullname` (`fullnameOverride`, else `<release>-<name>` unless the name is the release name, the
 * name being `nameOverride` or `<cloudProvider>-<chart>`; truncated to 63 characters, trailing `-` dropped). The chart's
 * defaults: `rbac.serviceAccount.create: true`, `cloudProvider: aws`.
 */
export function clusterAutoscalerServiceAccount(values: Readonly<Record<string, unknown>>, releaseName: string, chart = 'cluster-autoscaler'): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const dns = (name: string) => name.slice(0, 63).replace(/-+$/, '');
  const account = asMap(asMap(values.rbac).serviceAccount);
  if (account.create === false) {
    return text(account.name) || 'default';
  }
  let fullname: string;
  if (text(values.fullnameOverride) !== '') {
    fullname = dns(text(values.fullnameOverride));
  } else {
    const name = text(values.nameOverride) || `${text(values.cloudProvider) || 'aws'}-${chart}`;
    fullname = dns(name !== releaseName ? `${releaseName}-${name}` : name);
  }
  return text(account.name) || fullname;
}

/** Every `eks.amazonaws.com/role-arn` under an `annotations` map of the values, with the path of that map. */
function roleAnnotations(values: Readonly<Record<string, unknown>>, path = ''): Array<{ path: string; roleArn: string }> {
  const found: Array<{ path: string; roleArn: string }> = [];
  for (const [key, value] of Object.entries(values)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (key === 'annotations' && typeof asMap(value)[ROLE_ARN_ANNOTATION] === 'string') {
      found.push({ path: at, roleArn: asMap(value)[ROLE_ARN_ANNOTATION] as string });
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      found.push(...roleAnnotations(value as Record<string, unknown>, at));
    }
  }
  return found;
}

function asMap(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** The cluster's IAM OIDC provider, as CAPA publishes it on the control plane's status. */
export type OidcProviderState =
  | { readonly ready: true; readonly arn: string; readonly issuer: string }
  | { readonly ready: false; readonly reason: string };

/**
 * The OIDC provider of a fleet cluster, from its AWSManagedControlPlane on the management cluster (found where dist/
 * says it is). The issuer is what CAPA puts in its own condition key: the ARN after its first `/`.
 */
export async function oidcProvider(client: KubeClient, cluster: DistCluster): Promise<OidcProviderState> {
  const ref = controlPlaneRef(cluster);
  if (ref === undefined) {
    return { ready: false, reason: cluster.external ? 'an external cluster: its owners manage its OIDC provider' : 'no control plane in dist/' };
  }
  const controlPlane = await client.get(ref);
  if (controlPlane === undefined) {
    return { ready: false, reason: `OIDC provider not ready yet: control plane ${ref.namespace}/${ref.name} not created yet` };
  }
  const arn = (controlPlane.status as { oidcProvider?: { arn?: string } } | undefined)?.oidcProvider?.arn;
  if (arn === undefined || arn === '') {
    const asked = (controlPlane.spec as { associateOIDCProvider?: boolean } | undefined)?.associateOIDCProvider === true;
    return {
      ready: false,
      reason: asked ? `OIDC provider not ready yet: CAPA has not written status.oidcProvider.arn on ${ref.namespace}/${ref.name} (it does once the EKS cluster is active)`
        : `OIDC provider not ready yet: control plane ${ref.namespace}/${ref.name} does not ask for one (spec.associateOIDCProvider); synthesize and sync the fleet`,
    };
  }
  return { ready: true, arn, issuer: arn.slice(arn.indexOf('/') + 1) };
}

/** An IAM trust policy statement. */
export interface TrustStatement {
  readonly Effect: 'Allow';
  readonly Principal: { readonly Federated: string };
  readonly Action: 'sts:AssumeRoleWithWebIdentity';
  readonly Condition: { readonly StringEquals: Readonly<Record<string, string | readonly string[]>> };
}

/**
 * The statement a role's trust policy needs so that `accounts` of the cluster whose provider is `provider` may
 * assume it: CAPA's boilerplate with the service accounts filled in, and the audience pinned (AWS EKS user guide,
 * "Assign IAM roles to Kubernetes service accounts").
 */
export function trustStatement(provider: { arn: string; issuer: string }, accounts: readonly ServiceAccountName[]): TrustStatement {
  const subjects = accounts.map((a) => `system:serviceaccount:${a.namespace}:${a.name}`);
  return {
    Effect: 'Allow',
    Principal: { Federated: provider.arn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: {
        [`${provider.issuer}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
        [`${provider.issuer}:aud`]: STS_AUDIENCE,
      },
    },
  };
}
