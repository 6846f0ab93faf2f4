/**
 * The management cluster's share of a fleet (issue 26), counted by the ports of Argo CD v3.5.1 in test/upstream/:
 * - the ApplicationSet controller's work for one full pass (every ApplicationSet reconciled once, every cluster
 *   registered): generator calls, cluster Secrets listed and matched by cluster generators (`cluster.go`, through a
 *   cache with no label index), Applications generated (each rendered, validated through indexed lookups, and compared
 *   with the one that exists), set against clusters x bundles per cluster;
 * - one cluster Secret event: the ApplicationSets it re-queues (`clustereventhandler.go`) and their reconciles' work;
 * - the application controller: replicas and sharding as the management plane sets them (`argocd-sizing.ts`), the
 *   Applications of the replica that owns the in-cluster destination and the live objects it watches there, and its
 *   reconciles per minute at the default resync (`--app-resync` 120 s plus a jitter of up to 60 s, 30 s on average:
 *   `cmd/argocd-application-controller/commands/argocd_application_controller.go`).
 */
import type { KubeObject } from '../src/kube/types';
import { argoCdSizing } from '../src/management/argocd-sizing';
import { reconcileWork, newGeneratorWork, type ArgoCluster, type GeneratorWork } from '../test/upstream/argocd-applicationset';
import { requeuedByClusterSecretEvent } from '../test/upstream/argocd-cluster-events';

/** `defaultAppResyncPeriod` and the mean of `defaultAppResyncPeriodJitter` (uniform up to 60 s), in seconds. */
const RESYNC_SECONDS = 120 + 60 / 2;

export interface ControllerWork {
  readonly clusters: number;
  /** Bundle Applications: clusters x bundles per cluster. */
  readonly clusterBundles: number;
  readonly applicationSets: number;
  readonly pass: GeneratorWork;
  /** Generator calls + Secrets matched + Applications generated, for one pass. */
  readonly passUnits: number;
  /** The same fleet as releases before issue 26 wrote it: every bundle element matched against every Secret. */
  readonly matrixLayoutSecretsMatched: number;
  readonly event: { readonly requeued: number; readonly listed: number; readonly units: number };
  readonly applicationController: {
    readonly replicas: number;
    readonly sharding: string;
    readonly inClusterApplications: number;
    readonly inClusterLiveObjects: number;
    readonly busiestReplicaApplications: number;
    readonly busiestReconcilesPerMinute: number;
  };
}

const units = (w: GeneratorWork) => w.generatorCalls + w.secretsMatched + w.applicationsRendered;

function add(total: GeneratorWork, w: GeneratorWork): void {
  total.generatorCalls += w.generatorCalls;
  total.clusterGeneratorCalls += w.clusterGeneratorCalls;
  total.secretsMatched += w.secretsMatched;
  total.applicationsRendered += w.applicationsRendered;
  total.applicationsValidated += w.applicationsValidated;
}

/**
 * The counts for a fleet's ApplicationSets, with `registered` the Argo CD cluster Secrets of its clusters and
 * `clusterObjects` the objects the cluster Applications manage on the management cluster.
 */
export function controllerWork(appSets: readonly KubeObject[], registered: readonly ArgoCluster[], clusterObjects: number,
  project: string): ControllerWork {
  const state = { clusters: registered, projects: new Set([project]) };
  const perAppSet = new Map(appSets.map((appSet) => [appSet, reconcileWork(appSet, state)]));
  const pass = newGeneratorWork();
  perAppSet.forEach((w) => add(pass, w));
  const bundleAppSets = appSets.filter((a) => a.metadata.labels?.['arlon.io/bundle'] !== undefined);
  const clusterBundles = bundleAppSets.reduce((n, a) => n + perAppSet.get(a)!.applicationsRendered, 0);
  const clusters = pass.applicationsRendered - clusterBundles;
  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'any', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } } };
  const { requeued, listed } = requeuedByClusterSecretEvent(secret, appSets, [appSets[0]?.metadata.namespace ?? 'argocd']);
  const requeuedWork = newGeneratorWork();
  appSets.filter((a) => requeued.includes(`${a.metadata.namespace}/${a.metadata.name}`)).forEach((a) => add(requeuedWork, perAppSet.get(a)!));
  const sizing = argoCdSizing({ clusters, applications: pass.applicationsRendered, applicationSets: appSets.length });
  return {
    clusters,
    clusterBundles,
    applicationSets: appSets.length,
    pass,
    passUnits: units(pass),
    matrixLayoutSecretsMatched: clusterBundles * registered.length,
    event: { requeued: requeued.length, listed, units: units(requeuedWork) },
    applicationController: {
      replicas: sizing.controllerReplicas,
      sharding: sizing.shardingAlgorithm,
      inClusterApplications: clusters,
      inClusterLiveObjects: clusterObjects,
      busiestReplicaApplications: sizing.busiestReplicaApplications,
      busiestReconcilesPerMinute: Math.round(sizing.busiestReplicaApplications * 60 / RESYNC_SECONDS),
    },
  };
}
