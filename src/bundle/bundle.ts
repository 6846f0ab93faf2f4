import type { Construct } from 'constructs';
import type { BundleOptions, GitBundleOptions, HelmBundleOptions, InlineBundleOptions } from './bundle-options';
import { GitSourceType } from './bundle-options';
import type { BundleTarget } from './bundle-target';
import { RemovalPolicy } from './removal-policy';
import { secretLikeValues, secretValuesProblem } from './secrets';
import { credentialInText, credentialInUrlProblem } from '../_credentials';
import { plainDataProblem } from '../_json';
import { GIT_BUNDLE_OPTIONS, HELM_BUNDLE_OPTIONS, INLINE_BUNDLE_OPTIONS } from '../_prop-shapes';
import { unknownPropProblems, type PropShape } from '../_props';
import { checkDnsLabel, checkPlainMap, problems } from '../_validate';

/** Helm versions that float (ranges, wildcards, "latest"): a bundle must name one chart version. */
const FLOATING_VERSION = /[*^~<>=| ]|(^|\.)[xX](\.|$)|^latest$/;
/**
 * One exact SemVer 2 version. Argo CD reads a Helm `targetRevision` as a constraint (Masterminds semver), so `1.2`
 * matches every 1.2.x and `1` every 1.x: only all three numbers pin a chart.
 */
const EXACT_CHART_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
/** Helm's release names (helm/helm `pkg/chartutil/validate_name.go`: `releaseNameRegex`, `maxReleaseNameLen`). */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_RELEASE_NAME = 53;

/**
 * Git revisions that pin content: a commit SHA (full or abbreviated), a tag under `refs/tags/`, or a tag named like a
 * version (`v1.2.3`, `1.4`, `v2`). Anything else may be a branch, which moves without review.
 */
const PINNED_REVISION = /^([0-9a-f]{7,40}|refs\/tags\/[^\s]+|v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?)$/;

/**
 * A repository URL with glob characters: Argo CD matches an AppProject's `sourceRepos` as globs
 * (`pkg/apis/application/v1alpha1/app_project_types.go`, `IsSourcePermitted`), so the project entry the library writes
 * for such a URL would not admit the URL itself.
 */
export function globCharactersProblem(at: string, repoUrl: string | undefined): string | undefined {
  const found = [...new Set((repoUrl ?? '').match(/[*?[\]{}\\]/g) ?? [])];
  // The URL itself is not quoted: it may carry a credential, reported on its own.
  return found.length === 0 ? undefined : `${at} \`repoUrl\` holds ${found.map((c) => `"${c}"`).join(', ')}, which Argo CD reads as a glob `
    + 'in the AppProject that admits the repository; use the URL without them (percent-encode them if the server needs them)';
}

/** A repository URL with a password or token (an SSH URL's `git@` is a user name, not one). */
function credentialsProblem(at: string, repoUrl: string | undefined): string | undefined {
  return credentialInUrlProblem(`${at} \`repoUrl\``, repoUrl);
}

/** An Argo CD application source as the generated bindings spell it (`repoUrl` is emitted as `repoURL`). */
export interface BundleSource {
  readonly repoUrl: string;
  readonly targetRevision?: string;
  readonly chart?: string;
  readonly path?: string;
  readonly directory?: { readonly recurse?: boolean };
  readonly kustomize?: Record<string, never>;
  readonly helm?: { readonly releaseName?: string; readonly valueFiles?: readonly string[]; readonly ignoreMissingValueFiles?: boolean };
  /** Names a source other sources read files from (`$<ref>/path`), as a multi-source Application's values source. */
  readonly ref?: string;
}

/** The kinds of bundle. */
export enum BundleKind {
  HELM = 'helm',
  GIT = 'git',
  INLINE = 'inline',
}

/** Where the fleet keeps inline bundles, for sources that point back at the fleet repository. */
export interface FleetRepository {
  readonly repoUrl: string;
  readonly targetRevision: string;
  /** Path inside the repository of the folder holding the inline bundle's files. */
  readonly inlineBundlePath: (bundle: string) => string;
  /** Path inside the repository of a file of `dist/` (given by its path inside `dist/`). */
  readonly distFilePath: (file: string) => string;
}

/**
 * A unit of things to install on every cluster that carries it: a Helm chart, a path in a git repository, or cdk8s
 * constructs. Create one with `Bundle.helm()`, `Bundle.git()` or `Bundle.inline()`, or take a ready one from
 * `Bundles`, and put it in a profile's (or a cluster's) `bundles`.
 *
 * A bundle name means one definition across the fleet: share the same `Bundle` object between profiles.
 */
export abstract class Bundle {
  /** A Helm chart from an HTTP(S) repository or an OCI registry, rendered by Argo CD. */
  public static helm(name: string, options: HelmBundleOptions): HelmBundle {
    return new HelmBundle(name, options);
  }

  /** A path in a git repository: plain manifests, a kustomization, or a Helm chart kept in git. */
  public static git(name: string, options: GitBundleOptions): GitBundle {
    return new GitBundle(name, options);
  }

  /** cdk8s constructs, synthesized into `dist/bundles/<name>/` and served from the fleet repository. */
  public static inline(name: string, options: InlineBundleOptions): InlineBundle {
    return new InlineBundle(name, options);
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly description?: string;
  public readonly extraNamespaces: readonly string[];
  public readonly createNamespace: boolean;
  public readonly prune: boolean;
  public readonly selfHeal: boolean;
  public readonly syncOptions: readonly string[];
  public readonly allowSecrets: boolean;
  public readonly removalPolicy: RemovalPolicy;
  public abstract readonly kind: BundleKind;
  /** Props given that the bundle does not take (a misspelt prop from JavaScript). */
  private readonly unknownProps: readonly string[];

  protected constructor(name: string, options: BundleOptions, shape: PropShape) {
    this.unknownProps = unknownPropProblems(options, shape, `bundle "${name}" `);
    this.name = name;
    this.namespace = options.namespace;
    this.description = options.description;
    this.extraNamespaces = [...(options.extraNamespaces ?? [])];
    this.createNamespace = options.createNamespace ?? true;
    this.prune = options.prune ?? true;
    this.selfHeal = options.selfHeal ?? true;
    this.syncOptions = [...(options.syncOptions ?? [])];
    this.allowSecrets = options.allowSecrets ?? false;
    this.removalPolicy = options.removalPolicy ?? RemovalPolicy.RETAIN;
  }

  /** Whether the bundle takes Helm values, and therefore per-cluster values. */
  public get takesValues(): boolean {
    return false;
  }

  /** Whether the bundle needs a fleet cluster with an EKS spec (rather than an external cluster). */
  public get requiresEksSpec(): boolean {
    return false;
  }

  /** Whether the bundle scales node pools itself, so Cluster API must leave their replica counts alone. */
  public get managesNodePoolReplicas(): boolean {
    return false;
  }

  /**
   * Whether the bundle's pods on `target` assume an IAM role through their service account (IRSA), which needs the
   * cluster's IAM OIDC provider.
   */
  public usesIamRolesForServiceAccounts(_target: BundleTarget): boolean {
    return false;
  }

  /** The Argo CD source of the bundle's Applications. */
  public abstract source(fleet: FleetRepository): BundleSource;

  /** The repository the source pulls from (what an AppProject's `sourceRepos` must allow). */
  public abstract repositoryUrl(fleet: FleetRepository): string;

  /** Per-cluster Helm values computed by the bundle itself (none unless the bundle computes some). */
  public valuesFor(_target: BundleTarget): Record<string, unknown> {
    return {};
  }

  /** The Helm values for every cluster (none for bundles that take no values). */
  public baseValues(): Readonly<Record<string, unknown>> {
    return {};
  }

  /**
   * The settings that define the bundle, as plain data, or undefined when the bundle holds code (functions,
   * constructs), so only the same object can stand for it. Two bundles of one name must have equal definitions.
   */
  public abstract definition(): Record<string, unknown> | undefined;

  /**
   * What a rollout records of the bundle, as plain data: the definition, with a function that computes values per
   * cluster recorded as `valuesForCluster: true` (it is taken from the code when the revision is read back); undefined
   * for an inline bundle, whose objects are not versioned.
   */
  public revisionData(): Record<string, unknown> | undefined {
    return undefined;
  }

  /** Every problem with the bundle's settings. */
  public problems(): string[] {
    return problems(
      [...this.unknownProps],
      checkDnsLabel('bundle name', this.name),
      checkDnsLabel(`bundle "${this.name}" \`namespace\``, this.namespace),
      this.extraNamespaces.map((ns) => checkDnsLabel(`bundle "${this.name}" \`extraNamespaces\` entry`, ns)).filter((p): p is string => p !== undefined),
      Object.values(RemovalPolicy).includes(this.removalPolicy) ? undefined
        : `bundle "${this.name}" \`removalPolicy\` "${String(this.removalPolicy)}" is not one of ${Object.keys(RemovalPolicy).map((k) => `RemovalPolicy.${k}`).join(', ')}`,
      this.syncOptions.filter((o) => !/^[A-Za-z]+=[A-Za-z0-9,=-]+$/.test(o))
        .map((o) => `bundle "${this.name}" \`syncOptions\` entry "${o}" is not an Argo CD sync option (Name=value, e.g. "ServerSideApply=true")`),
      this.descriptionProblem(),
    );
  }

  /** A description that holds a credential (it is shown in the Argo CD UI and committed in dist/), unless allowed. */
  private descriptionProblem(): string | undefined {
    const rule = this.allowSecrets || typeof this.description !== 'string' ? undefined : credentialInText(this.description);
    return rule === undefined ? undefined : `bundle "${this.name}" \`description\` looks secret (${rule}); it is committed in dist/ and shown in `
      + 'the Argo CD UI, so describe the bundle without the secret (keep it in a Secret on the cluster), or set `allowSecrets: true` on the bundle '
      + 'if it is not a secret';
  }

  /** The common settings, for `definition()`. */
  protected commonDefinition(): Record<string, unknown> {
    return {
      kind: this.kind,
      name: this.name,
      namespace: this.namespace,
      description: this.description,
      extraNamespaces: this.extraNamespaces,
      createNamespace: this.createNamespace,
      prune: this.prune,
      selfHeal: this.selfHeal,
      syncOptions: this.syncOptions,
      removalPolicy: this.removalPolicy,
    };
  }
}

/**
 * A bundle rendered by Helm (a chart from a repository, or one kept in git): it takes values for every cluster, and
 * values computed per cluster.
 */
export abstract class ValuesBundle extends Bundle {
  /** Values for every cluster. */
  public readonly values: Readonly<Record<string, unknown>>;
  private readonly computeValues?: (target: BundleTarget) => Record<string, unknown>;

  protected constructor(name: string, options: BundleOptions & {
    readonly values?: Readonly<Record<string, unknown>>;
    readonly valuesForCluster?: (target: BundleTarget) => Record<string, unknown>;
  }, shape: PropShape) {
    super(name, options, shape);
    const values = options.values ?? {};
    // Kept as given when it is not plain data, so that `problems()` names what is wrong instead of a failed clone.
    this.values = plainDataProblem(values) === undefined ? structuredClone(values) : values;
    this.computeValues = options.valuesForCluster;
  }

  public override valuesFor(target: BundleTarget): Record<string, unknown> {
    return this.computeValues ? this.computeValues(target) : {};
  }

  public override baseValues(): Readonly<Record<string, unknown>> {
    return this.values;
  }

  /** Whether values are computed per cluster (then the bundle holds code, and only the same object can stand for it). */
  public get computesValues(): boolean {
    return this.computeValues !== undefined;
  }

  /** The definition, unless values are computed per cluster (then only the same object can stand for the bundle). */
  public definition(): Record<string, unknown> | undefined {
    return this.computesValues ? undefined : this.settings();
  }

  /** The definition, with a values function recorded as `valuesForCluster: true`. */
  public override revisionData(): Record<string, unknown> {
    return { ...this.settings(), ...(this.computesValues ? { valuesForCluster: true } : {}) };
  }

  /** Every setting of the bundle as plain data: what `definition()` and `revisionData()` return. */
  protected abstract settings(): Record<string, unknown>;

  /** Problems of the values: secret-looking literals, unless allowed. */
  protected valuesProblems(at: string): string[] {
    const notAMap = checkPlainMap(`${at} \`values\``, this.values, '{ replicaCount: 2 }');
    if (notAMap !== undefined) {
      return [`${notAMap}: Helm values are a map at the top`];
    }
    const data = plainDataProblem(this.values);
    if (data !== undefined) {
      return [`${at} \`values\`: ${data}`];
    }
    const problem = this.allowSecrets ? undefined : secretValuesProblem(`${at} \`values\``, secretLikeValues(this.values));
    return problem === undefined ? [] : [problem];
  }
}

/** A Helm chart from an HTTP(S) repository or an OCI registry, rendered by Argo CD on each cluster. */
export class HelmBundle extends ValuesBundle {
  public readonly kind = BundleKind.HELM;
  public readonly repoUrl: string;
  public readonly chart: string;
  public readonly version: string;
  public readonly releaseName: string;

  /** Use `Bundle.helm()`. */
  constructor(name: string, options: HelmBundleOptions) {
    super(name, options, HELM_BUNDLE_OPTIONS);
    this.repoUrl = options.repoUrl?.replace(/\/+$/, '');
    this.chart = options.chart;
    this.version = options.version;
    this.releaseName = options.releaseName ?? name;
  }

  public override get takesValues(): boolean {
    return true;
  }

  /** Whether the chart comes from an OCI registry. */
  public get isOci(): boolean {
    return (this.repoUrl ?? '').startsWith('oci://');
  }

  public source(): BundleSource {
    const helm = { releaseName: this.releaseName };
    return this.isOci
      ? { repoUrl: this.repositoryUrl(), targetRevision: this.version, path: '.', helm }
      : { repoUrl: this.repositoryUrl(), chart: this.chart, targetRevision: this.version, helm };
  }

  /** OCI charts use Argo CD's native OCI source (3.1+): the chart is part of the URL (and the path is '.'). */
  public repositoryUrl(): string {
    return this.isOci ? `${this.repoUrl}/${this.chart}` : this.repoUrl;
  }

  protected settings(): Record<string, unknown> {
    return {
      ...this.commonDefinition(), repoUrl: this.repoUrl, chart: this.chart, version: this.version, releaseName: this.releaseName, values: this.values,
    };
  }

  /** The release name Helm would refuse; one that defaults to the bundle name is only checked for length (the name is checked). */
  private releaseNameProblem(at: string): string | undefined {
    const name = this.releaseName;
    if (typeof name === 'string' && name.length <= MAX_RELEASE_NAME && (name === this.name || RELEASE_NAME.test(name))) {
      return undefined;
    }
    return name === this.name
      ? `${at}: the bundle name is the Helm release name, and Helm allows at most ${MAX_RELEASE_NAME} characters; set a shorter \`releaseName\``
      : `${at} \`releaseName\` ${JSON.stringify(name)} is not a Helm release name (lowercase letters, digits, "-" and ".", at most ${MAX_RELEASE_NAME} `
        + 'characters)';
  }

  public override problems(): string[] {
    const at = `bundle "${this.name}"`;
    return problems(
      super.problems(),
      typeof this.repoUrl === 'string' && /^(https?|oci):\/\/[^\s/]+/.test(this.repoUrl) ? undefined
        : `${at} \`repoUrl\` "${this.repoUrl}" is not a Helm repository URL (https://host/path) or OCI registry path (oci://registry/path)`,
      credentialsProblem(at, this.repoUrl),
      globCharactersProblem(at, this.repoUrl),
      typeof this.chart === 'string' && /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(this.chart) ? undefined
        : `${at} \`chart\` "${this.chart}" is not a chart name (lowercase letters, digits, '-', '_' and '.')`,
      this.releaseNameProblem(at),
      typeof this.version !== 'string' || FLOATING_VERSION.test(this.version) || !EXACT_CHART_VERSION.test(this.version)
        ? `${at} \`version\` "${this.version}" is not one exact chart version; pin it (e.g. "1.2.3") so that every upgrade is a reviewed commit` : undefined,
      this.valuesProblems(at),
    );
  }
}

/** A path in a git repository: plain manifests, a kustomization, or a Helm chart kept in git. */
export class GitBundle extends ValuesBundle {
  public readonly kind = BundleKind.GIT;
  public readonly repoUrl: string;
  public readonly revision: string;
  public readonly path: string;
  public readonly type: GitSourceType;
  public readonly recurse: boolean;
  public readonly trackBranch: boolean;

  /** Use `Bundle.git()`. */
  constructor(name: string, options: GitBundleOptions) {
    super(name, options, GIT_BUNDLE_OPTIONS);
    this.repoUrl = options.repoUrl;
    this.revision = options.revision;
    this.trackBranch = options.trackBranch ?? false;
    this.path = options.path?.replace(/^\.?\/+|\/+$/g, '');
    this.type = options.type ?? GitSourceType.DIRECTORY;
    this.recurse = options.recurse ?? false;
  }

  public override get takesValues(): boolean {
    return this.type === GitSourceType.HELM;
  }

  public repositoryUrl(): string {
    return this.repoUrl;
  }

  public source(): BundleSource {
    const base = { repoUrl: this.repoUrl, targetRevision: this.revision, path: this.path };
    switch (this.type) {
      case GitSourceType.KUSTOMIZE:
        return { ...base, kustomize: {} };
      case GitSourceType.HELM:
        return { ...base, helm: { releaseName: this.name } };
      default:
        return { ...base, directory: { recurse: this.recurse } };
    }
  }

  protected settings(): Record<string, unknown> {
    return {
      ...this.commonDefinition(),
      repoUrl: this.repoUrl,
      revision: this.revision,
      trackBranch: this.trackBranch,
      path: this.path,
      type: this.type,
      recurse: this.recurse,
      values: this.values,
    };
  }

  private revisionProblem(at: string): string | undefined {
    if (typeof this.revision !== 'string' || this.revision.trim() === '' || /\s/.test(this.revision)) {
      return `${at} \`revision\` ${JSON.stringify(this.revision)} is not a git revision; use a commit SHA or a tag (e.g. "v1.2.3")`;
    }
    if (this.trackBranch || PINNED_REVISION.test(this.revision)) {
      return undefined;
    }
    return `${at} \`revision\` "${this.revision}" does not pin the content: it may be a branch (or HEAD), which moves without review; use a `
      + 'commit SHA, a version tag (e.g. "v1.2.3") or "refs/tags/<tag>", or set `trackBranch: true` to follow a branch on purpose';
  }

  public override problems(): string[] {
    const at = `bundle "${this.name}"`;
    return problems(
      super.problems(),
      typeof this.repoUrl === 'string' && /^(https?:\/\/[^\s/]+\/\S+|ssh:\/\/\S+|[\w.-]+@[\w.-]+:\S+)$/.test(this.repoUrl) ? undefined
        : `${at} \`repoUrl\` "${this.repoUrl}" is not a git URL (https://host/path, ssh://host/path or git@host:path)`,
      credentialsProblem(at, this.repoUrl),
      globCharactersProblem(at, this.repoUrl),
      this.revisionProblem(at),
      typeof this.path !== 'string' || this.path === '' || this.path.split('/').includes('..')
        ? `${at} \`path\` "${this.path}" must be a path inside the repository (use "." for its root)` : undefined,
      this.type !== GitSourceType.HELM && (Object.keys(this.values).length > 0 || this.computesValues)
        ? `${at} sets Helm values but its \`type\` is ${this.type}; values need \`type: GitSourceType.HELM\`` : undefined,
      this.valuesProblems(at),
    );
  }
}

/** cdk8s constructs synthesized into `dist/bundles/<name>/` and synced to every cluster that carries the bundle. */
export class InlineBundle extends Bundle {
  public readonly kind = BundleKind.INLINE;
  /** Builds the bundle's objects into a scope. */
  public readonly define: (scope: Construct) => void;

  /** Use `Bundle.inline()`. */
  constructor(name: string, options: InlineBundleOptions) {
    super(name, options, INLINE_BUNDLE_OPTIONS);
    this.define = options.define;
  }

  public source(fleet: FleetRepository): BundleSource {
    const path = fleet.inlineBundlePath(this.name);
    return { repoUrl: this.repositoryUrl(fleet), targetRevision: fleet.targetRevision, path, directory: { recurse: false } };
  }

  /** Inline bundles are served from the fleet repository itself. */
  public repositoryUrl(fleet: FleetRepository): string {
    return fleet.repoUrl;
  }

  /** Inline bundles hold code, so only the same object can stand for one. */
  public definition(): undefined {
    return undefined;
  }

  public override problems(): string[] {
    return [
      ...super.problems(),
      ...(typeof this.define === 'function' ? [] : [`bundle "${this.name}" \`define\` must be a function that builds the bundle's constructs in the scope it is given`]),
    ];
  }
}
