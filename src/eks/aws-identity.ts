/** Kinds of CAPA identity a control plane can reference. */
export enum AwsIdentityKind {
  CONTROLLER = 'AWSClusterControllerIdentity',
  ROLE = 'AWSClusterRoleIdentity',
  STATIC = 'AWSClusterStaticIdentity',
}

/**
 * The AWS identity CAPA uses to reconcile a cluster (`AWSManagedControlPlane.spec.identityRef`). The identity objects
 * themselves are cluster-scoped and hold or point at credentials, so they are created by the platform team on the
 * management cluster, never by this library: a cluster spec only references one by name.
 *
 * @see https://cluster-api-aws.sigs.k8s.io/topics/multitenancy
 */
export class AwsIdentity {
  /** The controller's own credentials (`AWSClusterControllerIdentity`, always named `default`). */
  public static controller(): AwsIdentity {
    return new AwsIdentity(AwsIdentityKind.CONTROLLER, 'default');
  }

  /** An IAM role CAPA assumes (`AWSClusterRoleIdentity`), typically one per AWS account. */
  public static role(identityName: string): AwsIdentity {
    return new AwsIdentity(AwsIdentityKind.ROLE, identityName);
  }

  /** Static credentials held in a Secret in CAPA's namespace (`AWSClusterStaticIdentity`). */
  public static staticCredentials(identityName: string): AwsIdentity {
    return new AwsIdentity(AwsIdentityKind.STATIC, identityName);
  }

  private constructor(
    /** The identity kind. */
    public readonly kind: AwsIdentityKind,
    /** The identity object's name. */
    public readonly name: string,
  ) {}
}
