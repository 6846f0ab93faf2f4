/**
 * Builds the `Scenario` of one unit of a change from the two revisions of dist/: what every Application, ApplicationSet
 * and synced folder involved says in each, projected onto the unit (an ApplicationSet contributes only the Application
 * it generates for the unit's cluster; the root's folder only the shard Applications and projects the unit uses).
 * Facts the controllers interpret are decided here from the real strings (`manifest-facts.ts`, `application-spec.ts`):
 * sync and compare options, project permissions, value files, the node groups' sizes.
 */
import { applicationSpec, projectRefusal } from './application-spec';
import { defaultReplicas } from './capa-nodegroups';
import { appSetsFor, syncerOf, type DistObject, type RevisionIndex } from './dist-index';
import { expandForCluster } from './expand-application-set';
import { manifestOf, poolFacts } from './manifest-facts';
import type { AppSetSpec, AppSpec, DeleteGate, GeneratedApp, Manifest, Rev, Scenario, UnitSubject } from './model';
import { stableJson } from '../../_json';
import { RemovalPolicy } from '../../bundle/removal-policy';
import type { KubeObject } from '../../kube/types';
import { DistLayout } from '../../output/layout';
import { clusterSecretLabels } from '../cluster-secret-labels';
import { applicationNameOf, type DistCluster } from '../dist-fleet';

/** One unit of a change: a cluster's own Application, or one of its bundle Applications. */
export interface UnitKey {
  readonly cluster: string;
  readonly bundle?: string;
}

/** Builds scenarios for the units of one change; shares what units have in common (specs of the same template). */
export class ScenarioBuilder {
  private argocdSame?: boolean;
  private readonly bundleFilesSame = new Map<string, boolean>();

  constructor(
    private readonly base: RevisionIndex | undefined,
    private readonly head: RevisionIndex,
    private readonly gates: ReadonlyMap<string, DeleteGate>,
  ) {}

  /** The units of `cluster`: its own Application (fleet clusters) and one per bundle it installs in either commit. */
  public unitsOf(cluster: string): UnitKey[] {
    const before = this.base?.clusters.get(cluster);
    const after = this.head.clusters.get(cluster);
    const units: UnitKey[] = [];
    if ((before !== undefined && !before.external) || (after !== undefined && !after.external)) {
      units.push({ cluster });
    }
    const bundles = new Set([...(before?.bundles ?? []), ...(after?.bundles ?? [])]);
    // An Application may outlive the bundle's membership (a retired cluster's): the ApplicationSets listing it decide.
    for (const index of [this.base, this.head]) {
      for (const entry of index?.appSetsByCluster.get(cluster) ?? []) {
        const bundle = entry.object.metadata.labels?.['arlon.io/bundle'];
        if (bundle !== undefined) {
          bundles.add(bundle);
        }
      }
    }
    return [...units, ...[...bundles].sort().map((bundle) => ({ cluster, bundle }))];
  }

  public build(unit: UnitKey): Scenario {
    return new UnitBuild(this.base, this.head, this.gates, unit).scenario();
  }

  /**
   * Whether nothing the unit's scenario is made of differs between the two commits, so that the base the management
   * cluster converged to is the head's too and no controller has anything to do. Objects are compared by identity:
   * `plan` parses each distinct file content once for both commits (`ParseMemo`), so an unchanged file is the same
   * object. Anything else (fleets parsed apart) counts as changed, and the unit is explored.
   */
  public unchanged(unit: UnitKey): boolean {
    const { base, head } = this;
    const before = base?.clusters.get(unit.cluster);
    const after = head.clusters.get(unit.cluster);
    if (base === undefined || before === undefined || after === undefined || before.retired !== after.retired || before.external !== after.external
      || !this.argocdUnchanged()) {
      return false;
    }
    if (!sameObjects(appSetsFor(base, unit.cluster, unit.bundle), appSetsFor(head, unit.cluster, unit.bundle))) {
      return false;
    }
    if (unit.bundle === undefined) {
      return sameObjects(base.clusterObjects.get(unit.cluster) ?? [], head.clusterObjects.get(unit.cluster) ?? []);
    }
    const own = DistLayout.clusterValuesFile(unit.bundle, unit.cluster);
    return before.bundles.includes(unit.bundle) === after.bundles.includes(unit.bundle)
      && base.fleet.valueFiles.has(own) === head.fleet.valueFiles.has(own) && this.bundleFilesUnchanged(unit.bundle);
  }

  /** The root, the bootstrap projects and what the root syncs (shard Applications, projects) are the same objects. */
  private argocdUnchanged(): boolean {
    this.argocdSame ??= this.base !== undefined && this.base.root.object === this.head.root.object
      && sameObjects(this.base.bootstrapProjects, this.head.bootstrapProjects)
      && sameObjects(this.base.folders.get(DistLayout.argocdDir) ?? [], this.head.folders.get(DistLayout.argocdDir) ?? []);
    return this.argocdSame;
  }

  /** A bundle's value files other than the clusters' own (its base values, its revisions' values) exist in both or neither. */
  private bundleFilesUnchanged(bundle: string): boolean {
    let same = this.bundleFilesSame.get(bundle);
    if (same === undefined) {
      const prefix = `${DistLayout.bundleDir(bundle)}/`;
      const own = `${DistLayout.clusterValuesDir(bundle)}/`;
      const files = (fleet: RevisionIndex) => [...fleet.fleet.valueFiles].filter((f) => f.startsWith(prefix) && !f.startsWith(own)).sort().join('\n');
      same = files(this.base!) === files(this.head);
      this.bundleFilesSame.set(bundle, same);
    }
    return same;
  }
}

/** Two lists of the same files holding the same objects (not equal ones: the same). */
function sameObjects(a: readonly DistObject[], b: readonly DistObject[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  const byFile = new Map(b.map((entry) => [entry.file, entry.object]));
  return a.every((entry) => byFile.get(entry.file) === entry.object);
}

/** The construction of one scenario. */
class UnitBuild {
  private readonly specs: Record<string, AppSpec> = {};
  private readonly appSetSpecs: Record<string, AppSetSpec> = {};
  private readonly folders: Record<string, { base?: Manifest[]; head?: Manifest[] }> = {};
  private readonly filesAtHead: Record<string, boolean> = {};
  private readonly filesAtBase: Record<string, boolean> = {};
  /** Projects the unit's Applications name, by key, in each commit. */
  private readonly projects = new Map<string, { base?: DistObject; head?: DistObject }>();
  private readonly rawSpecs = new Map<string, { app: KubeObject; index: RevisionIndex }>();

  constructor(
    private readonly base: RevisionIndex | undefined,
    private readonly head: RevisionIndex,
    private readonly gates: ReadonlyMap<string, DeleteGate>,
    private readonly unit: UnitKey,
  ) {}

  public scenario(): Scenario {
    const revs: Array<[Rev, RevisionIndex | undefined]> = [['base', this.base], ['head', this.head]];
    // Every ApplicationSet that generates the unit's Application in either commit, in each commit it exists in (it may
    // exist in both and list the cluster in one only).
    const appSetNames = new Set<string>();
    for (const [, index] of revs) {
      appSetsFor(index, this.unit.cluster, this.unit.bundle).forEach((entry) => appSetNames.add(entry.object.metadata.name));
    }
    for (const [rev, index] of revs) {
      for (const name of appSetNames) {
        const entry = index?.appSets.get(name);
        if (entry !== undefined) {
          this.addManifest(folderOf(entry.file), rev, this.appSetManifest(entry, index!));
        }
      }
    }
    // The shard Applications that sync those folders, and the root that syncs the shard Applications.
    for (const folder of Object.keys(this.folders)) {
      for (const [rev, index] of revs) {
        const entry = index === undefined ? undefined : syncerOf(index, folder);
        if (entry !== undefined) {
          const app = { name: entry.object.metadata.name, spec: this.specId(this.appSpec(entry.object, index!), entry.object, index!) };
          this.addManifest(DistLayout.argocdDir, rev, this.manifest(entry.object, { app }));
        }
      }
    }
    if (this.unit.bundle === undefined) {
      this.addClusterFolder();
    }
    const root = this.base?.root ?? this.head.root;
    const rootIndex = this.base ?? this.head;
    const roots = { [root.object.metadata.name]: this.specId(this.appSpec(root.object, rootIndex), root.object, rootIndex) };
    // Projects last: every spec is known by now.
    for (const [key, revisions] of this.projects) {
      for (const [rev, entry] of Object.entries(revisions) as Array<[Rev, DistObject | undefined]>) {
        if (entry !== undefined && entry.file.startsWith(`${DistLayout.argocdDir}/`)) {
          this.addManifest(DistLayout.argocdDir, rev, this.manifest(entry.object, {}, key));
        }
      }
    }
    // A folder that exists in a commit is synced there, even when none of its objects concerns the unit.
    for (const folder of [...Object.keys(this.folders), DistLayout.argocdDir]) {
      for (const [rev, index] of revs) {
        if (index?.folders.has(folder) || (folder.startsWith(`${DistLayout.clustersDir}/`) && this.folders[folder]?.[rev] !== undefined)) {
          const entry = this.folders[folder] ?? (this.folders[folder] = {});
          entry[rev] ??= [];
        }
      }
    }
    this.decideProjects();
    return {
      subject: this.subject(),
      specs: this.specs,
      appSets: this.appSetSpecs,
      folders: this.folders,
      roots,
      bootstrap: this.head.bootstrapProjects.map((e) => this.manifest(e.object, {})),
      filesAtHead: this.filesAtHead,
      filesAtBase: this.filesAtBase,
      deleteGates: Object.fromEntries([...appSetNames].sort().map((name) => [name, this.gates.get(name) ?? 'free'])),
      nodegroupSizes: this.nodegroupSizes(),
    };
  }

  private subject(): UnitSubject {
    const { cluster, bundle } = this.unit;
    const before = this.base?.clusters.get(cluster);
    const after = this.head.clusters.get(cluster);
    const appOf = (index: RevisionIndex | undefined, c: DistCluster | undefined) => (c === undefined ? undefined
      : applicationNameOf(index!.fleet.name, c, bundle));
    const app = appOf(this.head, after) ?? appOf(this.base, before) ?? cluster;
    return {
      cluster,
      ...(bundle === undefined ? {} : { bundle }),
      app,
      appBase: appOf(this.base, before) ?? app,
      argocdName: before?.argocdName ?? after?.argocdName ?? cluster,
      // Its EKS cluster is no longer named after the cluster (fleet-scoped names, adoption): findings name the real one.
      ...((before ?? after)?.eksClusterName === undefined ? {} : { eksCluster: (before ?? after)!.eksClusterName }),
      external: (after ?? before)?.external ?? false,
      presentBase: before !== undefined,
      presentHead: after !== undefined,
      retiredBase: before?.retired ?? false,
      retiredHead: after?.retired ?? false,
      ...(bundle === undefined ? {} : {
        installedBase: before?.bundles.includes(bundle) ?? false,
        installedHead: after?.bundles.includes(bundle) ?? false,
        destroyBase: this.base?.bundles.get(bundle)?.removalPolicy === RemovalPolicy.DESTROY,
      }),
    };
  }

  private addManifest(folder: string, rev: Rev, manifest: Manifest): void {
    const entry = this.folders[folder] ?? (this.folders[folder] = {});
    const list = entry[rev] ?? (entry[rev] = []);
    if (!list.some((m) => m.key === manifest.key)) {
      list.push(manifest);
    }
  }

  /** An ApplicationSet as a manifest of its folder, with the Applications it generates for the unit. */
  private appSetManifest(entry: DistObject, index: RevisionIndex): Manifest {
    const generates: GeneratedApp[] = expandForCluster(entry.object, this.unit.cluster).map((expanded) => {
      const spec = this.appSpec(expanded.application, index);
      const generated: GeneratedApp = { name: expanded.name, spec: this.specId(spec, expanded.application, index) };
      if (expanded.selector === undefined) {
        return generated;
      }
      // The cluster generator selects the Secret `arlonctl register` labels for the cluster, or nothing.
      const cluster = index.clusters.get(this.unit.cluster) ?? this.base?.clusters.get(this.unit.cluster);
      const labels = cluster === undefined ? {} : clusterSecretLabels(index.fleet.name, cluster);
      const matches = Object.entries(expanded.selector).every(([k, v]) => labels[k] === v);
      return { ...generated, requiresLabelled: matches ? this.unit.cluster : `${this.unit.cluster} (never: no Secret matches)` };
    });
    const spec: AppSetSpec = { generates };
    const id = `appset:${stableJson(spec)}`;
    this.appSetSpecs[id] = spec;
    return this.manifest(entry.object, { appSet: { name: entry.object.metadata.name, spec: id } });
  }

  /** The cluster's own folder in each commit: its Cluster API objects, with what CAPA reads of the node pools. */
  private addClusterFolder(): void {
    const folder = DistLayout.clusterDir(this.unit.cluster);
    for (const [rev, index] of [['base', this.base], ['head', this.head]] as Array<[Rev, RevisionIndex | undefined]>) {
      if (index === undefined || !index.clusters.has(this.unit.cluster) || index.clusters.get(this.unit.cluster)!.external) {
        continue;
      }
      const entry = this.folders[folder] ?? (this.folders[folder] = {});
      entry[rev] = [];
      for (const { object } of index.clusterObjects.get(this.unit.cluster) ?? []) {
        this.addManifest(folder, rev, this.manifest(object, poolFacts(object)));
      }
    }
  }

  /** The sizes a node group can have when the change lands: anywhere the autoscaler may have taken it, or its replicas. */
  private nodegroupSizes(): Record<string, number[]> {
    const sizes: Record<string, number[]> = {};
    const manifests = this.folders[DistLayout.clusterDir(this.unit.cluster)]?.base ?? [];
    for (const mp of manifests.filter((m) => m.role === 'machinepool' && m.pool !== undefined)) {
      const pool = manifests.find((m) => m.role === 'managedmachinepool' && m.pool?.nodegroup === mp.pool!.nodegroup)?.pool;
      const replicas = mp.pool!.replicas ?? defaultReplicas(mp.pool!);
      sizes[mp.pool!.nodegroup] = mp.pool!.autoscaled && pool?.minSize !== undefined && pool.maxSize !== undefined
        ? [...new Set([pool.minSize, pool.maxSize])] : [replicas];
    }
    return sizes;
  }

  /** An Application's spec (`applicationSpec`), noting whether each value file it names exists in either commit. */
  private appSpec(app: KubeObject, index: RevisionIndex): AppSpec {
    const spec = applicationSpec(app, index);
    for (const file of spec.workload?.valueFiles ?? []) {
      this.filesAtHead[file.path] = this.head.fleet.valueFiles.has(file.path);
      this.filesAtBase[file.path] = this.base?.fleet.valueFiles.has(file.path) ?? false;
    }
    return spec;
  }

  /** A manifest of `object` (`manifestOf`). */
  private manifest(object: KubeObject, extra: Partial<Manifest>, key?: string): Manifest {
    return manifestOf(object, extra, key);
  }

  /** Registers a spec (and the project it names) and returns its id. */
  private specId(spec: AppSpec, app: KubeObject, index: RevisionIndex): string {
    const id = `spec:${stableJson(spec)}`;
    if (this.specs[id] === undefined) {
      this.specs[id] = spec;
      this.rawSpecs.set(id, { app, index });
      if (!this.projects.has(spec.project)) {
        const name = spec.project.slice(spec.project.lastIndexOf('/') + 1);
        const find = (i: RevisionIndex | undefined) => i?.projects.get(name) ?? i?.bootstrapProjects.find((e) => e.object.metadata.name === name);
        this.projects.set(spec.project, { base: find(this.base), head: find(this.head) });
      }
    }
    return id;
  }

  /** Which project contents refuse which specs (`ValidatePermissions`: sources, then the destination). */
  private decideProjects(): void {
    for (const [id, spec] of Object.entries(this.specs)) {
      const { app } = this.rawSpecs.get(id)!;
      const revisions = this.projects.get(spec.project) ?? {};
      const refusedBy: Record<string, string> = {};
      for (const entry of [revisions.base, revisions.head]) {
        if (entry === undefined) {
          continue;
        }
        const reason = projectRefusal(entry.object, app, spec);
        if (reason !== undefined) {
          refusedBy[this.manifest(entry.object, {}, spec.project).content] = reason;
        }
      }
      this.specs[id] = Object.keys(refusedBy).length === 0 ? spec : { ...spec, refusedBy };
    }
  }
}

function folderOf(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/')));
}

