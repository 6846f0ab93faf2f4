import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterApplicationSet, type ShardCluster } from './cluster-application-set';
import { ArgoNames } from './names';
import { bundlesProjectSpec, clustersProjectSpec } from './projects';
import { shardLabel, shardOf } from './shards';
import { CASCADE_FINALIZER, RETRY } from './sync';
import { stableJson } from '../_json';
import { lazyValue } from '../_lazy';
import type { Fleet } from '../fleet/fleet';
import * as l1 from '../l1';
import type { ClusterNaming } from '../naming/cluster-names';
import { DistLayout, repoPath } from '../output/layout';
import { ManifestChart } from '../output/manifest-chart';

/** One shard of the fleet's Argo CD objects: a folder of ApplicationSets and the Application that syncs it. */
export interface FleetShard {
  readonly label: string;
  /** The chart of `dist/argocd/shards/<label>/`. */
  readonly chart: ManifestChart;
  readonly application: l1.ArgoApplication;
}

/**
 * The most clusters one shard may hold. An ApplicationSet's `status.resources` is cut at 5,000 entries, and its
 * generators are evaluated whole on every reconcile; 3,000 leaves room for the clusters a shard gains before the
 * count is raised.
 */
export const MAX_CLUSTERS_PER_SHARD = 3000;

interface ShardState extends FleetShard {
  readonly clusters: ShardCluster[];
}

/** What the fleet's Argo CD objects need from its bundles, read when the fleet is synthesized. */
export interface BundleCatalog {
  /** Repositories the bundles pull from. */
  readonly repositories: () => readonly string[];
  /** Namespaces the bundles write to. */
  readonly namespaces: () => readonly string[];
}

/**
 * The fleet's Argo CD objects beyond the bootstrap. The root Application syncs `dist/argocd/`: two long-lived
 * AppProjects, one Application per shard in use and the record of external clusters; each shard's Application syncs
 * `dist/argocd/shards/<shard>/`: the ApplicationSets of the shard's clusters and of the
 * bundles they carry. So no Application manages more than a few dozen objects and no generator lists more than one
 * shard's clusters, at any fleet size.
 */
export class FleetArgoCd extends Construct {
  public readonly clustersProject: l1.ArgoAppProject;
  public readonly bundlesProject: l1.ArgoAppProject;
  private readonly chart: ManifestChart;
  private readonly shards = new Map<number, ShardState>();
  private readonly externals = new Map<string, Record<string, unknown>>();
  private externalsRecord?: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, private readonly fleet: Fleet, catalog: BundleCatalog) {
    super(scope, id);
    this.chart = new ManifestChart(this, 'Root', { folder: DistLayout.argocdDir });
    const metadata = (name: string) => ({ name, namespace: fleet.argocdNamespace, labels: fleet.labels() });
    this.clustersProject = new l1.ArgoAppProject(this.chart, 'ClustersProject', {
      metadata: metadata(ArgoNames.clustersProject(fleet.name)), spec: clustersProjectSpec(fleet),
    });
    this.bundlesProject = new l1.ArgoAppProject(this.chart, 'BundlesProject', {
      metadata: metadata(ArgoNames.bundlesProject(fleet.name)), spec: bundlesProjectSpec(fleet, catalog.repositories, catalog.namespaces),
    });
    this.node.addValidation({ validate: () => this.shardProblems() });
  }

  /** A shard's generators list its clusters: more than a few thousand and the ApplicationSets outgrow what Argo CD handles well. */
  private shardProblems(): string[] {
    return [...this.shards.values()].filter((s) => s.clusters.length > MAX_CLUSTERS_PER_SHARD)
      .map((s) => `shard ${s.label} holds ${s.clusters.length} clusters, more than ${MAX_CLUSTERS_PER_SHARD}; `
        + `raise the Fleet's \`shards\` (now ${this.fleet.shards}) so that each holds at most ${MAX_CLUSTERS_PER_SHARD}`);
  }

  /** The shard `cluster` belongs to, created on first use. */
  public shardFor(cluster: string): FleetShard {
    return this.shardState(cluster);
  }

  /** Generates the Application that syncs a fleet cluster's Cluster API objects (retired or not: see `ClusterApplicationSet`). */
  public addCluster(cluster: string, base: string): void {
    this.shardState(cluster).clusters.push({ name: cluster, base });
  }

  private shardState(cluster: string): ShardState {
    const index = shardOf(cluster, this.fleet.shards);
    let shard = this.shards.get(index);
    if (shard === undefined) {
      const label = shardLabel(index, this.fleet.shards);
      const chart = new ManifestChart(this, `Shard${label}`, { folder: DistLayout.argocdShardDir(label) });
      const application = new l1.ArgoApplication(this.chart, `Shard${label}`, {
        metadata: {
          name: ArgoNames.shardApplication(this.fleet.name, label),
          namespace: this.fleet.argocdNamespace,
          labels: this.fleet.labels(),
          // Removing a shard (its last cluster gone) removes its ApplicationSets, and with them their Applications,
          // which keep what they manage: none of them carries the resources finalizer.
          finalizers: [CASCADE_FINALIZER],
        },
        spec: {
          project: this.fleet.name,
          source: {
            repoUrl: this.fleet.repoUrl,
            targetRevision: this.fleet.targetRevision,
            path: repoPath(this.fleet.distPath, DistLayout.argocdShardDir(label)),
          },
          destination: { name: this.fleet.managementClusterName, namespace: this.fleet.argocdNamespace },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: RETRY },
        },
      });
      const clusters: ShardCluster[] = [];
      shard = { label, chart, application, clusters };
      this.shards.set(index, shard);
      // Always there while the shard is: a shard's folder is never empty, so its Application never syncs nothing.
      new ClusterApplicationSet(chart, 'Clusters', this.fleet, { shard: label, clusters: () => clusters });
    }
    return shard;
  }

  /** Every fleet cluster an ApplicationSet generates an Application for (named like its base name). */
  public clusters(): ShardCluster[] {
    return [...this.shards.values()].flatMap((s) => s.clusters);
  }

  /** Records an external cluster, whose profiles and labels `dist/` would otherwise not hold. */
  public addExternal(cluster: string, profiles: readonly string[], labels: Readonly<Record<string, string>>, naming: ClusterNaming): void {
    this.externals.set(cluster, { profiles: [...profiles], labels: { ...labels }, naming });
    this.externalsRecord ??= new k8s.KubeConfigMap(this.chart, 'ExternalClusters', {
      metadata: { name: ArgoNames.externalClusters(this.fleet.name), namespace: this.fleet.argocdNamespace, labels: this.fleet.labels() },
      data: lazyValue(() => Object.fromEntries([...this.externals]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, record]) => [name, stableJson(record)]))),
    });
  }
}
