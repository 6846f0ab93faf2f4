import type { FleetNeeds } from './requirements';

/** clusterawsadm's configuration type (`cmd/clusterawsadm/api/bootstrap/v1beta1/types.go`, CAPA v2.11.1). */
export const AWS_IAM_CONFIGURATION_API_VERSION = 'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1';

/**
 * The `AWSIAMConfiguration` the fleet needs, for `clusterawsadm bootstrap iam create-cloudformation-stack --config`.
 * clusterawsadm's defaults (`SetDefaults_AWSIAMConfigurationSpec`, `defaults.go` at v2.11.1) leave EKS on but grant
 * no IAM role creation and no node group role (`managedMachinePool.disable` defaults to true), so each field the
 * fleet relies on is stated:
 * - `eks.iamRoleCreation: true` with EKSEnableIAM: CAPA creates a control plane role and node group roles per cluster
 *   and the OIDC provider, and only this grants the controllers `iam:CreateRole` and the OIDC actions;
 * - `eks.managedMachinePool.disable: false` with node pools: the default node group role
 *   (`eks-nodegroup.cluster-api-provider-aws.sigs.k8s.io`) a managed machine pool uses when CAPA creates none;
 * - `eks.defaultControlPlaneRole.disable: false`: the role a control plane uses when CAPA creates none.
 * The type has no `metadata` (TypeMeta and spec only), so none is written.
 */
export function awsIamConfiguration(needs: FleetNeeds): Record<string, unknown> {
  const nodePools = needs.kinds.has('AWSManagedMachinePool');
  return {
    apiVersion: AWS_IAM_CONFIGURATION_API_VERSION,
    kind: 'AWSIAMConfiguration',
    spec: {
      eks: {
        disable: false,
        iamRoleCreation: needs.eksEnableIam,
        defaultControlPlaneRole: { disable: false },
        managedMachinePool: { disable: !nodePools },
      },
    },
  };
}
