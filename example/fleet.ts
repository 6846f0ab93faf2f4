import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AmiType, AwsIdentity, Bundle, Bundles, CapacityType, Cluster, ControlPlaneLog, EksAddon, EksClusterSpec, ExternalCluster, Fleet,
  GitSourceType, KubernetesVersion, Profile, RolloutPolicy, TaintEffect, UpgradePolicy, cidrSubnet,
  type FleetProps,
} from '../src';

/** Each production cluster's VPC block within 10.20.0.0/14, by a number that stays with the cluster for life. */
const PROD_VPC_NUMBER: Readonly<Record<string, number>> = { 'prod-use1': 0, 'prod-euw1': 1, 'canary-use1': 2 };

/** What-if changes to the example fleet, used by the README's plan example and its test. */
export interface ExampleVariant {
  /** Kubernetes version of the dev profile (1.34 in the committed fleet). */
  readonly devKubernetesVersion?: KubernetesVersion;
  /** Kubernetes version of the prod profile (1.33 in the committed fleet). */
  readonly prodKubernetesVersion?: KubernetesVersion;
}

/**
 * The example fleet of this repository, synthesized into the committed `dist/`: two spec profiles ("dev" and
 * "prod") and a bundles-only profile ("observability"); five clusters across us-east-1 and eu-west-1 (a dev cluster
 * made from the prod profile, one with overrides); an existing cluster that receives bundles only; and a rollout
 * policy: a profile change reaches the dev wave first, then the prod clusters one by one.
 */
export function buildExampleFleet(props: Partial<FleetProps> = {}, variant: ExampleVariant = {}): Fleet {
  const fleet = new Fleet({
    name: 'acme',
    repoUrl: 'https://github.com/acme/platform-fleet.git',
    targetRevision: 'main',
    path: 'dist',
    management: {
      // CAPA creates each cluster's IAM roles and OIDC provider (IRSA for EBS CSI and the autoscaler); the management plane
      // below runs CAPA with EKSEnableIAM, and clusterawsadm's configuration in dist/ grants it the IAM actions.
      capaFeatureGates: { eksEnableIam: true },
      // The management cluster's NAT gateways: every restricted public endpoint must admit them.
      egressCidrs: ['192.0.2.0/28'],
      argoCdRoleArn: 'arn:aws:iam::111122223333:role/acme-argocd',
      clusterAdminRoleArns: ['arn:aws:iam::111122223333:role/acme-platform-admin'],
    },
    // cert-manager, Cluster API and CAPA (with the gates this fleet needs) and Argo CD, from dist/management/:
    // `arlonctl bootstrap` installs them on a bare cluster, and Argo CD keeps them in sync with git from then on.
    managementPlane: {},
    ...props,
  });

  // A profile change reaches the dev wave with its commit; `arlonctl rollout promote` releases the other clusters (the
  // production ones) one at a time, each once the clusters before it are healthy, with an explicit approval.
  fleet.setDefaultRolloutPolicy(new RolloutPolicy(fleet, 'Rollout', {
    waves: [
      { name: 'dev', matchLabels: { env: 'dev' }, soak: Duration.hours(1) },
      { name: 'prod', maxClusters: 1, soak: Duration.hours(2), requireApproval: true },
    ],
  }));

  const devSpec = new EksClusterSpec(fleet, 'DevSpec', {
    kubernetesVersion: variant.devKubernetesVersion ?? KubernetesVersion.V1_34,
    region: 'us-east-1',
    nodePools: {
      general: { instanceType: 'm6i.large', minSize: 1, desiredSize: 2, maxSize: 4, capacityType: CapacityType.SPOT, diskSizeGiB: 50 },
    },
    addons: [EksAddon.vpcCni(), EksAddon.coreDns(), EksAddon.kubeProxy()],
    network: { vpcCidr: '10.10.0.0/16', availabilityZoneCount: 2 },
    controlPlaneLogging: [ControlPlaneLog.API_SERVER, ControlPlaneLog.AUDIT],
    upgradePolicy: UpgradePolicy.STANDARD,
    tags: { 'cost-center': 'platform-dev' },
  });

  const prodSpec = new EksClusterSpec(fleet, 'ProdSpec', {
    kubernetesVersion: variant.prodKubernetesVersion ?? KubernetesVersion.V1_33,
    region: 'us-east-1',
    nodePools: {
      system: {
        instanceType: 'm6i.xlarge',
        minSize: 3,
        maxSize: 6,
        amiType: AmiType.AL2023_X86_64_STANDARD,
        labels: { 'node-role': 'system' },
        taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
      },
      workers: { instanceType: 'm6i.2xlarge', minSize: 3, desiredSize: 6, maxSize: 20, diskSizeGiB: 100, labels: { 'node-role': 'worker' } },
    },
    addons: [
      EksAddon.vpcCni({ configuration: { env: { ENABLE_PREFIX_DELEGATION: 'true' } } }),
      EksAddon.coreDns(),
      EksAddon.kubeProxy(),
      EksAddon.ebsCsiDriver({ serviceAccountRoleArn: 'arn:aws:iam::111122223333:role/acme-ebs-csi' }),
    ],
    network: { vpcCidrForCluster: (cluster) => cidrSubnet('10.20.0.0/14', 2, PROD_VPC_NUMBER[cluster.name]) },
    endpointAccess: { public: true, private: true, publicCidrs: ['192.0.2.0/28', '203.0.113.0/24'] },
    upgradePolicy: UpgradePolicy.EXTENDED,
    controlPlaneLogging: Object.values(ControlPlaneLog),
    identity: AwsIdentity.role('acme-prod'),
    sshKeyName: 'acme-prod-ops',
    tags: { 'cost-center': 'platform-prod', 'environment': 'production' },
  });

  // A Helm chart from an OCI registry, with a hostname per cluster.
  const wordpress = Bundle.helm('wordpress', {
    repoUrl: 'oci://registry-1.docker.io/bitnamicharts',
    chart: 'wordpress',
    version: '28.1.5',
    namespace: 'wordpress',
    description: 'The company blog',
    values: { service: { type: 'ClusterIP' }, ingress: { enabled: true, ingressClassName: 'alb' } },
    valuesForCluster: (cluster) => ({ ingress: { hostname: `blog.${cluster.name}.acme.example` } }),
  });

  // A kustomization kept in git, pinned to a tag.
  const policies = Bundle.git('baseline-policies', {
    repoUrl: 'https://github.com/acme/platform-addons.git',
    revision: 'v1.4.0',
    path: 'policies/baseline',
    type: GitSourceType.KUSTOMIZE,
    namespace: 'kube-system',
    createNamespace: false,
    description: 'Pod security and resource quota defaults',
  });

  // cdk8s-plus-28 constructs, synthesized into dist/bundles/tenant-baseline/ and served from this repository.
  const tenantBaseline = Bundle.inline('tenant-baseline', {
    namespace: 'apps',
    description: 'Namespace for applications: a deployer identity and a default-deny ingress policy',
    define: (scope) => {
      const deployer = new kplus.ServiceAccount(scope, 'Deployer', { metadata: { name: 'deployer' }, automountToken: false });
      const role = new kplus.Role(scope, 'DeployerRole', { metadata: { name: 'deployer' } });
      role.allowReadWrite(kplus.ApiResource.DEPLOYMENTS, kplus.ApiResource.SERVICES, kplus.ApiResource.CONFIG_MAPS);
      new kplus.RoleBinding(scope, 'DeployerBinding', { metadata: { name: 'deployer' }, role }).addSubjects(deployer);
      new kplus.NetworkPolicy(scope, 'DenyIngress', {
        metadata: { name: 'default-deny-ingress' },
        ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      });
    },
  });

  const metricsServer = Bundles.metricsServer();

  const dev = new Profile(fleet, 'dev', {
    spec: devSpec,
    bundles: [metricsServer, tenantBaseline, wordpress],
    description: 'Development clusters: small, spot capacity',
  });
  const prod = new Profile(fleet, 'prod', {
    spec: prodSpec,
    bundles: [metricsServer, Bundles.clusterAutoscaler({ roleArnForCluster: (c) => `arn:aws:iam::111122223333:role/${c.name}-cluster-autoscaler` })],
    description: 'Production clusters: private endpoint, all logs, EBS CSI, autoscaled',
  });
  const observability = new Profile(fleet, 'observability', {
    bundles: [policies, metricsServer],
    description: 'Baseline policies and metrics for every cluster',
  });

  new Cluster(fleet, 'dev-use1', { profiles: [dev, observability], labels: { env: 'dev', region: 'us-east-1' } });
  new Cluster(fleet, 'dev-euw1', {
    profiles: [dev, observability],
    labels: { env: 'dev', region: 'eu-west-1' },
    overrides: { region: 'eu-west-1' },
    bundleValues: { wordpress: { ingress: { hostname: 'blog.acme.example' }, replicaCount: 2 } },
  });
  // A dev cluster made from the prod profile: a prod change reaches it first.
  new Cluster(fleet, 'canary-use1', { profiles: [prod, observability], labels: { env: 'dev', region: 'us-east-1' } });
  new Cluster(fleet, 'prod-use1', { profiles: [prod, observability], labels: { env: 'prod', region: 'us-east-1' } });
  const prodEuw1 = new Cluster(fleet, 'prod-euw1', {
    profiles: [prod, observability],
    labels: { env: 'prod', region: 'eu-west-1' },
    overrides: {
      region: 'eu-west-1',
      nodePools: { workers: { minSize: 6, desiredSize: 8, maxSize: 30 } },
      endpointAccess: { public: true, private: true, publicCidrs: ['192.0.2.0/28', '198.51.100.0/24'] },
      tags: { 'data-residency': 'eu' },
    },
  });
  prodEuw1.addNodePool('gpu', {
    instanceType: 'g5.xlarge',
    minSize: 0,
    maxSize: 4,
    amiType: AmiType.AL2023_X86_64_NVIDIA,
    taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
  });

  // An existing cluster, registered in Argo CD as "legacy-ops": it gets bundles, and nothing manages the cluster itself.
  new ExternalCluster(fleet, 'legacy-ops', { profiles: [observability], bundles: [tenantBaseline], labels: { env: 'ops' } });

  return fleet;
}
