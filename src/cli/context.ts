import { setMaxListeners } from 'events';
import type { Target } from './errors';
import { parseDuration, retryPolicy, type GlobalOptions } from './options';
import type { Io } from './output';
import { KubeconfigError } from '../kube/http-client-errors';
import { redactSecrets } from '../kube/redact';
import type { KubeClient } from '../kube/types';

/** An error raised while talking to a cluster, with where that was. */
export class TargetedError extends Error {
  constructor(public readonly cause: unknown, public readonly target: Target) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'TargetedError';
  }
}

/** Opens a client for the management cluster. */
export type OpenClient = (options: GlobalOptions, io: Io, context: CommandContext) => Promise<KubeClient>;

/** What commands share: their streams, how to reach the management cluster, and how to stop when the deadline passes. */
export class CommandContext {
  private readonly controller = new AbortController();
  private current = 'starting';

  constructor(
    public readonly io: Io,
    /** Opens a client for the given options; replaced in tests. */
    private readonly open: OpenClient = openClient,
  ) {
    // Every request in flight listens to the signal; many run at once (one per cluster), which is no leak.
    setMaxListeners(0, this.controller.signal);
  }

  /** Aborted when the command is stopped (its `--deadline` passed): requests, credential plugins and the synth stop. */
  public get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** What the command waits for now, e.g. `waiting for GET /api/v1 from https://...`; named when the deadline passes. */
  public get activity(): string {
    return this.current;
  }

  /** Records what the command waits for now. */
  public doing(what: string): void {
    this.current = what;
  }

  /** Stops what the command is doing. */
  public cancel(): void {
    this.controller.abort();
  }

  /** Runs `work` with a client for the management cluster; errors carry the server and context. */
  public async withClient<T>(options: GlobalOptions, work: (client: KubeClient) => Promise<T>): Promise<T> {
    const client = await this.open(options, this.io, this);
    try {
      return await work(client);
    } catch (error) {
      throw new TargetedError(error, { server: client.server, context: client.context });
    }
  }
}

/**
 * Loads the client lazily, so commands that never reach a cluster (`list`) never load `@kubernetes/client-node`.
 * Whatever fails while the kubeconfig is loaded is reported as a kubeconfig error, redacted: the kubeconfig holds
 * credentials, and no message may quote them.
 */
async function openClient(options: GlobalOptions, io: Io, context: CommandContext): Promise<KubeClient> {
  const requestTimeoutMs = parseDuration('--request-timeout', options.requestTimeout);
  const retry = retryPolicy(io.env);
  context.doing('loading the kubeconfig');
  const { connect } = await import('../kube/http-client');
  try {
    return connect({
      kubeconfig: options.kubeconfig,
      context: options.context,
      requestTimeoutMs,
      retry,
      env: io.env,
      signal: context.signal,
      onActivity: (what) => context.doing(what),
      onRetry: (message) => io.stderr(`${message}\n`),
    });
  } catch (error) {
    if (error instanceof KubeconfigError) {
      throw error;
    }
    throw new KubeconfigError(`the kubeconfig could not be loaded: ${redactSecrets(error instanceof Error ? error.message : String(error))}; `
      + 'fix it, or point --kubeconfig or KUBECONFIG at another file');
  }
}
