import * as YAML from 'yaml';
import type { Fleet } from '../../src';
import type { KubeObject } from '../../src/kube/types';
import { readDistFiles } from '../../src/operations/dist-fleet';
import { ArgoInstance, registered, type ArgoApplication } from '../upstream/argocd-instance';

/**
 * Argo CD running the fleet as rendered (see `test/upstream/argocd-instance.ts`), with every cluster of the fleet
 * registered the way `arlonctl register` registers it, unless `clusters` says which are.
 */
export function argoCd(fleet: Fleet, clusters?: readonly string[]): ArgoInstance {
  return argoCdOnDist(fleet.renderFiles(), clusters);
}

/**
 * Argo CD running a rendered `dist/` (files by path inside it), from the root Application in `fleet/`; the fleet
 * repository's URL and `dist/` path are read from that Application's source.
 */
export function argoCdOnDist(files: ReadonlyMap<string, string>, clusters?: readonly string[]): ArgoInstance {
  // The root syncs dist/argocd; the bootstrap folder may also hold the management plane's Application.
  const rootFile = [...files.keys()].find((f) => /^fleet\/Application\.[^/]+\.yaml$/.test(f)
    && /(^|\/)argocd$/.test((YAML.parse(files.get(f)!) as { spec: { source: { path: string } } }).spec.source.path));
  if (rootFile === undefined) {
    throw new Error('no root Application in fleet/');
  }
  const root = YAML.parse(files.get(rootFile)!) as KubeObject;
  const source = (root.spec as { source: { repoURL: string; path: string } }).source;
  const distPath = source.path.replace(/\/?argocd$/, '');
  // Argo CD knows each cluster by the name `register` writes (its base name, or an external cluster's own).
  const known = readDistFiles(files, 'test').clusters;
  const byName = new Map(known.map((c) => [c.name, c]));
  const chosen = clusters === undefined ? known : clusters.map((name) => byName.get(name) ?? name);
  return new ArgoInstance(files, rootFile, { repoUrl: source.repoURL, distPath, clusters: registered(root.metadata.name, chosen) });
}

/** The Application Argo CD runs under `name`; fails the test listing those that exist when there is none. */
export function application(argo: ArgoInstance, name: string): ArgoApplication {
  const app = argo.applications.get(name);
  if (app === undefined) {
    throw new Error(`no Application "${name}"; Argo CD runs: ${[...argo.applications.keys()].sort().join(', ')}`);
  }
  return app;
}

type Json = Record<string, unknown>;

/** The spec of an Application as Argo CD runs it. */
export function specOf(app: ArgoApplication): Json & { source?: Json; sources?: Json[] } {
  return app.object.spec as Json;
}
