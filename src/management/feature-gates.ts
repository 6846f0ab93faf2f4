/** Feature gates by name, as `--feature-gates` takes them. */
export type FeatureGates = Readonly<Record<string, boolean>>;

/** A gate of a manager's `--feature-gates` argument: the clusterctl variable that sets it, and its value when unset. */
export interface ManifestGate {
  readonly variable: string;
  readonly default: boolean;
}

/**
 * The gates of the Cluster API v1.14.0 manager, as the `--feature-gates=MachinePool=${EXP_MACHINE_POOL:=true},...`
 * argument of `core/config/manager/manager.yaml` sets them.
 */
export const CLUSTER_API_MANIFEST_GATES: Readonly<Record<string, ManifestGate>> = {
  MachinePool: { variable: 'EXP_MACHINE_POOL', default: true },
  ClusterTopology: { variable: 'CLUSTER_TOPOLOGY', default: false },
  RuntimeSDK: { variable: 'EXP_RUNTIME_SDK', default: false },
  MachineSetPreflightChecks: { variable: 'EXP_MACHINE_SET_PREFLIGHT_CHECKS', default: true },
  MachineWaitForVolumeDetachConsiderVolumeAttachments: { variable: 'EXP_MACHINE_WAITFORVOLUMEDETACH_CONSIDER_VOLUMEATTACHMENTS', default: true },
  PriorityQueue: { variable: 'EXP_PRIORITY_QUEUE', default: true },
  ReconcilerRateLimiting: { variable: 'EXP_RECONCILER_RATE_LIMITING', default: true },
  InPlaceUpdates: { variable: 'EXP_IN_PLACE_UPDATES', default: false },
  MachineTaintPropagation: { variable: 'EXP_MACHINE_TAINT_PROPAGATION', default: false },
};

/**
 * The gates of the CAPA v2.11.1 manager, as the `--feature-gates` argument of `config/manager/manager.yaml` sets them.
 * They differ from CAPA's compiled-in defaults (`feature/feature.go`, where MachinePool is on): the shipped manifest
 * turns MachinePool off (`${EXP_MACHINE_POOL:=false}`).
 */
export const CAPA_MANIFEST_GATES: Readonly<Record<string, ManifestGate>> = {
  EKS: { variable: 'CAPA_EKS', default: true },
  EKSEnableIAM: { variable: 'CAPA_EKS_IAM', default: false },
  EKSAllowAddRoles: { variable: 'CAPA_EKS_ADD_ROLES', default: false },
  EKSFargate: { variable: 'EXP_EKS_FARGATE', default: false },
  MachinePool: { variable: 'EXP_MACHINE_POOL', default: false },
  MachinePoolMachines: { variable: 'EXP_MACHINE_POOL_MACHINES', default: false },
  EventBridgeInstanceState: { variable: 'EVENT_BRIDGE_INSTANCE_STATE', default: false },
  AutoControllerIdentityCreator: { variable: 'AUTO_CONTROLLER_IDENTITY_CREATOR', default: true },
  BootstrapFormatIgnition: { variable: 'EXP_BOOTSTRAP_FORMAT_IGNITION', default: false },
  ExternalResourceGC: { variable: 'EXTERNAL_RESOURCE_GC', default: true },
  AlternativeGCStrategy: { variable: 'ALTERNATIVE_GC_STRATEGY', default: false },
  TagUnmanagedNetworkResources: { variable: 'TAG_UNMANAGED_NETWORK_RESOURCES', default: true },
  ROSA: { variable: 'EXP_ROSA', default: false },
};

/**
 * The gates a manager runs with when the operator is given `featureGates`: cluster-api-operator merges them over the
 * gates of the manifest's argument (`parseFeatureGates` and the feature-gate part of `customizeManagerContainer`,
 * `internal/controller/component_customizer.go` at v0.28.0), so gates left out keep the manifest's value.
 */
export function effectiveGates(manifest: Readonly<Record<string, ManifestGate>>, given: FeatureGates): FeatureGates {
  return { ...Object.fromEntries(Object.entries(manifest).map(([gate, g]) => [gate, g.default])), ...given };
}

/** Problems for gate names a manager does not know (a typo would be passed to it, and it would refuse to start). */
export function unknownGateProblems(option: string, manifest: Readonly<Record<string, ManifestGate>>, given: FeatureGates = {}): string[] {
  return Object.keys(given).filter((gate) => manifest[gate] === undefined)
    .map((gate) => `\`managementPlane.${option}\` names gate "${gate}", which the manager does not have (it has: ${Object.keys(manifest).join(', ')})`);
}
