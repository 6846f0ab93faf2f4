/*
 * The errors of `http-client.ts` and the messages they carry. Kept apart from it so that code recognising the errors
 * (and tests of the messages) does not load `@kubernetes/client-node`. Every message built here from what a server, a
 * kubeconfig or a credential plugin returned goes through `redactSecrets`.
 */
import { redactSecrets } from './redact';
import { RetryableResponse } from './retry';
import { KubeApiError, KubeConnectionError, KubeTlsError, type FieldConflict } from './types';

/** The kubeconfig could not give a cluster to talk to, or credentials for it. */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

/** The longest part of a server's error message that is printed. */
const MAX_MESSAGE_LENGTH = 2000;

/** `500ms`, `30s`, `1.5s`, `10m`, `2h`: a duration as a flag takes it. */
export function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [[3_600_000, 'h'], [60_000, 'm'], [1000, 's']];
  for (const [size, unit] of units) {
    if (ms >= size && (ms % size === 0 || unit === 's')) {
      return `${Number((ms / size).toFixed(3))}${unit}`;
    }
  }
  return `${ms}ms`;
}

/**
 * The error for an API server's answer with status `status`: its Status message, redacted (a server may echo the
 * applied object, e.g. a Secret's data, or the request's credentials), and its field conflicts. `secrets` are values
 * the request carried (Secret data, the bearer token), removed wherever they appear.
 */
export function statusError(status: number, text: string, retryAfter: string | string[] | undefined, what: string,
  secrets: readonly string[] = []): KubeApiError {
  let parsed: { message?: string; reason?: string; details?: { causes?: Array<{ message?: string; field?: string }> } } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { message: text.trim() };
  }
  const safe = (message: string) => truncate(redactSecrets(message, secrets));
  const message = typeof parsed?.message === 'string' && parsed.message !== '' ? safe(parsed.message) : `${what} failed with HTTP ${status}`;
  const reason = typeof parsed?.reason === 'string' ? parsed.reason : undefined;
  if ([429, 500, 502, 503, 504].includes(status)) {
    const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    return new RetryableResponse(message, status, reason, Number.isFinite(seconds) ? seconds * 1000 : undefined);
  }
  const conflicts: FieldConflict[] = status === 409
    ? (parsed.details?.causes ?? []).map((c) => ({ field: c.field ?? '', message: safe(c.message ?? '') }))
    : [];
  return new KubeApiError(message, status, reason, conflicts);
}

/** Where a request failed, for `requestError`. */
export interface RequestFailure {
  /** The API server URL. */
  readonly server: string;
  /** `GET /api/v1` */
  readonly what: string;
  /** The per-request timeout. */
  readonly timeoutMs: number;
  /** Whether the connection (and TLS handshake) was made before the failure. */
  readonly connected: boolean;
}

/** What is wrong with a certificate, per Node.js error code, and the fix. */
const TRUST_FIX = 'put the certificate authority of the API server in the kubeconfig (certificate-authority-data or certificate-authority of the '
  + 'cluster; aws eks update-kubeconfig writes it)';
const CERTIFICATE_PROBLEMS: Record<string, { problem: string; fix: string }> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: { problem: 'its certificate is self-signed and the kubeconfig does not trust it', fix: TRUST_FIX },
  SELF_SIGNED_CERT_IN_CHAIN: { problem: 'its certificate chain ends in a self-signed certificate authority the kubeconfig does not trust', fix: TRUST_FIX },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { problem: 'its certificate is signed by an unknown certificate authority', fix: TRUST_FIX },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: { problem: 'its certificate is signed by an unknown certificate authority', fix: TRUST_FIX },
  UNABLE_TO_GET_ISSUER_CERT: { problem: 'its certificate is signed by an unknown certificate authority', fix: TRUST_FIX },
  CERT_HAS_EXPIRED: { problem: 'its certificate has expired', fix: 'renew the API server certificate, or correct the clock of this machine if it is wrong' },
  CERT_NOT_YET_VALID: { problem: 'its certificate is not valid yet', fix: 'correct the clock of this machine, or wait until the certificate is valid' },
  CERT_REVOKED: { problem: 'its certificate has been revoked', fix: 'give the API server a new certificate' },
  CERT_SIGNATURE_FAILURE: { problem: 'the signature of its certificate is invalid', fix: TRUST_FIX },
};

/**
 * The error for a request that got no answer: a `KubeTlsError` for certificate problems (never retried), a
 * `KubeconfigError` for a client certificate or key that cannot be used, otherwise a `KubeConnectionError`
 * (retried). Timeouts say whether the server accepted the connection.
 */
export function requestError(error: Error & { code?: string; host?: string; cert?: { subjectaltname?: string } }, failure: RequestFailure): Error {
  const code = error.code ?? 'ECONNRESET';
  if (code === 'ETIMEDOUT') {
    const how = failure.connected ? 'the server accepted the connection but did not answer' : 'no connection could be made';
    return new KubeConnectionError(`${failure.what} got no answer within ${formatDuration(failure.timeoutMs)} (${how})`, code);
  }
  const certificate = CERTIFICATE_PROBLEMS[code];
  if (certificate !== undefined) {
    return tlsError(failure.server, code, certificate.problem, certificate.fix);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = error.cert?.subjectaltname ? `; it is for ${error.cert.subjectaltname}` : '';
    return tlsError(failure.server, code, `its certificate is not valid for the host ${error.host ?? new URL(failure.server).hostname} (hostname mismatch${names})`,
      'use the server URL the certificate names, or set tls-server-name of the cluster in the kubeconfig to a name it holds');
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || /wrong version number|ssl3_get_record|packet length too long/i.test(error.message)) {
    return tlsError(failure.server, code, 'the TLS handshake failed: the server does not speak TLS on this port, or not a TLS version this client accepts',
      'if it serves plain HTTP, give the kubeconfig an http:// server URL');
  }
  if (/CERT|ISSUER|SELF_SIGNED/.test(code)) {
    return tlsError(failure.server, code, `its certificate is not trusted: ${redactSecrets(error.message)}`, TRUST_FIX);
  }
  if (code.startsWith('ERR_OSSL') || /PEM|DECODER|asn1|key values mismatch/i.test(error.message)) {
    return new KubeconfigError(`the client certificate or key of the kubeconfig cannot be used for ${failure.server}: ${redactSecrets(error.message)} (${code}); `
      + 'fix client-certificate-data and client-key-data of the user (a PEM certificate and its key), or use another context');
  }
  return new KubeConnectionError(`${failure.server}: ${redactSecrets(error.message)} (${code})`, code);
}

function tlsError(server: string, code: string, problem: string, fix: string): KubeTlsError {
  return new KubeTlsError(`${tlsFailure(code)} the API server at ${server}: ${problem} (${code}); ${fix}`, code, problem, fix);
}

/** How a TLS failure starts its message: `cannot trust` for a certificate problem, else a failed handshake. */
export function tlsFailure(code: string): string {
  return /CERT|SELF_SIGNED|ISSUER|LEAF/.test(code) ? 'cannot trust' : 'cannot make a TLS connection to';
}

/**
 * The error for a kubeconfig file that cannot be loaded. Never quotes the file: a YAML parser's message shows the
 * offending line, which may hold a token or key; only the parser's reason and the position are kept.
 */
export function kubeconfigLoadError(file: string, error: unknown): KubeconfigError {
  const e = (error ?? {}) as { name?: string; reason?: string; mark?: { line?: number; column?: number }; code?: string; path?: string };
  const elsewhere = 'or point --kubeconfig or KUBECONFIG at another file';
  if (e.name === 'YAMLException' || e.mark !== undefined) {
    const at = typeof e.mark?.line === 'number' ? ` at line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1}` : '';
    return new KubeconfigError(`kubeconfig ${file} is not valid YAML: ${redactSecrets(e.reason ?? 'syntax error')}${at} (the line is not shown, `
      + `as it may hold credentials); fix the file, ${elsewhere}`);
  }
  if (typeof e.code === 'string' && typeof e.path === 'string' && e.path !== file) {
    return new KubeconfigError(`kubeconfig ${file} names ${e.path}, which cannot be read (${e.code}); fix the path in the kubeconfig, ${elsewhere}`);
  }
  if (typeof e.code === 'string') {
    return new KubeconfigError(`kubeconfig ${file} cannot be read (${e.code}); give the path of a readable kubeconfig file with --kubeconfig or KUBECONFIG`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KubeconfigError(`kubeconfig ${file} is not a valid kubeconfig: ${redactSecrets(message)}; fix the file, ${elsewhere}`);
}

/** A user's exec credential plugin, for messages. */
export interface ExecPlugin {
  /** The command, e.g. `aws`. */
  readonly command: string;
  /** The kubeconfig user it belongs to. */
  readonly user: string;
}

/**
 * The error for credentials that could not be obtained for a request: the exec plugin did not run, failed, or printed
 * something that is not an ExecCredential, or another credential source failed. Never quotes what a plugin printed
 * on stdout (that is where the token is); its stderr is shown redacted.
 */
export function credentialsError(error: unknown, user: string, plugin: ExecPlugin | undefined): KubeconfigError {
  const e = (error ?? {}) as { code?: string; syscall?: string; path?: string; name?: string };
  const message = error instanceof Error ? error.message : String(error);
  if (typeof e.syscall === 'string' && !e.syscall.startsWith('spawn') && typeof e.path === 'string') {
    return new KubeconfigError(`kubeconfig user "${user}" or its cluster names ${e.path}, which cannot be read (${e.code}); fix the path in the kubeconfig`);
  }
  if (plugin === undefined) {
    return new KubeconfigError(`getting credentials for user "${user}" of the kubeconfig failed: ${truncate(redactSecrets(message))}; `
      + 'fix the user in the kubeconfig, or pick another context with --context');
  }
  const named = `the exec credential plugin \`${plugin.command}\` of kubeconfig user "${plugin.user}"`;
  if (e.code === 'ENOENT' || e.code === 'EACCES') {
    return new KubeconfigError(`${named} could not be run (${e.code}); install it or put it on PATH, or fix users[].user.exec.command in the kubeconfig`);
  }
  if (error instanceof SyntaxError || e.name === 'SyntaxError') {
    return new KubeconfigError(`${named} printed something that is not an ExecCredential (JSON); its output is not shown, as it may hold `
      + `credentials; run \`${plugin.command}\` yourself to see what it prints`);
  }
  const stderr = redactSecrets(message).trim().split('\n').filter((line) => line.trim() !== '').slice(-3).join(' / ');
  return new KubeconfigError(`${named} failed${stderr ? `: ${truncate(stderr)}` : ' without a message'}; run it yourself to see why `
    + '(e.g. an expired session: aws sso login), or pick another context with --context');
}

/** The error for credentials (from an exec plugin, or another source) that did not come within the request timeout. */
export function credentialsTimeoutError(plugin: ExecPlugin | undefined, user: string, timeoutMs: number): KubeconfigError {
  const what = plugin ? `the exec credential plugin \`${plugin.command}\` of kubeconfig user "${plugin.user}"` : `kubeconfig user "${user}"`;
  return new KubeconfigError(`${what} did not return credentials within ${formatDuration(timeoutMs)} (--request-timeout)${plugin ? ' and was stopped' : ''}; `
    + 'run it yourself to see why (it may wait for a login in a browser or a prompt), or allow it more time with --request-timeout');
}

function truncate(text: string): string {
  return text.length <= MAX_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_MESSAGE_LENGTH)}... (${text.length - MAX_MESSAGE_LENGTH} more characters)`;
}
