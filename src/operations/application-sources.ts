import * as path from 'path';
import { MANIFEST_GENERATE_PATHS } from '../argocd/sync';
import type { KubeObject } from '../kube/types';

/** One source of an Application, as its spec and its status name the fields read here. */
export interface ApplicationSource {
  readonly repoURL?: string;
  readonly path?: string;
  readonly chart?: string;
  readonly ref?: string;
  readonly targetRevision?: string;
}

/** The Application's sources in order: `spec.sources`, or its one `spec.source`. */
export function sourcesOf(app: KubeObject): readonly ApplicationSource[] {
  const spec = (app.spec ?? {}) as { source?: ApplicationSource; sources?: ApplicationSource[] };
  return spec.sources ?? (spec.source === undefined ? [] : [spec.source]);
}

/**
 * The paths of its repository (from the root, no leading slash) whose changes reach an Application's source: the paths
 * of its `manifest-generate-paths` annotation, absolute from the repository's root or relative to the source's path
 * (Argo CD v3.5.1 `util/app/path/path.go` `GetSourceRefreshPaths`); without the annotation, the source's own path, or
 * the whole repository (`''`) for a source without one (a `ref` source: any file may be a value file).
 */
export function sourceInputs(app: KubeObject, source: ApplicationSource): string[] {
  const annotation = app.metadata.annotations?.[MANIFEST_GENERATE_PATHS];
  if (annotation !== undefined && annotation !== '') {
    return annotation.split(';').map((item) => item.trim()).filter((item) => item !== '')
      .map((item) => (item.startsWith('/') ? item.slice(1) : path.posix.normalize(path.posix.join(source.path ?? '', item))))
      .map((item) => (item === '.' ? '' : item.replace(/\/+$/, '')));
  }
  return [source.path === undefined || source.path === '.' ? '' : source.path.replace(/\/+$/, '')];
}
