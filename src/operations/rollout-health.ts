import type { DistCluster, DistFleet } from './dist-fleet';
import { requireApis } from './preflight';
import { Labels } from '../fleet/labels';
import type { KubeClient, KubeObject } from '../kube/types';

/** Whether a cluster is healthy enough for a rollout to go on, and since when nothing about it has changed. */
export interface ClusterHealth {
  readonly cluster: string;
  readonly healthy: boolean;
  /** Why it is not healthy (empty when it is). */
  readonly reasons: readonly string[];
  /**
   * The latest transition of any condition of its Cluster, control plane and MachinePools, and of its Applications'
   * health: how long it has been as it is now. Undefined when nothing reports one.
   */
  readonly since?: Date;
}

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly lastTransitionTime?: string;
}

/**
 * The health of `clusters` on the management cluster, in four LIST requests whatever their number: Cluster API
 * Clusters and MachinePools, CAPA control planes, and Argo CD Applications. A cluster is healthy when
 *
 * - its Cluster is `Provisioned`, `Available` and not `RollingOut` (Cluster API v1.14, api/core/v1beta2/cluster_types.go);
 * - its control plane is ready at the desired minor (CAPA v2.11.1 sets `status.version` to the EKS cluster's version,
 *   pkg/cloud/services/eks/cluster.go `computeCurrentStatusVersion`);
 * - each node pool's MachinePool is `Available`, has its replicas ready, and every node at the pool's minor
 *   (`status.versions`, api/core/v1beta2/machinepool_types.go);
 * - its Applications (the cluster's own and one per bundle) are all there, `Synced` and `Healthy`.
 */
export async function clusterHealth(client: KubeClient, fleet: DistFleet, clusters: readonly DistCluster[]): Promise<Map<string, ClusterHealth>> {
  if (clusters.length === 0) {
    return new Map();
  }
  await requireApis(client, ['argocd', 'capi', 'capa']);
  const fleetSelector = `${Labels.FLEET}=${fleet.name}`;
  const [capiClusters, controlPlanes, machinePools, applications] = await Promise.all([
    client.list('cluster.x-k8s.io/v1beta2', 'Cluster', { labelSelector: fleetSelector }),
    client.list('controlplane.cluster.x-k8s.io/v1beta2', 'AWSManagedControlPlane', { labelSelector: fleetSelector }),
    client.list('cluster.x-k8s.io/v1beta2', 'MachinePool', { labelSelector: fleetSelector }),
    client.list('argoproj.io/v1alpha1', 'Application', { namespace: fleet.argocdNamespace, labelSelector: `${fleetSelector},${Labels.CLUSTER}` }),
  ]);
  const one = (objects: KubeObject[]) => new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
  const capi = one(capiClusters);
  const cps = one(controlPlanes);
  const pools = one(machinePools);
  const apps = new Map<string, KubeObject[]>();
  for (const app of applications) {
    const cluster = app.metadata.labels?.[Labels.CLUSTER] ?? '';
    apps.set(cluster, [...(apps.get(cluster) ?? []), app]);
  }
  return new Map(clusters.map((cluster) => {
    const ns = cluster.namespace ?? cluster.name;
    const found = {
      cluster: capi.get(`${ns}/${cluster.name}`),
      controlPlane: cps.get(`${ns}/${cluster.name}-control-plane`),
      pools: cluster.nodePools.map((pool) => ({ pool, object: pools.get(`${ns}/${cluster.name}-${pool.name}`) })),
      apps: apps.get(cluster.name) ?? [],
    };
    return [cluster.name, health(cluster, found)];
  }));
}

function health(cluster: DistCluster, found: {
  cluster?: KubeObject; controlPlane?: KubeObject; pools: Array<{ pool: DistCluster['nodePools'][number]; object?: KubeObject }>; apps: KubeObject[];
}): ClusterHealth {
  const reasons: string[] = [];
  const times: string[] = [];
  const conditions = (o: KubeObject | undefined) => ((o?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []);
  const isTrue = (o: KubeObject | undefined, type: string) => conditions(o).some((c) => c.type === type && c.status === 'True');
  for (const o of [found.cluster, found.controlPlane, ...found.pools.map((p) => p.object)]) {
    times.push(...conditions(o).map((c) => c.lastTransitionTime ?? '').filter((t) => t !== ''));
  }

  if (found.cluster === undefined) {
    reasons.push('its Cluster does not exist yet');
  } else {
    const phase = (found.cluster.status as { phase?: string } | undefined)?.phase;
    if (phase !== 'Provisioned') {
      reasons.push(`Cluster phase is ${phase ?? 'not reported'}, not Provisioned`);
    }
    if (!isTrue(found.cluster, 'Available')) {
      reasons.push('Cluster is not Available');
    }
    if (isTrue(found.cluster, 'RollingOut')) {
      reasons.push('Cluster is RollingOut');
    }
  }
  const desired = minorOf(cluster.kubernetesVersion);
  const cpStatus = found.controlPlane?.status as { ready?: boolean; version?: string } | undefined;
  if (found.controlPlane === undefined) {
    reasons.push('its control plane does not exist yet');
  } else if (cpStatus?.ready !== true) {
    reasons.push('control plane is not ready');
  } else if (minorOf(cpStatus.version) !== desired) {
    reasons.push(`control plane runs ${cpStatus.version ?? 'no reported version'}, not ${desired}`);
  }
  for (const { pool, object } of found.pools) {
    const status = object?.status as { replicas?: number; readyReplicas?: number; versions?: Array<{ version?: string }> } | undefined;
    const wanted = minorOf(pool.kubernetesVersion);
    const behind = (status?.versions ?? []).map((v) => v.version ?? '').filter((v) => minorOf(v) !== wanted);
    if (object === undefined) {
      reasons.push(`node pool ${pool.name} has no MachinePool yet`);
    } else if (!isTrue(object, 'Available')) {
      reasons.push(`node pool ${pool.name} is not Available`);
    } else if ((status?.readyReplicas ?? 0) < (status?.replicas ?? 0)) {
      reasons.push(`node pool ${pool.name} has ${status?.readyReplicas ?? 0} of ${status?.replicas} nodes ready`);
    } else if (behind.length > 0) {
      reasons.push(`node pool ${pool.name} has nodes at ${[...new Set(behind)].join(', ')}, not ${wanted}`);
    }
  }
  const expected = cluster.bundles.length + 1;
  type AppStatus = { sync?: { status?: string }; health?: { status?: string; lastTransitionTime?: string } } | undefined;
  const appStatus = (a: KubeObject) => a.status as AppStatus;
  times.push(...found.apps.map((a) => appStatus(a)?.health?.lastTransitionTime ?? '').filter((t) => t !== ''));
  if (found.apps.length < expected) {
    const hint = cluster.bundles.length > 0 ? '; is it registered?' : '';
    reasons.push(`${found.apps.length} of its ${expected} Applications exist (the cluster's own and one per bundle${hint})`);
  }
  for (const app of [...found.apps].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    const sync = appStatus(app)?.sync?.status ?? 'Unknown';
    const healthStatus = appStatus(app)?.health?.status ?? 'Unknown';
    if (sync !== 'Synced' || healthStatus !== 'Healthy') {
      reasons.push(`Application ${app.metadata.name} is ${sync} and ${healthStatus}`);
    }
  }
  const latest = times.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t)).reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  return { cluster: cluster.name, healthy: reasons.length === 0, reasons, since: Number.isFinite(latest) ? new Date(latest) : undefined };
}

/** `major.minor` of a Kubernetes version as any component writes it (`v1.34`, `1.34`, `v1.34.2-eks-113cf36`). */
export function minorOf(version: string | undefined): string | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return match === null ? undefined : `${match[1]}.${match[2]}`;
}
