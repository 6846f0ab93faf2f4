/**
 * The fleet operations people run on every change, at each fleet size, each a fresh process timed from start to exit
 * (Node's start-up included, for all of them alike):
 *
 * - full synth: the benchmark fleet synthesized into an empty folder (the yardstick of the ratios);
 * - no-op re-synth: synthesized again into its own unchanged output;
 * - one-profile re-synth: synthesized with profile 3's workers pool resized (a tenth of the clusters change);
 * - plan: `arlonctl plan --base HEAD` on that change, in a git repository whose HEAD holds the unchanged fleet;
 * - check: `arlonctl check --base HEAD` on the same, which runs a full synth of its own into a scratch folder.
 *
 * Then `register` and `status` against the test API server holding every cluster's objects (`api-once.ts`).
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { CommandFigures } from './api-once';
import type { FleetShapeName } from './bench-fleet';
import { count, median, seconds, table } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const ONCE = path.join(__dirname, 'synth-once.js');
const ARLONCTL = path.join(ROOT, 'bin', 'arlonctl');
/** The profile the change resizes. */
const CHANGED_PROFILE = '3';

/** Medians of one fleet size, in ms. */
export interface OperationFigures {
  readonly clusters: number;
  readonly fullMs: number;
  readonly noopMs: number;
  readonly changeMs: number;
  readonly planMs: number;
  readonly checkMs: number;
  /** Files the one-profile change rewrote. */
  readonly changedFiles: number;
  /** What plan's transition check did: units of the clusters in scope, those changed, scenarios explored, states. */
  readonly transitions?: { units: number; changed: number; explorations: number; states: number };
  readonly runs: number;
}

/** Targets of issue 14, as ratios to a full synth in the same run (and across sizes). */
export const TARGETS = { change: 0.3, plan: 0.5, check: 1.5, linearity: 11 } as const;

/**
 * Runs `node <args>` and times it from spawn to exit. Temporary files go to the scratch file system too: `check`
 * synthesizes into a folder of `os.tmpdir()`, which must not be slower than the full synth's.
 */
async function timed(args: readonly string[], cwd: string, scratchRoot: string, shape: FleetShapeName = 'bench'): Promise<{ ms: number; stdout: string }> {
  // BENCH_FLEET reaches the synth that `check` runs too: it inherits arlonctl's environment
  const env = { ...process.env, TMPDIR: scratchRoot, BENCH_FLEET: shape };
  execFileSync('sync');
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString('utf8')).slice(-65536)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 0) {
        reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim()}${stdout.slice(-2000)}`));
      } else {
        resolve({ ms, stdout });
      }
    });
  });
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' } });

/**
 * Runs every operation `repeats` times on a fleet of `clusters` clusters (of the benchmark's shape unless `shape` says
 * another) in a scratch git repository under `scratchRoot`.
 */
export async function measureOperations(clusters: number, repeats: number, scratchRoot: string, shape: FleetShapeName = 'bench'): Promise<OperationFigures> {
  const repo = fs.mkdtempSync(path.join(scratchRoot, 'arlon-bench-ops-'));
  const dist = path.join(repo, 'dist');
  const synth = (outdir: string, changed?: string) => {
    return timed([ONCE, 'app', String(clusters), outdir, ...(changed === undefined ? [] : [changed])], repo, scratchRoot, shape);
  };
  try {
    git(repo, 'init', '-q');
    // what a fleet repository ignores: the files a synth keeps beside dist/ (lock, journal, render cache)
    fs.writeFileSync(path.join(repo, '.gitignore'), '.*.arlon-*\n');
    await synth(dist);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'the benchmark fleet');
    const runs: Array<Omit<OperationFigures, 'runs' | 'clusters'>> = [];
    for (let i = 0; i < repeats; i++) {
      process.stderr.write(`operations ${shape} ${clusters} on ${scratchRoot} (run ${i + 1})...\n`);
      const fresh = fs.mkdtempSync(path.join(scratchRoot, 'arlon-bench-full-'));
      let fullMs: number;
      try {
        fullMs = (await synth(path.join(fresh, 'dist'))).ms;
      } finally {
        fs.rmSync(fresh, { recursive: true, force: true });
      }
      const noopMs = (await synth(dist)).ms;
      const change = await synth(dist, CHANGED_PROFILE);
      const plan = await timed([ARLONCTL, 'plan', '--no-synth', '--dist', dist, '--base', 'HEAD', '-o', 'json'], repo, scratchRoot, shape);
      const planMs = plan.ms;
      // The figures close the JSON (the plan itself may be longer than the tail kept of stdout).
      const transitions = /"transitions":\s*(\{[^}]*\})\s*\}\s*$/.exec(plan.stdout)?.[1];
      const app = `"${process.execPath}" "${ONCE}" app ${clusters} - ${CHANGED_PROFILE}`;
      const checkMs = (await timed([ARLONCTL, 'check', '--dist', dist, '--base', 'HEAD', '--app', app, '--app-timeout', '30m'], repo, scratchRoot, shape)).ms;
      await synth(dist); // back to HEAD for the next run
      runs.push({
        fullMs,
        noopMs,
        changeMs: change.ms,
        planMs,
        checkMs,
        changedFiles: (JSON.parse(change.stdout) as { written: number }).written,
        ...(transitions === undefined ? {} : { transitions: JSON.parse(transitions) as OperationFigures['transitions'] }),
      });
    }
    const of = (key: 'fullMs' | 'noopMs' | 'changeMs' | 'planMs' | 'checkMs') => median(runs.map((r) => r[key]));
    return {
      clusters,
      fullMs: of('fullMs'),
      noopMs: of('noopMs'),
      changeMs: of('changeMs'),
      planMs: of('planMs'),
      checkMs: of('checkMs'),
      changedFiles: runs[0].changedFiles,
      ...(runs[0].transitions === undefined ? {} : { transitions: runs[0].transitions }),
      runs: repeats,
    };
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(path.join(scratchRoot, `.${path.basename(repo)}.arlon-cache.json`), { force: true });
  }
}

const ratio = (ms: number, of: number) => `${seconds(ms)} (${(ms / of).toFixed(2)}x)`;

/** The operations table, the linearity lines and whether every target is met. */
export function operationsReport(figures: readonly OperationFigures[]): { text: string; ok: boolean; summary: string } {
  const rows = figures.map((f) => [
    count(f.clusters), seconds(f.fullMs), ratio(f.noopMs, f.fullMs), `${ratio(f.changeMs, f.fullMs)}, ${count(f.changedFiles)} files`,
    ratio(f.planMs, f.fullMs), ratio(f.checkMs, f.fullMs),
  ]);
  let text = table(['clusters', 'full synth', 'no-op re-synth', 'one-profile re-synth', 'arlonctl plan', 'arlonctl check'], rows);
  const checks: Array<[string, number, number]> = [];
  const top = figures[figures.length - 1];
  checks.push([`one-profile re-synth / full synth at ${count(top.clusters)}`, top.changeMs / top.fullMs, TARGETS.change]);
  checks.push([`plan / full synth at ${count(top.clusters)}`, top.planMs / top.fullMs, TARGETS.plan]);
  checks.push([`check / full synth at ${count(top.clusters)}`, top.checkMs / top.fullMs, TARGETS.check]);
  const thousand = figures.find((f) => f.clusters === 1000);
  if (thousand !== undefined && top.clusters === 10_000) {
    checks.push(['plan time(10,000) / time(1,000)', top.planMs / thousand.planMs, TARGETS.linearity]);
    checks.push(['check time(10,000) / time(1,000)', top.checkMs / thousand.checkMs, TARGETS.linearity]);
  }
  text += `\nTimes are medians of ${figures.map((f) => f.runs).join('/')} runs, each a fresh process from start to exit; ratios are to the full synth of the same size.\n`;
  for (const f of figures.filter((x) => x.transitions !== undefined)) {
    const t = f.transitions!;
    text += `transition check in plan at ${count(f.clusters)}: ${count(t.units)} units of the clusters in scope, ${count(t.changed)} changed, `
      + `${count(t.explorations)} distinct scenario(s) explored, ${count(t.states)} states\n`;
  }
  for (const [what, value, target] of checks) {
    text += `${what} = ${value.toFixed(2)} (target <= ${target}${value <= target ? '' : ', MISSED'})\n`;
  }
  const summary = `${count(top.clusters)} clusters: re-synth ${(top.changeMs / top.fullMs).toFixed(2)}x, plan ${(top.planMs / top.fullMs).toFixed(2)}x, `
    + `check ${(top.checkMs / top.fullMs).toFixed(2)}x a full synth`;
  return { text, ok: checks.every(([, value, target]) => value <= target), summary };
}

/** Runs `api-once.js` for a fleet of `clusters` clusters. */
export async function measureApi(clusters: number, scratchRoot: string): Promise<{ clusters: number; objects: number; commands: CommandFigures[] }> {
  const scratch = fs.mkdtempSync(path.join(scratchRoot, 'arlon-bench-api-'));
  try {
    process.stderr.write(`register and status ${clusters}...\n`);
    const { stdout } = await timed([path.join(__dirname, 'api-once.js'), String(clusters), scratch], ROOT, scratchRoot);
    return JSON.parse(stdout) as { clusters: number; objects: number; commands: CommandFigures[] };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The requests and wall time of each command at each size. */
export function apiReport(runs: ReadonlyArray<{ clusters: number; objects: number; commands: CommandFigures[] }>): string {
  const rows = runs.flatMap((run) => run.commands.map((c) => [
    `${count(run.clusters)} (${count(run.objects)} objects)`, c.command, count(c.requests), Object.entries(c.byMethod).map(([method, n]) => `${method} ${count(n)}`).join(', '), seconds(c.ms),
  ]));
  return table(['clusters', 'command', 'requests', 'by method', 'wall time'], rows);
}
