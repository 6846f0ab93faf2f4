/**
 * Rollout health (`clusterHealth`, what `rollout status` and `promote` run) over `<clusters>` clusters, in process:
 * every cluster is prod-euw1 of the example fleet as the ported status writers leave it once created
 * (test/upstream/status), renamed; the management cluster is an in-memory client answering the five LISTs; the git
 * evidence is read from a real repository of `<clusters>` cluster folders and value files, whose last commit (not yet
 * synced) changes a tenth of them. Prints one line of JSON: the time of the whole health read and of its git evidence,
 * the clusters found healthy (nine tenths), a reason given for the others, and the peak RSS (the benchmark's own
 * objects included).
 *
 *   node lib/bench/health-once.js <clusters> <scratch dir>
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { KubeClient, KubeObject } from '../src/kube/types';
import { readDistFiles, readFiles, type DistCluster } from '../src/operations/dist-fleet';
import { readReleaseEvidence } from '../src/operations/release-evidence';
import { clusterHealth } from '../src/operations/rollout-health';
import { clusterInputs } from '../test/support/live-cluster';
import { simulateLifecycle } from '../test/upstream/status/eks-cluster-lifecycle';

const [count, scratch] = [Number(process.argv[2]), process.argv[3]];
const ROOT = path.resolve(__dirname, '..', '..');
const TEMPLATE = 'prod-euw1';

const files = readFiles(path.join(ROOT, 'dist'));
const fleet = readDistFiles(files, 'dist');
const template = fleet.clusters.find((c) => c.name === TEMPLATE)!;
const names = Array.from({ length: count }, (_, i) => `c${String(i).padStart(5, '0')}`);

// The repository: one file per cluster folder and per cluster value file; the last commit changes a tenth of them.
const repo = path.join(scratch, 'repo');
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), text);
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 }).trim();
fs.mkdirSync(repo, { recursive: true });
git('init', '-q');
git('config', 'user.email', 'bench@example.com');
git('config', 'user.name', 'bench');
write('dist/bundles/cluster-autoscaler/values.yaml', 'base: 1\n');
for (const name of names) {
  write(`dist/clusters/${name}/Cluster.${name}.yaml`, 'v1\n');
  write(`dist/bundles/cluster-autoscaler/values/${name}.yaml`, 'v1\n');
}
git('add', '-A');
git('commit', '-qm', 'fleet');
const first = git('rev-parse', 'HEAD');
for (const name of names.filter((_, i) => i % 10 === 0)) {
  write(`dist/clusters/${name}/Cluster.${name}.yaml`, 'v2\n');
}
git('add', '-A');
git('commit', '-qm', 'a tenth');

// The management cluster: the template's objects and Applications as created, renamed per cluster, synced at the first
// commit: the tenth changed since is not applied (Argo CD has not synced it), the rest is healthy.
const { objects, applications } = clusterInputs(files, TEMPLATE);
const created = simulateLifecycle({ objects, applications }, [
  { phase: 'creating', at: '2026-12-01T10:00:00Z', revision: first },
  { phase: 'nodeGroupsCreating', at: '2026-12-01T10:12:00Z' },
  { phase: 'created', at: '2026-12-01T10:20:00Z' },
])[2];
const createdJson = JSON.stringify([...created.objects, ...created.applications]);
const byKind = new Map<string, KubeObject[]>();
for (const name of names) {
  for (const obj of JSON.parse(createdJson.split(TEMPLATE).join(name)) as KubeObject[]) {
    byKind.set(obj.kind, [...(byKind.get(obj.kind) ?? []), obj]);
  }
}
const client: KubeClient = {
  server: 'https://bench',
  context: 'bench',
  servesGroupVersion: async () => true,
  serverVersion: async () => ({ major: '1', minor: '33', gitVersion: 'v1.33.4' }),
  get: async () => undefined,
  list: async (_apiVersion: string, kind: string) => byKind.get(kind) ?? [],
  apply: async (o: KubeObject) => o,
  delete: async () => false,
};
// The template's names outside the repository hold its name (`<fleet>--<name>`): each cluster's hold its own.
const renamed = (value: string | undefined, name: string) => value?.split(TEMPLATE).join(name);
const clusters: DistCluster[] = names.map((name) => ({
  ...template,
  name,
  argocdName: renamed(template.argocdName, name)!,
  namespace: renamed(template.namespace, name),
  capiName: renamed(template.capiName, name),
  controlPlaneName: renamed(template.controlPlaneName, name),
  eksClusterName: renamed(template.eksClusterName, name),
}));

async function main(): Promise<void> {
  let gitMs = 0;
  const start = performance.now();
  const health = await clusterHealth(client, { ...fleet, clusters }, clusters, async (paths) => {
    const gitStart = performance.now();
    const evidence = await readReleaseEvidence(path.join(repo, 'dist'), paths);
    gitMs = performance.now() - gitStart;
    return evidence;
  });
  const totalMs = performance.now() - start;
  const healthy = [...health.values()].filter((h) => h.healthy).length;
  const reasons = [...health.values()].find((h) => !h.healthy)?.reasons ?? [];
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ clusters: count, healthy, reasons, totalMs: Math.round(totalMs), gitMs: Math.round(gitMs), peakRssMiB })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
