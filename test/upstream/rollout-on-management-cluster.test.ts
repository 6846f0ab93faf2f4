/**
 * A rollout's steps, applied to a management cluster modelled from upstream code (CRD defaulting, the Cluster API
 * v1.14.0 and CAPA v2.11.1 webhooks): each step changes exactly the clusters it releases, the admission chain takes
 * every update, and the clusters held at their revision receive nothing. A revert of a Kubernetes version is what CAPA
 * refuses (cluster-api-provider-aws v2.11.1 controlplane/eks/webhooks/awsmanagedcontrolplane_webhook.go,
 * `validateEKSVersion`: "new version less than old version"), which is why `arlonctl plan` blocks it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ManagementCluster } from './management-cluster';
import { buildExampleFleet } from '../../example/fleet';
import { KubernetesVersion } from '../../src';
import type { KubeObject } from '../../src/kube/types';
import { readDist } from '../../src/operations/dist-fleet';
import { profileProgress, releaseStep } from '../../src/operations/rollout-progress';
import { readRolloutState, rolloutStateFile, writeRolloutState } from '../../src/rollout/rollout-state';
import { changedPaths, parseFiles, readTree, tempDir } from '../support/fleet-files';

const ROOT = path.resolve(__dirname, '../..');

describe('a rollout of the prod profile on a management cluster', () => {
  let out: { dir: string; cleanup: () => void };
  let dist: string;
  let management: ManagementCluster;
  /** Synthesizes the example fleet with the prod profile at `version`; applies what changed; returns the changed files and refusals. */
  const step = (version: string) => {
    const before = readTree(dist);
    buildExampleFleet({ outdir: dist }, { prodKubernetesVersion: KubernetesVersion.of(version) }).writeFiles();
    const after = readTree(dist);
    const changed = changedPaths(before, after).filter((f) => f.startsWith('clusters/'));
    const objects = parseFiles(new Map(changed.map((f) => [f, after.get(f)!])));
    const refused = [...objects].flatMap(([file, obj]) => management.apply(obj).errors.map((e) => `${file}: ${e}`));
    return { changed, refused };
  };
  /** The stored control plane of `cluster`, found by the namespace and name dist/ gives it (`<fleet>--<cluster>-control-plane`). */
  const controlPlane = (cluster: string) => {
    const c = readDist(dist).clusters.find((d) => d.name === cluster)!;
    return management.get('AWSManagedControlPlane', c.namespace!, c.controlPlaneName!) as KubeObject & { spec: { version: string } };
  };

  beforeEach(() => {
    // GIVEN the example fleet as committed, running on the management cluster
    out = tempDir();
    dist = path.join(out.dir, 'dist');
    fs.cpSync(path.join(ROOT, 'dist'), dist, { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'dist.rollout.yaml'), rolloutStateFile(dist));
    management = new ManagementCluster({ capaGates: { EKSEnableIAM: true, MachinePool: true } });
    for (const [file, obj] of parseFiles(readTree(dist))) {
      if (file.startsWith('clusters/')) {
        expect(management.apply(obj).errors).toEqual([]);
      }
    }
  });
  afterEach(() => out.cleanup());

  test('each step reaches the clusters it releases, and every update is admitted', () => {
    const held = JSON.stringify(controlPlane('prod-use1'));
    // WHEN the prod profile moves to 1.34: the dev wave's canary-use1 only
    const first = step('1.34');
    expect(first.refused).toEqual([]);
    expect(new Set(first.changed.map((f) => f.split('/')[1]))).toEqual(new Set(['canary-use1']));
    expect(['canary-use1', 'prod-euw1', 'prod-use1'].map((c) => controlPlane(c).spec.version)).toEqual(['v1.34', 'v1.33', 'v1.33']);
    // AND promote's next step: prod-euw1 (maxClusters 1)
    const file = rolloutStateFile(dist);
    const progress = profileProgress('prod', readRolloutState(file)!.profiles.prod, readDist(dist).clusters);
    writeRolloutState(file, releaseStep(readRolloutState(file)!, 'prod', progress.next!));
    const second = step('1.34');
    expect(second.refused).toEqual([]);
    expect(new Set(second.changed.map((f) => f.split('/')[1]))).toEqual(new Set(['prod-euw1']));
    expect(['canary-use1', 'prod-euw1', 'prod-use1'].map((c) => controlPlane(c).spec.version)).toEqual(['v1.34', 'v1.34', 'v1.33']);
    // AND the cluster still held never received an update
    expect(JSON.stringify(controlPlane('prod-use1'))).toBe(held);
  });

  test('a revert after abort would downgrade the released clusters, which CAPA refuses: fix forward instead', () => {
    step('1.34');
    const file = rolloutStateFile(dist);
    const state = readRolloutState(file)!;
    writeRolloutState(file, { ...state, profiles: { ...state.profiles, prod: { ...state.profiles.prod, aborted: state.profiles.prod.target } } });
    const revert = step('1.33');
    expect(revert.changed.every((f) => f.startsWith('clusters/canary-use1/'))).toBe(true);
    expect(revert.refused.join('\n')).toContain('new version less than old version');
    expect(controlPlane('canary-use1').spec.version).toBe('v1.34');
  });
});
