import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { FLEET_ONLY, readDist, readDistFiles, readFiles, type DistFleet, type ParseMemo } from '../../operations/dist-fleet';
import { handEditedFiles, staleLine, type StaleFile } from '../../operations/dist-freshness';
import { GitError, changedSince, fileAtRef, filesAtRef, locateInRepository, resolveRef } from '../../operations/git-dist';
import { fleetRevisions, repositoryRefs, revisionFindings } from '../../operations/git-revisions';
import { PLAN_RULES, computePlan, formatPlan, type Allowance, type Plan, type PlanRule } from '../../operations/plan';
import { readAcceptances, type Acceptance } from '../../operations/plan-acceptance';
import { defaultBase } from '../../operations/plan-base';
import { formatPlanMarkdown } from '../../operations/plan-markdown';
import { planScope } from '../../operations/plan-scope';
import { DistLayout } from '../../output/layout';
import { lastWritten } from '../../output/render-cache';
import { parseRolloutState, readRolloutState, rolloutStateFile, type RolloutState } from '../../rollout/rollout-state';
import { appFromCdk8sYaml } from '../app-command';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { freshness, startSynth } from '../fresh-synth';
import { outputFormat, parseDuration, type GlobalOptions } from '../options';
import { json } from '../output';

/** The plan is blocked: exit status 1, after the plan has been printed. */
export class BlockedPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockedPlanError';
  }
}

/** Parses `--allow rule` / `--allow rule=cluster` values. */
export function allowances(values: readonly string[]): Allowance[] {
  return values.map((value) => {
    const [rule, cluster] = value.split('=');
    if (!(rule in PLAN_RULES)) {
      throw new UsageError(`--allow "${value}" names no rule; use one of ${Object.keys(PLAN_RULES).join(', ')}, optionally with =<cluster>`);
    }
    return { rule: rule as PlanRule, cluster: cluster || undefined };
  });
}

/**
 * What a plan shows instead of dist/ as it is: a fresh synth of the code, in its own folder (`dir`), with the files in
 * which it differs from dist/ (`differs`) and the rollout state it wrote.
 */
export interface FreshHead {
  readonly dir: string;
  readonly differs: Iterable<string>;
  readonly rolloutState: string;
}

/**
 * The fleet in `dist` (or in `head`, a fresh synth of it) and as it was at `ref` in git, and the plan between them.
 * Only what the change can touch is read: git names the files that differ (and, for a fresh synth, where it differs
 * from dist/), and the folders of clusters no changed file concerns are not read at all (see `plan-scope.ts`), so a
 * plan costs in proportion to the change, not to the fleet.
 */
export function planAgainst(
  dist: string, ref: string, allow: readonly Allowance[], acceptances: readonly Acceptance[] = acceptancesFor(dist), head?: FreshHead,
): { plan: Plan; current: DistFleet; commit: string; root: string } {
  const { root, inside } = locateInRepository(dist);
  const commit = baseCommit(root, ref);
  const changed = changedSince(root, ref, inside);
  for (const file of head?.differs ?? []) {
    changed.add(file);
  }
  const planned = head?.dir ?? dist;
  const changedBefore = filesAtRef(root, ref, inside, (file) => changed.has(file) && file.startsWith(`${DistLayout.argocdDir}/`));
  const scope = planScope(changed, (file) => changedBefore.get(file), (file) => readIfExists(path.join(planned, file)));
  const memo: ParseMemo = new Map();
  const current = readDist(planned, scope, memo);
  const files = filesAtRef(root, ref, inside, scope.file);
  const base = files.size === 0 ? undefined : readDistFiles(files, `${ref}:${inside}`, memo);
  const rollouts = rolloutStates(root, ref, inside, dist, head?.rolloutState);
  return { plan: computePlan(base, current, allow, rollouts, acceptances), current, commit, root };
}

/** The commit `ref` names, shortened; an unknown ref is a usage error. */
function baseCommit(root: string, ref: string): string {
  try {
    return resolveRef(root, ref);
  } catch (error) {
    throw error instanceof GitError && error.unknownRef ? new UsageError(error.message) : error;
  }
}

/** The entries of the acceptance file beside `dist` (`arlon.accept.yaml`), checked against the rules. */
export function acceptancesFor(dist: string): Acceptance[] {
  return readAcceptances(dist, Object.keys(PLAN_RULES));
}

/**
 * The rollout state beside dist/ at `ref` and in the working tree (or `fresh`, the one a fresh synth wrote), for the
 * plan's account of held clusters.
 */
function rolloutStates(root: string, ref: string, inside: string, dist: string, fresh?: string): { base?: RolloutState; head?: RolloutState } {
  const file = fresh ?? rolloutStateFile(dist);
  const atRef = fileAtRef(root, ref, `${inside === '' ? path.basename(path.resolve(dist)) : inside}.rollout.yaml`);
  return {
    ...(atRef === undefined ? {} : { base: parseRolloutState(atRef, `${ref}:${path.basename(file)}`) }),
    ...(fs.existsSync(file) ? { head: readRolloutState(file) } : {}),
  };
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** `arlonctl plan` failed to synthesize the fleet: exit status 1. */
export class SynthFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthFailedError';
  }
}

/** The flags of `plan`. */
export interface PlanFlags {
  readonly base?: string;
  readonly synth: boolean;
  readonly app?: string;
  readonly appTimeout: string;
  readonly allow: string[];
}

/** Runs `arlonctl plan` (see `planCommand`). */
export async function runPlan(context: CommandContext, flags: PlanFlags, command: Command): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const dist = options.dist;
  const format = outputFormat(options.output, ['text', 'json', 'markdown']);
  const allow = allowances(flags.allow);
  // read before anything runs, so that a bad entry fails at once
  const acceptances = acceptancesFor(dist);
  parseDuration('--app-timeout', flags.appTimeout); // a bad duration is a usage error before anything runs
  const { root } = locateInRepository(dist);
  const notes: string[] = [];
  const deployed = () => fleetRevisions(readDist(dist, FLEET_ONLY), dist)[0];
  const chosen = flags.base === undefined ? defaultBase(root, repositoryRefs(root), deployed()) : undefined;
  const base = flags.base ?? chosen!.ref;
  const baseReason = chosen?.reason;
  if (baseReason !== undefined) {
    context.io.stderr(`note: ${baseReason}\n`);
    notes.push(baseReason);
  }
  baseCommit(root, base);
  let planned: ReturnType<typeof planAgainst>;
  let stale: readonly StaleFile[] = [];
  if (flags.synth) {
    ({ planned, stale } = await planFresh(context, flags, dist, (head) => planAgainst(dist, base, allow, acceptances, head), notes));
  } else {
    planned = planAgainst(dist, base, allow, acceptances);
    // without a synth, hand edits are still known from the record of the last synth (none in a fresh clone)
    const written = lastWritten(dist);
    stale = written === undefined ? [] : handEditedFiles(written, uncommittedFiles(dist));
  }
  notes.push(...stale.filter((s) => s.handEdited).map((s) => `warning: ${staleLine(s, dist)}`));
  notes.push(...revisionFindings(root, planned.current, dist).map((f) => `warning: branch: ${f.message}`));
  const { plan, current, commit } = planned;
  const freshPlanned = flags.synth && stale.length > 0;
  const what = freshPlanned ? `a fresh synth of the code (${dist} is not what the code synthesizes)` : `${dist} (working tree)`;
  const title = `Plan for fleet "${current.name}": ${what} against ${base} (${commit})`;
  const handEdited = stale.filter((s) => s.handEdited).map((s) => s.file);
  const staleFiles = stale.filter((s) => !s.handEdited).map((s) => s.file);
  context.io.stdout(format === 'json'
    ? json({
      name: current.name,
      base,
      baseCommit: commit,
      ...(baseReason === undefined ? {} : { baseReason }),
      synthesized: flags.synth,
      stale: staleFiles,
      handEdited,
      notes,
      ...plan,
    })
    : format === 'markdown' ? formatPlanMarkdown(plan, title, notes) : formatPlan(plan, title, notes));
  if (plan.blocked) {
    throw new BlockedPlanError(`the plan against ${base} is blocked by the rules above; fix the change, accept it in review with the `
      + '"accept with" entry in arlon.accept.yaml (committed with the change), or let it through once with the escape shown');
  }
}

/**
 * Runs the synth into a scratch folder, compares it with `dist`, and plans it (`plan`), adding to `notes` the warnings
 * about a stale dist/; the hand-edited and stale files are returned, and the scratch folder is gone.
 */
async function planFresh(
  context: CommandContext, flags: PlanFlags, dist: string, plan: (head: FreshHead) => ReturnType<typeof planAgainst>, notes: string[],
): Promise<{ planned: ReturnType<typeof planAgainst>; stale: readonly StaleFile[] }> {
  const app = flags.app ?? appFromCdk8sYaml('; or plan dist/ as it is, without synthesizing, with --no-synth');
  context.doing(`running the synth \`${app}\``);
  const timeoutMs = parseDuration('--app-timeout', flags.appTimeout);
  const synth = startSynth(app, dist, context.io.env, { timeoutMs, timeout: flags.appTimeout, signal: context.signal });
  try {
    const fresh = await synth.finished();
    if (fresh.failure !== undefined) {
      throw new SynthFailedError(`${fresh.failure}; plan synthesizes the fleet first: fix the code, or plan dist/ as it is with --no-synth`);
    }
    const found = freshness(fresh, dist, readFiles(dist));
    if (![...found.fresh.keys()].some((file) => file.startsWith(`${DistLayout.fleetDir}/`))) {
      throw new SynthFailedError(`synth failed: \`${app}\` wrote no fleet into the folder ARLON_OUTDIR names; the app must synthesize `
        + 'the fleet (synthFleet(...) or fleet.synth()), or plan dist/ as it is with --no-synth');
    }
    const staleOnly = found.stale.filter((s) => !s.handEdited);
    if (staleOnly.length > 0) {
      notes.push(`warning: ${dist} is stale: ${staleOnly.length} file(s) differ from what the code synthesizes (${sample(staleOnly.map((s) => s.file))}); `
        + `this plan shows what the code synthesizes; run the synth (npx projen synth) and commit ${dist}`);
    }
    if (found.staleRolloutState !== undefined) {
      notes.push(`warning: ${found.staleRolloutState}`);
    }
    const planned = plan({ dir: fresh.outdir, differs: found.stale.map((s) => s.file), rolloutState: fresh.rolloutState.fresh });
    return { planned, stale: found.stale };
  } finally {
    synth.cleanup();
  }
}

/** The first few of `files`, for a one-line message. */
function sample(files: readonly string[]): string {
  return files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')}, and ${files.length - 3} more`;
}

/** Files of `dist` that differ from HEAD, with their content (undefined: deleted). */
function uncommittedFiles(dist: string): Map<string, string | undefined> {
  const { root, inside } = locateInRepository(dist);
  return new Map([...changedSince(root, 'HEAD', inside)].map((file) => [file, readIfExists(path.join(dist, file))]));
}
