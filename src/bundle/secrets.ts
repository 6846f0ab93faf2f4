import { isPlainObject } from '../_json';

/** Keys whose literal value is a secret: passwords, tokens, API and private keys, client secrets. */
const SECRET_KEY = /(password|passwd|passphrase|token|api[-_]?key|private[-_]?key|secret[-_]?key|access[-_]?key|client[-_]?secret)$/i;

/**
 * Paths (`auth.adminPassword`) of non-empty string values under secret-looking keys, and of the `value` of name/value
 * pairs whose name looks secret (`extraEnv: [{ name: AWS_SECRET_ACCESS_KEY, value: ... }]`, a container's `env`).
 * References to secrets (`existingSecret`, `secretName`, `passwordSecretRef`, `valueFrom`) do not match, so they pass.
 */
export function secretLikeValues(values: unknown, at = ''): string[] {
  if (Array.isArray(values)) {
    return values.flatMap((item, i) => secretLikeValues(item, `${at}[${i}]`));
  }
  if (!isPlainObject(values)) {
    return [];
  }
  if (typeof values.name === 'string' && SECRET_KEY.test(values.name) && typeof values.value === 'string' && values.value !== '') {
    return [at === '' ? 'value' : `${at}.value`];
  }
  return Object.entries(values).flatMap(([key, value]) => {
    const path = at === '' ? key : `${at}.${key}`;
    return typeof value === 'string' && value !== '' && SECRET_KEY.test(key) ? [path] : secretLikeValues(value, path);
  });
}

/** The message for secret-looking values given to `what` (e.g. `bundle "wordpress" \`values\``). */
export function secretValuesProblem(what: string, paths: readonly string[]): string | undefined {
  return paths.length === 0 ? undefined
    : `${what} set ${paths.join(', ')} to a literal value that looks secret; dist/ is committed to git, so secrets never go there: `
      + 'point the chart at an existing Secret (e.g. its existingSecret value) filled by External Secrets or the AWS Secrets Manager CSI driver, '
      + 'or set `allowSecrets: true` on the bundle if the value is not a secret';
}
