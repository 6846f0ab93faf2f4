/**
 * The kubeconfig could not give a cluster to talk to. Kept apart from `http-client.ts` so that code recognising the
 * error does not load `@kubernetes/client-node`.
 */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}
