import { describeFindings, findCredentials, type CredentialFinding } from '../_credentials';

/**
 * Literal secrets in Helm values or an object's fields: values under secret-looking keys (`auth.adminPassword`,
 * `DB_PASSWD`, `api-key`, numbers included), the `value` of name/value pairs whose name looks secret (`extraEnv: [{
 * name: AWS_SECRET_ACCESS_KEY, value: ... }]`, a container's `env`), and values in a credential's format (a token, a
 * webhook URL, a registry auth blob), with their paths and the rule that matched. References to secrets
 * (`existingSecret`, `secretName`, `passwordSecretRef`, `valueFrom`) pass.
 */
export function secretLikeValues(values: unknown): CredentialFinding[] {
  return findCredentials(values);
}

/** The message for secret-looking values given to `what` (e.g. `bundle "wordpress" \`values\``); never quotes them. */
export function secretValuesProblem(what: string, findings: readonly CredentialFinding[]): string | undefined {
  return findings.length === 0 ? undefined
    : `${what} set ${describeFindings(findings)} to a literal value that looks secret; dist/ is committed to git, so secrets never go there: `
      + 'point the chart at an existing Secret (e.g. its existingSecret value) filled by External Secrets (an ExternalSecret) or the AWS Secrets Manager '
      + 'CSI driver, or set `allowSecrets: true` on the bundle if the value is not a secret';
}
