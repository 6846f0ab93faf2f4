import * as YAML from 'yaml';
import { listedClusters } from '../argocd/list-generator';
import type { KubeObject } from '../kube/types';
import { DistLayout } from '../output/layout';

/**
 * What a change to dist/ can touch, so that `plan` reads only that. A cluster's plan is built from its folder
 * (`clusters/<name>/`), its own value files, and the bundle ApplicationSets that list it; everything else of dist/ is
 * small and read whole. So the clusters a change touches are those with a changed file of their own, and those listed
 * (before or after) by a changed ApplicationSet. The plan of every other cluster is empty, and need not be read.
 */
export interface PlanScope {
  /** Whether a file of dist/ is read: every file but those of clusters the change does not touch. */
  readonly file: (file: string) => boolean;
  /** Whether a folder of dist/ is read (the folders of untouched clusters are skipped whole). */
  readonly folder: (folder: string) => boolean;
  /** The clusters the change touches. */
  readonly clusters: ReadonlySet<string>;
}

/** The cluster a file of dist/ belongs to: its folder, or one of its own value files. */
export function clusterOfFile(file: string): string | undefined {
  return (/^clusters\/([^/]+)\//.exec(file) ?? /^bundles\/[^/]+\/values\/([^/]+)\.yaml$/.exec(file))?.[1];
}

/**
 * The scope of a change: `changed` lists the files of dist/ that differ between the two versions; `before` and `after`
 * read a file of each version (undefined when it does not exist there).
 */
export function planScope(
  changed: Iterable<string>, before: (file: string) => string | undefined, after: (file: string) => string | undefined,
): PlanScope {
  const clusters = new Set<string>();
  for (const file of changed) {
    const cluster = clusterOfFile(file);
    if (cluster !== undefined) {
      clusters.add(cluster);
    } else if (/^argocd\/shards\/[^/]+\/ApplicationSet\.[^/]+\.yaml$/.test(file)) {
      for (const text of [before(file), after(file)]) {
        const obj = text === undefined ? undefined : YAML.parse(text) as KubeObject | null;
        listedClusters(obj?.spec).forEach((name) => clusters.add(name));
      }
    }
  }
  const clustersPrefix = `${DistLayout.clustersDir}/`;
  return {
    clusters,
    file: (file) => {
      const cluster = clusterOfFile(file);
      return cluster === undefined || clusters.has(cluster);
    },
    folder: (folder) => !folder.startsWith(clustersPrefix) || clusters.has(folder.slice(clustersPrefix.length).split('/')[0]),
  };
}
