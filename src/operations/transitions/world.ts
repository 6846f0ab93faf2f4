/**
 * Reading and changing a `World`: the lookups every controller of the model shares (what a live object's manifest
 * says, which Applications are valid, what an Application renders) and the API server's deletion semantics.
 */
import { selectValueFiles } from './argocd-rules';
import { text, type AppSpec, type LiveApp, type Manifest, type Scenario, type Text, type World } from './model';

/** A world under construction: the same shape, writable. */
export interface MutableWorld {
  apps: Record<string, LiveApp>;
  appSets: Record<string, World['appSets'][string]>;
  objects: Record<string, World['objects'][string]>;
  workload?: World['workload'];
  secret: World['secret'];
  nodegroups: Record<string, World['nodegroups'][string]>;
  /** Irreversible things done so far (`<what>:<key>`), for the invariants. */
  deleted: string[];
}

/** A world as the model stores it: with the record of what was deleted. */
export type LiveWorld = World & { readonly deleted: readonly string[] };

export function copyWorld(w: LiveWorld): MutableWorld {
  return {
    apps: { ...w.apps },
    appSets: { ...w.appSets },
    objects: { ...w.objects },
    ...(w.workload === undefined ? {} : { workload: w.workload }),
    secret: w.secret,
    nodegroups: { ...w.nodegroups },
    deleted: [...w.deleted],
  };
}

/** A stable key of a world (records in sorted key order). */
export function worldKey(w: LiveWorld): string {
  const sorted = (r: Readonly<Record<string, unknown>>) => Object.keys(r).sort().map((k) => [k, r[k]]);
  return JSON.stringify([
    sorted(w.apps), sorted(w.appSets), sorted(w.objects), w.workload ?? null, w.secret, sorted(w.nodegroups), [...w.deleted].sort(),
  ]);
}

/** What the model knows of a scenario beyond its data: manifests by content. */
export class ScenarioFacts {
  private readonly byContent = new Map<string, Manifest>();

  constructor(public readonly scenario: Scenario) {
    for (const folder of Object.values(scenario.folders)) {
      for (const manifest of [...(folder.base ?? []), ...(folder.head ?? [])]) {
        this.byContent.set(manifest.content, manifest);
      }
    }
    for (const manifest of scenario.bootstrap) {
      this.byContent.set(manifest.content, manifest);
    }
  }

  /** The manifest a live object was applied from. */
  public manifest(content: string): Manifest | undefined {
    return this.byContent.get(content);
  }

  public spec(id: string): AppSpec {
    return this.scenario.specs[id];
  }

  /** Whether the unit's cluster is known to Argo CD (its cluster Secret exists), or the destination is the management cluster. */
  public destinationKnown(w: World, spec: AppSpec): boolean {
    return spec.inCluster || (w.secret.exists && spec.destination === this.scenario.subject.argocdName);
  }

  /**
   * Why the application controller neither compares nor syncs an Application: its project does not exist or refuses it
   * (`InvalidSpecError`, `util/argo/argo.go` `ValidatePermissions`), its destination is unknown, its folder does not
   * exist, or a value file is missing without `ignoreMissingValueFiles` (`ComparisonError`). Undefined: it is valid.
   */
  public appProblem(w: World, spec: AppSpec): Text | undefined {
    const project = w.objects[spec.project];
    if (project === undefined) {
      return text`project ${spec.project} does not exist`;
    }
    const refusal = spec.refusedBy?.[project.content];
    if (refusal !== undefined) {
      return [{ name: refusal }];
    }
    if (!this.destinationKnown(w, spec)) {
      return text`there are no clusters with the name ${spec.destination}`;
    }
    if (spec.folder !== undefined && this.scenario.folders[spec.folder]?.head === undefined) {
      return text`app path ${spec.folder} does not exist`;
    }
    if (spec.workload !== undefined) {
      const files = spec.workload.valueFiles.map((f) => ({ ...f, repo: '' }));
      const selected = selectValueFiles(files, (f) => this.scenario.filesAtHead[f.path] === true, spec.workload.ignoreMissingValueFiles);
      if (selected.error !== undefined) {
        return text`value file ${spec.workload.valueFiles.find((f) => !this.scenario.filesAtHead[f.path])!.path} does not exist`;
      }
    }
    return undefined;
  }

  /**
   * What a bundle Application renders from the files of `files` (the repo-server reads the newest commit), and whether
   * a base value file was skipped (`reposerver/repository/repository.go`, `getResolvedValueFiles`: with
   * `ignoreMissingValueFiles` a missing file is left out silently).
   */
  public render(spec: AppSpec, files: Readonly<Record<string, boolean>>): { rendered: string; withoutBaseValues?: string } {
    const workload = spec.workload!;
    const selected = selectValueFiles(workload.valueFiles.map((f) => ({ ...f, repo: '' })), (f) => files[f.path] === true, true);
    const missingBase = selected.skipped.find((f) => !f.own);
    return {
      rendered: JSON.stringify([workload.definition, selected.files.map((f) => f.path)]),
      ...(missingBase === undefined ? {} : { withoutBaseValues: missingBase.path }),
    };
  }
}

/** How an object is deleted (`metav1.DeletionPropagation`). */
export type Propagation = 'foreground' | 'background' | 'orphan';

/**
 * Deletes an Application (with `finalizers` set first, when given): it stays, deleting, while it has finalizers (Argo
 * CD's resources finalizer then runs its deletion), and goes at once otherwise.
 */
export function deleteApp(w: MutableWorld, name: string, finalizers?: readonly string[]): void {
  const app = w.apps[name];
  if (app === undefined || app.deleting) {
    return;
  }
  const left = finalizers ?? app.finalizers;
  if (left.length === 0) {
    delete w.apps[name];
  } else {
    w.apps[name] = { ...app, finalizers: left, deleting: true };
  }
}

/**
 * Deletes an ApplicationSet. In the foreground it stays until garbage collection has deleted the Applications it
 * controls; in the background it goes at once and they are collected after; with orphan they lose their owner.
 */
export function deleteAppSet(w: MutableWorld, name: string, propagation: Propagation): void {
  const appSet = w.appSets[name];
  if (appSet === undefined || appSet.deleting) {
    return;
  }
  const dependents = Object.keys(w.apps).filter((a) => w.apps[a].controller === name);
  if (propagation === 'foreground' && dependents.length > 0) {
    w.appSets[name] = { ...appSet, deleting: true, foreground: true };
    return;
  }
  delete w.appSets[name];
  if (propagation === 'orphan') {
    for (const a of dependents) {
      const { controller: _owner, ...rest } = w.apps[a];
      w.apps[a] = rest;
    }
  }
}

/**
 * Deletes an object synced from a folder: a Cluster stays, deleting, while Cluster API deletes what it owns (its
 * finalizer); anything else goes. The deletion is recorded for the invariants.
 */
export function deleteObject(w: MutableWorld, facts: ScenarioFacts, key: string): void {
  const object = w.objects[key];
  if (object === undefined || object.deleting) {
    return;
  }
  const role = facts.manifest(object.content)?.role;
  if (role === 'cluster' || role === 'machinepool' || role === 'managedmachinepool' || role === 'other') {
    w.deleted.push(`${role}:${key}`);
  }
  if (role === 'cluster') {
    w.objects[key] = { ...object, deleting: true };
  } else {
    delete w.objects[key];
  }
}
