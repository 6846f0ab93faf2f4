import type { Target } from './errors';
import { parseDuration, retryPolicy, type GlobalOptions } from './options';
import type { Io } from './output';
import type { KubeClient } from '../kube/types';
import { readDist, type DistFleet } from '../operations/dist-fleet';

/** An error raised while talking to a cluster, with where that was. */
export class TargetedError extends Error {
  constructor(public readonly cause: unknown, public readonly target: Target) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'TargetedError';
  }
}

/** What commands share: their streams, and how to reach the management cluster. */
export class CommandContext {
  constructor(
    public readonly io: Io,
    /** Opens a client for the given options; replaced in tests. */
    private readonly open: (options: GlobalOptions, io: Io) => Promise<KubeClient> = openClient,
  ) {}

  /** The fleet in `--dist`. */
  public fleet(options: GlobalOptions): DistFleet {
    return readDist(options.dist);
  }

  /** Runs `work` with a client for the management cluster; errors carry the server and context. */
  public async withClient<T>(options: GlobalOptions, work: (client: KubeClient) => Promise<T>): Promise<T> {
    const client = await this.open(options, this.io);
    try {
      return await work(client);
    } catch (error) {
      throw new TargetedError(error, { server: client.server, context: client.context });
    }
  }
}

/** Loads the client lazily, so commands that never reach a cluster (`list`) never load `@kubernetes/client-node`. */
async function openClient(options: GlobalOptions, io: Io): Promise<KubeClient> {
  const { connect } = await import('../kube/http-client');
  return connect({
    kubeconfig: options.kubeconfig,
    context: options.context,
    requestTimeoutMs: parseDuration('--request-timeout', options.requestTimeout),
    retry: retryPolicy(io.env),
  });
}
