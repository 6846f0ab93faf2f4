/**
 * Applications that move from one ApplicationSet to another (a shard count change, a layout change) are handed over
 * through deletion: Argo CD's ApplicationSet controller cannot take over an Application another ApplicationSet controls
 * (`controllerutil.SetControllerReference` fails), and a reconcile with such a failure returns before it deletes
 * anything (`applicationset/controllers/applicationset_controller.go`, `Reconcile`: `createOrUpdateInCluster`, then
 * `deleteInCluster`). So an ApplicationSet that receives Applications deletes nothing of its own until every one of
 * them is released: by its old ApplicationSet deleting it (which needs that one's own receptions settled) or by that
 * ApplicationSet being deleted (garbage collection). Two ApplicationSets that each receive from the other wait for
 * ever. This is a property of the whole fleet, computed here once, and given to each unit's exploration as a gate.
 */
import { syncerOf, type RevisionIndex } from './dist-index';
import type { DeleteGate } from './model';
import { listedClusters } from '../../argocd/list-generator';
import { Labels } from '../../fleet/labels';

/** The ApplicationSets that generate each Application (by bundle label and cluster) in one commit. */
function generators(index: RevisionIndex | undefined): Map<string, string> {
  const byApp = new Map<string, string>();
  for (const [name, entry] of index?.appSets ?? []) {
    const bundle = entry.object.metadata.labels?.[Labels.BUNDLE] ?? '';
    for (const cluster of listedClusters(entry.object.spec)) {
      byApp.set(`${bundle}/${cluster}`, name);
    }
  }
  return byApp;
}

/** Whether an ApplicationSet of the base that the head no longer has is deleted: pruned, or deleted with its Application. */
function deletedAtHead(base: RevisionIndex, head: RevisionIndex, name: string): boolean {
  const entry = base.appSets.get(name)!;
  const folder = entry.file.slice(0, entry.file.lastIndexOf('/'));
  const syncer = syncerOf(head, folder);
  if (syncer !== undefined) {
    return (syncer.object.spec as { syncPolicy?: { automated?: { prune?: boolean } } }).syncPolicy?.automated?.prune === true;
  }
  const old = syncerOf(base, folder);
  return ((old?.object.metadata as { finalizers?: string[] } | undefined)?.finalizers ?? []).some((f) => f.startsWith('resources-finalizer.argocd.argoproj.io'));
}

/** Per ApplicationSet of the head: whether its deletes wait on handovers, and whether those ever complete. */
export function deleteGates(base: RevisionIndex | undefined, head: RevisionIndex): Map<string, DeleteGate> {
  const gates = new Map<string, DeleteGate>();
  if (base === undefined) {
    return gates;
  }
  const before = generators(base);
  const after = generators(head);
  const incoming = new Map<string, Set<string>>();
  for (const [app, to] of after) {
    const from = before.get(app);
    if (from !== undefined && from !== to) {
      (incoming.get(to) ?? incoming.set(to, new Set()).get(to)!).add(from);
    }
  }
  const released = new Set<string>([...base.appSets.keys()].filter((name) => !head.appSets.has(name) && deletedAtHead(base, head, name)));
  const settles = new Set<string>([...head.appSets.keys()].filter((name) => !incoming.has(name)));
  for (let changed = true; changed;) {
    changed = false;
    for (const [to, froms] of incoming) {
      if (!settles.has(to) && [...froms].every((from) => released.has(from) || settles.has(from))) {
        settles.add(to);
        changed = true;
      }
    }
  }
  for (const name of head.appSets.keys()) {
    gates.set(name, !incoming.has(name) ? 'free' : settles.has(name) ? 'eventually' : 'never');
  }
  return gates;
}
