/**
 * What happens to a bundle's workloads on a cluster when the cluster stops carrying the bundle (the bundle leaves
 * its profiles, the cluster excludes it or is retired, or the bundle is deleted from the code).
 */
export enum RemovalPolicy {
  /**
   * Argo CD stops managing what the bundle installed and leaves it running, persistent volumes included: its
   * Applications carry no resources finalizer. Uninstall by hand, or switch to `DESTROY` first.
   */
  RETAIN = 'retain',
  /**
   * Argo CD deletes what the bundle installed with its Application (the resources finalizer, a cascade delete).
   * Set it in one change, and remove the bundle in a later one: the finalizer must reach the Applications before
   * they are deleted.
   */
  DESTROY = 'destroy',
}
