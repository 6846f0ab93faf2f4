import * as path from 'path';
import { minimalSpecProps, testFleet, TEST_MANAGEMENT } from './fixtures';
import { readTree } from './fleet-files';
import {
  Bundles, Cluster, EksClusterSpec, Profile, RolloutPolicy,
  type Bundle, type ClusterProps, type EksClusterSpecProps, type Fleet, type FleetProps, type WaveOptions,
} from '../../src';
import { readDistFiles, type DistFleet } from '../../src/operations/dist-fleet';
import { computePlan, type Allowance, type Plan } from '../../src/operations/plan';
import { profileProgress, releaseStep } from '../../src/operations/rollout-progress';
import { checkTransition, type TransitionCheck } from '../../src/operations/transitions/check-transition';
import { readRolloutState, writeRolloutState } from '../../src/rollout/rollout-state';

/** A fleet of one profile "p" for transition tests. */
export interface FleetShape {
  readonly spec?: Partial<EksClusterSpecProps>;
  readonly bundles?: readonly Bundle[];
  /** Clusters and their props (default: a and b). */
  readonly clusters?: Readonly<Record<string, Partial<ClusterProps>>>;
  readonly fleet?: Partial<FleetProps>;
  /** The cluster autoscaler on every cluster: its node pools are autoscaled. */
  readonly autoscaler?: boolean;
  /** Rollout waves of the profile. */
  readonly waves?: readonly WaveOptions[];
  /** Changes after the fleet is built (escape hatches). */
  readonly tamper?: (fleet: Fleet) => void;
}

/**
 * A fleet that rolls out new values of `bundle` in `waves`: dev-a (label env=dev) and prod-a and prod-b (env=prod),
 * prod-a with values of its own.
 */
export function rolloutValuesShape(bundle: (values: Record<string, unknown>) => Bundle, replicas: number, waves: readonly WaveOptions[]): FleetShape {
  return {
    waves,
    bundles: [bundle({ replicas })],
    clusters: {
      'dev-a': { labels: { env: 'dev' } },
      'prod-a': { labels: { env: 'prod' }, bundleValues: { [bundle({}).name]: { ingress: 'a.example.com' } } },
      'prod-b': { labels: { env: 'prod' } },
    },
  };
}

/** The cluster autoscaler preset with a role per cluster (its values file is the cluster's own). */
export function autoscaler(): Bundle {
  return Bundles.clusterAutoscaler({ roleArnForCluster: (c) => `arn:aws:iam::111122223333:role/${c.name}-cluster-autoscaler` });
}

/** Builds the fleet of `shape` (not synthesized). */
export function buildFleet(shape: FleetShape = {}, outdir?: string): Fleet {
  const fleet = testFleet({
    management: { ...TEST_MANAGEMENT, capaFeatureGates: { eksEnableIam: true } },
    ...(outdir === undefined ? {} : { outdir }),
    ...shape.fleet,
  });
  if (shape.waves !== undefined) {
    fleet.setDefaultRolloutPolicy(new RolloutPolicy(fleet, 'Waves', { waves: [...shape.waves] }));
  }
  const bundles = [...(shape.bundles ?? []), ...(shape.autoscaler ? [autoscaler()] : [])];
  const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps(shape.spec)), bundles });
  for (const [name, props] of Object.entries(shape.clusters ?? { a: {}, b: {} })) {
    new Cluster(fleet, name, { profiles: [profile], ...props });
  }
  shape.tamper?.(fleet);
  return fleet;
}

/** `dist/` of a fleet, read back as `plan` reads it. */
export function distOf(shape: FleetShape = {}): DistFleet {
  return readDistFiles(buildFleet(shape).renderFiles(), 'test');
}

/** Synthesizes `shape` into `dir/dist` (its rollout state beside it) and reads it back. */
export function synthInto(dir: string, shape: FleetShape): DistFleet {
  const fleet = buildFleet(shape, path.join(dir, 'dist'));
  fleet._synthesize(() => undefined);
  return readDistFiles(readTree(path.join(dir, 'dist')), dir);
}

/** Releases the next step of profile "p"'s rollout as `arlonctl rollout promote` does (no health gate), and synthesizes. */
export function promoteInto(dir: string, shape: FleetShape): DistFleet {
  const file = path.join(dir, 'dist.rollout.yaml');
  const state = readRolloutState(file)!;
  const progress = profileProgress('p', state.profiles.p, readDistFiles(readTree(path.join(dir, 'dist')), dir).clusters);
  writeRolloutState(file, releaseStep(state, 'p', progress.next!));
  return synthInto(dir, shape);
}

/** The transition check between two fleets, over every cluster either has. */
export function transition(base: DistFleet, head: DistFleet): TransitionCheck {
  return checkTransition(base, head, [...base.clusters, ...head.clusters].map((c) => c.name));
}

/** The findings of a transition as `cluster[/bundle] kind: message` lines. */
export function findingLines(check: TransitionCheck): string[] {
  return check.findings.map((f) => `${f.cluster}${f.bundle === undefined ? '' : `/${f.bundle}`} ${f.kind}: ${f.message}`);
}

/** The plan between two fleets. */
export function planOf(base: DistFleet, head: DistFleet, allow: Allowance[] = []): Plan {
  return computePlan(base, head, allow);
}

/** The blocked items of a plan as `cluster: rule: message`. */
export function blockedLines(plan: Plan): string[] {
  return [
    ...plan.clusters.flatMap((c) => c.items.filter((i) => i.blocked && !i.allowedBy).map((i) => `${c.cluster}: ${i.blocked!.rule}: ${i.message}`)),
    ...plan.fleet.filter((i) => i.blocked && !i.allowedBy).map((i) => `fleet: ${i.blocked!.rule}: ${i.message}`),
  ];
}
