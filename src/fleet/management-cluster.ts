import { blockContains, NON_PUBLIC_BLOCKS, parseIpv4Block } from '../_cidr';
import { checkIpv4Cidr, problems } from '../_validate';

/** An IAM role ARN, as EKS access entries and Argo CD's `awsAuthConfig.roleARN` take it. */
export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * EKS access policy given to the roles the fleet names: full cluster administration, which Argo CD needs to install
 * bundles (CRDs, cluster roles, any namespace). https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export const CLUSTER_ADMIN_ACCESS_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/**
 * The CAPA feature gates of the management cluster, as `clusterctl init --infrastructure aws` set them from
 * environment variables. The generated objects may only rely on gates stated on here.
 */
export interface CapaFeatureGates {
  /**
   * `EKSEnableIAM` (`CAPA_EKS_IAM=true`): CAPA creates and manages IAM resources, among them the IAM OIDC provider
   * that IAM roles for service accounts (IRSA) need. Without it, a control plane asking for an OIDC provider fails
   * every reconcile, so IRSA options (`serviceAccountRoleArn` of an add-on, the cluster-autoscaler's
   * `roleArnForCluster`, `iamRolesForServiceAccounts`) are refused.
   *
   * @default false (CAPA's default)
   */
  readonly eksEnableIam?: boolean;
}

/**
 * Facts about the management cluster that decide whether the generated objects can work: CAPA's feature gates, the
 * network addresses it comes from, and the IAM role Argo CD uses to reach the clusters. One place, so the
 * prerequisites are stated in the code and checked at synth.
 */
export interface ManagementClusterOptions {
  /**
   * CAPA's feature gates on the management cluster.
   *
   * @default - CAPA's defaults: every gate off
   */
  readonly capaFeatureGates?: CapaFeatureGates;
  /**
   * Public IPv4 blocks the management cluster's traffic to the internet leaves from (its NAT gateways' addresses).
   * CAPA (add-ons, aws-auth), Cluster API's cluster cache and Argo CD all call each workload cluster's API from
   * there, so a public endpoint restricted to `publicCidrs` must admit them: a spec that would shut them out is
   * refused. Without it, public endpoints restricted by `publicCidrs` are refused, since nothing shows they let the
   * management cluster in.
   *
   * @default - not stated
   */
  readonly egressCidrs?: readonly string[];
  /**
   * Whether the management cluster reaches the clusters' VPCs privately (VPC peering, Transit Gateway), so a cluster
   * with a private endpoint only is reachable.
   *
   * @default false: clusters need a public endpoint that admits `egressCidrs`
   */
  readonly reachesPrivateEndpoints?: boolean;
  /**
   * The IAM role Argo CD uses to reach the workload clusters: `arlonctl register` writes it into each Argo CD cluster
   * Secret (`awsAuthConfig.roleARN`, which Argo CD assumes), and every control plane gets an EKS access entry for it
   * with `AmazonEKSClusterAdminPolicy`. Setting it moves the clusters to `authenticationMode: api_and_config_map`.
   * Required when a fleet cluster has bundles.
   *
   * @default - none
   */
  readonly argoCdRoleArn?: string;
  /**
   * Further IAM roles given cluster administration on every control plane (EKS access entries), e.g. the platform
   * team's break-glass role.
   *
   * @default - none
   */
  readonly clusterAdminRoleArns?: readonly string[];
  /**
   * API server URLs the management cluster is also reached by, besides Argo CD's in-cluster address
   * (`https://kubernetes.default.svc`, always denied): its EKS endpoint (`aws eks describe-cluster --query
   * cluster.endpoint`), a load balancer or DNS name in front of it. Argo CD matches an AppProject's destinations
   * against the server of the cluster Secret a destination resolves to, so a management cluster also registered in Argo
   * CD under one of these would otherwise be a permitted bundle destination: the bundles' AppProject denies each one,
   * and `arlonctl register` refuses a cluster whose API server is one of them. A trailing `/` is dropped, as Argo CD
   * drops it from a cluster Secret's server.
   *
   * @default - none: only the in-cluster address (and the kubeconfig's server, which `arlonctl` checks) are known
   */
  readonly apiServerUrls?: readonly string[];
  /**
   * Further names Argo CD knows the management cluster by (the `name` of a cluster Secret that registers it under
   * another address), besides the Fleet's `managementClusterName`: the bundles' AppProject denies each one, and no
   * fleet cluster may take one.
   *
   * @default - none
   */
  readonly argoCdClusterNames?: readonly string[];
}

/** An API server URL as a kubeconfig or an Argo CD cluster Secret holds it. */
const API_SERVER_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;

/** The management cluster settings with defaults applied, and the checks that depend on them. */
export class ManagementCluster {
  public readonly eksEnableIam: boolean;
  public readonly egressCidrs?: readonly string[];
  public readonly reachesPrivateEndpoints: boolean;
  public readonly argoCdRoleArn?: string;
  /** Every role with an access entry, sorted: Argo CD's and the admin roles. */
  public readonly accessRoleArns: readonly string[];
  /** `apiServerUrls`, without trailing `/` (as Argo CD stores a cluster's server), in the order given. */
  public readonly apiServerUrls: readonly string[];
  /** `argoCdClusterNames`, in the order given. */
  public readonly argoCdClusterNames: readonly string[];

  constructor(options: ManagementClusterOptions = {}) {
    this.eksEnableIam = options.capaFeatureGates?.eksEnableIam ?? false;
    this.egressCidrs = options.egressCidrs && [...options.egressCidrs];
    this.reachesPrivateEndpoints = options.reachesPrivateEndpoints ?? false;
    this.argoCdRoleArn = options.argoCdRoleArn;
    this.accessRoleArns = [...new Set([...(options.argoCdRoleArn ? [options.argoCdRoleArn] : []), ...(options.clusterAdminRoleArns ?? [])])].sort();
    this.apiServerUrls = [...new Set((options.apiServerUrls ?? []).map((url) => url.replace(/\/+$/, '')))];
    this.argoCdClusterNames = [...new Set(options.argoCdClusterNames ?? [])];
  }

  /** Problems with the settings themselves, named as the `management` prop. */
  public problems(): string[] {
    return problems(
      (this.egressCidrs ?? []).map((cidr) => {
        const shape = checkIpv4Cidr('`management.egressCidrs` entry', cidr);
        const block = parseIpv4Block(cidr);
        return shape ?? (block !== undefined && NON_PUBLIC_BLOCKS.some((range) => blockContains(range, block))
          ? `\`management.egressCidrs\` entry "${cidr}" is a private range; give the public addresses the management cluster's NAT gateways use` : undefined);
      }).filter((p): p is string => p !== undefined),
      this.egressCidrs !== undefined && this.egressCidrs.length === 0 ? '`management.egressCidrs` is empty; list the public blocks, or leave it out' : undefined,
      this.accessRoleArns.filter((arn) => !IAM_ROLE_ARN.test(arn))
        .map((arn) => `\`management\` role "${arn}" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`),
      this.apiServerUrls.filter((url) => !API_SERVER_URL.test(url))
        .map((url) => `\`management.apiServerUrls\` entry "${url}" is not an https URL of an API server; give it as Argo CD and kubeconfigs `
          + 'name it, e.g. "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com"'),
      this.argoCdClusterNames.filter((name) => name.trim() === '' || /\s/.test(name))
        .map((name) => `\`management.argoCdClusterNames\` entry "${name}" is empty or holds whitespace; give the \`name\` of the Argo CD cluster Secret `
          + 'that registers the management cluster'),
    );
  }

  /**
   * Why the management cluster could not reach a cluster's API with this endpoint access, or undefined when it can.
   * `where` names the spec in messages.
   */
  public endpointProblem(access: { public?: boolean; private?: boolean; publicCidrs?: readonly string[] } | undefined): string | undefined {
    const isPublic = access?.public ?? true;
    if (!isPublic) {
      return this.reachesPrivateEndpoints ? undefined
        : '`endpointAccess` makes the API private only, so the management cluster (CAPA, Cluster API, Argo CD) cannot reach it over the internet; '
        + 'keep `public: true` with `publicCidrs` that admit the management cluster, or state `management.reachesPrivateEndpoints: true` on the Fleet '
        + 'when it reaches the VPCs through peering or a Transit Gateway';
    }
    const allowed = (access?.publicCidrs ?? []).map((cidr) => parseIpv4Block(cidr)).filter((b) => b !== undefined);
    if (access?.publicCidrs === undefined || allowed.some((b) => b.prefix === 0)) {
      return undefined;
    }
    if (this.egressCidrs === undefined) {
      return this.reachesPrivateEndpoints && access.private === true ? undefined
        : `\`endpointAccess.publicCidrs\` (${access.publicCidrs.join(', ')}) restricts the public endpoint, and the Fleet does not say where the management cluster `
        + 'comes from; state `management.egressCidrs` on the Fleet so the library can check the clusters stay reachable';
    }
    const shutOut = this.egressCidrs.filter((cidr) => {
      const block = parseIpv4Block(cidr);
      return block !== undefined && !allowed.some((a) => blockContains(a, block));
    });
    if (shutOut.length === 0 || (this.reachesPrivateEndpoints && access.private === true)) {
      return undefined;
    }
    return `\`endpointAccess.publicCidrs\` (${access.publicCidrs.join(', ')}) shuts out the management cluster's egress ${shutOut.join(', ')}: CAPA, `
      + 'Cluster API and Argo CD could not reach the cluster\'s API; add those blocks to `publicCidrs`';
  }
}
