import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Command } from 'commander';
import { acceptancesFor, allowances } from './plan';
import { ARLON_OUTDIR } from '../../fleet/outdir-variable';
import { KubeconfigError } from '../../kube/http-client-errors';
import { KubeConnectionError, KubeTlsError, type KubeClient } from '../../kube/types';
import { readDist, ROLLOUT_SUMMARY, type DistCluster, type ParseMemo } from '../../operations/dist-fleet';
import { computePlan, type Allowance } from '../../operations/plan';
import { readReleaseEvidence } from '../../operations/release-evidence';
import { clusterHealth, type ClusterHealth } from '../../operations/rollout-health';
import { profileProgress, promotionRefusals, releaseStep, type ProfileProgress, type PromotionGates } from '../../operations/rollout-progress';
import { withRolloutState } from '../../operations/rollout-writer';
import { formatRolloutState, readRolloutState, rolloutStateFile, type Approval, type RolloutState } from '../../rollout/rollout-state';
import { appFromCdk8sYaml } from '../app-command';
import { outputTail, runApp } from '../app-run';
import { TargetedError, type CommandContext } from '../context';
import { describeError } from '../error-messages';
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

/** The flags of `rollout status`. */
export interface RolloutStatusFlags {
  readonly offline?: boolean;
}

/** Runs `arlonctl rollout status [profile]` (see `rolloutCommand`). */
export async function runRolloutStatus(
  context: CommandContext, profile: string | undefined, flags: RolloutStatusFlags, command: Command,
): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const format = outputFormat(options.output);
  const { state } = readState(options);
  const names = profile === undefined ? Object.keys(state.profiles) : [known(state, profile)];
  const fleet = readDist(options.dist, ROLLOUT_SUMMARY);
  const progress = names.map((name) => profileProgress(name, state.profiles[name], fleet.clusters));
  const clusters = progress.flatMap((p) => p.waves.flatMap((w) => w.clusters));
  const { health, unread } = flags.offline === true ? { health: undefined, unread: 'health not read (--offline)' }
    : await healthIfReachable(context, options, (client) => clusterHealth(client, fleet, clusters, gitEvidence(options)));
  const now = new Date();
  const reports = progress.map((p) => report(p, health, now));
  context.io.stdout(format === 'json' ? json(unread === undefined ? reports : reports.map((r) => ({ ...r, health: unread })))
    : `${reports.map(formatReport).join('\n')}${unread === undefined ? '' : `${unread}\n`}`);
}

/** Runs `arlonctl rollout promote <profile>` (see `rolloutCommand`). */
export async function runPromote(context: CommandContext, profile: string, flags: PromoteFlags, command: Command): Promise<void> {
  await promote(context, command.optsWithGlobals<GlobalOptions>(), profile, flags);
}

/** Runs `arlonctl rollout pause|resume|abort <profile>` (see `rolloutCommand`). */
export async function runToggle(context: CommandContext, name: RolloutToggle, profile: string, command: Command): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  // the state file alone (dist/ is not read), under the rollout lock
  await withRolloutState(options.dist, (access) => {
    const state = existingState(access.state, access.file, options.dist);
    const { next, message } = TOGGLES[name](state.profiles[known(state, profile)], profile);
    access.write({ ...state, profiles: { ...state.profiles, [profile]: next } });
    context.io.stdout(`${message}; commit ${path.basename(access.file)}\n`);
  });
}

/** The rollout commands that only change the rollout state. */
export type RolloutToggle = 'pause' | 'resume' | 'abort';

type Toggle = (rollout: RolloutState['profiles'][string], profile: string) => { next: RolloutState['profiles'][string]; message: string };

/** What pause, resume and abort do to a profile's rollout. */
const TOGGLES: Record<RolloutToggle, Toggle> = {
  pause: (rollout, profile) => ({
    next: { ...rollout, paused: true },
    message: `paused the rollout of profile "${profile}" at revision ${rollout.target}`,
  }),
  resume: (rollout, profile) => {
    const { paused: _paused, ...rest } = rollout;
    return { next: rest, message: `resumed the rollout of profile "${profile}"` };
  },
  abort: (rollout, profile) => ({
    next: { ...rollout, aborted: rollout.target },
    message: `aborted revision ${rollout.target} of profile "${profile}": waves not released keep their revision; revert the change in the code and `
      + 'synthesize to roll back the clusters that run it (not a Kubernetes version: EKS cannot downgrade, so fix that forward)',
  }),
};

/** The flags of `rollout promote`. */
export interface PromoteFlags {
  readonly approve?: boolean;
  readonly skipSoak?: boolean;
  readonly app?: string;
  readonly appTimeout: string;
  readonly allow: string[];
}

function readState(options: GlobalOptions): { state: RolloutState; file: string } {
  const file = rolloutStateFile(options.dist);
  return { state: existingState(readRolloutState(file), file, options.dist), file };
}

function existingState(state: RolloutState | undefined, file: string, dist: string): RolloutState {
  if (state === undefined) {
    throw new UsageError(`there is no ${path.basename(file)} beside ${dist}: no profile of the fleet follows a rollout policy `
      + '(set one with `fleet.setDefaultRolloutPolicy` or `ProfileProps.rollout`, then synthesize)');
  }
  return state;
}

function known(state: RolloutState, profile: string): string {
  if (!(profile in state.profiles)) {
    throw new UsageError(`profile "${profile}" follows no rollout policy (its rollout state has no "${profile}"); `
      + `the profiles that do: ${Object.keys(state.profiles).join(', ') || 'none'}`);
  }
  return profile;
}

async function promote(context: CommandContext, options: GlobalOptions, profile: string, flags: PromoteFlags): Promise<void> {
  await withRolloutState(options.dist, async (access) => {
    const state = existingState(access.state, access.file, options.dist);
    const file = access.file;
    const rollout = state.profiles[known(state, profile)];
    const fleet = readDist(options.dist, ROLLOUT_SUMMARY);
    const progress = profileProgress(profile, rollout, fleet.clusters);
    const { next } = progress;
    if (next === undefined) {
      context.io.stdout(`nothing to promote: every cluster of profile "${profile}" runs revision ${progress.rollout.target}\n`);
      return;
    }
    const released = progress.waves.flatMap((w) => w.clusters).filter((c) => progress.released.includes(c.name));
    const health = await context.withClient(options, (client) => clusterHealth(client, fleet, released, gitEvidence(options)));
    const now = new Date();
    const gates = { now, approve: flags.approve === true, skipSoak: flags.skipSoak === true };
    const refusals = promotionRefusals(progress, health, gates);
    if (refusals.length > 0) {
      context.io.stdout(refusals.map((r) => `refused: ${r}\n`).join(''));
      throw new RolloutRefusedError(`wave ${next.wave.name} of profile "${profile}" was not released; ${path.basename(file)} and ${options.dist} are unchanged`);
    }
    const approvals = passedGates(progress, health, gates, options.dist);
    const nextState = releaseStep(state, profile, next, approvals);
    const app = flags.app ?? appFromCdk8sYaml();
    const limits = { timeoutMs: parseDuration('--app-timeout', flags.appTimeout), timeout: flags.appTimeout, signal: context.signal };
    // The step, synthesized into a scratch folder first: the upgrade guards see exactly what it changes.
    const moved = await planStep(context, app, limits, options.dist, nextState, allowances(flags.allow), next.clusters);
    access.write(nextState);
    context.doing(`running the synth \`${app}\``);
    const run = await runApp(app, { ...context.io.env, [ARLON_OUTDIR]: path.resolve(options.dist) }, limits);
    if (run.status !== 0) {
      access.restore();
      throw new RolloutRefusedError(`the synth \`${app}\` failed (${run.timedOut ? 'timed out' : `exit ${run.status ?? run.signal}`}): `
        + `${outputTail(run)}; ${path.basename(file)} was restored, and ${options.dist} was not changed`);
    }
    const inWave = progress.waves.find((w) => w.state.name === next.wave.name)!.clusters.length;
    const recorded = approvals.map((a) => `; ${a.gate === 'approval' ? 'approved' : 'soak cut short'} by ${a.by}`).join('');
    context.io.stdout(`released wave ${next.wave.name} of profile "${profile}": ${next.clusters.join(', ')} (${next.clusters.length} of ${inWave} in the wave) `
      + `now run revision ${progress.rollout.target}${recorded}; ${moved} cluster(s) change in ${options.dist}.\n`
      + `Review with \`arlonctl plan\`, then commit ${options.dist} and ${path.basename(file)}.\n`);
  });
}

/**
 * The gates a promote let the step past by a person's decision, as the state records them: the wave's approval
 * (`--approve`, when it requires one) and the soak (`--skip-soak`, when it had not passed), each with git's identity of
 * who ran it. Without an identity there is no record, so no decision.
 */
function passedGates(progress: ProfileProgress, health: ReadonlyMap<string, ClusterHealth>, gates: PromotionGates, dist: string): Approval[] {
  const next = progress.next!;
  const passed: Array<Approval['gate']> = [];
  if (gates.approve && next.wave.requireApproval === true) {
    passed.push('approval');
  }
  if (gates.skipSoak === true && promotionRefusals(progress, health, { ...gates, skipSoak: false }).length > 0) {
    passed.push('soak');
  }
  if (passed.length === 0) {
    return [];
  }
  const by = gitIdentity(dist);
  if (by === undefined) {
    throw new UsageError(`${passed.map((g) => (g === 'approval' ? '--approve' : '--skip-soak')).join(' and ')} record who decided, from git's identity, and `
      + 'git has none here: set it (`git config user.name "..."` and `git config user.email ...`) and promote again');
  }
  return passed.map((gate) => ({ wave: next.wave.name, revision: progress.rollout.target, gate, by, at: gates.now.toISOString() }));
}

/** `Name <email>` of git's configuration where `dist` is, or undefined when either is missing. */
function gitIdentity(dist: string): string | undefined {
  const get = (key: string) => {
    const result = spawnSync('git', ['config', key], { cwd: path.dirname(path.resolve(dist)), encoding: 'utf8' });
    return result.status === 0 && result.stdout.trim() !== '' ? result.stdout.trim() : undefined;
  };
  const name = get('user.name');
  const email = get('user.email');
  return name === undefined || email === undefined ? undefined : `${name} <${email}>`;
}

/**
 * Synthesizes `state` into a scratch folder and plans it against `dist`: refuses what the guards block, and code edits
 * dist/ does not hold yet (a promote releases a step, never a change nobody reviewed); returns how many clusters change.
 */
async function planStep(
  context: CommandContext, app: string, limits: Parameters<typeof runApp>[2], dist: string, state: RolloutState, allow: readonly Allowance[],
  stepClusters: readonly string[],
): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'arlonctl-promote-'));
  try {
    const outdir = path.join(scratch, 'dist');
    fs.writeFileSync(rolloutStateFile(outdir), formatRolloutState(state));
    context.doing(`running the synth \`${app}\` into a scratch folder`);
    const run = await runApp(app, { ...context.io.env, [ARLON_OUTDIR]: outdir, CDK8S_OUTDIR: outdir }, limits);
    if (run.status !== 0) {
      throw new RolloutRefusedError(`the synth \`${app}\` failed (${run.timedOut ? 'timed out' : `exit ${run.status ?? run.signal}`}): ${outputTail(run)}; `
        + 'nothing was changed');
    }
    // One parse per distinct file content: an unchanged file is the same object in both, which the transition check skips.
    const memo: ParseMemo = new Map();
    // the reviewed acceptances of arlon.accept.yaml count as they do for plan and check (entries for other changes are ignored here)
    const plan = computePlan(readDist(dist, undefined, memo), readDist(outdir, undefined, memo), allow, {}, acceptancesFor(dist));
    const recorded = readRolloutState(rolloutStateFile(outdir));
    const others = plan.clusters.map((c) => c.cluster).filter((c) => !stepClusters.includes(c));
    const unheld = [
      // a profile edited since the last synth: the synth records it as a new change (a new target)
      ...Object.entries(recorded?.profiles ?? {}).filter(([name, p]) => p.target !== state.profiles[name]?.target)
        .map(([name]) => `profile "${name}" differs from what dist/ holds`),
      ...(others.length > 0 ? [`cluster(s) ${others.join(', ')} would change too`] : []),
      ...plan.fleet.map((item) => `the fleet: ${item.message}`),
    ];
    if (unheld.length > 0) {
      throw new RolloutRefusedError(`the code holds changes that are not in ${dist} (${unheld.join('; ')}); run the synth, review and commit them first, `
        + 'then promote: nothing was changed');
    }
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
  /** Healthy clusters; null when health was not read. */
  readonly healthy: number | null;
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
  readonly next?: { wave: string; clusters: readonly string[]; refusals: string[]; healthRead: boolean };
}

/** What the fleet repository holding dist/ says of the commits Argo CD reports (see `clusterHealth`). */
const gitEvidence = (options: GlobalOptions) => (paths: Iterable<string>) => readReleaseEvidence(options.dist, paths);

/**
 * The clusters' health, or why it was not read: the management cluster cannot be reached (no kubeconfig, a refused or
 * timed-out connection, a TLS error), so `status` still says what git holds. Any other error (refused credentials, a
 * missing API) stops the command, as elsewhere.
 */
async function healthIfReachable(
  context: CommandContext, options: GlobalOptions, read: (client: KubeClient) => Promise<Map<string, ClusterHealth>>,
): Promise<{ health?: Map<string, ClusterHealth>; unread?: string }> {
  try {
    return { health: await context.withClient(options, read) };
  } catch (error) {
    const cause = error instanceof TargetedError ? error.cause : error;
    if (cause instanceof KubeConnectionError || cause instanceof KubeconfigError || cause instanceof KubeTlsError) {
      return { unread: `health not read: ${describeError(error).message.split('\n')[0]}` };
    }
    throw error;
  }
}

function report(progress: ProfileProgress, health: ReadonlyMap<string, ClusterHealth> | undefined, now: Date): RolloutReport {
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
      healthy: health === undefined ? null : w.clusters.filter((c) => health.get(c.name)?.healthy === true).length,
      soak: w.state.soak,
      requireApproval: w.state.requireApproval === true,
      unhealthy: Object.fromEntries(w.clusters.map((c) => health?.get(c.name))
        .filter((h): h is ClusterHealth => h?.healthy === false).map((h) => [h.cluster, h.reasons])),
    })),
    next: next === undefined ? undefined : {
      wave: next.wave.name,
      clusters: next.clusters,
      // without health, what git alone decides (paused, aborted, approval); promote reads health first
      refusals: promotionRefusals(progress, health ?? new Map(), { now, approve: false }),
      healthRead: health !== undefined,
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
    w.healthy === null ? '?' : `${w.healthy}/${w.clusters}`, w.soak ?? '-', w.requireApproval ? 'required' : '-',
  ]);
  const unhealthy = r.waves.flatMap((w) => Object.entries(w.unhealthy).map(([c, reasons]) => `  ${c}: ${reasons.join('; ')}\n`));
  const verdict = r.next === undefined ? '' : r.next.refusals.length === 0
    ? (r.next.healthRead ? ' (`arlonctl rollout promote` releases it now)\n' : ' (`arlonctl rollout promote` checks the released clusters\' health first)\n')
    : `; promote would refuse:\n${r.next.refusals.map((x) => `  - ${x}\n`).join('')}`;
  const next = r.next === undefined ? '' : `next: wave ${r.next.wave}: ${r.next.clusters.join(', ')}${verdict}`;
  return `${head}\n${table(['WAVE', 'CLUSTERS', 'AT TARGET', 'REVISIONS', 'HEALTHY', 'SOAK', 'APPROVAL'], rows)}${unhealthy.length > 0 ? `not healthy:\n${unhealthy.join('')}` : ''}${next}`;
}
