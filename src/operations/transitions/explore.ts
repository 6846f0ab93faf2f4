/**
 * Explores every order in which the controllers can act on one unit after a merge, from the world the base commit
 * converged to, and checks the invariants on every step and in every state where nothing is left to do:
 * - no Cluster deleted unless it was retired in the base and is gone from the head; no other Cluster API object (nor
 *   a cluster's namespace) deleted by Argo CD at all;
 * - no bundle workload deleted unless the bundle leaves the cluster and its Applications carried the resources
 *   finalizer (`RemovalPolicy.DESTROY`) in the base; and one that leaves with DESTROY is deleted in the end;
 * - no Helm render without the bundle's base values;
 * - once settled, the Application the head wants exists, is controlled by the ApplicationSet that generates it, runs
 *   the head's spec, is valid and in sync; no Application the head does not want is left;
 * - once settled, EKS accepts what CAPA asks of it (a refusal there repeats on every reconcile).
 * Breadth first, so the order a finding reports is a shortest one.
 */
import { extraneous, finalizerSteps, syncSteps } from './argocd-application-controller';
import { applicationSetSteps, garbageCollectorSteps } from './argocd-applicationset-controller';
import { capaSteps, type Refusal } from './capa-nodegroups';
import { nameList, text, type AppSetSpec, type LiveNodegroup, type Manifest, type Scenario, type Text } from './model';
import { registerSteps } from './register-actor';
import type { Step } from './step';
import { copyWorld, ScenarioFacts, worldKey, type LiveWorld, type MutableWorld } from './world';

/** What went wrong, by invariant. */
export type FindingKind =
  | 'cluster-deleted' | 'capi-object-deleted' | 'cluster-kept'
  | 'workload-deleted' | 'workload-kept' | 'render-without-base-values'
  | 'application-stuck' | 'eks-refused' | 'not-modelled';

/** An invariant broken in some order of the controllers' steps. */
export interface Finding {
  readonly kind: FindingKind;
  /** What led there, for the fix a plan proposes (`reinstalled`, `handover`, `out-of-sync`, ...). */
  readonly cause: string;
  readonly message: Text;
  /** The node group a refusal is about. */
  readonly nodegroup?: string;
  /** The steps from the merge to the state that breaks it. */
  readonly trace: readonly Text[];
  /** The kinds of the steps on the way (see `Step.tags`). */
  readonly tags: readonly string[];
}

/** The outcome of one exploration. */
export interface Exploration {
  readonly findings: readonly Finding[];
  /** Requests EKS refuses on the way but accepts once the sync is complete (CAPA retries them). */
  readonly transientRefusals: readonly Text[];
  readonly states: number;
}

/** Explored states per unit before the model gives up (and says so). */
export const MAX_STATES = 20000;

/** The worlds the base commit converged to: one per size each node group can have. */
export function baseWorlds(facts: ScenarioFacts): LiveWorld[] {
  const s = facts.scenario;
  const w: MutableWorld = { apps: {}, appSets: {}, objects: {}, secret: baseSecret(s), nodegroups: {}, deleted: [] };
  for (const m of s.bootstrap) {
    w.objects[m.key] = { content: m.content, tracker: 'deploy', deleting: false };
  }
  for (const [name, spec] of Object.entries(s.roots)) {
    w.apps[name] = { spec, finalizers: facts.spec(spec).finalizers, deleting: false };
  }
  // Every Application synced at the base, every ApplicationSet's Applications generated: until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, app] of Object.entries(w.apps)) {
      const folder = facts.spec(app.spec).folder;
      for (const m of (folder === undefined ? undefined : s.folders[folder]?.base) ?? []) {
        changed = applyBase(facts, w, m, name) || changed;
      }
    }
    for (const [name, appSet] of Object.entries(w.appSets)) {
      for (const g of generated(s, s.appSets[appSet.spec], w.secret)) {
        if (w.apps[g.name] === undefined) {
          w.apps[g.name] = { spec: g.spec, controller: name, finalizers: facts.spec(g.spec).finalizers, deleting: false };
          changed = true;
        }
      }
    }
  }
  const app = w.apps[s.subject.appBase];
  if (s.subject.bundle !== undefined && app !== undefined && facts.spec(app.spec).workload !== undefined) {
    w.workload = { rendered: facts.render(facts.spec(app.spec), s.filesAtBase).rendered };
  }
  // Each node group at each size it can have now (the autoscaler's minimum and maximum bound every other).
  let worlds: MutableWorld[] = [w];
  const bounds = nodegroupBounds(s);
  for (const [nodegroup, sizes] of Object.entries(s.nodegroupSizes)) {
    const { min, max } = bounds.get(nodegroup) ?? {};
    worlds = worlds.flatMap((world) => sizes.map((desired) => {
      const copy = copyWorld(world);
      const group: LiveNodegroup = { desired, min: min ?? desired, max: max ?? desired };
      copy.nodegroups[nodegroup] = group;
      return copy;
    }));
  }
  return worlds;
}

function baseSecret(s: Scenario) {
  const { presentBase, retiredBase, external, presentHead } = s.subject;
  if (presentBase) {
    return retiredBase && !external ? { exists: false, labelled: false } : { exists: true, labelled: true };
  }
  // A new external cluster was added to Argo CD by its owners; a new fleet cluster is registered once it runs.
  return { exists: external && presentHead, labelled: false };
}

function applyBase(facts: ScenarioFacts, w: MutableWorld, m: Manifest, tracker: string): boolean {
  if (m.app !== undefined) {
    if (w.apps[m.app.name]?.spec === m.app.spec) {
      return false;
    }
    w.apps[m.app.name] = { spec: m.app.spec, tracker, finalizers: facts.spec(m.app.spec).finalizers, deleting: false };
  } else if (m.appSet !== undefined) {
    if (w.appSets[m.appSet.name]?.content === m.content) {
      return false;
    }
    w.appSets[m.appSet.name] = { spec: m.appSet.spec, content: m.content, tracker, deleting: false, foreground: false };
  } else {
    if (w.objects[m.key]?.content === m.content) {
      return false;
    }
    w.objects[m.key] = { content: m.content, tracker, deleting: false };
  }
  return true;
}

function generated(s: Scenario, spec: AppSetSpec, secret: { exists: boolean; labelled: boolean }) {
  const labelled = secret.exists && secret.labelled;
  return spec.generates.filter((g) => g.requiresLabelled === undefined || (g.requiresLabelled === s.subject.cluster && labelled));
}

/** The base scaling bounds of each node group (its AWSManagedMachinePool in the base). */
function nodegroupBounds(s: Scenario): Map<string, { min?: number; max?: number }> {
  const bounds = new Map<string, { min?: number; max?: number }>();
  for (const folder of Object.values(s.folders)) {
    for (const m of folder.base ?? []) {
      if (m.role === 'managedmachinepool' && m.pool !== undefined) {
        bounds.set(m.pool.nodegroup, { min: m.pool.minSize, max: m.pool.maxSize });
      }
    }
  }
  return bounds;
}

/** Every step any controller can take in `w`. */
function stepsOf(facts: ScenarioFacts, w: LiveWorld): { steps: Step[]; refusals: Refusal[] } {
  const capa = capaSteps(facts, w);
  return {
    steps: [
      ...syncSteps(facts, w), ...finalizerSteps(facts, w), ...applicationSetSteps(facts, w), ...garbageCollectorSteps(w),
      ...capa.steps, ...registerSteps(facts, w),
    ],
    refusals: capa.refusals,
  };
}

/** Why a deletion breaks an invariant, or undefined when the change intends it. */
type Problem = { kind: FindingKind; cause: string; message: Text; nodegroup?: string };

function deletionProblem(s: Scenario, event: string): Problem | undefined {
  const [what, ...rest] = event.split(':');
  const key = rest.join(':');
  const subject = s.subject;
  switch (what) {
    case 'cluster':
      return subject.retiredBase && !subject.presentHead ? undefined : {
        kind: 'cluster-deleted',
        cause: subject.retiredBase && subject.retiredHead ? 'retired-early' : subject.retiredBase ? 'unretired' : 'cluster-deleted',
        message: subject.retiredBase
          ? text`${key} is deleted, and with it EKS cluster ${subject.eksCluster ?? subject.cluster}, while the head still has the cluster (it is deleted only by removing it from the code after retiring it)`
          : text`${key} is deleted, and with it EKS cluster ${subject.eksCluster ?? subject.cluster}, which was never retired`,
      };
    case 'workload':
      return subject.installedBase && !subject.installedHead && subject.destroyBase ? undefined : {
        kind: 'workload-deleted',
        cause: subject.installedHead ? 'reinstalled' : 'retain-deleted',
        message: subject.installedHead
          ? text`bundle ${subject.bundle!} is deleted from cluster ${subject.cluster} (and installed again) although the cluster keeps it`
          : text`bundle ${subject.bundle!} is deleted from cluster ${subject.cluster} although its removal policy was RETAIN`,
      };
    case 'render-without-base-values':
      return { kind: 'render-without-base-values', cause: 'values-missing', message: text`bundle ${subject.bundle!} is rendered for cluster ${subject.cluster} without its base values (${key} is missing, and ignoreMissingValueFiles skips it)` };
    default:
      return { kind: 'capi-object-deleted', cause: 'capi-deleted', message: text`Argo CD deletes ${key} of cluster ${subject.cluster}` };
  }
}

/** The Application the head wants for the unit: the ApplicationSet that generates it and its spec, if any. */
function intended(facts: ScenarioFacts): { appSet: string; spec: string } | undefined {
  const s = facts.scenario;
  const secret = { exists: s.subject.presentHead && !s.subject.retiredHead, labelled: s.subject.presentHead && !s.subject.retiredHead };
  for (const folder of Object.values(s.folders)) {
    for (const m of folder.head ?? []) {
      const found = m.appSet === undefined ? undefined : generated(s, s.appSets[m.appSet.spec], secret).find((g) => g.name === s.subject.app);
      if (found !== undefined) {
        return { appSet: m.appSet!.name, spec: found.spec };
      }
    }
  }
  return undefined;
}

/** What is wrong with a state in which no controller has anything left to do. */
function settledProblems(facts: ScenarioFacts, w: LiveWorld, wanted: ReturnType<typeof intended>): Problem[] {
  const s = facts.scenario;
  const subject = s.subject;
  const problems: Problem[] = [];
  const app = w.apps[subject.app];
  const stuck = (cause: string, message: Text) => problems.push({ kind: 'application-stuck', cause, message });
  if (wanted !== undefined) {
    if (app === undefined) {
      stuck('never-created', text`Application ${subject.app} is never created by ApplicationSet ${wanted.appSet}`);
    } else if (app.deleting) {
      stuck('left-deleting', text`Application ${subject.app} is left being deleted`);
    } else if (app.controller !== wanted.appSet) {
      stuck(app.controller === undefined ? 'orphaned' : 'handover', app.controller === undefined
        ? text`Application ${subject.app} is left without an ApplicationSet (${wanted.appSet} should generate it)`
        : text`Application ${subject.app} stays controlled by ApplicationSet ${app.controller}, so ApplicationSet ${wanted.appSet} never takes it over and stays in error`);
    } else if (app.spec !== wanted.spec) {
      stuck('stale-spec', text`Application ${subject.app} never gets the head's spec`);
    } else {
      const problem = facts.appProblem(w, facts.spec(app.spec));
      const left = problem === undefined ? extraneous(facts, w, subject.app) : [];
      if (problem !== undefined) {
        stuck('invalid', [...text`Application ${subject.app} is left invalid: `, ...problem]);
      } else if (left.length > 0) {
        stuck('out-of-sync', [...text`Application ${subject.app} stays OutOfSync for good: it never prunes `, ...nameList(left)]);
      }
    }
  } else if (app !== undefined) {
    stuck('left-behind', text`Application ${subject.app} is left behind although the head no longer generates it`);
  }
  if (subject.appBase !== subject.app && w.apps[subject.appBase] !== undefined) {
    stuck('left-behind', text`Application ${subject.appBase} is left behind although the head names it ${subject.app}`);
  }
  if (subject.bundle !== undefined && subject.installedBase && !subject.installedHead && subject.destroyBase && w.workload !== undefined
    && !w.deleted.includes(`workload:${subject.app}`)) {
    problems.push({ kind: 'workload-kept', cause: 'destroy-skipped', message: text`bundle ${subject.bundle} stays installed on cluster ${subject.cluster} although its removal policy is DESTROY` });
  }
  if (subject.bundle === undefined && subject.retiredBase && !subject.presentHead && !w.deleted.some((d) => d.startsWith('cluster:'))) {
    problems.push({ kind: 'cluster-kept', cause: 'cluster-kept', message: text`retired cluster ${subject.cluster} is removed from the code but its Cluster is never deleted` });
  }
  return problems;
}

/** Explores the scenario: every reachable state, with the invariants. */
export function explore(scenario: Scenario, maxStates: number = MAX_STATES): Exploration {
  const facts = new ScenarioFacts(scenario);
  const wanted = intended(facts);
  const findings = new Map<string, Finding>();
  const transient = new Map<string, Text>();
  type Node = { world: LiveWorld; parent?: string; label?: Text; tags: readonly string[] };
  const nodes = new Map<string, Node>();
  const queue: string[] = [];
  const traceOf = (key: string, last?: Step): { trace: Text[]; tags: string[] } => {
    const trace: Text[] = last === undefined ? [] : [last.label];
    const tags = new Set<string>(last?.tags ?? []);
    for (let node = nodes.get(key); node?.label !== undefined; node = nodes.get(node.parent!)) {
      trace.unshift(node.label);
      node.tags.forEach((t) => tags.add(t));
    }
    return { trace, tags: [...tags] };
  };
  const report = (problem: Problem, key: string, last?: Step) => {
    const id = `${problem.kind}:${JSON.stringify(problem.message)}`;
    if (!findings.has(id)) {
      findings.set(id, { ...problem, ...traceOf(key, last) });
    }
  };
  for (const world of baseWorlds(facts)) {
    const key = worldKey(world);
    if (!nodes.has(key)) {
      nodes.set(key, { world, tags: [] });
      queue.push(key);
    }
  }
  let settledAny = false;
  for (let i = 0; i < queue.length; i++) {
    if (nodes.size > maxStates) {
      report({ kind: 'not-modelled', cause: 'too-many-states', message: [`the controllers can act in more than ${maxStates} ways on this change; it was not checked to the end`] }, queue[i]);
      break;
    }
    const key = queue[i];
    const { world } = nodes.get(key)!;
    const { steps, refusals } = stepsOf(facts, world);
    if (steps.length === 0) {
      settledAny = true;
      for (const problem of settledProblems(facts, world, wanted)) {
        report(problem, key);
      }
      for (const refusal of refusals) {
        report({ kind: 'eks-refused', cause: 'eks-refused', message: [...refusal.label, ', on every reconcile'], nodegroup: refusal.request.nodegroup }, key);
      }
      continue;
    }
    for (const refusal of refusals) {
      transient.set(JSON.stringify(refusal.label), refusal.label);
    }
    for (const step of steps) {
      const fresh = step.world.deleted.slice(world.deleted.length);
      const problem = fresh.map((event) => deletionProblem(scenario, event)).find((p) => p !== undefined);
      if (problem !== undefined) {
        report(problem, key, step);
        continue;
      }
      const next = worldKey(step.world);
      if (!nodes.has(next)) {
        nodes.set(next, { world: step.world, parent: key, label: step.label, tags: step.tags });
        queue.push(next);
      }
    }
  }
  if (!settledAny && findings.size === 0) {
    report({ kind: 'application-stuck', cause: 'never-settles', message: text`the controllers never settle on Application ${scenario.subject.app}` }, queue[0]);
  }
  return { findings: [...findings.values()], transientRefusals: [...transient.values()], states: nodes.size };
}
