import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { goTemplateLiteral, parameter } from './go-template';
import { ArgoNames } from './names';
import { CASCADE_FINALIZER, MANIFEST_GENERATE_PATHS, RETRY } from './sync';
import { lazyValue } from '../_lazy';
import { compareStrings } from '../_order';
import type { Fleet } from '../fleet/fleet';
import { Annotations, Labels } from '../fleet/labels';
import * as l1 from '../l1';
import { ClusterNaming, clusterBaseName } from '../naming/cluster-names';
import { DistLayout, repoPath } from '../output/layout';

/** The Cluster API kinds a cluster's Application may create in its namespace on the management cluster. */
export const CAPI_KINDS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: 'cluster.x-k8s.io', kind: 'Cluster' },
  { group: 'cluster.x-k8s.io', kind: 'MachinePool' },
  { group: 'controlplane.cluster.x-k8s.io', kind: 'AWSManagedControlPlane' },
  { group: 'infrastructure.cluster.x-k8s.io', kind: 'AWSManagedCluster' },
  { group: 'infrastructure.cluster.x-k8s.io', kind: 'AWSManagedMachinePool' },
];

/** A fleet cluster of a shard: its name in the fleet, and the base of the names it goes by outside (`ClusterNames.base`). */
export interface ShardCluster {
  readonly name: string;
  readonly base: string;
}

/** Properties of a `ClusterApplicationSet`. */
export interface ClusterApplicationSetProps {
  /** The shard's label, e.g. `07`. */
  readonly shard: string;
  /** The shard's clusters, read when the fleet is synthesized. */
  readonly clusters: () => readonly ShardCluster[];
}

/**
 * The ApplicationSet of one shard's clusters: one Application per cluster, named after it, that syncs
 * `dist/clusters/<cluster>` into the cluster's namespace on the management cluster.
 *
 * Automated, so that a committed profile change reaches the cluster, and self-healing, but never pruning. Server-side
 * apply and diff, because CAPA fills in fields of these objects that git does not hold.
 *
 * Every Application carries the resources finalizer, and what protects a cluster is its objects' own
 * `argocd.argoproj.io/sync-options: Delete=false`, which Argo CD reads from the **live** object when an Application is
 * deleted (`controller/appcontroller.go`, `shouldBeDeleted`): deleting the Application of a running cluster (it left
 * the code, its shard moved, someone deleted it) deletes nothing. A retired cluster's `Cluster` alone loses
 * `Delete=false`, by a sync of the same Application; removing the retired cluster from the code then deletes its
 * Application, the finalizer deletes the `Cluster`, and Cluster API deletes the rest in order. So retiring and
 * un-retiring change one object in place, in any order Argo CD acts in, and no Application moves between
 * ApplicationSets (an ApplicationSet of retired clusters did that: un-retiring could delete a cluster).
 */
export class ClusterApplicationSet extends Construct {
  /** The ApplicationSet (escape hatch). */
  public readonly resource: l1.ArgoApplicationSet;

  constructor(scope: Construct, id: string, fleet: Fleet, props: ClusterApplicationSetProps) {
    super(scope, id);
    const name = ArgoNames.clustersApplicationSet(fleet.name, props.shard);
    const clusterDir = `${goTemplateLiteral(repoPath(fleet.distPath, DistLayout.clustersDir))}/${parameter('cluster')}`;
    this.resource = new l1.ArgoApplicationSet(this, 'Resource', {
      metadata: { name, namespace: fleet.argocdNamespace, labels: fleet.labels() },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        syncPolicy: { preserveResourcesOnDeletion: true },
        generators: [{
          list: { elements: Lazy.any({ produce: () => elements(fleet.name, props.clusters()) }) },
        }],
        template: {
          metadata: {
            name: lazyValue(() => baseName(fleet.name, props.clusters())),
            namespace: fleet.argocdNamespace,
            labels: { ...fleet.labels(), [Labels.CLUSTER]: parameter('cluster') },
            annotations: {
              // Server-side diff (stable since Argo CD 3.1): with server-side apply alone Argo CD falls back to the
              // discontinued structured-merge diff, which mis-handles fields CRD defaults and CAPA controllers fill in.
              [Annotations.ARGOCD_COMPARE_OPTIONS]: 'ServerSideDiff=true',
              [MANIFEST_GENERATE_PATHS]: `/${clusterDir}`,
            },
            finalizers: [CASCADE_FINALIZER],
          },
          spec: {
            project: goTemplateLiteral(ArgoNames.clustersProject(fleet.name)),
            source: { repoUrl: goTemplateLiteral(fleet.repoUrl), targetRevision: goTemplateLiteral(fleet.targetRevision), path: clusterDir },
            destination: {
              name: goTemplateLiteral(fleet.managementClusterName),
              namespace: lazyValue(() => baseName(fleet.name, props.clusters())),
            },
            syncPolicy: {
              automated: { prune: false, selfHeal: true },
              syncOptions: ['ServerSideApply=true'],
              retry: RETRY,
            },
          },
        },
      },
    });
  }
}

/** The list-element parameter of a cluster's base name, when the shard's clusters are not all named alike. */
const NAMESPACE = 'namespace';

/** Whether the clusters' base names are `<fleet>--<cluster>` for all of them (true), none (false), or some (undefined). */
function scoping(fleet: string, clusters: readonly ShardCluster[]): boolean | undefined {
  const scoped = clusters.filter((c) => c.base === clusterBaseName(fleet, c.name, ClusterNaming.FLEET_SCOPED)).length;
  return scoped === clusters.length ? true : scoped === 0 ? false : undefined;
}

/**
 * The name of each cluster's Application and namespace: from the cluster's name when the shard's clusters are all
 * named alike, else a parameter of the list elements (a fleet that moves to fleet-scoped names cluster by cluster).
 */
function baseName(fleet: string, clusters: readonly ShardCluster[]): string {
  const scoped = scoping(fleet, clusters);
  return scoped === undefined ? parameter(NAMESPACE)
    : clusterBaseName(goTemplateLiteral(fleet), parameter('cluster'), scoped ? ClusterNaming.FLEET_SCOPED : ClusterNaming.UNSCOPED);
}

/** The list elements: each cluster, with its base name when the clusters are not all named alike. */
function elements(fleet: string, clusters: readonly ShardCluster[]): Array<Record<string, string>> {
  const byParameter = scoping(fleet, clusters) === undefined;
  return [...clusters].sort((a, b) => compareStrings(a.name, b.name))
    .map((c): Record<string, string> => (byParameter ? { cluster: c.name, [NAMESPACE]: c.base } : { cluster: c.name }));
}
