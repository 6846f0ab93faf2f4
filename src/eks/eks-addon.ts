import { DEFAULT_ADDON_VERSIONS } from './eks-addon-defaults';
import type { KubernetesVersion } from './kubernetes-version';
import { checkPlainMap } from '../_validate';

const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
const ADDON_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What EKS does when an add-on's settings conflict with changes made on the cluster. */
export enum AddonConflictResolution {
  /** Replace the conflicting settings with the add-on's (the CAPA default). */
  OVERWRITE = 'overwrite',
  /** Leave the conflict and fail the update. */
  NONE = 'none',
  /** Keep the values set on the cluster. */
  PRESERVE = 'preserve',
}

/** Options for an EKS add-on. */
export interface EksAddonOptions {
  /**
   * The add-on build, e.g. `v1.19.2-eksbuild.1` (`aws eks describe-addon-versions --addon-name <name>` lists them).
   *
   * @default - the pinned default for the cluster's Kubernetes version (see `DEFAULT_ADDON_VERSIONS`); an add-on
   * without a default needs an explicit version
   */
  readonly version?: string;
  /**
   * Add-on configuration values (the JSON schema from `aws eks describe-addon-configuration`), serialized with
   * sorted keys so the output is stable.
   *
   * @default - the add-on's defaults
   */
  readonly configuration?: Readonly<Record<string, unknown>>;
  /**
   * ARN of an IAM role for the add-on's service account (IRSA), e.g. for the EBS CSI driver.
   *
   * @default - the node role's permissions
   */
  readonly serviceAccountRoleArn?: string;
  /**
   * What to do when the add-on conflicts with settings changed on the cluster.
   *
   * @default AddonConflictResolution.OVERWRITE
   */
  readonly conflictResolution?: AddonConflictResolution;
}

/**
 * An EKS managed add-on, installed and upgraded by CAPA through `AWSManagedControlPlane.spec.addons`.
 *
 * @see https://cluster-api-aws.sigs.k8s.io/topics/eks/addons
 */
export class EksAddon {
  /** The Amazon VPC CNI plugin: pod networking from VPC addresses. */
  public static vpcCni(options: EksAddonOptions = {}): EksAddon {
    return new EksAddon('vpc-cni', options);
  }

  /** CoreDNS, the cluster DNS. */
  public static coreDns(options: EksAddonOptions = {}): EksAddon {
    return new EksAddon('coredns', options);
  }

  /** kube-proxy, service networking on every node. */
  public static kubeProxy(options: EksAddonOptions = {}): EksAddon {
    return new EksAddon('kube-proxy', options);
  }

  /** The Amazon EBS CSI driver, for PersistentVolumes on EBS (needs EBS permissions: node role or `serviceAccountRoleArn`). */
  public static ebsCsiDriver(options: EksAddonOptions = {}): EksAddon {
    return new EksAddon('aws-ebs-csi-driver', options);
  }

  /** Any other EKS add-on by its EKS name, e.g. `eks-pod-identity-agent`. It has no default version, so give one. */
  public static custom(name: string, options: EksAddonOptions = {}): EksAddon {
    return new EksAddon(name, options);
  }

  private constructor(
    /** The EKS add-on name, e.g. `vpc-cni`. */
    public readonly name: string,
    /** The options the add-on was created with. */
    public readonly options: EksAddonOptions,
  ) {}

  /** The version to install on a cluster at `kubernetesVersion`, or undefined when there is none. */
  public versionFor(kubernetesVersion: KubernetesVersion): string | undefined {
    return this.options.version ?? DEFAULT_ADDON_VERSIONS[this.name]?.[kubernetesVersion.version];
  }

  /** Problems with this add-on for a cluster at `kubernetesVersion`; `what` names where it was given. */
  public problems(what: string, kubernetesVersion: KubernetesVersion): string[] {
    const found: string[] = [];
    if (!ADDON_NAME.test(this.name)) {
      found.push(`${what} has name "${this.name}", which is not an EKS add-on name (lowercase letters, digits and '-')`);
    }
    const version = this.options.version;
    if (version !== undefined && !ADDON_VERSION.test(version)) {
      found.push(`${what} "${this.name}" has version "${version}", which is not an EKS add-on build (e.g. "v1.19.2-eksbuild.1")`);
    } else if (this.versionFor(kubernetesVersion) === undefined) {
      found.push(`${what} "${this.name}" has no pinned default version for Kubernetes ${kubernetesVersion.version}; `
        + `set \`version\` (\`aws eks describe-addon-versions --addon-name ${this.name} --kubernetes-version ${kubernetesVersion.version}\` lists them)`);
    }
    const built = version === undefined ? undefined : /^v(\d+)\.(\d+)\./.exec(version);
    if (this.name === 'kube-proxy' && built && `${built[1]}.${built[2]}` !== kubernetesVersion.version) {
      found.push(`${what} "kube-proxy" has version "${version}", a build for Kubernetes ${built[1]}.${built[2]}; EKS publishes kube-proxy builds per Kubernetes minor, `
        + `so a cluster at ${kubernetesVersion.version} needs a v${kubernetesVersion.version}.x build (or leave \`version\` out for the pinned default)`);
    }
    const configuration = checkPlainMap(`${what} "${this.name}" \`configuration\``, this.options.configuration, '{ env: { ENABLE_PREFIX_DELEGATION: "true" } }');
    if (configuration !== undefined) {
      found.push(`${configuration}: EKS takes an add-on's configuration values as a JSON object`);
    }
    const role = this.options.serviceAccountRoleArn;
    if (role !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(role)) {
      found.push(`${what} "${this.name}" has serviceAccountRoleArn "${role}", which is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
    }
    return found;
  }
}
