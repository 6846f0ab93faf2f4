import { isDeepStrictEqual } from 'util';
import { sourceInputs, sourcesOf, type ApplicationSource } from './application-sources';
import { bundleSourceOf, type DistCluster, type DistFleet } from './dist-fleet';
import { requireApis } from './preflight';
import type { ReleaseEvidence } from './release-evidence';
import { Annotations, Labels } from '../fleet/labels';
import type { KubeClient, KubeObject } from '../kube/types';

/** Whether a cluster is healthy at the revision it should run, and since when nothing about it has changed. */
export interface ClusterHealth {
  readonly cluster: string;
  readonly healthy: boolean;
  /** Why it is not healthy (empty when it is). */
  readonly reasons: readonly string[];
  /**
   * Since when it has been as it is: the latest sync of its Applications (the release applied) and the latest
   * transition of any condition of its objects and of its Applications' health. Undefined when nothing reports one.
   */
  readonly since?: Date;
}

/** What the management cluster holds of one cluster: its Cluster API and CAPA objects, and its Argo CD Applications. */
export interface LiveCluster {
  readonly cluster?: KubeObject;
  readonly controlPlane?: KubeObject;
  /** MachinePools and AWSManagedMachinePools, by object name. */
  readonly machinePools: ReadonlyMap<string, KubeObject>;
  readonly managedMachinePools: ReadonlyMap<string, KubeObject>;
  readonly applications: readonly KubeObject[];
}

/** What the health rule reads of the fleet: its bundles, and its repository (the sources whose commits git can check). */
export type HealthContext = Pick<DistFleet, 'bundles' | 'repoUrl'>;

/**
 * The health of `clusters` on the management cluster, in five LIST requests whatever their number: Cluster API
 * Clusters and MachinePools, CAPA control planes and managed machine pools, and Argo CD Applications; then what the
 * fleet repository's history says of the commits the Applications report (`evidence`, for the paths they read). See
 * `healthOf` for the rule.
 */
export async function clusterHealth(
  client: KubeClient, fleet: DistFleet, clusters: readonly DistCluster[], evidence: (paths: Iterable<string>) => Promise<ReleaseEvidence>,
): Promise<Map<string, ClusterHealth>> {
  if (clusters.length === 0) {
    return new Map();
  }
  await requireApis(client, ['argocd', 'capi', 'capa']);
  const fleetSelector = `${Labels.FLEET}=${fleet.name}`;
  const [capiClusters, controlPlanes, machinePools, managedPools, applications] = await Promise.all([
    client.list('cluster.x-k8s.io/v1beta2', 'Cluster', { labelSelector: fleetSelector }),
    client.list('controlplane.cluster.x-k8s.io/v1beta2', 'AWSManagedControlPlane', { labelSelector: fleetSelector }),
    client.list('cluster.x-k8s.io/v1beta2', 'MachinePool', { labelSelector: fleetSelector }),
    client.list('infrastructure.cluster.x-k8s.io/v1beta2', 'AWSManagedMachinePool', { labelSelector: fleetSelector }),
    client.list('argoproj.io/v1alpha1', 'Application', { namespace: fleet.argocdNamespace, labelSelector: `${fleetSelector},${Labels.CLUSTER}` }),
  ]);
  const byKey = (objects: KubeObject[]) => new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
  const [capi, cps, pools, managed] = [byKey(capiClusters), byKey(controlPlanes), byKey(machinePools), byKey(managedPools)];
  const apps = new Map<string, KubeObject[]>();
  for (const app of applications) {
    const cluster = app.metadata.labels?.[Labels.CLUSTER] ?? '';
    apps.set(cluster, [...(apps.get(cluster) ?? []), app]);
  }
  const inputs = clusters.flatMap((c) => apps.get(c.name) ?? []).flatMap((app) => sourcesOf(app)
    .filter((s) => s.chart === undefined && s.repoURL === fleet.repoUrl).flatMap((s) => sourceInputs(app, s)));
  const history = await evidence(inputs);
  return new Map(clusters.map((cluster) => {
    const ns = cluster.namespace ?? cluster.name;
    const capiName = cluster.capiName ?? cluster.name;
    const inNamespace = (index: Map<string, KubeObject>) => new Map(cluster.nodePools.map((p) => `${capiName}-${p.name}`)
      .map((name) => [name, index.get(`${ns}/${name}`)]).filter((e): e is [string, KubeObject] => e[1] !== undefined));
    const live: LiveCluster = {
      cluster: capi.get(`${ns}/${capiName}`),
      controlPlane: cps.get(`${ns}/${cluster.controlPlaneName ?? `${capiName}-control-plane`}`),
      machinePools: inNamespace(pools),
      managedMachinePools: inNamespace(managed),
      applications: apps.get(cluster.name) ?? [],
    };
    return [cluster.name, healthOf(cluster, fleet, live, history)];
  }));
}

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly observedGeneration?: number;
}

type Status = {
  observedGeneration?: number;
  conditions?: Condition[];
  phase?: string;
  ready?: boolean;
  version?: string;
  failureMessage?: string;
  replicas?: number;
  versions?: Array<{ version?: string; replicas?: number }>;
  deprecated?: { v1beta1?: { conditions?: Condition[]; readyReplicas?: number; failureMessage?: string } };
};

const statusOf = (o: KubeObject | undefined) => (o?.status ?? {}) as Status;
const find = (conditions: readonly Condition[] | undefined, type: string) => (conditions ?? []).find((c) => c.type === type);
const isTrue = (conditions: readonly Condition[] | undefined, type: string) => find(conditions, type)?.status === 'True';
const why = (c: Condition | undefined) => (c === undefined ? 'not reported' : `${c.status}${c.reason ? `, ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
const generation = (o: KubeObject) => (o.metadata as { generation?: number }).generation;

/**
 * Whether a cluster is healthy at the revision dist/ says it runs, on the statuses Cluster API v1.14.0, CAPA v2.11.1
 * and Argo CD v3.5.1 really write (`test/upstream/status/` ports their status writers):
 *
 * - **Applied.** The live `Cluster` carries the revision dist/ gives it (`arlon.io/spec-revision`, which only a sync
 *   of the commit that released it, or a later one, puts there). Each of its Applications: installs the version dist/
 *   gives the cluster (its ApplicationSet caught up), was compared as its spec now is (`status.sync.comparedTo`), is
 *   `Synced` and `Healthy` at revisions that hold the last commit changing each path of the fleet repository it reads
 *   (its `manifest-generate-paths`; `git merge-base --is-ancestor`), its last sync operation `Succeeded`, and it was
 *   compared again since (`reconciledAt`). A change not committed, or a commit this clone lacks, is said as such.
 * - **Cluster.** Cluster API reconciled its latest generation (`status.observedGeneration`), it is `Available` as of
 *   that generation, and no failure is reported (`status.deprecated.v1beta1.failureMessage`, where v1.14 keeps it).
 * - **Control plane.** `status.ready`, `EKSControlPlaneReady` True, `EKSControlPlaneUpdating` not True (CAPA keeps
 *   `ready` through an EKS update), its `Ready` summary not False (a timed-out wait), no `failureMessage` (EKS FAILED:
 *   the conditions stay True), and `status.version` at the desired minor (the version EKS reports, which stays the old
 *   one until the update completes: `computeCurrentStatusVersion`).
 * - **Each node pool.** Its MachinePool asks for the pool's version, Cluster API reconciled its latest generation, its
 *   phase is `Running`, its v1beta1 `Ready` and `ReplicasReady` are True (v1.14 sets no v1beta2 condition but `Paused`),
 *   every entry of `status.versions` (the Nodes' kubelets) is at the pool's minor, and the Nodes are all there and Ready
 *   (`status.replicas`, the versions' counts and the v1beta1 `readyReplicas`, which counts Ready Nodes, all equal its
 *   replicas); its AWSManagedMachinePool is `ready`, `Ready` and reports no failure.
 *
 * Never evidence: the Cluster's `WorkersAvailable` (True with `NoWorkers`: MachinePools are not aggregated),
 * `ControlPlaneAvailable` (CAPA never sets what it mirrors) and `RollingOut` (never True here), a MachinePool's
 * `upToDateReplicas` (always its replicas) and v1beta2 `readyReplicas` (counts instances, not Ready Nodes), and
 * `EKSNodegroupReady` (True as soon as an upgrade call returns).
 */
export function healthOf(cluster: DistCluster, fleet: HealthContext, live: LiveCluster, evidence: ReleaseEvidence): ClusterHealth {
  const reasons: string[] = [];
  const times: string[] = [];
  const noteTimes = (conditions: readonly Condition[] | undefined) => times.push(...(conditions ?? []).map((c) => c.lastTransitionTime ?? ''));

  const capi = live.cluster;
  if (capi === undefined) {
    reasons.push('its Cluster does not exist yet');
  } else {
    const status = statusOf(capi);
    noteTimes(status.conditions);
    const revision = capi.metadata.annotations?.[Annotations.SPEC_REVISION];
    if (cluster.specRevision !== undefined && revision !== cluster.specRevision) {
      reasons.push(`its Cluster carries revision ${revision ?? 'none'}, not ${cluster.specRevision}: Argo CD has not synced the commit that released it`);
    }
    const available = find(status.conditions, 'Available');
    if (status.observedGeneration !== generation(capi)) {
      reasons.push('Cluster API has not reconciled the latest generation of its Cluster');
    } else if (available?.status !== 'True' || available.observedGeneration !== generation(capi)) {
      reasons.push(`Cluster is not Available (${why(available)})`);
    }
    if (status.deprecated?.v1beta1?.failureMessage !== undefined) {
      reasons.push(`Cluster reports a failure: ${status.deprecated.v1beta1.failureMessage}`);
    }
  }

  const desired = minorOf(cluster.kubernetesVersion);
  const cp = live.controlPlane;
  if (cp === undefined) {
    reasons.push('its control plane does not exist yet');
  } else {
    const status = statusOf(cp);
    noteTimes(status.conditions);
    if (status.failureMessage !== undefined) {
      reasons.push(`control plane reports a failure: ${status.failureMessage}`);
    }
    if (status.ready !== true) {
      reasons.push('control plane is not ready');
    } else if (!isTrue(status.conditions, 'EKSControlPlaneReady')) {
      reasons.push(`control plane: EKSControlPlaneReady is ${why(find(status.conditions, 'EKSControlPlaneReady'))}`);
    } else if (isTrue(status.conditions, 'EKSControlPlaneUpdating')) {
      reasons.push('control plane: EKS is updating it (EKSControlPlaneUpdating)');
    } else if (find(status.conditions, 'Ready')?.status === 'False') {
      reasons.push(`control plane: Ready is ${why(find(status.conditions, 'Ready'))}`);
    } else if (minorOf(status.version) !== desired) {
      reasons.push(`control plane runs ${status.version ?? 'no reported version'}, not ${desired}`);
    }
  }

  for (const pool of cluster.nodePools) {
    const name = `${cluster.capiName ?? cluster.name}-${pool.name}`;
    const problem = poolProblem(pool.kubernetesVersion, live.machinePools.get(name), live.managedMachinePools.get(name), noteTimes);
    if (problem !== undefined) {
      reasons.push(`node pool ${pool.name} ${problem}`);
    }
  }

  reasons.push(...applicationProblems(cluster, fleet, live.applications, evidence, times));
  const latest = times.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t)).reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  return { cluster: cluster.name, healthy: reasons.length === 0, reasons, since: Number.isFinite(latest) ? new Date(latest) : undefined };
}

/** What is wrong with one node pool, or undefined. */
function poolProblem(
  version: string, machinePool: KubeObject | undefined, managed: KubeObject | undefined, noteTimes: (c: readonly Condition[] | undefined) => void,
): string | undefined {
  const wanted = minorOf(version);
  if (machinePool === undefined) {
    return 'has no MachinePool yet';
  }
  const spec = machinePool.spec as { replicas?: number; template?: { spec?: { version?: string } } };
  const status = statusOf(machinePool);
  const v1beta1 = status.deprecated?.v1beta1;
  noteTimes(v1beta1?.conditions);
  if (minorOf(spec.template?.spec?.version) !== wanted) {
    return `asks for ${spec.template?.spec?.version ?? 'no version'}, not ${wanted}: Argo CD has not synced it yet`;
  }
  if (status.observedGeneration !== generation(machinePool)) {
    return 'is not reconciled at its latest generation by Cluster API';
  }
  if (status.phase !== 'Running') {
    return `is ${status.phase ?? 'in no phase'}, not Running`;
  }
  // CAPA's node group status, before the MachinePool's v1beta1 summary that mirrors it ("1 of 3 completed")
  if (managed === undefined) {
    return 'has no AWSManagedMachinePool yet';
  }
  const managedStatus = statusOf(managed);
  noteTimes(managedStatus.conditions);
  if (managedStatus.failureMessage !== undefined) {
    return `has an EKS node group that reports a failure: ${managedStatus.failureMessage}`;
  }
  if (managedStatus.ready !== true || find(managedStatus.conditions, 'Ready')?.status === 'False') {
    const cause = (managedStatus.conditions ?? []).find((c) => c.type !== 'Ready' && c.status === 'False') ?? find(managedStatus.conditions, 'Ready');
    return `has an EKS node group that is not ready (${cause?.type ?? 'Ready'} ${why(cause)})`;
  }
  for (const type of ['Ready', 'ReplicasReady']) {
    if (!isTrue(v1beta1?.conditions, type)) {
      return `is not ${type} (${why(find(v1beta1?.conditions, type))})`;
    }
  }
  const versions = status.versions ?? [];
  const replicas = spec.replicas;
  if (versions.length === 0 && replicas !== 0) {
    return 'reports no node versions (Cluster API cannot reach its Nodes)';
  }
  const behind = versions.map((v) => v.version ?? '').filter((v) => minorOf(v) !== wanted);
  if (behind.length > 0) {
    return `has nodes at ${[...new Set(behind)].join(', ')}, not ${wanted}`;
  }
  const counted = versions.reduce((n, v) => n + (v.replicas ?? 0), 0);
  // zero counts are left out of the status (omitempty)
  if ((status.replicas ?? 0) !== replicas || counted !== replicas || (v1beta1?.readyReplicas ?? 0) !== replicas) {
    return `has ${v1beta1?.readyReplicas ?? 0} Ready Node(s) of ${replicas ?? '?'} (${status.replicas ?? 0} instances, ${counted} with a version)`;
  }
  return undefined;
}

/** Why the cluster's Applications do not show what dist/ gives it applied; their sync and health times go into `times`. */
function applicationProblems(
  cluster: DistCluster, fleet: HealthContext, applications: readonly KubeObject[], evidence: ReleaseEvidence, times: string[],
): string[] {
  const reasons: string[] = [];
  const expected = cluster.bundles.length + 1;
  if (applications.length < expected) {
    const hint = cluster.bundles.length > 0 ? '; is it registered?' : '';
    reasons.push(`${applications.length} of its ${expected} Applications exist (the cluster's own and one per bundle${hint})`);
  }
  for (const app of [...applications].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    const status = (app.status ?? {}) as ApplicationStatus;
    times.push(status.health?.lastTransitionTime ?? '', status.operationState?.finishedAt ?? '');
    const problem = applicationProblem(app, status, cluster, fleet, evidence);
    if (problem !== undefined) {
      reasons.push(`Application ${app.metadata.name} ${problem}`);
    }
  }
  return reasons;
}

type ApplicationStatus = {
  sync?: { status?: string; revision?: string; revisions?: string[]; comparedTo?: { source?: ApplicationSource; sources?: ApplicationSource[] } };
  health?: { status?: string; lastTransitionTime?: string };
  operationState?: { phase?: string; finishedAt?: string };
  reconciledAt?: string;
};

const short = (commit: string) => commit.slice(0, 12);

/**
 * What keeps one Application from showing its part applied, or undefined: Argo CD compared its current spec (an
 * ApplicationSet may have just changed it) at revisions that hold what dist/ gives it, found it Synced and Healthy,
 * its last sync operation Succeeded, and it compared again since.
 */
function applicationProblem(
  app: KubeObject, status: ApplicationStatus, cluster: DistCluster, fleet: HealthContext, evidence: ReleaseEvidence,
): string | undefined {
  const sources = sourcesOf(app);
  const bundle = fleet.bundles.find((b) => b.name === app.metadata.labels?.[Labels.BUNDLE]);
  if (bundle !== undefined) {
    const installs = sources.find((s) => s.ref === undefined)?.targetRevision;
    const wanted = bundleSourceOf(bundle, cluster.name).version;
    if (installs !== wanted) {
      return `installs ${installs ?? 'no version'}, not ${wanted}: its ApplicationSet has not updated it yet`;
    }
  }
  const compared = status.sync?.comparedTo?.sources ?? (status.sync?.comparedTo?.source === undefined ? [] : [status.sync.comparedTo.source]);
  if (!isDeepStrictEqual(compared.map(sourceFields), sources.map(sourceFields))) {
    return 'has not been compared since its spec changed';
  }
  const [sync, health] = [status.sync?.status ?? 'Unknown', status.health?.status ?? 'Unknown'];
  if (sync !== 'Synced' || health !== 'Healthy') {
    return `is ${sync} and ${health}`;
  }
  const operation = status.operationState;
  if (operation?.phase !== 'Succeeded') {
    return `: its last sync ${operation?.phase === undefined ? 'is not reported' : `is ${operation.phase}`}`;
  }
  const finished = operation.finishedAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(operation.finishedAt);
  if (status.reconciledAt === undefined || Date.parse(status.reconciledAt) < finished) {
    return 'has not been compared since its last sync';
  }
  const revisions = status.sync?.revisions ?? [status.sync?.revision ?? ''];
  for (const [i, source] of sources.entries()) {
    if (source.chart !== undefined || source.repoURL !== fleet.repoUrl) {
      continue;
    }
    const revision = revisions[i] ?? '';
    for (const input of sourceInputs(app, source)) {
      const where = input === '' ? 'the repository' : input;
      const change = evidence.lastChange(input);
      if (change === 'uncommitted') {
        return `cannot have the changes to ${where}: they are not committed`;
      }
      if (change === undefined) {
        return `cannot have ${where}: no commit holds it`;
      }
      const holds = evidence.contains(revision, change);
      if (holds === undefined) {
        return `is synced at commit ${short(revision) || '(none)'}, which this clone does not have: fetch, then ask again`;
      }
      if (!holds) {
        return `is synced at commit ${short(revision)}, before ${short(change)} (the last change to ${where}): Argo CD has not applied it yet`;
      }
    }
  }
  return undefined;
}

/** The fields that say what a source installs (Argo CD writes its defaults into `comparedTo`, e.g. empty helm blocks). */
const sourceFields = (s: ApplicationSource) => [s.repoURL, s.path ?? '', s.chart ?? '', s.ref ?? '', s.targetRevision ?? ''];

/** `major.minor` of a Kubernetes version as any component writes it (`v1.34`, `1.34`, `v1.34.2-eks-113cf36`). */
export function minorOf(version: string | undefined): string | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return match === null ? undefined : `${match[1]}.${match[2]}`;
}
