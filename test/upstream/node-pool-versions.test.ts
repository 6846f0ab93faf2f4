/**
 * Node pool versions under CAPA v2.11.1 and EKS: the port of kubernetes-sigs/cluster-api-provider-aws v2.11.1
 * `pkg/cloud/services/eks/nodegroup.go` (`createNodegroup`'s version fields, `reconcileNodegroupVersion`) in
 * `capa-eks-controller.ts`, and EKS's node group version rules (`eks-api.ts`, from the API reference). Upstream has no
 * test of either function (`pkg/cloud/services/eks/` tests cluster, config, OIDC, tags and access entries only), so the
 * first block checks the port against the branches of the upstream code, case by case. The rest runs what the library
 * emits through the port, from creation (or the node group the base left) until CAPA sends nothing more, and checks
 * that `arlonctl plan` blocks exactly the changes that never converge for a reason the plan can see.
 */
import { JsonPatch } from 'cdk8s';
import { createNodegroupVersionFields, reconcileNodegroupVersion, type NodegroupVersions } from './capa-eks-controller';
import type { ManagedMachinePool } from './capa-machinepool-webhook';
import type { MachinePool } from './capi-machinepool-webhook';
import {
  createNodegroupVersions, updateNodegroupVersion, type AmiReleaseCatalogue, type EksNodegroupVersions,
} from './eks-api';
import { Cluster, EksClusterSpec, KubernetesVersion, Profile, type EksClusterSpecProps, type NodePoolOptions } from '../../src';
import { readDistFiles } from '../../src/operations/dist-fleet';
import { computePlan, type Plan } from '../../src/operations/plan';
import { minimalSpecProps, testFleet } from '../support/fixtures';
import { parseFiles } from '../support/fleet-files';

/** The Amazon Linux releases EKS offers in these tests, oldest first. */
const CATALOGUE: AmiReleaseCatalogue = Object.fromEntries([
  ['1.33', ['1.33.5-20251015', '1.33.5-20251103']],
  ['1.34', ['1.34.1-20251103', '1.34.2-20251201']],
  ['1.35', ['1.35.0-20251201', '1.35.1-20260105']],
]);
const NEWEST = (minor: string) => CATALOGUE[minor][CATALOGUE[minor].length - 1];

const mp = (version: string): MachinePool => ({ metadata: {}, spec: { template: { spec: { version } } } });
const mmp = (amiVersion?: string): ManagedMachinePool => ({ metadata: {}, spec: { ...(amiVersion === undefined ? {} : { amiVersion }) } });
const ng = (version: string, releaseVersion: string, launchTemplateVersion?: string): NodegroupVersions =>
  ({ version, releaseVersion, launchTemplateVersion });

describe('the port of CAPA v2.11.1 createNodegroup and reconcileNodegroupVersion', () => {
  test('createNodegroup sends neither a version nor a release version', () => {
    expect(createNodegroupVersionFields(mp('v1.33.0'), mmp('1.33.5-20251015'))).toEqual({});
  });

  test.each<[string, MachinePool, ManagedMachinePool, NodegroupVersions, string | undefined, ReturnType<typeof reconcileNodegroupVersion>]>([
    ['node group below the spec: the next minor only', mp('v1.35.0'), mmp(), ng('1.33', '1.33.5-20251103'), undefined, { version: '1.34' }],
    ['node group below the spec with a pinned release: the version first', mp('v1.35.0'), mmp('1.35.0-20251201'), ng('1.34', '1.34.2-20251201'), undefined,
      { version: '1.35' }],
    ['node group above the spec: nothing (never down)', mp('v1.33.0'), mmp(), ng('1.34', '1.34.2-20251201'), undefined, undefined],
    ['node group above the spec, another release pinned: the release alone', mp('v1.33.0'), mmp('1.33.5-20251015'), ng('1.34', '1.34.2-20251201'), undefined,
      { releaseVersion: '1.33.5-20251015' }],
    ['at the spec, another release pinned (newer or older alike)', mp('v1.34.0'), mmp('1.34.1-20251103'), ng('1.34', '1.34.2-20251201'), undefined,
      { releaseVersion: '1.34.1-20251103' }],
    ['at the spec, running the pinned release', mp('v1.34.0'), mmp('1.34.2-20251201'), ng('1.34', '1.34.2-20251201'), undefined, undefined],
    ['no release pinned: the release is never touched', mp('v1.34.0'), mmp(), ng('1.34', '1.34.1-20251103'), undefined, undefined],
    ['a new launch template version comes first', mp('v1.35.0'), mmp('1.34.2-20251201'), ng('1.34', '1.34.1-20251103', '1'), '2',
      { launchTemplate: { id: undefined, version: '2' } }],
    ['a patch in the MachinePool version is ignored (parseEKSVersion)', mp('v1.34.7'), mmp(), ng('1.34', '1.34.1-20251103'), undefined, undefined],
  ])('reconcileNodegroupVersion: %s', (_what, machinePool, managed, nodegroup, ltVersion, expected) => {
    expect(reconcileNodegroupVersion(machinePool, managed, nodegroup, ltVersion)).toEqual(expected);
  });

  test('EKS creates a node group at the cluster\'s version and newest release, and never rolls one back', () => {
    expect(createNodegroupVersions('1.35', {}, false, CATALOGUE)).toEqual({ version: '1.35', releaseVersion: '1.35.1-20260105', launchTemplateImage: false });
    const at = (version: string, releaseVersion: string): EksNodegroupVersions => ({ version, releaseVersion, launchTemplateImage: false });
    expect(updateNodegroupVersion(at('1.34', '1.34.2-20251201'), '1.35', { releaseVersion: '1.34.1-20251103' }, CATALOGUE)).toMatch(/cannot roll back/);
    expect(updateNodegroupVersion(at('1.35', '1.35.1-20260105'), '1.35', { releaseVersion: '1.34.2-20251201' }, CATALOGUE))
      .toMatch(/not a release of Kubernetes 1.35/);
    expect(updateNodegroupVersion(at('1.34', '1.34.1-20251103'), '1.35', { version: '1.35' }, CATALOGUE)).toEqual(at('1.35', '1.35.1-20260105'));
    expect(updateNodegroupVersion({ ...at('1.34', '1.34.1-20251103'), launchTemplateImage: true }, '1.34', { releaseVersion: '1.34.2-20251201' }, CATALOGUE))
      .toMatch(/custom AMI/);
  });
});

/** What the controllers end with: the node group, the calls, and EKS's refusal if it refuses a call on every reconcile. */
interface Outcome {
  readonly nodegroup?: EksNodegroupVersions;
  readonly calls: readonly string[];
  readonly refusal?: string;
  /** The node group runs the MachinePool's minor and the pinned release, if any. */
  readonly converged: boolean;
}

/** Creates the node group when `existing` is undefined, then reconciles until CAPA sends nothing more (or EKS refuses). */
function converge(machinePool: MachinePool, managed: ManagedMachinePool, clusterVersion: string, existing?: EksNodegroupVersions): Outcome {
  const calls: string[] = [];
  const launchTemplateImage = managed.spec.awsLaunchTemplate !== undefined;
  let group = existing;
  if (group === undefined) {
    const request = createNodegroupVersionFields(machinePool, managed);
    calls.push(`CreateNodegroup ${JSON.stringify(request)}`);
    const created = createNodegroupVersions(clusterVersion, request, launchTemplateImage, CATALOGUE);
    if (typeof created === 'string') {
      return { calls, refusal: created, converged: false };
    }
    group = created;
  }
  for (let pass = 0; pass < 6; pass++) {
    const request = reconcileNodegroupVersion(machinePool, managed, group);
    if (request === undefined) {
      break;
    }
    calls.push(`UpdateNodegroupVersion ${JSON.stringify(request)}`);
    const updated = updateNodegroupVersion(group, clusterVersion, request, CATALOGUE);
    if (typeof updated === 'string') {
      return { nodegroup: group, calls, refusal: updated, converged: false };
    }
    group = updated;
  }
  const wanted = /^v?(1\.\d+)/.exec(machinePool.spec.template?.spec?.version ?? '')?.[1];
  const releaseReached = (managed.spec.amiVersion ?? group.releaseVersion) === group.releaseVersion;
  return { nodegroup: group, calls, converged: group.version === wanted && releaseReached };
}

interface Shape {
  readonly spec?: Partial<EksClusterSpecProps>;
  readonly pools?: Readonly<Record<string, NodePoolOptions>>;
  readonly patch?: (cluster: Cluster) => void;
}

/** One cluster "a" of profile "p", its own pools added; its files. */
function synth(shape: Shape) {
  const fleet = testFleet();
  const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps(shape.spec)) });
  const cluster = new Cluster(fleet, 'a', { profiles: [profile] });
  for (const [name, options] of Object.entries(shape.pools ?? {})) {
    cluster.addNodePool(name, options);
  }
  shape.patch?.(cluster);
  const files = fleet.renderFiles();
  const objects = [...parseFiles(files).values()];
  const pool = (name: string) => ({
    machinePool: objects.find((o) => o.kind === 'MachinePool' && o.metadata.name === cluster.nodePools.get(name)!.machinePool.name) as unknown as MachinePool,
    managed: objects.find((o) => o.kind === 'AWSManagedMachinePool' && o.metadata.name === cluster.nodePools.get(name)!.awsManagedMachinePool.name) as unknown as ManagedMachinePool,
  });
  const controlPlane = objects.find((o) => o.kind === 'AWSManagedControlPlane')!;
  const clusterVersion = String((controlPlane.spec as { version: string }).version).replace(/^v/, '');
  return { dist: readDistFiles(files, 'test'), pool, clusterVersion };
}

/**
 * The node group the base left behind for `name`: at its MachinePool's minor (or the control plane's, for a pool
 * created below it), running its pinned release, or else the oldest release of the minor (EKS does not move it).
 */
function leftBy(base: ReturnType<typeof synth>, name: string): EksNodegroupVersions {
  const { machinePool, managed } = base.pool(name);
  const outcome = converge(machinePool, managed, base.clusterVersion,
    { version: /^v?(1\.\d+)/.exec(machinePool.spec.template!.spec!.version!)![1], releaseVersion: '', launchTemplateImage: false });
  const version = outcome.nodegroup!.version;
  return { version, releaseVersion: managed.spec.amiVersion ?? CATALOGUE[version][0], launchTemplateImage: false };
}

/** The change from `before` to `after` for pool `name`: what the controllers do, and what the plan says. */
function change(before: Shape, after: Shape, name = 'general'): { outcome: Outcome; plan: Plan; rules: string[]; warnings: number } {
  const base = synth(before);
  const head = synth(after);
  const existing = base.dist.clusters[0].nodePools.some((p) => p.name === name) ? leftBy(base, name) : undefined;
  const { machinePool, managed } = head.pool(name);
  const plan = computePlan(base.dist, head.dist);
  const items = plan.clusters.flatMap((c) => c.items);
  return {
    outcome: converge(machinePool, managed, head.clusterVersion, existing),
    plan,
    rules: items.filter((i) => i.blocked).map((i) => i.blocked!.rule),
    warnings: items.filter((i) => i.warning).length,
  };
}

const pinned = (release?: string, version?: KubernetesVersion): NodePoolOptions =>
  ({ instanceType: 'm6i.large', ...(release === undefined ? {} : { amiReleaseVersion: release }), ...(version === undefined ? {} : { kubernetesVersion: version }) });

describe('what the library emits, under the port', () => {
  test('rolling a pinned release forward: one UpdateNodegroupVersion with the release, converged; the plan lets it through', () => {
    const { outcome, rules } = change({ spec: { nodePools: { general: pinned('1.34.1-20251103') } } }, { spec: { nodePools: { general: pinned('1.34.2-20251201') } } });
    expect(outcome).toEqual({
      nodegroup: { version: '1.34', releaseVersion: '1.34.2-20251201', launchTemplateImage: false },
      calls: ['UpdateNodegroupVersion {"releaseVersion":"1.34.2-20251201"}'],
      converged: true,
    });
    expect(rules).toEqual([]);
  });

  test('rolling a pinned release back: EKS refuses it on every reconcile; the plan blocks it', () => {
    const { outcome, rules } = change({ spec: { nodePools: { general: pinned('1.34.2-20251201') } } }, { spec: { nodePools: { general: pinned('1.34.1-20251103') } } });
    expect(outcome.refusal).toMatch(/cannot roll back node group from AMI release 1.34.2-20251201 to 1.34.1-20251103/);
    expect(rules).toEqual(['ami-release']);
  });

  test('a release of another minor (escape hatch): EKS refuses it; the plan blocks it', () => {
    const { outcome, rules } = change({ spec: { nodePools: { general: pinned('1.34.1-20251103') } } }, {
      spec: { nodePools: { general: pinned('1.34.1-20251103') } },
      patch: (c) => c.nodePools.get('general')!.awsManagedMachinePool.addJsonPatch(JsonPatch.replace('/spec/amiVersion', '1.33.5-20251103')),
    });
    expect(outcome.refusal).toMatch(/not a release of Kubernetes 1.34/);
    expect(rules).toEqual(['ami-release']);
  });

  test('a new pool pinned below its control plane: EKS creates it at the control plane\'s version, CAPA never steps it down; the plan blocks it', () => {
    const { outcome, rules } = change({}, { pools: { old: pinned(undefined, KubernetesVersion.V1_33) } }, 'old');
    expect(outcome).toMatchObject({ calls: ['CreateNodegroup {}'], converged: false, nodegroup: { version: '1.34' } });
    expect(outcome.refusal).toBeUndefined();
    expect(rules).toEqual(['new-pool-below-control-plane']);
  });

  test('an existing pool left behind while its control plane upgrades: nothing to do, at its version; the plan lets it through', () => {
    const lagging = { spec: { kubernetesVersion: KubernetesVersion.V1_35, nodePools: { general: pinned(undefined, KubernetesVersion.V1_34) } } };
    const { outcome, rules } = change({}, lagging);
    expect(outcome).toEqual({ nodegroup: { version: '1.34', releaseVersion: '1.34.1-20251103', launchTemplateImage: false }, calls: [], converged: true });
    expect(rules).toEqual([]);
  });

  test('a pool upgraded after its control plane: one minor, the newest release of it; converged', () => {
    const before = { spec: { kubernetesVersion: KubernetesVersion.V1_35, nodePools: { general: pinned(undefined, KubernetesVersion.V1_34) } } };
    const { outcome, rules } = change(before, { spec: { kubernetesVersion: KubernetesVersion.V1_35 } });
    expect(outcome).toEqual({
      nodegroup: { version: '1.35', releaseVersion: NEWEST('1.35'), launchTemplateImage: false }, calls: ['UpdateNodegroupVersion {"version":"1.35"}'], converged: true,
    });
    expect(rules).toEqual([]);
  });

  test('a new pool pinned to the newest release converges with no update; pinned to an older one, EKS refuses it, and the plan warns', () => {
    const newest = change({}, { pools: { extra: pinned(NEWEST('1.34')) } }, 'extra');
    expect(newest.outcome).toMatchObject({ calls: ['CreateNodegroup {}'], converged: true });
    const older = change({}, { pools: { extra: pinned('1.34.1-20251103') } }, 'extra');
    expect(older.outcome.refusal).toMatch(/cannot roll back/);
    // The plan cannot know which release is the newest when the change is made: it warns, on both.
    expect([newest.rules, newest.warnings, older.rules, older.warnings]).toEqual([[], 1, [], 1]);
  });

  test('a minor upgrade with a pinned release: the version first (EKS picks the newest), then the pinned release if it differs', () => {
    const before = { spec: { kubernetesVersion: KubernetesVersion.V1_35, nodePools: { general: pinned('1.34.2-20251201', KubernetesVersion.V1_34) } } };
    const newest = change(before, { spec: { kubernetesVersion: KubernetesVersion.V1_35, nodePools: { general: pinned(NEWEST('1.35')) } } });
    expect(newest.outcome).toMatchObject({ calls: ['UpdateNodegroupVersion {"version":"1.35"}'], converged: true });
    const older = change(before, { spec: { kubernetesVersion: KubernetesVersion.V1_35, nodePools: { general: pinned('1.35.0-20251201') } } });
    expect(older.outcome.calls).toEqual(['UpdateNodegroupVersion {"version":"1.35"}', 'UpdateNodegroupVersion {"releaseVersion":"1.35.0-20251201"}']);
    expect(older.outcome.refusal).toMatch(/cannot roll back/);
    expect([newest.rules, newest.warnings, older.rules, older.warnings]).toEqual([[], 1, [], 1]);
  });

  test('a pinned release with a launch template (escape hatch): EKS refuses it; the plan blocks it', () => {
    const { outcome, rules } = change({}, {
      pools: { lt: pinned('1.34.2-20251201') },
      patch: (c) => {
        const managed = c.nodePools.get('lt')!.awsManagedMachinePool;
        managed.addJsonPatch(JsonPatch.remove('/spec/instanceType'), JsonPatch.add('/spec/awsLaunchTemplate', { name: 'custom', instanceType: 'm6i.large' }));
      },
    }, 'lt');
    expect(outcome.refusal).toMatch(/custom AMI/);
    expect(rules).toEqual(['ami-release']);
  });
});
