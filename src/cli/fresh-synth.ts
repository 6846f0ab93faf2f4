import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { outputTail, runApp, type AppLimits } from './app-run';
import { ARLON_DIGESTS, ARLON_OUTDIR } from '../fleet/outdir-variable';
import { readFiles } from '../operations/dist-fleet';
import { staleFiles, type StaleFile } from '../operations/dist-freshness';
import { changedSince, locateInRepository } from '../operations/git-dist';
import { readDigests } from '../output/digests';
import { GENERATED_HEADER } from '../output/generated-header';
import { lastWritten } from '../output/render-cache';
import { rolloutStateFile } from '../rollout/rollout-state';

/**
 * The synth `check` and `plan` run: the fleet's app, writing into a scratch folder (ARLON_OUTDIR, which wins over the
 * program's `outdir`), in the background. dist/ itself is never written.
 */
export interface StartedSynth {
  /** Stops the synth (and every process it started) and removes its output. */
  stop(): Promise<void>;
  /** Waits for the synth: what it wrote, or why it failed. Call `cleanup` once done with its output. */
  finished(): Promise<FreshSynth>;
  /** Removes the scratch folder. */
  cleanup(): void;
}

/** What a finished synth left in its scratch folder, or the line saying why it failed. */
export type FreshSynth =
  | { readonly failure: string }
  | {
    readonly failure?: undefined;
    readonly outdir: string;
    readonly rolloutState: { readonly committed: string; readonly fresh: string };
    /** The file the synth was asked to write the digests of its files into, instead of the files (see `startSynth`). */
    readonly digests?: string;
  };

/**
 * Starts `app` synthesizing the fleet of `dist` into a scratch folder, with the environment `env` (the command's,
 * `context.io.env`: the process's for the binary) and the output folder variables. With `digestsOnly` (for a
 * comparison with dist/), the synth writes the digests of its files instead of the files, when its cdk8s-arlon knows
 * how (`ARLON_DIGESTS`); one that does not writes the files as before.
 */
export function startSynth(app: string, dist: string, env: NodeJS.ProcessEnv, limits: AppLimits, digestsOnly = false): StartedSynth {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'arlonctl-synth-'));
  // a folder inside the scratch one, so that what a synth keeps beside its output (lock, render cache) goes with it
  const outdir = path.join(scratch, 'dist');
  const digests = digestsOnly ? path.join(scratch, 'digests.json') : undefined;
  // the synth reads the rollout state beside its output, and writes it back
  const rolloutState = { committed: rolloutStateFile(dist), fresh: rolloutStateFile(outdir) };
  if (fs.existsSync(rolloutState.committed)) {
    fs.copyFileSync(rolloutState.committed, rolloutState.fresh);
  }
  const stopped = new AbortController();
  const forward = () => stopped.abort();
  limits.signal.addEventListener('abort', forward, { once: true });
  const { [ARLON_DIGESTS]: _ignored, ...inherited } = env;
  const outputs = { [ARLON_OUTDIR]: outdir, CDK8S_OUTDIR: outdir, ...(digests === undefined ? {} : { [ARLON_DIGESTS]: digests }) };
  const running = runApp(app, { ...inherited, ...outputs }, { ...limits, signal: stopped.signal });
  const wait = async () => {
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
      await wait();
      cleanup();
    },
    finished: async () => {
      const run = await wait();
      if (run.timedOut) {
        return {
          failure: `synth failed: \`${app}\` did not finish within --app-timeout ${limits.timeout} and was stopped; find out where it waits `
            + '(input, the network, a lock), or allow more time with --app-timeout',
        };
      }
      if (run.status !== 0) {
        const tail = outputTail(run);
        return { failure: `synth failed: \`${app}\` exited with ${run.status ?? run.signal}${tail === '' ? ' and printed nothing' : `: ${tail}`}` };
      }
      return { outdir, rolloutState, ...(digests === undefined ? {} : { digests }) };
    },
    cleanup,
  };
}

/** How dist/ compares with a fresh synth. */
export interface Freshness {
  /** What the fresh synth wrote, by path inside its folder: each file's content, or its digest when `digests` says so. */
  readonly fresh: ReadonlyMap<string, string>;
  /** Whether `fresh` holds digests (`contentDigest`) rather than content. */
  readonly digests: boolean;
  /** Generated files in which dist/ and the fresh synth differ, each stale or hand-edited. */
  readonly stale: readonly StaleFile[];
  /** The line for the rollout state beside dist/ when it is not what the synth writes. */
  readonly staleRolloutState?: string;
}

/**
 * Compares `all` (the files of `dist`, as read) with the fresh synth: generated files only (those without the header
 * are the plan's `not-generated` rule). Hand edits are told from stale files by the digests the last synth into `dist`
 * recorded (the render cache beside it) and by git.
 */
export function freshness(synth: Extract<FreshSynth, { outdir: string }>, dist: string, all: ReadonlyMap<string, string>): Freshness {
  const digests = synth.digests === undefined ? undefined : readDigests(synth.digests);
  const fresh = digests ?? readFiles(synth.outdir);
  const generated = new Map([...all].filter(([, text]) => text.startsWith(GENERATED_HEADER)));
  const written = lastWritten(dist);
  const stale = staleFiles(fresh, generated, written, written === undefined ? () => false : uncommittedIn(dist), digests !== undefined);
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  const name = path.basename(synth.rolloutState.committed);
  return {
    fresh,
    digests: digests !== undefined,
    stale,
    ...(read(synth.rolloutState.fresh) === read(synth.rolloutState.committed) ? {} : {
      staleRolloutState: `stale: ${name} (beside ${dist}) differs from what a fresh synth writes; run the synth and commit ${name} with ${dist}`,
    }),
  };
}

/** Whether a file of `dist` differs from HEAD (every file does when there is no HEAD yet, or no repository). */
function uncommittedIn(dist: string): (file: string) => boolean {
  try {
    const { root, inside } = locateInRepository(dist);
    const changed = changedSince(root, 'HEAD', inside);
    return (file) => changed.has(file);
  } catch {
    return () => true;
  }
}
