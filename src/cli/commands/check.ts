import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { acceptancesFor, allowances, planAgainst } from './plan';
import { ARLON_OUTDIR } from '../../fleet/output-folders';
import { readFiles } from '../../operations/dist-fleet';
import { allowItem, foreignFileItem, type Allowance, type Plan, type PlanItem } from '../../operations/plan';
import { unusedAcceptanceWarning, type Acceptance } from '../../operations/plan-acceptance';
import { GENERATED_HEADER } from '../../output/render';
import { rolloutStateFile } from '../../rollout/rollout-state';
import { appFromCdk8sYaml, outputTail, runApp, type AppLimits } from '../app-run';
import type { CommandContext } from '../context';
import { parseDuration, type GlobalOptions } from '../options';

/** `arlonctl check` found problems: exit status 1, after they have been printed. */
export class CheckFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

/** `arlonctl check`: for CI, is dist/ fresh and is the change safe? */
export function checkCommand(context: CommandContext): Command {
  return new Command('check')
    .description('For CI: fail when dist/ is not what a fresh synth produces, or when the plan against --base is blocked. '
      + 'Prints one line per problem.')
    .option('--base <ref>', 'git ref to plan against (in CI, the branch the change merges into)', 'HEAD')
    .option('--app <command>', 'the command that synthesizes the fleet (default: `app` of ./cdk8s.yaml); run with ARLON_OUTDIR (and CDK8S_OUTDIR) set')
    .option('--app-timeout <duration>', 'time allowed for the synth; it is stopped after that (with every process it started)', '10m')
    .option('--allow <rule[=cluster]>', 'let a blocked change through; repeatable (in CI, accept it in arlon.accept.yaml instead: see plan --help)',
      (v: string, p: string[]) => [...p, v], [])
    .addHelpText('after', ['', 'Examples:', '  arlonctl check --base origin/main', '  arlonctl check --app "npx ts-node main.ts" --app-timeout 5m'].join('\n'))
    .action(async (flags: { base: string; app?: string; appTimeout: string; allow: string[] }, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const allow = allowances(flags.allow);
      // read before the synth starts, so a bad entry fails at once
      const acceptances = acceptancesFor(options.dist);
      const timeoutMs = parseDuration('--app-timeout', flags.appTimeout);
      const app = flags.app ?? appFromCdk8sYaml();
      context.doing(`running the synth \`${app}\``);
      // Files the synth did not write are found in the whole of dist/ here; the plan sees only those the change touches.
      const foreign: ForeignPolicy = { allow, acceptances, used: new Set<Acceptance>() };
      const synth = startSynth(app, options.dist, { timeoutMs, timeout: flags.appTimeout, signal: context.signal });
      let committed: ReadonlyMap<string, string>;
      let plan: Plan;
      try {
        // While the synth runs in its own process (on another core), this one plans and reads dist/ as it is.
        ({ plan } = planAgainst(options.dist, flags.base, allow, acceptances));
        committed = readFiles(options.dist);
      } catch (error) {
        await synth.stop();
        throw error;
      }
      const problems = [...await synth.staleLines(options.dist, committed, foreign)];
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
    });
}

/** A synth `check` started: stop it, or wait for it and compare what it wrote with dist/. */
interface StartedSynth {
  /** Stops the synth (and every process it started) and removes its output. */
  stop(): Promise<void>;
  /**
   * Waits for the synth, then returns one line per generated file in which `dist` (read as `committed`) differs from
   * what the synth wrote, and one per file of `dist` the synth did not write (unless allowed); removes its output.
   */
  staleLines(dist: string, committed: ReadonlyMap<string, string>, foreign: ForeignPolicy): Promise<string[]>;
}

/** Starts `app` writing into a scratch folder (ARLON_OUTDIR, which wins over the program's `outdir`), in the background. */
function startSynth(app: string, dist: string, limits: AppLimits): StartedSynth {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'arlonctl-check-'));
  // a folder inside the scratch one, so that what a synth keeps beside its output (lock, render cache) goes with it
  const outdir = path.join(scratch, 'dist');
  // the synth reads the rollout state beside its output, and writes it back: compared below
  const state = { committed: rolloutStateFile(dist), fresh: rolloutStateFile(outdir) };
  if (fs.existsSync(state.committed)) {
    fs.copyFileSync(state.committed, state.fresh);
  }
  const stopped = new AbortController();
  const forward = () => stopped.abort();
  limits.signal.addEventListener('abort', forward, { once: true });
  const running = runApp(app, { ...process.env, [ARLON_OUTDIR]: outdir, CDK8S_OUTDIR: outdir }, { ...limits, signal: stopped.signal });
  const finished = async () => {
    try {
      return await running;
    } finally {
      limits.signal.removeEventListener('abort', forward);
    }
  };
  const cleanup = () => fs.rmSync(scratch, { recursive: true, force: true });
  return {
    stop: async () => {
      stopped.abort();
      await finished();
      cleanup();
    },
    staleLines: async (committedDist, all, foreign) => {
      try {
        const run = await finished();
        if (run.timedOut) {
          return [`synth failed: \`${app}\` did not finish within --app-timeout ${limits.timeout} and was stopped; find out where it waits `
            + '(input, the network, a lock), or allow more time with --app-timeout'];
        }
        if (run.status !== 0) {
          return [`synth failed: \`${app}\` exited with ${run.status ?? run.signal}: ${outputTail(run)}`];
        }
        const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
        const stateName = path.basename(state.committed);
        return [
          ...compareOutputs(readFiles(outdir), all, committedDist, foreign),
          ...(read(state.fresh) === read(state.committed) ? []
            : [`stale: ${stateName} (beside ${dist}) differs from what a fresh synth writes; run the synth and commit ${stateName} with ${committedDist}`]),
        ];
      } finally {
        cleanup();
      }
    },
  };
}

/** How `check` lets through files the synth did not write: allowances and acceptances, recording those used. */
interface ForeignPolicy {
  readonly allow: readonly Allowance[];
  readonly acceptances: readonly Acceptance[];
  readonly used: Set<Acceptance>;
  /** How many such files an acceptance let through (set by `compareOutputs`). */
  accepted?: number;
}

/** The lines of `check` for files in which dist/ (`all`) and a fresh synth (`fresh`) differ. */
function compareOutputs(fresh: ReadonlyMap<string, string>, all: ReadonlyMap<string, string>, dist: string, foreign: ForeignPolicy): string[] {
  const committed = new Map([...all].filter(([, text]) => text.startsWith(GENERATED_HEADER)));
  const items = [...all.keys()].filter((file) => !committed.has(file)).sort()
    .map((file) => allowItem(foreignFileItem(file), '', foreign.allow, foreign.acceptances, foreign.used));
  foreign.accepted = items.filter((i) => i.acceptedReason !== undefined).length;
  const problems: string[] = items.filter((i) => i.allowedBy === undefined).map((i) => blockedLine(i));
  for (const file of [...new Set([...fresh.keys(), ...committed.keys()])].sort()) {
    if (!committed.has(file)) {
      problems.push(`stale: ${file} is missing from ${dist}; run the synth and commit ${dist}`);
    } else if (!fresh.has(file)) {
      problems.push(`stale: ${file} is in ${dist} but a fresh synth does not produce it; run the synth and commit ${dist}`);
    } else if (fresh.get(file) !== committed.get(file)) {
      problems.push(`stale: ${file} differs from a fresh synth; run the synth and commit ${dist}`);
    }
  }
  return problems;
}

/** One line of `check` for a change the plan blocks: its rule, what (and where) it is, and the fix. */
function blockedLine(item: PlanItem, where = ''): string {
  return `blocked (${item.blocked!.rule}): ${where}${item.message}; fix: ${item.blocked!.fix}`;
}
