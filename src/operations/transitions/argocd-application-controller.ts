/**
 * Argo CD v3.5.1's application controller, as far as it acts between two commits (argoproj/argo-cd v3.5.1):
 * - **sync**: an Application that is valid (`util/argo/argo.go` `ValidatePermissions`; its folder and value files
 *   resolve) and not being deleted (`controller/appcontroller.go` `autoSync` skips those) applies each manifest of its
 *   source at the newest commit, one resource at a time in any order (`gitops-engine/pkg/sync/sync_tasks.go`: custom
 *   resources of one wave have no order between them), and prunes what it tracks that the commit no longer holds when
 *   `prune` is on, unless the live object says `Prune=false`, with its `PrunePropagationPolicy` (foreground by default,
 *   `controller/sync.go`);
 * - **deletion** (`finalizeApplicationDeletion`, `shouldBeDeleted`): an Application being deleted with the resources
 *   finalizer deletes every live object it manages whose **live** `sync-options` (else the Application's own) do not say
 *   `Delete=false`, waits for objects being deleted, then drops the finalizer; when its destination cluster is unknown
 *   it drops the finalizer and deletes nothing.
 * A bundle's workload (what its Application installed on the cluster) is one object here, rendered from the bundle's
 * source and the value files of the newest commit.
 */
import { annotationOptions, cascadedDeletion, deletionPropagation, shouldBeDeleted, unsetCascadedDeletion } from './argocd-rules';
import { text, type Manifest, type Scenario, type Text } from './model';
import type { Step } from './step';
import { copyWorld, deleteApp, deleteAppSet, deleteObject, type LiveWorld, type MutableWorld, type ScenarioFacts } from './world';

/** The live thing a manifest is applied to, and whether it already holds the manifest. */
function liveOf(w: LiveWorld, m: Manifest): { exists: boolean; current: boolean; deleting: boolean } {
  if (m.app !== undefined) {
    const app = w.apps[m.app.name];
    return { exists: app !== undefined, current: app?.spec === m.app.spec, deleting: app?.deleting ?? false };
  }
  if (m.appSet !== undefined) {
    const appSet = w.appSets[m.appSet.name];
    return { exists: appSet !== undefined, current: appSet?.content === m.content, deleting: appSet?.deleting ?? false };
  }
  const object = w.objects[m.key];
  return { exists: object !== undefined, current: object?.content === m.content, deleting: object?.deleting ?? false };
}

/** Applies one manifest for the Application `tracker` (server-side apply: create, or update in place). */
function apply(facts: ScenarioFacts, w: MutableWorld, m: Manifest, tracker: string): void {
  if (m.app !== undefined) {
    const current = w.apps[m.app.name];
    // Finalizers cannot be added to an object being deleted; the rest of the update applies.
    const deleting = current?.deleting ?? false;
    const finalizers = deleting ? current!.finalizers : facts.spec(m.app.spec).finalizers;
    w.apps[m.app.name] = { ...current, spec: m.app.spec, tracker, finalizers, deleting };
  } else if (m.appSet !== undefined) {
    const current = w.appSets[m.appSet.name];
    w.appSets[m.appSet.name] = {
      spec: m.appSet.spec, content: m.content, tracker, deleting: current?.deleting ?? false, foreground: current?.foreground ?? false,
    };
  } else {
    w.objects[m.key] = { content: m.content, tracker, deleting: w.objects[m.key]?.deleting ?? false };
  }
}

/** What an Application tracks on the cluster, by the kind of thing and its key. */
function tracked(w: LiveWorld, name: string): Array<{ kind: 'app' | 'appset' | 'object'; key: string }> {
  return [
    ...Object.keys(w.apps).filter((k) => w.apps[k].tracker === name).map((key) => ({ kind: 'app' as const, key })),
    ...Object.keys(w.appSets).filter((k) => w.appSets[k].tracker === name).map((key) => ({ kind: 'appset' as const, key })),
    ...Object.keys(w.objects).filter((k) => w.objects[k].tracker === name).map((key) => ({ kind: 'object' as const, key })),
  ];
}

/** The manifest a tracked live thing was applied from. */
function manifestOf(facts: ScenarioFacts, w: LiveWorld, thing: { kind: 'app' | 'appset' | 'object'; key: string }): Manifest | undefined {
  const content = thing.kind === 'app' ? w.apps[thing.key].spec : thing.kind === 'appset' ? w.appSets[thing.key].content : w.objects[thing.key].content;
  return facts.manifest(content) ?? findAppManifest(facts.scenario, thing.key, content);
}

/** An Application manifest by name and spec (its content is its spec id, which other manifests may share). */
function findAppManifest(s: Scenario, name: string, spec: string): Manifest | undefined {
  for (const folder of Object.values(s.folders)) {
    const found = [...(folder.base ?? []), ...(folder.head ?? [])].find((m) => m.app?.name === name && m.app.spec === spec);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

function isDeleting(w: LiveWorld, thing: { kind: 'app' | 'appset' | 'object'; key: string }): boolean {
  return thing.kind === 'app' ? w.apps[thing.key].deleting : thing.kind === 'appset' ? w.appSets[thing.key].deleting : w.objects[thing.key].deleting;
}

function remove(facts: ScenarioFacts, w: MutableWorld, thing: { kind: 'app' | 'appset' | 'object'; key: string }, propagation: 'foreground' | 'background' | 'orphan'): void {
  if (thing.kind === 'app') {
    deleteApp(w, thing.key);
  } else if (thing.kind === 'appset') {
    deleteAppSet(w, thing.key, propagation);
  } else {
    deleteObject(w, facts, thing.key);
  }
}

/** The sync steps of every valid Application not being deleted: one per resource to apply or prune. */
export function syncSteps(facts: ScenarioFacts, w: LiveWorld): Step[] {
  const steps: Step[] = [];
  const s = facts.scenario;
  for (const [name, app] of Object.entries(w.apps)) {
    const spec = facts.spec(app.spec);
    if (app.deleting || facts.appProblem(w, spec) !== undefined) {
      continue;
    }
    if (spec.folder !== undefined) {
      const manifests = s.folders[spec.folder].head!;
      for (const m of manifests) {
        const live = liveOf(w, m);
        if (!live.current) {
          const next = copyWorld(w);
          apply(facts, next, m, name);
          steps.push({ label: text`Application ${name} applies ${m.key}`, world: next, tags: ['sync'] });
        }
      }
      const keep = new Set(manifests.map((m) => m.app?.name ?? m.appSet?.name ?? m.key));
      for (const thing of tracked(w, name)) {
        if (keep.has(thing.key) || isDeleting(w, thing)) {
          continue;
        }
        if (spec.prune && !annotationOptions(manifestOf(facts, w, thing)?.syncOptions).includes('Prune=false')) {
          const next = copyWorld(w);
          remove(facts, next, thing, spec.prunePropagation);
          steps.push({ label: text`Application ${name} prunes ${thing.key} (no longer in its folder ${spec.folder})`, world: next, tags: ['prune', `prune:${thing.kind}`] });
        }
      }
    } else if (spec.workload !== undefined && isUnitApplication(s, name)) {
      const { rendered, withoutBaseValues } = facts.render(spec, s.filesAtHead);
      if (w.workload?.rendered !== rendered) {
        const next = copyWorld(w);
        next.workload = { rendered };
        if (withoutBaseValues !== undefined) {
          next.deleted.push(`render-without-base-values:${withoutBaseValues}`);
        }
        steps.push({ label: text`Application ${name} syncs its bundle to cluster ${s.subject.cluster}`, world: next, tags: ['sync'] });
      }
    }
  }
  return steps;
}

/**
 * Why an Application that is valid stays OutOfSync for good: resources it tracks that the commit no longer holds and
 * that it will never prune (no `prune`, or `Prune=false` on the live object), unless they say `IgnoreExtraneous`
 * (`controller/state.go`: such a resource does not count toward the sync status).
 */
export function extraneous(facts: ScenarioFacts, w: LiveWorld, name: string): string[] {
  const spec = facts.spec(w.apps[name].spec);
  if (spec.folder === undefined || facts.scenario.folders[spec.folder]?.head === undefined) {
    return [];
  }
  const keep = new Set(facts.scenario.folders[spec.folder].head!.map((m) => m.app?.name ?? m.appSet?.name ?? m.key));
  return tracked(w, name).filter((thing) => !keep.has(thing.key)).filter((thing) => {
    const manifest = manifestOf(facts, w, thing);
    return !(manifest?.ignoreExtraneous ?? false);
  }).map((thing) => thing.key);
}

/** The deletion steps of Applications being deleted with the resources finalizer (`finalizeApplicationDeletion`). */
export function finalizerSteps(facts: ScenarioFacts, w: LiveWorld): Step[] {
  const steps: Step[] = [];
  const s = facts.scenario;
  for (const [name, app] of Object.entries(w.apps)) {
    if (!app.deleting || !cascadedDeletion(app.finalizers)) {
      continue;
    }
    const spec = facts.spec(app.spec);
    const next = copyWorld(w);
    const release = () => {
      const left = unsetCascadedDeletion(app.finalizers);
      if (left.length === 0) {
        delete next.apps[name];
      } else {
        next.apps[name] = { ...app, finalizers: left };
      }
    };
    if (!facts.destinationKnown(w, spec)) {
      release();
      steps.push({ label: text`Argo CD removes the finalizer of Application ${name} without deleting anything (its destination cluster ${spec.destination} is unknown)`, world: next, tags: ['finalizer', 'finalizer-unknown-destination'] });
      continue;
    }
    const managed = tracked(w, name);
    const workload = spec.workload !== undefined && isUnitApplication(s, name) && w.workload !== undefined;
    if (managed.some((thing) => isDeleting(w, thing))) {
      continue;
    }
    const deletable = managed.filter((thing) => {
      const manifest = manifestOf(facts, w, thing);
      return shouldBeDeleted({ syncOptions: manifest?.syncOptions, helmResourcePolicy: manifest?.helmResourcePolicy }, spec.syncOptions);
    });
    if (deletable.length > 0 || workload) {
      const propagation = deletionPropagation(app.finalizers);
      deletable.forEach((thing) => remove(facts, next, thing, propagation));
      if (workload) {
        delete next.workload;
        next.deleted.push(`workload:${s.subject.app}`);
      }
      const what: Text = [
        ...deletable.flatMap((t, i) => (i === 0 ? [{ name: t.key }] : [', ', { name: t.key }])),
        ...(workload ? [...(deletable.length > 0 ? [', '] : []), ...text`what it installed on cluster ${s.subject.cluster}`] : []),
      ];
      steps.push({ label: [...text`Argo CD's resources finalizer of Application ${name} deletes `, ...what], world: next, tags: ['finalizer', 'finalizer-deletes'] });
    } else {
      release();
      steps.push({ label: text`Argo CD removes the finalizer of Application ${name} (what it manages is kept)`, world: next, tags: ['finalizer'] });
    }
  }
  return steps;
}

/** Whether `name` is the unit's Application, under its head's name or its base's (a rename: both install the workload). */
function isUnitApplication(s: Scenario, name: string): boolean {
  return name === s.subject.app || name === s.subject.appBase;
}
