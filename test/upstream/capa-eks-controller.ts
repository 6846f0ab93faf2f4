/**
 * What CAPA's EKS controllers ask of AWS for the objects stored on the management cluster: ports of
 * kubernetes-sigs/cluster-api-provider-aws v2.11.1
 * - `pkg/cloud/services/eks/cluster.go`: `createCluster` (version via `parseEKSVersion`/`versionToEKS`, access
 *   config, upgrade policy) and `makeVpcConfig` (at least two subnets in two zones, public CIDRs);
 * - `pkg/cloud/services/eks/oidc.go`: `reconcileOIDCProvider` (fails every reconcile without `EKSEnableIAM`);
 * - `pkg/cloud/services/eks/nodegroup.go`: `scalingConfig`, `createNodegroup` (no `Version`, no `ReleaseVersion`: EKS
 *   picks both), the replica hand-over in `reconcileNodegroup`, the scaling decision of `reconcileNodegroupConfig`, and
 *   `reconcileNodegroupVersion` (one UpdateNodegroupVersion per reconcile: launch template version, else the next
 *   minor while the node group is below the MachinePool's version, else `amiVersion` while it runs another release);
 * - `main.go` and `config/manager/manager.yaml`: the managed machine pool controller and webhook run only with the
 *   `MachinePool` gate, which clusterctl installs off (`MachinePool=${EXP_MACHINE_POOL:=false}`), as it does
 *   `EKSEnableIAM=${CAPA_EKS_IAM:=false}`.
 * Subnets of a CAPA-managed VPC: CAPA spreads them over `availabilityZoneUsageLimit` zones (CRD default 3); regions
 * are assumed to have at least that many.
 */
import type { ManagedControlPlane } from './capa-controlplane-webhook';
import type { ManagedMachinePool } from './capa-machinepool-webhook';
import type { MachinePool } from './capi-machinepool-webhook';
import { REPLICAS_MANAGED_BY_ANNOTATION } from './capi-machinepool-webhook';
import type { CreateClusterRequest, CreateNodegroupRequest } from './eks-api';
import { major, minor, parseEksVersion } from './go-version';

/** CAPA feature gates the EKS path depends on. */
export interface CapaFeatureGates {
  readonly EKSEnableIAM: boolean;
  readonly MachinePool: boolean;
}

/** As `clusterctl init --infrastructure aws` installs CAPA v2.11.1 without any variable set. */
export const CAPA_CLUSTERCTL_DEFAULT_GATES: CapaFeatureGates = { EKSEnableIAM: false, MachinePool: false };

/** `versionToEKS(parseEKSVersion(v))`: the `major.minor` CAPA sends. */
export function eksVersion(spec: string): string {
  const v = parseEksVersion(spec);
  return `${major(v)}.${minor(v)}`;
}

/** The CreateCluster request CAPA builds from a stored control plane. */
export function createClusterRequest(cp: ManagedControlPlane): CreateClusterRequest {
  const spec = cp.spec;
  const vpc = spec.network?.vpc ?? {};
  // An existing VPC's subnets are listed by ID; their zones are looked up in AWS, which the library requires to be two or more.
  const subnetZones = (vpc.id ?? '') !== '' ? Math.min(2, (spec.network?.subnets ?? []).length) : Number(vpc.availabilityZoneUsageLimit ?? 3);
  const access = (spec.endpointAccess ?? {}) as { public?: boolean; private?: boolean; publicCIDRs?: string[] };
  return {
    name: spec.eksClusterName ?? '',
    version: spec.version === undefined ? undefined : eksVersion(spec.version),
    subnetZones,
    endpointPublicAccess: access.public ?? true,
    endpointPrivateAccess: access.private ?? false,
    publicAccessCidrs: access.publicCIDRs ?? [],
    authenticationMode: spec.accessConfig?.authenticationMode,
  };
}

/** Errors CAPA's control plane reconcile returns on every pass, for reasons in the object itself. */
export function controlPlaneReconcileErrors(cp: ManagedControlPlane, gates: CapaFeatureGates): string[] {
  return cp.spec.associateOIDCProvider === true && !gates.EKSEnableIAM
    ? ['\'AssociateOIDCProvider\' provided without enabling the \'EKSEnableIAM\' feature flag'] : [];
}

/**
 * `scalingConfig`: desired = MachinePool replicas (1 when unset); min and max from the managed pool. Upstream reads
 * `MinSize` whenever `MaxSize` is set, so a max without a min is a nil dereference in the controller.
 */
export function scalingConfig(mp: MachinePool, mmp: ManagedMachinePool): { desiredSize: number; minSize?: number; maxSize?: number } {
  const desiredSize = mp.spec.replicas ?? 1;
  const scaling = mmp.spec.scaling;
  if (scaling === undefined) {
    return { desiredSize };
  }
  if (scaling.maxSize !== undefined && scaling.minSize === undefined) {
    throw new Error('CAPA scalingConfig dereferences scaling.minSize whenever scaling.maxSize is set (nil pointer)');
  }
  return { desiredSize, maxSize: scaling.maxSize, minSize: scaling.maxSize !== undefined ? scaling.minSize : undefined };
}

/** The CreateNodegroup request CAPA builds; EKS creates the group at the control plane's version. */
export function createNodegroupRequest(mp: MachinePool, mmp: ManagedMachinePool, controlPlaneVersion: string): CreateNodegroupRequest {
  const scaling = scalingConfig(mp, mmp);
  return {
    nodegroupName: mmp.spec.eksNodegroupName ?? '',
    ...scaling,
    amiType: mmp.spec.amiType,
    instanceTypes: mmp.spec.instanceType === undefined ? [] : [mmp.spec.instanceType],
    kubernetesVersion: controlPlaneVersion,
  };
}

/** `annotations.ReplicasManagedByExternalAutoscaler`: the annotation is present and not "false". */
export function replicasManagedByAutoscaler(mp: MachinePool): boolean {
  const value = mp.metadata.annotations?.[REPLICAS_MANAGED_BY_ANNOTATION];
  return value !== undefined && value !== 'false';
}

/**
 * One reconcile of an existing node group whose desired size is `nodegroup.desiredSize` (e.g. set by cluster-autoscaler):
 * the replica hand-over of `reconcileNodegroup`, then `reconcileNodegroupConfig`'s scaling decision. Returns the
 * MachinePool replicas afterwards and the scaling config CAPA sends with `UpdateNodegroupConfig`, if any: whenever the
 * replicas differ from the desired size, or min or max differ from the spec, the whole `scalingConfig()` goes, the
 * current desired size included and unclamped (kubernetes-sigs/cluster-api-provider-aws#5746).
 */
export function reconcileNodegroupScaling(
  mp: MachinePool, mmp: ManagedMachinePool, nodegroup: { desiredSize: number; minSize: number; maxSize: number },
): { machinePoolReplicas: number | undefined; scalingConfig?: { desiredSize: number; minSize?: number; maxSize?: number } } {
  const replicas = replicasManagedByAutoscaler(mp) ? nodegroup.desiredSize : mp.spec.replicas;
  const current: MachinePool = { ...mp, spec: { ...mp.spec, replicas } };
  const scaling = mmp.spec.scaling;
  const needsUpdate = (replicas === undefined ? nodegroup.desiredSize !== 1 : replicas !== nodegroup.desiredSize)
    || (scaling !== undefined && (nodegroup.maxSize !== scaling.maxSize || nodegroup.minSize !== scaling.minSize));
  return { machinePoolReplicas: replicas, ...(needsUpdate ? { scalingConfig: scalingConfig(current, mmp) } : {}) };
}

/** What DescribeNodegroup reports of a node group's versions. */
export interface NodegroupVersions {
  /** `major.minor`. */
  readonly version: string;
  /** The AMI release it runs (`releaseVersion`). */
  readonly releaseVersion: string;
  /** `launchTemplate.version`, when it has a launch template. */
  readonly launchTemplateVersion?: string;
}

/** An UpdateNodegroupVersion request, as CAPA fills it. */
export interface UpdateNodegroupVersionRequest {
  readonly version?: string;
  readonly releaseVersion?: string;
  readonly launchTemplate?: { readonly id?: string; readonly version: string };
}

/**
 * The version fields of the CreateNodegroup request `createNodegroup` builds: none. It sets ScalingConfig, names,
 * subnets, role, labels, tags, remote access, update config, AMI type, disk, instance types, taints, capacity type,
 * launch template and repair config, and never `Version` or `ReleaseVersion`, whatever the MachinePool's version and
 * the pool's `amiVersion` say.
 */
export function createNodegroupVersionFields(_mp: MachinePool, _mmp: ManagedMachinePool): { version?: string; releaseVersion?: string } {
  return {};
}

/**
 * `reconcileNodegroupVersion`: the UpdateNodegroupVersion CAPA sends on this reconcile, or undefined. The spec
 * version is the MachinePool's `spec.template.spec.version` (`ManagedMachinePoolScope.Version`), reduced to
 * major.minor by `parseEKSVersion`; the node group is only ever moved up (`ngVersion.LessThan(specVersion)`), one
 * minor at a time (`ngVersion.WithMinor(ngVersion.Minor() + 1)`); the AMI release is compared for inequality only.
 * `statusLaunchTemplateVersion` is the AWSManagedMachinePool's `status.launchTemplateVersion`.
 */
export function reconcileNodegroupVersion(
  mp: MachinePool, mmp: ManagedMachinePool, ng: NodegroupVersions, statusLaunchTemplateVersion?: string, statusLaunchTemplateId?: string,
): UpdateNodegroupVersionRequest | undefined {
  const specVersion = (mp.spec.template?.spec?.version ?? '') === '' ? undefined : parseEksVersion(mp.spec.template!.spec!.version!);
  const ngVersion = parseEksVersion(ng.version);
  const below = specVersion !== undefined
    && (major(ngVersion) < major(specVersion) || (major(ngVersion) === major(specVersion) && minor(ngVersion) < minor(specVersion)));
  const specAMI = mmp.spec.amiVersion;
  const launchTemplateMoved = statusLaunchTemplateVersion !== undefined && statusLaunchTemplateVersion !== ng.launchTemplateVersion;
  if (launchTemplateMoved) {
    return { launchTemplate: { id: statusLaunchTemplateId, version: statusLaunchTemplateVersion } };
  }
  if (below) {
    return { version: `${major(ngVersion)}.${minor(ngVersion) + 1}` };
  }
  if (specAMI !== undefined && specAMI !== ng.releaseVersion) {
    return { releaseVersion: specAMI };
  }
  return undefined;
}
