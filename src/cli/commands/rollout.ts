import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { allowances } from './plan';
import { ARLON_OUTDIR } from '../../fleet/output-folders';
import { readDist, ROLLOUT_SUMMARY, type DistCluster, type ParseMemo } from '../../operations/dist-fleet';
import { computePlan, type Allowance } from '../../operations/plan';
import { clusterHealth, type ClusterHealth } from '../../operations/rollout-health';
import { profileProgress, promotionRefusals, releaseStep, type ProfileProgress } from '../../operations/rollout-progress';
import { formatRolloutState, readRolloutState, rolloutStateFile, writeRolloutState, type RolloutState } from '../../rollout/rollout-state';
import { appFromCdk8sYaml, outputTail, runApp } from '../app-run';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { outputFormat, parseDuration, type GlobalOptions } from '../options';
import { json, table } from '../output';

/** `arlonctl rollout promote` refused, or its synth failed: exit status 1, after the reasons were printed. */
export class RolloutRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutRefusedError';
  }
}

/** `arlonctl rollout`: where each profile's change stands, and the next wave released when it is safe. */
export function rolloutCommand(context: CommandContext): Command {
  const rollout = new Command('rollout')
    .description('Progressive rollouts of profile changes (see RolloutPolicy): status, promote the next wave, pause, resume, abort. '
      + 'Reads and writes dist.rollout.yaml beside dist/.');
  rollout.addCommand(new Command('status')
    .description('Per profile and wave: the revision its clusters run, their health on the management cluster, and what promote would do next.')
    .argument('[profile]', 'one profile (default: every profile that follows a rollout policy)')
    .action(async (profile: string | undefined, _flags: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output);
      const { state } = readState(options);
      const names = profile === undefined ? Object.keys(state.profiles) : [known(state, profile)];
      const fleet = readDist(options.dist, ROLLOUT_SUMMARY);
      const progress = names.map((name) => profileProgress(name, state.profiles[name], fleet.clusters));
      const clusters = progress.flatMap((p) => p.waves.flatMap((w) => w.clusters));
      const health = await context.withClient(options, (client) => clusterHealth(client, fleet, clusters));
      const now = new Date();
      const reports = progress.map((p) => report(p, health, now));
      context.io.stdout(format === 'json' ? json(reports) : reports.map(formatReport).join('\n'));
    }));
  rollout.addCommand(new Command('promote')
    .description('Release the next wave (or the next maxClusters of it) of a profile\'s change, once the clusters already released are healthy '
      + 'and have soaked: updates dist/ and its rollout state (dist.rollout.yaml) for you to review and commit. Refuses with the reasons otherwise.')
    .argument('<profile>', 'the profile whose rollout goes on')
    .option('--approve', 'release a wave that requires approval, or before the soak time has passed')
    .option('--app <command>', 'the command that synthesizes the fleet (default: `app` of ./cdk8s.yaml)')
    .option('--app-timeout <duration>', 'time allowed for each synth', '10m')
    .option('--allow <rule[=cluster]>', 'let a change the plan blocks through; repeatable', (v: string, p: string[]) => [...p, v], [])
    .addHelpText('after', ['', 'Examples:', '  arlonctl rollout promote standard', '  arlonctl rollout promote standard --approve'].join('\n'))
    .action(async (profile: string, flags: PromoteFlags, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await promote(context, options, profile, flags);
    }));
  for (const [name, description, change] of TOGGLES) {
    rollout.addCommand(new Command(name)
      .description(description)
      .argument('<profile>', 'the profile')
      .action((profile: string, _flags: unknown, command: Command) => {
        const options = command.optsWithGlobals<GlobalOptions>();
        // the state file alone: dist/ is not read
        const { state, file } = readState(options);
        const { next, message } = change(state.profiles[known(state, profile)], profile);
        writeRolloutState(file, { ...state, profiles: { ...state.profiles, [profile]: next } });
        context.io.stdout(`${message}; commit ${path.basename(file)}\n`);
      }));
  }
  for (const sub of rollout.commands) {
    sub.exitOverride().configureOutput({ writeOut: context.io.stdout, writeErr: context.io.stderr });
  }
  return rollout;
}

type Toggle = (rollout: RolloutState['profiles'][string], profile: string) => { next: RolloutState['profiles'][string]; message: string };

const TOGGLES: ReadonlyArray<readonly [string, string, Toggle]> = [
  ['pause', 'Stop promote from releasing further waves of the profile\'s change until resume.', (rollout, profile) => ({
    next: { ...rollout, paused: true },
    message: `paused the rollout of profile "${profile}" at revision ${rollout.target}`,
  })],
  ['resume', 'Let promote release the waves of the profile\'s change again.', (rollout, profile) => {
    const { paused: _paused, ...rest } = rollout;
    return { next: rest, message: `resumed the rollout of profile "${profile}"` };
  }],
  ['abort', 'Give up the profile\'s change: promote refuses it, the waves not released keep their revision, and the next change of the profile '
    + '(the reviewed revert) reaches the clusters that run the aborted revision at once.', (rollout, profile) => ({
    next: { ...rollout, aborted: rollout.target },
    message: `aborted revision ${rollout.target} of profile "${profile}": waves not released keep their revision; revert the change in the code and `
      + 'synthesize to roll back the clusters that run it (not a Kubernetes version: EKS cannot downgrade, so fix that forward)',
  })],
];

interface PromoteFlags {
  readonly approve?: boolean;
  readonly app?: string;
  readonly appTimeout: string;
  readonly allow: string[];
}

function readState(options: GlobalOptions): { state: RolloutState; file: string } {
  const file = rolloutStateFile(options.dist);
  const state = readRolloutState(file);
  if (state === undefined) {
    throw new UsageError(`there is no ${path.basename(file)} beside ${options.dist}: no profile of the fleet follows a rollout policy `
      + '(set one with `fleet.setDefaultRolloutPolicy` or `ProfileProps.rollout`, then synthesize)');
  }
  return { state, file };
}

function known(state: RolloutState, profile: string): string {
  if (!(profile in state.profiles)) {
    throw new UsageError(`profile "${profile}" follows no rollout policy (its rollout state has no "${profile}"); `
      + `the profiles that do: ${Object.keys(state.profiles).join(', ') || 'none'}`);
  }
  return profile;
}

async function promote(context: CommandContext, options: GlobalOptions, profile: string, flags: PromoteFlags): Promise<void> {
  const { state, file } = readState(options);
  const rollout = state.profiles[known(state, profile)];
  const fleet = readDist(options.dist, ROLLOUT_SUMMARY);
  const progress = profileProgress(profile, rollout, fleet.clusters);
  const { next } = progress;
  if (next === undefined) {
    context.io.stdout(`nothing to promote: every cluster of profile "${profile}" runs revision ${progress.rollout.target}\n`);
    return;
  }
  const released = progress.waves.flatMap((w) => w.clusters).filter((c) => progress.released.includes(c.name));
  const health = await context.withClient(options, (client) => clusterHealth(client, fleet, released));
  const refusals = promotionRefusals(progress, health, { now: new Date(), approve: flags.approve === true });
  if (refusals.length > 0) {
    context.io.stdout(refusals.map((r) => `refused: ${r}\n`).join(''));
    throw new RolloutRefusedError(`wave ${next.wave.name} of profile "${profile}" was not released; ${path.basename(rolloutStateFile(options.dist))} and ${options.dist} are unchanged`);
  }
  const nextState = releaseStep(state, profile, next);
  const app = flags.app ?? appFromCdk8sYaml();
  const limits = { timeoutMs: parseDuration('--app-timeout', flags.appTimeout), timeout: flags.appTimeout, signal: context.signal };
  // The step, synthesized into a scratch folder first: the upgrade guards see exactly what it changes.
  const moved = await planStep(context, app, limits, options.dist, nextState, allowances(flags.allow));
  const before = fs.readFileSync(file, 'utf8');
  writeRolloutState(file, nextState);
  context.doing(`running the synth \`${app}\``);
  const run = await runApp(app, { ...process.env, [ARLON_OUTDIR]: path.resolve(options.dist) }, limits);
  if (run.status !== 0) {
    fs.writeFileSync(file, before);
    throw new RolloutRefusedError(`the synth \`${app}\` failed (${run.timedOut ? 'timed out' : `exit ${run.status ?? run.signal}`}): `
      + `${outputTail(run)}; ${path.basename(file)} was restored, and ${options.dist} was not changed`);
  }
  const inWave = progress.waves.find((w) => w.state.name === next.wave.name)!.clusters.length;
  context.io.stdout(`released wave ${next.wave.name} of profile "${profile}": ${next.clusters.join(', ')} (${next.clusters.length} of ${inWave} in the wave) `
    + `now run revision ${progress.rollout.target}; ${moved} cluster(s) change in ${options.dist}.\n`
    + `Review with \`arlonctl plan\`, then commit ${options.dist} and ${path.basename(file)}.\n`);
}

/** Synthesizes `state` into a scratch folder and plans it against `dist`: refuses what the guards block; returns how many clusters change. */
async function planStep(
  context: CommandContext, app: string, limits: Parameters<typeof runApp>[2], dist: string, state: RolloutState, allow: readonly Allowance[],
): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'arlonctl-promote-'));
  try {
    const outdir = path.join(scratch, 'dist');
    fs.writeFileSync(rolloutStateFile(outdir), formatRolloutState(state));
    context.doing(`running the synth \`${app}\` into a scratch folder`);
    const run = await runApp(app, { ...process.env, [ARLON_OUTDIR]: outdir, CDK8S_OUTDIR: outdir }, limits);
    if (run.status !== 0) {
      throw new RolloutRefusedError(`the synth \`${app}\` failed (${run.timedOut ? 'timed out' : `exit ${run.status ?? run.signal}`}): ${outputTail(run)}; `
        + 'nothing was changed');
    }
    // One parse per distinct file content: an unchanged file is the same object in both, which the transition check skips.
    const memo: ParseMemo = new Map();
    const plan = computePlan(readDist(dist, undefined, memo), readDist(outdir, undefined, memo), allow);
    const blocked = plan.clusters.flatMap((c) => c.items.filter((i) => i.blocked && !i.allowedBy).map((i) => ({ cluster: c.cluster, item: i })));
    if (blocked.length > 0) {
      context.io.stdout(blocked.map(({ cluster, item }) => `refused: cluster ${cluster}: ${item.message} (${item.blocked!.rule}); fix: ${item.blocked!.fix}\n`).join(''));
      throw new RolloutRefusedError('the step is blocked by the upgrade guards above; nothing was changed');
    }
    return plan.clusters.length;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A wave as `status` reports it. */
interface WaveReport {
  readonly name: string;
  readonly clusters: number;
  readonly atTarget: number;
  readonly revisions: string[];
  readonly healthy: number;
  readonly soak?: string;
  readonly requireApproval: boolean;
  /** Why each cluster that is not healthy is not. */
  readonly unhealthy: Record<string, readonly string[]>;
}

/** A profile's rollout as `status` reports it. */
interface RolloutReport {
  readonly profile: string;
  readonly target: string;
  readonly complete: boolean;
  readonly paused: boolean;
  readonly aborted: boolean;
  readonly waves: WaveReport[];
  readonly next?: { wave: string; clusters: readonly string[]; refusals: string[] };
}

function report(progress: ProfileProgress, health: ReadonlyMap<string, ClusterHealth>, now: Date): RolloutReport {
  const { rollout, next } = progress;
  return {
    profile: progress.profile,
    target: rollout.target,
    complete: next === undefined,
    paused: rollout.paused === true,
    aborted: rollout.aborted === rollout.target,
    waves: progress.waves.map((w) => ({
      name: w.state.name,
      clusters: w.clusters.length,
      atTarget: w.atTarget.length,
      revisions: [...new Set(w.clusters.map((c: DistCluster) => c.specRevision!))].sort(),
      healthy: w.clusters.filter((c) => health.get(c.name)?.healthy === true).length,
      soak: w.state.soak,
      requireApproval: w.state.requireApproval === true,
      unhealthy: Object.fromEntries(w.clusters.map((c) => health.get(c.name))
        .filter((h): h is ClusterHealth => h?.healthy === false).map((h) => [h.cluster, h.reasons])),
    })),
    next: next === undefined ? undefined : {
      wave: next.wave.name,
      clusters: next.clusters,
      refusals: promotionRefusals(progress, health, { now, approve: false }),
    },
  };
}

function formatReport(r: RolloutReport): string {
  const released = r.waves.reduce((n, w) => n + w.atTarget, 0);
  const total = r.waves.reduce((n, w) => n + w.clusters, 0);
  const flags = [r.paused ? 'paused' : '', r.aborted ? 'aborted' : ''].filter((f) => f !== '');
  const head = r.complete ? `profile ${r.profile}: every cluster runs revision ${r.target}`
    : `profile ${r.profile}: rolling out revision ${r.target}, ${released} of ${total} cluster(s) released${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`;
  const rows = r.waves.map((w) => [
    w.name, String(w.clusters), String(w.atTarget), w.revisions.map((rev) => (rev === r.target ? `${rev} (target)` : rev)).join(', ') || '-',
    `${w.healthy}/${w.clusters}`, w.soak ?? '-', w.requireApproval ? 'required' : '-',
  ]);
  const unhealthy = r.waves.flatMap((w) => Object.entries(w.unhealthy).map(([c, reasons]) => `  ${c}: ${reasons.join('; ')}\n`));
  const verdict = r.next === undefined ? '' : r.next.refusals.length === 0 ? ' (`arlonctl rollout promote` releases it now)\n'
    : `; promote would refuse:\n${r.next.refusals.map((x) => `  - ${x}\n`).join('')}`;
  const next = r.next === undefined ? '' : `next: wave ${r.next.wave}: ${r.next.clusters.join(', ')}${verdict}`;
  return `${head}\n${table(['WAVE', 'CLUSTERS', 'AT TARGET', 'REVISIONS', 'HEALTHY', 'SOAK', 'APPROVAL'], rows)}${unhealthy.length > 0 ? `not healthy:\n${unhealthy.join('')}` : ''}${next}`;
}
