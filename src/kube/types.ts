/** A Kubernetes object as sent and received over the API (JSON). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** The Kubernetes version an API server reports (`version.Info`). */
export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
}

/** Identifies one object. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Options of a server-side apply. */
export interface ApplyOptions {
  /** Server-side dry run: the API server validates and returns the result without storing it. */
  readonly dryRun?: boolean;
  /** Take over fields owned by other field managers instead of failing with a conflict. */
  readonly force?: boolean;
}

/** Options of a LIST. */
export interface ListOptions {
  /** Namespace to list in; all namespaces when omitted (for namespaced kinds). */
  readonly namespace?: string;
  /** Label selector, e.g. `arlon.io/fleet=acme,arlon.io/bundle`. */
  readonly labelSelector?: string;
}

/**
 * The subset of the Kubernetes API the CLI uses. Everything but `kube/http-client.ts` depends on this interface, so
 * operations are tested with fakes and only one module loads `@kubernetes/client-node`.
 */
export interface KubeClient {
  /** The API server URL, for messages. */
  readonly server: string;
  /** The kubeconfig context in use, for messages. */
  readonly context: string;
  /**
   * Whether the API server serves `groupVersion` (e.g. `argoproj.io/v1alpha1`, or `v1` for the core group). A group
   * not served is asked again next time: installing a CRD can serve it.
   */
  servesGroupVersion(groupVersion: string): Promise<boolean>;
  /** The API server's Kubernetes version (`GET /version`). */
  serverVersion(): Promise<ServerVersion>;
  /** The object, or undefined when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Objects of a kind. */
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  /** Server-side apply with the CLI's field manager; returns the object as stored (or as it would be, on a dry run). */
  apply(obj: KubeObject, options?: ApplyOptions): Promise<KubeObject>;
  /** Deletes the object; false when it did not exist. */
  delete(ref: ObjectRef, options?: { readonly dryRun?: boolean }): Promise<boolean>;
}

/** The one field manager of everything `arlonctl` applies. Changing it would orphan the ownership of every field. */
export const FIELD_MANAGER = 'arlonctl';

/** One field another manager owns, from a 409 conflict. */
export interface FieldConflict {
  /** The field path, e.g. `.spec.source.targetRevision`. */
  readonly field: string;
  /** The message of the API server, naming the owning manager. */
  readonly message: string;
}

/** An error status returned by the API server. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    /** HTTP status code. */
    public readonly status: number,
    /** The Status `reason` (e.g. `Conflict`, `NotFound`, `Unauthorized`). */
    public readonly reason: string | undefined,
    /** Field conflicts of a 409 from server-side apply. */
    public readonly conflicts: readonly FieldConflict[] = [],
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** The API server could not be reached, or stopped answering. */
export class KubeConnectionError extends Error {
  constructor(message: string, public readonly code: string) {
    super(message);
    this.name = 'KubeConnectionError';
  }
}

/**
 * The API server's TLS certificate cannot be trusted (self-signed, unknown authority, wrong host name, expired), or
 * the server does not speak TLS. Never retried: it fails the same way every time.
 */
export class KubeTlsError extends Error {
  constructor(
    message: string,
    /** The Node.js error code, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT` or `CERT_HAS_EXPIRED`. */
    public readonly code: string,
    /** What is wrong with the certificate, in words. */
    public readonly problem: string,
    /** How to fix it. */
    public readonly fix: string,
  ) {
    super(message);
    this.name = 'KubeTlsError';
  }
}

/** Splits `group/version` (or `v1`) into its group ('' for core) and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `kind.group/name`, or `kind/name` for the core group: the way kubectl names an object. */
export function describeObject(obj: { apiVersion: string; kind: string; metadata?: { name: string; namespace?: string }; name?: string }): string {
  const { group } = parseApiVersion(obj.apiVersion);
  const name = obj.metadata?.name ?? obj.name;
  return `${obj.kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}
