/**
 * The files `arlonctl init` writes: a fleet repository managed by projen, the way cdk8s and projen projects are set
 * up. Versions are those this library is built and tested with (TypeScript 5.9: ts-jest refuses 7.x).
 */

/** What `init` is told about the fleet. */
export interface FleetRepository {
  /** The fleet's name (`Fleet` name, also the package name `<name>-fleet`). */
  readonly name: string;
  /** The git URL Argo CD pulls. */
  readonly repoUrl: string;
  /** The branch Argo CD follows and pull requests target. */
  readonly branch: string;
  /** How the repository depends on cdk8s-arlon (a version, a git URL, a tarball path). */
  readonly library: string;
}

/** Versions of the toolchain the fleet repository pins. */
export const TOOLCHAIN = {
  projen: '^0.103.25',
  typescript: '5.9.3',
  tsNode: '^10.9.2',
  cdk8s: '^2.70.0',
  constructs: '^10.3.0',
  cdk8sPlus: '^2.5.6',
  cdk8sCli: '^2.207.60',
} as const;

/** The fleet repository's files, by path. */
export function fleetRepositoryFiles(repo: FleetRepository): Map<string, string> {
  return new Map([
    ['.projenrc.ts', projenrc(repo)],
    ['src/fleet.ts', fleetProgram(repo)],
    ['src/main.ts', mainProgram()],
    ['test/fleet.test.ts', fleetTest()],
    // Until the first `npx projen` writes its own: the task that runs .projenrc.ts, and the packages it needs.
    ['.projen/tasks.json', `${JSON.stringify(bootstrapTasks(), null, 2)}\n`],
  ]);
}

/** The package.json `npm install` reads before projen manages it, merged into one that exists. */
export function bootstrapPackage(repo: FleetRepository, existing: Record<string, unknown> | undefined): Record<string, unknown> {
  const dependencies = (existing?.dependencies ?? {}) as Record<string, string>;
  const devDependencies = (existing?.devDependencies ?? {}) as Record<string, string>;
  return {
    ...existing,
    name: existing?.name ?? `${repo.name}-fleet`,
    private: true,
    dependencies: { ...dependencies, 'cdk8s-arlon': dependencies['cdk8s-arlon'] ?? repo.library },
    devDependencies: { ...devDependencies, 'projen': TOOLCHAIN.projen, 'ts-node': TOOLCHAIN.tsNode, 'typescript': TOOLCHAIN.typescript },
  };
}

function bootstrapTasks(): unknown {
  return {
    // as projen writes it: tasks find the packages' commands (ts-node) in node_modules/.bin
    env: { PATH: '$(npx -c "node --print process.env.PATH")' },
    tasks: {
      default: {
        name: 'default',
        description: 'Synthesize project files (first run, before projen writes this file)',
        steps: [{ exec: 'ts-node --transpile-only --compilerOptions \'{"module":"commonjs","esModuleInterop":true}\' .projenrc.ts' }],
      },
    },
  };
}

/** A single-quoted TypeScript string literal, as the fleet repository's lint wants them. */
function q(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function projenrc(repo: FleetRepository): string {
  return `import { javascript, typescript, YamlFile } from 'projen';

// The fleet repository, managed by projen: edit this file and run \`npx projen\` to regenerate package.json, tsconfig,
// jest, the tasks and the CI workflow. Written by \`arlonctl init\`.
const project = new typescript.TypeScriptProject({
  name: ${q(`${repo.name}-fleet`)},
  defaultReleaseBranch: ${q(repo.branch)},
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  sampleCode: false,
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  // ts-jest refuses TypeScript 7.x; this is the version cdk8s-arlon is built and tested with.
  typescriptVersion: ${q(TOOLCHAIN.typescript)},
  deps: [${q(`cdk8s-arlon@${repo.library}`)}, ${q(`cdk8s@${TOOLCHAIN.cdk8s}`)}, ${q(`constructs@${TOOLCHAIN.constructs}`)}, ${q(`cdk8s-plus-28@${TOOLCHAIN.cdk8sPlus}`)}],
  devDeps: [${q(`ts-node@${TOOLCHAIN.tsNode}`)}, ${q(`cdk8s-cli@${TOOLCHAIN.cdk8sCli}`)}],
  jestOptions: {
    // CI must never accept a changed snapshot: \`npx projen test:update\` rewrites them, for review.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: { collectCoverage: false },
  },
});

// dist/ is what Argo CD pulls: commit it. What a synth keeps beside it (lock, journal, render cache) stays out of git.
project.gitignore.include('/dist/');
project.gitignore.exclude('.*.arlon-*');
project.annotateGenerated('/dist/**');

// \`cdk8s synth\`, the synth task and \`arlonctl check\` run the current source through ts-node: an edited fleet is never
// synthesized from stale compiled code. The fleet writes dist/ itself and a failed synth leaves it as it was;
// \`output\` is a scratch folder, because cdk8s synth empties it before the program runs: it gets the bootstrap objects.
new YamlFile(project, 'cdk8s.yaml', { obj: { language: 'typescript', app: 'npx ts-node src/main.ts', output: 'cdk8s.out' } });
project.gitignore.exclude('/cdk8s.out/');
const synth = project.addTask('synth', { description: 'Synthesize the fleet into dist/', exec: 'cdk8s synth' });
// cdk8s synth asks npm for a newer cdk8s-cli first, which prints a stack trace on a machine without internet
synth.env('CDK8S_CHECK_UPGRADE', 'false');
project.addTask('plan', { description: 'What the change to dist/ does to the fleet', exec: 'arlonctl plan', receiveArgs: true });

// Pull requests: the tests, \`arlonctl check\` (dist/ fresh, nothing blocked), and the plan as a comment.
new YamlFile(project, '.github/workflows/fleet.yml', {
  obj: {
    name: 'fleet',
    on: { pull_request: { branches: [${q(repo.branch)}] }, push: { branches: [${q(repo.branch)}] } },
    permissions: { 'contents': 'read', 'pull-requests': 'write' },
    jobs: {
      check: {
        'runs-on': 'ubuntu-latest',
        'steps': [
          { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
          { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
          { run: 'npm ci' },
          { run: 'npx projen test' },
          { name: 'plan', if: "github.event_name == 'pull_request'", run: 'npx arlonctl plan --base origin/\${{ github.base_ref }} -o markdown > plan.md || true' },
          {
            name: 'publish the plan',
            if: "github.event_name == 'pull_request'",
            env: { GH_TOKEN: '\${{ github.token }}' },
            run: 'gh pr comment \${{ github.event.pull_request.number }} --body-file plan.md --edit-last || gh pr comment \${{ github.event.pull_request.number }} --body-file plan.md',
          },
          { name: 'check', run: "npx arlonctl check --base origin/\${{ github.base_ref || '${repo.branch}' }}" },
        ],
      },
    },
  },
});

project.synth();
`;
}

function fleetProgram(repo: FleetRepository): string {
  return `import { Bundles, Cluster, EksClusterSpec, Fleet, KubernetesVersion, Profile, type FleetProps } from 'cdk8s-arlon';

/** The fleet: its profiles and the clusters made from them. \`src/main.ts\` synthesizes it; tests build it too. */
export function buildFleet(props: Partial<FleetProps> = {}): Fleet {
  const fleet = new Fleet({
    name: ${q(repo.name)},
    repoUrl: ${q(repo.repoUrl)},
    targetRevision: ${q(repo.branch)},
    // Argo CD reaches the clusters with this IAM role: every control plane gets an access entry for it.
    management: { argoCdRoleArn: 'arn:aws:iam::111122223333:role/${repo.name}-argocd' },
    // The management cluster as code (dist/management/): \`arlonctl bootstrap\` installs it on a bare cluster, and Argo CD
    // keeps it in sync from then on. \`managementPlane: { managed: false }\` for a management cluster run by other means.
    managementPlane: {},
    ...props,
  });

  const dev = new Profile(fleet, 'dev', {
    spec: new EksClusterSpec(fleet, 'DevSpec', {
      kubernetesVersion: KubernetesVersion.V1_34,
      region: 'us-east-1',
      nodePools: { general: { instanceType: 'm6i.large', minSize: 1, maxSize: 4 } },
    }),
    bundles: [Bundles.metricsServer()],
  });

  new Cluster(fleet, 'dev-use1', { profiles: [dev], labels: { env: 'dev' } });
  return fleet;
}
`;
}

function mainProgram(): string {
  return `import { synthFleet } from 'cdk8s-arlon';
import { buildFleet } from './fleet';

// \`npx projen synth\`: writes dist/, or prints what is wrong and leaves dist/ as it was.
synthFleet(() => buildFleet());
`;
}

function fleetTest(): string {
  return `import { FleetTesting } from 'cdk8s-arlon';
import { buildFleet } from '../src/fleet';

// Built here, from the code alone: no state file of the working directory reaches the test.
const fleet = FleetTesting.synth(() => buildFleet());

test('every dev cluster gets metrics-server', () => {
  const dev = fleet.clusters.filter((c) => c.profiles.includes('dev')).map((c) => c.name);
  // other clusters may get it too: the test holds as profiles grow
  expect(fleet.clustersWithBundle('metrics-server')).toEqual(expect.arrayContaining(dev));
});

// One snapshot per cluster, and one of what they share: a profile change shows once in each cluster it reaches.
test.each(fleet.clusters.map((c) => c.name))('cluster %s as reviewed', (name) => {
  expect(fleet.clusterSnapshot(name)).toMatchSnapshot();
});

test('what the clusters share, as reviewed', () => {
  expect(fleet.sharedSnapshot()).toMatchSnapshot();
});
`;
}
