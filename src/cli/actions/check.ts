import type { Command } from 'commander';
import { acceptancesFor, allowances, planAgainst } from './plan';
import { readFiles, type DistFleet } from '../../operations/dist-fleet';
import { staleLine } from '../../operations/dist-freshness';
import { revisionFindings } from '../../operations/git-revisions';
import { allowItem, foreignFileItem, type Allowance, type Plan, type PlanItem } from '../../operations/plan';
import { unusedAcceptanceWarning, type Acceptance } from '../../operations/plan-acceptance';
import { GENERATED_HEADER } from '../../output/generated-header';
import { appFromCdk8sYaml } from '../app-command';
import type { CommandContext } from '../context';
import { freshness, startSynth, type Freshness } from '../fresh-synth';
import { parseDuration, type GlobalOptions } from '../options';

/** `arlonctl check` found problems: exit status 1, after they have been printed. */
export class CheckFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

/** The flags of `check`. */
export interface CheckFlags {
  readonly base: string;
  readonly app?: string;
  readonly appTimeout: string;
  readonly allow: string[];
}

/** Runs `arlonctl check` (see `checkCommand`). */
export async function runCheck(context: CommandContext, flags: CheckFlags, command: Command): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const allow = allowances(flags.allow);
  // read before the synth starts, so a bad entry fails at once
  const acceptances = acceptancesFor(options.dist);
  const timeoutMs = parseDuration('--app-timeout', flags.appTimeout);
  const app = flags.app ?? appFromCdk8sYaml();
  context.doing(`running the synth \`${app}\``);
  // Files the synth did not write are found in the whole of dist/ here; the plan sees only those the change touches.
  const foreign: ForeignPolicy = { allow, acceptances, used: new Set<Acceptance>() };
  // Compared by digest: the fresh synth's files need not be written, read back and deleted.
  const synth = startSynth(app, options.dist, context.io.env, { timeoutMs, timeout: flags.appTimeout, signal: context.signal }, true);
  let committed: ReadonlyMap<string, string>;
  let plan: Plan;
  let current: DistFleet;
  let root: string;
  try {
    // While the synth runs in its own process (on another core), this one plans and reads dist/ as it is.
    ({ plan, current, root } = planAgainst(options.dist, flags.base, allow, acceptances));
    committed = readFiles(options.dist);
  } catch (error) {
    await synth.stop();
    throw error;
  }
  const problems: string[] = [];
  try {
    const fresh = await synth.finished();
    problems.push(...(fresh.failure !== undefined ? [fresh.failure]
      : compareOutputs(committed, freshness(fresh, options.dist, committed), options.dist, foreign)));
  } finally {
    synth.cleanup();
  }
  // The branch the fleet deploys: a problem only where the clone knows the remote's branches (see git-revisions.ts).
  problems.push(...revisionFindings(root, current, options.dist).filter((f) => f.certain).map((f) => `branch: ${f.message}`));
  for (const cluster of plan.clusters) {
    for (const item of cluster.items.filter((i) => i.blocked && !i.allowedBy)) {
      problems.push(blockedLine(item, `cluster ${cluster.cluster}: `));
    }
  }
  for (const item of plan.fleet.filter((i) => i.blocked && !i.allowedBy && i.blocked.rule !== 'not-generated')) {
    problems.push(blockedLine(item));
  }
  const warnings = (plan.unusedAcceptances ?? []).filter((a) => !foreign.used.has(a)).map((a) => `warning: ${unusedAcceptanceWarning(a)}\n`);
  context.io.stdout(warnings.join(''));
  if (problems.length > 0) {
    context.io.stdout(problems.map((p) => `${p}\n`).join(''));
    throw new CheckFailedError(`${problems.length} problem(s); run arlonctl plan --base ${flags.base} for the whole plan`);
  }
  const changed = plan.clusters.length;
  const accepted = [...plan.clusters.flatMap((c) => c.items), ...plan.fleet.filter((i) => i.blocked?.rule !== 'not-generated')]
    .filter((i) => i.acceptedReason !== undefined).length + (foreign.accepted ?? 0);
  context.io.stdout(`ok: ${options.dist} matches a fresh synth, and the plan against ${flags.base} changes ${changed} cluster(s) with nothing blocked`
    + `${accepted === 0 ? '' : ` (${accepted} blocked change(s) accepted by arlon.accept.yaml)`}\n`);
}

/** How `check` lets through files the synth did not write: allowances and acceptances, recording those used. */
interface ForeignPolicy {
  readonly allow: readonly Allowance[];
  readonly acceptances: readonly Acceptance[];
  readonly used: Set<Acceptance>;
  /** How many such files an acceptance let through (set by `compareOutputs`). */
  accepted?: number;
}

/**
 * The lines of `check` for files of dist/ (`all`) the synth did not write (unless allowed or accepted), and for those in
 * which dist/ and a fresh synth differ: stale, or edited by hand (see `freshness`).
 */
function compareOutputs(all: ReadonlyMap<string, string>, found: Freshness, dist: string, foreign: ForeignPolicy): string[] {
  const items = [...all].filter(([, text]) => !text.startsWith(GENERATED_HEADER)).map(([file]) => file).sort()
    .map((file) => allowItem(foreignFileItem(file), '', foreign.allow, foreign.acceptances, foreign.used));
  foreign.accepted = items.filter((i) => i.acceptedReason !== undefined).length;
  return [
    ...items.filter((i) => i.allowedBy === undefined).map((i) => blockedLine(i)),
    ...found.stale.map((stale) => staleLine(stale, dist)),
    ...(found.staleRolloutState === undefined ? [] : [found.staleRolloutState]),
  ];
}

/** One line of `check` for a change the plan blocks: its rule, what (and where) it is, and the fix. */
function blockedLine(item: PlanItem, where = ''): string {
  return `blocked (${item.blocked!.rule}): ${where}${item.message}; fix: ${item.blocked!.fix}`;
}
