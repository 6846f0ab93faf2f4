import type { IConstruct } from 'constructs';
import { isPlainObject } from './_json';

/**
 * Credentials, recognized wherever they would reach dist/ (everything there is committed to git), in two ways:
 *
 * - **by value**: published, fixed formats (a private key, an AWS access key id, GitHub, GitLab, Slack, npm tokens, a
 *   JSON Web Token, a webhook URL whose path is its secret, a URL with a password or a token in its query, a registry
 *   `auth` blob), so a match is a credential and not a coincidence;
 * - **by name**: a literal value (a string or a number) under a key that names a secret (`password`, `apiKey`,
 *   `DB_PASSWD`, `Pass Word`, `client-secret`, ...), or the `value` of a name/value pair whose name does (a
 *   container's `env`). References to secrets (`existingSecret`, `passwordSecretRef`, `secretName`, `valueFrom`) do
 *   not match, so they pass.
 *
 * The rules are data: the tables below, each tested with cases that match and cases that must not
 * (`test/credentials.test.ts`). Messages say which rule matched and where, never the value.
 */

/** Formats recognized anywhere in a text (a file, a string value). */
const PATTERNS: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp }> = [
  { what: 'a private key', pattern: /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/ },
  { what: 'an AWS access key id', pattern: /\b(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[0-9A-Z]{16}\b/ },
  { what: 'a GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { what: 'a GitLab token', pattern: /\bgl(pat|dt|rt|ptt|cbt|oas|soat)-[A-Za-z0-9_-]{20,}\b/ },
  { what: 'a Slack token', pattern: /\b(xox[abposre]|xapp)-[A-Za-z0-9-]{10,}\b/ },
  { what: 'a Slack webhook URL', pattern: /\bhooks\.slack(-gov)?\.com\/(services|workflows|triggers)\/[A-Za-z0-9_/-]{16,}/i },
  { what: 'a Discord webhook URL', pattern: /\b(discord|discordapp)\.com\/api\/webhooks\/\d{5,}\/[A-Za-z0-9_-]{20,}/i },
  { what: 'a Microsoft Teams webhook URL', pattern: /\b[a-z0-9-]+\.webhook\.office\.com\/webhook(b2)?\/[A-Za-z0-9@/_-]{20,}/i },
  { what: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { what: 'a SendGrid key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: 'a Stripe secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{16,}\b/ },
  { what: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { what: 'a URL with a password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']+:[^/\s@"']+@/i },
  {
    what: 'a URL with a credential in its query',
    pattern: new RegExp('[?&](access_token|auth_token|private_token|token|api[-_]?key|apikey|password|passwd|pwd|secret|client_secret|sig|signature'
      + '|x-amz-signature|x-amz-credential|x-amz-security-token)=[^&\\s"\']{6,}', 'i'),
  },
];

/** Formats recognized only as a whole string value: they would be common words inside a text. */
const WHOLE_VALUE_PATTERNS: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp }> = [
  { what: 'an HTTP Authorization credential', pattern: /^\s*(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/-]{12,}=*\s*$/i },
];

/**
 * Words that name a secret when a key ends with them, after the key is split into lowercase words at case changes,
 * spaces and separators and joined again (`DB_PASSWORD`, `dbPassword`, `db-password`, `Pass Word` all end with
 * `password`). Each with what the message calls it.
 */
const SECRET_KEY_ENDINGS: ReadonlyArray<readonly [string, string]> = ([
  ['password', 'a password'], ['passwd', 'a password'], ['passphrase', 'a passphrase'], ['passcode', 'a passcode'],
  ['token', 'a token'], ['apikey', 'an API key'], ['privatekey', 'a private key'], ['secretkey', 'a secret key'],
  ['accesskey', 'an access key'], ['clientsecret', 'a client secret'], ['secretaccesskey', 'a secret access key'],
  ['webhooksecret', 'a webhook secret'], ['signingsecret', 'a signing secret'], ['sharedsecret', 'a shared secret'],
  ['jwtsecret', 'a JWT secret'], ['cookiesecret', 'a cookie secret'], ['sessionsecret', 'a session secret'],
  ['appsecret', 'an app secret'], ['consumersecret', 'a consumer secret'], ['hmacsecret', 'an HMAC secret'],
  ['encryptionkey', 'an encryption key'], ['signingkey', 'a signing key'], ['masterkey', 'a master key'], ['licensekey', 'a license key'],
  ['authkey', 'an auth key'], ['basicauth', 'basic auth credentials'], ['credentials', 'credentials'], ['credential', 'a credential'],
  ['dockerconfigjson', 'a registry auth config'], ['dockercfg', 'a registry auth config'], ['connectionstring', 'a connection string'],
] as Array<readonly [string, string]>).sort(([a], [b]) => b.length - a.length);

/**
 * Short words that name a secret only as the key's last word (`dbPass` yes, `bypass` no). A bare `secret` is not one:
 * charts use it for the name of a Secret (`tls.secret: my-tls`).
 */
const SECRET_KEY_LAST_WORDS: ReadonlyMap<string, string> = new Map([
  ['pass', 'a password'], ['pwd', 'a password'], ['pw', 'a password'], ['bearer', 'a bearer token'], ['psk', 'a pre-shared key'],
]);

/** The words of a key: `dbPassword`, `DB_PASSWORD`, `db-password` and `db password` all give `db`, `password`. */
function keyWords(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/).filter((w) => w !== '').map((w) => w.toLowerCase());
}

/** `secretKeyRule` by key: objects repeat the same few hundred keys. */
const keyRules = new Map<string, string | undefined>();

/** What secret `key` names (e.g. "a password"), or undefined when it names none. */
export function secretKeyRule(key: string): string | undefined {
  if (keyRules.has(key)) {
    return keyRules.get(key);
  }
  const rule = keyRuleOf(key);
  if (keyRules.size < 100_000) {
    keyRules.set(key, rule);
  }
  return rule;
}

function keyRuleOf(key: string): string | undefined {
  const words = keyWords(key);
  if (words.length === 0 || words.includes('existing')) {
    return undefined;
  }
  // Only the ending counts: `passwordKey` names the key of a Secret that holds one, `tokenPath` where it is.
  const joined = words.join('');
  const ending = SECRET_KEY_ENDINGS.find(([end]) => joined.endsWith(end));
  return ending?.[1] ?? SECRET_KEY_LAST_WORDS.get(words[words.length - 1]);
}

/** What credential `text` holds by its format (e.g. "a GitHub token"), or undefined. */
export function credentialKind(text: string, whole = true): string | undefined {
  if (text.length < 8) {
    return undefined;
  }
  // ANY is case-insensitive, some patterns are not: it only rules out.
  const kind = ANY.test(text) ? PATTERNS.find((p) => p.pattern.test(text))?.what : undefined;
  if (kind !== undefined) {
    return kind;
  }
  return whole && /^\s*[bt]/i.test(text) ? WHOLE_VALUE_PATTERNS.find((p) => p.pattern.test(text))?.what : undefined;
}

/** `password: hunter2`, `API_KEY=abc123` in free text: a key that names a secret, then `:` or `=` and a literal. */
const ASSIGNMENT = /([A-Za-z][\w.-]*(?: [A-Za-z]+)?)\s*[:=]\s*["']?([^\s"',;]{4,})/g;

/**
 * What credential free text (a description) holds: one in a format above, or a literal assigned to a key that
 * names a secret (`admin password: hunter2`); undefined when none.
 */
export function credentialInText(text: string): string | undefined {
  const kind = credentialKind(text, false);
  if (kind !== undefined) {
    return `it looks like it holds ${kind}`;
  }
  for (const match of text.matchAll(ASSIGNMENT)) {
    const rule = secretKeyRule(match[1]) ?? secretKeyRule(match[1].split(' ').pop()!);
    if (rule !== undefined && !/^(<[^>]*>?|\$\{?[\w.]+\}?|\*+|x+|\.\.\.)$/i.test(match[2])) {
      return `it assigns ${rule} a literal`;
    }
  }
  return undefined;
}

/** A registry `auth` blob: the base64 of `user:password`, as Docker config files hold it. */
function isRegistryAuth(value: string): boolean {
  if (value.length < 8 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    return false;
  }
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return /^[^\s:]+:\S+$/.test(decoded);
}

/** One credential found in data: where (a field path such as `spec.values.auth.password`) and by which rule. */
export interface CredentialFinding {
  readonly path: string;
  /** The rule that matched, e.g. "its key names a password" or "it looks like a Slack webhook URL". */
  readonly rule: string;
}

function childPath(at: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return at === '' ? segment : /^[A-Za-z_$]/.test(segment) ? `${at}.${segment}` : `${at}[${segment}]`;
}

/** JSON held in a string (an add-on's configuration, a `.dockerconfigjson`), parsed, or undefined. */
function embeddedJson(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) {
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed.length < 2 || trimmed.length > 1_000_000 || !((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']')))) {
    return undefined;
  }
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** Options of `findCredentials`. */
export interface FindCredentialsOptions {
  /** Find only by value (the formats above), not by key: for data whose keys the user does not choose. */
  readonly byValueOnly?: boolean;
  /** String values let through (see `allowCredentialText`). */
  readonly allowed?: ReadonlySet<string>;
}

/**
 * Every credential in `data` (Helm values, an object's JSON), by value and by key, with its field path. Strings that
 * hold JSON are searched inside (their findings are under `<path>(json)`).
 */
export function findCredentials(data: unknown, options: FindCredentialsOptions = {}, at = ''): CredentialFinding[] {
  const found: CredentialFinding[] = [];
  const visit = (value: unknown, path: string, key: string | undefined): void => {
    if (typeof value === 'string') {
      if (value === '' || options.allowed?.has(value)) {
        return;
      }
      const keyRule = key === undefined || options.byValueOnly ? undefined : secretKeyRule(key);
      if (keyRule !== undefined) {
        found.push({ path, rule: `its key names ${keyRule}` });
        return;
      }
      const kind = credentialKind(value);
      if (kind !== undefined) {
        found.push({ path, rule: `it looks like ${kind}` });
        return;
      }
      if (key !== undefined && key.toLowerCase() === 'auth' && isRegistryAuth(value)) {
        found.push({ path, rule: 'it looks like a registry auth (the base64 of user:password)' });
        return;
      }
      const json = embeddedJson(value);
      if (json !== undefined) {
        found.push(...findCredentials(json, options, `${path}(json)`));
      }
      return;
    }
    if (typeof value === 'number') {
      const keyRule = key === undefined || options.byValueOnly ? undefined : secretKeyRule(key);
      if (keyRule !== undefined && Number.isFinite(value)) {
        found.push({ path, rule: `its key names ${keyRule} (a number is still a literal secret)` });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`, undefined));
      return;
    }
    if (!isPlainObject(value)) {
      return;
    }
    // A name/value pair whose name names a secret: a container's env, a chart's extraEnv, Helm parameters.
    const pairRule = options.byValueOnly || typeof value.name !== 'string' || !(typeof value.value === 'string' || typeof value.value === 'number')
      || value.value === '' || options.allowed?.has(String(value.value)) ? undefined : secretKeyRule(value.name);
    if (pairRule !== undefined) {
      found.push({ path: childPath(path, 'value'), rule: `its name ${JSON.stringify(value.name)} names ${pairRule}` });
    }
    for (const [k, v] of Object.entries(value)) {
      // A key is written to dist/ as well: a webhook URL or a token used as a map key.
      const keyKind = k.length < 15 ? undefined : credentialKind(k, false);
      if (keyKind !== undefined && !options.allowed?.has(k)) {
        found.push({ path: childPath(path, '<key>'), rule: `a key there looks like ${keyKind}` });
      }
      if (!(k === 'value' && pairRule !== undefined)) {
        visit(v, childPath(path, k), k);
      }
    }
  };
  visit(data, at, undefined);
  return found;
}

/** "a (its key names a password), b (it looks like a GitHub token)": findings as a message lists them. */
export function describeFindings(findings: readonly CredentialFinding[]): string {
  return findings.map((f) => `${f.path === '' ? 'the value' : f.path} (${f.rule})`).join(', ');
}

/** All text patterns at once, for the common case of finding nothing in one pass. */
const ANY = new RegExp(PATTERNS.map((p) => `(?:${p.pattern.source})`).join('|'), 'i');

/** The first credential in `text`, as its kind and 1-based line, or undefined. */
export function findCredential(text: string): { readonly what: string; readonly line: number } | undefined {
  if (!ANY.test(text)) {
    return undefined;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const found = PATTERNS.find((p) => p.pattern.test(lines[i]));
    if (found !== undefined) {
      return { what: found.what, line: i + 1 };
    }
  }
  // A match across lines (a private key's header is one line, so this is a JSON Web Token or URL split by YAML).
  return { what: PATTERNS.find((p) => p.pattern.test(text))?.what ?? 'a credential', line: 1 };
}

/** Why a repository URL must not be written to dist/ (a password or token in it), or undefined. */
export function credentialInUrlProblem(what: string, url: string | undefined): string | undefined {
  const found = url === undefined ? undefined : findCredential(url);
  return found === undefined && !/^(https?|oci):\/\/[^/\s]*@/.test(url ?? '') ? undefined
    : `${what} carries credentials (${found?.what ?? 'a user name and secret'}); dist/ is committed, so give the bare URL and register credentials in `
      + 'Argo CD (`arlonctl deploy --repo-username ...`)';
}

/**
 * Strings the user let through with an opt-out (`allowSecrets: true` on a bundle), per fleet: they may reach files
 * other than the bundle's own (a description in an ApplicationSet), and the scan of those files lets them pass.
 */
const allowedTexts = new WeakMap<IConstruct, Set<string>>();

/** Lets `texts` through the scan of every file of the fleet `scope` belongs to. */
export function allowCredentialText(scope: IConstruct, ...texts: Array<string | undefined>): void {
  const root = scope.node.root;
  const set = allowedTexts.get(root) ?? new Set<string>();
  allowedTexts.set(root, set);
  for (const text of texts) {
    if (text !== undefined && text !== '') {
      set.add(text);
    }
  }
}

/** The strings let through in the fleet `scope` belongs to (see `allowCredentialText`). */
export function allowedCredentialTexts(scope: IConstruct): ReadonlySet<string> {
  return allowedTexts.get(scope.node.root) ?? new Set();
}
