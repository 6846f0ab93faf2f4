/**
 * Pinned EKS add-on versions used when a profile names an add-on without a version. CAPA requires a version for every
 * managed add-on, so the library supplies one per Kubernetes minor, the way cdk-eks-blueprints keeps a version map.
 *
 * What they are: EKS's **default** build per minor (`aws eks describe-addon-versions`, `defaultVersion: true`) as of
 * September 2026, not the newest build (AWS's "latest version" tables list newer CoreDNS lines). vpc-cni is one
 * build for every minor. The upstream releases exist (aws/amazon-vpc-cni-k8s `v1.22.4`, coredns 1.11 to 1.14,
 * kube-proxy patch lines matching AWS's kube-proxy page, kubernetes-sigs/aws-ebs-csi-driver `v1.55.0` and `v1.66.0`);
 * the eksbuild numbers were checked against public configurations that use them, because the AWS API cannot be
 * reached from this project's machines. aws-ebs-csi-driver: `v1.66.0-eksbuild.1` is EKS's default for 1.36;
 * `v1.55.0-eksbuild.2` is in use on 1.35 and earlier. EKS withdraws old builds over time: for production, set
 * `version` on each add-on and treat these as a starting point.
 */
export const DEFAULT_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'vpc-cni': {
    1.32: 'v1.22.4-eksbuild.3',
    1.33: 'v1.22.4-eksbuild.3',
    1.34: 'v1.22.4-eksbuild.3',
    1.35: 'v1.22.4-eksbuild.3',
    1.36: 'v1.22.4-eksbuild.3',
  },
  'coredns': {
    1.32: 'v1.11.4-eksbuild.51',
    1.33: 'v1.12.4-eksbuild.29',
    1.34: 'v1.12.4-eksbuild.29',
    1.35: 'v1.13.2-eksbuild.21',
    1.36: 'v1.14.3-eksbuild.14',
  },
  'kube-proxy': {
    1.32: 'v1.32.13-eksbuild.24',
    1.33: 'v1.33.10-eksbuild.21',
    1.34: 'v1.34.6-eksbuild.21',
    1.35: 'v1.35.3-eksbuild.21',
    1.36: 'v1.36.0-eksbuild.17',
  },
  'aws-ebs-csi-driver': {
    1.32: 'v1.55.0-eksbuild.2',
    1.33: 'v1.55.0-eksbuild.2',
    1.34: 'v1.55.0-eksbuild.2',
    1.35: 'v1.55.0-eksbuild.2',
    1.36: 'v1.66.0-eksbuild.1',
  },
};
