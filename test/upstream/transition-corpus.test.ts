/**
 * A corpus of day-2 transitions: each fleet change is synthesized before and after, explored in every order the
 * controllers can act in by the ports in `src/operations/transitions/` (Argo CD v3.5.1's application and ApplicationSet
 * controllers, CAPA v2.11.1's node group updates, Kubernetes' garbage collector, `arlonctl register`), and planned.
 * Each entry asserts the findings, which rules block the plan, and one fact showing the change did what it says.
 * The seven known defects are in `transition-defects.test.ts`; entries here may change the same things.
 */
import * as path from 'path';
import {
  AmiType, Bundle, Cluster, ClusterNaming, EksClusterSpec, ExternalCluster, KubernetesVersion, Profile, RemovalPolicy,
  type EksClusterSpecProps, type Fleet, type WaveOptions,
} from '../../src';
import { shardLabel, shardOf } from '../../src/argocd/shards';
import { applicationNameOf, type DistFleet } from '../../src/operations/dist-fleet';
import type { Plan } from '../../src/operations/plan';
import type { TransitionCheck } from '../../src/operations/transitions/check-transition';
import { DistLayout } from '../../src/output/layout';
import { readRolloutState, writeRolloutState } from '../../src/rollout/rollout-state';
import { minimalSpecProps, TEST_MANAGEMENT } from '../support/fixtures';
import { readTree, tempDir } from '../support/fleet-files';
import {
  blockedLines, distOf, findingLines, planOf, promoteInto, rolloutValuesShape, synthInto, transition, type FleetShape,
} from '../support/transitions';

interface ChartOptions {
  readonly name?: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly repoUrl?: string;
  readonly version?: string;
  readonly values?: Record<string, unknown>;
}

const chart = ({ name = 'app', repoUrl = 'https://charts.example.com', version = '1.0.0', ...rest }: ChartOptions = {}) => Bundle.helm(name, {
  repoUrl, chart: name, version, namespace: name, ...rest,
});
const RETAIN = chart();
const DESTROY = chart({ removalPolicy: RemovalPolicy.DESTROY });

/** A transition run through the model and the plan. */
interface Outcome {
  readonly base: DistFleet;
  readonly head: DistFleet;
  readonly check: TransitionCheck;
  readonly plan: Plan;
}

function outcome(base: DistFleet, head: DistFleet): Outcome {
  return { base, head, check: transition(base, head), plan: planOf(base, head) };
}

/** The blocked items of a plan as `cluster: rule`. */
function blockedRules(plan: Plan): string[] {
  return blockedLines(plan).map((line) => line.split(': ').slice(0, 2).join(': '));
}

/** The messages of a cluster's plan items. */
function messages(plan: Plan, cluster: string): string[] {
  return plan.clusters.find((c) => c.cluster === cluster)?.items.map((i) => i.message) ?? [];
}

/** An object of a dist/ by its file. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form YAML read back
function objectAt(dist: DistFleet, file: string): Record<string, any> {
  const object = dist.objects.get(file);
  if (object === undefined) {
    throw new Error(`no ${file} in dist/`);
  }
  return object;
}

/**
 * The file of a cluster's object in dist/: its control plane (no pool) or a node pool's object, named after the
 * cluster's Cluster API names (`<fleet>--<cluster>-control-plane`, `<fleet>--<cluster>-<pool>`) as dist/ records them.
 */
function clusterFile(dist: DistFleet, cluster: string, kind: string, pool?: string): string {
  const c = dist.clusters.find((d) => d.name === cluster)!;
  return `${DistLayout.clusterDir(cluster)}/${DistLayout.fileName(kind, pool === undefined ? c.controlPlaneName! : `${c.capiName!}-${pool}`)}`;
}

/** Two cluster names that share a shard of 16 (a and b do not: retiring b alone empties its shard's ApplicationSets). */
const SAME_SHARD = (() => {
  const names = Array.from({ length: 64 }, (_, i) => `c${i}`);
  const first = names.find((n) => names.some((m) => m !== n && shardOf(m, 16) === shardOf(n, 16)))!;
  return [first, names.find((n) => n !== first && shardOf(n, 16) === shardOf(first, 16))!] as const;
})();

const pool = (props: Record<string, unknown>): FleetShape['spec'] => ({ nodePools: { general: { instanceType: 'm6i.large', ...props } } });
const management = (argoCdRoleArn: string) => ({ management: { ...TEST_MANAGEMENT, capaFeatureGates: { eksEnableIam: true }, argoCdRoleArn } });

/** Cluster b on profile p (bundles web and shared) or q (batch and shared), a on p: the profile reassignment. */
function profiles(bOn: 'p' | 'q', web: RemovalPolicy): FleetShape {
  const shared = chart({ name: 'shared' });
  return {
    bundles: [chart({ name: 'web', removalPolicy: web }), shared],
    clusters: { a: {} },
    tamper: (fleet: Fleet) => {
      const p = fleet.node.findChild('p') as Profile;
      const q = new Profile(fleet, 'q', { spec: new EksClusterSpec(fleet, 'SpecQ', minimalSpecProps()), bundles: [chart({ name: 'batch' }), shared] });
      new Cluster(fleet, 'b', { profiles: [bOn === 'p' ? p : q] });
    },
  };
}

/** Cluster a, and the external cluster legacy with a profile of its own (bundle mon), or without it. */
function external(present: boolean, removalPolicy = RemovalPolicy.RETAIN, naming?: ClusterNaming): FleetShape {
  return {
    clusters: { a: {} },
    tamper: (fleet: Fleet) => {
      const addons = new Profile(fleet, 'addons', { bundles: [chart({ name: 'mon', removalPolicy })] });
      if (present) {
        new ExternalCluster(fleet, 'legacy', { profiles: [addons], ...naming === undefined ? {} : { naming } });
      }
    },
  };
}

interface Entry {
  readonly base: FleetShape;
  readonly head: FleetShape;
  /** `findingLines` of the transition. */
  readonly findings?: readonly string[];
  /** `cluster: rule` of the blocked plan items. */
  readonly blocked?: readonly string[];
  /** What shows the transition did what it should. */
  readonly fact: (o: Outcome) => void;
}

const ENTRIES: Record<string, Entry> = {
  'retire a cluster alone in its shard, with a RETAIN bundle': {
    base: { bundles: [RETAIN] },
    head: { bundles: [RETAIN], clusters: { a: {}, b: { retire: true } } },
    fact: ({ head, check, plan }) => {
      expect(shardOf('b', 16)).not.toBe(shardOf('a', 16));
      expect(head.clusters.find((c) => c.name === 'b')!.retired).toBe(true);
      expect(messages(plan, 'b')).toContain('bundle app removed: Argo CD stops managing it and what it installed keeps running (removalPolicy RETAIN)');
      expect(check.states).toBeGreaterThan(10);
    },
  },
  'retire a cluster alone in its shard, with a DESTROY bundle': {
    base: { bundles: [DESTROY] },
    head: { bundles: [DESTROY], clusters: { a: {}, b: { retire: true } } },
    fact: ({ check, plan }) => {
      expect(messages(plan, 'b')).toContain('bundle app removed: Argo CD deletes what it installed on the cluster, persistent volumes included (removalPolicy DESTROY)');
      expect(check.states).toBeGreaterThan(10);
    },
  },
  'retire a cluster that shares its shard (its Applications leave an ApplicationSet that stays)': {
    base: { bundles: [DESTROY], clusters: { [SAME_SHARD[0]]: {}, [SAME_SHARD[1]]: {} } },
    head: { bundles: [DESTROY], clusters: { [SAME_SHARD[0]]: {}, [SAME_SHARD[1]]: { retire: true } } },
    fact: ({ head, check }) => {
      expect(shardOf(SAME_SHARD[0], 16)).toBe(shardOf(SAME_SHARD[1], 16));
      expect(head.clusters.find((c) => c.name === SAME_SHARD[1])!.bundles).toEqual([]);
      expect(check.states).toBeGreaterThan(10);
    },
  },
  'un-retire a cluster with a DESTROY bundle': {
    base: { bundles: [DESTROY], clusters: { a: {}, b: { retire: true } } },
    head: { bundles: [DESTROY] },
    fact: ({ plan }) => expect(messages(plan, 'b')).toEqual(['no longer retired: deletion protection restored', 'bundle app added (helm 1.0.0)']),
  },
  'remove a retired cluster from the code (step 2)': {
    base: { bundles: [RETAIN], clusters: { a: {}, b: { retire: true } } },
    head: { bundles: [RETAIN], clusters: { a: {} } },
    fact: ({ head, plan }) => {
      expect(head.clusters.map((c) => c.name)).toEqual(['a']);
      expect(messages(plan, 'b')).toEqual([
        'deleted: Argo CD deletes its Cluster, and Cluster API deletes what the Cluster owns: CAPA deletes EKS cluster test--b in us-east-1 with its node groups',
      ]);
    },
  },
  'remove a retired cluster that shares its shard, with a DESTROY bundle (step 2)': {
    base: { bundles: [DESTROY], clusters: { [SAME_SHARD[0]]: {}, [SAME_SHARD[1]]: { retire: true } } },
    head: { bundles: [DESTROY], clusters: { [SAME_SHARD[0]]: {} } },
    fact: ({ plan }) => expect(messages(plan, SAME_SHARD[1])[0]).toMatch(/^deleted: Argo CD deletes its Cluster/),
  },
  'remove a cluster that was never retired': {
    base: { bundles: [RETAIN] },
    head: { bundles: [RETAIN], clusters: { a: {} } },
    blocked: ['b: cluster-removed'],
    fact: ({ plan }) => expect(messages(plan, 'b')).toEqual(['removed from the code: it keeps running, unmanaged (its objects are protected from deletion)']),
  },
  'double the shard count with only RETAIN bundles': {
    base: { bundles: [RETAIN], clusters: { a: {}, b: {}, c: {}, d: {} } },
    head: { bundles: [RETAIN], clusters: { a: {}, b: {}, c: {}, d: {} }, fleet: { shards: 32 } },
    fact: ({ head, check }) => {
      const moved = ['a', 'b', 'c', 'd'].filter((n) => shardOf(n, 16) !== shardOf(n, 32));
      expect(moved.length).toBeGreaterThan(0);
      expect([...head.objects.keys()]).toContain(`argocd/Application.test-shard-${shardLabel(shardOf(moved[0], 32), 32)}.yaml`);
      expect(check.states).toBeGreaterThan(moved.length);
    },
  },
  'remove a RETAIN bundle from the profile': {
    base: { bundles: [RETAIN] },
    head: {},
    blocked: ['a: bundle-removed', 'b: bundle-removed'],
    fact: ({ head, plan }) => {
      expect(head.bundles).toEqual([]);
      expect(messages(plan, 'a')).toEqual(['bundle app removed: Argo CD stops managing it and what it installed keeps running (removalPolicy RETAIN)']);
    },
  },
  'remove a DESTROY bundle from the profile': {
    base: { bundles: [DESTROY] },
    head: {},
    blocked: ['a: bundle-removed', 'b: bundle-removed'],
    fact: ({ check, plan }) => {
      expect(messages(plan, 'b')).toEqual(['bundle app removed: Argo CD deletes what it installed on the cluster, persistent volumes included (removalPolicy DESTROY)']);
      expect(check.units).toBe(4);
    },
  },
  'change a bundle\'s repository (no rollout)': {
    base: { bundles: [RETAIN] },
    head: { bundles: [chart({ repoUrl: 'https://charts.other.example.com' })] },
    fact: ({ head, plan }) => {
      expect(head.bundles[0].repoUrl).toBe('https://charts.other.example.com');
      // the bundles project trades the old repository for the new one in the same commit, in whichever order Argo CD syncs the two
      expect(objectAt(head, 'argocd/AppProject.test-bundles.yaml').spec.sourceRepos).toEqual(['https://charts.other.example.com', 'https://git.example.com/platform/fleet.git']);
      expect(messages(plan, 'a')).toEqual(['bundle app: source or namespace changed']);
    },
  },
  'bump a chart': {
    base: { bundles: [RETAIN] },
    head: { bundles: [chart({ version: '1.1.0' })] },
    fact: ({ plan }) => expect(messages(plan, 'a')).toEqual(['bundle app: 1.0.0 -> 1.1.0']),
  },
  'bump a chart that a cluster has values of its own for': {
    base: { bundles: [chart({ values: { replicas: 2 } })], clusters: { a: { bundleValues: { app: { host: 'a.example.com' } } }, b: {} } },
    head: { bundles: [chart({ version: '1.1.0', values: { replicas: 2 } })], clusters: { a: { bundleValues: { app: { host: 'a.example.com' } } }, b: {} } },
    fact: ({ base, head, plan }) => {
      expect([...head.valueFiles].sort()).toEqual([...base.valueFiles].sort());
      expect([...head.valueFiles]).toContain('bundles/app/values/a.yaml');
      expect([messages(plan, 'a'), messages(plan, 'b')]).toEqual([['bundle app: 1.0.0 -> 1.1.0'], ['bundle app: 1.0.0 -> 1.1.0']]);
    },
  },
  'add a node pool': {
    base: { clusters: { a: {} }, spec: pool({}) },
    head: { clusters: { a: {} }, spec: { nodePools: { general: { instanceType: 'm6i.large' }, batch: { instanceType: 'c6i.large' } } } },
    fact: ({ head, check }) => {
      expect(head.clusters[0].nodePools.map((p) => p.name).sort()).toEqual(['batch', 'general']);
      expect(check.states).toBeGreaterThan(1);
    },
  },
  'remove an autoscaled node pool': {
    base: { autoscaler: true, clusters: { a: {} }, spec: { nodePools: { general: { instanceType: 'm6i.large' }, batch: { instanceType: 'c6i.large', maxSize: 4 } } } },
    head: { autoscaler: true, clusters: { a: {} }, spec: pool({}) },
    fact: ({ plan }) => expect(messages(plan, 'a')).toEqual([
      'node pool batch removed from the code: it keeps running, since Argo CD never prunes Cluster API objects; drain it and delete it deliberately '
        + '(kubectl delete machinepool -n test--a test--a-batch)',
    ]),
  },
  'resize a pool without the autoscaler': {
    base: { clusters: { a: {} }, spec: pool({ minSize: 1, maxSize: 3, desiredSize: 2 }) },
    head: { clusters: { a: {} }, spec: pool({ minSize: 1, maxSize: 3, desiredSize: 3 }) },
    fact: ({ plan }) => expect(messages(plan, 'a')).toEqual(['node pool general: replicas 2 -> 3']),
  },
  'widen an autoscaled pool around its current size': {
    base: { autoscaler: true, clusters: { a: {} }, spec: pool({ minSize: 2, maxSize: 4 }) },
    head: { autoscaler: true, clusters: { a: {} }, spec: pool({ minSize: 1, maxSize: 8 }) },
    fact: ({ head, check }) => {
      expect(head.clusters[0].nodePools[0]).toMatchObject({ minSize: 1, maxSize: 8 });
      // one base world per size the autoscaler may have left the node group at (2 and 4)
      expect(check.states).toBeGreaterThan(4);
    },
  },
  'narrow an autoscaled pool below a size it may have': {
    base: { autoscaler: true, clusters: { a: {} }, spec: pool({ minSize: 1, maxSize: 6 }) },
    head: { autoscaler: true, clusters: { a: {} }, spec: pool({ minSize: 1, maxSize: 5 }) },
    findings: [
      'a eks-refused: CAPA sends UpdateNodegroupConfig for node group test--a-general {desiredSize: 6, minSize: 1, maxSize: 5}: EKS refuses it (desiredSize 6 is above maxSize 5), '
        + 'on every reconcile',
    ],
    blocked: ['a: unsafe-transition'],
    fact: ({ check }) => expect(check.findings.map((f) => [f.cause, f.nodegroup, f.trace.length])).toEqual([['eks-refused', 'test--a-general', 2]]),
  },
  'move Kubernetes one minor version': {
    base: { autoscaler: true, bundles: [RETAIN], spec: { kubernetesVersion: KubernetesVersion.V1_33 } },
    head: { autoscaler: true, bundles: [RETAIN], spec: { kubernetesVersion: KubernetesVersion.V1_34 } },
    fact: ({ head, plan }) => {
      expect(head.clusters.map((c) => c.kubernetesVersion)).toEqual(['v1.34', 'v1.34']);
      expect(messages(plan, 'a')).toContain('Kubernetes v1.33 -> v1.34: the control plane upgrades first, then the node pools follow');
      expect(messages(plan, 'a').some((m) => m.startsWith('bundle cluster-autoscaler: values for this cluster: image.tag: v1.33.'))).toBe(true);
    },
  },
  'move a cluster to another profile with other bundles (RETAIN)': {
    base: profiles('p', RemovalPolicy.RETAIN),
    head: profiles('q', RemovalPolicy.RETAIN),
    blocked: ['b: bundle-removed'],
    fact: ({ head, plan }) => {
      expect(head.clusters.find((c) => c.name === 'b')).toMatchObject({ profiles: ['q'], bundles: ['batch', 'shared'] });
      expect(messages(plan, 'b')).toContain('bundle web removed: Argo CD stops managing it and what it installed keeps running (removalPolicy RETAIN)');
    },
  },
  'move a cluster to another profile with other bundles (DESTROY)': {
    base: profiles('p', RemovalPolicy.DESTROY),
    head: profiles('q', RemovalPolicy.DESTROY),
    blocked: ['b: bundle-removed'],
    fact: ({ check, plan }) => {
      expect(messages(plan, 'b')).toContain('bundle web removed: Argo CD deletes what it installed on the cluster, persistent volumes included (removalPolicy DESTROY)');
      // a: its own, web and shared; b: its own, web, shared and batch
      expect(check.units).toBe(3 + 4);
    },
  },
  'remove an external cluster with a RETAIN bundle': {
    base: external(true),
    head: external(false),
    blocked: ['legacy: bundle-removed'],
    fact: ({ base, head, plan }) => {
      expect(base.clusters.find((c) => c.name === 'legacy')).toMatchObject({ external: true, bundles: ['mon'] });
      expect(head.clusters.map((c) => c.name)).toEqual(['a']);
      expect(messages(plan, 'legacy')).toEqual([
        'removed external cluster: Argo CD no longer installs bundles on it; the cluster itself stays',
        'bundle mon removed: Argo CD stops managing it and what it installed keeps running (removalPolicy RETAIN)',
      ]);
    },
  },
  'remove an external cluster with a DESTROY bundle': {
    base: external(true, RemovalPolicy.DESTROY),
    head: external(false, RemovalPolicy.DESTROY),
    blocked: ['legacy: bundle-removed'],
    fact: ({ plan }) => expect(messages(plan, 'legacy')[1]).toMatch(/\(removalPolicy DESTROY\)$/),
  },
  // The bundle Applications are renamed (legacy-mon -> test--legacy--mon): Argo CD deletes the old one and creates
  // the new one, in either order. With RETAIN the old one has no finalizer, so the workload stays and is adopted.
  'an external cluster moves to fleet-scoped names, with a RETAIN bundle': {
    base: external(true, RemovalPolicy.RETAIN, ClusterNaming.UNSCOPED),
    head: external(true, RemovalPolicy.RETAIN),
    fact: ({ base, head, plan }) => {
      const legacy = (dist: DistFleet) => dist.clusters.find((c) => c.name === 'legacy')!;
      expect([legacy(base).naming, legacy(head).naming]).toEqual([ClusterNaming.UNSCOPED, ClusterNaming.FLEET_SCOPED]);
      expect([applicationNameOf(base.name, legacy(base), 'mon'), applicationNameOf(head.name, legacy(head), 'mon')]).toEqual(['legacy-mon', 'test--legacy--mon']);
      // the plan says so, as a warning: nothing is lost with RETAIN
      expect(messages(plan, 'legacy')).toEqual(['bundle Applications renamed (legacy-mon -> test--legacy--mon): Argo CD deletes the old ones and creates the new ones, which take over what the old ones installed; a bundle with removalPolicy DESTROY would be deleted and installed again (the transition check blocks that)']);
    },
  },
  'an external cluster moves to fleet-scoped names, with a DESTROY bundle': {
    base: external(true, RemovalPolicy.DESTROY, ClusterNaming.UNSCOPED),
    head: external(true, RemovalPolicy.DESTROY),
    findings: ['legacy/mon workload-deleted: bundle mon is deleted from cluster legacy (and installed again) although the cluster keeps it'],
    // the old Application's resources finalizer deletes the workload before (or after) the new one installs it
    blocked: ['legacy: unsafe-transition'],
    fact: ({ plan }) => expect(messages(plan, 'legacy')).toEqual([
      'bundle Applications renamed (legacy-mon -> test--legacy--mon): Argo CD deletes the old ones and creates the new ones, which take over what the old ones installed; a bundle with removalPolicy DESTROY would be deleted and installed again (the transition check blocks that)',
      'bundle mon is deleted from cluster legacy (and installed again) although the cluster keeps it',
    ]),
  },
  // Nothing is deleted in any order, but CAPA removes the old role's access entry (accessentry.go,
  // reconcileAccessEntries) while the Secrets name the old role until `arlonctl register` runs again: plan warns.
  'change the role Argo CD reaches the clusters with': {
    base: { bundles: [RETAIN] },
    head: { bundles: [RETAIN], fleet: management('arn:aws:iam::111122223333:role/argocd-v2') },
    fact: ({ base, head, plan }) => {
      expect([base.argocdRoleArn, head.argocdRoleArn]).toEqual([TEST_MANAGEMENT.argoCdRoleArn, 'arn:aws:iam::111122223333:role/argocd-v2']);
      const entries = objectAt(head, clusterFile(head, 'a', 'AWSManagedControlPlane')).spec.accessEntries as Array<{ principalARN: string }>;
      expect(entries.map((e) => e.principalARN)).toEqual(['arn:aws:iam::111122223333:role/argocd-v2']);
      expect(plan.fleet.filter((i) => i.warning && i.message.startsWith('Argo CD\'s role changes')).map((i) => i.message)).toEqual([
        `Argo CD's role changes from ${TEST_MANAGEMENT.argoCdRoleArn} to arn:aws:iam::111122223333:role/argocd-v2: CAPA removes the old role's `
          + 'access entries as it reconciles each control plane, and Argo CD cannot reach a cluster until `arlonctl register` has rewritten its '
          + 'Secret; to avoid the gap, list the new role in `management.clusterAdminRoleArns` in a change of its own, then switch, run '
          + '`arlonctl register` and drop it',
      ]);
    },
  },
};

describe('a day-2 change, in every order of the controllers', () => {
  test.each(Object.entries(ENTRIES))('%s', (_name, entry) => {
    const o = outcome(distOf(entry.base), distOf(entry.head));
    expect(findingLines(o.check)).toEqual(entry.findings ?? []);
    expect(blockedRules(o.plan)).toEqual(entry.blocked ?? []);
    expect(o.plan.blocked).toBe((entry.blocked ?? []).length > 0);
    entry.fact(o);
  });
});

describe('a removal policy changed, then the bundle removed in a later commit', () => {
  test('RETAIN -> DESTROY adds the resources finalizer in place; the removal then deletes the workload, as planned', () => {
    const clusters = { a: {}, b: {} };
    const retain = distOf({ bundles: [RETAIN], clusters });
    const destroy = distOf({ bundles: [DESTROY], clusters });
    const removed = distOf({ bundles: [DESTROY], clusters: { a: {}, b: { excludeBundles: ['app'] } } });

    const first = outcome(retain, destroy);
    expect(findingLines(first.check)).toEqual([]);
    expect(blockedRules(first.plan)).toEqual([]);
    const label = shardLabel(shardOf('b', 16), 16);
    const template = (dist: DistFleet) => objectAt(dist, `argocd/shards/${label}/ApplicationSet.test-bundle-app-${label}.yaml`).spec.template.metadata;
    expect([template(retain).finalizers, template(destroy).finalizers]).toEqual([undefined, ['resources-finalizer.argocd.argoproj.io']]);

    const second = outcome(destroy, removed);
    expect(findingLines(second.check)).toEqual([]);
    expect(blockedRules(second.plan)).toEqual(['b: bundle-removed']);
    expect(messages(second.plan, 'b')).toEqual(['bundle app removed: Argo CD deletes what it installed on the cluster, persistent volumes included (removalPolicy DESTROY)']);
    expect(messages(second.plan, 'a')).toEqual([]);
  });
});

describe('an AL2 node pool replaced by an AL2023 one', () => {
  const v132 = KubernetesVersion.V1_32;
  const al2 = { instanceType: 'm6i.large', amiType: AmiType.AL2_X86_64 };
  const al2023 = { instanceType: 'm6i.large' };
  const shape = (nodePools: EksClusterSpecProps['nodePools'], kubernetesVersion = v132): FleetShape => ({
    clusters: { a: {} }, spec: { kubernetesVersion, nodePools },
  });

  test('adds the AL2023 pool in one change, removes the AL2 pool in the next, and can then leave 1.32', () => {
    const before = distOf(shape({ general: al2 }));
    const added = distOf(shape({ general: al2, standard: al2023 }));
    const removed = distOf(shape({ standard: al2023 }));
    const upgraded = distOf(shape({ standard: al2023 }, KubernetesVersion.V1_33));

    const add = outcome(before, added);
    expect(findingLines(add.check)).toEqual([]);
    expect(blockedRules(add.plan)).toEqual([]);
    expect(objectAt(added, clusterFile(added, 'a', 'AWSManagedMachinePool', 'standard')).spec.amiType).toBe(AmiType.AL2023_X86_64_STANDARD);
    expect(objectAt(added, clusterFile(added, 'a', 'AWSManagedMachinePool', 'general')).spec.amiType).toBe(AmiType.AL2_X86_64);

    const remove = outcome(added, removed);
    expect(findingLines(remove.check)).toEqual([]);
    expect(blockedRules(remove.plan)).toEqual([]);
    expect(messages(remove.plan, 'a')[0]).toMatch(/^node pool general removed from the code: it keeps running/);

    const upgrade = outcome(removed, upgraded);
    expect(findingLines(upgrade.check)).toEqual([]);
    expect(blockedRules(upgrade.plan)).toEqual([]);
    // with the AL2 pool still there, the synth refuses the upgrade; changing the pool's AMI type in place is refused by CAPA
    expect(() => distOf(shape({ general: al2, standard: al2023 }, KubernetesVersion.V1_33))).toThrow(/Amazon Linux 2/);
    expect(blockedRules(planOf(before, distOf(shape({ general: al2023 }))))).toEqual(['a: immutable-field']);
  });
});

describe('a rollout of new bundle values (waves dev and prod, one prod cluster at a time; prod-a has values of its own)', () => {
  const WAVES: WaveOptions[] = [{ name: 'dev', matchLabels: { env: 'dev' } }, { name: 'prod', maxClusters: 1 }];
  const shape = (replicas: number): FleetShape => rolloutValuesShape((values) => chart({ values }), replicas, WAVES);
  interface Commit {
    readonly dist: DistFleet;
    /** The revision value files in dist/. */
    readonly revisionFiles: readonly string[];
    /** The spec revision of each cluster, in name order. */
    readonly revisions: readonly string[];
  }
  /** Runs the steps in one output folder, each synthesizing dist/, and returns dist/ after each. */
  const commits = (...steps: Array<(dir: string) => DistFleet>): Commit[] => {
    const out = tempDir();
    try {
      return steps.map((step) => {
        const dist = step(out.dir);
        const files = [...readTree(path.join(out.dir, 'dist')).keys()];
        return {
          dist,
          revisionFiles: files.filter((f) => f.includes('/revisions/')).sort(),
          revisions: [...dist.clusters].sort((a, b) => a.name.localeCompare(b.name)).map((c) => c.specRevision!),
        };
      });
    } finally {
      out.cleanup();
    }
  };
  const abortAndRevert = (dir: string) => {
    const file = path.join(dir, 'dist.rollout.yaml');
    const state = readRolloutState(file)!;
    writeRolloutState(file, { ...state, profiles: { p: { ...state.profiles.p, aborted: state.profiles.p.target } } });
    return synthInto(dir, shape(1));
  };
  const expectSafe = (base: Commit, head: Commit) => {
    const o = outcome(base.dist, head.dist);
    expect(findingLines(o.check)).toEqual([]);
    expect(blockedRules(o.plan)).toEqual([]);
    expect(o.check.units).toBe(6);
    return o;
  };

  let main: Commit[];
  let superseded: Commit[];
  let aborted: Commit[];
  beforeAll(() => {
    const start = [(d: string) => synthInto(d, shape(1)), (d: string) => synthInto(d, shape(2)), (d: string) => promoteInto(d, shape(2))];
    main = commits(...start, (d) => promoteInto(d, shape(2)));
    superseded = commits(...start, (d) => synthInto(d, shape(3)), (d) => promoteInto(d, shape(3)), (d) => promoteInto(d, shape(3)));
    aborted = commits(...start, abortAndRevert);
  });

  test('start: the dev wave gets the new values with the commit, the prod clusters keep theirs from a revision value file', () => {
    const [initial, started] = main;
    const o = expectSafe(initial, started);
    expect(initial.revisionFiles).toEqual([]);
    expect(started.revisionFiles).toHaveLength(1);
    const [devA, prodA, prodB] = started.revisions;
    expect([devA === initial.revisions[0], prodA, prodB]).toEqual([false, initial.revisions[1], initial.revisions[2]]);
    expect(o.plan.clusters.map((c) => c.cluster)).toEqual(['dev-a']);
  });

  test('promote: prod-a (values of its own) moves to the new values, prod-b stays held', () => {
    const [, started, promoted] = main;
    expectSafe(started, promoted);
    expect(promoted.revisions).toEqual([started.revisions[0], started.revisions[0], started.revisions[2]]);
    expect(promoted.revisionFiles).toEqual(started.revisionFiles);
  });

  test('complete: the last held cluster moves, and the held revision\'s value file goes in the same commit', () => {
    const [, , promoted, completed] = main;
    expectSafe(promoted, completed);
    expect(new Set(completed.revisions).size).toBe(1);
    expect(completed.revisionFiles).toEqual([]);
  });

  test('supersede: a newer change reaches dev while prod-a and prod-b keep two older revisions; it is then promoted to the end', () => {
    const [, , promoted, superseding, promotedAgain, completed] = superseded;
    expectSafe(promoted, superseding);
    expect(new Set(superseding.revisions).size).toBe(3);
    expect(superseding.revisions.slice(1)).toEqual(promoted.revisions.slice(1));
    expect(superseding.revisionFiles).toHaveLength(2);
    expectSafe(superseding, promotedAgain);
    expect(promotedAgain.revisionFiles).toHaveLength(1);
    expectSafe(promotedAgain, completed);
    expect(completed.revisions).toEqual([superseding.revisions[0], superseding.revisions[0], superseding.revisions[0]]);
    expect(completed.revisionFiles).toEqual([]);
  });

  test('abort, then the reverted code: the clusters that ran the aborted revision go back at once, and its value file goes', () => {
    const [initial, , promoted, reverted] = aborted;
    const o = expectSafe(promoted, reverted);
    expect(reverted.revisions).toEqual(initial.revisions);
    expect(reverted.revisionFiles).toEqual([]);
    expect(o.plan.clusters.map((c) => c.cluster)).toEqual(['dev-a', 'prod-a']);
  });
});
