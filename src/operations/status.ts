import type { DistFleet } from './dist-fleet';
import { requireApis } from './preflight';
import { ManagementServers } from './register';
import { Labels } from '../fleet/labels';
import { secretField } from '../kube/secret-data';
import type { KubeClient, KubeObject } from '../kube/types';

/** One cluster's state, from dist/ (desired) and the management cluster (actual). */
export interface ClusterStatus {
  readonly cluster: string;
  readonly external: boolean;
  readonly profiles: readonly string[];
  /** Desired Kubernetes version, from dist/. */
  readonly desiredVersion?: string;
  /** Kubernetes version the control plane reports. */
  readonly actualVersion?: string;
  /** The Cluster API phase (Pending, Provisioning, Provisioned, Deleting, Failed), or undefined when not created. */
  readonly phase?: string;
  readonly controlPlaneReady: boolean;
  /** Whether Argo CD has a cluster Secret for it. */
  readonly registered: boolean;
  /**
   * What is wrong with its registration: its Argo CD cluster Secret points at the management cluster (its server is
   * one the management cluster is known by), so its bundles would be installed there.
   */
  readonly problem?: string;
  /** Bundle Applications: how many the cluster should have, how many exist, are synced, and are healthy. */
  readonly bundles: { readonly expected: number; readonly found: number; readonly synced: number; readonly healthy: number };
}

/**
 * The state of every cluster of the fleet, in four LIST requests whatever the fleet's size: control planes, Cluster
 * API clusters, Argo CD cluster Secrets and bundle Applications.
 */
export async function fleetStatus(client: KubeClient, fleet: DistFleet): Promise<ClusterStatus[]> {
  await requireApis(client, ['argocd', 'capi', 'capa']);
  const fleetSelector = `${Labels.FLEET}=${fleet.name}`;
  const [controlPlanes, capiClusters, secrets, applications] = await Promise.all([
    client.list('controlplane.cluster.x-k8s.io/v1beta2', 'AWSManagedControlPlane', { labelSelector: fleetSelector }),
    client.list('cluster.x-k8s.io/v1beta2', 'Cluster', { labelSelector: fleetSelector }),
    client.list('v1', 'Secret', { namespace: fleet.argocdNamespace, labelSelector: 'argocd.argoproj.io/secret-type=cluster' }),
    client.list('argoproj.io/v1alpha1', 'Application', { namespace: fleet.argocdNamespace, labelSelector: `${fleetSelector},arlon.io/bundle` }),
  ]);
  const byCluster = (objects: KubeObject[]) => new Map(objects.map((o) => [o.metadata.labels?.[Labels.CLUSTER] ?? o.metadata.name, o]));
  const cps = byCluster(controlPlanes);
  const capi = byCluster(capiClusters);
  const registered = new Set(secrets.map((s) => secretField(s, 'name') ?? s.metadata.name));
  const management = new ManagementServers(fleet, client);
  const onManagement = new Map<string, string>();
  for (const secret of secrets) {
    const server = secretField(secret, 'server');
    const where = management.match(server);
    if (where !== undefined) {
      onManagement.set(secretField(secret, 'name') ?? secret.metadata.name, `its Argo CD cluster Secret ${secret.metadata.name} has server ${server}, `
        + `the management cluster's (${where}), so its bundles would be installed on the management cluster; delete that Secret and register the cluster `
        + 'under its own API server (arlonctl register, or argocd cluster add for an external cluster)');
    }
  }
  const appsByCluster = new Map<string, KubeObject[]>();
  for (const app of applications) {
    const cluster = app.metadata.labels?.[Labels.CLUSTER];
    if (cluster !== undefined) {
      (appsByCluster.get(cluster) ?? appsByCluster.set(cluster, []).get(cluster)!).push(app);
    }
  }

  return fleet.clusters.map((cluster): ClusterStatus => {
    const cpStatus = cps.get(cluster.name)?.status as { ready?: boolean; version?: string } | undefined;
    const apps = appsByCluster.get(cluster.name) ?? [];
    const appStatus = (a: KubeObject) => a.status as { sync?: { status?: string }; health?: { status?: string } } | undefined;
    return {
      cluster: cluster.name,
      external: cluster.external,
      profiles: cluster.profiles,
      desiredVersion: cluster.kubernetesVersion,
      actualVersion: cpStatus?.version,
      phase: (capi.get(cluster.name)?.status as { phase?: string } | undefined)?.phase,
      controlPlaneReady: cluster.external ? true : cpStatus?.ready === true,
      registered: registered.has(cluster.argocdName),
      ...(onManagement.has(cluster.argocdName) ? { problem: onManagement.get(cluster.argocdName) } : {}),
      bundles: {
        expected: cluster.bundles.length,
        found: apps.length,
        synced: apps.filter((a) => appStatus(a)?.sync?.status === 'Synced').length,
        healthy: apps.filter((a) => appStatus(a)?.health?.status === 'Healthy').length,
      },
    };
  });
}
