/**
 * The Argo CD v3.5.1 settings a fleet of a given size needs: application controller replicas and sharding, queue
 * processors, kubectl parallelism, ApplicationSet concurrency, server-side diff. Sources (argoproj/argo-cd v3.5.1):
 * - docs/operator-manual/high_availability.md "argocd-application-controller": `--status-processors` 20 and
 *   `--operation-processors` 10 by default; "For 1000 applications, we use 50 for `--status-processors` and 25 for
 *   `--operation-processors`" (the only load figure Argo CD publishes); shard clusters across controller replicas by
 *   raising the StatefulSet's replicas and repeating the number in `ARGOCD_CONTROLLER_REPLICAS`; sharding methods
 *   `legacy` (default, uid based, non-uniform), `round-robin` and `consistent-hashing` (both marked experimental);
 * - docs/operator-manual/argocd-cmd-params-cm.yaml: the keys and their defaults;
 * - controller/sharding/sharding.go + cache.go: Argo CD shards by the *destination cluster* of an Application
 *   (`controller/appcontroller.go` `canProcessApp` → `IsManagedCluster`), never by Application; with one replica
 *   there is no sharding (`NoShardingDistributionFunction`); the in-cluster destination without a cluster Secret
 *   (`util/db/cluster.go` `localCluster`, no ID) lands on shard 0 under `legacy` (`id == ""`) and `round-robin`
 *   (rank 0 of the clusters sorted by ID); `consistent-hashing` places clusters in ID order (the in-cluster first) on
 *   the least-loaded shard whose load, counted in *Applications per destination server* (`getAppDistribution`), is
 *   below 1.25 × the average (`consistent/consistent.go` `loadOK`).
 *
 * What that means here: every cluster Application (one per cluster) and every bundle Application *object* lives on the
 * management cluster, but only the cluster Applications *target* it (destination `in-cluster`); bundle Applications
 * target their workload clusters. So all cluster Applications are reconciled by one controller replica whatever the
 * replica count: that shard's load is at least the number of clusters. Replicas only spread the bundle
 * Applications, and are useful until the other shards carry no more than that in-cluster shard (or than the
 * 1000-application reference load, whichever is larger); more than one per destination cluster is never useful.
 * `consistent-hashing` is chosen as soon as there are several replicas because it is the only method that weighs
 * clusters by their Applications, which moves workload clusters away from the heavy in-cluster shard; under
 * `legacy` or `round-robin` shard 0 would carry the in-cluster *and* its share of workload clusters.
 */

/** How big the fleet is. */
export interface FleetSize {
  /** Workload clusters: one cluster Application each, all with the management cluster as destination. */
  readonly clusters: number;
  /** All Applications: the cluster Applications plus the bundle Applications (which target the workload clusters). */
  readonly applications: number;
  /** All ApplicationSets. */
  readonly applicationSets: number;
}

export type ShardingAlgorithm = 'legacy' | 'round-robin' | 'consistent-hashing';

/** What Argo CD v3.5.1 needs to be set to for a fleet. */
export interface ArgoCdSizing {
  /** `argocd-application-controller` StatefulSet `spec.replicas`, repeated in `ARGOCD_CONTROLLER_REPLICAS`. */
  readonly controllerReplicas: number;
  /** The most replicas that still take load off another (see the file's comment); `controllerReplicas` when automatic. */
  readonly usefulControllerReplicas: number;
  /** The Applications of the busiest controller replica, as estimated. */
  readonly busiestReplicaApplications: number;
  readonly shardingAlgorithm: ShardingAlgorithm;
  readonly statusProcessors: number;
  readonly operationProcessors: number;
  readonly kubectlParallelismLimit: number;
  readonly applicationSetConcurrentReconciliations: number;
  readonly serverSideDiff: boolean;
  /** `argocd-repo-server` Deployment replicas. */
  readonly repoServerReplicas: number;
  /** `argocd-cmd-params-cm` data (string values), to merge over upstream's (empty) one. */
  readonly params: Readonly<Record<string, string>>;
  /** The application controller container's environment. */
  readonly controllerEnv: Readonly<Record<'ARGOCD_CONTROLLER_REPLICAS', string>>;
  /** Why, in words. */
  readonly notes: readonly string[];
}

/** high_availability.md: "For 1000 applications, we use 50 for `--status-processors` and 25 for `--operation-processors`". */
export const REFERENCE_APPLICATIONS = 1000;
/** high_availability.md, the figure for `REFERENCE_APPLICATIONS`. */
const REFERENCE_STATUS_PROCESSORS = 50;
/** high_availability.md, the figure for `REFERENCE_APPLICATIONS`. */
const REFERENCE_OPERATION_PROCESSORS = 25;
/** argocd-cmd-params-cm.yaml `controller.status.processors: "20"` (and high_availability.md: "20 by default"). */
export const DEFAULT_STATUS_PROCESSORS = 20;
/** argocd-cmd-params-cm.yaml `controller.operation.processors: "10"` (and high_availability.md: "10 by default"). */
export const DEFAULT_OPERATION_PROCESSORS = 10;
/** argocd-cmd-params-cm.yaml `controller.kubectl.parallelism.limit: "20"` (flag default 20, `argocd_application_controller.go`). */
export const DEFAULT_KUBECTL_PARALLELISM_LIMIT = 20;
/** argocd-cmd-params-cm.yaml `applicationsetcontroller.concurrent.reconciliations.max: "10"` (flag default 10). */
export const DEFAULT_APPLICATIONSET_CONCURRENT_RECONCILIATIONS = 10;
/**
 * `consistent/consistent.go` `loadOK`: a shard takes another cluster while its load is below `ceil(1.25 × average)`,
 * so a shard may carry up to 1.25 × the average.
 */
const CONSISTENT_HASHING_BOUND = 1.25;
/** manifests/ha/install.yaml runs 2 `argocd-repo-server` replicas (manifests/install.yaml: 1, `replicas` unset). */
const HA_REPO_SERVER_REPLICAS = 2;

const ceil = Math.ceil;

function count(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`argoCdSizing: ${name} must be a whole number >= 0, got ${String(value)}`);
  }
  return value;
}

/**
 * The Argo CD settings for `fleet`. `controllerReplicas` overrides the replica count (the processors are then sized
 * for the busiest replica at that count).
 */
export function argoCdSizing(fleet: FleetSize, controllerReplicas?: number): ArgoCdSizing {
  const clusters = count('clusters', fleet.clusters);
  const applications = count('applications', fleet.applications);
  const applicationSets = count('applicationSets', fleet.applicationSets);
  if (controllerReplicas !== undefined && (!Number.isInteger(controllerReplicas) || controllerReplicas < 1)) {
    throw new Error(`argoCdSizing: controllerReplicas must be a whole number >= 1, got ${String(controllerReplicas)}`);
  }
  // One cluster Application per cluster, all on the in-cluster destination; the rest target workload clusters.
  const inClusterApplications = Math.min(clusters, applications);
  const bundleApplications = applications - inClusterApplications;

  // Replicas: one while the whole fleet is within the reference load; else one for the in-cluster shard plus enough
  // for the bundle Applications to carry no more than max(in-cluster shard, reference load) each; never more shards
  // than destinations (the workload clusters and the in-cluster one).
  const useful = applications <= REFERENCE_APPLICATIONS || bundleApplications === 0 ? 1
    : Math.min(clusters + 1, 1 + ceil(bundleApplications / Math.max(inClusterApplications, REFERENCE_APPLICATIONS)));
  const replicas = controllerReplicas ?? useful;
  const shardingAlgorithm: ShardingAlgorithm = replicas > 1 ? 'consistent-hashing' : 'legacy';

  // The busiest replica: everything with one; else the in-cluster shard, or another shard at up to the bound.
  const busiest = replicas === 1 ? applications
    : Math.max(inClusterApplications, Math.min(bundleApplications, ceil(CONSISTENT_HASHING_BOUND * bundleApplications / (replicas - 1))));

  // Processors per replica, scaled linearly from high_availability.md's 1000-application figures, never below the defaults.
  const statusProcessors = Math.max(DEFAULT_STATUS_PROCESSORS, ceil(busiest * REFERENCE_STATUS_PROCESSORS / REFERENCE_APPLICATIONS));
  const operationProcessors = Math.max(DEFAULT_OPERATION_PROCESSORS, ceil(busiest * REFERENCE_OPERATION_PROCESSORS / REFERENCE_APPLICATIONS));
  // `controller/appcontroller.go` `onKubectlRun`: every kubectl operation (apply, server-side diff dry run) takes the
  // semaphore; with more operation processors than the default limit (20), syncs would wait on each other.
  const kubectlParallelismLimit = Math.max(DEFAULT_KUBECTL_PARALLELISM_LIMIT, operationProcessors);
  // No published guidance for the ApplicationSet controller (one active replica); the project applies the
  // application controller's ratio (50 workers per 1000 objects, i.e. one per 20), never below the default 10.
  const applicationSetConcurrentReconciliations = Math.max(DEFAULT_APPLICATIONSET_CONCURRENT_RECONCILIATIONS,
    ceil(applicationSets * REFERENCE_STATUS_PROCESSORS / REFERENCE_APPLICATIONS));
  // docs/user-guide/diff-strategies.md: Server-Side Diff is "Stable (Since v3.1.0)" and replaces the structured-merge
  // diff that ServerSideApply=true (every Arlon Application) otherwise uses; Cluster API's and CAPA's defaulting
  // webhooks then take part in the diff. Independent of size.
  const serverSideDiff = true;
  const repoServerReplicas = applications > REFERENCE_APPLICATIONS ? HA_REPO_SERVER_REPLICAS : 1;

  const params: Record<string, string> = {
    'controller.status.processors': String(statusProcessors),
    'controller.operation.processors': String(operationProcessors),
    'controller.sharding.algorithm': shardingAlgorithm,
    'controller.diff.server.side': String(serverSideDiff),
    'applicationsetcontroller.concurrent.reconciliations.max': String(applicationSetConcurrentReconciliations),
  };
  if (kubectlParallelismLimit !== DEFAULT_KUBECTL_PARALLELISM_LIMIT) {
    params['controller.kubectl.parallelism.limit'] = String(kubectlParallelismLimit);
  }

  const notes = [
    `${inClusterApplications} cluster Applications target the management cluster (in-cluster): one controller replica reconciles all of them.`,
    `${bundleApplications} bundle Applications target ${clusters} workload clusters and are spread over the replicas by destination cluster.`,
  ];
  if (replicas > useful) {
    notes.push(`${replicas} controller replicas requested; more than ${useful} take no load off the busiest one.`);
  }
  if (inClusterApplications > REFERENCE_APPLICATIONS) {
    notes.push(`The in-cluster shard carries ${inClusterApplications} Applications, over the ${REFERENCE_APPLICATIONS}-application reference `
      + 'load, and sharding cannot split one destination.');
  }
  if (shardingAlgorithm === 'consistent-hashing') {
    notes.push('consistent-hashing is documented as experimental in Argo CD v3.5.1 (high_availability.md).');
  }

  return {
    controllerReplicas: replicas,
    usefulControllerReplicas: useful,
    busiestReplicaApplications: busiest,
    shardingAlgorithm,
    statusProcessors,
    operationProcessors,
    kubectlParallelismLimit,
    applicationSetConcurrentReconciliations,
    serverSideDiff,
    repoServerReplicas,
    params,
    controllerEnv: { ARGOCD_CONTROLLER_REPLICAS: String(replicas) },
    notes,
  };
}
