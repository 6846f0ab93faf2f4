import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as YAML from 'yaml';
import type { KubeObject } from '../../src/kube/types';
import { readDist, type DistCluster } from '../../src/operations/dist-fleet';
import { kubeconfigSecretName } from '../../src/operations/register';

const ROOT = path.resolve(__dirname, '../..');
/** The committed example fleet. */
export const DIST = path.join(ROOT, 'dist');

/** What a CLI run printed and how it exited. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and with what a CLI run happens. */
export interface CliOptions {
  /** HOME of the run: no personal kubeconfig is ever read. */
  readonly home: string;
  /** Variables added to the run's environment (undefined ones are not). */
  readonly env?: Record<string, string | undefined>;
}

/**
 * The environment of a CLI run: PATH, HOME at `home`, retries that back off for milliseconds instead of seconds, the
 * tests' scratch folder (TMPDIR, when set), and `env`; nothing else of this process's environment.
 */
function cliEnvironment(options: CliOptions): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: options.home, ARLONCTL_RETRY_DELAY_MS: '5' };
  if (process.env.TMPDIR !== undefined) {
    env.TMPDIR = process.env.TMPDIR;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value !== undefined) {
      env[key] = value;
    }
  }
  return env;
}

/**
 * Runs the built `arlonctl` (bin/arlonctl over lib/) as a child process: what proves the binary (exit status, signals,
 * the two streams, a run that hangs), and what runs in another folder than the repository root. It is asynchronous on
 * purpose: the test API server lives in this process and must keep answering while the CLI runs. It runs in the
 * repository root unless `cwd` says otherwise.
 */
export function runCli(args: readonly string[], options: CliOptions & { killAfterMs?: number; cwd?: string }): Promise<CliResult> {
  const env = cliEnvironment(options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/arlonctl'), ...args], { cwd: options.cwd ?? ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // A CLI that hangs is killed (its result has code null), so that the test fails on its assertions, not on a Jest timeout.
    const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The runs under way: in the repository root, and in other folders (queued on `elsewhere`, one at a time). */
const active = { root: 0, elsewhere: 0 };
let elsewhere: Promise<void> = Promise.resolve();

/**
 * Runs `arlonctl` in a thread of this process: `main` of the built CLI (lib/, as bin/arlonctl calls it), with its two
 * streams captured and the environment `runCli` gives the binary, in the repository root unless `cwd` says otherwise.
 * What it prints and its exit status are the binary's, without the cost of starting Node and loading the library for
 * every run: the thread loads it once per test file. (A thread, not Jest's module registry, which cannot load the
 * ESM-only client library.) What is about the process itself (signals, a run that hangs and is killed, process ids,
 * how the binary exits) runs with `runCli`.
 *
 * A thread has no working folder of its own: a run in `cwd` moves this process into it for the run (the thread sees
 * it), and back to the repository root once it ends. Such runs go one at a time, and never beside a run in the root.
 */
export function runCliInProcess(args: readonly string[], options: CliOptions & { cwd?: string }): Promise<CliResult> {
  const cwd = path.resolve(options.cwd ?? ROOT);
  if (active.elsewhere === 0 && process.cwd() !== ROOT) {
    throw new Error(`runCliInProcess runs arlonctl in the working folder, which is ${process.cwd()}, not the repository root ${ROOT}; use runCli`);
  }
  if (cwd === ROOT) {
    if (active.elsewhere > 0) {
      throw new Error(`arlonctl ${args.join(' ')}: a run in another folder than the repository root is under way; await it first`);
    }
    active.root++;
    return post(args, options, ROOT).finally(() => active.root--);
  }
  if (active.root > 0) {
    throw new Error(`arlonctl ${args.join(' ')}: a run in the repository root is under way, and this one runs in ${cwd}; await it first`);
  }
  active.elsewhere++;
  const result = elsewhere.then(async () => {
    try {
      process.chdir(cwd);
      return await post(args, options, cwd);
    } finally {
      process.chdir(ROOT);
      active.elsewhere--;
    }
  });
  elsewhere = result.then(() => undefined, () => undefined);
  return result;
}

/** Sends a run in `cwd` (the working folder of this process) to the CLI thread. */
function post(args: readonly string[], options: CliOptions, cwd: string): Promise<CliResult> {
  const thread = cliThread();
  const id = thread.next++;
  return new Promise((resolve, reject) => {
    thread.pending.set(id, (reply) => (reply.error === undefined ? resolve(reply.result) : reject(new Error(`arlonctl ${args.join(' ')}: ${reply.error}`))));
    thread.worker.postMessage({ id, args, env: cliEnvironment(options), cwd });
  });
}

/** What the CLI thread answers to a run. */
interface CliReply {
  readonly id: number;
  readonly result: CliResult;
  readonly error?: string;
}

/**
 * The thread's code: runs `main` for each message, many at once (all in the same folder), and answers with what it
 * printed and its status. A thread cannot change folders, and the folder it knows is the one this process had when it
 * last looked, unless Node saw the change (Jest's process.chdir is another's: graceful-fs's): so the thread is told the
 * folder of each run, and `process.cwd()` says that one (that of this process, which `runCliInProcess` moved there).
 */
const CLI_THREAD = `
const { parentPort, workerData } = require('worker_threads');
const { main } = require(workerData.main);
parentPort.on('message', ({ id, args, env, cwd }) => {
  process.cwd = () => cwd;
  let stdout = '';
  let stderr = '';
  const io = { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, env };
  main(args, io).then(
    (code) => parentPort.postMessage({ id, result: { code, stdout, stderr } }),
    (error) => parentPort.postMessage({ id, error: String((error && error.stack) || error) }));
});
`;

let cli: { worker: Worker; pending: Map<number, (reply: CliReply) => void>; next: number } | undefined;

function cliThread(): NonNullable<typeof cli> {
  if (cli === undefined) {
    const worker = new Worker(CLI_THREAD, { eval: true, workerData: { main: path.join(ROOT, 'lib/src/cli/main.js') } });
    const thread = { worker, pending: new Map<number, (reply: CliReply) => void>(), next: 0 };
    worker.on('message', (reply: CliReply) => {
      thread.pending.get(reply.id)?.(reply);
      thread.pending.delete(reply.id);
    });
    worker.on('error', (error) => {
      thread.pending.forEach((answer, id) => answer({ id, result: { code: null, stdout: '', stderr: '' }, error: error.stack ?? String(error) }));
      thread.pending.clear();
      cli = undefined;
    });
    // It never keeps the process alive; the test file's end stops it.
    worker.unref();
    cli = thread;
  }
  return cli;
}

afterAll(async () => {
  await cli?.worker.terminate();
  cli = undefined;
});

/** How `writeKubeconfig` writes the cluster and user. */
export interface KubeconfigOptions {
  /** `insecure-skip-tls-verify` of the cluster; @default true */
  readonly skipTlsVerify?: boolean;
  /** `certificate-authority-data` of the cluster: this PEM certificate, base64-encoded. */
  readonly certificateAuthority?: string;
  /** The user entry, instead of `{ token }`; e.g. `{ exec: { ... } }`. */
  readonly user?: Record<string, unknown>;
}

/** Writes a kubeconfig with one context (`mgmt`) for `server`, authenticating with a bearer token. */
export function writeKubeconfig(dir: string, server: string, token: string, file = 'kubeconfig', options: KubeconfigOptions = {}): string {
  const cluster: Record<string, unknown> = { server };
  if (options.skipTlsVerify ?? true) {
    cluster['insecure-skip-tls-verify'] = true;
  }
  if (options.certificateAuthority !== undefined) {
    cluster['certificate-authority-data'] = Buffer.from(options.certificateAuthority).toString('base64');
  }
  const kubeconfig = {
    'apiVersion': 'v1',
    'kind': 'Config',
    'clusters': [{ name: 'mgmt', cluster }],
    'users': [{ name: 'admin', user: options.user ?? { token } }],
    'contexts': [{ name: 'mgmt', context: { cluster: 'mgmt', user: 'admin' } }],
    'current-context': 'mgmt',
  };
  const target = path.join(dir, file);
  fs.writeFileSync(target, YAML.stringify(kubeconfig));
  return target;
}

/** The example fleet's dist/, read once. */
let committed: readonly DistCluster[] | undefined;

/**
 * A cluster of a fleet's `dist/` (the committed example fleet's by default), with the names it goes by outside the
 * repository (`namespace`, `capiName`, `controlPlaneName`, `argocdName`): tests put objects into the API server under
 * those, never under the cluster's own name.
 */
export function distClusterOf(cluster: string, dist: string = DIST): DistCluster {
  const clusters = dist === DIST ? (committed ??= readDist(DIST).clusters) : readDist(dist).clusters;
  const found = clusters.find((c) => c.name === cluster);
  if (found === undefined) {
    throw new Error(`${dist} has no cluster ${cluster}; it has ${clusters.map((c) => c.name).join(', ')}`);
  }
  return found;
}

/**
 * The kubeconfig Secret CAPA writes for a fleet cluster once EKS reports its endpoint: `<capiName>-kubeconfig` in the
 * cluster's namespace, the kubeconfig (or `value`, as given) base64-encoded under key `value`.
 */
export function capiKubeconfigSecret(cluster: DistCluster, server: string, caData: string, value?: string): KubeObject {
  const capiName = cluster.capiName ?? cluster.name;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: kubeconfigSecretName(cluster), namespace: cluster.namespace ?? capiName },
    data: { value: Buffer.from(value ?? capiKubeconfig(capiName, server, caData)).toString('base64') },
  };
}

/** A kubeconfig as Cluster API writes it for a workload cluster (`<cluster>-kubeconfig`, key `value`). */
export function capiKubeconfig(cluster: string, server: string, caData: string): string {
  return YAML.stringify({
    'apiVersion': 'v1',
    'kind': 'Config',
    'clusters': [{ name: cluster, cluster: { 'server': server, 'certificate-authority-data': caData } }],
    'users': [{ name: `${cluster}-capi-admin`, user: { token: 'k8s-aws-v1.short-lived-token' } }],
    'contexts': [{ name: `${cluster}-capi-admin@${cluster}`, context: { cluster, user: `${cluster}-capi-admin` } }],
    'current-context': `${cluster}-capi-admin@${cluster}`,
  });
}
