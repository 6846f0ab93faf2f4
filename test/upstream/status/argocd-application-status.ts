/**
 * What Argo CD v3.5.1 writes into an Application's status: ports of argoproj/argo-cd v3.5.1
 * - `resource_customizations/cluster.x-k8s.io/Cluster/health.lua`, `cluster.x-k8s.io/MachinePool/health.lua` and
 *   `controlplane.cluster.x-k8s.io/AWSManagedControlPlane/health.lua` (the built-in checks of the kinds an Arlon cluster
 *   Application holds; there is none for `infrastructure.cluster.x-k8s.io` AWSManagedCluster or AWSManagedMachinePool,
 *   and no wildcard matches them, so those have no health: `util/lua/lua.go` `GetHealthScript`);
 * - `gitops-engine/pkg/health/health.go` `GetResourceHealth` (deleting objects are Progressing "Pending deletion";
 *   kinds without a check have no health) and `IsWorse` (Healthy < Suspended < Progressing < Missing < Degraded < Unknown);
 * - `controller/health.go` `setApplicationHealth` (worst health of the live resources; missing ones do not count;
 *   Missing when none is live; per-resource health kept only with `controller.resource.health.persist`, off by default);
 * - `controller/appcontroller.go` `processAppRefreshQueueItem` (reconciledAt, sync, health, resources sorted by
 *   group/kind/namespace/name), `persistAppStatus` (health.lastTransitionTime changes only with the health status),
 *   `autoSync` (the operation: the compared revision, `initiatedBy.automated`, the Application's retry strategy; a
 *   revision whose last sync failed is not retried: SyncError "Failed last sync attempt to [rev]: msg"),
 *   `processRequestedAppOperation` + `setOperationState` (Running with startedAt; Failed/Error become Running again with
 *   finishedAt, retryCount and "… Retrying attempt #N at 3:04PM." until the retry limit; finishedAt when completed;
 *   `pkg/apis/application/v1alpha1/types.go` `NextRetryAt`), `controller/sync.go` `NewOperationState`/`SyncAppState`
 *   (syncResult.revision, "successfully synced (all tasks run)" from `gitops-engine/pkg/sync/sync_context.go`) and
 *   `controller/state.go` `persistRevisionHistory`.
 * Several sources (`spec.sources`): `sync.revisions` and `comparedTo.sources` (`CompareAppState`), the operation's and
 * the sync result's `sources`/`revisions` (`autoSync`, `newSyncOperationResult`), history `revisions`
 * (`persistRevisionHistory`).
 * Not modeled: the diff itself (whether live matches desired is an input), hooks, sync waves, per-resource sync
 * results, summary/images, `sourceTypes`, health of workload-cluster kinds (a bundle's resources are given).
 */
import { clone, getPath, isObject, k8sTime, kitchen, prune, type Json } from './objects';
import type { KubeObject } from '../../../src/kube/types';

export type HealthStatusCode = 'Healthy' | 'Suspended' | 'Progressing' | 'Missing' | 'Degraded' | 'Unknown';

export interface HealthStatus {
  readonly status: HealthStatusCode;
  readonly message?: string;
}

type Lua = Json;
const conditionsOf = (obj: Lua): Json[] => (Array.isArray(getPath(obj, 'status', 'conditions')) ? getPath(obj, 'status', 'conditions') as Json[] : []);

/** `cluster.x-k8s.io/Cluster/health.lua`. */
export function clusterHealth(obj: Lua): HealthStatus {
  if (getPath(obj, 'spec', 'paused') === true) {
    return { status: 'Suspended', message: 'Cluster is paused' };
  }
  let hs: HealthStatus = { status: 'Progressing', message: 'Waiting for clusters' };
  const phase = getPath(obj, 'status', 'phase');
  if (phase === 'Provisioned') {
    hs = { status: 'Healthy', message: 'Cluster is running' };
  }
  if (phase === 'Failed') {
    hs = { status: 'Degraded', message: '' };
  }
  const ready = conditionsOf(obj).find((c) => c.type === 'Ready' && c.status === 'False');
  return ready === undefined ? hs : { status: 'Degraded', message: ready.message as string | undefined };
}

/** `cluster.x-k8s.io/MachinePool/health.lua`: every False condition is listed, whatever its polarity. */
export function machinePoolHealth(obj: Lua): HealthStatus {
  let status: HealthStatusCode = 'Progressing';
  let message = '';
  const phase = getPath(obj, 'status', 'phase');
  if (typeof phase === 'string') {
    message = `MachinePool is ${phase}`;
    if (phase === 'Running' || phase === 'Scaling') {
      status = 'Healthy';
    }
    if (phase === 'Failed' || phase === 'Unknown') {
      status = 'Degraded';
    }
  }
  const extra = conditionsOf(obj).filter((c) => c.type !== undefined && c.status === 'False')
    .map((c) => `Not ${String(c.type)}${c.reason !== undefined ? ` (${String(c.reason)})` : ''}`).join(', ');
  return { status, message: extra === '' ? message : `${message}: ${extra}` };
}

/** `controlplane.cluster.x-k8s.io/AWSManagedControlPlane/health.lua`. */
export function awsManagedControlPlaneHealth(obj: Lua): HealthStatus {
  if (!isObject(obj.status) || obj.status.conditions === undefined) {
    return { status: 'Progressing', message: 'Provisioning...' };
  }
  let degraded = false;
  let errMsg = '';
  for (const c of conditionsOf(obj)) {
    if (c.type === 'Ready' && c.status === 'True') {
      return { status: 'Healthy', message: 'Control plane is ready' };
    }
    if (c.status === 'False' && c.severity === 'Error') {
      if (typeof c.message !== 'string') {
        // Lua: `err_msg .. condition.message .. " "` with a nil message raises; Argo CD reports the script error.
        return { status: 'Unknown', message: 'attempt to concatenate a nil value (field \'message\')' };
      }
      degraded = true;
      errMsg += `${c.message} `;
    }
  }
  if (degraded) {
    return { status: 'Degraded', message: errMsg };
  }
  if (getPath(obj, 'status', 'ready') === false) {
    return { status: 'Progressing', message: 'Control plane is not ready (.status.ready is false)' };
  }
  return { status: 'Progressing', message: 'Control plane is not ready' };
}

const CHECKS: Record<string, (obj: Lua) => HealthStatus> = {
  'cluster.x-k8s.io/Cluster': clusterHealth,
  'cluster.x-k8s.io/MachinePool': machinePoolHealth,
  'controlplane.cluster.x-k8s.io/AWSManagedControlPlane': awsManagedControlPlaneHealth,
};

/** `GetResourceHealth` for the kinds above (undefined: no health check, e.g. AWSManagedMachinePool, Namespace). */
export function resourceHealth(obj: KubeObject): HealthStatus | undefined {
  if (obj.metadata.deletionTimestamp !== undefined) {
    return { status: 'Progressing', message: 'Pending deletion' };
  }
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return CHECKS[`${group}/${obj.kind}`]?.(obj as unknown as Lua);
}

const ORDER: HealthStatusCode[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

/** `health.IsWorse`. */
export const isWorse = (current: HealthStatusCode, next: HealthStatusCode): boolean => ORDER.indexOf(next) > ORDER.indexOf(current);

/** One managed resource: its desired manifest and the live object (undefined when missing), and whether they differ. */
export interface ManagedResource {
  readonly target?: KubeObject;
  readonly live?: KubeObject;
  /** The health of a kind these ports do not cover (e.g. a bundle's Deployment in the workload cluster). */
  readonly health?: HealthStatus;
  readonly outOfSync?: boolean;
}

/** `setApplicationHealth` (no hooks): the application's health status. */
export function setApplicationHealth(resources: readonly ManagedResource[]): HealthStatusCode {
  let app: HealthStatusCode = 'Healthy';
  let containsLive = false;
  for (const r of resources) {
    if (r.live === undefined) {
      continue; // Missing resources do not affect the app health.
    }
    containsLive = true;
    if (r.live.metadata.annotations?.['argocd.argoproj.io/ignore-healthcheck'] === 'true') {
      continue;
    }
    const health = r.health ?? resourceHealth(r.live);
    if (health !== undefined && isWorse(app, health.status)) {
      app = health.status;
    }
  }
  return resources.length > 0 && !containsLive && isWorse(app, 'Missing') ? 'Missing' : app;
}

export type OperationPhase = 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';

/** How far the Application's latest sync got. */
export interface SyncProgress {
  /**
   * The revision it syncs to (the compared revision when auto-sync started it); with `spec.sources`, one per source in
   * order (a chart's resolved version, a git source's commit).
   */
  readonly revision: string | readonly string[];
  readonly startedAt: string;
  /** `Running`: applying; `Succeeded`; `Failed`/`Error` with `message`: the attempt failed (retried while attempts remain). */
  readonly phase: 'Running' | 'Succeeded' | 'Failed' | 'Error';
  /** When the (last) attempt finished. */
  readonly finishedAt?: string;
  readonly message?: string;
  /** Attempts that already failed before this one. */
  readonly retryCount?: number;
}

export interface ApplicationStatusInput {
  readonly application: KubeObject;
  /** The revision the source resolves to now (a commit SHA, a chart version); with `spec.sources`, one per source. */
  readonly revision: string | readonly string[];
  /** Whether each live resource matches its desired state (the diff is not modelled: `outOfSync` says it does not). */
  readonly resources: readonly ManagedResource[];
  readonly sync?: SyncProgress;
  readonly now: string;
  readonly persistResourceHealth?: boolean;
  readonly controllerNamespace?: string;
}

/** Seconds of a Go duration string (`30s`, `10m`, `1h30m`, `1.5s`). */
export function durationSeconds(d: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = [...d.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== d) {
    throw new Error(`time: invalid duration "${d}"`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
}

/** `RetryStrategy.NextRetryAt` with the Application's backoff (defaults: 5s, factor 2, at most 3m). */
export function nextRetryAt(app: KubeObject, lastAttempt: string, retryCount: number): string {
  const backoff = (getPath(app, 'spec', 'syncPolicy', 'retry', 'backoff') ?? {}) as { duration?: string; factor?: number; maxDuration?: string };
  const duration = backoff.duration ? durationSeconds(backoff.duration) : 5;
  const max = backoff.maxDuration ? durationSeconds(backoff.maxDuration) : 180;
  const wait = duration * (backoff.factor ?? 2) ** retryCount;
  return k8sTime(new Date(Date.parse(lastAttempt) + (max > 0 ? Math.min(max, wait) : wait) * 1000));
}

/** The `status.operationState` the controller stores for `sync`. */
export function operationState(app: KubeObject, sync: SyncProgress): Json {
  const source = getPath(app, 'spec', 'source');
  const sources = getPath(app, 'spec', 'sources');
  // autoSync: with several sources, the operation carries the sources and revisions, and no single source
  const revision = revisionFields(app, sync.revision);
  const retry = getPath(app, 'spec', 'syncPolicy', 'retry') ?? { limit: 5 };
  const limit = Number((retry as Json).limit ?? 5);
  const operation = {
    sync: {
      ...revision,
      ...(getPath(app, 'spec', 'syncPolicy', 'automated', 'prune') === true ? { prune: true } : {}),
      ...(getPath(app, 'spec', 'syncPolicy', 'syncOptions') === undefined ? {} : { syncOptions: getPath(app, 'spec', 'syncPolicy', 'syncOptions') }),
      ...(source === undefined ? {} : { source }),
      ...(sources === undefined ? {} : { sources }),
    },
    initiatedBy: { automated: true },
    retry,
  };
  // controller/sync.go `newSyncOperationResult` and `SyncAppState`: the sources synced and the revisions they resolved to
  // (`revision` is not omitempty there: "" with several sources)
  const syncResult = { revision: '', ...revision, ...(source === undefined ? {} : { source }), ...(sources === undefined ? {} : { sources }) };
  const base = { operation, startedAt: k8sTime(sync.startedAt), syncResult };
  if (sync.phase === 'Running') {
    return { ...base, phase: 'Running', ...(sync.retryCount ? { retryCount: sync.retryCount } : {}) };
  }
  if (sync.phase === 'Succeeded') {
    return {
      ...base,
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      finishedAt: k8sTime(sync.finishedAt ?? sync.startedAt),
      ...(sync.retryCount ? { retryCount: sync.retryCount } : {}),
    };
  }
  const finishedAt = k8sTime(sync.finishedAt ?? sync.startedAt);
  const count = sync.retryCount ?? 0;
  if (count < limit || limit < 0) {
    const at = nextRetryAt(app, finishedAt, count);
    return {
      ...base,
      phase: 'Running',
      finishedAt,
      retryCount: count + 1,
      message: `${sync.message ?? ''}. Retrying attempt #${count + 1} at ${kitchen(at)}.`,
    };
  }
  return {
    ...base,
    phase: sync.phase,
    finishedAt,
    ...(count > 0 ? { retryCount: count } : {}),
    message: count > 0 ? `${sync.message ?? ''} (retried ${count} times).` : sync.message ?? '',
  };
}

/** `revision`, or `revisions` for an Application with `spec.sources` (`HasMultipleSources`). */
function revisionFields(app: KubeObject, revision: string | readonly string[]): { revision?: string; revisions?: string[] } {
  const multiple = Array.isArray(getPath(app, 'spec', 'sources'));
  if (multiple !== Array.isArray(revision)) {
    throw new Error(`Application ${app.metadata.name}: ${multiple ? 'several sources need one revision each' : 'one source has one revision'}`);
  }
  return multiple ? { revisions: [...(revision as readonly string[])] } : { revision: revision as string };
}

const sameRevision = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const resourceKey = (r: Json) => [r.group ?? '', r.kind, r.namespace ?? '', r.name].join('/');

/** One refresh of an Application (with the operation `sync` as the controller last stored it); pure. */
export function applicationStatus(input: ApplicationStatusInput): Json {
  const app = input.application;
  const previous = (isObject(app.status) ? app.status : {}) as Json;
  const now = k8sTime(input.now);
  const healthStatus = setApplicationHealth(input.resources);
  const prevHealth = getPath(previous, 'health') as { status?: string; lastTransitionTime?: string } | undefined;
  const op = input.sync === undefined ? previous.operationState as Json | undefined : operationState(app, input.sync);
  const compared = revisionFields(app, input.revision);
  const opRevision = op === undefined ? undefined : (getPath(op, 'syncResult', 'revisions') ?? getPath(op, 'syncResult', 'revision'));
  const comparedRevision = compared.revisions ?? compared.revision;
  // Synced is the diff (controller/state.go `CompareAppState`): every resource as desired. An operation of the compared
  // revision that has not succeeded means the live objects are not there yet: autoSync starts one only when OutOfSync.
  // A later commit that changes nothing of the Application compares Synced at the new revision, with no operation.
  const drift = input.resources.some((r) => r.outOfSync === true || (r.target !== undefined && r.live === undefined));
  const applying = op !== undefined && op.phase !== 'Succeeded' && sameRevision(opRevision, comparedRevision);
  const synced = !drift && !applying;
  const resources = input.resources.map((r) => {
    const obj = (r.live ?? r.target)!;
    const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
    const health = r.live === undefined ? { status: 'Missing' } : r.health ?? resourceHealth(r.live);
    return {
      ...(group === '' ? {} : { group }),
      version,
      kind: obj.kind,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      name: obj.metadata.name,
      status: r.outOfSync === true || r.live === undefined ? 'OutOfSync' : 'Synced',
      ...(input.persistResourceHealth && health !== undefined ? { health } : {}),
    } as Json;
  }).sort((a, b) => (resourceKey(a) < resourceKey(b) ? -1 : resourceKey(a) > resourceKey(b) ? 1 : 0));
  const history = clone((previous.history ?? []) as Json[]);
  if (op !== undefined && op.phase === 'Succeeded' && !history.some((h) => h.deployedAt === op.finishedAt && sameRevision(h.revisions ?? h.revision, opRevision))) {
    history.push({
      ...(Array.isArray(opRevision) ? { revisions: opRevision } : { revision: opRevision }),
      deployedAt: op.finishedAt,
      deployStartedAt: op.startedAt,
      id: history.length === 0 ? 0 : Number(history[history.length - 1].id) + 1,
      ...(getPath(app, 'spec', 'sources') === undefined ? { source: getPath(app, 'spec', 'source') } : { sources: getPath(app, 'spec', 'sources') }),
      initiatedBy: { automated: true },
    });
  }
  const failed = op !== undefined && (op.phase === 'Failed' || op.phase === 'Error') && sameRevision(opRevision, comparedRevision);
  const source = getPath(app, 'spec', 'source') as Json | undefined;
  const sources = getPath(app, 'spec', 'sources') as Json[] | undefined;
  const shown = (r: string | string[] | undefined) => (Array.isArray(r) ? r.join(', ') : r);
  return prune({
    ...(resources.length > 0 ? { resources } : {}),
    sync: {
      status: synced ? 'Synced' : 'OutOfSync',
      comparedTo: { ...(sources === undefined ? { source } : { sources }), destination: getPath(app, 'spec', 'destination') },
      ...compared,
    },
    health: {
      status: healthStatus,
      lastTransitionTime: prevHealth?.status === healthStatus && prevHealth.lastTransitionTime ? prevHealth.lastTransitionTime : now,
    },
    ...(history.length > 0 ? { history: history.slice(-10) } : {}),
    ...(failed && !synced ? {
      conditions: [{
        type: 'SyncError',
        lastTransitionTime: now,
        message: `Failed last sync attempt to [${shown(comparedRevision)}]: ${String(op!.message)}`,
      }],
    } : {}),
    reconciledAt: now,
    ...(op === undefined ? {} : { operationState: op }),
    // with several sources, `sourceTypes` comes from the repo server's answers per source (not modelled)
    ...(sources === undefined ? { sourceType: source?.chart !== undefined ? 'Helm' : 'Directory' } : {}),
    resourceHealthSource: input.persistResourceHealth ? undefined : 'appTree',
    controllerNamespace: input.controllerNamespace ?? app.metadata.namespace ?? 'argocd',
  });
}
