import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { readDist, readDistFiles, type DistFleet, type ParseMemo } from '../../operations/dist-fleet';
import { GitError, changedSince, fileAtRef, filesAtRef, locateInRepository, resolveRef } from '../../operations/git-dist';
import { PLAN_RULES, computePlan, formatPlan, type Allowance, type Plan, type PlanRule } from '../../operations/plan';
import { readAcceptances, type Acceptance } from '../../operations/plan-acceptance';
import { formatPlanMarkdown } from '../../operations/plan-markdown';
import { planScope } from '../../operations/plan-scope';
import { DistLayout } from '../../output/layout';
import { parseRolloutState, readRolloutState, rolloutStateFile, type RolloutState } from '../../rollout/rollout-state';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { outputFormat, type GlobalOptions } from '../options';
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
 * The fleet in `dist` and as it was at `ref` in git, and the plan between them. Only what the change can touch is
 * read: git names the files that differ, and the folders of clusters no changed file concerns are not read at all
 * (see `plan-scope.ts`), so a plan costs in proportion to the change, not to the fleet.
 */
export function planAgainst(
  dist: string, ref: string, allow: readonly Allowance[], acceptances: readonly Acceptance[] = acceptancesFor(dist),
): { plan: Plan; current: DistFleet; commit: string } {
  let repository: { root: string; inside: string };
  let commit: string;
  try {
    repository = locateInRepository(dist);
    commit = resolveRef(repository.root, ref);
  } catch (error) {
    throw error instanceof GitError && error.unknownRef ? new UsageError(error.message) : error;
  }
  const { root, inside } = repository;
  const changed = changedSince(root, ref, inside);
  const changedBefore = filesAtRef(root, ref, inside, (file) => changed.has(file) && file.startsWith(`${DistLayout.argocdDir}/`));
  const scope = planScope(changed, (file) => changedBefore.get(file), (file) => readIfExists(path.join(dist, file)));
  const memo: ParseMemo = new Map();
  const current = readDist(dist, scope, memo);
  const files = filesAtRef(root, ref, inside, scope.file);
  const base = files.size === 0 ? undefined : readDistFiles(files, `${ref}:${inside}`, memo);
  return { plan: computePlan(base, current, allow, rolloutStates(root, ref, inside, dist), acceptances), current, commit };
}

/** The entries of the acceptance file beside `dist` (`arlon.accept.yaml`), checked against the rules. */
export function acceptancesFor(dist: string): Acceptance[] {
  return readAcceptances(dist, Object.keys(PLAN_RULES));
}

/** The rollout state beside dist/ at `ref` and in the working tree, for the plan's account of held clusters. */
function rolloutStates(root: string, ref: string, inside: string, dist: string): { base?: RolloutState; head?: RolloutState } {
  const file = rolloutStateFile(dist);
  const atRef = fileAtRef(root, ref, `${inside === '' ? path.basename(path.resolve(dist)) : inside}.rollout.yaml`);
  return {
    ...(atRef === undefined ? {} : { base: parseRolloutState(atRef, `${ref}:${path.basename(file)}`) }),
    ...(fs.existsSync(file) ? { head: readRolloutState(file) } : {}),
  };
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `arlonctl plan`: what a change to dist/ does to the fleet, with the guards. */
export function planCommand(context: CommandContext): Command {
  return new Command('plan')
    .description('Compare dist/ in the working tree (after synth) with dist/ at a git ref, cluster by cluster: created and removed '
      + 'clusters, Kubernetes upgrades, node pool changes, add-ons, bundles. Blocks unsafe changes: exit 0 safe, 1 blocked, 2 usage.')
    .option('--base <ref>', 'git ref to compare with', 'HEAD')
    .option('--allow <rule[=cluster]>', `let a blocked change through (${Object.keys(PLAN_RULES).join(', ')}); repeatable. To accept one `
      + 'in review (and in CI), add the "accept with" entry the plan prints to arlon.accept.yaml beside dist/, with a reason', collect, [])
    .addHelpText('after', [
      '',
      'Examples:',
      '  arlonctl plan                          # the uncommitted change to dist/',
      '  arlonctl plan --base origin/main       # everything this branch changes',
      '  arlonctl plan --allow kubernetes-minor-skip=dev-use1',
      '  arlonctl plan --output json',
      '  arlonctl plan --base origin/main -o markdown > plan.md   # for a pull-request comment',
      '',
      'A blocked change accepted in review: arlon.accept.yaml beside dist/, committed with the change (plan and check read it;',
      'plan prints each blocked change\'s entry under "accept with"):',
      '  accept:',
      '    - { rule: kubernetes-minor-skip, cluster: dev-use1, fingerprint: 3f9a1c2b7d4e, reason: "never deployed; nothing to upgrade" }',
    ].join('\n'))
    .action((flags: { base: string; allow: string[] }, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output, ['text', 'json', 'markdown']);
      const { plan, current, commit } = planAgainst(options.dist, flags.base, allowances(flags.allow));
      const title = `Plan for fleet "${current.name}": ${options.dist} (working tree) against ${flags.base} (${commit})`;
      context.io.stdout(format === 'json'
        ? json({ name: current.name, base: flags.base, baseCommit: commit, ...plan })
        : format === 'markdown' ? formatPlanMarkdown(plan, title) : formatPlan(plan, title));
      if (plan.blocked) {
        throw new BlockedPlanError(`the plan against ${flags.base} is blocked by the rules above; fix the change, accept it in review with the `
          + '"accept with" entry in arlon.accept.yaml (committed with the change), or let it through once with the escape shown');
      }
    });
}
