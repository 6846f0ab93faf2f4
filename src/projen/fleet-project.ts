import { javascript, typescript, YamlFile, type Task } from 'projen';
import { fleetToolchain, type FleetToolchain } from './toolchain';
import { fleetWorkflow } from './workflow';

/** Options of a `FleetProject`: those of a projen TypeScript app, with the fleet's defaults. */
export interface FleetProjectOptions extends Omit<typescript.TypeScriptProjectOptions, 'defaultReleaseBranch'> {
  /**
   * The branch Argo CD follows (the Fleet's `targetRevision`): pull requests target it, and CI checks against it.
   * @default 'main'
   */
  readonly defaultReleaseBranch?: string;
  /**
   * How the repository depends on cdk8s-arlon, as npm takes it: a version range (from a registry), a git URL
   * (`git+https://...#v1.2.0`), or `file:vendor/cdk8s-arlon-<version>.tgz` (a tarball committed in the repository).
   * @default `^` and the version of the cdk8s-arlon this project type comes from
   */
  readonly cdk8sArlonVersion?: string;
  /**
   * Publish the plan on each pull request and run `arlonctl check` in a GitHub workflow (`.github/workflows/fleet.yml`).
   * @default true
   */
  readonly fleetWorkflow?: boolean;
}

/**
 * A fleet repository, as projen manages it: `.projenrc.ts` holds `new FleetProject({ name })`, and upgrading
 * cdk8s-arlon upgrades the tasks, the CI workflow and the settings with it, as cdk8s and aws-cdk apps get theirs.
 *
 * Tasks follow projen's cdk8s apps: `build` compiles, synthesizes `dist/` and tests; `synth` runs `cdk8s synth` over
 * the current source; `test` runs jest (snapshots are never rewritten in CI: `test:update` does that) and eslint
 * without fixing, so a test run never rewrites the code; `plan` synthesizes, then shows what the change does to the
 * fleet; `check` is CI's gate. Nothing projen packages lands in `dist/`, which is Argo CD's.
 */
export class FleetProject extends typescript.TypeScriptAppProject {
  /** The branch Argo CD follows and pull requests target. */
  public readonly deployBranch: string;
  /** The versions this project pins, those cdk8s-arlon is built and tested with. */
  public readonly toolchain: FleetToolchain;
  /** `cdk8s synth`: the current source into `dist/`. Part of `build`. */
  public readonly synthTask: Task;
  /** `synth`, then `arlonctl plan --no-synth` of the dist/ it wrote. */
  public readonly planTask: Task;
  /** `arlonctl check`: dist/ is what the code synthesizes, and nothing blocked (CI). */
  public readonly checkTask: Task;

  constructor(options: FleetProjectOptions) {
    const toolchain = fleetToolchain();
    const deployBranch = options.defaultReleaseBranch ?? 'main';
    if ((options.artifactsDirectory ?? '').replace(/^\.\//, '').split('/')[0] === 'dist') {
      throw new Error(`FleetProject: artifactsDirectory "${options.artifactsDirectory}" is inside dist/, which holds what Argo CD deploys `
        + 'and what `arlonctl check` compares with a fresh synth; use a folder outside it, e.g. "build/artifacts" (the default)');
    }
    const library = options.cdk8sArlonVersion ?? `^${toolchain.cdk8sArlon}`;
    super({
      packageManager: javascript.NodePackageManager.NPM,
      projenrcTs: true,
      sampleCode: false,
      github: false,
      release: false,
      package: false,
      depsUpgrade: false,
      buildWorkflow: false,
      pullRequestTemplate: false,
      // Pins, not dist-tags: a registry that serves only `latest` must install the repository (minNodeVersion keeps
      // projen from asking for `@types/node@ts5.9`).
      typescriptVersion: toolchain.typescript,
      minNodeVersion: toolchain.minNodeVersion,
      projenVersion: toolchain.projen,
      ...options,
      defaultReleaseBranch: deployBranch,
      artifactsDirectory: options.artifactsDirectory ?? 'build/artifacts',
      jestOptions: {
        ...options.jestOptions,
        // CI must never accept a changed snapshot: `npx projen test:update` rewrites them, for review.
        updateSnapshot: javascript.UpdateSnapshot.NEVER,
        jestConfig: { collectCoverage: false, ...options.jestOptions?.jestConfig },
      },
      // `test` reports lint errors; `npx projen eslint --fix` fixes them when asked.
      eslintOptions: {
        dirs: ['src'],
        devdirs: ['test'],
        ...options.eslintOptions,
        commandOptions: { ...options.eslintOptions?.commandOptions, fix: false },
      },
    });
    this.deployBranch = deployBranch;
    this.toolchain = toolchain;

    this.addDeps(`cdk8s-arlon@${library}`, `cdk8s@${toolchain.cdk8s}`, `constructs@${toolchain.constructs}`, `cdk8s-plus-28@${toolchain.cdk8sPlus28}`);
    this.addDevDeps(`ts-node@${toolchain.tsNode}`, `cdk8s-cli@${toolchain.cdk8sCli}`, `jest@${toolchain.jest}`, `ts-jest@${toolchain.tsJest}`,
      `@types/jest@${toolchain.typesJest}`);
    if (this.eslint !== undefined) {
      this.addDevDeps(`eslint-plugin-import@${toolchain.eslintPluginImport}`, `eslint-import-resolver-typescript@${toolchain.eslintImportResolverTypescript}`);
    }
    if (library.startsWith('file:') && library.endsWith('.tgz')) {
      // projen ignores *.tgz; a tarball the repository depends on must be committed, or a fresh checkout cannot install
      this.gitignore.include(`/${library.slice('file:'.length).replace(/^\.\//, '')}`);
    }

    // dist/ is what Argo CD pulls: commit it. What a synth keeps beside it (lock, journal, render cache) stays out of git.
    this.gitignore.include('/dist/');
    this.gitignore.exclude('.*.arlon-*', '/cdk8s.out/');
    this.annotateGenerated('/dist/**');

    // `cdk8s synth` runs the current source through ts-node: an edited fleet is never synthesized from stale compiled
    // code. The fleet writes dist/ itself (a failed synth leaves it as it was); `output` is a scratch folder, because
    // cdk8s synth empties it before the program runs: it gets the bootstrap objects.
    new YamlFile(this, 'cdk8s.yaml', { obj: { language: 'typescript', app: `npx ts-node ${this.srcdir}/main.ts`, output: 'cdk8s.out' } });
    this.synthTask = this.addTask('synth', { description: 'Synthesize the fleet into dist/', exec: 'cdk8s synth' });
    // cdk8s synth asks npm for a newer cdk8s-cli first, which prints a stack trace on a machine without internet
    this.synthTask.env('CDK8S_CHECK_UPGRADE', 'false');
    this.postCompileTask.spawn(this.synthTask);
    this.planTask = this.addTask('plan', { description: 'Synthesize, then show what the change to dist/ does to the fleet' });
    // dist/ is written first (and then committed), so plan need not synthesize again into its scratch folder
    this.planTask.spawn(this.synthTask);
    this.planTask.exec('arlonctl plan --no-synth', { receiveArgs: true });
    this.checkTask = this.addTask('check', {
      description: 'For CI: dist/ is what the code synthesizes, and nothing in the change is blocked',
      exec: 'arlonctl check',
      receiveArgs: true,
    });

    if (options.fleetWorkflow ?? true) {
      new YamlFile(this, '.github/workflows/fleet.yml', { obj: fleetWorkflow(deployBranch, toolchain.minNodeVersion) });
    }
  }
}
