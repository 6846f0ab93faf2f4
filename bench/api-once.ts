/**
 * `arlonctl register` and `status` against the in-process test API server (test/support/fake-api-server.ts) holding
 * the objects of a fleet of `<clusters>` clusters, all provisioned: each cluster's namespace, control plane (ready,
 * with its EKS endpoint), Cluster and kubeconfig Secret, as Cluster API and CAPA leave them, and the Application of
 * each of its bundles, synced and healthy, as the ApplicationSet controller and Argo CD leave them. Prints one line of JSON:
 * for the first register round (every cluster new), a second one (nothing changed) and status, the requests by method
 * and the wall time of the command, a fresh process each.
 *
 *   node lib/bench/api-once.js <clusters> <scratch dir>
 */
import { spawn } from 'child_process';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildBenchFleet } from './bench-fleet';
import { Labels } from '../src/fleet/labels';
import type { KubeObject } from '../src/kube/types';
import { readDistFiles, readFiles, type DistCluster } from '../src/operations/dist-fleet';
import { kubeconfigSecretName } from '../src/operations/register';
import { capiKubeconfig, writeKubeconfig } from '../test/support/cli';
import { FakeApiServer } from '../test/support/fake-api-server';

const [count, scratch] = [Number(process.argv[2]), process.argv[3]];
const ROOT = path.resolve(__dirname, '..', '..');
const TOKEN = 'bench-token';
const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB-bench-ca\n-----END CERTIFICATE-----\n').toString('base64');

export interface CommandFigures {
  readonly command: string;
  readonly ms: number;
  readonly exitCode: number | null;
  readonly requests: number;
  readonly byMethod: Record<string, number>;
}

function arlonctl(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; ms: number; stderr: string }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'arlonctl'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - start, stderr }));
  });
}

/** Stores what Cluster API, CAPA and Argo CD would hold for `cluster` once it is up with its `bundles`. */
function provision(server: FakeApiServer, files: ReadonlyMap<string, string>, distCluster: DistCluster): void {
  const { name: cluster, capiName = cluster, namespace = cluster, bundles } = distCluster;
  const read = (file: string) => YAML.parse(files.get(`clusters/${cluster}/${file}`)!) as KubeObject;
  const host = `https://${cluster}.gr7.us-east-1.eks.amazonaws.com`;
  server.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const controlPlane = read(`AWSManagedControlPlane.${distCluster.controlPlaneName}.yaml`);
  server.put({ ...controlPlane, spec: { ...(controlPlane.spec as object), controlPlaneEndpoint: { host, port: 443 } }, status: { ready: true, version: 'v1.33.0' } });
  server.put({ ...read(`Cluster.${capiName}.yaml`), status: { phase: 'Provisioned' } });
  server.put({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: kubeconfigSecretName(distCluster), namespace },
    data: { value: Buffer.from(capiKubeconfig(cluster, host, CA)).toString('base64') },
  });
  for (const bundle of bundles) {
    server.put({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `${capiName}--${bundle}`, namespace: 'argocd', labels: { [Labels.FLEET]: 'bench', [Labels.CLUSTER]: cluster, [Labels.BUNDLE]: bundle } },
      status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
    });
  }
}

async function main(): Promise<void> {
  const dist = path.join(scratch, 'dist');
  buildBenchFleet(count, dist).writeFiles();
  const files = readFiles(dist);
  const fleet = readDistFiles(files, dist);
  const server = new FakeApiServer({ token: TOKEN });
  const url = await server.start();
  try {
    const provisionStart = performance.now();
    for (const cluster of fleet.clusters) {
      provision(server, files, cluster);
    }
    const provisionMs = performance.now() - provisionStart;
    const env = { HOME: scratch, KUBECONFIG: writeKubeconfig(scratch, url, TOKEN) };
    const commands: CommandFigures[] = [];
    for (const [command, args] of [
      ['register (every cluster new)', ['register', '--dist', dist, '--deadline', '30m']],
      ['register (nothing changed)', ['register', '--dist', dist]],
      ['status', ['status', '--dist', dist, '-o', 'json']],
    ] as const) {
      server.requests.length = 0;
      const run = await arlonctl(args, env);
      if (run.code !== 0) {
        throw new Error(`arlonctl ${args.join(' ')} exited with ${run.code}: ${run.stderr}`);
      }
      const byMethod: Record<string, number> = {};
      for (const request of server.requests) {
        byMethod[request.method] = (byMethod[request.method] ?? 0) + 1;
      }
      commands.push({ command, ms: run.ms, exitCode: run.code, requests: server.requests.length, byMethod });
    }
    const registered = server.all('Secret').filter((s) => s.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'cluster').length;
    const objects = fleet.clusters.reduce((sum, cluster) => sum + 4 + cluster.bundles.length, 0);
    console.log(JSON.stringify({ clusters: fleet.clusters.length, objects, provisionMs, registered, commands }));
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
