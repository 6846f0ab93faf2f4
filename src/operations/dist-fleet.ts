import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { stableJson } from '../_json';
import { LargeTextMemo } from '../_large-memo';
import { byName, compareStrings } from '../_order';
import { deniedAddresses, IN_CLUSTER_SERVER, type ManagementAddresses } from '../argocd/destinations';
import { listElements, listedClusters } from '../argocd/list-generator';
import { CASCADE_FINALIZER } from '../argocd/sync';
import { RemovalPolicy } from '../bundle/removal-policy';
import { Annotations, Labels, RESERVED_LABEL_PREFIXES } from '../fleet/labels';
import type { KubeObject } from '../kube/types';
import { ClusterNaming, bundleApplicationName, clusterBaseName } from '../naming/cluster-names';
import { OutputLockedError, settleOutput } from '../output/commit-journal';
import { GENERATED_HEADER } from '../output/generated-header';
import { DistLayout } from '../output/layout';

/** A node pool as synthesized. */
export interface DistNodePool {
  readonly name: string;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** Undefined when an autoscaler owns the replica count. */
  readonly desiredSize?: number;
  readonly kubernetesVersion: string;
  /** The EKS node group name (AWSManagedMachinePool `eksNodegroupName`). */
  readonly eksNodegroupName?: string;
  /** AWSManagedMachinePool `amiType` (undefined when left out: CAPA's CRD then stores `AL2_x86_64`). */
  readonly amiType?: string;
  /** The pinned EKS-optimized AMI release (AWSManagedMachinePool `amiVersion`), when one is. */
  readonly amiReleaseVersion?: string;
}

/** A cluster as synthesized: a fleet cluster (Cluster API objects) or an external one (bundles only). */
export interface DistCluster {
  readonly name: string;
  readonly external: boolean;
  /** Whether it is retired: its bundles are gone and removing it from the code deletes it (fleet clusters). */
  readonly retired: boolean;
  readonly profiles: readonly string[];
  /** Fields of its profile's spec it overrides (`region`, `nodePools.workers`, ...); none for an external cluster. */
  readonly overrides: readonly string[];
  /** The labels given to the cluster (not those the library adds). */
  readonly labels: Readonly<Record<string, string>>;
  /** How its names outside the repository are formed (read back from them; an external cluster's from its record). */
  readonly naming: ClusterNaming;
  /** Argo CD's name for it: the name its cluster Secret carries, and its bundle Applications' destination. */
  readonly argocdName: string;
  /** Namespace of its Cluster API objects on the management cluster (fleet clusters). */
  readonly namespace?: string;
  /** Name of its Cluster API `Cluster` (fleet clusters): its kubeconfig Secret is `<capiName>-kubeconfig`. */
  readonly capiName?: string;
  /** Name of its AWSManagedControlPlane (fleet clusters); see `controlPlaneRef`. */
  readonly controlPlaneName?: string;
  readonly region?: string;
  readonly eksClusterName?: string;
  /** Desired Kubernetes version of the control plane, as in AWSManagedControlPlane (`v1.34`). */
  readonly kubernetesVersion?: string;
  readonly nodePools: readonly DistNodePool[];
  /** Names of the bundles installed on it. */
  readonly bundles: readonly string[];
  /** The wave of its profile's rollout policy it belongs to, when its profile follows one. */
  readonly rolloutWave?: string;
  /** The revision of its profile's spec it runs (see `dist.rollout.yaml`), when its profile follows a rollout policy. */
  readonly specRevision?: string;
}

/** A bundle as synthesized (from its ApplicationSet). */
export interface DistBundle {
  readonly name: string;
  readonly kind: string;
  readonly repoUrl: string;
  readonly chart?: string;
  readonly path?: string;
  /** Chart version or git revision. */
  readonly version: string;
  readonly namespace: string;
  /** The Helm values of every cluster (`values.yaml`), when read and the bundle has some. */
  readonly values?: unknown;
  /** The Helm release name, for a Helm bundle. */
  readonly releaseName?: string;
  readonly description?: string;
  /** `retain` or `destroy`: whether its Applications delete what they installed when deleted (the resources finalizer). */
  readonly removalPolicy: string;
  readonly profiles: readonly string[];
  readonly clusters: readonly string[];
  /** The Helm values of each cluster that has values of its own, by cluster name (missing: none). */
  readonly clusterValues: Readonly<Record<string, unknown>>;
  /**
   * The source of each cluster that installs another definition of the bundle than the fleet's (its rollout wave is
   * not released), by cluster name (missing: the fleet's).
   */
  readonly clusterSources: Readonly<Record<string, BundleSourceFields>>;
}

/** The source fields of a bundle a rollout stages per cluster. */
export interface BundleSourceFields {
  readonly repoUrl: string;
  readonly chart?: string;
  readonly path?: string;
  /** Chart version or git revision. */
  readonly version: string;
}

/** The source `cluster` installs of `bundle`: its own during a rollout, else the fleet's. */
export function bundleSourceOf(bundle: DistBundle, cluster: string): BundleSourceFields {
  return bundle.clusterSources[cluster] ?? bundle;
}

/** A profile as seen from dist/: the clusters that carry it and the bundles it carries. */
export interface DistProfile {
  readonly name: string;
  readonly clusters: readonly string[];
  readonly bundles: readonly string[];
}

/** The fleet, read back from its synthesized `dist/` folder alone. */
export interface DistFleet {
  readonly name: string;
  readonly argocdNamespace: string;
  readonly repoUrl: string;
  /** The IAM role Argo CD reaches the clusters with (`management.argoCdRoleArn`), when the fleet names one. */
  readonly argocdRoleArn?: string;
  /** Every address the fleet knows its management cluster by, from the deny rules of the bundles' AppProject. */
  readonly managementAddresses: ManagementAddresses;
  /** The objects of `dist/fleet/`, which `arlonctl deploy` applies. */
  readonly bootstrap: readonly KubeObject[];
  readonly clusters: readonly DistCluster[];
  readonly bundles: readonly DistBundle[];
  readonly profiles: readonly DistProfile[];
  /** Files in dist/ without the generated header: the synth did not write them, yet Argo CD would sync them. */
  readonly foreignFiles: readonly string[];
  /** Every generated object, by its path inside dist/. */
  readonly objects: ReadonlyMap<string, KubeObject>;
  /** The data files it holds, by path inside dist/: Helm values (`DistLayout.isValuesFile`) and clusterawsadm's configuration. */
  readonly valueFiles: ReadonlySet<string>;
}

/**
 * Whether an object of the bootstrap folder is the fleet's root Application: the one that syncs `dist/argocd/` (the
 * folder may also hold the Application of the management plane).
 */
export function isRootApplication(obj: KubeObject): boolean {
  return obj.kind === 'Application' && String((obj.spec as { source?: { path?: string } })?.source?.path ?? '').split('/').pop() === DistLayout.argocdDir;
}

/** `dist/` is missing or not a fleet. */
export class DistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DistError';
  }
}

/** Reads a fleet's `dist/` folder, or the part of it `keep` selects (see `readFiles`). */
export function readDist(dir: string, keep?: FileSelection, memo?: ParseMemo): DistFleet {
  if (!fs.existsSync(path.join(dir, DistLayout.fleetDir))) {
    throw new DistError(`${dir} is not a synthesized fleet (no ${DistLayout.fleetDir}/ folder); run the synth first (npm run synth), or point --dist at the folder`);
  }
  return readDistFiles(readFiles(dir, keep), dir, memo);
}

/**
 * Parsed YAML by file content: two reads that share it (plan reads the fleet at the base and in the working tree,
 * where most files it reads are the same) parse each distinct content once. The objects are shared: read-only.
 */
export type ParseMemo = Map<string, unknown>;

/** Large files (the management plane's CRDs) parsed once per process; the objects are shared: read-only. */
const largeParses = new LargeTextMemo<unknown>();

/** Reads a fleet from the files of its `dist/` folder, keyed by path inside it ('/' separated). */
export function readDistFiles(files: ReadonlyMap<string, string>, where: string, memo: ParseMemo = new Map()): DistFleet {
  const parse = (text: string): unknown => {
    if (!memo.has(text)) {
      memo.set(text, largeParses.get(text, () => YAML.parse(text)));
    }
    return memo.get(text);
  };
  const objects = new Map<string, KubeObject>();
  const values = new Map<string, unknown>();
  const foreignFiles: string[] = [];
  for (const [file, text] of files) {
    if (!text.startsWith(GENERATED_HEADER)) {
      foreignFiles.push(file);
    } else if (DistLayout.isValuesFile(file) || file === DistLayout.awsIamConfigurationFile) {
      values.set(file, parse(text));
    } else if (file.endsWith('.yaml')) {
      const obj = parse(text) as KubeObject;
      if (obj !== null && typeof obj === 'object' && typeof obj.kind === 'string') {
        objects.set(file, obj);
      }
    }
  }
  // Every lookup below goes through these indexes, built in one pass: reading stays linear in the number of files.
  const byFolder = new Map<string, Array<[string, KubeObject]>>();
  const childFolders = new Map<string, Set<string>>();
  for (const [file, obj] of objects) {
    const folder = file.slice(0, Math.max(0, file.lastIndexOf('/')));
    (byFolder.get(folder) ?? byFolder.set(folder, []).get(folder)!).push([file, obj]);
    const slash = folder.lastIndexOf('/');
    if (slash > 0) {
      const parent = folder.slice(0, slash);
      childFolders.set(parent, (childFolders.get(parent) ?? new Set()).add(folder.slice(slash + 1)));
    }
  }
  const inFolder = (folder: string) => [...(byFolder.get(folder) ?? [])].sort(([a], [b]) => compareStrings(a, b)).map(([, obj]) => obj);
  const subfolders = (folder: string) => [...(childFolders.get(folder) ?? [])].sort();

  const bootstrap = inFolder(DistLayout.fleetDir);
  const root = bootstrap.find(isRootApplication);
  if (root === undefined) {
    throw new DistError(`${where} holds no root Application in ${DistLayout.fleetDir}/; synthesize the fleet again`);
  }

  const bundleSets = new Map<string, KubeObject[]>();
  for (const shard of subfolders(`${DistLayout.argocdDir}/shards`)) {
    for (const obj of inFolder(DistLayout.argocdShardDir(shard))) {
      const bundle = obj.kind === 'ApplicationSet' ? obj.metadata.labels?.[Labels.BUNDLE] : undefined;
      if (bundle !== undefined) {
        (bundleSets.get(bundle) ?? bundleSets.set(bundle, []).get(bundle)!).push(obj);
      }
    }
  }
  const bundles = [...bundleSets].map(([name, sets]) => toBundle(name, sets, values)).sort(byName);
  const bundlesByCluster = new Map<string, string[]>();
  for (const bundle of bundles) {
    for (const cluster of bundle.clusters) {
      (bundlesByCluster.get(cluster) ?? bundlesByCluster.set(cluster, []).get(cluster)!).push(bundle.name);
    }
  }
  const bundlesOf = (cluster: string) => bundlesByCluster.get(cluster) ?? [];

  const bundlesProject = inFolder(DistLayout.argocdDir).find((o) => o.kind === 'AppProject' && o.metadata.name === `${root.metadata.name}-bundles`);
  const managementAddresses = deniedAddresses(
    ((bundlesProject?.spec as { destinations?: Array<{ name?: string; server?: string }> } | undefined)?.destinations ?? []),
    { names: [String((root.spec as { destination?: { name?: string } }).destination?.name ?? 'in-cluster')], servers: [IN_CLUSTER_SERVER] },
  );

  const externals = inFolder(DistLayout.argocdDir).find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-external-clusters'));
  const clusters = [
    ...subfolders(DistLayout.clustersDir)
      .map((name) => fleetCluster(root.metadata.name, name, inFolder(DistLayout.clusterDir(name)), bundlesOf(name))),
    ...Object.entries((externals?.data ?? {}) as Record<string, string>)
      .map(([name, record]) => externalCluster(name, JSON.parse(record) as ExternalRecord, bundlesOf(name))),
  ].sort(byName);

  const profileIndex = new Map<string, { clusters: string[]; bundles: string[] }>();
  const profileEntry = (name: string) => profileIndex.get(name) ?? profileIndex.set(name, { clusters: [], bundles: [] }).get(name)!;
  for (const cluster of clusters) {
    cluster.profiles.forEach((name) => profileEntry(name).clusters.push(cluster.name));
  }
  for (const bundle of bundles) {
    bundle.profiles.forEach((name) => profileEntry(name).bundles.push(bundle.name));
  }
  const profiles = [...profileIndex.keys()].sort().map((name) => ({ name, ...profileIndex.get(name)! }));

  return {
    name: root.metadata.name,
    argocdNamespace: root.metadata.namespace ?? 'argocd',
    repoUrl: String((root.spec as { source?: { repoURL?: string } })?.source?.repoURL ?? ''),
    argocdRoleArn: root.metadata.annotations?.[Annotations.ARGOCD_ROLE_ARN],
    managementAddresses,
    bootstrap,
    clusters,
    bundles,
    profiles,
    foreignFiles: foreignFiles.sort(compareStrings),
    objects,
    valueFiles: new Set(values.keys()),
  };
}

function fleetCluster(fleet: string, name: string, objects: KubeObject[], bundles: string[]): DistCluster {
  const capiCluster = objects.find((o) => o.kind === 'Cluster');
  const capiName = capiCluster?.metadata.name ?? name;
  const controlPlane = objects.find((o) => o.kind === 'AWSManagedControlPlane');
  const cpSpec = (controlPlane?.spec ?? {}) as { region?: string; eksClusterName?: string; version?: string };
  const managedPools = new Map(objects.filter((o) => o.kind === 'AWSManagedMachinePool').map((o) => [o.metadata.name, o]));
  const nodePools = objects.filter((o) => o.kind === 'MachinePool').map((machinePool): DistNodePool => {
    const spec = machinePool.spec as { replicas?: number; template: { spec: { version?: string; infrastructureRef: { name: string } } } };
    const managed = managedPools.get(spec.template.spec.infrastructureRef.name)?.spec as {
      instanceType?: string; scaling?: { minSize?: number; maxSize?: number }; eksNodegroupName?: string; amiType?: string; amiVersion?: string;
    } | undefined;
    return {
      name: machinePool.metadata.name.slice(capiName.length + 1),
      instanceType: managed?.instanceType ?? '',
      minSize: managed?.scaling?.minSize ?? 0,
      maxSize: managed?.scaling?.maxSize ?? 0,
      desiredSize: spec.replicas,
      kubernetesVersion: spec.template.spec.version ?? '',
      ...(managed?.eksNodegroupName === undefined ? {} : { eksNodegroupName: managed.eksNodegroupName }),
      ...(managed?.amiType === undefined ? {} : { amiType: managed.amiType }),
      ...(managed?.amiVersion === undefined ? {} : { amiReleaseVersion: managed.amiVersion }),
    };
  }).sort(byName);
  return {
    name,
    external: false,
    naming: capiName === clusterBaseName(fleet, name, ClusterNaming.FLEET_SCOPED) ? ClusterNaming.FLEET_SCOPED : ClusterNaming.UNSCOPED,
    argocdName: capiName,
    capiName,
    retired: capiCluster?.metadata.annotations?.[Annotations.RETIRED] === 'true',
    profiles: splitList(capiCluster?.metadata.annotations?.[Annotations.PROFILES]),
    overrides: splitList(capiCluster?.metadata.annotations?.[Annotations.OVERRIDES]),
    labels: userLabels(capiCluster?.metadata.labels),
    namespace: capiCluster?.metadata.namespace,
    controlPlaneName: controlPlane?.metadata.name
      ?? (capiCluster?.spec as { controlPlaneRef?: { name?: string } } | undefined)?.controlPlaneRef?.name,
    region: cpSpec.region,
    eksClusterName: cpSpec.eksClusterName,
    kubernetesVersion: cpSpec.version,
    nodePools,
    bundles,
    rolloutWave: capiCluster?.metadata.annotations?.[Annotations.ROLLOUT_WAVE],
    specRevision: capiCluster?.metadata.annotations?.[Annotations.SPEC_REVISION],
  };
}

/** What the external clusters ConfigMap records of each. */
interface ExternalRecord {
  readonly profiles?: string[];
  readonly labels?: Record<string, string>;
  /** Absent in a fleet synthesized before fleet-scoped names: its Applications were unscoped. */
  readonly naming?: ClusterNaming;
}

function externalCluster(name: string, record: ExternalRecord, bundles: string[]): DistCluster {
  const { profiles = [], labels = {}, naming = ClusterNaming.UNSCOPED } = record;
  return { name, external: true, naming, argocdName: name, retired: false, profiles, overrides: [], labels, nodePools: [], bundles };
}

/** The name of the Application of `cluster` (a fleet cluster), or of its `bundle`. */
export function applicationNameOf(fleet: string, cluster: DistCluster, bundle?: string): string {
  return bundle === undefined ? cluster.capiName ?? cluster.name : bundleApplicationName(fleet, cluster.name, bundle, cluster.naming);
}

/** A bundle from its ApplicationSets (one per shard) and its clusters' values files. */
function toBundle(name: string, appSets: readonly KubeObject[], values: ReadonlyMap<string, unknown>): DistBundle {
  type Spec = {
    template: {
      metadata: { finalizers?: string[] };
      spec: { source?: Source; sources?: Source[]; destination: { namespace?: string }; info?: Array<{ value: string }> };
    };
  };
  const first = appSets[0].spec as Spec;
  // The chart (or path) is the source that is not the values `ref`.
  const templateSource = (set: KubeObject) => {
    const spec = (set.spec as Spec).template.spec;
    return spec.source ?? spec.sources!.find((s) => s.ref === undefined)!;
  };
  const clusters = appSets.flatMap((set) => listedClusters(set.spec)).sort();
  // During a rollout, source fields come from list-element parameters: the fleet's own are in an annotation.
  const fleetSource = (set: KubeObject): Source => {
    const own = JSON.parse(set.metadata.annotations?.[Annotations.BUNDLE_SOURCE] ?? '{}') as Record<string, string>;
    return withParameters(templateSource(set), own);
  };
  const source = fleetSource(appSets[0]);
  const clusterSources: Record<string, BundleSourceFields> = {};
  for (const set of appSets.filter((s) => s.metadata.annotations?.[Annotations.BUNDLE_SOURCE] !== undefined)) {
    for (const element of listElements(set.spec)) {
      const own = withParameters(templateSource(set), element as Record<string, string>);
      const fields = sourceFields(own);
      if (stableJson(fields) !== stableJson(sourceFields(source))) {
        clusterSources[String(element.cluster)] = fields;
      }
    }
  }
  return {
    name,
    kind: appSets[0].metadata.annotations?.[Annotations.BUNDLE_KIND] ?? 'unknown',
    ...sourceFields(source),
    namespace: unliteral(first.template.spec.destination.namespace ?? ''),
    ...(values.get(DistLayout.bundleValuesFile(name)) === undefined ? {} : { values: values.get(DistLayout.bundleValuesFile(name)) }),
    ...(templateSource(appSets[0]).helm?.releaseName === undefined ? {} : { releaseName: templateSource(appSets[0]).helm!.releaseName }),
    description: first.template.spec.info?.[0]?.value === undefined ? undefined : unliteral(first.template.spec.info[0].value),
    removalPolicy: (first.template.metadata.finalizers ?? []).includes(CASCADE_FINALIZER) ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    profiles: splitList(appSets[0].metadata.annotations?.[Annotations.PROFILES]),
    clusters,
    clusterValues: Object.fromEntries(clusters.filter((c) => values.has(DistLayout.clusterValuesFile(name, c)))
      .map((c) => [c, values.get(DistLayout.clusterValuesFile(name, c))])),
    clusterSources,
  };
}

type Source = { repoURL: string; chart?: string; path?: string; targetRevision?: string; ref?: string; helm?: { releaseName?: string } };

/** The source with each `{{.bundle...}}` parameter replaced by its value in `params` (see `BundleApplicationSet`). */
function withParameters(source: Source, params: Readonly<Record<string, string>>): Source {
  const value = (text: string | undefined) => (text === undefined ? undefined
    : unliteral(text.replace(/^\{\{\.(bundle[A-Za-z]+)\}\}$/, (whole, name: string) => params[name] ?? whole)));
  return {
    ...source, repoURL: value(source.repoURL)!, chart: value(source.chart), path: value(source.path), targetRevision: value(source.targetRevision),
  };
}

function sourceFields(source: Source): BundleSourceFields {
  return {
    repoUrl: source.repoURL,
    ...(source.chart === undefined ? {} : { chart: source.chart }),
    ...(source.path === undefined ? {} : { path: source.path }),
    version: source.targetRevision ?? '',
  };
}

/** A string of an ApplicationSet template as Argo CD renders it: each `{{"{{"}}` the library wrote prints `{{`. */
function unliteral(text: string): string {
  return text.replace(/\{\{"\{\{"\}\}/g, '{{');
}

/** Which files of a folder to read (see `readFiles`). */
export interface FileSelection {
  readonly file?: (file: string) => boolean;
  /** Folders ruled out are not read at all. */
  readonly folder?: (folder: string) => boolean;
}

/** Folders outside the management plane (megabytes of Argo CD CRDs that say nothing about the clusters). */
function outsideManagement(folder: string): boolean {
  return !DistLayout.isManagementFolder(folder);
}

/**
 * What `status` and `register` read of dist/: the fleet's and Argo CD's files (not the management plane's), and of
 * each cluster its Cluster and control plane. Clusters read with it have no node pools, and bundles no per-cluster values: for a fleet of 10,000
 * clusters, 20,000 files to parse instead of 90,000.
 */
export const CLUSTER_SUMMARY: FileSelection = {
  folder: outsideManagement,
  file: (file) => {
    if (DistLayout.isValuesFile(file)) {
      return false;
    }
    if (!file.startsWith(`${DistLayout.clustersDir}/`)) {
      return true;
    }
    const name = file.slice(file.lastIndexOf('/') + 1);
    return name.startsWith('Cluster.') || name.startsWith('AWSManagedControlPlane.');
  },
};

/** What `rollout` reads of dist/: `CLUSTER_SUMMARY` and the clusters' node pools (their MachinePools: name and version). */
export const ROLLOUT_SUMMARY: FileSelection = {
  folder: outsideManagement,
  file: (file) => CLUSTER_SUMMARY.file!(file) || (file.startsWith(`${DistLayout.clustersDir}/`) && file.slice(file.lastIndexOf('/') + 1).startsWith('MachinePool.')),
};

/** Everything but the management plane (`list`: the fleet's clusters, profiles and bundles). */
export const FLEET_WITHOUT_MANAGEMENT: FileSelection = { folder: outsideManagement };

/** What `deploy` reads of dist/: the fleet's own folder (the root project and Application it applies), nothing else. */
export const FLEET_ONLY: FileSelection = {
  folder: (folder) => folder === DistLayout.fleetDir || folder.startsWith(`${DistLayout.fleetDir}/`),
};

/**
 * What `describe cluster <name>` reads of dist/: Argo CD's folders (the bundles and who gets them), the cluster's own
 * folder and its own values files; the other clusters' folders and values are not read.
 */
export function oneCluster(name: string): FileSelection {
  const own = DistLayout.clusterDir(name);
  return {
    folder: (folder) => outsideManagement(folder) && (!folder.startsWith(`${DistLayout.clustersDir}/`) || folder === own || folder.startsWith(`${own}/`)),
    file: (file) => !/^bundles\/[^/]+\/values\/[^/]+\.yaml$/.test(file) || file.endsWith(`/values/${name}.yaml`),
  };
}

/**
 * Every file under `dir` (or those `keep` selects, skipping folders it rules out), keyed by relative path with '/'
 * separators, after finishing a synthesis a killed run left half committed; fails while a synthesis is writing the
 * folder.
 */
export function readFiles(dir: string, keep?: FileSelection): Map<string, string> {
  try {
    settleOutput(dir);
  } catch (error) {
    throw error instanceof OutputLockedError ? new DistError(error.message) : error;
  }
  const files = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const relative = path.relative(dir, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (keep?.folder?.(relative) ?? true) {
          walk(full);
        }
      } else if (entry.isFile() && (keep?.file?.(relative) ?? true)) {
        files.set(relative, fs.readFileSync(full, 'utf8'));
      }
    }
  };
  walk(dir);
  return files;
}

/**
 * Where a fleet cluster's AWSManagedControlPlane lives on the management cluster, as dist/ says (its namespace and
 * name are read, never derived from the cluster's name); undefined for an external cluster. The one place that finds
 * it: `register`, `status` and `describe` go through it.
 */
export function controlPlaneRef(cluster: DistCluster): { apiVersion: string; kind: string; name: string; namespace: string } | undefined {
  if (cluster.external || cluster.controlPlaneName === undefined || cluster.namespace === undefined) {
    return undefined;
  }
  return { ...CONTROL_PLANE_KIND, name: cluster.controlPlaneName, namespace: cluster.namespace };
}

/** The AWSManagedControlPlane of a fleet cluster as synthesized, when the files read hold it. */
export function controlPlaneObject(fleet: DistFleet, cluster: DistCluster): KubeObject | undefined {
  const ref = controlPlaneRef(cluster);
  return ref === undefined ? undefined : [...fleet.objects.values()]
    .find((o) => o.kind === ref.kind && o.metadata.name === ref.name && o.metadata.namespace === ref.namespace);
}

/** The control plane kind of fleet clusters. */
export const CONTROL_PLANE_KIND = { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'AWSManagedControlPlane' } as const;

function splitList(value: string | undefined): string[] {
  return value ? value.split(',').filter((v) => v !== '') : [];
}

function userLabels(labels: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {})
    .filter(([key]) => key !== Labels.MANAGED_BY && !RESERVED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix))));
}
