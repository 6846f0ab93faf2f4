/**
 * Tests of the clusterawsadm v2.11.1 port. The golden-template table ports kubernetes-sigs/cluster-api-provider-aws v2.11.1
 * `cmd/clusterawsadm/cloudformation/bootstrap/template_test.go` `TestRenderCloudformation`: each case starts from
 * `NewTemplate()` and mutates the spec exactly as upstream does; the expectations are copied from the case's golden file
 * `cmd/clusterawsadm/cloudformation/bootstrap/fixtures/<fixture>.yaml` (resource logical names, and the actions of
 * `AWSIAMManagedPolicyControllers` / `AWSIAMManagedPolicyControllersEKS`, as the default lists plus/minus per fixture).
 */
import {
  controllersPolicy,
  controllersPolicyActions,
  controllersPolicyEKS,
  defaultedConfig,
  newAWSIAMConfiguration,
  renderTemplate,
  statementsGranting,
  templateResources,
  type AWSIAMConfiguration,
  type StatementEntry,
} from './clusterawsadm';

const API_VERSION = 'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1';
const file = (spec?: unknown) => ({ apiVersion: API_VERSION, kind: 'AWSIAMConfiguration', ...(spec === undefined ? {} : { spec }) });

/** fixtures/default.yaml `Resources` keys. */
const DEFAULT_RESOURCES = [
  'AWSIAMInstanceProfileControlPlane', 'AWSIAMInstanceProfileControllers', 'AWSIAMInstanceProfileNodes',
  'AWSIAMManagedPolicyCloudProviderControlPlane', 'AWSIAMManagedPolicyCloudProviderNodes', 'AWSIAMManagedPolicyControllers',
  'AWSIAMManagedPolicyControllersEKS', 'AWSIAMRoleControlPlane', 'AWSIAMRoleControllers', 'AWSIAMRoleEKSControlPlane', 'AWSIAMRoleNodes',
];

/** fixtures/default.yaml, `AWSIAMManagedPolicyControllers` actions (sorted, de-duplicated). */
const DEFAULT_CONTROLLERS_ACTIONS = [
  'autoscaling:CancelInstanceRefresh', 'autoscaling:CreateAutoScalingGroup', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteAutoScalingGroup',
  'autoscaling:DeleteLifecycleHook', 'autoscaling:DeleteTags', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes',
  'autoscaling:DescribeLifecycleHooks', 'autoscaling:PutLifecycleHook', 'autoscaling:StartInstanceRefresh', 'autoscaling:UpdateAutoScalingGroup',
  'ec2:AllocateAddress', 'ec2:AllocateIpamPoolCidr', 'ec2:AssignIpv6Addresses', 'ec2:AssignPrivateIpAddresses', 'ec2:AssociateRouteTable',
  'ec2:AssociateVpcCidrBlock', 'ec2:AttachInternetGateway', 'ec2:AttachNetworkInterface', 'ec2:AuthorizeSecurityGroupIngress',
  'ec2:CreateCarrierGateway', 'ec2:CreateEgressOnlyInternetGateway', 'ec2:CreateInternetGateway', 'ec2:CreateLaunchTemplate',
  'ec2:CreateLaunchTemplateVersion', 'ec2:CreateNatGateway', 'ec2:CreateNetworkInterface', 'ec2:CreateRoute', 'ec2:CreateRouteTable',
  'ec2:CreateSecurityGroup', 'ec2:CreateSubnet', 'ec2:CreateTags', 'ec2:CreateVpc', 'ec2:CreateVpcEndpoint', 'ec2:DeleteCarrierGateway',
  'ec2:DeleteEgressOnlyInternetGateway', 'ec2:DeleteInternetGateway', 'ec2:DeleteLaunchTemplate', 'ec2:DeleteLaunchTemplateVersions',
  'ec2:DeleteNatGateway', 'ec2:DeleteRouteTable', 'ec2:DeleteSecurityGroup', 'ec2:DeleteSubnet', 'ec2:DeleteTags', 'ec2:DeleteVpc',
  'ec2:DeleteVpcEndpoints', 'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones',
  'ec2:DescribeCarrierGateways', 'ec2:DescribeDhcpOptions', 'ec2:DescribeEgressOnlyInternetGateways', 'ec2:DescribeImages',
  'ec2:DescribeInstanceTypes', 'ec2:DescribeInstances', 'ec2:DescribeInternetGateways', 'ec2:DescribeIpamPools', 'ec2:DescribeKeyPairs',
  'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeNatGateways', 'ec2:DescribeNetworkInterfaceAttribute',
  'ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeTags',
  'ec2:DescribeVolumes', 'ec2:DescribeVpcAttribute', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeVpcs', 'ec2:DetachInternetGateway',
  'ec2:DetachNetworkInterface', 'ec2:DisassociateAddress', 'ec2:DisassociateRouteTable', 'ec2:DisassociateVpcCidrBlock',
  'ec2:GetSecurityGroupsForVpc', 'ec2:ModifyInstanceAttribute', 'ec2:ModifyInstanceMetadataOptions', 'ec2:ModifyNetworkInterfaceAttribute',
  'ec2:ModifySubnetAttribute', 'ec2:ModifyVpcAttribute', 'ec2:ModifyVpcEndpoint', 'ec2:ReleaseAddress', 'ec2:ReplaceRoute',
  'ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RunInstances', 'ec2:TerminateInstances', 'ec2:UnassignPrivateIpAddresses',
  'eks:AssociateAccessPolicy', 'eks:CreateAccessEntry', 'eks:DeleteAccessEntry', 'eks:DescribeAccessEntry', 'eks:DisassociateAccessPolicy',
  'eks:ListAccessEntries', 'eks:ListAssociatedAccessPolicies', 'eks:UpdateAccessEntry', 'elasticloadbalancing:AddTags',
  'elasticloadbalancing:ApplySecurityGroupsToLoadBalancer', 'elasticloadbalancing:ConfigureHealthCheck', 'elasticloadbalancing:CreateListener',
  'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:DeleteListener',
  'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
  'elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:ModifyTargetGroupAttributes',
  'elasticloadbalancing:RegisterInstancesWithLoadBalancer', 'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:RemoveTags',
  'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets', 'iam:CreateServiceLinkedRole', 'iam:PassRole',
  'secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:TagResource', 'tag:GetResources',
];

/** fixtures/default.yaml, `AWSIAMManagedPolicyControllersEKS` actions (sorted, de-duplicated). */
const DEFAULT_CONTROLLERS_EKS_ACTIONS = [
  'ec2:AssociateVpcCidrBlock', 'ec2:DisassociateVpcCidrBlock', 'eks:AssociateEncryptionConfig', 'eks:AssociateIdentityProviderConfig',
  'eks:CreateAddon', 'eks:CreateCluster', 'eks:CreateFargateProfile', 'eks:CreateNodegroup', 'eks:DeleteAddon', 'eks:DeleteCluster',
  'eks:DeleteFargateProfile', 'eks:DeleteNodegroup', 'eks:DescribeAddon', 'eks:DescribeAddonVersions', 'eks:DescribeCluster',
  'eks:DescribeFargateProfile', 'eks:DescribeIdentityProviderConfig', 'eks:DescribeNodegroup', 'eks:DisassociateIdentityProviderConfig',
  'eks:ListAddons', 'eks:ListClusters', 'eks:ListIdentityProviderConfigs', 'eks:TagResource', 'eks:UntagResource', 'eks:UpdateAddon',
  'eks:UpdateClusterConfig', 'eks:UpdateClusterVersion', 'eks:UpdateNodegroupConfig', 'eks:UpdateNodegroupVersion',
  'iam:CreateServiceLinkedRole', 'iam:GetPolicy', 'iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:PassRole', 'kms:CreateGrant',
  'kms:DescribeKey', 'ssm:GetParameter',
];

const allow = (action: string): StatementEntry => ({ Effect: 'Allow', Resource: ['*'], Action: [action] });
const actionsOf = (statements: StatementEntry[]) => [...new Set(statements.flatMap((s) => s.Action))].sort();
const withDelta = (base: string[], plus: string[] = [], minus: string[] = []) => [...base.filter((a) => !minus.includes(a)), ...plus].sort();

interface FixtureCase {
  readonly fixture: string;
  readonly template: (c: AWSIAMConfiguration) => void;
  readonly resourcesPlus?: string[];
  readonly resourcesMinus?: string[];
  readonly controllersPlus?: string[];
  readonly controllersMinus?: string[];
  /** undefined: same as default; null: no EKS policy rendered. */
  readonly eksActions?: null;
}

const SSM_ACTIONS = ['ssm:AddTagsToResource', 'ssm:DeleteParameter', 'ssm:PutParameter'];
const SECRETS_MANAGER_ACTIONS = ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:TagResource'];

const CASES: FixtureCase[] = [
  { fixture: 'default', template: () => undefined },
  {
    fixture: 'with_ssm_secret_backend',
    template: (c) => { c.spec.secureSecretBackends = ['ssm-parameter-store']; },
    controllersPlus: SSM_ACTIONS,
    controllersMinus: SECRETS_MANAGER_ACTIONS,
  },
  {
    fixture: 'with_all_secret_backends',
    template: (c) => { c.spec.secureSecretBackends = ['secrets-manager', 'ssm-parameter-store']; },
    controllersPlus: SSM_ACTIONS,
  },
  {
    fixture: 'with_s3_bucket',
    template: (c) => { c.spec.s3Buckets.enable = true; },
    controllersPlus: [
      's3:CreateBucket', 's3:DeleteBucket', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutBucketPolicy', 's3:PutBucketTagging',
      's3:PutLifecycleConfiguration', 's3:PutObject',
    ],
  },
  { fixture: 'customsuffix', template: (c) => { c.spec.nameSuffix = '.custom-suffix.com'; } },
  {
    fixture: 'with_bootstrap_user',
    template: (c) => { c.spec.bootstrapUser.enable = true; },
    resourcesPlus: ['AWSIAMGroupBootstrapper', 'AWSIAMUserBootstrapper'],
  },
  {
    fixture: 'with_custom_bootstrap_user',
    template: (c) => {
      c.spec.bootstrapUser.enable = true;
      c.spec.bootstrapUser.userName = 'custom-bootstrapper.cluster-api-provider-aws.sigs.k8s.io';
    },
    resourcesPlus: ['AWSIAMGroupBootstrapper', 'AWSIAMUserBootstrapper'],
  },
  { fixture: 'with_different_instance_profiles', template: (c) => { c.spec.clusterAPIControllers.allowedEC2InstanceProfiles = ['customrole']; } },
  {
    fixture: 'with_eks_default_roles',
    template: (c) => {
      c.spec.nodes.ec2ContainerRegistryReadOnly = true;
      c.spec.eks.defaultControlPlaneRole.disable = false;
      c.spec.eks.managedMachinePool.disable = false;
      c.spec.eks.fargate.disable = false;
    },
    resourcesPlus: ['AWSIAMRoleEKSFargate', 'AWSIAMRoleEKSNodegroup'],
  },
  {
    fixture: 'with_eks_kms_prefix',
    template: (c) => {
      c.spec.nodes.ec2ContainerRegistryReadOnly = true;
      c.spec.eks.kmsAliasPrefix = 'custom-prefix-*';
    },
  },
  {
    fixture: 'with_extra_statements',
    template: (c) => {
      c.spec.bootstrapUser.enable = true;
      c.spec.controlPlane.extraStatements = [allow('test:action')];
      c.spec.nodes.extraStatements = [allow('test:node-action')];
      c.spec.bootstrapUser.extraStatements = [allow('test:user-action')];
      c.spec.clusterAPIControllers.extraStatements = [allow('test:controller-action')];
    },
    resourcesPlus: ['AWSIAMGroupBootstrapper', 'AWSIAMUserBootstrapper'],
  },
  {
    fixture: 'with_eks_disable',
    template: (c) => { c.spec.eks.disable = true; },
    resourcesMinus: ['AWSIAMManagedPolicyControllersEKS', 'AWSIAMRoleEKSControlPlane'],
    eksActions: null,
  },
  { fixture: 'with_eks_console', template: (c) => { c.spec.eks.enableUserEKSConsolePolicy = true; }, resourcesPlus: ['AWSIAMManagedPolicyEKSConsole'] },
  { fixture: 'with_allow_assume_role', template: (c) => { c.spec.allowAssumeRole = true; }, controllersPlus: ['sts:AssumeRole'] },
];

function fixtureConfig(c: FixtureCase): AWSIAMConfiguration {
  const conf = newAWSIAMConfiguration();
  c.template(conf);
  return conf;
}

describe('TestRenderCloudformation (template_test.go) against fixtures/*.yaml', () => {
  test.each(CASES)('$fixture: resources and controllers actions', (c) => {
    const conf = fixtureConfig(c);
    expect(templateResources(conf)).toEqual(withDelta(DEFAULT_RESOURCES, c.resourcesPlus, c.resourcesMinus));
    expect(actionsOf(controllersPolicy(conf).Statement)).toEqual(withDelta(DEFAULT_CONTROLLERS_ACTIONS, c.controllersPlus, c.controllersMinus));
    const resources = renderTemplate(conf);
    if (c.eksActions === null) {
      expect(resources.AWSIAMManagedPolicyControllersEKS).toBeUndefined();
    } else {
      expect(resources.AWSIAMManagedPolicyControllersEKS.Properties.PolicyDocument).toEqual(controllersPolicyEKS(conf));
      expect(actionsOf(controllersPolicyEKS(conf).Statement)).toEqual(DEFAULT_CONTROLLERS_EKS_ACTIONS);
    }
  });

  test('golden details: names, PassRole resources, KMS alias, EKS role policies', () => {
    const get = (fixture: string) => renderTemplate(fixtureConfig(CASES.find((c) => c.fixture === fixture)!));
    const passRole = (fixture: string) => (get(fixture).AWSIAMManagedPolicyControllers.Properties.PolicyDocument as { Statement: StatementEntry[] })
      .Statement.filter((s) => s.Action.includes('iam:PassRole')).map((s) => s.Resource);
    // default.yaml / customsuffix.yaml / with_different_instance_profiles.yaml
    expect(passRole('default')).toEqual([['arn:*:iam::*:role/*.cluster-api-provider-aws.sigs.k8s.io']]);
    expect(passRole('customsuffix')).toEqual([['arn:*:iam::*:role/*.custom-suffix.com']]);
    expect(passRole('with_different_instance_profiles')).toEqual([['arn:*:iam::*:role/customrole']]);
    expect(get('customsuffix').AWSIAMRoleControllers.Properties.RoleName).toBe('controllers.custom-suffix.com');
    // customsuffix.yaml: the EKS control plane role keeps the default suffix
    expect(get('customsuffix').AWSIAMRoleEKSControlPlane.Properties.RoleName).toBe('eks-controlplane.cluster-api-provider-aws.sigs.k8s.io');
    // with_eks_kms_prefix.yaml
    const kms = (get('with_eks_kms_prefix').AWSIAMManagedPolicyControllersEKS.Properties.PolicyDocument as { Statement: StatementEntry[] })
      .Statement.find((s) => s.Action.includes('kms:CreateGrant'));
    expect(kms?.Condition).toEqual({ 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/custom-prefix-*' } });
    expect(get('with_eks_kms_prefix').AWSIAMRoleNodes.Properties.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
    ]);
    // with_eks_default_roles.yaml
    const eksRoles = get('with_eks_default_roles');
    expect(eksRoles.AWSIAMRoleEKSNodegroup.Properties).toEqual({
      AssumeRolePolicyDocument: {
        Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'eks.amazonaws.com'] } }],
        Version: '2012-10-17',
      },
      ManagedPolicyArns: [
        'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
        'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      ],
      RoleName: 'eks-nodegroup.cluster-api-provider-aws.sigs.k8s.io',
    });
    expect(eksRoles.AWSIAMRoleEKSFargate.Properties.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy']);
    expect(eksRoles.AWSIAMRoleEKSFargate.Properties.RoleName).toBe('eks-fargate.cluster-api-provider-aws.sigs.k8s.io');
    // with_custom_bootstrap_user.yaml / with_bootstrap_user.yaml
    expect(get('with_custom_bootstrap_user').AWSIAMUserBootstrapper.Properties.UserName).toBe('custom-bootstrapper.cluster-api-provider-aws.sigs.k8s.io');
    expect(get('with_bootstrap_user').AWSIAMGroupBootstrapper.Properties.GroupName).toBe('bootstrapper.cluster-api-provider-aws.sigs.k8s.io');
    expect(get('with_bootstrap_user').AWSIAMManagedPolicyControllers.Properties.Groups).toEqual([{ Ref: 'AWSIAMGroupBootstrapper' }]);
    // with_extra_statements.yaml: inline policies named after the stack
    expect(get('with_extra_statements').AWSIAMRoleControllers.Properties.Policies).toEqual([{
      PolicyName: 'cluster-api-provider-aws-sigs-k8s-io',
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: ['test:controller-action'], Effect: 'Allow', Resource: ['*'] }] },
    }]);
    // with_eks_disable.yaml: the nodes role has no managed policy attachments
    expect(get('with_eks_disable').AWSIAMRoleNodes.Properties.ManagedPolicyArns).toBeUndefined();
    // default.yaml: both controllers policies are attached to the controllers and control-plane roles
    expect(get('default').AWSIAMManagedPolicyControllersEKS.Properties.Roles).toEqual([{ Ref: 'AWSIAMRoleControllers' }, { Ref: 'AWSIAMRoleControlPlane' }]);
  });
});

describe('defaults (cmd/clusterawsadm/api/bootstrap/v1beta1/defaults.go)', () => {
  test('NewAWSIAMConfiguration', () => {
    const { spec } = newAWSIAMConfiguration();
    expect(spec.nameSuffix).toBe('.cluster-api-provider-aws.sigs.k8s.io');
    expect(spec.partition).toBe('aws');
    expect(spec.stackName).toBe('cluster-api-provider-aws-sigs-k8s-io');
    expect(spec.eks).toEqual({
      disable: false,
      iamRoleCreation: false,
      enableUserEKSConsolePolicy: false,
      defaultControlPlaneRole: { disable: false },
      managedMachinePool: { disable: true },
      fargate: { disable: true },
      kmsAliasPrefix: 'cluster-api-provider-aws-*',
    });
    expect(spec.eventBridge).toEqual({ enable: false });
    expect(spec.secureSecretBackends).toEqual(['secrets-manager']);
    expect(spec.s3Buckets).toEqual({ enable: false, namePrefix: 'cluster-api-provider-aws-' });
    expect(spec.bootstrapUser).toMatchObject({
      enable: false, userName: 'bootstrapper.cluster-api-provider-aws.sigs.k8s.io', groupName: 'bootstrapper.cluster-api-provider-aws.sigs.k8s.io',
    });
    // EKS absent from the input: created enabled, but the node role does NOT get ECR read-only.
    expect(spec.nodes.ec2ContainerRegistryReadOnly).toBe(false);
  });

  test('an explicit spec.eks (not disabled) forces nodes.ec2ContainerRegistryReadOnly; a disabled one does not', () => {
    expect(defaultedConfig(file({ eks: {} })).spec.nodes.ec2ContainerRegistryReadOnly).toBe(true);
    expect(defaultedConfig(file({ eks: {}, nodes: { ec2ContainerRegistryReadOnly: false } })).spec.nodes.ec2ContainerRegistryReadOnly).toBe(true);
    expect(defaultedConfig(file({ eks: { disable: true } })).spec.nodes.ec2ContainerRegistryReadOnly).toBe(false);
  });
});

describe('what a configuration grants the controllers', () => {
  test('the default config does not grant iam:CreateRole nor OIDC provider management', () => {
    const actions = controllersPolicyActions(newAWSIAMConfiguration());
    for (const a of ['iam:CreateRole', 'iam:DeleteRole', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:TagRole', 'iam:CreateOpenIDConnectProvider',
      'iam:GetOpenIDConnectProvider', 'iam:ListOpenIDConnectProviders', 'iam:DeleteOpenIDConnectProvider']) {
      expect(actions.has(a)).toBe(false);
    }
    // ... but it does grant EKS cluster and node group management (EKS is on by default).
    expect(actions.has('eks:CreateCluster')).toBe(true);
    expect(actions.has('eks:CreateNodegroup')).toBe(true);
    expect(actions.has('iam:GetRole')).toBe(true);
    expect(actions.size).toBe(new Set([...DEFAULT_CONTROLLERS_ACTIONS, ...DEFAULT_CONTROLLERS_EKS_ACTIONS]).size);
  });

  test('spec.eks.iamRoleCreation: true grants role creation on any role and the OIDC provider actions', () => {
    const conf = defaultedConfig(file({ eks: { iamRoleCreation: true } }));
    const actions = controllersPolicyActions(conf);
    const added = [...actions].filter((a) => !DEFAULT_CONTROLLERS_ACTIONS.includes(a) && !DEFAULT_CONTROLLERS_EKS_ACTIONS.includes(a)).sort();
    expect(added).toEqual([
      'iam:AddClientIDToOpenIDConnectProvider', 'iam:AttachRolePolicy', 'iam:CreateOpenIDConnectProvider', 'iam:CreateRole', 'iam:DeleteOpenIDConnectProvider',
      'iam:DeleteRole', 'iam:DetachRolePolicy', 'iam:GetOpenIDConnectProvider', 'iam:ListOpenIDConnectProviders', 'iam:TagOpenIDConnectProvider',
      'iam:TagRole', 'iam:UpdateOpenIDConnectProviderThumbprint',
    ]);
    expect(statementsGranting(conf, 'iam:CreateRole')).toEqual([{
      Action: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:DetachRolePolicy', 'iam:DeleteRole', 'iam:CreateRole', 'iam:TagRole', 'iam:AttachRolePolicy'],
      Resource: ['arn:*:iam::*:role/*'],
      Effect: 'Allow',
    }]);
    expect(statementsGranting(conf, 'iam:CreateOpenIDConnectProvider').map((s) => s.Resource)).toEqual([['*']]);
    // It changes no resource of the template.
    expect(templateResources(conf)).toEqual(DEFAULT_RESOURCES);
  });

  test('iamRoleCreation is ignored when EKS is disabled (no EKS policy at all)', () => {
    const conf = defaultedConfig(file({ eks: { disable: true, iamRoleCreation: true } }));
    expect(controllersPolicyActions(conf).has('iam:CreateRole')).toBe(false);
    expect(controllersPolicyActions(conf).has('eks:CreateNodegroup')).toBe(false);
  });

  test('iam:PassRole: to EC2 only for the managed-name roles, to anything when passed to eks.amazonaws.com', () => {
    expect(statementsGranting(newAWSIAMConfiguration(), 'iam:PassRole')).toEqual([
      { Effect: 'Allow', Resource: ['arn:*:iam::*:role/*.cluster-api-provider-aws.sigs.k8s.io'], Action: ['iam:PassRole'] },
      {
        Action: ['iam:PassRole'], Resource: ['*'], Condition: { StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com' } }, Effect: 'Allow',
      },
    ]);
  });

  test('eks:CreateNodegroup is limited to cluster and nodegroup ARNs', () => {
    expect(statementsGranting(newAWSIAMConfiguration(), 'eks:CreateNodegroup').map((s) => s.Resource)).toEqual([
      ['arn:*:eks:*:*:cluster/*', 'arn:*:eks:*:*:nodegroup/*/*/*'],
    ]);
  });

  test('managedMachinePool.disable defaults to true; false adds only the default node group role', () => {
    const off = defaultedConfig(file({ eks: {} }));
    expect(off.spec.eks.managedMachinePool.disable).toBe(true);
    expect(templateResources(off)).not.toContain('AWSIAMRoleEKSNodegroup');
    const on = defaultedConfig(file({ eks: { managedMachinePool: { disable: false } } }));
    expect(templateResources(on)).toEqual([...templateResources(off), 'AWSIAMRoleEKSNodegroup'].sort());
    expect(renderTemplate(on).AWSIAMRoleEKSNodegroup.Properties.RoleName).toBe('eks-nodegroup.cluster-api-provider-aws.sigs.k8s.io');
    expect(controllersPolicyActions(on)).toEqual(controllersPolicyActions(off));
    // An empty managedMachinePool object means disable: false (Go zero value), not the default.
    expect(defaultedConfig(file({ eks: { managedMachinePool: {} } })).spec.eks.managedMachinePool.disable).toBe(false);
    // US-Gov partition variant of the node group role's policies (managed_nodegroup.go).
    const gov = defaultedConfig(file({ partition: 'aws-us-gov', eks: { managedMachinePool: { disable: false } } }));
    expect(renderTemplate(gov).AWSIAMRoleEKSNodegroup.Properties.ManagedPolicyArns).toEqual([
      'arn:aws-us-gov:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws-us-gov:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws-us-gov:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
    ]);
  });

  test('a fleet configuration: EKSEnableIAM and managed machine pools', () => {
    const conf = defaultedConfig(file({ eks: { iamRoleCreation: true, managedMachinePool: { disable: false } } }));
    expect(templateResources(conf)).toEqual([...DEFAULT_RESOURCES, 'AWSIAMRoleEKSNodegroup'].sort());
    expect(controllersPolicyActions(conf).has('iam:CreateRole')).toBe(true);
    expect(controllersPolicyActions(conf).has('iam:CreateOpenIDConnectProvider')).toBe(true);
    expect(renderTemplate(conf).AWSIAMRoleNodes.Properties.ManagedPolicyArns).toContain('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly');
  });
});

describe('reading the config file (configreader.go)', () => {
  test('empty file, missing apiVersion/kind, unregistered kinds', () => {
    expect(() => defaultedConfig('', 'x.yaml')).toThrow('bootstrap config file "x.yaml" was empty');
    expect(() => defaultedConfig({ spec: {} })).toThrow('kind and apiVersion is mandatory information that must be specified');
    expect(() => defaultedConfig({ apiVersion: 'v1beta1', kind: 'AWSIAMConfiguration' })).toThrow('kind and apiVersion is mandatory');
    expect(() => defaultedConfig({ apiVersion: API_VERSION })).toThrow('kind and apiVersion is mandatory');
    expect(() => defaultedConfig({ apiVersion: API_VERSION, kind: 'AwsIamConfiguration' })).toThrow('error decoding metadata.yaml: no kind "AwsIamConfiguration"');
    expect(() => defaultedConfig({ apiVersion: 'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta2', kind: 'AWSIAMConfiguration' })).toThrow('no kind');
    expect(() => defaultedConfig({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AWSIAMConfiguration' })).toThrow('no kind');
  });

  test('apiVersion/kind keys are matched case-insensitively (encoding/json in Interpret)', () => {
    expect(defaultedConfig({ APIVERSION: API_VERSION, Kind: 'AWSIAMConfiguration' }).apiVersion).toBe(API_VERSION);
  });

  test('not strict: unknown and mis-cased fields are dropped silently', () => {
    // The `disabled: false` of docs/book/src/topics/specify-management-iam-role.md is such a field.
    const conf = defaultedConfig(file({
      clusterAPIControllers: { disabled: false },
      eks: { IAMRoleCreation: true, iamRoleCreations: true },
      foo: 1,
    }));
    expect(conf.spec.eks.iamRoleCreation).toBe(false);
    expect(controllersPolicyActions(conf).has('iam:CreateRole')).toBe(false);
    expect(defaultedConfig({ ...file(), metadata: { name: 'x' }, Spec: { eks: { disable: true } } }).spec.eks.disable).toBe(false);
  });

  test('wrong JSON types are errors', () => {
    expect(() => defaultedConfig(file({ eks: { iamRoleCreation: 'true' } })))
      .toThrow('error decoding metadata.yaml: json: cannot unmarshal string into Go struct field AWSIAMConfiguration.spec.eks.iamRoleCreation of type bool');
    expect(() => defaultedConfig(file({ eks: [] }))).toThrow('cannot unmarshal array');
    expect(() => defaultedConfig(file({ namePrefix: 1 }))).toThrow('cannot unmarshal number');
    expect(() => defaultedConfig(file({ nodes: { tags: { a: 1 } } }))).toThrow('cannot unmarshal number');
    expect(() => defaultedConfig(file({ controlPlane: { extraStatements: [{ Effect: 'Allow', Action: 'x:y', Resource: '*' }] } })))
      .toThrow('cannot unmarshal string');
    expect(() => defaultedConfig(file({ controlPlane: { extraStatements: [{ Effect: 'Allow', Action: 1 }] } })))
      .toThrow("couldn't unmarshal as either []string or string");
  });

  test('statements: Action as a string, lower-case keys dropped', () => {
    const conf = defaultedConfig(file({ clusterAPIControllers: { extraStatements: [{ Effect: 'Allow', Action: 'x:y', Resource: ['*'] }, { effect: 'Allow', action: ['z:w'] }] } }));
    expect(conf.spec.clusterAPIControllers.extraStatements).toEqual([
      { Effect: 'Allow', Action: ['x:y'], Resource: ['*'] },
      { Effect: '', Action: [] },
    ]);
    expect(controllersPolicyActions(conf, true).has('x:y')).toBe(true);
    expect(controllersPolicyActions(conf).has('x:y')).toBe(false);
  });

  test('YAML text is read as YAML 1.1 (go-yaml v2)', () => {
    const text = `apiVersion: ${API_VERSION}\nkind: AWSIAMConfiguration\nspec:\n  eks:\n    iamRoleCreation: yes\n    managedMachinePool:\n      disable: off\n`;
    const conf = defaultedConfig(text);
    expect(conf.spec.eks.iamRoleCreation).toBe(true);
    expect(conf.spec.eks.managedMachinePool.disable).toBe(false);
  });

  test('null leaves the zero value, so defaulting applies', () => {
    const conf = defaultedConfig(file({ eks: null, nameSuffix: null, stackName: null }));
    expect(conf.spec.nameSuffix).toBe('.cluster-api-provider-aws.sigs.k8s.io');
    expect(conf.spec.nodes.ec2ContainerRegistryReadOnly).toBe(false);
  });

  test('v1alpha1 files are accepted and converted; v1beta1-only fields are unknown there', () => {
    const conf = defaultedConfig({
      apiVersion: 'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1alpha1',
      kind: 'AWSIAMConfiguration',
      spec: { eks: { iamRoleCreation: true }, allowAssumeRole: true, s3Buckets: { enable: true }, bootstrapUser: { enable: true } },
    });
    expect(conf.apiVersion).toBe(API_VERSION);
    expect(conf.spec.eks.iamRoleCreation).toBe(true);
    expect(conf.spec.allowAssumeRole).toBe(false);
    expect(conf.spec.s3Buckets).toEqual({ enable: false, namePrefix: '' });
    // v1alpha1's SetDefaults_BootstrapUser does not default groupName.
    expect(conf.spec.bootstrapUser.groupName).toBe('');
    expect(renderTemplate(conf).AWSIAMGroupBootstrapper.Properties).toEqual({});
  });
});
