import type { IConstruct } from 'constructs';
import { revisionId, type RevisionData } from './revision-data';
import type { RolloutPolicy, Wave } from './rollout-policy';
import { formatSoak, readRolloutState, writeRolloutState, type ProfileRollout, type RolloutState, type WaveState } from './rollout-state';
import { specFromData, specToData } from './spec-data';
import { ValidationError } from '../_errors';
import { compareStrings } from '../_order';
import type { EksClusterSpecProps } from '../eks/eks-spec-props';
import { resolveEksSpec } from '../eks/resolve';

/** What the rollout decides for one cluster. */
export interface RolloutPlacement {
  readonly policy: RolloutPolicy;
  readonly wave: Wave;
  /** The revision of the profile's spec the cluster runs. */
  readonly revision: string;
  /** The spec of that revision, when it is not the code's (a wave not released yet); undefined: the code's. */
  readonly releasedSpec?: EksClusterSpecProps;
  /** That spec resolved (defaults applied), once per revision: for the clusters that override nothing. */
  readonly releasedResolution?: () => SpecResolution;
  /** The bundles of the profile at that revision, with their definitions when they are plain data. */
  readonly releasedBundles?: readonly ReleasedBundle[];
}

/** A bundle of a revision a cluster runs. */
export interface ReleasedBundle {
  readonly name: string;
  /** Its definition then (see `Bundle.revisionData()`); undefined for an inline bundle. */
  readonly definition?: Readonly<Record<string, unknown>>;
}

/** A spec with its defaults applied, and what is wrong with it. */
export type SpecResolution = ReturnType<typeof resolveEksSpec>;

/** A profile as the rollout sees it. */
export interface RolloutProfile extends IConstruct {
  readonly name: string;
  readonly spec?: { readonly props: EksClusterSpecProps };
  readonly bundles: ReadonlyArray<{ readonly name: string; revisionData(): Record<string, unknown> | undefined }>;
}

interface Track {
  readonly profile: RolloutProfile;
  readonly policy: RolloutPolicy;
  readonly data: RevisionData;
  readonly target: string;
  /** The revision each placed cluster runs, by wave name then cluster name. */
  readonly placed: Map<string, Map<string, string>>;
  /** Specs read back from the state, by revision. */
  readonly specs: Map<string, EksClusterSpecProps>;
  /** Those specs resolved, by revision. */
  readonly resolutions: Map<string, SpecResolution>;
}

/** Where the last synthesis placed a cluster (its wave and revision, as its `Cluster` in dist/ records them). */
export type PlacementReader = (cluster: string) => { readonly wave?: string; readonly revision?: string } | undefined;

/**
 * The fleet's rollouts: places each cluster of a profile that follows a rollout policy in its wave, gives it the
 * revision of the profile's spec its wave runs (from `dist.rollout.yaml`), and computes the state the synth writes back.
 *
 * A cluster's revision: the one `dist.rollout.yaml` records for the cluster (released ahead of its wave) or its wave; in
 * the policy's first wave, the code's when the code changed since the last synth (the change reaches it with its
 * commit). Nothing else releases a revision: only `arlonctl rollout promote` does. A cluster the state does not place
 * in its wave (the wave is new or renamed, the cluster was relabelled into it) keeps the revision it runs, as dist/
 * records it, until promote releases it; a state file that is lost while dist/ records revisions fails the synth with
 * the fix. A cluster new to dist/ gets its wave's revision. A cluster running a revision that was aborted follows the
 * code once the code has moved on (the revert reaches it at once).
 */
export class FleetRollout {
  private loaded?: { readonly state?: RolloutState };
  private readonly tracks = new Map<string, Track>();
  private placementsFound = 0;
  private readonly previousPlacement: PlacementReader;

  constructor(
    private readonly fleetName: string, public readonly stateFile: string, private readonly scope: IConstruct,
    previousPlacement: PlacementReader = () => undefined,
    private readonly readState: (file: string) => RolloutState | undefined = readRolloutState,
  ) {
    this.previousPlacement = (cluster) => {
      const placed = previousPlacement(cluster);
      this.placementsFound += placed === undefined ? 0 : 1;
      return placed;
    };
  }

  /**
   * What the rollout has read of the last synthesis so far: whether it found a rollout state, and how many clusters'
   * placements. `FleetTesting` uses it to refuse a fleet whose result depends on the working directory.
   */
  public get recordsRead(): { readonly state: boolean; readonly placements: number } {
    return { state: this.loaded?.state !== undefined, placements: this.placementsFound };
  }

  /** Places `cluster` (a cluster of `profile` with `labels`) in its wave of `policy`. */
  public place(
    cluster: IConstruct & { readonly name: string }, profile: RolloutProfile, policy: RolloutPolicy, labels: Readonly<Record<string, string>>,
  ): RolloutPlacement {
    const wave = policy.waveOf(labels, cluster);
    const track = this.trackOf(profile, policy);
    const previous = this.state()?.profiles[profile.name];
    const revision = this.revisionOf(cluster, wave, track, previous);
    const inWave = track.placed.get(wave.name) ?? track.placed.set(wave.name, new Map()).get(wave.name)!;
    inWave.set(cluster.name, revision);
    if (revision === track.target) {
      return { policy, wave, revision };
    }
    const releasedSpec = this.specOf(track, revision, previous, cluster);
    const releasedResolution = () => track.resolutions.get(revision)
      ?? track.resolutions.set(revision, resolveEksSpec(releasedSpec, {}, { specDescription: `profile "${profile.name}" at revision ${revision}` })).get(revision)!;
    const released = previous!.revisions[revision];
    const releasedBundles = released.bundles.map((name) => ({ name, definition: released.definitions?.[name] }));
    return { policy, wave, revision, releasedSpec, releasedResolution, releasedBundles };
  }

  /** Problems found once every cluster is placed: waves that select no cluster of the fleet. */
  public problems(): string[] {
    const policies = new Map<RolloutPolicy, Track[]>();
    for (const track of this.tracks.values()) {
      policies.set(track.policy, [...(policies.get(track.policy) ?? []), track]);
    }
    return [...policies].flatMap(([policy, tracks]) => policy.waves
      .filter((wave) => tracks.every((t) => (t.placed.get(wave.name)?.size ?? 0) === 0))
      .map((wave) => `wave "${wave.name}" of rollout policy "${policy.node.path}" selects no cluster of the profiles that follow it `
        + `(${tracks.map((t) => t.profile.name).sort().join(', ')}); fix its \`matchLabels\`, or remove the wave`));
  }

  /** The state the synth writes: each profile's target, the revision of each wave, and the specs still run. */
  public nextState(): RolloutState | undefined {
    if (this.tracks.size === 0 && this.state() === undefined) {
      return undefined;
    }
    const profiles: Record<string, ProfileRollout> = {};
    for (const track of [...this.tracks.values()].sort((a, b) => compareStrings(a.profile.name, b.profile.name))) {
      profiles[track.profile.name] = this.profileState(track, this.state()?.profiles[track.profile.name]);
    }
    return { fleet: this.fleetName, profiles };
  }

  /**
   * What the synth tells about each profile whose code changed since the last synth: which wave the change reaches
   * now, whether it supersedes a rollout in progress, and what carries it on.
   */
  public notices(): string[] {
    return [...this.tracks.values()].sort((a, b) => compareStrings(a.profile.name, b.profile.name)).flatMap((track) => {
      const previous = this.state()?.profiles[track.profile.name];
      if (previous === undefined || previous.target === track.target) {
        return [];
      }
      const name = track.profile.name;
      const reached = [...track.placed].filter(([, clusters]) => [...clusters.values()].includes(track.target)).map(([wave]) => wave);
      const now = reached.length === 0 ? 'reaches no cluster yet (its first wave is released in steps)' : `reaches wave ${reached.join(', ')} with this commit`;
      const unfinished = previous.waves.some((w) => w.clusters > 0 && (w.revision !== previous.target || w.released !== undefined));
      const superseded = previous.aborted === previous.target
        ? `; the clusters that ran aborted revision ${previous.target} follow it at once`
        : unfinished ? `; it supersedes the rollout of revision ${previous.target}, whose released clusters keep it until this one reaches them` : '';
      return [`profile "${name}": revision ${track.target} ${now}${superseded}${heldBack(track)}; \`arlonctl rollout promote ${name}\` releases the `
        + 'next wave once the released clusters are healthy'];
    });
  }

  /** Writes `dist.rollout.yaml` when the state changed; returns whether it wrote. */
  public write(): boolean {
    const next = this.nextState();
    return next === undefined ? false : writeRolloutState(this.stateFile, next);
  }

  private profileState(track: Track, previous: ProfileRollout | undefined): ProfileRollout {
    const waves: WaveState[] = track.policy.waves.map((wave) => {
      const placed = track.placed.get(wave.name) ?? new Map<string, string>();
      const revision = this.waveRevision(wave, track, previous);
      const ahead = [...placed].filter(([, r]) => r !== revision).sort(([a], [b]) => compareStrings(a, b));
      return {
        name: wave.name,
        ...(wave.matchLabels === undefined ? {} : { matchLabels: wave.matchLabels }),
        clusters: placed.size,
        ...(wave.maxClusters === undefined ? {} : { maxClusters: wave.maxClusters }),
        ...(wave.soakSeconds > 0 ? { soak: formatSoak(wave.soakSeconds) } : {}),
        ...(wave.requireApproval ? { requireApproval: true } : {}),
        revision,
        ...(ahead.length === 0 ? {} : { released: Object.fromEntries(ahead) }),
      };
    });
    const used = new Set([track.target, ...waves.flatMap((w) => [w.revision, ...Object.values(w.released ?? {})])]);
    const revisions: Record<string, RevisionData> = {};
    for (const revision of [...used].sort()) {
      revisions[revision] = revision === track.target ? track.data : previous!.revisions[revision];
    }
    const approvals = (previous?.approvals ?? []).filter((a) => a.revision === track.target);
    return {
      target: track.target,
      waves,
      ...(previous?.paused === true ? { paused: true } : {}),
      ...(previous?.aborted === track.target ? { aborted: track.target } : {}),
      revisions,
      ...(approvals.length === 0 ? {} : { approvals }),
    };
  }

  /**
   * The revision of `cluster`: in the first wave when the code changed, the code's; else the one the state records
   * for it (released ahead of its wave) or for its wave, when the state places it there; else the one it runs.
   */
  private revisionOf(cluster: IConstruct & { readonly name: string }, wave: Wave, track: Track, previous: ProfileRollout | undefined): string {
    const ofWave = this.waveRevision(wave, track, previous);
    const placed = this.previousPlacement(cluster.name);
    if (previous === undefined) {
      if (placed?.revision !== undefined && placed.revision !== track.target) {
        throw new ValidationError(`runs revision ${placed.revision} of profile "${track.profile.name}" (its Cluster in dist/ says so), but ${this.stateFile} `
          + 'holds no rollout of the profile, so the synth would release the code\'s revision to it without `arlonctl rollout promote`; restore '
          + `the file from git (\`git checkout ${this.stateFile.slice(this.stateFile.lastIndexOf('/') + 1)}\`)`, cluster);
      }
      return ofWave;
    }
    if (this.isFirstStep(wave, track, previous)) {
      return ofWave;
    }
    const recorded = previous.waves.find((w) => w.name === wave.name);
    const ahead = recorded?.released?.[cluster.name];
    if (ahead !== undefined) {
      return this.followingAbort(ahead, track, previous);
    }
    if (placed?.revision !== undefined && (recorded === undefined || placed.wave !== wave.name)) {
      // A wave the state does not record (new, renamed), or a cluster relabelled into this wave: it keeps what it runs.
      if (previous.revisions[placed.revision] === undefined) {
        throw new ValidationError(`runs revision ${placed.revision} of profile "${track.profile.name}" (its Cluster in dist/ says so), which ${this.stateFile} `
          + `no longer holds, and wave "${wave.name}" ${recorded === undefined ? 'is not recorded there' : 'is not the one it ran in'}; restore the file `
          + 'from git, or put the wave (or the cluster\'s labels) back, finish the rollout, then change them', cluster);
      }
      return this.followingAbort(placed.revision, track, previous);
    }
    return ofWave;
  }

  /**
   * The revision `wave` runs: the code's when nothing is recorded for it (a new profile, policy or wave), or when the
   * code changed since the last synth and it is the profile's first wave; else the recorded one.
   */
  private waveRevision(wave: Wave, track: Track, previous: ProfileRollout | undefined): string {
    const recorded = previous?.waves.find((w) => w.name === wave.name)?.revision;
    if (previous === undefined || recorded === undefined || this.isFirstStep(wave, track, previous)) {
      return track.target;
    }
    return this.followingAbort(recorded, track, previous);
  }

  /**
   * Whether the code changed since the last synth and `wave` is the policy's first wave. That synth releases the change
   * to it, unless the wave is released in steps (`maxClusters`: `promote` releases the first); when the first wave holds
   * no cluster of the profile, the change reaches none, and `promote` releases the next wave under that wave's gates.
   * Later synths keep what `dist.rollout.yaml` records, so a change of clusters, labels or waves never releases
   * anything by itself.
   */
  private isFirstStep(wave: Wave, track: Track, previous: ProfileRollout): boolean {
    if (previous.target === track.target || wave.maxClusters !== undefined) {
      return false;
    }
    return wave.name === track.policy.waves[0].name;
  }

  /** `revision`, unless it was aborted and the code has moved on: then the code's. */
  private followingAbort(revision: string, track: Track, previous: ProfileRollout | undefined): string {
    return previous?.aborted === revision && revision !== track.target ? track.target : revision;
  }

  private specOf(track: Track, revision: string, previous: ProfileRollout | undefined, cluster: IConstruct): EksClusterSpecProps {
    const known = track.specs.get(revision);
    if (known !== undefined) {
      return known;
    }
    const data = previous?.revisions[revision]?.spec;
    if (data === undefined) {
      throw new ValidationError(`${this.stateFile} says this cluster runs revision ${revision} of profile "${track.profile.name}", but holds no spec for it; `
        + 'restore the file from git', cluster);
    }
    let spec: EksClusterSpecProps;
    try {
      spec = specFromData(data, track.profile.spec!.props);
    } catch (e) {
      throw new ValidationError(`${this.stateFile}: revision ${revision} of profile "${track.profile.name}" cannot be read: ${(e as Error).message}; `
        + 'restore the file from git', cluster);
    }
    track.specs.set(revision, spec);
    return spec;
  }

  private trackOf(profile: RolloutProfile, policy: RolloutPolicy): Track {
    const known = this.tracks.get(profile.name);
    if (known !== undefined) {
      return known;
    }
    let spec: RevisionData['spec'];
    try {
      spec = specToData(profile.spec!.props);
    } catch (e) {
      throw new ValidationError(`follows rollout policy "${policy.node.path}", whose state file must record its spec, but ${(e as Error).message}`, profile);
    }
    const definitions = Object.fromEntries(profile.bundles.map((b) => [b.name, b.revisionData()]).filter(([, d]) => d !== undefined));
    const data: RevisionData = {
      spec,
      bundles: profile.bundles.map((b) => b.name),
      ...(Object.keys(definitions).length === 0 ? {} : { definitions: definitions as RevisionData['definitions'] }),
    };
    const track: Track = { profile, policy, data, target: revisionId(data), placed: new Map(), specs: new Map(), resolutions: new Map() };
    this.tracks.set(profile.name, track);
    return track;
  }

  private state(): RolloutState | undefined {
    if (this.loaded === undefined) {
      let state: RolloutState | undefined;
      try {
        state = this.readState(this.stateFile);
      } catch (e) {
        throw new ValidationError((e as Error).message, this.scope);
      }
      if (state !== undefined && state.fleet !== this.fleetName) {
        throw new ValidationError(`${this.stateFile} is the rollout state of fleet "${state.fleet}", not of "${this.fleetName}"; `
          + 'each fleet keeps its own beside its dist/ folder', this.scope);
      }
      this.loaded = { state };
    }
    return this.loaded.state;
  }
}

/** `; held back: wave prod: prod-a, prod-b (at <revision>)`, the clusters of each wave that do not run the target yet. */
function heldBack(track: Track): string {
  const waves = [...track.placed].map(([wave, clusters]) => {
    const held = [...clusters].filter(([, revision]) => revision !== track.target).sort(([a], [b]) => compareStrings(a, b));
    if (held.length === 0) {
      return undefined;
    }
    const names = held.slice(0, 10).map(([c]) => c).join(', ') + (held.length > 10 ? ` and ${held.length - 10} more` : '');
    return `wave ${wave}: ${names} (at ${[...new Set(held.map(([, r]) => r))].sort().join(', ')})`;
  }).filter((w): w is string => w !== undefined);
  return waves.length === 0 ? '' : `; held back: ${waves.join('; ')}`;
}
