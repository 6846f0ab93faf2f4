/**
 * Pinned EKS add-on versions used when a profile names an add-on without a version. CAPA requires a version for every
 * managed add-on, so the library supplies one per Kubernetes minor, the way cdk-eks-blueprints keeps a version map.
 *
 * Sources: vpc-cni, coredns and kube-proxy as listed by `aws eks describe-addon-versions` in 2026 for 1.32 to 1.36
 * (vpc-cni is one build across those minors); aws-ebs-csi-driver is one build pinned across minors, as the driver
 * supports a range of them. These could not be re-checked against AWS from this project's machines, and EKS withdraws
 * old builds over time: for production, set `version` on each add-on and treat these as a starting point.
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
    1.36: 'v1.55.0-eksbuild.2',
  },
};
