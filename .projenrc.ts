import { javascript, typescript, YamlFile } from 'projen';

// Upstream versions of the CRDs the bindings in imports/ are generated from (see ../shared/crds/SOURCES.md):
// Cluster API v1.14.0, Cluster API Provider AWS v2.11.1, Argo CD v3.5.1, cluster-api-operator v0.28.0.
const CRD_ROOT = '../shared/crds';
const CRDS: Array<[alias: string, file: string]> = [
  ['capi-cluster', 'cluster-api/cluster.x-k8s.io_clusters.yaml'],
  ['capi-machinepool', 'cluster-api/cluster.x-k8s.io_machinepools.yaml'],
  ['capa-managedcluster', 'cluster-api-provider-aws/infrastructure.cluster.x-k8s.io_awsmanagedclusters.yaml'],
  ['capa-controlplane', 'cluster-api-provider-aws/controlplane.cluster.x-k8s.io_awsmanagedcontrolplanes.yaml'],
  ['capa-managedmachinepool', 'cluster-api-provider-aws/infrastructure.cluster.x-k8s.io_awsmanagedmachinepools.yaml'],
  ['argocd-application', 'argo-cd/application-crd.yaml'],
  ['argocd-applicationset', 'argo-cd/applicationset-crd.yaml'],
  ['argocd-appproject', 'argo-cd/appproject-crd.yaml'],
  ['capi-operator-core', 'cluster-api-operator/operator.cluster.x-k8s.io_coreproviders.yaml'],
  ['capi-operator-infrastructure', 'cluster-api-operator/operator.cluster.x-k8s.io_infrastructureproviders.yaml'],
];

const project = new typescript.TypeScriptProject({
  name: 'cdk8s-arlon',
  description: 'Fleets of EKS clusters as code: profiles, bundles and clusters as cdk8s constructs, synthesized into Cluster API and Argo CD manifests',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  sampleCode: false,
  minNodeVersion: '20.19.0',
  typescriptVersion: '5.9.3',
  license: 'Apache-2.0',

  // No hosted CI, release or dependency-upgrade workflows: CI here is .ci/run on a clean clone.
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,

  peerDeps: ['cdk8s@^2.70.0', 'constructs@^10.3.0', 'cdk8s-plus-28@^2.5.6', 'projen@^0.103.25'],
  peerDependencyOptions: { pinnedDevDependency: false },
  // client-node 2.x needs Node >= 22.19 (undici 8); 1.4 loads on Node 20.19+ through require(esm). commander 15 is ESM-only.
  deps: ['yaml@^2.9.1', '@kubernetes/client-node@~1.4.0', 'commander@^14'],
  devDeps: ['cdk8s@2.70.106', 'constructs@10.8.1', 'cdk8s-plus-28@2.5.6', 'cdk8s-cli@2.207.60', 'ajv@^8.17.1', '@types/ws@^8',
    // A Lua VM (Lua 5.3, closest to Argo CD's gopher-lua 5.1) to run the health checks the management plane gives Argo CD.
    'fengari@0.1.5',
    // AWS's own data for the catalogue checks: EC2's instance types (the SDK's InstanceType enum) and the regions of
    // each partition (the SDK's endpoint partitions). Only \`npx projen aws-catalogue\` and a test read them: the
    // extract in vendor/aws-catalogue.json is what the library reads at synth (vendor/SOURCES.md).
    '@aws-sdk/client-ec2@3.1178.0', '@aws-sdk/core@3.981.2',
    // npm's own cache library: the fleet repository trial's local registry serves the tarballs npm cached for this
    // project's install, so \`npm install\` runs for real with no network (test/support/local-registry.ts).
    'cacache@^20.0.4', 'semver@^7.7.2', '@types/semver@^7.7.0',
    // Jest's own sequencer, extended to start the files that declare \`@slow\` first (test/support/slow-first-sequencer.js).
    '@jest/test-sequencer@^30.5.2'],

  // dist/ holds the git-tracked manifests, so projen's packaging must write elsewhere (STYLE.md §2.6).
  artifactsDirectory: 'build/artifacts',
  entrypoint: 'lib/src/index.js',
  bin: { arlonctl: 'bin/arlonctl' },
  entrypointTypes: 'lib/src/index.d.ts',

  // A top-level imports/ needs rootDir '.' (STYLE.md, decision 1): output lands in lib/src, lib/imports, lib/example.
  tsconfig: {
    include: ['src/**/*.ts', 'imports/**/*.ts', 'example/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    compilerOptions: { rootDir: '.', outDir: 'lib', isolatedModules: true },
  },
  tsconfigDev: {
    include: ['example/**/*.ts', 'imports/**/*.ts', 'bench/**/*.ts'],
    compilerOptions: { isolatedModules: true },
  },

  jestOptions: {
    // CI must never accept a changed snapshot; `npx projen test:update` is the only way to rewrite them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/', '/test/'],
      testTimeout: 60_000,
      testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
      // The default run stays lean (issue 15): coverage on demand, with `npm run test:coverage`.
      collectCoverage: false,
      coverageReporters: ['text-summary', 'lcov'],
      // Jest's default is one worker fewer than the cores, a single worker on a 2-core machine; the end-to-end suites
      // mostly wait on the child processes they start, so one per core runs the suite in 2/3 of the time (README).
      maxWorkers: '100%',
      // A worker whose heap grew past this after a test file is replaced by a fresh one, so that two workers and the
      // processes the tests start stay within 2 GB together (module registries and caches pile up over many files).
      workerIdleMemoryLimit: '600MB',
      // The tests' scratch folders in memory where the machine has it (test/support/global-setup.ts).
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'example', 'bench'],
    ignorePatterns: ['imports/', 'lib/', 'dist/', 'coverage/'],
    // `npm test` (and so CI) reports lint errors instead of fixing them in a clone nobody commits from;
    // `npx projen eslint --fix` fixes them locally.
    commandOptions: { fix: false },
  },
});

// dist/ is the product: keep it in git and mark it generated so reviews fold it by default.
project.gitignore.include('/dist/');
project.gitignore.exclude('/build/');
// Left beside dist/ only if a synth is killed midway; the next synth of that process id replaces it.
project.gitignore.exclude('.*.arlon-staging-*', '.*.arlon-lock', '.*.arlon-journal.json', '.*.arlon-journal.json.*.tmp', '.*.arlon-cache.json', '.*.arlon-cache.json.*.tmp');
project.annotateGenerated('/dist/**');
project.annotateGenerated('/imports/**');
project.npmignore?.exclude('/dist/', '/example/', '/bench/', '/lib/example/', '/lib/bench/', '/lib/test/');

// What a fleet repository installs (issue 15): the compiled library and arlonctl, nothing of this repository's own
// workings (sources, bindings' .ts, example, benchmark, CI). `files` decides; the .npmignore above is the fallback.
project.package.addField('files', [
  'lib/src/**/*.js', 'lib/src/**/*.d.ts', 'lib/imports/**/*.js', 'lib/imports/**/*.d.ts', 'bin/arlonctl',
  // The vendored upstream manifests of the management plane, read at synth (vendor/SOURCES.md).
  'vendor/**/*.json', 'vendor/SOURCES.md',
]);
project.package.addField('exports', {
  '.': { types: './lib/src/index.d.ts', default: './lib/src/index.js' },
  // the fleet repository's project type, for its .projenrc.ts (projen is then the fleet's devDependency)
  './projen': { types: './lib/src/projen/index.d.ts', default: './lib/src/projen/index.js' },
  './package.json': './package.json',
});
// projen's TypeScript settings resolve modules the node10 way, which ignores `exports`: typesVersions maps the subpath.
project.package.addField('typesVersions', { '*': { projen: ['lib/src/projen/index.d.ts'] } });
// `npm install git+<url>` runs `prepare` (with devDependencies installed) and `npm pack` runs `prepack`: both build
// lib/, so a package is never made without it.
project.package.setScript('prepare', 'tsc --build');
// `cdk8s-arlon/projen` needs projen, which a fleet repository has as a devDependency; the library itself never loads it.
project.package.addField('peerDependenciesMeta', { projen: { optional: true } });
project.package.setScript('prepack', 'tsc --build');

// Layering rules (STYLE.md §3.3, §3.10): generated bindings only through src/l1.ts, type-only imports marked (that no
// import cycle runs through the project's modules is test/import-graph.test.ts).
project.eslint?.addRules({
  '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
  '@typescript-eslint/no-explicit-any': ['error'],
});
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  excludedFiles: ['src/l1.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: ['**/imports/*'], message: 'import generated bindings through src/l1.ts' }] }],
  },
});

// Regenerate imports/ from the CRDs: one aliased import per CRD, or same-group CRDs overwrite each other (STYLE.md §2.2).
const importTask = project.addTask('import', {
  description: 'Regenerate the typed bindings in imports/ from ../shared/crds (committed; not part of the build)',
  env: { CDK8S_CHECK_UPGRADE: 'false' },
});
for (const [alias, file] of CRDS) {
  importTask.exec(`cdk8s import --no-save -l typescript -o imports ${alias}:=${CRD_ROOT}/${file}`);
}

// Regenerate the JSON of the vendored upstream manifests (vendor/SOURCES.md): read at synth, where YAML takes 0.7 s.
const vendorTask = project.addTask('vendor', { description: 'Regenerate vendor/**/install.json from the vendored upstream YAML (committed)' });
vendorTask.exec('node -e "const Y=require(\'yaml\'),fs=require(\'fs\');const [i,o]=process.argv.slice(1);'
  + 'fs.writeFileSync(o,JSON.stringify(Y.parseAllDocuments(fs.readFileSync(i,\'utf8\')).map(d=>d.toJS()).filter(Boolean))+\'\\n\')" '
  + 'vendor/argo-cd/v3.5.1/install.yaml vendor/argo-cd/v3.5.1/install.json');

// Regenerate the catalogue of AWS regions and EC2 instance types from the AWS SDK packages above (vendor/SOURCES.md).
project.addTask('aws-catalogue', {
  description: 'Regenerate vendor/aws-catalogue.json (regions, EC2 instance types) from the pinned AWS SDK packages (committed)',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/aws-catalogue.ts vendor/aws-catalogue.json',
});

// The example fleet is the main job: `npm run synth` writes dist/ through the library's own writer.
const synthTask = project.addTask('synth', {
  description: 'Synthesize the example fleet into dist/ (only changed files are written; a failed synth leaves dist/ as it was)',
});
synthTask.spawn(project.compileTask);
synthTask.exec('node lib/example/main.js');

// `npm run test:coverage`: the tests with coverage (a summary, and coverage/lcov-report/index.html).
project.addTask('test:coverage', { description: 'Run the tests with coverage', exec: 'jest --ci --coverage', receiveArgs: true }).prependSpawn(project.compileTask);

// `npm run bench`: fleet-scale synthesis against stock App.synth() and the yaml floor, and the fleet operations (not part of the tests).
const benchTask = project.addTask('bench', {
  description: 'Benchmark synthesis of 100 to 50,000 clusters, the Argo CD figures up to 50,000, and re-synth, plan, check, register and status (about 45 minutes)',
});
benchTask.spawn(project.compileTask);
benchTask.exec('node lib/bench/fleet-bench.js');

// `cdk8s synth` (and `arlonctl check`) run the same app, compiled first so an edited fleet is never synthesized from
// stale code. The cdk8s CLI empties its `output` folder before it starts the app, so that is a scratch folder: the
// fleet writes dist/ itself, atomically, and leaves only its bootstrap objects in cdk8s.out/ (see the README).
new YamlFile(project, 'cdk8s.yaml', {
  obj: { language: 'typescript', app: 'npx tsc --build && node lib/example/main.js', output: 'cdk8s.out' },
});
project.gitignore.exclude('/cdk8s.out/');

// Tests run the compiled CLI and `cdk8s synth` as child processes, so compile first. ts-jest only transpiles
// (isolatedModules), so the compile type-checks the tests too: one program, not a second `tsc --noEmit` over the same
// sources (21 s saved). Their output in lib/test/ is never packed (`files` above).
project.testTask.prependSpawn(project.compileTask);

// Memory (issue 25): a Node process grows its heap long before it collects garbage when the machine has plenty. Jest's
// workers start with the flags of its own process, so a heap limit of 1 GB there makes each collect sooner (they
// reached 1.1 GB each without it, about 500 MB with it); the processes the tests start are not affected. ESLint's
// type-aware run reached 2.1 GB, 1.2 GB with a limit of 1.5 GB, in the same time.
const jestStep = project.testTask.steps.findIndex((step) => step.execArgs?.[0] === 'jest');
project.testTask.updateStep(jestStep, {
  execArgs: ['node', '--max-old-space-size=1024', 'node_modules/jest/bin/jest.js', ...project.testTask.steps[jestStep].execArgs!.slice(1)],
  receiveArgs: true,
});
project.tasks.tryFind('eslint')!.env('NODE_OPTIONS', '--max-old-space-size=1536');

project.synth();
