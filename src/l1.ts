/**
 * The only door to the generated bindings in `imports/`: it pins the **served** apiVersion of every kind the library
 * emits under a stable name. `cdk8s import` gives the unsuffixed class name to the first version listed in a CRD,
 * and for AWSManagedControlPlane and AWSManagedMachinePool that version (v1beta1) is not served at all (STYLE.md §2.1).
 *
 * | alias                  | apiVersion                                  | CRD source               |
 * |------------------------|---------------------------------------------|--------------------------|
 * | CapiCluster            | cluster.x-k8s.io/v1beta2                    | Cluster API v1.14.0      |
 * | CapiMachinePool        | cluster.x-k8s.io/v1beta2                    | Cluster API v1.14.0      |
 * | AwsManagedCluster      | infrastructure.cluster.x-k8s.io/v1beta2     | CAPA v2.11.1             |
 * | AwsManagedControlPlane | controlplane.cluster.x-k8s.io/v1beta2       | CAPA v2.11.1             |
 * | AwsManagedMachinePool  | infrastructure.cluster.x-k8s.io/v1beta2     | CAPA v2.11.1             |
 * | ArgoApplication        | argoproj.io/v1alpha1                        | Argo CD v3.5.1           |
 * | ArgoApplicationSet     | argoproj.io/v1alpha1                        | Argo CD v3.5.1           |
 * | ArgoAppProject         | argoproj.io/v1alpha1                        | Argo CD v3.5.1           |
 * | CoreProvider           | operator.cluster.x-k8s.io/v1alpha2          | cluster-api-operator v0.28.0 |
 * | InfrastructureProvider | operator.cluster.x-k8s.io/v1alpha2          | cluster-api-operator v0.28.0 |
 */
export {
  ClusterV1Beta2 as CapiCluster,
  type ClusterV1Beta2Props as CapiClusterProps,
  type ClusterV1Beta2Spec as CapiClusterSpec,
} from '../imports/capi-cluster-cluster.x-k8s.io';
export {
  MachinePoolV1Beta2 as CapiMachinePool,
  type MachinePoolV1Beta2Props as CapiMachinePoolProps,
  type MachinePoolV1Beta2Spec as CapiMachinePoolSpec,
} from '../imports/capi-machinepool-cluster.x-k8s.io';
export {
  AwsManagedCluster,
  type AwsManagedClusterProps,
} from '../imports/capa-managedcluster-infrastructure.cluster.x-k8s.io';
export {
  AwsManagedControlPlaneV1Beta2 as AwsManagedControlPlane,
  type AwsManagedControlPlaneV1Beta2Props as AwsManagedControlPlaneProps,
  type AwsManagedControlPlaneV1Beta2Spec as AwsManagedControlPlaneSpec,
  type AwsManagedControlPlaneV1Beta2SpecAddons as AwsManagedControlPlaneAddon,
  type AwsManagedControlPlaneV1Beta2SpecNetwork as AwsManagedControlPlaneNetwork,
  AwsManagedControlPlaneV1Beta2SpecAddonsConflictResolution as AwsManagedControlPlaneAddonConflictResolution,
  AwsManagedControlPlaneV1Beta2SpecIdentityRefKind as AwsManagedControlPlaneIdentityKind,
  AwsManagedControlPlaneV1Beta2SpecUpgradePolicy as AwsManagedControlPlaneUpgradePolicy,
  AwsManagedControlPlaneV1Beta2SpecAccessConfigAuthenticationMode as AwsManagedControlPlaneAuthenticationMode,
  AwsManagedControlPlaneV1Beta2SpecAccessEntriesType as AwsManagedControlPlaneAccessEntryType,
  AwsManagedControlPlaneV1Beta2SpecAccessEntriesAccessPoliciesAccessScopeType as AwsManagedControlPlaneAccessScopeType,
} from '../imports/capa-controlplane-controlplane.cluster.x-k8s.io';
export {
  AwsManagedMachinePoolV1Beta2 as AwsManagedMachinePool,
  type AwsManagedMachinePoolV1Beta2Props as AwsManagedMachinePoolProps,
  type AwsManagedMachinePoolV1Beta2Spec as AwsManagedMachinePoolSpec,
  AwsManagedMachinePoolV1Beta2SpecAmiType as AwsManagedMachinePoolAmiType,
  AwsManagedMachinePoolV1Beta2SpecCapacityType as AwsManagedMachinePoolCapacityType,
  AwsManagedMachinePoolV1Beta2SpecTaintsEffect as AwsManagedMachinePoolTaintEffect,
} from '../imports/capa-managedmachinepool-infrastructure.cluster.x-k8s.io';
export {
  Application as ArgoApplication,
  type ApplicationProps as ArgoApplicationProps,
  type ApplicationSpec as ArgoApplicationSpec,
} from '../imports/argocd-application-argoproj.io';
export {
  ApplicationSet as ArgoApplicationSet,
  type ApplicationSetProps as ArgoApplicationSetProps,
} from '../imports/argocd-applicationset-argoproj.io';
export {
  AppProject as ArgoAppProject,
  type AppProjectProps as ArgoAppProjectProps,
  type AppProjectSpec as ArgoAppProjectSpec,
} from '../imports/argocd-appproject-argoproj.io';
export {
  CoreProvider,
  type CoreProviderSpec,
} from '../imports/capi-operator-core-operator.cluster.x-k8s.io';
export {
  InfrastructureProvider,
  type InfrastructureProviderSpec,
} from '../imports/capi-operator-infrastructure-operator.cluster.x-k8s.io';
