import { changedFields, declaredPart } from './diff';
import type { DistFleet } from './dist-fleet';
import { requireApis, requireNamespace } from './preflight';
import { Labels, MANAGED_BY } from '../fleet/labels';
import { KubeApiError, describeObject, type KubeClient, type KubeObject } from '../kube/types';

/** Credentials Argo CD needs to pull a private fleet repository. They never come from or go into dist/. */
export interface RepositoryCredentials {
  /** HTTPS user name (with `password`). */
  readonly username?: string;
  /** HTTPS password or token (with `username`). */
  readonly password?: string;
  /** SSH private key (for ssh:// or git@ URLs). */
  readonly sshPrivateKey?: string;
}

/** Options of `deploy`. */
export interface DeployOptions {
  /** Server-side dry run: report what would change, store nothing. */
  readonly dryRun?: boolean;
  /** Take over fields other field managers own instead of stopping at the conflict. */
  readonly forceConflicts?: boolean;
  /** Repository credentials to register with Argo CD. */
  readonly credentials?: RepositoryCredentials;
}

/** What happened to one object. */
export interface DeployResult {
  /** `kind.group/name`, as kubectl names objects. */
  readonly object: string;
  readonly namespace?: string;
  readonly action: 'created' | 'configured' | 'unchanged';
  /** The declared fields that changed (values of Secrets are never shown). */
  readonly changes: readonly string[];
}

/** Another field manager owns fields the fleet sets. */
export class ConflictError extends Error {
  constructor(
    message: string,
    public readonly conflicts: ReadonlyArray<{ readonly object: string; readonly field: string; readonly message: string }>,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * Registers the fleet with Argo CD: server-side applies the bootstrap objects of `dist/fleet/` (the fleet's
 * AppProject and root Application), and the repository credentials Secret when credentials are given. Applying the
 * same dist/ again changes nothing. Never deletes anything.
 */
export async function deploy(client: KubeClient, fleet: DistFleet, options: DeployOptions = {}): Promise<DeployResult[]> {
  await requireApis(client, ['argocd']);
  await requireNamespace(client, fleet.argocdNamespace, 'Argo CD runs there in this fleet (Fleet `argocdNamespace`); install Argo CD into it first');
  const objects = [
    ...(options.credentials ? [repositorySecret(fleet, options.credentials)] : []),
    ...orderForApply(fleet.bootstrap),
  ];
  const results: DeployResult[] = [];
  for (const obj of objects) {
    results.push(await applyOne(client, obj, options));
  }
  return results;
}

/** Server-side applies one object and reports what changed. */
export async function applyOne(client: KubeClient, obj: KubeObject, options: { dryRun?: boolean; forceConflicts?: boolean }): Promise<DeployResult> {
  const name = describeObject(obj);
  const live = await client.get({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace });
  let result: KubeObject;
  try {
    result = await client.apply(obj, { dryRun: options.dryRun, force: options.forceConflicts });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 409) {
      const conflicts = error.conflicts.map((c) => ({ object: name, field: c.field, message: c.message }));
      const lines = conflicts.length > 0 ? conflicts.map((c) => `${c.field}: ${c.message}`) : [error.message];
      throw new ConflictError(`${name} has fields owned by another field manager:\n  - ${lines.join('\n  - ')}\n`
        + 'someone changed them outside the fleet; fix the fleet code, or take the fields over with --force-conflicts', conflicts);
    }
    throw error;
  }
  const changes = live === undefined ? [] : changedFields(declaredPart(live), declaredPart(result));
  // By content, not resourceVersion: a controller writing the status between the read and the apply (Argo CD does on
  // every reconcile of an Application) changes the resourceVersion, not what was applied.
  const unchanged = live !== undefined && (live.metadata.resourceVersion === result.metadata.resourceVersion || changes.length === 0);
  return {
    object: name,
    namespace: obj.metadata.namespace,
    action: live === undefined ? 'created' : unchanged ? 'unchanged' : 'configured',
    changes: obj.kind === 'Secret' ? changes.map((c) => (c.startsWith('.data') ? '.data (values hidden)' : c)).filter(uniqueFilter) : changes,
  };
}

/** Secrets first, then AppProjects (Applications name them), then everything else. */
function orderForApply(objects: readonly KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) => (o.kind === 'Secret' ? 0 : o.kind === 'AppProject' ? 1 : 2);
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

/** The Argo CD repository Secret for the fleet repository. Values are base64 `data`, which applies idempotently. */
export function repositorySecret(fleet: DistFleet, credentials: RepositoryCredentials): KubeObject {
  const values: Record<string, string> = { type: 'git', url: fleet.repoUrl };
  if (credentials.sshPrivateKey !== undefined) {
    values.sshPrivateKey = credentials.sshPrivateKey;
  }
  if (credentials.username !== undefined) {
    values.username = credentials.username;
  }
  if (credentials.password !== undefined) {
    values.password = credentials.password;
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `${fleet.name}-repository`,
      namespace: fleet.argocdNamespace,
      labels: { 'argocd.argoproj.io/secret-type': 'repository', [Labels.MANAGED_BY]: MANAGED_BY, [Labels.FLEET]: fleet.name },
    },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')])),
  };
}

function uniqueFilter(value: string, index: number, all: readonly string[]): boolean {
  return all.indexOf(value) === index;
}
