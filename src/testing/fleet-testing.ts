import * as fs from 'fs';
import { resolve as resolvePath } from 'path';
import type { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { matchPattern, type MatchFailure } from './match';
import { Cluster } from '../fleet/cluster';
import { ExternalCluster } from '../fleet/external-cluster';
import type { Fleet } from '../fleet/fleet';
import { Labels } from '../fleet/labels';
import type { KubeObject } from '../kube/types';
import { readDistFiles, type DistBundle, type DistCluster, type DistFleet } from '../operations/dist-fleet';
import { expandForCluster } from '../operations/transitions/expand-application-set';
import { DistLayout } from '../output/layout';
import { previousPlacements } from '../output/previous-placements';
import { withRolloutInputs } from '../rollout/rollout-inputs';
import { parseRolloutState, type RolloutState } from '../rollout/rollout-state';
import { Warnings, type FleetWarning } from '../warnings';

/** Options of `FleetTesting.synth`. */
export interface FleetTestingOptions {
  /**
   * What the last synthesis recorded of the fleet's rollouts, for a fleet whose profiles follow a rollout policy: the
   * path of a `dist.rollout.yaml` (the placements recorded in the `dist/` folder beside it are read too, as a synth
   * reads them), or the state itself. Needs the fleet as a function that builds it (`FleetTesting.synth(() =>
   * buildFleet(), { rolloutState })`), since a fleet reads its rollout state while it is built.
   *
   * @default - none: every wave runs the code's revision, as on a fleet's first synth, wherever the test runs
   */
  readonly rolloutState?: string | RolloutState;
}

/**
 * A fleet synthesized in memory, read back the way `arlonctl` and Argo CD read `dist/`: for tests in a fleet
 * repository. Nothing is written to disk.
 *
 * @example
 *   const synthesized = FleetTesting.synth(() => buildFleet());
 *   expect(synthesized.clustersWithBundle('wordpress')).toEqual(['dev-euw1', 'dev-use1']);
 *   synthesized.cluster('prod-use1').hasObject('AWSManagedControlPlane', { spec: { version: 'v1.33' } });
 *   expect(synthesized.clusterSnapshot('prod-use1')).toMatchSnapshot();
 */
export class SynthesizedFleet {
  /** Every file of `dist/`, by path inside it, as the synth writes it. */
  public readonly files: ReadonlyMap<string, string>;
  /**
   * The warnings the synth prints (see `Warnings`): valid but suspicious input, such as an instance type accepted
   * through `unlistedInstanceTypes`, each with the path of its construct, in construct tree order.
   */
  public readonly warnings: readonly FleetWarning[];
  private readonly read: DistFleet;
  private readonly constructs: ReadonlyArray<Cluster | ExternalCluster>;

  /** @internal */
  constructor(files: ReadonlyMap<string, string>, where: string, warnings: readonly FleetWarning[] = [], fleet?: Fleet) {
    this.files = files;
    this.warnings = warnings;
    this.read = readDistFiles(files, where);
    this.constructs = fleet === undefined ? []
      : fleet.node.findAll().filter((c): c is Cluster | ExternalCluster => c instanceof Cluster || c instanceof ExternalCluster);
  }

  /** The warnings' messages about the construct at `path` (e.g. `prod-use1`, `Spec`), or about every construct when it is left out. */
  public warningsAt(path?: string): string[] {
    return this.warnings.filter((w) => path === undefined || w.path === path).map((w) => w.message);
  }

  /** The fleet's clusters (external ones included), by name. */
  public get clusters(): readonly DistCluster[] {
    return this.read.clusters;
  }

  /** The fleet's bundles, by name. */
  public get bundles(): readonly DistBundle[] {
    return this.read.bundles;
  }

  /**
   * One cluster, by its name in the fleet: its profiles, labels, region, versions, node pools and bundles, and
   * assertions on its own objects (`hasObject`, `objectCountIs`), its bundle Applications (`hasApplication`), its
   * warnings and its snapshot.
   */
  public cluster(name: string): SynthesizedCluster {
    const read = this.named('cluster', this.read.clusters, name);
    return new SynthesizedCluster(read, this.clusterFiles(read), this.warningsOfCluster(name));
  }

  /**
   * The files of one cluster only, for a snapshot test: its Cluster API objects, its own Helm values, and the
   * Applications Argo CD generates for it from the bundles' ApplicationSets (as `applications/Application.<name>.yaml`).
   * A change to a profile shows once in the snapshot of each cluster it reaches; see `sharedSnapshot()` for the rest.
   */
  public clusterSnapshot(name: string): Record<string, string> {
    return this.cluster(name).snapshot();
  }

  /**
   * The files that belong to no one cluster, for a snapshot test beside the clusters' (`clusterSnapshot`): the fleet's
   * and management cluster's objects, the shards' Applications and the clusters' ApplicationSets. The bundles'
   * ApplicationSets and the clusters' folders and values are left out: what they give each cluster is in its snapshot.
   */
  public sharedSnapshot(): Record<string, string> {
    const own = new Set(this.read.clusters.flatMap((c) => [...this.clusterFiles(c).keys()]));
    return sortedRecord([...this.files].filter(([file]) => !own.has(file) && !this.isBundleApplicationSet(file)));
  }

  /** One bundle: its source, version, namespace, the clusters it goes to and their own values. */
  public bundle(name: string): DistBundle {
    return this.named('bundle', this.read.bundles, name);
  }

  /** The clusters Argo CD installs `bundle` on: those its ApplicationSets generate an Application for, sorted. */
  public clustersWithBundle(bundle: string): string[] {
    return [...this.bundle(bundle).clusters];
  }

  /** The Kubernetes version the cluster's control plane asks EKS for (e.g. `v1.33`); undefined for an external cluster. */
  public controlPlaneVersion(cluster: string): string | undefined {
    return this.cluster(cluster).kubernetesVersion;
  }

  /** The objects of one folder of `dist/` (e.g. `clusters/dev-use1`, `argocd`), sorted by file. */
  public objectsIn(folder: string): KubeObject[] {
    return [...this.read.objects].filter(([file]) => file.slice(0, file.lastIndexOf('/')) === folder)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, obj]) => obj);
  }

  /** The objects Cluster API reads for one cluster (its folder of `dist/`). */
  public clusterObjects(cluster: string): KubeObject[] {
    this.cluster(cluster);
    return this.objectsIn(DistLayout.clusterDir(cluster));
  }

  /** The one object of `kind` named `name` anywhere in `dist/`. */
  public object(kind: string, name: string): KubeObject {
    const found = [...this.read.objects.values()].filter((o) => o.kind === kind && o.metadata.name === name);
    if (found.length !== 1) {
      throw new Error(`${found.length === 0 ? 'no' : found.length} ${kind} named "${name}" in the synthesized fleet; `
        + `${kind}s there: ${[...this.read.objects.values()].filter((o) => o.kind === kind).map((o) => o.metadata.name).sort().join(', ') || 'none'}`);
    }
    return found[0];
  }

  /**
   * The files as one plain object with sorted keys, for a snapshot test (`expect(...).toMatchSnapshot()`). A change
   * to a profile shows in every file it touches; `clusterSnapshot` and `sharedSnapshot` split it so it shows once.
   */
  public snapshot(): Record<string, string> {
    return sortedRecord([...this.files]);
  }

  /** The files of `cluster` (see `clusterSnapshot`), sorted by path. */
  private clusterFiles(cluster: DistCluster): Map<string, string> {
    const folder = `${DistLayout.clusterDir(cluster.name)}/`;
    const files = [...this.files].filter(([file]) => file.startsWith(folder)
      || (file.startsWith('bundles/') && file.endsWith(`/values/${cluster.name}.yaml`)));
    for (const app of this.applicationsOf(cluster.name)) {
      files.push([`applications/Application.${app.metadata.name}.yaml`, YAML.stringify(app, { sortMapEntries: true })]);
    }
    return new Map(files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** The Applications the bundles' ApplicationSets generate for `cluster`, sorted by name. */
  private applicationsOf(cluster: string): KubeObject[] {
    return [...this.read.objects].filter(([file]) => this.isBundleApplicationSet(file))
      .flatMap(([, appSet]) => expandForCluster(appSet, cluster).map((e) => e.application))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  }

  private isBundleApplicationSet(file: string): boolean {
    const obj = this.read.objects.get(file);
    return obj?.kind === 'ApplicationSet' && obj.metadata.labels?.[Labels.BUNDLE] !== undefined;
  }

  /** The warnings about the cluster, its profiles and their specs (and the constructs under them). */
  private warningsOfCluster(name: string): FleetWarning[] {
    const construct = this.constructs.find((c) => c.name === name);
    if (construct === undefined) {
      return [];
    }
    const scopes: IConstruct[] = [construct, ...construct.profiles, ...construct.profiles.flatMap((p) => (p.spec === undefined ? [] : [p.spec]))];
    const paths = scopes.map((c) => c.node.path);
    return this.warnings.filter((w) => paths.some((p) => w.path === p || w.path.startsWith(`${p}/`)));
  }

  private named<T extends { readonly name: string }>(what: string, all: readonly T[], name: string): T {
    const found = all.find((item) => item.name === name);
    if (found === undefined) {
      throw new Error(`no ${what} named "${name}" in the synthesized fleet; its ${what}s: ${all.map((item) => item.name).join(', ') || 'none'}`);
    }
    return found;
  }
}

/** Test helpers for fleets, in the manner of cdk8s' `Testing`. */
export class FleetTesting {
  /**
   * Synthesizes `fleet` in memory, running every validation a synth runs (a fleet that would not synthesize throws the
   * same error), and reads the result back.
   *
   * Give the function that builds the fleet: it is built with the rollout state of `options` (by default none), never
   * with the `dist.rollout.yaml` of the working directory, so the result is the same wherever the test runs. A fleet
   * given already built is accepted when it read no rollout state and no placements while it was built, and refused
   * with the fix when it did.
   */
  public static synth(fleet: Fleet | (() => Fleet), options: FleetTestingOptions = {}): SynthesizedFleet {
    const built = typeof fleet === 'function' ? withRolloutInputs(rolloutInputs(options.rolloutState), fleet) : fleet;
    if (typeof fleet !== 'function') {
      refuseUnscoped(built, options);
    }
    const files = built.renderFiles();
    return new SynthesizedFleet(files, `the synthesized fleet "${built.name}"`, Warnings.collect(built), built);
  }

  /**
   * The warnings synthesizing `fleet` prints (see `Warnings`), after running every validation a synth runs; nothing is
   * written. The same as `FleetTesting.synth(fleet).warnings`, without reading the output back.
   */
  public static warnings(fleet: Fleet): FleetWarning[] {
    fleet.renderFiles();
    return Warnings.collect(fleet);
  }
}

/** One cluster of a `SynthesizedFleet`, as read back from it, with assertions on its own objects and Applications. */
export class SynthesizedCluster implements DistCluster {
  public readonly name!: string;
  public readonly external!: boolean;
  public readonly retired!: boolean;
  public readonly profiles!: readonly string[];
  public readonly overrides!: readonly string[];
  public readonly labels!: Readonly<Record<string, string>>;
  public readonly naming!: DistCluster['naming'];
  public readonly argocdName!: string;
  public readonly namespace?: string;
  public readonly capiName?: string;
  public readonly controlPlaneName?: string;
  public readonly region?: string;
  public readonly eksClusterName?: string;
  public readonly kubernetesVersion?: string;
  public readonly nodePools!: DistCluster['nodePools'];
  public readonly bundles!: readonly string[];
  public readonly rolloutWave?: string;
  public readonly specRevision?: string;

  /** @internal */
  constructor(read: DistCluster, files: ReadonlyMap<string, string>, warnings: readonly FleetWarning[]) {
    Object.assign(this, read);
    // Not enumerable, so the cluster still compares equal to what `clusters` reads back.
    Object.defineProperty(this, CONTEXT, { value: { files, warnings } });
  }

  /** Its objects Cluster API reads (its folder of `dist/`), sorted by file; none for an external cluster. */
  public get objects(): KubeObject[] {
    return [...this.context.files].filter(([file]) => file.startsWith('clusters/')).map(([, text]) => YAML.parse(text) as KubeObject);
  }

  /**
   * The Applications Argo CD generates for it from the bundles' ApplicationSets (one per bundle it installs), sorted
   * by name, as the ApplicationSet controller renders them.
   */
  public get applications(): KubeObject[] {
    return [...this.context.files].filter(([file]) => file.startsWith('applications/')).map(([, text]) => YAML.parse(text) as KubeObject);
  }

  /**
   * The warnings about it (see `Warnings`): those about the cluster, its profiles and their specs, and the constructs
   * under them.
   */
  public get warnings(): FleetWarning[] {
    return [...this.context.warnings];
  }

  /** Its objects of `kind` that match `pattern` (see `Match`; a plain object matches as `Match.objectLike`), or all of them. */
  public findObjects(kind: string, pattern?: unknown): KubeObject[] {
    return this.objects.filter((o) => o.kind === kind && (pattern === undefined || matchPattern(pattern, o).length === 0));
  }

  /**
   * Asserts that it has an object of `kind` matching `pattern` (a plain object matches as `Match.objectLike`). Throws
   * otherwise, with the closest object of the kind and the path of each difference.
   */
  public hasObject(kind: string, pattern: unknown): void {
    assertSome(`cluster "${this.name}"`, kind, this.objects.filter((o) => o.kind === kind), pattern);
  }

  /** Asserts that it has exactly `count` objects of `kind`. */
  public objectCountIs(kind: string, count: number): void {
    const found = this.objects.filter((o) => o.kind === kind);
    if (found.length !== count) {
      throw new Error(`cluster "${this.name}" has ${found.length} ${kind} (expected ${count})`
        + `${found.length === 0 ? '' : `: ${found.map((o) => o.metadata.name).join(', ')}`}; its kinds: ${kindCounts(this.objects)}`);
    }
  }

  /** The Application Argo CD generates for it from `bundle`. Throws when it does not install the bundle, with those it does. */
  public application(bundle: string): KubeObject {
    const found = this.applications.find((a) => a.metadata.labels?.[Labels.BUNDLE] === bundle);
    if (found === undefined) {
      throw new Error(`cluster "${this.name}" gets no Application of bundle "${bundle}"; its bundles: ${this.bundleNames().join(', ') || 'none'}`);
    }
    return found;
  }

  /**
   * Asserts that Argo CD generates an Application of `bundle` for it, matching `pattern` (a plain object matches as
   * `Match.objectLike`). Throws otherwise, with the Application and the path of each difference.
   */
  public hasApplication(bundle: string, pattern: unknown): void {
    assertSome(`cluster "${this.name}"`, `Application of bundle "${bundle}"`, [this.application(bundle)], pattern);
  }

  /**
   * Its files only, as one plain object with sorted keys, for a snapshot test: its Cluster API objects, its own Helm
   * values, and its bundle Applications (see `SynthesizedFleet.clusterSnapshot`).
   */
  public snapshot(): Record<string, string> {
    return sortedRecord([...this.context.files]);
  }

  private bundleNames(): string[] {
    return this.applications.map((a) => a.metadata.labels?.[Labels.BUNDLE] ?? a.metadata.name).sort();
  }

  private get context(): { readonly files: ReadonlyMap<string, string>; readonly warnings: readonly FleetWarning[] } {
    return (this as unknown as Record<symbol, { files: ReadonlyMap<string, string>; warnings: readonly FleetWarning[] }>)[CONTEXT];
  }
}

const CONTEXT = Symbol('SynthesizedCluster.context');

/** Throws unless one of `candidates` matches `pattern`, with the closest one and its differences. */
function assertSome(owner: string, what: string, candidates: readonly KubeObject[], pattern: unknown): void {
  if (candidates.length === 0) {
    throw new Error(`${owner} has no ${what}`);
  }
  const tried = candidates.map((object) => ({ object, failures: matchPattern(pattern, object) }));
  if (tried.some((t) => t.failures.length === 0)) {
    return;
  }
  const closest = tried.reduce((best, t) => (t.failures.length < best.failures.length ? t : best));
  throw new Error(`${owner} has ${candidates.length} ${what}${candidates.length === 1 ? '' : 's'}, but none matches.\n`
    + `The closest is ${closest.object.kind} "${closest.object.metadata.name}", with ${closest.failures.length} difference${closest.failures.length === 1 ? '' : 's'}:\n`
    + `${formatFailures(closest.failures)}\n`
    + `It is:\n${YAML.stringify(closest.object).replace(/^/gm, '  ')}`);
}

function formatFailures(failures: readonly MatchFailure[]): string {
  return failures.map((f) => `  ${f.path || '/'}: ${f.message}`).join('\n');
}

function kindCounts(objects: readonly KubeObject[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) {
    counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, n]) => `${kind} (${n})`).join(', ') || 'none';
}

function sortedRecord(entries: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The rollout inputs `FleetTesting.synth` builds a fleet with: the given state only, never the working directory's. */
function rolloutInputs(state: string | RolloutState | undefined): Parameters<typeof withRolloutInputs>[0] {
  if (state === undefined) {
    return { stateName: 'the rollout state given to FleetTesting (none)', readState: () => undefined, previousPlacement: () => undefined };
  }
  if (typeof state !== 'string') {
    return { stateName: 'the rollout state given to FleetTesting', readState: () => state, previousPlacement: () => undefined };
  }
  const file = resolvePath(state);
  if (!fs.existsSync(file)) {
    throw new Error(`FleetTesting: rolloutState "${state}" (${file}) does not exist; give the path of a dist.rollout.yaml, or the state itself`);
  }
  const dist = file.endsWith('.rollout.yaml') ? file.slice(0, -'.rollout.yaml'.length) : undefined;
  return {
    stateName: file,
    readState: () => parseRolloutState(fs.readFileSync(file, 'utf8'), file),
    previousPlacement: dist === undefined ? () => undefined : previousPlacements(dist),
  };
}

/**
 * Refuses a fleet built before `FleetTesting.synth` saw it when its result depends on where the test runs: it read a
 * rollout state, or clusters' placements, from beside its `outdir` while it was built.
 */
function refuseUnscoped(fleet: Fleet, options: FleetTestingOptions): void {
  const fix = 'pass a function that builds the fleet, `FleetTesting.synth(() => buildFleet(), { rolloutState })`, so that it reads only what the test gives';
  if (options.rolloutState !== undefined) {
    throw new Error(`FleetTesting: \`rolloutState\` needs the fleet as a function that builds it (a fleet reads its rollout state while it is built); ${fix}`);
  }
  const read = fleet._rollout.recordsRead;
  if (read.state || read.placements > 0) {
    throw new Error(`FleetTesting: fleet "${fleet.name}" read ${read.state ? fleet._rollout.stateFile : `the placements of ${read.placements} clusters in its outdir`} `
      + `while it was built, so the result would depend on the working directory; ${fix}`);
  }
}
