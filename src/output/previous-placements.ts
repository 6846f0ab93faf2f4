import * as fs from 'fs';
import * as path from 'path';
import { DistLayout } from './layout';

/** Where the last synthesis placed a cluster in its profile's rollout: its wave and the revision it runs. */
export interface PreviousPlacement {
  readonly wave?: string;
  readonly revision?: string;
}

/** The annotations a cluster's `Cluster` object carries for its rollout (see `Annotations` in fleet/labels.ts). */
const WAVE = /^ {4}arlon\.io\/rollout-wave: "?([^"\n]+)"?$/m;
const REVISION = /^ {4}arlon\.io\/spec-revision: "?([0-9a-f]{12})"?$/m;

/**
 * Reads the placement of each cluster from the `Cluster` file the last synthesis wrote into `outdir`: the rollout uses
 * it to keep a cluster at the revision it runs when the rollout state no longer says (a wave renamed or emptied, a
 * cluster relabelled into another wave, the state file lost), so that nothing but `arlonctl rollout promote` releases a
 * revision. Reads only the two annotations, with a pattern, not the whole YAML; undefined for a cluster not written yet.
 */
export function previousPlacements(outdir: string): (cluster: string) => PreviousPlacement | undefined {
  const cache = new Map<string, PreviousPlacement | undefined>();
  return (cluster) => {
    if (!cache.has(cluster)) {
      let text: string | undefined;
      try {
        // The `Cluster` file is named after the object (`Cluster.<fleet>--<cluster>.yaml` with fleet-scoped names,
        // `Cluster.<cluster>.yaml` unscoped), and the last synthesis may have used the other naming: find it in the
        // cluster's folder rather than by the cluster's name, which would miss it and release the code's revision.
        const dir = path.join(outdir, DistLayout.clusterDir(cluster));
        const file = fs.readdirSync(dir).find((f) => f.startsWith('Cluster.') && f.endsWith('.yaml'));
        text = file === undefined ? undefined : fs.readFileSync(path.join(dir, file), 'utf8');
      } catch {
        text = undefined;
      }
      cache.set(cluster, text === undefined ? undefined : { wave: WAVE.exec(text)?.[1], revision: REVISION.exec(text)?.[1] });
    }
    return cache.get(cluster);
  };
}
