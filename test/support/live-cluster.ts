import { execFileSync } from 'child_process';
import * as YAML from 'yaml';
import { argoCdOnDist } from './argo';
import type { FakeApiServer } from './fake-api-server';
import type { KubeObject } from '../../src/kube/types';
import { sourceInputs, sourcesOf } from '../../src/operations/application-sources';
import { filesAtRef, locateInRepository } from '../../src/operations/git-dist';
import type { ReleaseEvidence } from '../../src/operations/release-evidence';
import type { LiveCluster } from '../../src/operations/rollout-health';
import { EksClusterLifecycle, type LifecyclePhase, type LifecycleSnapshot, type LifecycleStep } from '../upstream/status/eks-cluster-lifecycle';

/** A cluster's objects (`dist/clusters/<name>/`) and its Applications as the ApplicationSets of `files` generate them. */
export function clusterInputs(
  files: ReadonlyMap<string, string>, cluster: string, all = generatedApplications(files),
): { objects: KubeObject[]; applications: KubeObject[] } {
  return { objects: clusterObjects(files, cluster), applications: all.filter((a) => a.metadata.labels?.['arlon.io/cluster'] === cluster) };
}

/** A cluster's objects (`dist/clusters/<name>/`), in file order. */
export function clusterObjects(files: ReadonlyMap<string, string>, cluster: string): KubeObject[] {
  return [...files].filter(([f]) => f.startsWith(`clusters/${cluster}/`) && f.endsWith('.yaml')).sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, text]) => YAML.parse(text) as KubeObject);
}

/** Every Application the ApplicationSets of `files` generate (each cluster registered). */
const generatedApplications = (files: ReadonlyMap<string, string>) => [...argoCdOnDist(files).applications.values()].map((a) => a.object);

/** What `rollout` reads of one cluster, from a snapshot of the lifecycle simulator. */
export function liveClusterOf(snapshot: LifecycleSnapshot): LiveCluster {
  const byName = (kind: string) => new Map(snapshot.objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));
  return {
    cluster: snapshot.objects.find((o) => o.kind === 'Cluster'),
    controlPlane: snapshot.objects.find((o) => o.kind === 'AWSManagedControlPlane'),
    machinePools: byName('MachinePool'),
    managedMachinePools: byName('AWSManagedMachinePool'),
    applications: snapshot.applications,
  };
}

/**
 * A linear history of `commits` (oldest first) in which each path was last changed by the commit `lastChanges` gives
 * (by path or the nearest folder above it); commits not listed are not in the clone.
 */
export function linearHistory(commits: readonly string[], lastChanges: Readonly<Record<string, string | 'uncommitted'>>): ReleaseEvidence {
  return {
    lastChange: (path) => {
      for (let p = path; ; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
        if (lastChanges[p] !== undefined) {
          return lastChanges[p];
        }
        if (p === '') {
          return undefined;
        }
      }
    },
    contains: (synced, change) => (commits.includes(synced) ? commits.indexOf(synced) >= commits.indexOf(change) : undefined),
  };
}

/**
 * dist/ trees already read, by the id of their git tree object, with the Applications their ApplicationSets generate
 * (rendering those is the cost of a sync): a tree's content never changes, and neither is changed by their users (the
 * lifecycle simulator works on copies).
 */
const TREES = new Map<string, { files: Map<string, string>; applications: KubeObject[] }>();

interface Tracked {
  readonly lifecycle: EksClusterLifecycle;
  /** The text of each of its files Argo CD last applied, by path inside dist/. */
  applied: Map<string, string>;
  /** The commit Argo CD last synced it at. */
  synced: string;
  last?: LifecycleSnapshot;
}

/**
 * Argo CD, Cluster API, CAPA and EKS acting on a fleet repository's commits, cluster by cluster, on the ported status
 * writers (`test/upstream/status/`): `sync` makes Argo CD apply the cluster's files at a commit (Applications as the
 * ApplicationSets there render them; those whose files changed since its last sync sync again), then EKS goes through
 * a phase; `publish` stores every object and Application, status included, in the test API server.
 */
export class LiveFleet {
  private readonly clusters = new Map<string, Tracked>();
  /** dist/ at each commit synced, and the Applications its ApplicationSets generate. */
  private readonly commits = new Map<string, { files: Map<string, string>; applications: KubeObject[] }>();

  private readonly root: string;
  private readonly inside: string;

  /** `dist`: the fleet's dist/ folder, inside a git repository whose commits Argo CD syncs. */
  constructor(dist: string) {
    ({ root: this.root, inside: this.inside } = locateInRepository(dist));
  }

  /** Argo CD syncs `commit` for `cluster` (creating it when it is new), then EKS goes through `phase` at `at`. */
  public sync(cluster: string, commit: string, phase: LifecyclePhase, at: Date, step: Partial<LifecycleStep> = {}): LifecycleSnapshot {
    if (!this.commits.has(commit)) {
      // dist/ at the commit, by the git object of its tree: the same tree (the same synth, committed again, or in
      // another repository) is read and rendered by Argo CD once per test file
      const tree = this.git('rev-parse', `${commit}:${this.inside}`).trim();
      let known = TREES.get(tree);
      if (known === undefined) {
        const read = filesAtRef(this.root, commit, this.inside);
        known = { files: read, applications: generatedApplications(read) };
        TREES.set(tree, known);
      }
      this.commits.set(commit, known);
    }
    const { files, applications: all } = this.commits.get(commit)!;
    const { objects, applications } = clusterInputs(files, cluster, all);
    const texts = new Map([...files].filter(([f]) => f.startsWith(`clusters/${cluster}/`) && f.endsWith('.yaml')));
    const tracked = this.clusters.get(cluster);
    if (tracked === undefined) {
      const created: Tracked = { lifecycle: new EksClusterLifecycle({ objects, applications }), applied: texts, synced: commit };
      this.clusters.set(cluster, created);
      return this.record(created, { ...step, phase, at: at.toISOString(), revision: commit });
    }
    const manifests = [...texts].filter(([file, text]) => tracked.applied.get(file) !== text).map(([, text]) => YAML.parse(text) as KubeObject);
    const changedFiles = this.git('diff', '--name-only', tracked.synced, commit).split('\n').filter((f) => f !== '');
    const changedApplications = applications.filter((app) => sourcesOf(app).some((source) => source.chart === undefined
      && sourceInputs(app, source).some((input) => changedFiles.some((f) => input === '' || f === input || f.startsWith(`${input}/`)))))
      .map((app) => app.metadata.name);
    tracked.applied = texts;
    tracked.synced = commit;
    return this.record(tracked, { ...step, phase, at: at.toISOString(), revision: commit, manifests, applications, changedApplications });
  }

  /** EKS goes through `phase` at `at`, with no new commit for Argo CD. */
  public step(cluster: string, phase: LifecyclePhase, at: Date, step: Partial<LifecycleStep> = {}): LifecycleSnapshot {
    return this.record(this.tracked(cluster), { ...step, phase, at: at.toISOString() });
  }

  /** The last snapshot of `cluster`. */
  public snapshot(cluster: string): LifecycleSnapshot {
    return this.tracked(cluster).last!;
  }

  /** Stores the last snapshot of every cluster in `server`: its objects and Applications, status included. */
  public publish(server: FakeApiServer): void {
    for (const { last } of this.clusters.values()) {
      for (const obj of [...last!.objects, ...last!.applications]) {
        server.put(obj);
      }
    }
  }

  private tracked(cluster: string): Tracked {
    const tracked = this.clusters.get(cluster);
    if (tracked === undefined) {
      throw new Error(`cluster ${cluster} was never synced: sync it first`);
    }
    return tracked;
  }

  private record(tracked: Tracked, step: LifecycleStep): LifecycleSnapshot {
    tracked.last = tracked.lifecycle.step(step);
    return tracked.last;
  }

  private git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8' });
  }
}
