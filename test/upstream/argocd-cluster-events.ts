/**
 * Which ApplicationSets a cluster Secret event re-queues: a port of argoproj/argo-cd v3.5.1
 * `applicationset/controllers/clustereventhandler.go` `queueRelatedAppGenerators` and
 * `nestedGeneratorsHaveClusterGenerator`. Every create, update, delete or generic event of a Secret labelled
 * `argocd.argoproj.io/secret-type: cluster` lists every ApplicationSet and re-queues each one that has a cluster
 * generator, at the top level or nested in a matrix or merge, whatever its selector ("TODO: only queue the
 * AppGenerator if the labels match this cluster"). ApplicationSets outside the allowed namespaces are skipped.
 */
import { isObject, type Json } from './status/objects';
import type { KubeObject } from '../../src/kube/types';

/** `nestedGeneratorHasClusterGenerator`: a cluster generator, or a nested matrix or merge (kept as JSON) that has one. */
function hasClusterGenerator(generator: Json): boolean {
  if (isObject(generator.clusters)) {
    return true;
  }
  for (const kind of ['matrix', 'merge']) {
    const nested = generator[kind];
    if (isObject(nested) && ((nested.generators ?? []) as Json[]).some(hasClusterGenerator)) {
      return true;
    }
  }
  return false;
}

/**
 * The ApplicationSets (namespace/name) one event of `secret` re-queues, and how many were listed to find them.
 * `allowedNamespaces` is `--applicationset-namespaces` plus the controller's own namespace, matched exactly (`IsNamespaceAllowed`
 * also takes glob and regular-expression patterns, which the port does not).
 */
export function requeuedByClusterSecretEvent(secret: KubeObject, appSets: readonly KubeObject[], allowedNamespaces: readonly string[]):
{ requeued: string[]; listed: number } {
  if (secret.metadata.labels?.['argocd.argoproj.io/secret-type'] !== 'cluster') {
    return { requeued: [], listed: 0 };
  }
  const requeued = appSets
    .filter((appSet) => allowedNamespaces.includes(appSet.metadata.namespace ?? ''))
    .filter((appSet) => (((appSet.spec as Json | undefined)?.generators ?? []) as Json[]).some(hasClusterGenerator))
    .map((appSet) => `${appSet.metadata.namespace}/${appSet.metadata.name}`);
  return { requeued, listed: appSets.length };
}
