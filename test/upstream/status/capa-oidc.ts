/**
 * What CAPA v2.11.1 writes into `AWSManagedControlPlane.status.oidcProvider` once it has created the cluster's IAM OIDC
 * provider: ports of kubernetes-sigs/cluster-api-provider-aws v2.11.1
 * - `pkg/cloud/services/eks/oidc.go` `reconcileOIDCProvider` (`status.oidcProvider.arn` = the provider's ARN;
 *   `status.oidcProvider.trustPolicy` = `IAMPolicyDocumentToJSON(buildOIDCTrustPolicy())` with tabs and newlines
 *   removed by `whitespaceRe` `(?m)[\t\n]`, so the indentation spaces stay) and `buildOIDCTrustPolicy`;
 * - `cmd/clusterawsadm/converters/iam.go` `IAMPolicyDocumentToJSON` (`json.MarshalIndent(p, "", "  ")`), over the
 *   types of `iam/api/v1beta1/types.go` (`PolicyDocument`: Version, Statement, Id omitempty; `StatementEntry`: Sid,
 *   Principal, NotPrincipal omitempty, Effect, Action, Resource omitempty, Condition omitempty: fields in that order);
 * - `pkg/cloud/services/eks/iam/iam.go` `CreateOIDCProvider` (the provider for the EKS cluster's
 *   `identity.oidc.issuer`, client ID `sts.amazonaws.com`); IAM names it
 *   `arn:aws:iam::<account>:oidc-provider/<issuer without https://>`.
 */

/** The ARN IAM gives the OIDC provider of `issuer` (an `https://` URL) in `account`. */
export function oidcProviderArn(account: string, issuer: string): string {
  return `arn:aws:iam::${account}:oidc-provider/${issuer.replace(/^https:\/\//, '')}`;
}

/** `buildOIDCTrustPolicy`, as a JSON-ready object in the field order Go marshals it. */
export function buildOidcTrustPolicy(providerArn: string): Record<string, unknown> {
  const conditionValue = `${providerArn.slice(providerArn.indexOf('/') + 1)}:sub`;
  return {
    Version: '2012-10-17',
    Statement: [{
      // Sid "" is omitted (omitempty); NotPrincipal and Resource are nil.
      Principal: { Federated: [providerArn] },
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Condition: { 'ForAnyValue:StringLike': { [conditionValue]: ['system:serviceaccount:${SERVICE_ACCOUNT_NAMESPACE}:${SERVICE_ACCOUNT_NAME}'] } },
    }],
  };
}

/** `status.oidcProvider` as `reconcileOIDCProvider` leaves it. */
export function oidcProviderStatus(providerArn: string): { arn: string; trustPolicy: string } {
  // Go's MarshalIndent and JSON.stringify agree on this document (no HTML-escaped characters in it).
  const policy = JSON.stringify(buildOidcTrustPolicy(providerArn), null, 2);
  return { arn: providerArn, trustPolicy: policy.replace(/[\t\n]/g, '') };
}
