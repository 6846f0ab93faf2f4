import type { DistCluster } from './dist-fleet';
import { Labels, MANAGED_BY } from '../fleet/labels';

/** The label that makes a Secret an Argo CD cluster (`common.LabelKeySecretType`). */
export const CLUSTER_SECRET_TYPE = 'argocd.argoproj.io/secret-type';

/**
 * The labels `arlonctl register` puts on a cluster's Argo CD cluster Secret: the cluster's own, the fleet, the cluster
 * and one per profile. The bundle ApplicationSets select clusters by them, and the transition model matches the same.
 */
export function clusterSecretLabels(fleet: string, cluster: DistCluster): Record<string, string> {
  const labels: Record<string, string> = {
    ...cluster.labels,
    [CLUSTER_SECRET_TYPE]: 'cluster',
    [Labels.MANAGED_BY]: MANAGED_BY,
    [Labels.FLEET]: fleet,
    [Labels.CLUSTER]: cluster.name,
  };
  for (const profile of cluster.profiles) {
    labels[Labels.profile(profile)] = 'true';
  }
  return labels;
}
