import { toGenerated } from './_enum';
import { stableJson } from '../_json';
import * as l1 from '../l1';
import { ControlPlaneLog, type EksNetworkOptions } from '../eks/eks-spec-props';
import type { ResolvedEksSpec } from '../eks/resolve';

/** The `AWSManagedControlPlane` spec for a resolved EKS spec. Only what the spec sets is emitted; CAPA defaults the rest. */
export function controlPlaneSpec(spec: ResolvedEksSpec, eksClusterName: string): l1.AwsManagedControlPlaneSpec {
  const logs = new Set(spec.controlPlaneLogging);
  return {
    eksClusterName,
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
