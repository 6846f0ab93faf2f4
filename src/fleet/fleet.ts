import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import * as l1 from '../l1';
import { Annotations, Labels, MANAGED_BY } from './labels';
import { ManagementCluster, type ManagementClusterOptions } from './management-cluster';
import { cdk8sCliOutput, digestsFile, fleetOutdir, writeCdk8sBootstrap } from './output-folders';
import { credentialInUrlProblem } from '../_credentials';
import { ValidationError, throwIfInvalid } from '../_errors';
import { FLEET_PROPS } from '../_prop-shapes';
import { unknownPropProblems } from '../_props';
import { checkDnsLabel, checkInteger, problems } from '../_validate';
import { FleetArgoCd } from '../argocd/fleet-argocd';
import { ArgoNames } from '../argocd/names';
import { RETRY } from '../argocd/sync';
import { globCharactersProblem } from '../bundle/bundle';
import { BundleRegistry } from '../bundle/bundle-registry';
import { ManagementPlane } from '../management/management-plane';
import type { ManagementPlaneOptions } from '../management/plane-options';
import { ClusterNaming, namingProblem, separatorProblem } from '../naming/cluster-names';
import { writeDigests } from '../output/digests';
import { DistLayout, repoPath } from '../output/layout';
import { ManifestChart } from '../output/manifest-chart';
import { previousPlacements } from '../output/previous-placements';
import { renderEach, renderFiles } from '../output/render';
import { writeStaged, type WriteReport } from '../output/write';
import { FleetRollout } from '../rollout/fleet-rollout';
import { scopedRolloutInputs } from '../rollout/rollout-inputs';
import type { RolloutPolicy } from '../rollout/rollout-policy';
import { rolloutStateFile } from '../rollout/rollout-state';
import { Warnings } from '../warnings';

const FLEET_SYMBOL = Symbol.for('cdk8s-arlon.Fleet');

/** Git URLs Argo CD can pull: https://, http://, ssh://, or scp-like `git@host:path`. */
/** The most shards a fleet may have: the root Application manages one Application per shard. */
const MAX_SHARDS = 500;

const GIT_URL = /^(https?:\/\/[^\s/]+(\/[^\s]*)?|ssh:\/\/[^\s]+|[a-zA-Z0-9._-]+@[a-zA-Z0-9.-]+:[^\s]+)$/;

/** Properties of a `Fleet`. */
export interface FleetProps {
  /** URL of the git repository that holds the fleet's `dist/` and that Argo CD pulls, e.g. `https://github.com/acme/fleet.git`. */
  readonly repoUrl: string;
  /**
   * Branch, tag or commit Argo CD follows.
   *
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * Path of the synthesized `dist/` folder inside the repository.
   *
   * @default 'dist'
   */
  readonly path?: string;
  /**
   * Namespace of Argo CD on the management cluster, where Applications and AppProjects live.
   *
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
  /**
   * Name of the fleet; names its root Application and AppProject, and labels everything it generates.
   *
   * @default 'fleet'
   */
  readonly name?: string;
  /**
   * Argo CD's name for the management cluster (where Cluster API runs).
   *
   * @default 'in-cluster'
   */
  readonly managementClusterName?: string;
  /**
   * How the fleet's clusters are named outside the repository (namespace, Cluster API objects, EKS cluster, Argo CD
   * cluster and Applications), unless a cluster says otherwise (`ClusterProps.naming`). A fleet deployed before
   * fleet-scoped names keeps its clusters running under their names with `ClusterNaming.UNSCOPED` (`arlonctl plan`
   * blocks the change otherwise: a cluster's identity does not rename).
   *
   * @default ClusterNaming.FLEET_SCOPED
   */
  readonly clusterNaming?: ClusterNaming;
  /**
   * The management cluster's CAPA feature gates, egress addresses and the IAM role Argo CD reaches the clusters with:
   * the prerequisites the generated objects rely on, stated once and checked at synth.
   *
   * @default - CAPA's default gates (all off), no egress addresses or roles stated
   */
  readonly management?: ManagementClusterOptions;
  /**
   * The management plane the fleet installs and then manages from `dist/` (cert-manager, Cluster API and CAPA through
   * cluster-api-operator, Argo CD), derived from `management` and the objects the fleet emits: `arlonctl bootstrap`
   * brings a bare cluster up with it. Leave it out when the management cluster is run by other means; then
   * `arlonctl bootstrap --print-settings` prints what it must match.
   *
   * @default - no management plane in `dist/`
   */
  readonly managementPlane?: ManagementPlaneOptions;
  /**
   * How many shards the fleet's Argo CD objects are divided into: each shard has one Application and one
   * ApplicationSet per bundle, generating for the clusters of the shard. A cluster's shard is a hash of its name, so
   * clusters never move between shards while the count stays; changing it moves most clusters to another
   * ApplicationSet (their Applications are deleted and created again, which keeps what they manage). Choose it for the
   * fleet's future size: each shard should hold at most a few thousand clusters (the synth refuses more than 3,000).
   * At most 500, so the root Application, which holds one Application per shard, stays far under 1,000 objects.
   *
   * @default 16
   */
  readonly shards?: number;
  /**
   * Local directory the manifests are written to. `$ARLON_OUTDIR`, when set, wins (`arlonctl check` synthesizes a
   * revision into a scratch folder that way). `$CDK8S_OUTDIR` is not used: `cdk8s synth` empties its output folder
   * before it runs the program, so its `output` names a scratch folder (`cdk8s.out`) that `synth()` gives the
   * bootstrap objects only, and the fleet writes this folder itself, atomically.
   *
   * @default - `$ARLON_OUTDIR`, else 'dist'
   */
  readonly outdir?: string;
}

/**
 * The root of a fleet: the git repository Argo CD pulls, where `dist/` sits in it and where Argo CD runs. Profiles
 * and clusters are created inside it.
 *
 * A `Fleet` is a cdk8s `App` whose `synth()` writes the fleet layout (see `DistLayout`) in linear time, rewriting
 * only the files whose content changed; the bootstrap objects it creates are the fleet's AppProject and root
 * Application (app-of-apps), which `arlonctl deploy` applies once.
 */
export class Fleet extends App {
  /** Whether `x` is a `Fleet` (works across copies of the library). */
  public static isFleet(x: unknown): x is Fleet {
    return x !== null && typeof x === 'object' && FLEET_SYMBOL in x;
  }

  /** The fleet that `construct` belongs to. */
  public static of(construct: IConstruct): Fleet {
    const root = construct.node.root;
    if (!Fleet.isFleet(root)) {
      throw new ValidationError('is not inside a Fleet; create profiles, specs and clusters with a Fleet (or a construct inside one) as their scope', construct);
    }
    return root;
  }

  public readonly name: string;
  public readonly repoUrl: string;
  public readonly targetRevision: string;
  /** Path of `dist/` inside the repository. */
  public readonly distPath: string;
  public readonly argocdNamespace: string;
  public readonly managementClusterName: string;
  /** How the fleet's clusters are named unless they say otherwise (see `FleetProps.clusterNaming`). */
  public readonly clusterNaming: ClusterNaming;
  /** The management cluster's settings (see `FleetProps.management`). */
  public readonly management: ManagementCluster;
  /** The number of shards of the fleet's Argo CD objects (see `FleetProps.shards`). */
  public readonly shards: number;
  /** The fleet's Argo CD objects beyond the bootstrap: its AppProjects, shards and ApplicationSets (escape hatch). */
  public readonly argocd: FleetArgoCd;
  /** The bootstrap AppProject: lets the root Application manage Argo CD objects in the Argo CD namespace, nothing else. */
  public readonly appProject: l1.ArgoAppProject;
  /** The root Application: syncs `dist/argocd` (every cluster's AppProject and Applications) into the Argo CD namespace. */
  public readonly rootApplication: l1.ArgoApplication;
  /** The management plane (see `FleetProps.managementPlane`), when the fleet has one. */
  public readonly managementPlane?: ManagementPlane;
  /** The Application that keeps the management plane's Applications in sync, when the fleet manages its management plane. */
  public readonly managementApplication?: l1.ArgoApplication;

  /**
   * The fleet's bundles and their ApplicationSets.
   * @internal
   */
  public readonly _bundles: BundleRegistry;
  /**
   * The fleet's rollouts (`dist.rollout.yaml`).
   * @internal
   */
  public readonly _rollout: FleetRollout;
  private defaultPolicy?: RolloutPolicy;

  private readonly namesInUse = new Map<string, IConstruct>();

  constructor(props: FleetProps) {
    super({ outdir: fleetOutdir(props.outdir) });
    Object.defineProperty(this, FLEET_SYMBOL, { value: true });
    this.name = props.name ?? 'fleet';
    this.repoUrl = props.repoUrl;
    this.targetRevision = props.targetRevision ?? 'HEAD';
    this.distPath = (props.path ?? 'dist').replace(/\/+$/, '');
    this.argocdNamespace = props.argocdNamespace ?? 'argocd';
    this.managementClusterName = props.managementClusterName ?? 'in-cluster';
    this.clusterNaming = props.clusterNaming ?? ClusterNaming.FLEET_SCOPED;
    this.management = new ManagementCluster(props.management);
    this.shards = props.shards ?? 16;
    throwIfInvalid([...unknownPropProblems(props, FLEET_PROPS), ...this.problems()], this);

    const bootstrap = new ManifestChart(this, 'Bootstrap', { folder: DistLayout.fleetDir });
    const metadata = { name: this.name, namespace: this.argocdNamespace, labels: this.labels() };
    this.appProject = new l1.ArgoAppProject(bootstrap, 'AppProject', {
      metadata,
      spec: {
        description: `cdk8s-arlon fleet "${this.name}": the root Application and the shard Applications, which manage the fleet's Argo CD objects`,
        sourceRepos: [this.repoUrl],
        destinations: [{ name: this.managementClusterName, namespace: this.argocdNamespace }],
        namespaceResourceWhitelist: [
          ...['AppProject', 'Application', 'ApplicationSet'].map((kind) => ({ group: 'argoproj.io', kind })),
          { group: '', kind: 'ConfigMap' },
        ],
      },
    });
    this.rootApplication = new l1.ArgoApplication(bootstrap, 'RootApplication', {
      // `arlonctl register` reads Argo CD's role from here, so the Argo CD cluster Secrets and the clusters' access
      // entries name the same role.
      metadata: this.management.argoCdRoleArn === undefined ? metadata
        : { ...metadata, annotations: { [Annotations.ARGOCD_ROLE_ARN]: this.management.argoCdRoleArn } },
      spec: {
        project: this.name,
        source: {
          repoUrl: this.repoUrl,
          targetRevision: this.targetRevision,
          // The shards' folders below it are synced by the shard Applications.
          path: repoPath(this.distPath, DistLayout.argocdDir),
          directory: { recurse: false },
        },
        destination: { name: this.managementClusterName, namespace: this.argocdNamespace },
        // Prune removes the Application of a shard whose last cluster is gone. Argo CD never auto-syncs an empty
        // source. Server-side apply: nothing is copied into a last-applied annotation.
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: RETRY },
      },
    });
    const registry: BundleRegistry = this._bundles = new BundleRegistry(this, {
      name: this.name,
      repoUrl: this.repoUrl,
      targetRevision: this.targetRevision,
      inlineBundlePath: (bundle) => repoPath(this.distPath, DistLayout.bundleDir(bundle)),
      distFilePath: (file) => repoPath(this.distPath, file),
      argocdNamespace: this.argocdNamespace,
      labels: this.labels(),
      shardFor: (cluster) => this.argocd.shardFor(cluster),
    });
    this.argocd = new FleetArgoCd(this, 'ArgoCd', this, { repositories: () => registry.repositories(), namespaces: () => registry.namespaces() });
    if (props.managementPlane !== undefined) {
      this.managementPlane = this.addManagementPlane(bootstrap, props.managementPlane);
    }
    // Inside `withRolloutInputs` (FleetTesting), what the last synthesis recorded comes from where the caller says, not from beside outdir.
    const inputs = scopedRolloutInputs();
    this._rollout = inputs === undefined ? new FleetRollout(this.name, rolloutStateFile(this.outdir), this, previousPlacements(this.outdir))
      : new FleetRollout(this.name, inputs.stateName, this, inputs.previousPlacement, inputs.readState);
    this.node.addValidation({ validate: () => this.argoNameProblems() });
    this.node.addValidation({ validate: () => this._rollout.problems() });
  }

  /**
   * The management plane's objects, and the Application in the bootstrap folder that keeps its Applications in sync
   * with `dist/management/applications/` once `arlonctl bootstrap` has applied them.
   */
  private addManagementPlane(bootstrap: ManifestChart, options: ManagementPlaneOptions): ManagementPlane {
    const plane = new ManagementPlane(this, 'ManagementPlane', {
      fleetName: this.name,
      repoUrl: this.repoUrl,
      targetRevision: this.targetRevision,
      distPath: this.distPath,
      argocdNamespace: this.argocdNamespace,
      managementClusterName: this.managementClusterName,
      eksEnableIam: this.management.eksEnableIam,
      size: () => {
        const clusters = this.argocd.clusters().length;
        const bundleApplications = this._bundles.generatedApplications().length;
        const applicationSets = this.node.findAll().filter((c) => ApiObject.isApiObject(c) && c.kind === 'ApplicationSet').length;
        return { clusters, applications: clusters + bundleApplications, applicationSets };
      },
    }, options);
    if (options.managed === false) {
      return plane;
    }
    (this as { managementApplication?: l1.ArgoApplication }).managementApplication = new l1.ArgoApplication(bootstrap, 'ManagementApplication', {
      metadata: { name: ArgoNames.managementRoot(this.name), namespace: this.argocdNamespace, labels: this.labels() },
      spec: {
        project: this.name,
        source: { repoUrl: this.repoUrl, targetRevision: this.targetRevision, path: repoPath(this.distPath, DistLayout.managementApplicationsDir) },
        destination: { name: this.managementClusterName, namespace: this.argocdNamespace },
        // No prune: removing a component's Application from the code leaves it, and what it installed, in place.
        syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: RETRY },
      },
    });
    return plane;
  }

  /** The rollout policy of profiles that name none (see `setDefaultRolloutPolicy`). */
  public get defaultRolloutPolicy(): RolloutPolicy | undefined {
    return this.defaultPolicy;
  }

  /**
   * Makes `policy` the rollout policy of every profile that names none of its own: a change to such a profile's spec
   * then reaches its clusters wave by wave (see `RolloutPolicy`). Set it before creating clusters.
   */
  public setDefaultRolloutPolicy(policy: RolloutPolicy): void {
    if (this.defaultPolicy !== undefined) {
      throw new ValidationError(`already has default rollout policy "${this.defaultPolicy.node.path}"; set it once, or give profiles their own with \`rollout\``, this);
    }
    if ([...this.namesInUse.keys()].some((key) => key.startsWith('cluster/'))) {
      throw new ValidationError('has clusters already, placed without a rollout policy; call `setDefaultRolloutPolicy` before creating clusters', this);
    }
    this.defaultPolicy = policy;
  }

  /** Labels on everything the fleet generates. */
  public labels(): Record<string, string> {
    return { [Labels.MANAGED_BY]: MANAGED_BY, [Labels.FLEET]: this.name };
  }

  /**
   * Renders every manifest of the fleet in memory, keyed by path inside `dist/`, after running all validations.
   * Nothing is written; `synth()` writes this.
   */
  public renderFiles(): Map<string, string> {
    return renderFiles(this);
  }

  /**
   * Writes the fleet into `outdir`: only new or changed files are written, and generated files nothing produces any
   * more are removed. Objects are rendered and staged one at a time, so memory does not grow with the output; a
   * synth that fails (bad input, an exception in user code) drops what it staged and leaves `outdir` as it was.
   * Then, when profiles follow a rollout policy, it records their rollout state beside `outdir` (`dist.rollout.yaml`).
   * When `arlonctl check` runs the program ($ARLON_DIGESTS set), the digests of the files are written instead.
   */
  public writeFiles(): WriteReport {
    return this.write().report;
  }

  /**
   * Synthesizes the fleet into `outdir` (see `writeFiles`) and prints a one-line summary to stderr: files written,
   * unchanged (and of those, known unchanged from the render cache) and removed. Run by `cdk8s synth`, it also writes
   * the bootstrap objects (AppProject and root Application) to `fleet.k8s.yaml` in the CLI's output folder. Throws
   * when the synth fails; see `synthFleet` for a program's main that prints the message instead.
   */
  public override synth(): void {
    this._synthesize((text) => process.stderr.write(text));
  }

  /**
   * `synth()`, printing the summary with `print`.
   * @internal
   */
  public _synthesize(print: (text: string) => void): WriteReport {
    const cdk8sCli = cdk8sCliOutput(this.outdir);
    if (cdk8sCli.warning !== undefined) {
      print(cdk8sCli.warning);
    }
    const notices = this._rollout.notices();
    const { report, rolloutStateWritten } = this.write();
    const rollout = rolloutStateWritten ? `; ${path.basename(this._rollout.stateFile)} updated` : '';
    // In the order of their files in dist/fleet/.
    const objects = [this.appProject, ...(this.managementApplication === undefined ? [] : [this.managementApplication]), this.rootApplication];
    const bootstrap = cdk8sCli.folder === undefined ? '' : `; bootstrap objects in ${writeCdk8sBootstrap(cdk8sCli.folder, objects)}`;
    print(`synthesized fleet "${this.name}" into ${this.outdir}: ${report.written} written, ${report.unchanged} unchanged `
      + `(${report.cached} from the render cache), ${report.removed} removed${rollout}${bootstrap}\n`);
    for (const notice of notices) {
      print(`${notice}\n`);
    }
    // Valid but suspicious input (see `Warnings`): reported, never fatal.
    for (const line of Warnings.format(Warnings.collect(this))) {
      print(`${line}\n`);
    }
    return report;
  }

  /** `writeFiles()`, saying whether the rollout state file was written too. */
  private write(): { report: WriteReport; rolloutStateWritten: boolean } {
    // `arlonctl check` compares by digest: the files themselves would be written to disk, read back and deleted
    const digests = digestsFile();
    const report = digests !== undefined ? writeDigests(digests, (sink) => renderEach(this, sink))
      : writeStaged(this.outdir, (writer) => renderEach(this, writer));
    return { report, rolloutStateWritten: this._rollout.write() };
  }

  /**
   * Claims `name` among the names of one kind of thing (`space`, e.g. "cluster") that must be unique in the fleet; a
   * cluster's name in Argo CD (`argoCdName`) must not be the management cluster's.
   * @internal
   */
  public _reserveName(space: string, name: string, owner: IConstruct, argoCdName: string = name): void {
    if (space === 'cluster' && argoCdName === this.managementClusterName) {
      throw new ValidationError(`cluster name "${name}" gives the name Argo CD knows the management cluster by (\`managementClusterName\`), so `
        + 'Argo CD would send this cluster\'s bundles to the management cluster; rename the cluster, or give the management cluster '
        + 'another name in Argo CD and set `managementClusterName` on the Fleet', owner);
    }
    if (space === 'cluster' && this.management.argoCdClusterNames.includes(argoCdName)) {
      throw new ValidationError(`cluster name "${name}" gives a name Argo CD knows the management cluster by (\`management.argoCdClusterNames\`: `
        + `${this.management.argoCdClusterNames.join(', ')}), and the bundles' AppProject denies it, so this cluster would get no bundles; `
        + 'rename the cluster', owner);
    }
    const key = `${space}/${name}`;
    const holder = this.namesInUse.get(key);
    if (holder !== undefined) {
      throw new ValidationError(`${space} name "${name}" is already used by ${holder.node.path === '' ? 'the fleet itself' : `"${holder.node.path}"`}; `
        + `every ${space} needs its own name, so pick another`, owner);
    }
    this.namesInUse.set(key, owner);
  }

  /**
   * Argo CD objects of one kind share a namespace, so their names must differ across the whole fleet, including the
   * Applications the bundle ApplicationSets will generate (an unscoped `<cluster>-<bundle>` can collide with another cluster).
   */
  private argoNameProblems(): string[] {
    const owners = new Map<string, string[]>();
    const claim = (kind: string, name: string, owner: string) => {
      const key = `${kind} "${name}"`;
      owners.set(key, [...(owners.get(key) ?? []), owner]);
    };
    for (const construct of this.node.findAll()) {
      if (ApiObject.isApiObject(construct) && construct.apiGroup === 'argoproj.io') {
        claim(construct.kind, construct.name, `"${construct.node.path}"`);
      }
    }
    for (const app of this._bundles.generatedApplications()) {
      claim('Application', app.name, `bundle "${app.bundle}" on cluster "${app.cluster}"`);
    }
    for (const cluster of this.argocd.clusters()) {
      claim('Application', cluster.base, `cluster "${cluster.name}"`);
    }
    return [...owners].filter(([, by]) => by.length > 1)
      .map(([key, by]) => `Argo CD ${key} would be produced ${by.length} times, by ${by.join(' and ')}; rename one of the clusters or bundles`);
  }

  private problems(): string[] {
    return problems(
      checkDnsLabel('`name`', this.name),
      separatorProblem('fleet `name`', this.name),
      namingProblem('`clusterNaming`', this.clusterNaming),
      GIT_URL.test(this.repoUrl) ? undefined
        : `\`repoUrl\` "${this.repoUrl}" is not a git URL Argo CD can pull (https://host/path, ssh://host/path or git@host:path)`,
      globCharactersProblem('the fleet\'s', this.repoUrl),
      credentialInUrlProblem('`repoUrl`', this.repoUrl),
      this.targetRevision.trim() === '' ? '`targetRevision` is empty; use a branch, tag or commit (e.g. "main")'
        : /\s/.test(this.targetRevision) ? `\`targetRevision\` ${JSON.stringify(this.targetRevision)} holds whitespace, which no git branch, tag or commit has; `
          + 'remove it (e.g. "main")' : undefined,
      this.distPath.startsWith('/') || this.distPath.split('/').includes('..')
        ? `\`path\` "${this.distPath}" must be relative to the repository root and stay inside it (e.g. "dist")` : undefined,
      checkDnsLabel('`argocdNamespace`', this.argocdNamespace),
      checkInteger('`shards`', this.shards, 1, MAX_SHARDS),
      this.management.problems(),
      this.managementClusterName.trim() === '' ? '`managementClusterName` is empty; Argo CD calls the cluster it runs in "in-cluster"' : undefined,
    );
  }
}
