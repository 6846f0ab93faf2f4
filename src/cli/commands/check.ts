import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import * as YAML from 'yaml';
import { allowances, planAgainst } from './plan';
import { readFiles } from '../../operations/dist-fleet';
import { foreignFileItem, type Plan, type PlanItem } from '../../operations/plan';
import { GENERATED_HEADER } from '../../output/render';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
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
    .option('--allow <rule[=cluster]>', 'let a blocked change through; repeatable', (v: string, p: string[]) => [...p, v], [])
    .addHelpText('after', ['', 'Examples:', '  arlonctl check --base origin/main', '  arlonctl check --app "npx ts-node main.ts" --app-timeout 5m'].join('\n'))
    .action(async (flags: { base: string; app?: string; appTimeout: string; allow: string[] }, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const allow = allowances(flags.allow);
      const timeoutMs = parseDuration('--app-timeout', flags.appTimeout);
      const app = flags.app ?? appFromCdk8sYaml();
      context.doing(`running the synth \`${app}\``);
      // Files the synth did not write are found in the whole of dist/ here; the plan sees only those the change touches.
      const foreignAllowed = allow.some((a) => a.rule === 'not-generated');
      const synth = startSynth(app, { timeoutMs, timeout: flags.appTimeout, signal: context.signal });
      let committed: ReadonlyMap<string, string>;
      let plan: Plan;
      try {
        // While the synth runs in its own process (on another core), this one plans and reads dist/ as it is.
        ({ plan } = planAgainst(options.dist, flags.base, allow));
        committed = readFiles(options.dist);
      } catch (error) {
        await synth.stop();
        throw error;
      }
      const problems = [...await synth.staleLines(options.dist, committed, foreignAllowed)];
      for (const cluster of plan.clusters) {
        for (const item of cluster.items.filter((i) => i.blocked && !i.allowedBy)) {
          problems.push(blockedLine(item, `cluster ${cluster.cluster}: `));
        }
      }
      for (const item of plan.fleet.filter((i) => i.blocked && !i.allowedBy && i.blocked.rule !== 'not-generated')) {
        problems.push(blockedLine(item));
      }
      if (problems.length > 0) {
        context.io.stdout(problems.map((p) => `${p}\n`).join(''));
        throw new CheckFailedError(`${problems.length} problem(s); run arlonctl plan --base ${flags.base} for the whole plan`);
      }
      const changed = plan.clusters.length;
      context.io.stdout(`ok: ${options.dist} matches a fresh synth, and the plan against ${flags.base} changes ${changed} cluster(s) with nothing blocked\n`);
    });
}

function appFromCdk8sYaml(): string {
  const file = path.resolve('cdk8s.yaml');
  if (!fs.existsSync(file)) {
    throw new UsageError(`there is no cdk8s.yaml in ${process.cwd()} to name the app; pass the synth command with --app`);
  }
  const app = (YAML.parse(fs.readFileSync(file, 'utf8')) as { app?: string } | null)?.app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new UsageError(`${file} has no \`app\`; pass the synth command with --app`);
  }
  return app;
}

/** How long the synth may run, and what stops it early. */
interface AppLimits {
  readonly timeoutMs: number;
  /** `--app-timeout` as given, for the message. */
  readonly timeout: string;
  readonly signal: AbortSignal;
}

/** A synth `check` started: stop it, or wait for it and compare what it wrote with dist/. */
interface StartedSynth {
  /** Stops the synth (and every process it started) and removes its output. */
  stop(): Promise<void>;
  /**
   * Waits for the synth, then returns one line per generated file in which `dist` (read as `committed`) differs from
   * what the synth wrote, and one per file of `dist` the synth did not write (unless allowed); removes its output.
   */
  staleLines(dist: string, committed: ReadonlyMap<string, string>, foreignAllowed: boolean): Promise<string[]>;
}

/** Starts `app` writing into a scratch folder (ARLON_OUTDIR, which wins over the program's `outdir`), in the background. */
function startSynth(app: string, limits: AppLimits): StartedSynth {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'arlonctl-check-'));
  // a folder inside the scratch one, so that what a synth keeps beside its output (lock, render cache) goes with it
  const outdir = path.join(scratch, 'dist');
  const stopped = new AbortController();
  const forward = () => stopped.abort();
  limits.signal.addEventListener('abort', forward, { once: true });
  const running = runApp(app, { ...process.env, ARLON_OUTDIR: outdir, CDK8S_OUTDIR: outdir }, { ...limits, signal: stopped.signal });
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
    staleLines: async (dist, all, foreignAllowed) => {
      try {
        const run = await finished();
        if (run.timedOut) {
          return [`synth failed: \`${app}\` did not finish within --app-timeout ${limits.timeout} and was stopped; find out where it waits `
            + '(input, the network, a lock), or allow more time with --app-timeout'];
        }
        if (run.status !== 0) {
          const tail = `${run.stderr}${run.stdout}`.trim().split('\n').slice(-5).join(' / ');
          return [`synth failed: \`${app}\` exited with ${run.status ?? run.signal}: ${tail}`];
        }
        return compareOutputs(readFiles(outdir), all, dist, foreignAllowed);
      } finally {
        cleanup();
      }
    },
  };
}

/** The lines of `check` for files in which dist/ (`all`) and a fresh synth (`fresh`) differ. */
function compareOutputs(fresh: ReadonlyMap<string, string>, all: ReadonlyMap<string, string>, dist: string, foreignAllowed: boolean): string[] {
  const committed = new Map([...all].filter(([, text]) => text.startsWith(GENERATED_HEADER)));
  const problems: string[] = foreignAllowed ? [] : [...all.keys()].filter((file) => !committed.has(file)).sort().map((file) => {
    return blockedLine(foreignFileItem(file));
  });
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

/** How the synth ended, with the end of what it printed. */
interface AppRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** The most of each output stream kept for the message: its last lines are all that is shown. */
const OUTPUT_TAIL = 64 * 1024;
const POSIX = process.platform !== 'win32';

/**
 * Runs the synth through the shell, with stdin closed, in a process group of its own, so that on timeout, on the
 * command's deadline or on Ctrl-C the whole group stops: a shell's children would otherwise keep running (and keep
 * its output open).
 */
function runApp(app: string, env: NodeJS.ProcessEnv, limits: AppLimits): Promise<AppRun> {
  return new Promise((resolve) => {
    const child = spawn(app, { shell: true, env, stdio: ['ignore', 'pipe', 'pipe'], detached: POSIX });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const stop = () => {
      try {
        if (POSIX && child.pid !== undefined) {
          process.kill(-child.pid, 'SIGKILL');
        } else {
          child.kill('SIGKILL');
        }
      } catch {
        // The group is gone already.
      }
    };
    const interrupted = (signal: NodeJS.Signals) => {
      stop();
      release();
      process.kill(process.pid, signal);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, limits.timeoutMs);
    const release = () => {
      clearTimeout(timer);
      limits.signal.removeEventListener('abort', stop);
      process.removeListener('SIGINT', interrupted);
      process.removeListener('SIGTERM', interrupted);
    };
    limits.signal.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString('utf8')).slice(-OUTPUT_TAIL)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-OUTPUT_TAIL)));
    child.on('error', (error) => {
      release();
      resolve({ status: null, signal: null, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on('close', (status, signal) => {
      release();
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/** One line of `check` for a change the plan blocks: its rule, what (and where) it is, and the fix. */
function blockedLine(item: PlanItem, where = ''): string {
  return `blocked (${item.blocked!.rule}): ${where}${item.message}; fix: ${item.blocked!.fix}`;
}
