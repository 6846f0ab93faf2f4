import * as kplus from 'cdk8s-plus-28';
import {
  Bundle, Bundles, Cluster, EksClusterSpec, ExternalCluster, Fleet, GitSourceType, KubernetesVersion, Profile,
} from '../src';

const fleet = new Fleet({
  name: 'acme',
  repoUrl: 'https://github.com/acme/platform-fleet.git',
  targetRevision: 'main',
  // The IAM role Argo CD reaches the clusters with: each control plane gets an EKS access entry for it.
  management: { argoCdRoleArn: 'arn:aws:iam::111122223333:role/argocd-fleet' },
});

// A Helm chart (HTTP repository or OCI registry), pinned, with values for every cluster and a hostname per cluster.
const wordpress = Bundle.helm('wordpress', {
  repoUrl: 'oci://registry-1.docker.io/bitnamicharts',
  chart: 'wordpress',
  version: '28.1.5',
  namespace: 'wordpress',
  values: { ingress: { enabled: true, ingressClassName: 'alb' } },
  valuesForCluster: (cluster) => ({ ingress: { hostname: `blog.${cluster.name}.acme.example` } }),
});

// A path in git: plain manifests, a kustomization, or a Helm chart kept in git, pinned to a tag or commit.
const policies = Bundle.git('baseline-policies', {
  repoUrl: 'https://github.com/acme/platform-addons.git',
  revision: 'v1.4.0',
  path: 'policies/baseline',
  type: GitSourceType.KUSTOMIZE,
  namespace: 'kube-system',
  createNamespace: false,
});

// cdk8s constructs, synthesized into dist/bundles/team-a/ and served to the clusters from the fleet repository.
const teamA = Bundle.inline('team-a', {
  namespace: 'team-a',
  define: (scope) => {
    new kplus.ServiceAccount(scope, 'Deployer', { metadata: { name: 'deployer' } });
    new kplus.NetworkPolicy(scope, 'DenyIngress', {
      metadata: { name: 'default-deny-ingress' },
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
  },
});

const spec = new EksClusterSpec(fleet, 'Spec', {
  kubernetesVersion: KubernetesVersion.V1_34,
  region: 'us-east-1',
  nodePools: { general: { instanceType: 'm6i.large', minSize: 2, maxSize: 10 } },
});

const platform = new Profile(fleet, 'platform', {
  spec,
  bundles: [Bundles.metricsServer(), Bundles.clusterAutoscaler(), policies],
});
const blog = new Profile(fleet, 'blog', { bundles: [wordpress, teamA] });

new Cluster(fleet, 'web-use1', { profiles: [platform, blog] });
new Cluster(fleet, 'web-use2', {
  profiles: [platform, blog],
  overrides: { region: 'us-east-2' },
  bundleValues: { wordpress: { ingress: { hostname: 'blog.acme.example' } } },
});
new Cluster(fleet, 'batch-use1', { profiles: [platform], excludeBundles: ['baseline-policies'], bundles: [teamA] });

// An existing cluster, already registered in Argo CD as "legacy": it gets bundles, nothing else.
new ExternalCluster(fleet, 'legacy', { profiles: [blog] });

fleet.synth();
