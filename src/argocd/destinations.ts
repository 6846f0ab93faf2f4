/**
 * How the fleet's AppProjects name the management cluster, shared by the emitter (`projects.ts`) and the readers of
 * `dist/` (`arlonctl register` and `status` compare live cluster Secrets against it). No construct code: the CLI
 * loads it.
 */

/** The API server address of the cluster Argo CD runs in: the management cluster. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * A literal as a gobwas glob (what Argo CD's `glob.Match` compiles): `*`, `?`, `[`, `]`, `{`, `}`, `,` and `\` escaped,
 * so that an address such as `https://[2001:db8::1]:6443` denies itself and nothing else.
 */
export function globLiteral(text: string): string {
  return text.replace(/[\\*?[\]{},]/g, '\\$&');
}

/** The literal a `globLiteral` stands for. */
export function fromGlobLiteral(glob: string): string {
  return glob.replace(/\\(.)/g, '$1');
}

/** Every address the fleet knows the management cluster by: Argo CD's names for it, and its API servers. */
export interface ManagementAddresses {
  /** `managementClusterName` and `management.argoCdClusterNames`. */
  readonly names: readonly string[];
  /** Argo CD's in-cluster server and `management.apiServerUrls`, without trailing `/`. */
  readonly servers: readonly string[];
}

/**
 * The addresses a project's destinations deny (`!name` and `!server` patterns), in order of first appearance; with
 * none, `fallback` (a `dist/` synthesized before these were recorded).
 */
export function deniedAddresses(destinations: ReadonlyArray<{ name?: string; server?: string }>, fallback: ManagementAddresses): ManagementAddresses {
  const denied = (field: 'name' | 'server') => [...new Set(destinations.map((d) => d[field])
    .filter((p): p is string => p !== undefined && p.startsWith('!')).map((p) => fromGlobLiteral(p.slice(1))))];
  const names = denied('name');
  const servers = denied('server');
  return { names: names.length > 0 ? names : fallback.names, servers: servers.length > 0 ? servers : fallback.servers };
}
