import { EXIT, describeCommandError, type Target } from './errors';
import { KubeconfigError, tlsFailure } from '../kube/http-client-errors';
import { redactSecrets } from '../kube/redact';
import { KubeApiError, KubeConnectionError, KubeTlsError } from '../kube/types';
import { ConflictError } from '../operations/deploy';
import { DistError } from '../operations/dist-fleet';
import { GitError } from '../operations/git-dist';
import { AcceptanceError } from '../operations/plan-acceptance';
import { PreflightError } from '../operations/preflight';

// Apart from the error classes (errors.ts): the classes it tells apart come from the operations, which a command
// loads only when it runs; main loads this module only once a command has failed.
/**
 * The message for an error, naming what went wrong and what to do; and its exit status. The message is redacted:
 * whatever an error quotes, no credential or Secret value is printed.
 */
export function describeError(error: unknown, target?: Target): { message: string; exitCode: number } {
  const { message, exitCode } = describe(error, target);
  return { message: redactSecrets(message), exitCode };
}

function describe(error: unknown, target?: Target): { message: string; exitCode: number } {
  const where = target ? `the management cluster at ${target.server} (context ${target.context})` : 'the management cluster';
  const own = describeCommandError(error);
  if (own !== undefined) {
    return own;
  }
  if (error instanceof KubeConnectionError && error.code === 'ETIMEDOUT') {
    return {
      message: `${where} did not answer: ${error.message}; check that it is healthy and reachable from here (a proxy or firewall may hold `
        + 'the connection), or allow more time with --request-timeout',
      exitCode: EXIT.FAILURE,
    };
  }
  if (error instanceof KubeTlsError) {
    return {
      message: `${tlsFailure(error.code)} ${where}: ${error.problem} (${error.code}); ${error.fix}`,
      exitCode: EXIT.FAILURE,
    };
  }
  if (error instanceof KubeConnectionError) {
    return {
      message: `cannot connect to ${where}: ${error.code}; check that it is running and reachable from here, and that KUBECONFIG, `
        + '--kubeconfig or --context point at it',
      exitCode: EXIT.FAILURE,
    };
  }
  if (error instanceof KubeApiError && error.status === 401) {
    return {
      message: `${where} rejected the credentials (401 Unauthorized); refresh them (e.g. aws sso login, or a new token) or pick another context with --context`,
      exitCode: EXIT.FAILURE,
    };
  }
  if (error instanceof KubeApiError && error.status === 403) {
    return { message: `${where} refused the request (403 Forbidden): ${error.message}; grant the user that permission, or use another context`, exitCode: EXIT.FAILURE };
  }
  if (error instanceof KubeApiError) {
    return { message: `${where} answered ${error.status}${error.reason ? ` ${error.reason}` : ''}: ${error.message}`, exitCode: EXIT.FAILURE };
  }
  if (error instanceof KubeconfigError || error instanceof DistError || error instanceof PreflightError
    || error instanceof ConflictError
    || error instanceof GitError || error instanceof AcceptanceError) {
    return { message: error.message, exitCode: EXIT.FAILURE };
  }
  return { message: error instanceof Error ? error.message : String(error), exitCode: EXIT.FAILURE };
}
