/**
 * The transition model's data: a `Scenario` is what two revisions of dist/ (the base, which the management cluster
 * has converged to, and the head, just merged) say about one unit of the fleet (a cluster's Application and its
 * Cluster API objects, or one of its bundle Applications and what it installed), reduced to the facts the upstream
 * controllers act on; a `World` is the live state of that unit on the management cluster (and, for a bundle, on the
 * workload cluster) at one moment between the two commits.
 *
 * Every fact the controllers interpret (a sync option, whether a project permits a source, whether a file exists) is
 * decided when the scenario is built, from the real strings; the model itself only compares names for equality. So a
 * scenario can be renamed consistently (`canonicalScenario`): units that differ only in their names share one
 * exploration, which keeps the check of a change to 10,000 clusters linear.
 */

/** Which commit a manifest or a spec comes from. */
export type Rev = 'base' | 'head';

/** An Application as the controllers read it. */
export interface AppSpec {
  readonly project: string;
  /** The destination cluster: Argo CD's name for it (or its server). */
  readonly destination: string;
  /** Whether the destination is the management cluster itself (Argo CD's in-cluster), which always exists. */
  readonly inCluster: boolean;
  /** A directory source in the fleet repository: the folder of dist/ it syncs. */
  readonly folder?: string;
  /** What it installs on a workload cluster (a bundle). */
  readonly workload?: WorkloadSpec;
  /** `syncPolicy.automated.prune`. */
  readonly prune: boolean;
  /** `syncPolicy.syncOptions` (its `Delete=` is read when a live object has none). */
  readonly syncOptions: readonly string[];
  /** `PrunePropagationPolicy` (Argo CD's default is foreground: `controller/sync.go`). */
  readonly prunePropagation: 'foreground' | 'background' | 'orphan';
  /** `metadata.finalizers`. */
  readonly finalizers: readonly string[];
  /** Why its project refuses it (`InvalidSpecError`), per project content; absent: permitted. */
  readonly refusedBy?: Readonly<Record<string, string>>;
}

/** A bundle Application's source: which definition it installs, with which value files. */
export interface WorkloadSpec {
  /** The source fields (repository, chart or path, version, release name) as one id. */
  readonly definition: string;
  readonly valueFiles: readonly ValueFile[];
  readonly ignoreMissingValueFiles: boolean;
}

/** One Helm value file an Application names. */
export interface ValueFile {
  /** Its path inside dist/ (or outside it, then it never exists here). */
  readonly path: string;
  /** A cluster's own values: may be missing by design; any other file is the bundle's base values. */
  readonly own: boolean;
}

/** What a manifest in a synced folder is, as far as the controllers are concerned. */
export type ManifestRole = 'application' | 'applicationset' | 'project' | 'cluster' | 'machinepool' | 'managedmachinepool' | 'other';

/** A manifest in a folder an Application syncs. */
export interface Manifest {
  /** Identity on the cluster: kind, namespace and name. */
  readonly key: string;
  readonly role: ManifestRole;
  /** Its content: equal content, nothing to apply. */
  readonly content: string;
  /** The object's own `argocd.argoproj.io/sync-options` (`Prune=false`, `Delete=false`), and `helm.sh/resource-policy`. */
  readonly syncOptions?: string;
  readonly helmResourcePolicy?: string;
  /** `argocd.argoproj.io/compare-options: IgnoreExtraneous`. */
  readonly ignoreExtraneous: boolean;
  /** For an Application: its name and spec (an id in `Scenario.specs`). */
  readonly app?: { readonly name: string; readonly spec: string };
  /** For an ApplicationSet: its name and which revision's spec it is (an id in `Scenario.appSets`). */
  readonly appSet?: { readonly name: string; readonly spec: string };
  /** For a node pool object: the pool it belongs to, and what CAPA reads of it. */
  readonly pool?: PoolFacts;
}

/** What CAPA reads of a MachinePool or an AWSManagedMachinePool. */
export interface PoolFacts {
  /** The node group (EKS) name. */
  readonly nodegroup: string;
  /** MachinePool `spec.replicas` as written (undefined: left to the defaulting webhook, or to the autoscaler). */
  readonly replicas?: number;
  /** MachinePool: `cluster.x-k8s.io/replicas-managed-by` is set: CAPA copies the node group's size back. */
  readonly autoscaled?: boolean;
  /** MachinePool: both autoscaler size annotations, which the defaulting webhook reads. */
  readonly annotatedMin?: number;
  readonly annotatedMax?: number;
  /** AWSManagedMachinePool `spec.scaling`. */
  readonly minSize?: number;
  readonly maxSize?: number;
}

/** An ApplicationSet's spec: the Applications it generates for the unit. */
export interface AppSetSpec {
  readonly generates: readonly GeneratedApp[];
}

/** One Application an ApplicationSet generates. */
export interface GeneratedApp {
  readonly name: string;
  /** Its spec (an id in `Scenario.specs`). */
  readonly spec: string;
  /** Generated only while this cluster's Argo CD cluster Secret carries the fleet's labels (the matrix's cluster generator). */
  readonly requiresLabelled?: string;
}

/** What the unit is about: one cluster's Application, or one of its bundles. */
export interface UnitSubject {
  readonly cluster: string;
  /** A bundle of the cluster; absent: the cluster's own Application and Cluster API objects. */
  readonly bundle?: string;
  /** The Application's name (in the head; in the base when the head has none). */
  readonly app: string;
  /**
   * Its name in the base: another when the change renames it (a cluster moving to fleet-scoped names), and then both
   * Applications install the same workload on the cluster.
   */
  readonly appBase: string;
  /** Argo CD's name for the cluster: the name in the cluster Secret (`register` writes it for the base's clusters first). */
  readonly argocdName: string;
  /**
   * The name of its EKS cluster in AWS (a fleet cluster's, in the base when it has one): fleet-scoped or adopted, not
   * the cluster's own name, so that findings name the EKS cluster that would be deleted.
   */
  readonly eksCluster?: string;
  readonly external: boolean;
  readonly presentBase: boolean;
  readonly presentHead: boolean;
  readonly retiredBase: boolean;
  readonly retiredHead: boolean;
  /** For a bundle: whether the cluster installs it in each commit, and its removal policy in the base. */
  readonly installedBase?: boolean;
  readonly installedHead?: boolean;
  readonly destroyBase?: boolean;
}

/** How an ApplicationSet's deletes depend on Applications other units hand over to it (see `appset-handovers.ts`). */
export type DeleteGate = 'free' | 'eventually' | 'never';

/** Everything one exploration needs. */
export interface Scenario {
  readonly subject: UnitSubject;
  /** Application specs by id. */
  readonly specs: Readonly<Record<string, AppSpec>>;
  /** ApplicationSet specs by id. */
  readonly appSets: Readonly<Record<string, AppSetSpec>>;
  /** The manifests of each synced folder, in each commit (absent: no such folder). */
  readonly folders: Readonly<Record<string, { readonly base?: readonly Manifest[]; readonly head?: readonly Manifest[] }>>;
  /** The Applications applied by hand (`arlonctl deploy`): the root; name to spec id. */
  readonly roots: Readonly<Record<string, string>>;
  /** The AppProjects applied with it (they never change between two commits). */
  readonly bootstrap: readonly Manifest[];
  /** Value files: whether each exists at the head (Argo CD renders every Application from the newest commit). */
  readonly filesAtHead: Readonly<Record<string, boolean>>;
  /** And in the base, which the workloads were rendered from. */
  readonly filesAtBase: Readonly<Record<string, boolean>>;
  /** Per ApplicationSet name, whether its deletes wait for other units' handovers. */
  readonly deleteGates: Readonly<Record<string, DeleteGate>>;
  /** Per node group: the size the node group can have when the change lands (the autoscaler's range, or the replicas). */
  readonly nodegroupSizes: Readonly<Record<string, readonly number[]>>;
}

/** A live Application. */
export interface LiveApp {
  readonly spec: string;
  /** The ApplicationSet that controls it (its controller owner reference). */
  readonly controller?: string;
  /** The Application that synced it from a folder (Argo CD's resource tracking). */
  readonly tracker?: string;
  readonly finalizers: readonly string[];
  readonly deleting: boolean;
}

/** A live ApplicationSet. */
export interface LiveAppSet {
  readonly spec: string;
  readonly content: string;
  readonly tracker: string;
  readonly deleting: boolean;
  /** Deleted in the foreground: it stays until garbage collection has deleted the Applications it controls. */
  readonly foreground: boolean;
}

/** Any other live object synced from a folder (AppProjects, Cluster API objects). */
export interface LiveObject {
  readonly content: string;
  readonly tracker: string;
  readonly deleting: boolean;
}

/** A bundle as installed on the workload cluster. */
export interface LiveWorkload {
  /** What was rendered: the definition and the value files that existed. */
  readonly rendered: string;
}

/** The unit's cluster in Argo CD: its cluster Secret, and whether it carries the fleet's labels. */
export interface LiveSecret {
  readonly exists: boolean;
  readonly labelled: boolean;
}

/** An EKS managed node group as EKS holds it. */
export interface LiveNodegroup {
  readonly desired: number;
  readonly min: number;
  readonly max: number;
}

/** The live state of a unit. */
export interface World {
  readonly apps: Readonly<Record<string, LiveApp>>;
  readonly appSets: Readonly<Record<string, LiveAppSet>>;
  readonly objects: Readonly<Record<string, LiveObject>>;
  readonly workload?: LiveWorkload;
  readonly secret: LiveSecret;
  readonly nodegroups: Readonly<Record<string, LiveNodegroup>>;
}

/**
 * A text whose names can be rendered for another unit: `{ name }` parts are names of the scenario (renamed with it),
 * string parts are prose.
 */
export type Text = ReadonlyArray<string | { readonly name: string }>;

/** A tagged template for `Text`: every interpolated value is a name. */
export function text(strings: TemplateStringsArray, ...names: string[]): Text {
  return strings.flatMap((s, i) => (i < names.length ? [s, { name: names[i] }] : [s])).filter((p) => p !== '');
}

/** Names as a text: `a`, `a, b`. */
export function nameList(names: readonly string[]): Text {
  return names.flatMap((n, i) => (i === 0 ? [{ name: n }] : [', ', { name: n }]));
}

/** Renders a text with `rename` applied to its names. */
export function renderText(value: Text, rename: (name: string) => string = (n) => n): string {
  return value.map((p) => (typeof p === 'string' ? p : rename(p.name))).join('');
}

/** Keys whose string values are interpreted by the model, not names: kept as they are when a scenario is renamed. */
const INTERPRETED = new Set(['role', 'syncOptions', 'helmResourcePolicy', 'prunePropagation', 'finalizers']);

/**
 * A scenario with every name replaced by `#<n>` in order of first appearance, and the table to map them back. Two
 * units whose scenarios differ only in names have the same canonical form, so one exploration serves both. The key
 * is the canonical form as JSON, written in one pass; the canonical scenario itself is parsed from it only when a
 * caller needs it (a scenario not explored before).
 */
export function canonicalScenario(scenario: Scenario): {
  readonly key: string; readonly names: readonly string[]; readonly canonical: () => Scenario;
} {
  const ids = new Map<string, string>();
  const names: string[] = [];
  const rename = (name: string) => {
    let id = ids.get(name);
    if (id === undefined) {
      id = `#${names.length}`;
      names.push(name);
      ids.set(name, id);
    }
    return id;
  };
  const out: string[] = [];
  const write = (value: unknown, key: string | undefined): void => {
    if (typeof value === 'string') {
      out.push(JSON.stringify(key !== undefined && INTERPRETED.has(key) ? value : rename(value)));
    } else if (Array.isArray(value)) {
      out.push('[');
      value.forEach((v, i) => {
        if (i > 0) {
          out.push(',');
        }
        write(v, key);
      });
      out.push(']');
    } else if (value !== null && typeof value === 'object') {
      // Keys of records are names too (spec ids, folders, Application names); a gate value is interpreted.
      const gates = key === 'deleteGates';
      out.push('{');
      let first = true;
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) {
          continue;
        }
        out.push(first ? '' : ',', JSON.stringify(FIXED_KEYS.has(k) ? k : rename(k)), ':');
        first = false;
        if (gates) {
          out.push(JSON.stringify(v));
        } else {
          write(v, FIXED_KEYS.has(k) ? k : undefined);
        }
      }
      out.push('}');
    } else {
      out.push(JSON.stringify(value));
    }
  };
  write(scenario, undefined);
  const key = out.join('');
  return { key, names, canonical: () => JSON.parse(key) as Scenario };
}

/** Property names of the model's own types: never renamed. */
const FIXED_KEYS = new Set([
  'subject', 'specs', 'appSets', 'folders', 'roots', 'bootstrap', 'filesAtHead', 'filesAtBase', 'deleteGates', 'nodegroupSizes', 'base', 'head',
  'cluster', 'bundle', 'app', 'appBase', 'argocdName', 'eksCluster', 'external', 'presentBase', 'presentHead', 'retiredBase', 'retiredHead', 'installedBase', 'installedHead',
  'destroyBase', 'project', 'destination', 'inCluster', 'folder', 'workload', 'prune', 'syncOptions', 'prunePropagation', 'finalizers',
  'refusedBy', 'definition', 'valueFiles', 'ignoreMissingValueFiles', 'path', 'own', 'key', 'role', 'content', 'helmResourcePolicy',
  'ignoreExtraneous', 'appSet', 'name', 'spec', 'pool', 'nodegroup', 'replicas', 'autoscaled', 'annotatedMin', 'annotatedMax',
  'minSize', 'maxSize', 'generates', 'requiresLabelled',
]);
