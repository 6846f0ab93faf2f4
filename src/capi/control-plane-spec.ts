import { toGenerated } from './_enum';
import { stableJson } from '../_json';
import { ControlPlaneLog, type EksNetworkOptions } from '../eks/eks-spec-props';
import type { ResolvedEksSpec } from '../eks/resolve';
import { CLUSTER_ADMIN_ACCESS_POLICY } from '../fleet/management-cluster';
import * as l1 from '../l1';

/** What the control plane needs beyond the cluster's spec. */
export interface ControlPlaneOptions {
  /** The EKS cluster name. */
  readonly eksClusterName: string;
  /** Whether CAPA creates an IAM OIDC provider for the cluster (IRSA). */
  readonly associateOidcProvider: boolean;
  /** IAM roles given cluster administration through EKS access entries, sorted. */
  readonly accessRoleArns: readonly string[];
}

/**
 * The EKS authentication mode of clusters with access entries. Access entries need `api` or `api_and_config_map`
 * (CAPA's webhook refuses them otherwise); `api_and_config_map` keeps the aws-auth ConfigMap working, and moving on
 * to `api` later is possible while moving back is not.
 */
export const ACCESS_ENTRY_AUTHENTICATION_MODE = 'api_and_config_map';

/** The `AWSManagedControlPlane` spec for a resolved EKS spec. Only what the spec sets is emitted; CAPA defaults the rest. */
export function controlPlaneSpec(spec: ResolvedEksSpec, options: ControlPlaneOptions): l1.AwsManagedControlPlaneSpec {
  const logs = new Set(spec.controlPlaneLogging);
  const withAccessEntries = options.accessRoleArns.length > 0;
  return {
    eksClusterName: options.eksClusterName,
    region: spec.region,
    version: spec.kubernetesVersion.controlPlaneVersion,
    addons: spec.addons.length === 0 ? undefined : spec.addons.map((addon): l1.AwsManagedControlPlaneAddon => ({
      name: addon.name,
      // Resolution has already refused an add-on without a version, so this is always defined here.
      version: addon.versionFor(spec.kubernetesVersion)!,
      configuration: addon.options.configuration === undefined ? undefined : stableJson(addon.options.configuration),
      conflictResolution: addon.options.conflictResolution === undefined ? undefined
        : toGenerated(l1.AwsManagedControlPlaneAddonConflictResolution, addon.options.conflictResolution),
      serviceAccountRoleArn: addon.options.serviceAccountRoleArn,
    })),
    network: networkSpec(spec.network),
    endpointAccess: spec.endpointAccess === undefined ? undefined : {
      public: spec.endpointAccess.public,
      private: spec.endpointAccess.private,
      publicCidRs: spec.endpointAccess.publicCidrs === undefined ? undefined : [...spec.endpointAccess.publicCidrs],
    },
    // The CRD requires all five switches once logging is set.
    logging: logs.size === 0 ? undefined : {
      apiServer: logs.has(ControlPlaneLog.API_SERVER),
      audit: logs.has(ControlPlaneLog.AUDIT),
      authenticator: logs.has(ControlPlaneLog.AUTHENTICATOR),
      controllerManager: logs.has(ControlPlaneLog.CONTROLLER_MANAGER),
      scheduler: logs.has(ControlPlaneLog.SCHEDULER),
    },
    identityRef: spec.identity === undefined ? undefined : {
      kind: toGenerated(l1.AwsManagedControlPlaneIdentityKind, spec.identity.kind),
      name: spec.identity.name,
    },
    additionalTags: Object.keys(spec.tags).length === 0 ? undefined : { ...spec.tags },
    upgradePolicy: spec.upgradePolicy === undefined ? undefined : toGenerated(l1.AwsManagedControlPlaneUpgradePolicy, spec.upgradePolicy),
    // CAPA honours it only with its EKSEnableIAM gate (pkg/cloud/services/eks/oidc.go); the cluster checks the gate first.
    associateOidcProvider: options.associateOidcProvider ? true : undefined,
    accessConfig: withAccessEntries
      ? { authenticationMode: toGenerated(l1.AwsManagedControlPlaneAuthenticationMode, ACCESS_ENTRY_AUTHENTICATION_MODE) } : undefined,
    accessEntries: withAccessEntries ? options.accessRoleArns.map((principalArn) => ({
      principalArn,
      type: l1.AwsManagedControlPlaneAccessEntryType.STANDARD,
      accessPolicies: [{ policyArn: CLUSTER_ADMIN_ACCESS_POLICY, accessScope: { type: l1.AwsManagedControlPlaneAccessScopeType.CLUSTER } }],
    })) : undefined,
  };
}

function networkSpec(network: EksNetworkOptions | undefined): l1.AwsManagedControlPlaneNetwork | undefined {
  if (network === undefined) {
    return undefined;
  }
  if (network.vpcId !== undefined) {
    return { vpc: { id: network.vpcId }, subnets: (network.subnetIds ?? []).map((id) => ({ id })) };
  }
  return { vpc: { cidrBlock: network.vpcCidr, availabilityZoneUsageLimit: network.availabilityZoneCount } };
}
