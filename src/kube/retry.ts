import { redactSecrets } from './redact';
import { KubeApiError, KubeConnectionError } from './types';

/** How requests are retried. */
export interface RetryPolicy {
  /** Attempts in all, including the first. */
  readonly attempts: number;
  /** Delay before the first retry; it doubles each time (with jitter), up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  /** Longest delay between attempts. */
  readonly maxDelayMs: number;
  /**
   * Attempts in all when they time out: each costs the whole request timeout, and a server that accepted a
   * connection and did not answer rarely answers the next one.
   * @default 2
   */
  readonly timeoutAttempts?: number;
}

const DEFAULT_TIMEOUT_ATTEMPTS = 2;

/** Default: 6 attempts over about 8 seconds; a timeout is tried twice. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 4000, timeoutAttempts: DEFAULT_TIMEOUT_ATTEMPTS };

/** Status codes worth retrying: throttling and server-side failures that are usually transient. */
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Error from one attempt, with the server's `Retry-After` when it sent one. */
export class RetryableResponse extends KubeApiError {
  constructor(message: string, status: number, reason: string | undefined, public readonly retryAfterMs?: number) {
    super(message, status, reason);
  }
}

/** Whether an error is worth another attempt: dropped or refused connections, timeouts, 429 and 5xx. */
export function isRetryable(error: unknown): boolean {
  return error instanceof KubeConnectionError || (error instanceof KubeApiError && RETRYABLE_STATUS.has(error.status));
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not retryable, or runs out of attempts. Only
 * idempotent requests are retried (GET, LIST and server-side apply), so a retry after a lost response is safe.
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: () => Promise<T>, sleep = defaultSleep,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void): Promise<T> {
  let timeouts = 0;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (isTimeout(error)) {
        timeouts++;
      }
      if (i >= policy.attempts || !isRetryable(error) || timeouts >= (policy.timeoutAttempts ?? DEFAULT_TIMEOUT_ATTEMPTS)) {
        throw error;
      }
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (i - 1));
      const jittered = backoff * (0.8 + Math.random() * 0.4);
      // The server's Retry-After is honoured whole: the command's --deadline bounds the wait, not the backoff's cap.
      const retryAfter = error instanceof RetryableResponse ? error.retryAfterMs : undefined;
      const delay = retryAfter === undefined ? Math.min(policy.maxDelayMs, jittered) : Math.max(jittered, retryAfter);
      onRetry?.(error, i, delay);
      await sleep(delay);
    }
  }
}

/** Whether a request failed for want of an answer within its timeout. */
export function isTimeout(error: unknown): boolean {
  return error instanceof KubeConnectionError && error.code === 'ETIMEDOUT';
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Short reasons for the connection failures a retry line names. */
const CONNECTION_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'no answer',
};

/** Why an attempt failed, in a few words: `connection refused`, `HTTP 503`, `HTTP 429 TooManyRequests`. */
export function retryReason(error: unknown): string {
  if (error instanceof KubeConnectionError) {
    return CONNECTION_REASONS[error.code] ?? error.code;
  }
  if (error instanceof KubeApiError) {
    return `HTTP ${error.status}${error.reason ? ` ${error.reason}` : ''}`;
  }
  return error instanceof Error ? error.name : 'failed';
}

/**
 * The progress line printed before a retry, e.g. `retrying GET https://10.0.0.1:6443/api/v1 (attempt 3 of 8, connection
 * refused), next in 1.0s`: the attempt about to be made, why the last one failed, and the wait. The URL is shown without
 * user information or query, and redacted: no credential is ever printed.
 */
export function retryLine(method: string, server: string, path: string, error: unknown, failedAttempt: number, attempts: number,
  delayMs: number): string {
  let url: string;
  try {
    const parsed = new URL(server.replace(/\/+$/, '') + path);
    url = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    url = path.split('?')[0];
  }
  const wait = delayMs < 1000 ? `${Math.round(delayMs)}ms` : `${(delayMs / 1000).toFixed(1)}s`;
  return redactSecrets(`retrying ${method} ${url} (attempt ${failedAttempt + 1} of ${attempts}, ${retryReason(error)}), next in ${wait}`);
}
