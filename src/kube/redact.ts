/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/** Shortest known secret value replaced wherever it appears; shorter ones (`git`, `1`) would mangle whole messages. */
const MIN_KNOWN_LENGTH = 4;

/** Keys whose values are credentials, in JSON, YAML, `key=value` and Go `map[key:value]` forms. */
const CREDENTIAL_KEYS = [
  'token', 'id-token', 'idToken', 'refresh-token', 'refreshToken', 'access-token', 'accessToken', 'bearerToken', 'bearer-token',
  'password', 'passwd', 'client-secret', 'clientSecret', 'client-key-data', 'clientKeyData', 'keyData', 'tlsClientKey',
  'sshPrivateKey', 'privateKey', 'private-key', 'apiKey', 'api-key', 'secretAccessKey', 'aws_secret_access_key', 'sessionToken',
  'aws_session_token',
];
/** Keys whose values are maps of secret values: a Secret's `data` and `stringData`. */
const SECRET_MAP_KEYS = ['data', 'stringData'];

const QUOTE = String.raw`(?:\\*"|')`;
const KEY_VALUE = new RegExp(
  String.raw`(^|[^A-Za-z0-9_-])(${QUOTE}?)(${CREDENTIAL_KEYS.join('|')})(${QUOTE}?)(\s*[:=]\s*)`
  // The value: already redacted (kept as is); double-quoted, escaped as deep as it opened, up to a closing quote that
  // ends the value (so that escaped quotes inside do not end it); single-quoted; or bare.
  + String.raw`(\[redacted\]|(\\*)"[\s\S]*?\7"(?=[\s,;}\])]|$)|'[^']*'|[^\s,;'"}\])]+)`,
  'gi');
const SECRET_MAP_START = new RegExp(String.raw`(^|[^A-Za-z0-9_-])(${QUOTE}?)(${SECRET_MAP_KEYS.join('|')})(${QUOTE}?)(\s*[:=]\s*)(\{|map\[)`, 'g');
const SECRET_MAP_BLOCK = new RegExp(String.raw`^([ \t]*)(${SECRET_MAP_KEYS.join('|')}):[ \t]*\n((?:\1[ \t]+\S.*(?:\n|$))+)`, 'gm');
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;
const AUTHORIZATION = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{6,}=*/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const EKS_TOKEN = /\bk8s-aws-v1\.[A-Za-z0-9_-]+/g;

/**
 * Text fit to print: credentials and secret values replaced with `[redacted]`. Removes the values in `known` (and
 * their base64 forms), private keys, bearer and basic credentials, JWTs, EKS tokens, the values of credential keys
 * (`token: ...`, `"password":"..."`) and the contents of `data`/`stringData` maps, as an API server echoes an applied
 * Secret. Use it on every message built from what a server, a kubeconfig or a credential plugin returned.
 */
export function redactSecrets(text: string, known: Iterable<string> = []): string {
  let out = text;
  const values = [...new Set([...known].flatMap((v) => [v, Buffer.from(v, 'utf8').toString('base64')]))]
    .filter((v) => v.length >= MIN_KNOWN_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const value of values) {
    out = out.split(value).join(REDACTED);
  }
  out = out.replace(PRIVATE_KEY, `-----BEGIN $1----- ${REDACTED} -----END $1-----`);
  out = redactSecretMaps(out);
  out = out.replace(SECRET_MAP_BLOCK, (_m, indent: string, key: string) => `${indent}${key}: ${REDACTED}\n`);
  out = out.replace(KEY_VALUE, (_m, before: string, open: string, key: string, close: string, separator: string, value: string) => {
    const quoted = /^(\\*"|')/.exec(value);
    const quote = quoted ? quoted[1] : '';
    return `${before}${open}${key}${close}${separator}${quote}${REDACTED}${quote}`;
  });
  out = out.replace(AUTHORIZATION, `$1$2${REDACTED}`);
  out = out.replace(JWT, REDACTED);
  out = out.replace(EKS_TOKEN, `k8s-aws-v1.${REDACTED}`);
  return out;
}

/** The values a request body carries that must never be printed: a Secret's `data` (and decoded) and `stringData`. */
export function secretValuesOf(body: string | undefined): string[] {
  if (body === undefined) {
    return [];
  }
  let obj: { kind?: unknown; data?: unknown; stringData?: unknown };
  try {
    obj = JSON.parse(body);
  } catch {
    return [];
  }
  if (obj === null || typeof obj !== 'object' || obj.kind !== 'Secret') {
    return [];
  }
  const strings = (map: unknown) => (map !== null && typeof map === 'object' ? Object.values(map).filter((v): v is string => typeof v === 'string') : []);
  const data = strings(obj.data);
  return [...data, ...data.map((v) => Buffer.from(v, 'base64').toString('utf8')), ...strings(obj.stringData)];
}

/** Replaces what follows each `data: {` / `data:map[` with a redaction, up to the matching bracket. */
function redactSecretMaps(text: string): string {
  let out = '';
  let from = 0;
  SECRET_MAP_START.lastIndex = 0;
  for (let match = SECRET_MAP_START.exec(text); match !== null; match = SECRET_MAP_START.exec(text)) {
    const open = match.index + match[0].length;
    const close = matchingBracket(text, open, match[6] === '{' ? '{' : '[', match[6] === '{' ? '}' : ']');
    out += `${text.slice(from, open)}${REDACTED}`;
    from = close;
    SECRET_MAP_START.lastIndex = Math.max(close, open);
  }
  return out + text.slice(from);
}

/** Index of the bracket closing one opened just before `start`, or the end of the text. */
function matchingBracket(text: string, start: number, open: string, close: string): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === open) {
      depth++;
    } else if (text[i] === close && --depth === 0) {
      return i;
    }
  }
  return text.length;
}
