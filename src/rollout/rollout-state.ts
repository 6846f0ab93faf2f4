import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import type { RevisionData } from './revision-data';
import { isPlainObject } from '../_json';

/**
 * `dist.rollout.yaml`, beside `dist/`: for each profile that follows a rollout policy, the revision of its spec in the
 * code (`target`), the revision each wave runs, clusters released ahead of their wave, and the spec of every revision
 * a cluster still runs. Synth records a change (the new target, released to the first wave); `arlonctl rollout`
 * records the releases after it, and pauses and aborts. Deterministic, so that it is reviewed and committed with
 * `dist/`.
 */
export interface RolloutState {
  readonly fleet: string;
  readonly profiles: Readonly<Record<string, ProfileRollout>>;
}

/** One profile's rollout. */
export interface ProfileRollout {
  /** The revision of the profile's spec in the code. */
  readonly target: string;
  /** The policy's waves, in order, with the revision each runs. */
  readonly waves: readonly WaveState[];
  /** Set by `arlonctl rollout pause`: `promote` refuses until `resume`. */
  readonly paused?: boolean;
  /** Set by `arlonctl rollout abort`: the revision given up on; the next change of the profile reaches its clusters at once. */
  readonly aborted?: string;
  /** Each revision a wave or cluster runs (its spec, and its bundles), by revision. */
  readonly revisions: Readonly<Record<string, RevisionData>>;
  /** Who let a step of the target's rollout past a gate, and when (`promote --approve`, `--skip-soak`); kept until the next change. */
  readonly approvals?: readonly Approval[];
}

/** A person's decision to release a wave past one of its gates, recorded by `arlonctl rollout promote`. */
export interface Approval {
  readonly wave: string;
  readonly revision: string;
  /** `approval` (the wave's `requireApproval`) or `soak` (the released clusters' soak, cut short). */
  readonly gate: 'approval' | 'soak';
  /** Git's identity of who ran it: `Name <email>`. */
  readonly by: string;
  /** When, in ISO 8601 (UTC). */
  readonly at: string;
}

/** One wave of a profile's rollout. */
export interface WaveState {
  readonly name: string;
  /** The labels that select the wave's clusters (absent: the rest), as the policy says. */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** How many of the profile's clusters the wave holds. */
  readonly clusters: number;
  readonly maxClusters?: number;
  /** Soak time, e.g. `2h` (absent: none). */
  readonly soak?: string;
  readonly requireApproval?: boolean;
  /** The revision the wave's clusters run. */
  readonly revision: string;
  /** Clusters of the wave released ahead of it (a wave released in steps of `maxClusters`), with their revision. */
  readonly released?: Readonly<Record<string, string>>;
}

/** The state file of the fleet whose `dist/` is `outdir`: beside it, named after it (`dist.rollout.yaml`). */
export function rolloutStateFile(outdir: string): string {
  return `${path.resolve(outdir)}.rollout.yaml`;
}

const HEADER = '# The rollout state of the fleet: which revision of each profile (its spec, and which bundles it installs) each wave runs.\n'
  + '# Written by the synth (a change and its first wave) and by `arlonctl rollout` (the next waves); commit it with dist/.\n';

/** The state in `file`, or undefined when there is none. Throws with the file and the field when it is malformed. */
export function readRolloutState(file: string): RolloutState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
  return parseRolloutState(text, file);
}

/** The state a state file's text holds; `file` names it in errors. */
export function parseRolloutState(text: string, file: string): RolloutState {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (e) {
    throw new Error(`${file} is not YAML: ${(e as Error).message}; restore it from git (\`git checkout ${path.basename(file)}\`)`);
  }
  const problem = stateProblem(parsed);
  if (problem !== undefined) {
    throw new Error(`${file}: ${problem}; restore it from git (\`git checkout ${path.basename(file)}\`), or fix it by hand`);
  }
  return parsed as RolloutState;
}

/** `state` as the file holds it. */
export function formatRolloutState(state: RolloutState): string {
  return HEADER + YAML.stringify(state, { sortMapEntries: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/** Writes `state` to `file` (replacing it whole), unless the file already says exactly that. Returns whether it wrote. */
export function writeRolloutState(file: string, state: RolloutState): boolean {
  const text = formatRolloutState(state);
  try {
    if (fs.readFileSync(file, 'utf8') === text) {
      return false;
    }
  } catch {
    // absent: written below
  }
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
  return true;
}

/** A soak time as the state file writes it: seconds as the largest whole unit, `90s`, `15m`, `2h`. */
export function formatSoak(seconds: number): string {
  if (seconds % 3600 === 0) {
    return `${seconds / 3600}h`;
  }
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** A soak time of the state file (`formatSoak`) as seconds; 0 when absent. */
export function parseSoak(soak: string | undefined): number {
  const match = /^(\d+)(s|m|h)$/.exec(soak ?? '');
  return match === null ? 0 : Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
}

const REVISION = /^[0-9a-f]{12}$/;

function isRevision(value: unknown): boolean {
  return isPlainObject(value) && isPlainObject(value.spec) && Array.isArray(value.bundles) && value.bundles.every((b) => typeof b === 'string');
}

function stateProblem(value: unknown): string | undefined {
  if (!isPlainObject(value) || typeof value.fleet !== 'string' || !isPlainObject(value.profiles)) {
    return 'expected `fleet: <name>` and `profiles: { <profile>: ... }`';
  }
  for (const [name, profile] of Object.entries(value.profiles)) {
    const at = `profiles.${name}`;
    if (!isPlainObject(profile) || typeof profile.target !== 'string' || !REVISION.test(profile.target)
      || !Array.isArray(profile.waves) || !isPlainObject(profile.revisions)) {
      return `${at} needs \`target\` (a revision: 12 hex digits), \`waves\` (a list) and \`revisions\``;
    }
    const revisions = profile.revisions;
    const approvals = profile.approvals;
    if (approvals !== undefined && (!Array.isArray(approvals) || !approvals.every((a) => isPlainObject(a) && ['wave', 'revision', 'by', 'at']
      .every((k) => typeof a[k] === 'string') && (a.gate === 'approval' || a.gate === 'soak')))) {
      return `${at}.approvals must list \`{ wave, revision, gate: approval | soak, by, at }\``;
    }
    for (const [i, wave] of profile.waves.entries()) {
      if (!isPlainObject(wave) || typeof wave.name !== 'string' || typeof wave.revision !== 'string') {
        return `${at}.waves[${i}] needs \`name\` and \`revision\``;
      }
      const used = [wave.revision, ...Object.values(isPlainObject(wave.released) ? wave.released : {})];
      const missing = [profile.target, ...used].find((r) => typeof r !== 'string' || !isRevision(revisions[r]));
      if (missing !== undefined) {
        return `${at}.waves[${i}] (${wave.name}) runs (or targets) revision "${String(missing)}", which \`${at}.revisions\` does not hold`;
      }
    }
  }
  return undefined;
}
