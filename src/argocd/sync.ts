/**
 * Sync settings shared by the generated Applications. `retry` with backoff, so a failure that passes (a webhook not
 * ready yet, a CRD installed by another bundle) is retried rather than left until the next commit; `refresh` makes
 * each retry use the newest revision (Argo CD `RetryStrategy`).
 */
export const RETRY = { limit: 10, refresh: true, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } as const;

/** Makes Argo CD regenerate an Application's manifests only when a commit touches one of these repository paths. */
export const MANIFEST_GENERATE_PATHS = 'argocd.argoproj.io/manifest-generate-paths';

/** The finalizer that makes Argo CD delete an Application's objects with it (a cascade delete). */
export const CASCADE_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Argo CD's sync wave annotation: the order of the management plane's Applications (read back by `arlonctl bootstrap`). */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
