/**
 * Argo CD v3.5.1's ApplicationSet controller, one reconcile of an ApplicationSet
 * (`applicationset/controllers/applicationset_controller.go` `Reconcile`):
 * - an ApplicationSet being deleted generates nothing;
 * - it generates its Applications (`expand-application-set.ts`; the matrix's cluster generator yields the cluster only
 *   while its cluster Secret carries the fleet's labels) and validates them (`validateGeneratedApplications`: the project
 *   must exist and the destination be a known cluster); invalid ones are neither created, updated nor deleted;
 * - `createOrUpdateInCluster` sets each valid Application's spec, labels, annotations and finalizers to the template's
 *   and makes the ApplicationSet its controller (`controllerutil.SetControllerReference`), which fails for an Application
 *   another ApplicationSet controls; any such failure returns before anything is deleted;
 * - `deleteInCluster` deletes the Applications it controls that it no longer generates, after
 *   `removeFinalizerOnInvalidDestination` dropped the resources finalizer of those whose destination is unknown.
 * Its deletes can also wait on Applications other units hand over to it (`DeleteGate`, `appset-handovers.ts`).
 */
import { cascadedDeletion, removeFinalizerOnInvalidDestination, updatedFinalizers } from './argocd-rules';
import { nameList, text, type Text } from './model';
import type { Step } from './step';
import { copyWorld, deleteApp, type LiveWorld, type ScenarioFacts } from './world';

/** The Applications an ApplicationSet generates now: its spec's, for those whose cluster Secret is labelled. */
export function generatedNow(facts: ScenarioFacts, w: LiveWorld, specId: string) {
  return facts.scenario.appSets[specId].generates.filter((g) => g.requiresLabelled === undefined
    || (g.requiresLabelled === facts.scenario.subject.cluster && w.secret.exists && w.secret.labelled));
}

/** One reconcile of each live ApplicationSet that changes something (and, when its deletes may wait, the one without them). */
export function applicationSetSteps(facts: ScenarioFacts, w: LiveWorld): Step[] {
  const steps: Step[] = [];
  for (const [name, appSet] of Object.entries(w.appSets)) {
    if (appSet.deleting) {
      continue;
    }
    const generated = generatedNow(facts, w, appSet.spec);
    const next = copyWorld(w);
    const done: string[] = [];
    let conflict: string | undefined;
    for (const g of generated) {
      const spec = facts.spec(g.spec);
      if (w.objects[spec.project] === undefined || !facts.destinationKnown(w, spec)) {
        continue;
      }
      const current = w.apps[g.name];
      if (current?.controller !== undefined && current.controller !== name) {
        conflict = current.controller;
        continue;
      }
      const finalizers = updatedFinalizers(current?.finalizers ?? [], spec.finalizers);
      if (current === undefined) {
        next.apps[g.name] = { spec: g.spec, controller: name, finalizers, deleting: false };
        done.push('creates');
      } else if (current.deleting && finalizers.some((f) => !current.finalizers.includes(f))) {
        // The API server refuses new finalizers on an object being deleted: the update fails, and so the reconcile.
        conflict = name;
      } else if (current.spec !== g.spec || !sameList(current.finalizers, finalizers) || current.controller !== name) {
        next.apps[g.name] = { ...current, spec: g.spec, controller: name, finalizers };
        const added = cascadedDeletion(finalizers) && !cascadedDeletion(current.finalizers);
        const removed = !cascadedDeletion(finalizers) && cascadedDeletion(current.finalizers);
        done.push(added ? 'updates (finalizer added)' : removed ? 'updates (finalizer removed)' : 'updates');
      }
    }
    const wanted = new Set(generated.map((g) => g.name));
    const gate = facts.scenario.deleteGates[name] ?? 'free';
    const beforeDeletes = copyWorld(next);
    const deletes: string[] = [];
    if (conflict === undefined && gate !== 'never') {
      for (const [appName, app] of Object.entries(w.apps)) {
        if (app.controller !== name || wanted.has(appName) || app.deleting) {
          continue;
        }
        const validDestination = facts.destinationKnown(w, facts.spec(app.spec));
        const finalizers = removeFinalizerOnInvalidDestination(app.finalizers, validDestination);
        deleteApp(next, appName, finalizers);
        deletes.push(finalizers.length < app.finalizers.length ? 'deletes (finalizer removed: unknown destination)' : 'deletes');
      }
    }
    const apps = [...new Set([...generated.map((g) => g.name), ...Object.keys(w.apps).filter((a) => w.apps[a].controller === name)])].sort();
    const label = (verbs: readonly string[]): Text => [...text`ApplicationSet ${name} `, `${verbs.join(' and ')} Application `, ...nameList(apps)];
    if (done.length > 0 || deletes.length > 0) {
      steps.push({
        label: label([...done, ...deletes]),
        world: next,
        tags: ['appset', ...(deletes.length > 0 ? ['appset-delete'] : []), ...(deletes.some((d) => d.includes('unknown')) ? ['appset-unknown-destination'] : [])],
      });
    }
    if (deletes.length > 0 && done.length > 0 && gate === 'eventually') {
      steps.push({ label: [...label(done), ' (its deletes wait for Applications other ApplicationSets hand over)'], world: beforeDeletes, tags: ['appset'] });
    }
  }
  return steps;
}

/**
 * Kubernetes' garbage collector (`pkg/controller/garbagecollector`): an Application whose controlling ApplicationSet is
 * gone, or is being deleted in the foreground, is deleted (the Application's own finalizers then run); an ApplicationSet
 * deleted in the foreground goes once the Applications it controls are gone.
 */
export function garbageCollectorSteps(w: LiveWorld): Step[] {
  const steps: Step[] = [];
  for (const [name, app] of Object.entries(w.apps)) {
    if (app.controller === undefined || app.deleting) {
      continue;
    }
    const owner = w.appSets[app.controller];
    if (owner === undefined || (owner.deleting && owner.foreground)) {
      const next = copyWorld(w);
      deleteApp(next, name);
      steps.push({
        label: [...text`garbage collection deletes Application ${name} (its ApplicationSet ${app.controller}`, owner === undefined ? ' is gone)' : ' is being deleted)'],
        world: next,
        tags: ['gc'],
      });
    }
  }
  for (const [name, appSet] of Object.entries(w.appSets)) {
    if (appSet.deleting && appSet.foreground && !Object.values(w.apps).some((a) => a.controller === name)) {
      const next = copyWorld(w);
      delete next.appSets[name];
      steps.push({ label: text`garbage collection removes ApplicationSet ${name} (its Applications are gone)`, world: next, tags: ['gc'] });
    }
  }
  return steps;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
