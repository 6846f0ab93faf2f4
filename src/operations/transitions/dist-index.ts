/**
 * What one revision of dist/ says to Argo CD, indexed for the transition model: the root Application and what each
 * Application syncs from a folder, the ApplicationSets by the clusters they list, and the AppProjects. Built once per
 * revision, in one pass over the Argo CD objects (a few hundred files at any fleet size) and the list elements.
 */
import { normalizeGitUrl } from './argocd-project';
import { listedClusters } from '../../argocd/list-generator';
import { Labels } from '../../fleet/labels';
import type { KubeObject } from '../../kube/types';
import { DistLayout } from '../../output/layout';
import { isRootApplication, type DistBundle, type DistCluster, type DistFleet } from '../dist-fleet';

/** An object of dist/ with the file it is in. */
export interface DistObject {
  readonly file: string;
  readonly object: KubeObject;
}

/** A revision of dist/, indexed. */
export interface RevisionIndex {
  readonly fleet: DistFleet;
  /** The fleet repository (normalized) and where dist/ sits in it. */
  readonly repo: string;
  readonly distPath: string;
  /** Argo CD's name for the management cluster: the root Application's destination. */
  readonly managementCluster: string;
  readonly root: DistObject;
  /** The AppProjects `arlonctl deploy` applies with the root. */
  readonly bootstrapProjects: readonly DistObject[];
  /** The objects of each folder an Application of dist/ syncs, other than the clusters' own (by folder). */
  readonly folders: ReadonlyMap<string, readonly DistObject[]>;
  /** The ApplicationSets that list each cluster. */
  readonly appSetsByCluster: ReadonlyMap<string, readonly DistObject[]>;
  /** Every ApplicationSet, by name. */
  readonly appSets: ReadonlyMap<string, DistObject>;
  /** The AppProjects synced from dist/, by name. */
  readonly projects: ReadonlyMap<string, DistObject>;
  readonly clusters: ReadonlyMap<string, DistCluster>;
  /** The objects of each cluster's own folder (`clusters/<name>/`). */
  readonly clusterObjects: ReadonlyMap<string, readonly DistObject[]>;
  readonly bundles: ReadonlyMap<string, DistBundle>;
}

const INDEXES = new WeakMap<DistFleet, RevisionIndex>();

/** The index of a fleet's dist/ (built once per fleet object). */
export function indexRevision(fleet: DistFleet): RevisionIndex {
  let index = INDEXES.get(fleet);
  if (index === undefined) {
    index = buildIndex(fleet);
    INDEXES.set(fleet, index);
  }
  return index;
}

/** The folder of dist/ a path of the fleet repository names, or undefined when it lies outside dist/. */
export function distFolder(repoPath: string, distPath: string): string | undefined {
  const clean = repoPath.replace(/^\.?\/+|\/+$/g, '');
  const prefix = distPath.replace(/^\.?\/+|\/+$/g, '');
  if (prefix === '' || prefix === '.') {
    return clean;
  }
  return clean === prefix ? '' : clean.startsWith(`${prefix}/`) ? clean.slice(prefix.length + 1) : undefined;
}

function buildIndex(fleet: DistFleet): RevisionIndex {
  const folders = new Map<string, DistObject[]>();
  const appSets = new Map<string, DistObject>();
  const appSetsByCluster = new Map<string, DistObject[]>();
  const projects = new Map<string, DistObject>();
  const clusterObjects = new Map<string, DistObject[]>();
  let root: DistObject | undefined;
  const bootstrapProjects: DistObject[] = [];
  for (const [file, object] of fleet.objects) {
    const folder = file.slice(0, Math.max(0, file.lastIndexOf('/')));
    if (folder === DistLayout.fleetDir) {
      if (isRootApplication(object)) {
        root = { file, object };
      } else if (object.kind === 'AppProject') {
        bootstrapProjects.push({ file, object });
      }
      continue;
    }
    const cluster = /^clusters\/([^/]+)$/.exec(folder)?.[1];
    if (cluster !== undefined) {
      (clusterObjects.get(cluster) ?? clusterObjects.set(cluster, []).get(cluster)!).push({ file, object });
    }
    if (folder !== DistLayout.argocdDir && !folder.startsWith(`${DistLayout.argocdDir}/`)) {
      continue;
    }
    const entry = { file, object };
    (folders.get(folder) ?? folders.set(folder, []).get(folder)!).push(entry);
    if (object.kind === 'AppProject') {
      projects.set(object.metadata.name, entry);
    } else if (object.kind === 'ApplicationSet') {
      appSets.set(object.metadata.name, entry);
      for (const listed of listedClusters(object.spec)) {
        (appSetsByCluster.get(listed) ?? appSetsByCluster.set(listed, []).get(listed)!).push(entry);
      }
    }
  }
  if (root === undefined) {
    throw new Error(`dist/ of fleet ${fleet.name} has no root Application`);
  }
  const source = (root.object.spec as { source?: { repoURL?: string; path?: string } }).source ?? {};
  const rootPath = (source.path ?? '').replace(/^\.?\/+|\/+$/g, '');
  const distPath = rootPath === DistLayout.argocdDir ? '' : rootPath.slice(0, -(DistLayout.argocdDir.length + 1));
  return {
    fleet,
    repo: normalizeGitUrl(source.repoURL ?? ''),
    distPath,
    managementCluster: String((root.object.spec as { destination?: { name?: string } }).destination?.name ?? 'in-cluster'),
    root,
    bootstrapProjects,
    folders,
    appSetsByCluster,
    appSets,
    projects,
    clusters: new Map(fleet.clusters.map((c) => [c.name, c])),
    clusterObjects,
    bundles: new Map(fleet.bundles.map((b) => [b.name, b])),
  };
}

/** The ApplicationSets that list `cluster` and generate its own Application (`bundle` undefined) or one of its bundle's. */
export function appSetsFor(index: RevisionIndex | undefined, cluster: string, bundle: string | undefined): readonly DistObject[] {
  return (index?.appSetsByCluster.get(cluster) ?? []).filter((e) => e.object.metadata.labels?.[Labels.BUNDLE] === bundle);
}

const SYNCERS = new WeakMap<RevisionIndex, Map<string, DistObject>>();

/** The Application of `index` that syncs `folder` of dist/ (the root's folder holds them), if any; indexed once per revision. */
export function syncerOf(index: RevisionIndex, folder: string): DistObject | undefined {
  let byFolder = SYNCERS.get(index);
  if (byFolder === undefined) {
    byFolder = new Map();
    for (const entry of index.folders.get(DistLayout.argocdDir) ?? []) {
      const path = (entry.object.spec as { source?: { path?: string } } | undefined)?.source?.path;
      const synced = entry.object.kind === 'Application' && path !== undefined ? distFolder(path, index.distPath) : undefined;
      if (synced !== undefined) {
        byFolder.set(synced, entry);
      }
    }
    SYNCERS.set(index, byFolder);
  }
  return byFolder.get(folder);
}
