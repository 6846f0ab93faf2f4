/**
 * The transition check `plan` runs: for every unit of the clusters a change touches (a cluster's Application, each of
 * its bundle Applications), the scenario of the change, explored in every order the controllers can act in
 * (`explore.ts`). Units whose scenarios differ only in names share one exploration (`canonicalScenario`), so a change
 * to a profile of 10,000 clusters explores a handful of scenarios, and the cost of the check is building them.
 */
import { deleteGates } from './appset-handovers';
import { indexRevision } from './dist-index';
import { UnmodelledTemplateError } from './expand-application-set';
import { explore, type Exploration, type Finding } from './explore';
import { canonicalScenario, renderText, type Text } from './model';
import { ScenarioBuilder, type UnitKey } from './scenario';
import type { DistFleet } from '../dist-fleet';

/** A broken invariant (`Finding`), for one unit, its texts rendered in the unit's own names. */
export interface TransitionFinding extends Omit<Finding, 'message' | 'nodegroup' | 'trace'> {
  readonly cluster: string;
  /** The bundle of the unit, when it is one of the cluster's bundle Applications. */
  readonly bundle?: string;
  readonly message: string;
  readonly nodegroup?: string;
  readonly trace: readonly string[];
}

/** What a transition check found, and what it cost. */
export interface TransitionCheck {
  readonly findings: readonly TransitionFinding[];
  /** Requests EKS refuses on the way but accepts once Argo CD has applied everything (CAPA retries them): not findings. */
  readonly transientRefusals: readonly string[];
  /** Units of the clusters asked about; those whose files changed (the others have nothing to do); distinct scenarios explored; states visited in all. */
  readonly units: number;
  readonly changed: number;
  readonly explorations: number;
  readonly states: number;
}

/** Checks the transition from `base` (dist/ the management cluster runs) to `head` for the given clusters. */
export function checkTransition(base: DistFleet | undefined, head: DistFleet, clusters: Iterable<string>): TransitionCheck {
  const baseIndex = base === undefined ? undefined : indexRevision(base);
  const headIndex = indexRevision(head);
  const builder = new ScenarioBuilder(baseIndex, headIndex, deleteGates(baseIndex, headIndex));
  const explored = new Map<string, Exploration>();
  const findings: TransitionFinding[] = [];
  const transientRefusals: string[] = [];
  let units = 0;
  let changed = 0;
  let states = 0;
  for (const cluster of [...new Set(clusters)].sort()) {
    for (const unit of builder.unitsOf(cluster)) {
      units++;
      if (builder.unchanged(unit)) {
        continue;
      }
      changed++;
      const where = { cluster, ...(unit.bundle === undefined ? {} : { bundle: unit.bundle }) };
      let scenario;
      try {
        scenario = builder.build(unit);
      } catch (error) {
        if (!(error instanceof UnmodelledTemplateError)) {
          throw error;
        }
        findings.push({ ...where, kind: 'not-modelled', cause: 'unmodelled-template', message: `${describe(unit)}: ${error.message}`, trace: [], tags: [] });
        continue;
      }
      const { canonical, key, names } = canonicalScenario(scenario);
      let exploration = explored.get(key);
      if (exploration === undefined) {
        exploration = explore(canonical());
        explored.set(key, exploration);
        states += exploration.states;
      }
      const render = (t: Text) => renderText(t, (name) => (/^#\d+$/.test(name) ? names[Number(name.slice(1))] : name));
      transientRefusals.push(...exploration.transientRefusals.map(render));
      for (const finding of exploration.findings) {
        findings.push({
          ...where,
          kind: finding.kind,
          cause: finding.cause,
          message: render(finding.message),
          ...(finding.nodegroup === undefined ? {} : { nodegroup: render([{ name: finding.nodegroup }]) }),
          trace: finding.trace.map(render),
          tags: finding.tags,
        });
      }
    }
  }
  return { findings, transientRefusals, units, changed, explorations: explored.size, states };
}

function describe(unit: UnitKey): string {
  return unit.bundle === undefined ? `the Application of cluster ${unit.cluster}` : `the Application of bundle ${unit.bundle} on cluster ${unit.cluster}`;
}
