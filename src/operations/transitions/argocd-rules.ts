/**
 * The small rules of Argo CD v3.5.1 the transition model acts by, each a port of one upstream function
 * (argoproj/argo-cd v3.5.1; `test/upstream/transition-ports.test.ts` runs their upstream test tables):
 * - finalizer names and what they mean: `pkg/apis/application/v1alpha1/application_defaults.go` and `types.go`
 *   (`CascadedDeletion`, `GetPropagationPolicy`, `UnSetCascadedDeletion`, `isPropagationPolicyFinalizer`);
 * - sync options read from an object's annotation or from the Application: `gitops-engine/pkg/sync/resource/
 *   annotations.go` (`GetAnnotationCSVs`, `GetAnnotationOptionValue`) and `types.go` (`SyncOptions.GetOptionValue`);
 * - whether the resources finalizer deletes a live object: `controller/appcontroller.go` (`shouldBeDeleted`);
 * - how a sync prunes: `controller/sync.go` (`PrunePropagationPolicy`, foreground by default);
 * - what the ApplicationSet controller does to an Application's finalizers: `applicationset/controllers/
 *   applicationset_controller.go` (`createOrUpdateInCluster` keeps pre- and post-delete finalizers, sets the rest to
 *   the template's; `removeFinalizerOnInvalidDestination` removes `resources-finalizer.argocd.argoproj.io` alone);
 * - which value files Helm is given: `reposerver/repository/repository.go` (`getResolvedValueFiles`: `$ref/` paths read
 *   from the source with that `ref`, a missing file skipped only with `ignoreMissingValueFiles`, duplicates dropped).
 */

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
export const FOREGROUND_FINALIZER = 'resources-finalizer.argocd.argoproj.io/foreground';
export const BACKGROUND_FINALIZER = 'resources-finalizer.argocd.argoproj.io/background';
const PRE_DELETE_FINALIZER = 'pre-delete-finalizer.argocd.argoproj.io';
const POST_DELETE_FINALIZER = 'post-delete-finalizer.argocd.argoproj.io';

/** `isPropagationPolicyFinalizer`. */
export function isPropagationPolicyFinalizer(finalizer: string): boolean {
  return finalizer === RESOURCES_FINALIZER || finalizer === FOREGROUND_FINALIZER || finalizer === BACKGROUND_FINALIZER;
}

/** `CascadedDeletion`: whether deleting the Application deletes what it manages. */
export function cascadedDeletion(finalizers: readonly string[]): boolean {
  return finalizers.some(isPropagationPolicyFinalizer);
}

/** The propagation `finalizeApplicationDeletion` deletes with: background only for the `/background` finalizer. */
export function deletionPropagation(finalizers: readonly string[]): 'foreground' | 'background' {
  return finalizers.find(isPropagationPolicyFinalizer) === BACKGROUND_FINALIZER ? 'background' : 'foreground';
}

/** `UnSetCascadedDeletion`. */
export function unsetCascadedDeletion(finalizers: readonly string[]): string[] {
  return finalizers.filter((f) => !isPropagationPolicyFinalizer(f));
}

/** `GetAnnotationCSVs`: the options of a comma-separated annotation, trimmed, empty ones and repeats dropped. */
export function annotationOptions(value: string | undefined): string[] {
  const seen = new Set<string>();
  for (const item of (value ?? '').split(',')) {
    const option = item.trim();
    if (option !== '') {
      seen.add(option);
    }
  }
  return [...seen];
}

/** `GetAnnotationOptionValue` / `SyncOptions.GetOptionValue`: the value of the first `key=` option, if any. */
export function optionValue(options: readonly string[], key: string): string | undefined {
  const prefix = `${key}=`;
  return options.find((o) => o.startsWith(prefix))?.slice(prefix.length);
}

/** What `shouldBeDeleted` reads of a live object. */
export interface LiveObjectFacts {
  /** Its `argocd.argoproj.io/sync-options` annotation. */
  readonly syncOptions?: string;
  /** `helm.sh/resource-policy`. */
  readonly helmResourcePolicy?: string;
  readonly isCrd?: boolean;
  /** The object is the Application itself (an Application that manages itself). */
  readonly selfReferenced?: boolean;
}

/**
 * `shouldBeDeleted`: the resources finalizer deletes a live object unless it is a CRD, the Application itself, kept by
 * Helm, or its own `Delete=` option (else the Application's) is `false`.
 */
export function shouldBeDeleted(object: LiveObjectFacts, appSyncOptions: readonly string[] | undefined): boolean {
  let deleteOption = optionValue(annotationOptions(object.syncOptions), 'Delete');
  if (deleteOption === undefined && appSyncOptions !== undefined) {
    deleteOption = optionValue(appSyncOptions, 'Delete');
  }
  return !object.isCrd && !object.selfReferenced && deleteOption !== 'false'
    && !annotationOptions(object.helmResourcePolicy).includes('keep');
}

/** `controller/sync.go`: the propagation a sync prunes with. */
export function prunePropagationPolicy(syncOptions: readonly string[]): 'foreground' | 'background' | 'orphan' {
  if (syncOptions.includes('PrunePropagationPolicy=background')) {
    return 'background';
  }
  if (syncOptions.includes('PrunePropagationPolicy=foreground')) {
    return 'foreground';
  }
  return syncOptions.includes('PrunePropagationPolicy=orphan') ? 'orphan' : 'foreground';
}

/**
 * `createOrUpdateInCluster`: an Application's finalizers after the ApplicationSet controller updates it: the
 * template's, plus the pre- and post-delete finalizers it already had (matched by prefix, hook stages included).
 */
export function updatedFinalizers(found: readonly string[], generated: readonly string[]): string[] {
  const kept = [PRE_DELETE_FINALIZER, POST_DELETE_FINALIZER].flatMap((prefix) => found.filter((f) => f.startsWith(prefix)));
  return [...generated, ...kept];
}

/** `removeFinalizerOnInvalidDestination`: the Application's finalizers when its destination is unknown. */
export function removeFinalizerOnInvalidDestination(finalizers: readonly string[], validDestination: boolean): string[] {
  return validDestination ? [...finalizers] : finalizers.filter((f) => f !== RESOURCES_FINALIZER);
}

/** One value file as `getResolvedValueFiles` resolves it. */
export type ResolvedValueFile = { readonly repo: string; readonly path: string } | { readonly error: string };

/**
 * `getResolvedValueFiles` for what the library writes (no environment variables, no globs, no URLs), in two halves:
 * where each file is (`resolveValueFile`), and which of them Helm is given (`selectValueFiles`).
 */
export function resolveValueFiles(
  raw: readonly string[], refs: Readonly<Record<string, string>>, mainRepo: string,
  exists: (repo: string, path: string) => boolean, ignoreMissing: boolean,
): { readonly files: ReadonlyArray<{ repo: string; path: string }>; readonly error?: string } {
  const resolved = raw.map((file) => resolveValueFile(file, refs, mainRepo));
  const failed = resolved.find((r): r is { error: string } => 'error' in r);
  if (failed !== undefined) {
    return { files: [], error: failed.error };
  }
  return selectValueFiles(resolved as Array<{ repo: string; path: string }>, (f) => exists(f.repo, f.path), ignoreMissing);
}

/**
 * Where a value file is: `$<ref>/path` in the repository of the source whose `ref` is `<ref>` (a `$` word that names no
 * ref source is an unset environment variable: replaced by nothing, the path is the main source's); `..` may not
 * leave the repository.
 */
export function resolveValueFile(file: string, refs: Readonly<Record<string, string>>, mainRepo: string): ResolvedValueFile {
  const match = /^(\$[^/]+)(\/.*)?$/.exec(file);
  const repo = match !== null ? refs[match[1]] : undefined;
  if (match !== null && repo !== undefined) {
    if (match[2] === undefined) {
      return { error: `error resolving value file path: ${file} names no file in the repository` };
    }
    return inside(repo, match[2].slice(1));
  }
  return inside(mainRepo, match !== null ? (match[2] ?? '').replace(/^\//, '') : file);
}

/**
 * Which resolved files Helm is given: a file that does not exist is skipped with `ignoreMissingValueFiles` and
 * otherwise fails the render when Helm reads it ("no such file or directory"); a file named twice is given once, where
 * it is first named (`appendUnique`).
 */
export function selectValueFiles<T extends { readonly repo: string; readonly path: string }>(
  files: readonly T[], exists: (file: T) => boolean, ignoreMissing: boolean,
): { readonly files: readonly T[]; readonly skipped: readonly T[]; readonly error?: string } {
  const given: T[] = [];
  const skipped: T[] = [];
  for (const file of files) {
    if (!exists(file)) {
      if (!ignoreMissing) {
        return { files: [], skipped: [], error: `${file.path}: no such file or directory` };
      }
      skipped.push(file);
    } else if (!given.some((f) => f.repo === file.repo && f.path === file.path)) {
      given.push(file);
    }
  }
  return { files: given, skipped };
}

/** A path inside a repository, refusing one that climbs out of it. */
function inside(repo: string, path: string): ResolvedValueFile {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') {
      if (parts.length === 0) {
        return { error: `error resolving value file path: ${path} is outside the repository` };
      }
      parts.pop();
    } else if (part !== '.' && part !== '') {
      parts.push(part);
    }
  }
  return { repo, path: parts.join('/') };
}
