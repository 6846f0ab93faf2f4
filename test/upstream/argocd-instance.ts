/**
 * An Argo CD instance pointed at a fleet's `dist/`, for the tests: starting from the root Application that
 * `arlonctl deploy` applies, it reads what each Application's source holds from the fleet repository, applies the
 * ApplicationSets it finds through the ported ApplicationSet controller (`argocd-applicationset.ts`), and resolves
 * every generated Application's sources the way the repo-server would:
 * - a directory source in the fleet repository holds the YAML files of its folder (`directory.recurse` for more),
 *   capped at `--max-combined-directory-manifests-size` (10 MB by default: `reposerver/repository/repository.go`);
 * - a Helm source's `valueFiles` starting with `$<ref>/` are read from the source that carries that `ref`
 *   (`docs/user-guide/multiple_sources.md`); a missing file fails the Application unless `ignoreMissingValueFiles`;
 *   the files are merged in order as Helm merges values files (maps key by key, anything else replaced, `null` removes);
 * - the AppProject must permit every source and the destination (`argocd-project.ts`).
 * What Argo CD records per Application (`status.resources`, the last sync result) is estimated from the objects it
 * manages, for the size checks.
 */
import * as YAML from 'yaml';
import { generateApplications, IN_CLUSTER, type ArgoCluster, type GenerationResult } from './argocd-applicationset';
import type { KubeObject } from '../../src/kube/types';
import { isDestinationPermitted, isSourcePermitted, normalizeGitUrl, type AppProjectSpec } from '../../src/operations/transitions/argocd-project';

type Json = Record<string, unknown>;

/** Argo CD's default cap on the manifests of one directory source (`--max-combined-directory-manifests-size`). */
export const MAX_COMBINED_DIRECTORY_MANIFESTS_BYTES = 10 * 1024 * 1024;

interface Source {
  readonly repoURL: string;
  readonly targetRevision?: string;
  readonly path?: string;
  readonly chart?: string;
  readonly ref?: string;
  readonly directory?: { recurse?: boolean };
  readonly helm?: { releaseName?: string; valueFiles?: string[]; ignoreMissingValueFiles?: boolean; valuesObject?: Json };
}

/** An Application as Argo CD would run it. */
export interface ArgoApplication {
  readonly object: KubeObject;
  /** Who made it: `deploy` (the root), the Application that synced it, or the ApplicationSet that generated it. */
  readonly origin: string;
  /** The objects its fleet-repository directory sources hold, by path inside `dist/`. */
  readonly manifests: ReadonlyMap<string, KubeObject>;
  /** Combined size of its directory sources' files, in bytes. */
  readonly manifestBytes: number;
  /** For a Helm source: the values Helm renders the chart with (value files merged, then `valuesObject`). */
  readonly helmValues?: Json;
  /** The value files it names that do not exist, whether or not `ignoreMissingValueFiles` lets it sync without them. */
  readonly missingValueFiles: readonly string[];
  /** The chart or path it installs (`repoURL` + `chart` or `path`, at `targetRevision`). */
  readonly installs?: string;
  /** Why Argo CD would fail to sync it (permissions, missing files, limits). */
  readonly problems: readonly string[];
}

export interface ArgoInstanceOptions {
  /** The fleet repository: its URL and where `dist/` sits in it. */
  readonly repoUrl: string;
  readonly distPath: string;
  /** The clusters registered in Argo CD (Argo CD cluster Secrets), besides `in-cluster`. */
  readonly clusters: readonly ArgoCluster[];
}

/** Helm's values merge (`chartutil.CoalesceTables` for user values files): maps merge, the later file wins, null removes. */
export function mergeHelmValues(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) {
      delete out[key];
    } else if (isObject(out[key]) && isObject(value)) {
      out[key] = mergeHelmValues(out[key] as Json, value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

const isObject = (x: unknown): x is Json => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Runs Argo CD over `files` (the fleet's `dist/`, by path inside it) from the root Application `rootFile`. */
export class ArgoInstance {
  public readonly applications = new Map<string, ArgoApplication>();
  public readonly applicationSets = new Map<string, { readonly object: KubeObject; readonly result: GenerationResult }>();
  public readonly projects = new Map<string, AppProjectSpec>();
  private readonly repo: string;

  constructor(private readonly files: ReadonlyMap<string, string>, rootFile: string, private readonly options: ArgoInstanceOptions) {
    this.repo = normalizeGitUrl(options.repoUrl);
    const root = YAML.parse(files.get(rootFile)!) as KubeObject;
    const bootstrap = [...files].filter(([f]) => f.startsWith(rootFile.slice(0, rootFile.lastIndexOf('/') + 1)))
      .map(([, text]) => YAML.parse(text) as KubeObject);
    for (const obj of bootstrap.filter((o) => o.kind === 'AppProject')) {
      this.projects.set(obj.metadata.name, obj.spec as AppProjectSpec);
    }
    // Applications are synced breadth first, projects before what uses them, as Argo CD's sync waves order kinds.
    // `deploy` applies every Application of the bootstrap folder: the root, and the management plane's when there is one.
    const queue: Array<{ app: KubeObject; origin: string }> = [root, ...bootstrap.filter((o) => o.kind === 'Application' && o.metadata.name !== root.metadata.name)]
      .map((app) => ({ app, origin: 'deploy' }));
    while (queue.length > 0) {
      const { app, origin } = queue.shift()!;
      const resolved = this.resolve(app, origin);
      this.applications.set(app.metadata.name, resolved);
      const synced = [...resolved.manifests.values()];
      for (const obj of synced.filter((o) => o.kind === 'AppProject')) {
        this.projects.set(obj.metadata.name, obj.spec as AppProjectSpec);
      }
      for (const obj of synced.filter((o) => o.kind === 'Application')) {
        queue.push({ app: obj, origin: app.metadata.name });
      }
      for (const obj of synced.filter((o) => o.kind === 'ApplicationSet')) {
        const result = generateApplications(obj, { clusters: options.clusters, projects: new Set(this.projects.keys()) });
        this.applicationSets.set(obj.metadata.name, { object: obj, result });
        for (const generated of result.applications) {
          queue.push({ app: generated, origin: obj.metadata.name });
        }
      }
    }
  }

  /** The generated and synced Applications other than the root, as a map by name. */
  public byOrigin(origin: string): ArgoApplication[] {
    return [...this.applications.values()].filter((a) => a.origin === origin);
  }

  /** Every problem: generation errors, invalid Applications, and what each Application would fail on. */
  public problems(): string[] {
    return [
      ...[...this.applicationSets].flatMap(([name, { result }]) => [
        ...(result.error === undefined ? [] : [`ApplicationSet ${name}: ${result.error}`]),
        ...[...result.invalid].map(([app, why]) => `ApplicationSet ${name}: Application ${app}: ${why}`),
      ]),
      ...[...this.applications.values()].flatMap((a) => a.problems.map((p) => `Application ${a.object.metadata.name}: ${p}`)),
    ];
  }

  /** A path of the fleet repository as a path inside `dist/`, or undefined when it lies outside. */
  private distRelative(repoPath: string): string | undefined {
    const clean = repoPath.replace(/^\.?\/+|\/+$/g, '');
    const prefix = this.options.distPath.replace(/^\.?\/+|\/+$/g, '');
    if (prefix === '' || prefix === '.') {
      return clean;
    }
    return clean === prefix ? '' : clean.startsWith(`${prefix}/`) ? clean.slice(prefix.length + 1) : undefined;
  }

  private resolve(app: KubeObject, origin: string): ArgoApplication {
    type Destination = { name?: string; server?: string; namespace?: string };
    const spec = app.spec as { project: string; source?: Source; sources?: Source[]; destination: Destination };
    const sources = spec.sources ?? (spec.source === undefined ? [] : [spec.source]);
    const problems: string[] = [];
    const project = this.projects.get(spec.project);
    if (project === undefined) {
      problems.push(`project ${spec.project} does not exist`);
    }
    const known = [IN_CLUSTER, ...this.options.clusters];
    const { name, server } = spec.destination;
    const cluster = known.find((c) => (name !== undefined ? c.name === name : c.server === server));
    if (cluster === undefined) {
      problems.push(`destination ${spec.destination.name ?? spec.destination.server} is not a known cluster`);
    } else if (project !== undefined && !isDestinationPermitted(project, cluster, spec.destination.namespace ?? '')) {
      problems.push(`project ${spec.project} does not permit destination ${cluster.name}/${spec.destination.namespace}`);
    }
    const manifests = new Map<string, KubeObject>();
    let manifestBytes = 0;
    let helmValues: Json | undefined;
    const missingValueFiles: string[] = [];
    let installs: string | undefined;
    for (const source of sources) {
      if (project !== undefined && !isSourcePermitted(project, source.repoURL)) {
        problems.push(`project ${spec.project} does not permit source ${source.repoURL}`);
      }
      if (source.ref !== undefined) {
        continue;
      }
      const inFleetRepo = normalizeGitUrl(source.repoURL) === this.repo;
      installs = `${source.repoURL}${source.chart ? ` ${source.chart}` : ''}${source.path && source.path !== '.' && !inFleetRepo ? ` ${source.path}` : ''} @ ${source.targetRevision}`;
      if (source.helm !== undefined || source.chart !== undefined) {
        helmValues = this.helmValues(source, sources, problems, missingValueFiles);
      } else if (inFleetRepo) {
        const folder = this.distRelative(source.path ?? '');
        if (folder === undefined) {
          problems.push(`path ${source.path} is outside dist/`);
          continue;
        }
        for (const [file, text] of this.files) {
          const dir = file.slice(0, file.lastIndexOf('/') + 1);
          const inside = source.directory?.recurse ? file.startsWith(folder === '' ? '' : `${folder}/`) : dir === (folder === '' ? '' : `${folder}/`);
          if (inside && /\.(ya?ml|json)$/.test(file)) {
            manifests.set(file, YAML.parse(text) as KubeObject);
            manifestBytes += Buffer.byteLength(text);
          }
        }
        if (manifests.size === 0) {
          problems.push(`directory ${source.path} holds no manifests`);
        }
      }
    }
    if (manifestBytes > MAX_COMBINED_DIRECTORY_MANIFESTS_BYTES) {
      problems.push(`its directory sources hold ${manifestBytes} bytes, more than the repo-server's ${MAX_COMBINED_DIRECTORY_MANIFESTS_BYTES}`);
    }
    return { object: app, origin, manifests, manifestBytes, helmValues, missingValueFiles, installs, problems };
  }

  private helmValues(source: Source, sources: readonly Source[], problems: string[], missing: string[]): Json {
    let values: Json = {};
    for (const file of source.helm?.valueFiles ?? []) {
      const ref = /^\$([^/]+)\/(.*)$/.exec(file);
      if (ref === null) {
        problems.push(`value file ${file} is not read from a ref source (the harness only follows $ref files)`);
        continue;
      }
      const holder = sources.find((s) => s.ref === ref[1]);
      const inside = holder === undefined || normalizeGitUrl(holder.repoURL) !== this.repo ? undefined : this.distRelative(ref[2]);
      const text = inside === undefined ? undefined : this.files.get(inside);
      if (text === undefined) {
        missing.push(file);
        if (!source.helm?.ignoreMissingValueFiles) {
          problems.push(`value file ${file} does not exist`);
        }
        continue;
      }
      values = mergeHelmValues(values, (YAML.parse(text) ?? {}) as Json);
    }
    return source.helm?.valuesObject === undefined ? values : mergeHelmValues(values, source.helm.valuesObject);
  }
}

/** Every Application of `instance` an ApplicationSet generated for a bundle (label `arlon.io/bundle`), by name. */
export function bundleApplications(instance: ArgoInstance): Map<string, ArgoApplication> {
  return new Map([...instance.applications].filter(([, a]) => a.object.metadata.labels?.['arlon.io/bundle'] !== undefined
    && instance.applicationSets.has(a.origin)));
}

/** The Argo CD cluster Secrets `arlonctl register` would write for `clusters` (labels it sets; servers made up). */
export function registered(fleet: string, clusters: ReadonlyArray<string | { readonly name: string; readonly argocdName: string }>): ArgoCluster[] {
  return clusters.map((c) => {
    const { name, argocdName } = typeof c === 'string' ? { name: c, argocdName: c } : c;
    return { name: argocdName, server: `https://${argocdName}.eks.example`, labels: { 'arlon.io/cluster': name, 'arlon.io/fleet': fleet } };
  });
}
