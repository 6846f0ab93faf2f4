/**
 * What Argo CD holds for a fleet's dist/, measured file by file as the fleet renders (nothing kept but counters), and
 * set against the limits of Argo CD 3.5 and Kubernetes:
 * - objects per Application source: what one Application manages, and records in `status.resources` and in its last
 *   sync result (`status.operationState.syncResult.resources`); argoproj/argo-cd#14486 reports failures from about
 *   3,000 resources, and the goal here is at most 1,000;
 * - bytes per directory source: the repo-server refuses a directory source whose manifests exceed 10 MB combined
 *   (`--max-combined-directory-manifests-size`, `reposerver/repository/repository.go`);
 * - clusters per generator: list elements per ApplicationSet, which the controller expands whole on every reconcile
 *   and records one `status.resources` entry each for, truncated at 5,000
 *   (`--max-resources-status-count`, `cmd/argocd-applicationset-controller/commands/applicationset_controller.go`);
 * - the largest object: etcd stores at most 1.5 MiB per object (`--max-request-bytes` 1,572,864), and client-side
 *   apply copies an object into an annotation limited to 262,144 bytes (`TotalAnnotationSizeLimitB`);
 * - the largest status: an estimate of the status an Application or ApplicationSet carries, from the JSON entries
 *   Argo CD writes per managed object (group, version, kind, namespace, name, sync and health status; the sync
 *   result adds a message per object), built from the real names; it must stay well under etcd's 1.5 MiB.
 */
import * as YAML from 'yaml';
import type { Fleet } from '../src';
import { controllerWork, type ControllerWork } from './argocd-controller-work';
import { MAX_CLUSTERS_PER_SHARD } from '../src/argocd/fleet-argocd';
import { listedClusters } from '../src/argocd/list-generator';
import type { KubeObject } from '../src/kube/types';
import { renderEach } from '../src/output/render';
import { registered } from '../test/upstream/argocd-instance';

export const LIMITS = {
  objectsPerApplication: 1000,
  /** "A few thousand": the library's own cap per shard, under the 5,000 status entries Argo CD keeps. */
  clustersPerGenerator: MAX_CLUSTERS_PER_SHARD,
  directorySourceBytes: 10 * 1024 * 1024,
  objectBytes: 1_572_864,
  lastAppliedAnnotationBytes: 262_144,
  statusBytes: 1_572_864,
} as const;

/** Where the ApplicationSet controller cuts `status.resources` (`--max-resources-status-count`). */
const MAX_RESOURCES_STATUS_COUNT = 5000;

export interface Largest {
  readonly value: number;
  /** What holds it: an Application's source folder, an ApplicationSet, a file. */
  readonly where: string;
}

export interface ArgoCdFigures {
  readonly applications: number;
  readonly applicationSets: number;
  readonly objectsPerApplicationSource: Largest;
  readonly bytesPerDirectorySource: Largest;
  readonly clustersPerGenerator: Largest;
  readonly largestObject: Largest;
  readonly largestApplicationStatus: Largest;
  readonly largestApplicationSetStatus: Largest;
  /** The controllers' work for the fleet (`argocd-controller-work.ts`). */
  readonly controller: ControllerWork;
}

interface Folder {
  objects: number;
  bytes: number;
  statusBytes: number;
}

/** The `status.resources` entry and the sync result entry Argo CD records for one managed object, in bytes. */
function statusEntryBytes(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): number {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const id = { group, version, kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name };
  const resource = { ...id, status: 'Synced', health: { status: 'Healthy', message: '' } };
  const result = {
    ...id,
    status: 'Synced',
    message: `${obj.kind.toLowerCase()}.${group || 'core'}/${obj.metadata.name} serverside-applied`,
    hookPhase: 'Running',
    syncPhase: 'Sync',
  };
  return Buffer.byteLength(JSON.stringify(resource)) + Buffer.byteLength(JSON.stringify(result)) + 2;
}

const largest = (entries: Iterable<[string, number]>): Largest => {
  let best: Largest = { value: 0, where: '-' };
  for (const [where, value] of entries) {
    if (value > best.value) {
      best = { value, where };
    }
  }
  return best;
};

/**
 * Renders `fleet` and measures what Argo CD would hold for it. Every Application's source is a folder of dist/ (the
 * root: `argocd/`; a shard's: `argocd/shards/<nn>/`; a cluster's: `clusters/<name>/`); bundle Applications install
 * charts and paths outside the fleet's dist/, and are counted through their ApplicationSets.
 */
export function argoCdFigures(fleet: Fleet): ArgoCdFigures {
  const folders = new Map<string, Folder>();
  const generators = new Map<string, number>();
  const appSetStatus = new Map<string, number>();
  let biggest: Largest = { value: 0, where: '-' };
  let applications = 0;
  let applicationSets = 0;
  const appSets: KubeObject[] = [];
  let clusterObjects = 0;
  const seen = new Set<string>();
  const measure = (file: string, content: string) => {
    seen.add(file);
    const bytes = Buffer.byteLength(content);
    if (bytes > biggest.value) {
      biggest = { value: bytes, where: file };
    }
    if (!/\.ya?ml$/.test(file) || file.startsWith('bundles/')) {
      return;
    }
    const folderName = file.slice(0, file.lastIndexOf('/'));
    const folder = folders.get(folderName) ?? { objects: 0, bytes: 0, statusBytes: 0 };
    folders.set(folderName, folder);
    const obj = YAML.parse(content) as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: unknown };
    folder.objects++;
    folder.bytes += bytes;
    folder.statusBytes += statusEntryBytes(obj);
    if (file.startsWith('clusters/')) {
      clusterObjects++;
    }
    if (obj.kind === 'ApplicationSet') {
      appSets.push(obj as KubeObject);
      applicationSets++;
      const elements = listedClusters(obj.spec).length;
      applications += elements;
      generators.set(`ApplicationSet ${obj.metadata.name}`, elements);
      const entry = statusEntryBytes({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `${obj.metadata.name}-xxxxxxxx`, namespace: 'argocd' } });
      appSetStatus.set(`ApplicationSet ${obj.metadata.name}`, Math.min(elements, MAX_RESOURCES_STATUS_COUNT) * entry);
    } else if (obj.kind === 'Application') {
      applications++;
    }
  };
  renderEach(fleet, { has: (file) => seen.has(file), add: (file, _key, render) => measure(file, render()) });
  // Every fleet cluster registered, under the name register gives it (the counts need only how many there are).
  const clusters = appSets.filter((a) => a.metadata.labels?.['arlon.io/bundle'] === undefined).flatMap((a) => listedClusters(a.spec));
  const secrets = registered(fleet.name, clusters.map((name) => ({ name, argocdName: `${fleet.name}--${name}` })));
  const controller = controllerWork(appSets, secrets, clusterObjects, `${fleet.name}-bundles`);
  const sourceFolders = [...folders].filter(([name]) => name === 'argocd' || name.startsWith('argocd/shards/') || name.startsWith('clusters/'));
  return {
    applications,
    applicationSets,
    objectsPerApplicationSource: largest(sourceFolders.map(([name, f]) => [`${name}/`, f.objects])),
    bytesPerDirectorySource: largest(sourceFolders.map(([name, f]) => [`${name}/`, f.bytes])),
    clustersPerGenerator: largest(generators),
    largestObject: biggest,
    largestApplicationStatus: largest(sourceFolders.map(([name, f]) => [`the Application of ${name}/`, f.statusBytes])),
    largestApplicationSetStatus: largest(appSetStatus),
    controller,
  };
}

/** Whether each figure stays within its limit, as `figure: value / limit` lines with a verdict. */
export function checkFigures(f: ArgoCdFigures): Array<{ figure: string; value: number; limit: number; where: string; ok: boolean }> {
  const row = (figure: string, l: Largest, limit: number) => ({ figure, value: l.value, limit, where: l.where, ok: l.value <= limit });
  return [
    row('objects per Application source', f.objectsPerApplicationSource, LIMITS.objectsPerApplication),
    row('bytes per directory source', f.bytesPerDirectorySource, LIMITS.directorySourceBytes),
    row('clusters per generator', f.clustersPerGenerator, LIMITS.clustersPerGenerator),
    row('largest object (bytes)', f.largestObject, LIMITS.lastAppliedAnnotationBytes),
    row('largest Application status (bytes, estimate)', f.largestApplicationStatus, LIMITS.statusBytes),
    row('largest ApplicationSet status (bytes, estimate)', f.largestApplicationSetStatus, LIMITS.statusBytes),
  ];
}
