import * as kplus from 'cdk8s-plus-28';
import {
  Bundle, Bundles, CapacityType, Cluster, EksAddon, EksClusterSpec, Fleet, GitSourceType, KNOWN_EKS_VERSIONS, KubernetesVersion, Profile,
  RolloutPolicy, type EksClusterSpecProps,
} from '../src';

/** The fleet shape of the benchmark. */
export const BENCH_SHAPE = { profiles: 10, nodePoolsPerCluster: 2, bundlesPerCluster: 3 } as const;
/** The wide shape of issue 26: what a user tried at 2,000 clusters, more profiles, pools and bundles per cluster. */
export const WIDE_SHAPE = { profiles: 20, nodePoolsPerCluster: 3, bundlesPerCluster: 5 } as const;

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];

/**
 * A fleet of `clusters` clusters across 10 profiles. Every profile has its own spec (2 node pools, EKS add-ons) and
 * 3 bundles: metrics-server (shared by all), a Helm chart with per-cluster values, and a kustomization from git.
 * Cluster i carries profile i % 10. `change` varies it, for the benchmarks of plan, check and re-synthesis.
 */
/** A change to the benchmark fleet: profile `changedProfile` scales its workers pool to 12 nodes (a tenth of the clusters). */
export interface BenchChange {
  readonly changedProfile?: number;
  /** A rollout policy: the clusters labelled `shard: "0"` (a sixteenth) first, then the rest. */
  readonly rollout?: boolean;
}

export function buildBenchFleet(clusters: number, outdir: string, change: BenchChange = {}): Fleet {
  const fleet = newFleet('bench', clusters, outdir, change);
  const metrics = Bundles.metricsServer();
  const profiles: Profile[] = [];
  for (let p = 0; p < BENCH_SHAPE.profiles; p++) {
    profiles.push(new Profile(fleet, `p${p}`, { spec: profileSpec(fleet, p, change), bundles: [metrics, appBundle(p), addonsBundle(p)] }));
  }
  addClusters(fleet, clusters, profiles);
  return fleet;
}

/**
 * The wide shape (`WIDE_SHAPE`): 20 profiles, each with its own spec (3 node pools) and 5 bundles: metrics-server and
 * cluster-autoscaler (shared, the autoscaler's values per cluster), a Helm chart with per-cluster values, a
 * kustomization from git, and an inline bundle of cdk8s-plus constructs (a Deployment and its Service). `change` as
 * for the benchmark fleet.
 */
export function buildWideFleet(clusters: number, outdir: string, change: BenchChange = {}): Fleet {
  const fleet = newFleet('wide', clusters, outdir, change);
  const metrics = Bundles.metricsServer();
  const autoscaler = Bundles.clusterAutoscaler();
  const profiles: Profile[] = [];
  for (let p = 0; p < WIDE_SHAPE.profiles; p++) {
    const spec = profileSpec(fleet, p, change, {
      batch: { instanceType: 'c6i.4xlarge', minSize: 0, maxSize: 20, capacityType: CapacityType.SPOT, labels: { role: 'batch' } },
    });
    const team = Bundle.inline(`team-${p}`, {
      namespace: `team-${p}`,
      define: (scope) => {
        const deployment = new kplus.Deployment(scope, 'Api', {
          metadata: { name: 'api' },
          replicas: 2,
          containers: [{ image: `registry.example.com/team-${p}/api:1.${p}.0`, portNumber: 8080, securityContext: { user: 1000, group: 1000 } }],
        });
        deployment.exposeViaService({ name: 'api', ports: [{ port: 80, targetPort: 8080 }] });
      },
    });
    profiles.push(new Profile(fleet, `p${p}`, { spec, bundles: [metrics, autoscaler, appBundle(p), addonsBundle(p), team] }));
  }
  addClusters(fleet, clusters, profiles);
  return fleet;
}

/** A benchmark fleet named `name`, with `change`'s rollout policy if any. */
function newFleet(name: string, clusters: number, outdir: string, change: BenchChange): Fleet {
  const fleet = new Fleet({
    name,
    repoUrl: 'https://git.example.com/platform/fleet.git',
    targetRevision: 'main',
    outdir,
    // about a thousand clusters per shard, as the README advises: no shard nears Argo CD's limits
    shards: Math.max(16, Math.ceil(clusters / 1000)),
    management: { argoCdRoleArn: 'arn:aws:iam::111122223333:role/argocd-bench' },
  });
  if (change.rollout === true) {
    fleet.setDefaultRolloutPolicy(new RolloutPolicy(fleet, 'Rollout', { waves: [{ name: 'canary', matchLabels: { shard: '0' } }, { name: 'rest' }] }));
  }
  return fleet;
}

/** Profile `p`'s spec: a system and a workers pool (resized when `change` says so), then `morePools`. */
function profileSpec(fleet: Fleet, p: number, change: BenchChange, morePools: EksClusterSpecProps['nodePools'] = {}): EksClusterSpec {
  return new EksClusterSpec(fleet, `Spec${p}`, {
    kubernetesVersion: KubernetesVersion.of(KNOWN_EKS_VERSIONS[p % KNOWN_EKS_VERSIONS.length]),
    region: REGIONS[p % REGIONS.length],
    nodePools: {
      system: { instanceType: 'm6i.large', minSize: 2, maxSize: 4, labels: { role: 'system' } },
      workers: {
        instanceType: 'm6i.2xlarge', minSize: 1, desiredSize: 3, maxSize: p === change.changedProfile ? 12 : 10, capacityType: CapacityType.SPOT, diskSizeGiB: 100,
      },
      ...morePools,
    },
    addons: [EksAddon.vpcCni(), EksAddon.coreDns(), EksAddon.kubeProxy()],
    tags: { 'cost-center': `team-${p}` },
  });
}

/** Profile `p`'s Helm chart, with values of each cluster's own. */
function appBundle(p: number): Bundle {
  return Bundle.helm(`app-${p}`, {
    repoUrl: 'https://charts.example.com',
    chart: 'web-app',
    version: `1.${p}.0`,
    namespace: `app-${p}`,
    values: { replicaCount: 2, ingress: { enabled: true } },
    valuesForCluster: (cluster) => ({ ingress: { hostname: `app-${p}.${cluster.name}.example.com` } }),
  });
}

/** Profile `p`'s kustomization from git. */
function addonsBundle(p: number): Bundle {
  return Bundle.git(`addons-${p}`, {
    repoUrl: 'https://git.example.com/platform/addons.git',
    revision: `v2.${p}.0`,
    path: `profiles/p${p}`,
    type: GitSourceType.KUSTOMIZE,
    namespace: `addons-${p}`,
  });
}

/** Cluster i carries profile i % profiles.length and the label shard: i % 16. */
function addClusters(fleet: Fleet, clusters: number, profiles: readonly Profile[]): void {
  const width = String(clusters - 1).length;
  for (let i = 0; i < clusters; i++) {
    new Cluster(fleet, `c-${String(i).padStart(width, '0')}`, { profiles: [profiles[i % profiles.length]], labels: { shard: String(i % 16) } });
  }
}

/** The benchmark's fleet shapes, by name: what each promises and how it is built. */
export const FLEET_SHAPES = {
  bench: { shape: BENCH_SHAPE, build: buildBenchFleet },
  wide: { shape: WIDE_SHAPE, build: buildWideFleet },
} as const;
export type FleetShapeName = keyof typeof FLEET_SHAPES;
