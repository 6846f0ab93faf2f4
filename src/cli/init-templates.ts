import { fleetToolchain } from '../projen/toolchain';

/**
 * The files `arlonctl init` writes: a fleet repository managed by projen through cdk8s-arlon's project type
 * (`cdk8s-arlon/projen`), as cdk8s and aws-cdk apps are set up. Versions are those the library is built and tested with.
 */

/** What `init` is told about the fleet. */
export interface FleetRepository {
  /** The fleet's name (`Fleet` name, also the package name `<name>-fleet`). */
  readonly name: string;
  /** The git URL Argo CD pulls. */
  readonly repoUrl: string;
  /** The branch Argo CD follows and pull requests target. */
  readonly branch: string;
  /** How the repository depends on cdk8s-arlon, as npm takes it (a version range, a git URL, `file:vendor/<tarball>`). */
  readonly library: string;
}

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
  const toolchain = fleetToolchain();
  return {
    ...existing,
    name: existing?.name ?? `${repo.name}-fleet`,
    private: true,
    dependencies: { ...dependencies, 'cdk8s-arlon': repo.library },
    devDependencies: { ...devDependencies, 'projen': toolchain.projen, 'ts-node': toolchain.tsNode, 'typescript': toolchain.typescript },
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
  return `import { FleetProject } from 'cdk8s-arlon/projen';

// The fleet repository, managed by projen through cdk8s-arlon's project type: upgrading cdk8s-arlon upgrades the
// tasks (synth, plan, check, test), the CI workflow and the settings. Edit this file, then run \`npx projen\`.
const project = new FleetProject({
  name: ${q(`${repo.name}-fleet`)},
  // the branch Argo CD follows (the Fleet's targetRevision): pull requests target it
  defaultReleaseBranch: ${q(repo.branch)},
  cdk8sArlonVersion: ${q(repo.library)},
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
