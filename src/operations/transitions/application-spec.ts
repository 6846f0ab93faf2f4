/**
 * An Application's spec as the model reads it (`AppSpec`): its project and destination, a directory source in dist/
 * or the bundle it installs with its value files (`$ref/` paths resolved as the repo-server resolves them:
 * `argocd-rules.ts`), its sync policy and finalizers; and why a project refuses it.
 */
import { isDestinationPermitted, isSourcePermitted, normalizeGitUrl, type AppProjectSpec } from './argocd-project';
import { prunePropagationPolicy, resolveValueFile } from './argocd-rules';
import { distFolder, type RevisionIndex } from './dist-index';
import type { AppSpec, ValueFile } from './model';
import { stableJson } from '../../_json';
import { IN_CLUSTER_SERVER } from '../../argocd/destinations';
import type { KubeObject } from '../../kube/types';

/** An Application as the model reads it, from its manifest or as an ApplicationSet renders it. */
export function applicationSpec(app: KubeObject, index: RevisionIndex): AppSpec {
  type Source = {
    repoURL?: string;
    path?: string;
    chart?: string;
    ref?: string;
    targetRevision?: string;
    helm?: { releaseName?: string; valueFiles?: string[]; ignoreMissingValueFiles?: boolean };
    [k: string]: unknown;
  };
  const spec = app.spec as {
    project?: string;
    source?: Source;
    sources?: Source[];
    destination?: { name?: string; server?: string };
    syncPolicy?: { automated?: { prune?: boolean }; syncOptions?: string[] };
  };
  const destination = spec.destination ?? {};
  const inCluster = destination.name === index.managementCluster || destination.server?.replace(/\/+$/, '') === IN_CLUSTER_SERVER;
  const sources = spec.sources ?? (spec.source === undefined ? [] : [spec.source]);
  const syncOptions = spec.syncPolicy?.syncOptions ?? [];
  const result: AppSpec = {
    project: `AppProject/${index.fleet.argocdNamespace}/${spec.project ?? 'default'}`,
    destination: destination.name ?? destination.server ?? '',
    inCluster,
    prune: spec.syncPolicy?.automated?.prune === true,
    syncOptions,
    prunePropagation: prunePropagationPolicy(syncOptions),
    finalizers: (app.metadata as { finalizers?: string[] }).finalizers ?? [],
  };
  const main = sources.find((s) => s.ref === undefined);
  const inFleetRepo = (s: Source) => normalizeGitUrl(s.repoURL ?? '') === index.repo;
  if (main !== undefined && inCluster && inFleetRepo(main) && main.chart === undefined && main.helm === undefined && main.path !== undefined) {
    const folder = distFolder(main.path, index.distPath);
    if (folder !== undefined) {
      return { ...result, folder };
    }
  }
  if (main === undefined) {
    return result;
  }
  const { helm, ...fields } = main;
  const refs = Object.fromEntries(sources.filter((s) => s.ref !== undefined).map((s) => [`$${s.ref}`, s.repoURL ?? '']));
  const valueFiles: ValueFile[] = (helm?.valueFiles ?? []).map((file) => {
    const resolved = resolveValueFile(file, refs, main.repoURL ?? '');
    // A file outside dist/ (or one that does not resolve) never exists here.
    const path = 'error' in resolved ? `${file} (${resolved.error})`
      : normalizeGitUrl(resolved.repo) === index.repo ? distFolder(resolved.path, index.distPath) ?? `${resolved.repo}/${resolved.path}`
        : `${resolved.repo}/${resolved.path}`;
    return { path, own: /^bundles\/[^/]+\/values\/[^/]+\.yaml$/.test(path) };
  });
  return {
    ...result,
    workload: {
      definition: stableJson({ ...fields, releaseName: helm?.releaseName }),
      valueFiles,
      ignoreMissingValueFiles: helm?.ignoreMissingValueFiles === true,
    },
  };
}


/** Why `project` refuses `app` (`util/argo/argo.go` `ValidatePermissions`), or undefined. */
export function projectRefusal(project: KubeObject, app: KubeObject, spec: AppSpec): string | undefined {
  const permissions = project.spec as AppProjectSpec;
  const appSpec = app.spec as { sources?: Array<{ repoURL: string }>; source?: { repoURL: string }; destination?: { namespace?: string } };
  for (const source of appSpec.sources ?? (appSpec.source === undefined ? [] : [appSpec.source])) {
    if (!isSourcePermitted(permissions, source.repoURL)) {
      return `application repo ${source.repoURL} is not permitted in project '${project.metadata.name}'`;
    }
  }
  // A workload cluster's API server is whatever EKS gave it: any address but the management cluster's.
  const server = spec.inCluster ? IN_CLUSTER_SERVER : `https://${spec.destination}.eks.amazonaws.com`;
  const namespace = appSpec.destination?.namespace ?? '';
  if (!isDestinationPermitted(permissions, { name: spec.destination, server }, namespace)) {
    return `application destination {${spec.destination} ${namespace}} is not permitted in project '${project.metadata.name}'`;
  }
  return undefined;
}
