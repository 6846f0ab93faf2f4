/**
 * `arlonctl register` as the transition model sees it (`src/operations/register.ts`, run by whoever registers the
 * fleet, at any time): the unit's cluster Secret moves toward what the head commit says. A fleet cluster that is not
 * retired gets a Secret labelled with the fleet's labels; an external cluster's Secret (added by its owners) gets the
 * labels; a retired cluster's Secret is removed, but only once no bundle Application of the cluster is left, since an
 * Application whose destination is unknown is deleted without its finalizer and would keep what it installed
 * (`deregisterWaits` in register.ts).
 */
import { text, type LiveSecret } from './model';
import type { Step } from './step';
import { copyWorld, type LiveWorld, type ScenarioFacts } from './world';

/** The cluster Secret register leaves for the unit's cluster at the head, given the world (undefined: it does not touch it). */
export function registerTarget(facts: ScenarioFacts, w: LiveWorld): LiveSecret | undefined {
  const subject = facts.scenario.subject;
  if (!subject.presentHead) {
    return undefined;
  }
  if (subject.retiredHead) {
    return w.apps[subject.app] !== undefined ? w.secret : { exists: false, labelled: false };
  }
  return { exists: true, labelled: true };
}

/** Register's step for a bundle unit, when it changes the Secret. */
export function registerSteps(facts: ScenarioFacts, w: LiveWorld): Step[] {
  if (facts.scenario.subject.bundle === undefined) {
    return [];
  }
  const target = registerTarget(facts, w);
  if (target === undefined || (target.exists === w.secret.exists && target.labelled === w.secret.labelled)) {
    return [];
  }
  const next = copyWorld(w);
  next.secret = target;
  const cluster = facts.scenario.subject.cluster;
  const label = !target.exists ? text`arlonctl register removes the Argo CD cluster Secret of ${cluster}`
    : w.secret.exists ? text`arlonctl register labels the Argo CD cluster Secret of ${cluster}` : text`arlonctl register adds the Argo CD cluster Secret of ${cluster}`;
  return [{ label, world: next, tags: ['register', ...(target.exists ? [] : ['register-remove'])] }];
}
