import { JsonPatch } from 'cdk8s';
import {
  AmiType, Bundle, Cluster, EksAddon, EksClusterSpec, ExternalCluster, KubernetesVersion, Profile, RemovalPolicy,
  type ClusterProps, type EksClusterSpecProps, type ManagementClusterOptions,
} from '../src';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { shardLabel, shardOf } from '../src/argocd/shards';
import { readDistFiles } from '../src/operations/dist-fleet';
import { PLAN_RULES, computePlan, formatPlan, type Allowance, type Plan } from '../src/operations/plan';
import { fingerprintOf, parseAcceptances, type Acceptance } from '../src/operations/plan-acceptance';
import { formatPlanMarkdown } from '../src/operations/plan-markdown';

interface Shape {
  readonly spec?: Partial<EksClusterSpecProps>;
  /** The fleet's management settings (default: the test fleet's). */
  readonly management?: ManagementClusterOptions;
  readonly clusters?: Record<string, Partial<ClusterProps>>;
  readonly bundles?: Bundle[];
  /** Changes made through escape hatches, after the fleet is built. */
  readonly tamper?: (clusters: Map<string, Cluster>) => void;
}

/** A fleet with one profile "p" and the given clusters (default: a and b), read back as dist/ would be. */
function dist(shape: Shape = {}) {
  const fleet = testFleet(shape.management === undefined ? {} : { management: shape.management });
  const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps(shape.spec)), bundles: shape.bundles });
  const clusters = new Map<string, Cluster>();
  for (const [name, props] of Object.entries(shape.clusters ?? { a: {}, b: {} })) {
    clusters.set(name, new Cluster(fleet, name, { profiles: [profile], ...props }));
  }
  shape.tamper?.(clusters);
  return readDistFiles(fleet.renderFiles(), 'test');
}

const plan = (before: Shape, after: Shape, allow: Allowance[] = []) => computePlan(dist(before), dist(after), allow);
const FINGERPRINT = /^[0-9a-f]{12}$/;
const RULES = Object.keys(PLAN_RULES);
/** An acceptance file's entries, as `plan` and `check` read them. */
const accept = (...entries: object[]): Acceptance[] => parseAcceptances(JSON.stringify({ accept: entries }), 'arlon.accept.yaml', RULES);
const messages = (p: Plan, cluster: string) => p.clusters.find((c) => c.cluster === cluster)?.items.map((i) => i.message) ?? [];
const blocks = (p: Plan) => p.clusters.flatMap((c) => c.items.filter((i) => i.blocked).map((i) => `${c.cluster}: ${i.blocked!.rule}${i.allowedBy ? ' (allowed)' : ''}`));

describe('arlonctl plan', () => {
  test('reports nothing for no change', () => {
    const p = plan({}, {});
    expect(p).toEqual({ clusters: [], fleet: [], blocked: false, transitions: { units: 2, changed: 2, explorations: 1, states: 1 } });
    expect(formatPlan(p, 'Plan')).toBe('Plan\n\nno changes\n\n0 cluster(s) changed (0 created, 0 removed); nothing blocked\n');
  });

  test('a one-minor upgrade is safe: the control plane, then each pool (nodes replaced) and the add-ons', () => {
    const addons = [EksAddon.kubeProxy()];
    const p = plan({ spec: { addons } }, { spec: { kubernetesVersion: KubernetesVersion.V1_35, addons } });
    expect(p.blocked).toBe(false);
    expect(messages(p, 'a')).toEqual([
      'Kubernetes v1.34 -> v1.35: the control plane upgrades first, then the node pools follow',
      'add-on kube-proxy: v1.34.6-eksbuild.21 -> v1.35.3-eksbuild.21',
      'node pool general: Kubernetes v1.34.0 -> v1.35.0, its nodes are replaced (rolling)',
    ]);
    expect(p.clusters.map((c) => c.cluster)).toEqual(['a', 'b']);
  });

  test('blocks a skipped minor version and a downgrade, with the fix and the escape', () => {
    const skip = plan({ spec: { kubernetesVersion: KubernetesVersion.V1_33 } }, { spec: { kubernetesVersion: KubernetesVersion.V1_35 } });
    expect(skip.blocked).toBe(true);
    const item = skip.clusters[0].items[0];
    expect(item).toEqual({
      message: 'Kubernetes v1.33 -> v1.35',
      blocked: {
        rule: 'kubernetes-minor-skip',
        why: 'a control plane moves one Kubernetes minor version per change: EKS upgrades one minor at a time, and while CAPA would step '
          + 'through the minors in between, the add-on builds this change pins are for the target minor',
        fix: 'move to v1.34 in this change and on in later ones',
        escape: 'arlonctl plan --allow kubernetes-minor-skip=a',
        fingerprint: fingerprintOf('kubernetes-minor-skip', 'a', 'Kubernetes v1.33 -> v1.35'),
      },
    });
    const down = plan({ spec: { kubernetesVersion: KubernetesVersion.V1_35 } }, { spec: { kubernetesVersion: KubernetesVersion.V1_34 } });
    expect(blocks(down)).toEqual(['a: kubernetes-downgrade', 'a: kubernetes-downgrade', 'b: kubernetes-downgrade', 'b: kubernetes-downgrade']);
  });

  test('an allowance lets a blocked change through, for one cluster or all, and the plan says so', () => {
    const before: Shape = { spec: { kubernetesVersion: KubernetesVersion.V1_33 } };
    const after: Shape = { spec: { kubernetesVersion: KubernetesVersion.V1_35 } };
    const one = plan(before, after, [{ rule: 'kubernetes-minor-skip', cluster: 'a' }]);
    expect(blocks(one)).toEqual(['a: kubernetes-minor-skip (allowed)', 'b: kubernetes-minor-skip']);
    expect(one.blocked).toBe(true);
    const all = plan(before, after, [{ rule: 'kubernetes-minor-skip' }]);
    expect(all.blocked).toBe(false);
    expect(formatPlan(all, 'Plan')).toContain('    ! ALLOWED (kubernetes-minor-skip, by --allow kubernetes-minor-skip) Kubernetes v1.33 -> v1.35\n');
  });

  describe('reviewed acceptance (arlon.accept.yaml)', () => {
    const before: Shape = { spec: { kubernetesVersion: KubernetesVersion.V1_33 } };
    const after: Shape = { spec: { kubernetesVersion: KubernetesVersion.V1_35 } };
    const fingerprint = (cluster: string, message = 'Kubernetes v1.33 -> v1.35') => fingerprintOf('kubernetes-minor-skip', cluster, message);
    const reason = 'a was never deployed: nothing runs on 1.33';

    test('a blocked change prints the entry that accepts it; the entry lets that change through, for its cluster alone, with its reason', () => {
      // GIVEN a skipped minor, blocked on both clusters
      const blocked = plan(before, after);
      expect(formatPlan(blocked, 'Plan')).toContain('    x BLOCKED (kubernetes-minor-skip) Kubernetes v1.33 -> v1.35\n'
        + `        why: ${PLAN_RULES['kubernetes-minor-skip']}\n`
        + '        fix: move to v1.34 in this change and on in later ones\n'
        + '        escape: arlonctl plan --allow kubernetes-minor-skip=a\n'
        + `        accept with: - { rule: kubernetes-minor-skip, cluster: a, fingerprint: ${fingerprint('a')}, reason: "<why this change is safe>" }`
        + '   (a list item under `accept:` in arlon.accept.yaml, reviewed with the change)\n');
      // WHEN the entry for cluster a is in the acceptance file
      const p = computePlan(dist(before), dist(after), [], {}, accept({ rule: 'kubernetes-minor-skip', cluster: 'a', fingerprint: fingerprint('a'), reason }));
      // THEN a's change goes through, saying by what and why; b's stays blocked
      expect(blocks(p)).toEqual(['a: kubernetes-minor-skip (allowed)', 'b: kubernetes-minor-skip']);
      expect(p.blocked).toBe(true);
      expect(p.clusters[0].items[0]).toMatchObject({ allowedBy: 'arlon.accept.yaml', acceptedReason: reason });
      const text = formatPlan(p, 'Plan');
      expect(text).toContain('    ! ACCEPTED (kubernetes-minor-skip) Kubernetes v1.33 -> v1.35\n'
        + `        why: ${PLAN_RULES['kubernetes-minor-skip']}\n`
        + '        fix: move to v1.34 in this change and on in later ones\n'
        + `        accepted by arlon.accept.yaml: ${reason}\n`);
      expect(text).not.toContain('warning:');
      // AND with b's entry too, nothing is blocked
      const both = computePlan(dist(before), dist(after), [], {}, accept(
        { rule: 'kubernetes-minor-skip', cluster: 'a', fingerprint: fingerprint('a'), reason },
        { rule: 'kubernetes-minor-skip', cluster: 'b', fingerprint: fingerprint('b'), reason: 'b too' },
      ));
      expect(both.blocked).toBe(false);
      expect(both.unusedAcceptances).toBeUndefined();
    });

    test('an entry accepts the change it was written for and no other: a different change is blocked, and the entry is reported unused', () => {
      // GIVEN the entry written for a's 1.33 -> 1.35
      const entries = accept({ rule: 'kubernetes-minor-skip', cluster: 'a', fingerprint: fingerprint('a'), reason });
      // WHEN the change becomes 1.33 -> 1.36, or the entry names the rule on another cluster
      const other = computePlan(dist(before), dist({ spec: { kubernetesVersion: KubernetesVersion.V1_36 } }), [], {}, entries);
      const elsewhere = computePlan(dist(before), dist(after), [], {}, accept({ rule: 'kubernetes-minor-skip', cluster: 'b', fingerprint: fingerprint('a'), reason }));
      // THEN nothing is accepted, and the plan warns about the entry
      expect(blocks(other)).toEqual(['a: kubernetes-minor-skip', 'b: kubernetes-minor-skip']);
      expect(other.clusters[0].items[0].blocked!.fingerprint).toBe(fingerprint('a', 'Kubernetes v1.33 -> v1.36'));
      expect(other.unusedAcceptances).toEqual(entries);
      expect(formatPlan(other, 'Plan')).toContain(`warning: arlon.accept.yaml: the entry for kubernetes-minor-skip on cluster a, fingerprint ${fingerprint('a')}, `
        + 'accepts no blocked change of this plan: the change it was written for is merged, or has changed since (a different change has another '
        + 'fingerprint); remove the entry\n');
      expect(blocks(elsewhere)).toEqual(['a: kubernetes-minor-skip', 'b: kubernetes-minor-skip']);
      // AND once the change is merged (no change left), the entry is stale
      const merged = computePlan(dist(after), dist(after), [], {}, entries);
      expect(merged).toMatchObject({ blocked: false, unusedAcceptances: entries });
      expect(formatPlan(merged, 'Plan')).toContain('no changes\n\n0 cluster(s) changed (0 created, 0 removed); nothing blocked\nwarning: arlon.accept.yaml: ');
    });

    test('the markdown shows the entry to add, what an entry accepted and why, and unused entries', () => {
      const blocked = formatPlanMarkdown(plan(before, after), 'Plan');
      expect(blocked).toContain('  - escape: `arlonctl plan --allow kubernetes-minor-skip=a`\n'
        + '  - accept with (a list item under `accept:` in `arlon.accept.yaml`, reviewed with the change): '
        + `\`- { rule: kubernetes-minor-skip, cluster: a, fingerprint: ${fingerprint('a')}, reason: "<why this change is safe>" }\`\n`);
      const p = computePlan(dist(before), dist(after), [], {}, accept(
        { rule: 'kubernetes-minor-skip', cluster: 'a', fingerprint: fingerprint('a'), reason: 'a is *new*' },
        { rule: 'cluster-removed', cluster: 'gone', fingerprint: '0123456789ab', reason: 'old' },
      ));
      const markdown = formatPlanMarkdown(p, 'Plan');
      expect(markdown).toContain('- ⚠️ ACCEPTED (`kubernetes-minor-skip`) Kubernetes v1.33 -&gt; v1.35; accepted by `arlon.accept.yaml`: a is \\*new\\*\n');
      expect(markdown).toContain('**1 change(s) blocked**');
      expect(markdown).toContain('> ⚠️ arlon.accept.yaml: the entry for cluster-removed on cluster gone, fingerprint 0123456789ab, accepts no blocked change');
    });

    test('a fleet-wide change is accepted by an entry without a cluster', () => {
      const fleet = testFleet();
      new Cluster(fleet, 'a', { profiles: [new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) })] });
      const files = fleet.renderFiles();
      const base = readDistFiles(files, 'base');
      const current = readDistFiles(new Map([...files, ['clusters/a/ConfigMap.hand.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n']]), 'current');
      const message = 'clusters/a/ConfigMap.hand.yaml was not written by the synth (it has no generated header)';
      const entry = { rule: 'not-generated', fingerprint: fingerprintOf('not-generated', '', message), reason: 'migration, removed next week' };
      expect(computePlan(base, current, [], {}, accept(entry)).blocked).toBe(false);
      expect(computePlan(base, current, [], {}, accept({ ...entry, cluster: 'a' })).blocked).toBe(true);
    });

    test.each([
      [{ accept: [{ rule: 'everything', cluster: 'a', fingerprint: '0123456789ab', reason: 'r' }] }, 'arlon.accept.yaml: accept[0]: rule "everything" is not a rule; use one of kubernetes-minor-skip, '],
      [{ accept: [{ rule: 'cluster-removed', cluster: 'a', fingerprint: '0123', reason: 'r' }] }, 'arlon.accept.yaml: accept[0]: fingerprint "0123" is not 12 hexadecimal digits; copy it from the "accept with" line'],
      [{ accept: [{ rule: 'cluster-removed', cluster: 'a', fingerprint: '0123456789ab' }] }, 'arlon.accept.yaml: accept[0] (cluster-removed, fingerprint 0123456789ab) has no reason; say why the change is safe'],
      [{ accept: [{ rule: 'cluster-removed', cluster: 'a', fingerprint: '0123456789ab', reason: '<why this change is safe>' }] }, 'has no reason'],
      [{ accept: [{ rule: 'cluster-removed', fingerprint: '0123456789ab', reason: 'r', until: 'friday' }] }, 'arlon.accept.yaml: accept[0] has unknown field(s) until'],
      [{ accept: { rule: 'cluster-removed' } }, 'arlon.accept.yaml: `accept` is not a list'],
      [{ allow: [] }, 'arlon.accept.yaml: it holds `accept:`, a list of entries'],
    ])('refuses a bad acceptance file %j', (content, message) => {
      expect(() => parseAcceptances(JSON.stringify(content), 'arlon.accept.yaml', RULES)).toThrow(message);
    });
  });

  test('blocks a node pool ahead of its control plane, or too far behind', () => {
    const ahead = plan({}, {
      tamper: (c) => c.get('a')!.nodePools.get('general')!.machinePool.addJsonPatch(JsonPatch.replace('/spec/template/spec/version', 'v1.35.0')),
    });
    expect(blocks(ahead)).toEqual(['a: node-pool-skew']);
    expect(messages(ahead, 'a')).toContain('node pool general at v1.35.0 with the control plane at v1.34');
    // The synth refuses such skew itself; the plan catches it when an escape hatch produces it.
    const behind = plan({}, {
      tamper: (c) => c.get('b')!.nodePools.get('general')!.machinePool.addJsonPatch(JsonPatch.replace('/spec/template/spec/version', 'v1.30.0')),
    });
    expect(blocks(behind)).toEqual(['b: kubernetes-downgrade', 'b: node-pool-skew']);
  });

  test.each([
    ['region', { clusters: { a: { overrides: { region: 'us-west-2' } } } }, 'AWSManagedControlPlane test--a-control-plane .spec.region: us-east-1 -> us-west-2'],
    ['VPC', { spec: { network: { vpcCidr: '10.1.0.0/16' } } }, 'AWSManagedControlPlane test--a-control-plane .spec.network.vpc.cidrBlock: (unset) -> 10.1.0.0/16'],
    ['instance type', { clusters: { a: { overrides: { nodePools: { general: { instanceType: 'm7i.large' } } } } } },
      'AWSManagedMachinePool test--a-general .spec.instanceType: m6i.large -> m7i.large'],
    ['disk size', { clusters: { a: { overrides: { nodePools: { general: { diskSizeGiB: 100 } } } } } }, 'AWSManagedMachinePool test--a-general .spec.diskSize: (unset) -> 100'],
  ])('blocks a change to an immutable field: %s', (_what, after, message) => {
    const base: Shape = { clusters: { a: {} } };
    const p = plan(base, { ...base, ...after } as Shape);
    const item = p.clusters[0].items.find((i) => i.message === message);
    expect(item?.blocked?.rule).toBe('immutable-field');
    expect(item?.blocked?.fix).toMatch(/^(create a new cluster with the new setting and retire this one|add a node pool with the new setting)/);
  });

  test('compares a field left out as what the cluster stores: an unset AMI type was AL2, so moving to AL2023 is blocked', () => {
    // GIVEN dist/ from before AMI types were explicit (CAPA's CRD then stored AL2_x86_64)
    const old: Shape = {
      spec: { kubernetesVersion: KubernetesVersion.V1_32 },
      tamper: (c) => c.get('a')!.nodePools.get('general')!.awsManagedMachinePool.addJsonPatch(JsonPatch.remove('/spec/amiType')),
      clusters: { a: {} },
    };
    const p = plan(old, { spec: { kubernetesVersion: KubernetesVersion.V1_32 }, clusters: { a: {} } });
    expect(p.clusters[0].items).toContainEqual(expect.objectContaining({
      message: 'AWSManagedMachinePool test--a-general .spec.amiType: (unset: AL2_x86_64 on the cluster) -> AL2023_x86_64_STANDARD',
      blocked: expect.objectContaining({ rule: 'immutable-field', why: 'CAPA refuses it: the AMI type is fixed when the node group is created' }),
    }));
    // AND saying so explicitly is the same value: nothing to do while the pool stays at 1.32
    expect(plan(old, {
      spec: { kubernetesVersion: KubernetesVersion.V1_32, nodePools: { general: { instanceType: 'm6i.large', amiType: AmiType.AL2_X86_64 } } },
      clusters: { a: {} },
    }).blocked).toBe(false);
  });

  test('blocks carrying an Amazon Linux 2 pool past 1.32, and adding one to a cluster past 1.32', () => {
    const al2 = { general: { instanceType: 'm6i.large', amiType: AmiType.AL2_X86_64 } };
    // an AL2 pool upgraded to 1.33 (the synth refuses it; an escape hatch could still produce it)
    const upgraded = plan({ spec: { kubernetesVersion: KubernetesVersion.V1_32, nodePools: al2 }, clusters: { a: {} } }, {
      spec: { kubernetesVersion: KubernetesVersion.V1_33 },
      clusters: { a: {} },
      tamper: (c) => c.get('a')!.nodePools.get('general')!.awsManagedMachinePool.addJsonPatch(JsonPatch.replace('/spec/amiType', 'AL2_x86_64')),
    });
    expect(upgraded.clusters[0].items).toContainEqual({
      message: 'node pool general (AL2_x86_64) upgraded to 1.33',
      blocked: {
        rule: 'al2-end-of-life',
        why: 'EKS offers no Amazon Linux 2 AMIs after Kubernetes 1.32, and a node group keeps its AMI type for life',
        fix: 'add a pool with an AL2023 AMI type (the default), move the workloads, remove the AL2 pool, then upgrade',
        escape: 'arlonctl plan --allow al2-end-of-life=a',
        fingerprint: expect.stringMatching(FINGERPRINT),
      },
    });
    // a new AL2 pool at 1.32 on a 1.33 cluster: EKS creates node groups at the control plane's version
    const added = plan({ spec: { kubernetesVersion: KubernetesVersion.V1_33 }, clusters: { a: {} } }, {
      spec: { kubernetesVersion: KubernetesVersion.V1_33 },
      clusters: { a: {} },
      tamper: (c) => c.get('a')!.addNodePool('legacy', { instanceType: 'm6i.large', kubernetesVersion: KubernetesVersion.V1_32, amiType: AmiType.AL2_X86_64 }),
    });
    expect(blocks(added)).toEqual(['a: new-pool-below-control-plane', 'a: al2-end-of-life']);
    expect(messages(added, 'a')).toContain('node pool legacy (AL2_x86_64) added to a cluster at 1.33');
  });

  describe('node pool versions', () => {
    const lagging = (version: KubernetesVersion) => ({ general: { instanceType: 'm6i.large', kubernetesVersion: version } });

    test('blocks a new pool pinned below its control plane: EKS creates it at the control plane\'s version', () => {
      // GIVEN a cluster at 1.34 WHEN a pool of its own is added at 1.33
      const p = plan({ clusters: { a: {} } }, {
        clusters: { a: {} },
        tamper: (c) => c.get('a')!.addNodePool('old', { instanceType: 'm6i.large', kubernetesVersion: KubernetesVersion.V1_33 }),
      });
      // THEN
      expect(p.blocked).toBe(true);
      expect(p.clusters[0].items).toContainEqual({
        message: 'node pool old added at v1.33.0 with the control plane at v1.34: EKS creates it at 1.34, and its MachinePool would ask for v1.33.0 for ever',
        blocked: {
          rule: 'new-pool-below-control-plane',
          why: PLAN_RULES['new-pool-below-control-plane'],
          fix: 'give the new pool the control plane\'s version (leave its `kubernetesVersion` out); only a pool that already exists may lag behind its control plane',
          escape: 'arlonctl plan --allow new-pool-below-control-plane=a',
          fingerprint: expect.stringMatching(FINGERPRINT),
        },
      });
      // AND at the control plane's version it is accepted
      expect(plan({ clusters: { a: {} } }, {
        clusters: { a: {} },
        tamper: (c) => c.get('a')!.addNodePool('new', { instanceType: 'm6i.large', kubernetesVersion: KubernetesVersion.V1_34 }),
      }).blocked).toBe(false);
    });

    test('a new cluster whose pool is pinned below its control plane is blocked too; so is a pool added by an escape hatch', () => {
      const created = plan({ clusters: { a: {} } }, {
        clusters: { a: {}, c: { overrides: { nodePools: { general: { kubernetesVersion: KubernetesVersion.V1_33 } } } } },
      });
      expect(blocks(created)).toEqual(['c: new-pool-below-control-plane']);
      const hatch = plan({ clusters: { a: {} } }, {
        clusters: { a: {} },
        tamper: (c) => {
          const pool = c.get('a')!.addNodePool('spot', { instanceType: 'c7i.large' });
          pool.machinePool.addJsonPatch(JsonPatch.replace('/spec/template/spec/version', 'v1.32.0'));
        },
      });
      expect(blocks(hatch)).toEqual(['a: new-pool-below-control-plane']);
    });

    test('an existing pool that lags behind its control plane stays accepted, during and after the upgrade', () => {
      // GIVEN pools at 1.34 WHEN the control plane moves to 1.35 and the pool stays at 1.34
      const upgrade = plan({}, { spec: { kubernetesVersion: KubernetesVersion.V1_35, nodePools: lagging(KubernetesVersion.V1_34) } });
      expect(upgrade.blocked).toBe(false);
      // AND a later change that leaves it there is no change at all
      const later = { spec: { kubernetesVersion: KubernetesVersion.V1_35, nodePools: lagging(KubernetesVersion.V1_34) } };
      expect(plan(later, later).clusters).toEqual([]);
    });

    test('a new pool added at the old version while the control plane moves up is blocked (EKS may create it after the upgrade)', () => {
      const p = plan({ clusters: { a: {} } }, {
        spec: { kubernetesVersion: KubernetesVersion.V1_35, nodePools: lagging(KubernetesVersion.V1_34) },
        clusters: { a: {} },
        tamper: (c) => c.get('a')!.addNodePool('extra', { instanceType: 'm6i.large', kubernetesVersion: KubernetesVersion.V1_34 }),
      });
      expect(blocks(p)).toEqual(['a: new-pool-below-control-plane']);
      expect(messages(p, 'a')).toContain(
        'node pool extra added at v1.34.0 with the control plane at v1.35: EKS creates it at 1.35, and its MachinePool would ask for v1.34.0 for ever');
    });
  });

  describe('AMI release versions', () => {
    const shape = (release?: string, version = KubernetesVersion.V1_34): Shape => ({
      spec: { kubernetesVersion: version, nodePools: { general: { instanceType: 'm6i.large', ...(release === undefined ? {} : { amiReleaseVersion: release }) } } },
      clusters: { a: {} },
    });

    test('rolling the release replaces the nodes, and says so', () => {
      const p = plan(shape('1.34.1-20251103'), shape('1.34.2-20251201'));
      expect(p.blocked).toBe(false);
      expect(messages(p, 'a')).toEqual(['node pool general AMI release 1.34.1-20251103 -> 1.34.2-20251201: EKS replaces the nodes (rolling)']);
    });

    test('blocks going back to an older release: EKS never rolls a node group back', () => {
      const p = plan(shape('1.34.2-20251201'), shape('1.34.1-20251103'));
      expect(p.clusters[0].items).toEqual([{
        message: 'node pool general AMI release 1.34.2-20251201 -> 1.34.1-20251103',
        blocked: {
          rule: 'ami-release',
          why: 'EKS cannot roll a node group back to an earlier AMI release (UpdateNodegroupVersion)',
          fix: 'keep 1.34.2-20251201, or move to a newer release; to run an older image, add a node pool and move the workloads',
          escape: 'arlonctl plan --allow ami-release=a',
          fingerprint: expect.stringMatching(FINGERPRINT),
        },
      }]);
      expect(plan(shape('1.34.2-20251201'), shape('1.34.1-20251103'), [{ rule: 'ami-release', cluster: 'a' }]).blocked).toBe(false);
    });

    test('blocks a release of another Kubernetes minor than the pool\'s, and one with a launch template (escape hatches)', () => {
      const minor = plan(shape('1.34.1-20251103'), {
        ...shape('1.34.1-20251103'),
        tamper: (c) => c.get('a')!.nodePools.get('general')!.awsManagedMachinePool.addJsonPatch(JsonPatch.replace('/spec/amiVersion', '1.33.5-20251103')),
      });
      expect(minor.clusters[0].items).toEqual([expect.objectContaining({
        message: 'node pool general AMI release 1.33.5-20251103 on a pool at v1.34.0',
        blocked: expect.objectContaining({ rule: 'ami-release', fix: 'pin a release of 1.34 for AL2023_x86_64_STANDARD, or leave `amiReleaseVersion` out' }),
      })]);
      const template = plan(shape('1.34.1-20251103'), {
        ...shape('1.34.2-20251201'),
        tamper: (c) => c.get('a')!.nodePools.get('general')!.awsManagedMachinePool.addJsonPatch(JsonPatch.add('/spec/awsLaunchTemplate', { name: 'custom' })),
      });
      expect(blocks(template)).toEqual(['a: immutable-field', 'a: ami-release']);
      expect(messages(template, 'a')).toContain('node pool general AMI release 1.34.2-20251201 with a launch template');
    });

    test('warns where CAPA asks EKS for the pinned release after EKS picked the newest: a new pool, a Kubernetes upgrade, a first pin', () => {
      const created = plan(shape('1.34.1-20251103'), { ...shape('1.34.1-20251103'), clusters: { a: {}, c: {} } });
      expect(created.clusters.find((c) => c.cluster === 'c')!.items[1]).toEqual({
        message: 'node pool general: EKS creates it with the newest AMI release of its Kubernetes version, then CAPA asks for 1.34.1-20251103: its nodes are '
          + 'replaced once more unless that is the newest, and EKS refuses it on every reconcile if a newer release exists (pin the newest)',
        warning: true,
      });
      const upgraded = plan(shape('1.34.1-20251103'), shape('1.35.0-20251201', KubernetesVersion.V1_35));
      expect(upgraded.blocked).toBe(false);
      expect(messages(upgraded, 'a')).toContain('node pool general AMI release 1.34.1-20251103 -> 1.35.0-20251201 with Kubernetes v1.34.0 -> v1.35.0: '
        + 'CAPA upgrades the Kubernetes version first (EKS picks the newest release of it), then asks for 1.35.0-20251201: the nodes are replaced twice '
        + 'unless it is the newest, and EKS refuses it on every reconcile if a newer release exists (pin the newest)');
      const first = plan(shape(), shape('1.34.1-20251103'));
      expect(first.clusters[0].items).toEqual([{
        message: 'node pool general AMI release pinned to 1.34.1-20251103: EKS replaces the nodes unless they run it, and refuses it on every reconcile if '
          + 'they run a newer release',
        warning: true,
      }]);
      const unpinned = plan(shape('1.34.1-20251103'), shape());
      expect(messages(unpinned, 'a')).toEqual(['node pool general: AMI release no longer pinned (was 1.34.1-20251103): the nodes keep the release they '
        + 'run; a new or upgraded node group gets the newest']);
    });
  });

  test('blocks moving the authentication mode back, and removing the access configuration', () => {
    const roles = { argoCdRoleArn: 'arn:aws:iam::111122223333:role/argocd' };
    const toApi: Shape = { management: roles, clusters: { a: {} }, tamper: (c) => c.get('a')!.controlPlane.addJsonPatch(JsonPatch.replace('/spec/accessConfig/authenticationMode', 'api')) };
    expect(plan({ management: roles, clusters: { a: {} } }, toApi).blocked).toBe(false);
    const back = plan(toApi, { management: roles, clusters: { a: {} } });
    expect(back.clusters[0].items).toContainEqual(expect.objectContaining({
      message: 'AWSManagedControlPlane test--a-control-plane .spec.accessConfig.authenticationMode: api -> api_and_config_map',
      blocked: expect.objectContaining({ rule: 'immutable-field' }),
    }));
    // naming no role any more would drop the access configuration, which CAPA refuses
    const dropped = plan({ management: roles, clusters: { a: {} } }, { management: {}, clusters: { a: {} } });
    expect(dropped.clusters[0].items.filter((i) => i.blocked).map((i) => i.message)).toEqual([
      'AWSManagedControlPlane test--a-control-plane .spec.accessConfig: {"authenticationMode":"api_and_config_map"} -> (unset)',
    ]);
  });

  test('lets in-place node pool changes through', () => {
    const p = plan({ clusters: { a: {} } }, { clusters: { a: { overrides: { nodePools: { general: { maxSize: 5, labels: { tier: 'web' } } } } } } });
    expect(p.blocked).toBe(false);
    expect(messages(p, 'a')).toEqual(['node pool general: labels (unset) -> {"tier":"web"}', 'node pool general: scaling.maxSize 1 -> 5']);
  });

  test('blocks removing a cluster that was not retired; a retired one is deleted, in two steps', () => {
    const removed = plan({ clusters: { a: {}, b: {} } }, { clusters: { a: {} } });
    expect(blocks(removed)).toEqual(['b: cluster-removed']);
    expect(removed.clusters[0]).toMatchObject({ cluster: 'b', change: 'removed' });
    expect(removed.clusters[0].items[0].blocked!.fix).toBe(
      'to delete it, set `retire: true` on the cluster in one change and remove it in a later one; to keep it, put it back');

    // GIVEN b carries a bundle; retiring it removes its bundle Applications first, without a block, and says so once
    const bundles = [Bundle.helm('app', { repoUrl: 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'app' })];
    const retiring = plan({ bundles, clusters: { a: {}, b: {} } }, { bundles, clusters: { a: {}, b: { retire: true } } });
    expect(retiring.blocked).toBe(false);
    expect(messages(retiring, 'b')).toEqual([
      'retired: Argo CD removes its bundle Applications (app) while it still runs, `arlonctl register` removes its Argo CD cluster Secret, '
        + 'and its Cluster loses deletion protection; removing the cluster from the code in a later change deletes the Cluster, '
        + 'and Cluster API deletes the EKS cluster',
      'bundle app removed: Argo CD stops managing it and what it installed keeps running (removalPolicy RETAIN)',
    ]);
    // AND the retired cluster's bundle Application is gone, while its Cluster alone lost its deletion protection
    const retired = dist({ bundles, clusters: { a: {}, b: { retire: true } } });
    expect(retired.bundles.find((x) => x.name === 'app')!.clusters).toEqual(['a']);

    const deleting = plan({ bundles, clusters: { a: {}, b: { retire: true } } }, { bundles, clusters: { a: {} } });
    expect(deleting.blocked).toBe(false);
    expect(messages(deleting, 'b')).toEqual([
      'deleted: Argo CD deletes its Cluster, and Cluster API deletes what the Cluster owns: CAPA deletes EKS cluster test--b in us-east-1 with its node groups',
    ]);
  });

  test('blocks removing a bundle from a running cluster unless allowed, and says whether its workloads stay', () => {
    const chart = (removalPolicy?: RemovalPolicy) => Bundle.helm('app', {
      repoUrl: 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'app', removalPolicy,
    });
    // GIVEN a bundle dropped from the profile
    const kept = plan({ bundles: [chart()] }, { bundles: [] });
    expect(blocks(kept)).toEqual(['a: bundle-removed', 'b: bundle-removed']);
    expect(kept.clusters[0].items[0]).toEqual({
      message: 'bundle app removed: Argo CD stops managing it and what it installed keeps running (removalPolicy RETAIN)',
      blocked: {
        rule: 'bundle-removed',
        why: PLAN_RULES['bundle-removed'],
        fix: 'if intended, allow it; to delete what the bundle installed, set `removalPolicy: RemovalPolicy.DESTROY` on the bundle in one change '
          + 'and remove it in a later one; otherwise put the bundle back',
        escape: 'arlonctl plan --allow bundle-removed=a',
        fingerprint: expect.stringMatching(FINGERPRINT),
      },
    });
    // the policy that counts is the one the Applications carry before the change
    const switching = plan({ bundles: [chart()] }, { bundles: [chart(RemovalPolicy.DESTROY)] });
    expect(switching.clusters).toEqual([]);
    const destroyed = plan({ bundles: [chart(RemovalPolicy.DESTROY)] }, { bundles: [] }, [{ rule: 'bundle-removed' }]);
    expect(destroyed.blocked).toBe(false);
    expect(messages(destroyed, 'a')).toEqual([
      'bundle app removed: Argo CD deletes what it installed on the cluster, persistent volumes included (removalPolicy DESTROY)',
    ]);
    // an exclusion on one cluster is a removal from that cluster only
    const excluded = plan({ bundles: [chart()] }, { bundles: [chart()], clusters: { a: { excludeBundles: ['app'] }, b: {} } });
    expect(blocks(excluded)).toEqual(['a: bundle-removed']);
  });

  test('removing an external cluster removes its bundles from a running cluster: blocked unless allowed', () => {
    const withExternal = (external: boolean) => {
      const fleet = testFleet();
      const bundle = Bundle.helm('app', { repoUrl: 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'app' });
      const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [bundle] });
      new Cluster(fleet, 'a', { profiles: [profile] });
      if (external) {
        new ExternalCluster(fleet, 'legacy', { profiles: [new Profile(fleet, 'ops', { bundles: [bundle] })] });
      }
      return readDistFiles(fleet.renderFiles(), 'test');
    };
    const p = computePlan(withExternal(true), withExternal(false));
    expect(p.clusters.map((c) => `${c.cluster}:${c.change}`)).toEqual(['legacy:removed']);
    expect(messages(p, 'legacy')).toEqual([
      'removed external cluster: Argo CD no longer installs bundles on it; the cluster itself stays',
      'bundle app removed: Argo CD stops managing it and what it installed keeps running (removalPolicy RETAIN)',
    ]);
    expect(blocks(p)).toEqual(['legacy: bundle-removed']);
    expect(computePlan(withExternal(true), withExternal(false), [{ rule: 'bundle-removed', cluster: 'legacy' }]).blocked).toBe(false);
  });

  test('reports created clusters, added and removed node pools, bundles added, removed and upgraded', () => {
    const chart = (version: string) => Bundle.helm('app', { repoUrl: 'https://charts.example.com', chart: 'app', version, namespace: 'app' });
    const p = plan({ clusters: { a: {} }, bundles: [chart('1.0.0')] }, {
      clusters: { a: { bundleValues: { app: { replicaCount: 2 } } }, c: {} },
      bundles: [chart('1.1.0'), Bundle.helm('extra', { repoUrl: 'https://charts.example.com', chart: 'extra', version: '2.0.0', namespace: 'x' })],
      tamper: (c) => c.get('a')!.addNodePool('spot', { instanceType: 'c7i.large', minSize: 0, maxSize: 3 }),
    });
    expect(messages(p, 'a')).toEqual([
      'node pool spot added',
      'bundle extra added (helm 2.0.0)',
      'bundle app: 1.0.0 -> 1.1.0',
      'bundle app: values for this cluster: replicaCount: (unset) -> 2',
    ]);
    expect(messages(p, 'c')).toEqual(['new EKS cluster test--c: Kubernetes v1.34 in us-east-1; node pools general (m6i.large, 1-1); bundles app, extra']);
    const removedPool = plan({ tamper: (c) => c.get('a')!.addNodePool('spot', { instanceType: 'c7i.large' }) }, {});
    expect(removedPool.clusters[0].items[0]).toMatchObject({ warning: true, message: expect.stringContaining('node pool spot removed from the code: it keeps running') });
  });

  test('a per-cluster values override, added or removed, changes that cluster only', () => {
    const bundles = [Bundle.helm('app', { repoUrl: 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'app' })];
    const withValues = { bundles, clusters: { a: { bundleValues: { app: { replicaCount: 2 } } }, b: {} } };
    const without = { bundles, clusters: { a: {}, b: {} } };
    for (const [p, change] of [[plan(without, withValues), '(unset) -> 2'], [plan(withValues, without), '2 -> (unset)']] as const) {
      expect(p.clusters.map((c) => c.cluster)).toEqual(['a']);
      expect(messages(p, 'a')).toEqual([`bundle app: values for this cluster: replicaCount: ${change}`]);
    }
  });

  test('says which of a cluster\'s own values changed: nested fields, lists by what was added and removed', () => {
    const bundles = [Bundle.helm('app', { repoUrl: 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'app' })];
    const values = (hostname: string, hosts: string[], replicas: number) => ({ ingress: { hostname, hosts }, replicaCount: replicas, keep: 'same' });
    const p = plan(
      { bundles, clusters: { a: { bundleValues: { app: values('a.example.com', ['x.example.com', 'y.example.com'], 2) } } } },
      { bundles, clusters: { a: { bundleValues: { app: values('b.example.com', ['y.example.com', 'z.example.com'], 3) } } } },
    );
    expect(messages(p, 'a')).toEqual(['bundle app: values for this cluster: ingress.hostname: a.example.com -> b.example.com; '
      + 'ingress.hosts: +z.example.com, -x.example.com; replicaCount: 2 -> 3']);
  });

  test('shows an AppProject\'s changes as the repositories and destinations added and removed', () => {
    const withBundles = (repos: string[]) => {
      const fleet = testFleet();
      const bundles = repos.map((repoUrl, i) => Bundle.helm(`b${i}`, { repoUrl, chart: 'c', version: '1.0.0', namespace: `ns${i}` }));
      new Cluster(fleet, 'a', { profiles: [new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles })] });
      return readDistFiles(fleet.renderFiles(), 'test');
    };
    const p = computePlan(withBundles(['https://one.example.com']), withBundles(['https://two.example.com']));
    const project = p.fleet.find((i) => i.message.startsWith('changed argocd/AppProject.test-bundles.yaml'))!;
    expect(project.message).toContain('spec.sourceRepos: +https://two.example.com, -https://one.example.com');
    expect(project.message).not.toMatch(/\.\.\.$/);
  });

  test('blocks a file the synth did not write, in any folder of dist/', () => {
    const fleet = testFleet();
    new Cluster(fleet, 'a', { profiles: [new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) })] });
    const files = fleet.renderFiles();
    const base = readDistFiles(files, 'base');
    const withForeign = readDistFiles(new Map([...files, ['clusters/a/Secret.x.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: { name: x }\n']]), 'current');
    // the hand-written object is not read as part of the fleet, and the plan blocks it
    expect([...withForeign.objects.keys()]).toEqual([...base.objects.keys()]);
    const p = computePlan(base, withForeign);
    expect(p.blocked).toBe(true);
    expect(p.fleet.map((i) => `${i.blocked?.rule}: ${i.message}`)).toEqual(['not-generated: clusters/a/Secret.x.yaml was not written by the synth (it has no generated header)']);
    expect(computePlan(base, withForeign, [{ rule: 'not-generated', cluster: 'a' }]).blocked).toBe(true);
    expect(computePlan(base, withForeign, [{ rule: 'not-generated' }]).blocked).toBe(false);
  });

  test('treats a fleet without a dist/ at the base as all new', () => {
    const p = computePlan(undefined, dist());
    expect(p.clusters.map((c) => `${c.cluster}:${c.change}`)).toEqual(['a:created', 'b:created']);
    const shards = ['a', 'b'].map((name) => shardLabel(shardOf(name, 16), 16)).sort();
    expect(p.fleet.map((i) => i.message)).toEqual([
      'added argocd/AppProject.test-bundles.yaml', 'added argocd/AppProject.test-clusters.yaml',
      ...shards.map((s) => `added argocd/Application.test-shard-${s}.yaml`),
      ...shards.map((s) => `added argocd/shards/${s}/ApplicationSet.test-clusters-${s}.yaml`),
      'added fleet/AppProject.test.yaml', 'added fleet/Application.test.yaml',
    ]);
  });
});
