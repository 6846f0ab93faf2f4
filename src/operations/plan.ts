import { changedFields, declaredPart } from './diff';
import { applicationNameOf, bundleSourceOf, type DistCluster, type DistFleet } from './dist-fleet';
import { fieldChanges, valueAt } from './field-changes';
import { IMMUTABLE_FIELDS, isRefusedChange } from './immutable-fields';
import { providerVersionChanges } from './management-upgrades';
import { ACCEPTANCE_FILE, acceptanceEntry, fingerprintOf, unusedAcceptanceWarning, type Acceptance } from './plan-acceptance';
import { rolloutLines } from './plan-rollout';
import { PLAN_RULES, type PlanRule } from './plan-rules';
import { roleChangeWarning, transitionProblems, type TransitionFigures, type TransitionProblem } from './plan-transitions';
import { listElements } from '../argocd/list-generator';
import { RemovalPolicy } from '../bundle/removal-policy';
import { amiReleaseFamily, compareAmiReleases, exampleAmiRelease, parseAmiRelease } from '../eks/ami-release';
import { isAmazonLinux2, LAST_AL2_KUBERNETES_MINOR } from '../eks/ami-type';
import { MAX_NODE_VERSION_SKEW } from '../eks/version-skew';
import { Annotations, Labels } from '../fleet/labels';
import type { KubeObject } from '../kube/types';
import { ClusterNaming } from '../naming/cluster-names';
import { DistLayout } from '../output/layout';
import type { RolloutState } from '../rollout/rollout-state';

export { PLAN_RULES, type PlanRule } from './plan-rules';

/** An explicit exception to a rule (`--allow rule` or `--allow rule=cluster`). */
export interface Allowance {
  readonly rule: PlanRule;
  /** The cluster it applies to; all clusters when omitted. */
  readonly cluster?: string;
}

/** A change a plan blocks. */
export interface Block {
  readonly rule: PlanRule;
  readonly why: string;
  readonly fix: string;
  readonly escape: string;
  /** The fingerprint of this change (rule, cluster and message), for an entry of the acceptance file (set by `computePlan`). */
  readonly fingerprint?: string;
}

/** One line of a plan. */
export interface PlanItem {
  readonly message: string;
  /** Set when a rule refuses the change. */
  readonly blocked?: Block;
  /** The allowance that lets a blocked change through, when one does (`--allow ...`, or the acceptance file). */
  readonly allowedBy?: string;
  /** The reviewed reason, when an entry of the acceptance file lets the change through. */
  readonly acceptedReason?: string;
  /** Deserves attention although not blocked (deletion, nodes left running). */
  readonly warning?: boolean;
}

/** The changes to one cluster. */
export interface ClusterPlan {
  readonly cluster: string;
  readonly change: 'created' | 'removed' | 'changed';
  readonly items: readonly PlanItem[];
}

/** The changes between two versions of a fleet's dist/. */
export interface Plan {
  readonly clusters: readonly ClusterPlan[];
  readonly fleet: readonly PlanItem[];
  /** Whether a change is blocked and not allowed. */
  readonly blocked: boolean;
  /** What the transition check did (absent without a base). */
  readonly transitions?: TransitionFigures;
  /** Entries of the acceptance file that accept no blocked change of this plan (stale, or for another base): warnings. */
  readonly unusedAcceptances?: readonly Acceptance[];
}

/**
 * Compares the fleet of `base` (dist/ at a git ref; undefined when it had none) with `current`, cluster by cluster:
 * clusters created and removed, Kubernetes upgrades, node pool changes (and those that replace nodes), add-ons,
 * bundles added, removed and upgraded, and everything else that changed. Changes the rules refuse are blocked unless
 * an allowance covers them.
 */
export function computePlan(
  base: DistFleet | undefined, current: DistFleet, allowances: readonly Allowance[] = [],
  rollouts: { readonly base?: RolloutState; readonly head?: RolloutState } = {}, acceptances: readonly Acceptance[] = [],
): Plan {
  const used = new Set<Acceptance>();
  const allow = (item: PlanItem, cluster: string, allowed: readonly Allowance[]) => allowItem(item, cluster, allowed, acceptances, used);
  const beforeByName = new Map((base?.clusters ?? []).map((c) => [c.name, c]));
  const afterByName = new Map(current.clusters.map((c) => [c.name, c]));
  const names = [...new Set([...beforeByName.keys(), ...afterByName.keys()])].sort();
  const clusters: ClusterPlan[] = [];
  for (const name of names) {
    const before = beforeByName.get(name);
    const after = afterByName.get(name);
    const items = (before === undefined ? createdItems(current, after!)
      : after === undefined ? removedItems(base!, before)
        : changedItems(base!, before, current, after))
      .map((item) => allow(item, name, allowances));
    if (items.length > 0) {
      clusters.push({ cluster: name, change: before === undefined ? 'created' : after === undefined ? 'removed' : 'changed', items });
    }
  }
  const transitions = base === undefined ? undefined : transitionProblems(base, current);
  if (transitions !== undefined) {
    addTransitionItems(clusters, transitions.problems, (item, cluster) => allow(item, cluster, allowances));
  }
  const roleChange = base === undefined ? undefined : roleChangeWarning(base, current);
  const fleet = [
    ...(roleChange === undefined ? [] : [{ message: roleChange, warning: true }]),
    ...rolloutLines(rollouts.base, rollouts.head).map((message) => ({ message })),
    ...(base === undefined ? [] : managementItems(base, current)),
    ...fleetItems(base, current),
    ...current.foreignFiles.map(foreignFileItem),
  ].map((item) => allow(item, '', allowances));
  const blocked = [...clusters.flatMap((c) => c.items), ...fleet].some((item) => item.blocked !== undefined && item.allowedBy === undefined);
  const unused = acceptances.filter((a) => !used.has(a));
  return {
    clusters,
    fleet,
    blocked,
    ...(transitions === undefined ? {} : { transitions: transitions.figures }),
    ...(unused.length === 0 ? {} : { unusedAcceptances: unused }),
  };
}

/**
 * Adds what the transition model found (`plan-transitions.ts`) to the clusters' plans: a blocked item per broken
 * invariant, or a warning when a unit could not be checked. Clusters with nothing else in the plan (a shard move) get one.
 */
function addTransitionItems(
  clusters: ClusterPlan[], problems: ReadonlyMap<string, readonly TransitionProblem[]>, allow: (item: PlanItem, cluster: string) => PlanItem,
): void {
  const indexes = new Map(clusters.map((c, i) => [c.cluster, i]));
  for (const [cluster, found] of problems) {
    const items = found.map((p): PlanItem => (p.unchecked ? { message: p.message, warning: true }
      : allow({ message: p.message, blocked: block('unsafe-transition', cluster, p.fix, p.why) }, cluster)));
    const index = indexes.get(cluster);
    if (index !== undefined) {
      clusters[index] = { ...clusters[index], items: [...clusters[index].items, ...items] };
    } else {
      clusters.push({ cluster, change: 'changed', items });
    }
  }
  clusters.sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
}

/** A file the synth did not write: anything in dist/ reaches the clusters, so it must come from the fleet code. */
export function foreignFileItem(file: string): PlanItem {
  return {
    message: `${file} was not written by the synth (it has no generated header)`,
    blocked: block('not-generated', '', 'remove the file, or produce the object from the fleet code (an escape hatch, an inline bundle) and synthesize'),
  };
}

/**
 * Gives a blocked item its fingerprint, then applies the acceptance file's entries (recording in `used` those that
 * match) and the allowances; fleet-wide items (`cluster` empty) take only allowances for every cluster, and entries
 * without a cluster.
 */
export function allowItem(
  item: PlanItem, cluster: string, allowances: readonly Allowance[], acceptances: readonly Acceptance[] = [], used?: Set<Acceptance>,
): PlanItem {
  if (item.blocked === undefined) {
    return item;
  }
  const { rule } = item.blocked;
  const fingerprint = fingerprintOf(rule, cluster, item.message);
  const fingerprinted = { ...item, blocked: { ...item.blocked, fingerprint } };
  const accepted = acceptances.find((a) => a.rule === rule && (a.cluster ?? '') === cluster && a.fingerprint === fingerprint);
  if (accepted !== undefined) {
    used?.add(accepted);
    return { ...fingerprinted, allowedBy: ACCEPTANCE_FILE, acceptedReason: accepted.reason };
  }
  const allowance = allowances.find((a) => a.rule === rule && (a.cluster === undefined || (cluster !== '' && a.cluster === cluster)));
  return allowance ? { ...fingerprinted, allowedBy: `--allow ${allowance.rule}${allowance.cluster ? `=${allowance.cluster}` : ''}` } : fingerprinted;
}

/** A block of `rule`; `cluster` empty for a fleet-wide item, which only a fleet-wide allowance lets through. */
function block(rule: PlanRule, cluster: string, fix: string, why: string = PLAN_RULES[rule]): Block {
  return { rule, why, fix, escape: `arlonctl plan --allow ${rule}${cluster === '' ? '' : `=${cluster}`}` };
}

function createdItems(current: DistFleet, cluster: DistCluster): PlanItem[] {
  if (cluster.external) {
    return [{ message: `new external cluster: installs ${list(cluster.bundles)}` }];
  }
  const pools = cluster.nodePools.map((p) => `${p.name} (${p.instanceType}, ${p.minSize}-${p.maxSize})`).join(', ');
  const what = `Kubernetes ${cluster.kubernetesVersion} in ${cluster.region}; node pools ${pools}; bundles ${list(cluster.bundles)}`;
  const adopts = cluster.eksClusterName !== undefined && cluster.eksClusterName !== cluster.capiName;
  return [
    adopts
      ? {
        message: `adopts EKS cluster ${cluster.eksClusterName} (\`adoptEksCluster\`): CAPA takes it over as it is, brings it to ${what}, and deletes `
          + 'it when the cluster is retired; if no EKS cluster has that name, CAPA creates one',
        warning: true,
      }
      : { message: `new EKS cluster ${cluster.eksClusterName}: ${what}` },
    ...nodePoolVersionItems(new Map(), objectsIn(current, [DistLayout.clusterDir(cluster.name)]), cluster, cluster.name),
  ];
}

function removedItems(base: DistFleet, cluster: DistCluster): PlanItem[] {
  if (cluster.external) {
    return [
      { message: 'removed external cluster: Argo CD no longer installs bundles on it; the cluster itself stays', warning: true },
      ...cluster.bundles.map((name) => bundleRemovedItem(base, name, cluster.name)),
    ];
  }
  if (cluster.retired) {
    return [{
      message: `deleted: Argo CD deletes its Cluster, and Cluster API deletes what the Cluster owns: CAPA deletes EKS cluster ${cluster.eksClusterName} `
        + `in ${cluster.region} with its node groups`,
      warning: true,
    }];
  }
  return [{
    message: 'removed from the code: it keeps running, unmanaged (its objects are protected from deletion)',
    blocked: block('cluster-removed', cluster.name,
      'to delete it, set `retire: true` on the cluster in one change and remove it in a later one; to keep it, put it back', PLAN_RULES['cluster-removed']),
  }];
}

/** What removing a bundle from a cluster does: the policy is the one its Applications carry now, in `base`. */
function bundleRemovedMessage(base: DistFleet, name: string): string {
  const destroys = base.bundles.find((b) => b.name === name)?.removalPolicy === RemovalPolicy.DESTROY;
  return destroys
    ? `bundle ${name} removed: Argo CD deletes what it installed on the cluster, persistent volumes included (removalPolicy DESTROY)`
    : `bundle ${name} removed: Argo CD stops managing it and what it installed keeps running (removalPolicy RETAIN)`;
}

function bundleRemovedItem(base: DistFleet, name: string, cluster: string): PlanItem {
  return {
    message: bundleRemovedMessage(base, name),
    blocked: block('bundle-removed', cluster, 'if intended, allow it; to delete what the bundle installed, set `removalPolicy: RemovalPolicy.DESTROY` '
      + 'on the bundle in one change and remove it in a later one; otherwise put the bundle back'),
  };
}

/**
 * A fleet cluster whose identity changes (the names it goes by on the management cluster and in AWS): one blocked
 * item, since every object of it would be replaced rather than changed.
 */
function identityItems(before: DistCluster, after: DistCluster): PlanItem[] {
  const fields = [
    ['namespace', before.namespace, after.namespace],
    ['Cluster API cluster', before.capiName, after.capiName],
    ['EKS cluster', before.eksClusterName, after.eksClusterName],
  ].filter(([, from, to]) => from !== to).map(([what, from, to]) => `${what} ${from} -> ${to}`);
  if (before.external || fields.length === 0) {
    return [];
  }
  const keep = before.naming === ClusterNaming.UNSCOPED && after.naming !== ClusterNaming.UNSCOPED
    ? 'keep the names it runs with: `naming: ClusterNaming.UNSCOPED` on the cluster (or `clusterNaming` on the Fleet, for every cluster '
      + 'deployed before fleet-scoped names)'
    : 'put its names back as they were';
  return [{
    message: `renamed: ${fields.join(', ')}`,
    blocked: block('cluster-identity', after.name, `${keep}; to really move it, add a new cluster and retire this one (\`retire: true\`)`),
  }];
}

/**
 * An external cluster whose naming changes keeps its identity (Argo CD's name for it is its own), but its bundle
 * Applications are renamed: Argo CD deletes the old ones and creates the new ones, in either order.
 */
function externalRenameItems(base: DistFleet, before: DistCluster, current: DistFleet, after: DistCluster): PlanItem[] {
  const kept = before.bundles.filter((bundle) => after.bundles.includes(bundle));
  if (!before.external || !after.external || before.naming === after.naming || kept.length === 0) {
    return [];
  }
  const names = kept.map((bundle) => `${applicationNameOf(base.name, before, bundle)} -> ${applicationNameOf(current.name, after, bundle)}`);
  return [{
    message: `bundle Applications renamed (${names.join(', ')}): Argo CD deletes the old ones and creates the new ones, which take over what `
      + 'the old ones installed; a bundle with removalPolicy DESTROY would be deleted and installed again (the transition check blocks that)',
    warning: true,
  }];
}

function changedItems(base: DistFleet, before: DistCluster, current: DistFleet, after: DistCluster): PlanItem[] {
  const renamed = identityItems(before, after);
  if (renamed.length > 0) {
    return renamed;
  }
  const items: PlanItem[] = [...externalRenameItems(base, before, current, after)];
  const name = after.name;
  const wasRetired = before.retired;
  const nowRetired = after.retired;
  if (nowRetired && !wasRetired) {
    items.push({
      message: `retired: Argo CD removes its bundle Applications${before.bundles.length > 0 ? ` (${before.bundles.join(', ')})` : ''} while it still runs, `
        + '`arlonctl register` removes its Argo CD cluster Secret, and its Cluster loses deletion protection; removing the cluster from the code '
        + 'in a later change deletes the Cluster, and Cluster API deletes the EKS cluster',
      warning: true,
    });
  } else if (wasRetired && !nowRetired) {
    items.push({ message: 'no longer retired: deletion protection restored' });
  }

  if (after.specRevision !== undefined && (before.specRevision !== after.specRevision || before.rolloutWave !== after.rolloutWave)) {
    const change = (from: string | undefined, to: string) => (from === to ? to : `${from ?? '(none)'} -> ${to}`);
    items.push({ message: `rollout wave ${change(before.rolloutWave, after.rolloutWave!)}: spec revision ${change(before.specRevision, after.specRevision)}` });
  }

  const cpMinor = (version?: string) => Number(/^v?1\.(\d+)/.exec(version ?? '')?.[1] ?? NaN);
  const versionChanged = before.kubernetesVersion !== after.kubernetesVersion;
  if (versionChanged) {
    const [from, to] = [cpMinor(before.kubernetesVersion), cpMinor(after.kubernetesVersion)];
    const message = `Kubernetes ${before.kubernetesVersion} -> ${after.kubernetesVersion}`;
    if (to < from) {
      items.push({ message, blocked: block('kubernetes-downgrade', name, `keep ${before.kubernetesVersion}, or create a new cluster at ${after.kubernetesVersion} and retire this one`) });
    } else if (to - from > 1) {
      items.push({ message, blocked: block('kubernetes-minor-skip', name, `move to v1.${from + 1} in this change and on in later ones`) });
    } else {
      items.push({ message: `${message}: the control plane upgrades first, then the node pools follow` });
    }
  }

  const folders = [DistLayout.clusterDir(name)];
  const beforeObjects = objectsIn(base, folders);
  const afterObjects = objectsIn(current, folders);
  for (const [file, obj] of afterObjects) {
    const old = beforeObjects.get(file);
    if (old === undefined) {
      items.push(...addedObjectItems(obj, name));
    } else {
      items.push(...changedObjectItems(old, obj, name));
    }
  }
  for (const [file, obj] of beforeObjects) {
    if (!afterObjects.has(file)) {
      items.push(...removedObjectItems(obj, name));
    }
  }

  // Skew is checked on the new state, when this change moves a version.
  for (const pool of after.nodePools) {
    const old = before.nodePools.find((p) => p.name === pool.name);
    if (versionChanged || old?.kubernetesVersion !== pool.kubernetesVersion) {
      const skew = cpMinor(after.kubernetesVersion) - cpMinor(pool.kubernetesVersion);
      if (skew < 0 || skew > MAX_NODE_VERSION_SKEW) {
        items.push({
          message: `node pool ${pool.name} at ${pool.kubernetesVersion} with the control plane at ${after.kubernetesVersion}`,
          blocked: block('node-pool-skew', name, skew < 0 ? 'upgrade the control plane first, then the pool' : 'upgrade the pool before the control plane moves further'),
        });
      }
    }
  }

  items.push(...nodePoolVersionItems(beforeObjects, afterObjects, after, name));
  items.push(...amazonLinux2Items(beforeObjects, afterObjects, after, name));
  items.push(...bundleItems(base, before, current, after));
  return items;
}

/** A node pool as its two objects say, for the version rules. */
interface PoolVersions {
  readonly name: string;
  /** The MachinePool's `spec.template.spec.version` (`v1.34.0`). */
  readonly version: string;
  readonly minor: number;
  /** CAPA's CRD stores `AL2_x86_64` for an unset AMI type. */
  readonly amiType: string;
  readonly release?: string;
  readonly launchTemplate: boolean;
}

/** The node pools of a cluster's objects, keyed by EKS node group name: that, not a file or object name, is what EKS creates anew. */
function poolVersions(objects: Map<string, KubeObject>, cluster: string): Map<string, PoolVersions> {
  const managed = new Map([...objects.values()].filter((o) => o.kind === 'AWSManagedMachinePool').map((o) => [o.metadata.name, o]));
  const pools = new Map<string, PoolVersions>();
  for (const machinePool of objects.values()) {
    if (machinePool.kind !== 'MachinePool') {
      continue;
    }
    const template = (machinePool.spec as { template?: { spec?: { version?: string; infrastructureRef?: { name?: string } } } }).template?.spec;
    const infra = managed.get(template?.infrastructureRef?.name ?? '');
    const spec = (infra?.spec ?? {}) as { eksNodegroupName?: string; amiType?: string; amiVersion?: string; awsLaunchTemplate?: unknown };
    const version = String(template?.version ?? '');
    pools.set(spec.eksNodegroupName ?? infra?.metadata.name ?? machinePool.metadata.name, {
      name: poolName(machinePool, cluster),
      version,
      minor: Number(/^v?1\.(\d+)/.exec(version)?.[1] ?? NaN),
      amiType: spec.amiType ?? 'AL2_x86_64',
      release: spec.amiVersion,
      launchTemplate: spec.awsLaunchTemplate !== undefined,
    });
  }
  return pools;
}

/**
 * The version rules of node pools that EKS creates or updates. What CAPA v2.11.1 does, in
 * `pkg/cloud/services/eks/nodegroup.go`: `createNodegroup` sends neither `version` nor `releaseVersion`, so EKS
 * creates the node group at the control plane's version and the newest AMI release of it (CreateNodegroup: "You can
 * only create a node group for your cluster that is equal to the current Kubernetes version for the cluster");
 * `reconcileNodegroupVersion` then sends UpdateNodegroupVersion with one change per reconcile: the next minor while
 * the node group is below the MachinePool's version (never down), else `releaseVersion` = `amiVersion` while the
 * node group runs another release (in either direction). EKS refuses going back to an older release or Kubernetes
 * version, and a release with a launch template that has an image (UpdateNodegroupVersion), which CAPA always puts
 * into the launch template it makes (`pkg/cloud/services/ec2/launchtemplate.go`, `DiscoverLaunchTemplateAMI`).
 * So a new pool below its control plane never reaches its version, and a pinned release older than the newest is
 * refused right after a node group is created or upgraded.
 */
function nodePoolVersionItems(
  beforeObjects: Map<string, KubeObject>, afterObjects: Map<string, KubeObject>, cluster: DistCluster, name: string,
): PlanItem[] {
  const cpMinor = Number(/^v?1\.(\d+)/.exec(cluster.kubernetesVersion ?? '')?.[1] ?? NaN);
  const before = poolVersions(beforeObjects, name);
  const items: PlanItem[] = [];
  for (const [nodegroup, pool] of poolVersions(afterObjects, name)) {
    const old = before.get(nodegroup);
    if (old === undefined && pool.minor < cpMinor) {
      items.push({
        message: `node pool ${pool.name} added at ${pool.version} with the control plane at ${cluster.kubernetesVersion}: EKS creates it at `
          + `1.${cpMinor}, and its MachinePool would ask for ${pool.version} for ever`,
        blocked: block('new-pool-below-control-plane', name, 'give the new pool the control plane\'s version (leave its `kubernetesVersion` out); '
          + 'only a pool that already exists may lag behind its control plane'),
      });
    }
    items.push(...amiReleaseItems(old, pool, name));
  }
  return items;
}

/** What a pool's AMI release does in this change, blocked where EKS refuses it. */
function amiReleaseItems(old: PoolVersions | undefined, pool: PoolVersions, cluster: string): PlanItem[] {
  const release = pool.release;
  const was = old?.release;
  const versionMoves = old !== undefined && old.version !== pool.version;
  if (release === undefined) {
    return was === undefined ? [] : [{
      message: `node pool ${pool.name}: AMI release no longer pinned (was ${was}): the nodes keep the release they run; a new or upgraded node group gets the newest`,
    }];
  }
  if (old !== undefined && was === release && !versionMoves && old.launchTemplate === pool.launchTemplate) {
    return [];
  }
  const at = `node pool ${pool.name} AMI release`;
  const refuse = (message: string, why: string, fix: string): PlanItem[] => [{ message, blocked: block('ami-release', cluster, fix, why) }];
  if (pool.launchTemplate) {
    return refuse(`${at} ${release} with a launch template`, 'CAPA puts an image into the launch template it makes for the pool '
      + '(DiscoverLaunchTemplateAMI), and EKS refuses a release version for a node group whose launch template names an image',
    'leave `amiReleaseVersion` out: with a launch template, the image comes from it');
  }
  const parsed = parseAmiRelease(pool.amiType, release);
  if (parsed === undefined || (parsed.kubernetesMinor !== undefined && parsed.kubernetesMinor !== pool.minor)) {
    const example = exampleAmiRelease(pool.amiType, pool.minor);
    return refuse(`${at} ${release} on a pool at ${pool.version}`, amiReleaseFamily(pool.amiType) === undefined
      ? `the library does not model the AMI releases of ${pool.amiType}`
      : `EKS gives a node group only releases of its own Kubernetes version (${pool.amiType}: e.g. "${example}"), and refuses this one on every reconcile`,
    `pin a release of ${pool.version.replace(/^v/, '').split('.').slice(0, 2).join('.')} for ${pool.amiType}, or leave \`amiReleaseVersion\` out`);
  }
  const previous = was === undefined ? undefined : parseAmiRelease(old!.amiType, was);
  const comparable = previous !== undefined && previous.family === parsed.family && previous.kubernetesMinor === parsed.kubernetesMinor;
  if (comparable && compareAmiReleases(parsed, previous) < 0) {
    return refuse(`${at} ${was} -> ${release}`, 'EKS cannot roll a node group back to an earlier AMI release (UpdateNodegroupVersion)',
      `keep ${was}, or move to a newer release; to run an older image, add a node pool and move the workloads`);
  }
  if (old === undefined) {
    return [{
      message: `node pool ${pool.name}: EKS creates it with the newest AMI release of its Kubernetes version, then CAPA asks for ${release}: `
        + 'its nodes are replaced once more unless that is the newest, and EKS refuses it on every reconcile if a newer release exists (pin the newest)',
      warning: true,
    }];
  }
  if (versionMoves) {
    return [{
      message: `${at} ${was === release ? `${release} (unchanged)` : `${was ?? '(not pinned)'} -> ${release}`} with Kubernetes ${old.version} -> ${pool.version}: `
        + 'CAPA upgrades the Kubernetes version first '
        + `(EKS picks the newest release of it), then asks for ${release}: the nodes are replaced twice unless it is the newest, and EKS refuses it on `
        + 'every reconcile if a newer release exists (pin the newest)',
      warning: true,
    }];
  }
  if (was === undefined) {
    return [{
      message: `${at} pinned to ${release}: EKS replaces the nodes unless they run it, and refuses it on every reconcile if they run a newer release`,
      warning: true,
    }];
  }
  return [{ message: `${at} ${was} -> ${release}: EKS replaces the nodes (rolling)` }];
}

/**
 * Node pools this change would run on Amazon Linux 2 past its last Kubernetes version: an AL2 pool upgraded beyond
 * 1.32, or an AL2 pool added to a cluster past 1.32 (EKS creates a node group at the control plane's version). An
 * unset AMI type is AL2, as CAPA's CRD defaults it.
 */
function amazonLinux2Items(
  beforeObjects: Map<string, KubeObject>, afterObjects: Map<string, KubeObject>, cluster: DistCluster, name: string,
): PlanItem[] {
  const minorOf = (version: unknown) => Number(/^v?1\.(\d+)/.exec(String(version))?.[1] ?? NaN);
  const pools = new Map([...afterObjects.values()].filter((o) => o.kind === 'AWSManagedMachinePool').map((o) => [o.metadata.name, o]));
  const items: PlanItem[] = [];
  for (const [file, machinePool] of afterObjects) {
    if (machinePool.kind !== 'MachinePool') {
      continue;
    }
    const template = (machinePool.spec as { template?: { spec?: { version?: string; infrastructureRef?: { name?: string } } } }).template?.spec;
    const amiType = String((pools.get(template?.infrastructureRef?.name ?? '')?.spec as { amiType?: string } | undefined)?.amiType ?? 'AL2_x86_64');
    const old = beforeObjects.get(file);
    const from = old === undefined ? undefined : minorOf((old.spec as { template?: { spec?: { version?: string } } }).template?.spec?.version);
    const to = old === undefined ? minorOf(cluster.kubernetesVersion) : minorOf(template?.version);
    if (isAmazonLinux2(amiType) && to > LAST_AL2_KUBERNETES_MINOR && (from === undefined || from <= LAST_AL2_KUBERNETES_MINOR)) {
      items.push({
        message: `node pool ${poolName(machinePool, name)} (${amiType}) ${old === undefined ? `added to a cluster at 1.${to}` : `upgraded to 1.${to}`}`,
        blocked: block('al2-end-of-life', name, 'add a pool with an AL2023 AMI type (the default), move the workloads, remove the AL2 pool, then upgrade'),
      });
    }
  }
  return items;
}

function addedObjectItems(obj: KubeObject, cluster: string): PlanItem[] {
  if (obj.kind === 'MachinePool') {
    return [{ message: `node pool ${poolName(obj, cluster)} added` }];
  }
  return obj.kind === 'AWSManagedMachinePool' ? [] : [{ message: `added ${obj.kind} ${obj.metadata.name}` }];
}

function removedObjectItems(obj: KubeObject, cluster: string): PlanItem[] {
  if (obj.kind === 'MachinePool') {
    return [{
      message: `node pool ${poolName(obj, cluster)} removed from the code: it keeps running, since Argo CD never prunes Cluster API objects; `
        + `drain it and delete it deliberately (kubectl delete machinepool -n ${obj.metadata.namespace} ${obj.metadata.name})`,
      warning: true,
    }];
  }
  return obj.kind === 'AWSManagedMachinePool' ? [] : [{ message: `removed ${obj.kind} ${obj.metadata.name}`, warning: true }];
}

function changedObjectItems(old: KubeObject, obj: KubeObject, cluster: string): PlanItem[] {
  const items: PlanItem[] = [];
  const before = declaredPart(old);
  const after = declaredPart(obj);
  const what = (field: string) => `${obj.kind} ${obj.metadata.name} ${field}`;
  // Immutable paths are compared directly: a change can set a whole object (`.spec.network`) that holds one. A field
  // inside one already refused (an access config removed, and so its mode) is not reported again.
  const refused = IMMUTABLE_FIELDS.filter((f) => f.kind === obj.kind && isRefusedChange(f, valueAt(before, f.path), valueAt(after, f.path)));
  const immutables = refused.filter((f) => !refused.some((outer) => outer !== f && f.path.startsWith(`${outer.path}.`)));
  for (const immutable of immutables) {
    const fix = obj.kind === 'AWSManagedMachinePool' || obj.kind === 'MachinePool'
      ? 'add a node pool with the new setting, move the workloads, then remove this pool'
      : 'create a new cluster with the new setting and retire this one (`retire: true`)';
    items.push({
      message: `${what(immutable.path)}: ${showStored(valueAt(before, immutable.path), immutable.stored)} -> `
        + showStored(valueAt(after, immutable.path), immutable.stored),
      blocked: block('immutable-field', cluster, fix, immutable.why),
    });
  }
  const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  // Retiring a cluster marks its objects and lifts the Cluster's deletion protection: reported once, for the cluster.
  const retirement = (field: string) => field === `.metadata.annotations.${Annotations.RETIRED}`
    || (obj.kind === 'Cluster' && field === `.metadata.annotations.${Annotations.ARGOCD_SYNC_OPTIONS}`);
  // Which fields a cluster overrides, and where it stands in its rollout, are bookkeeping: reported once for the cluster.
  const bookkeeping = (field: string) => [Annotations.OVERRIDES, Annotations.ROLLOUT_WAVE, Annotations.SPEC_REVISION]
    .some((key) => field === `.metadata.annotations.${key}`);
  for (const field of changedFields(before, after).filter((f) => !immutables.some((i) => related(f, i.path)) && !retirement(f) && !bookkeeping(f))) {
    const from = valueAt(before, field);
    const to = valueAt(after, field);
    if (obj.kind === 'AWSManagedControlPlane' && field === '.spec.version') {
      // Reported once for the cluster, with the version rules.
    } else if (obj.kind === 'AWSManagedControlPlane' && field === '.spec.addons') {
      items.push(...addonItems(from, to));
    } else if (obj.kind === 'MachinePool' && field === '.spec.template.spec.version') {
      const downgrade = Number(/^v?1\.(\d+)/.exec(String(to))?.[1]) < Number(/^v?1\.(\d+)/.exec(String(from))?.[1]);
      const message = `node pool ${poolName(obj, cluster)}: Kubernetes ${show(from)} -> ${show(to)}, its nodes are replaced (rolling)`;
      items.push(downgrade ? { message, blocked: block('kubernetes-downgrade', cluster, `keep ${show(from)}`) } : { message });
    } else if (obj.kind === 'AWSManagedMachinePool' && field === '.spec.amiVersion') {
      // Reported with the pool's versions (`nodePoolVersionItems`).
    } else if (obj.kind === 'MachinePool' || obj.kind === 'AWSManagedMachinePool') {
      items.push({ message: `node pool ${poolName(obj, cluster)}: ${field.replace(/^\.spec\./, '')} ${show(from)} -> ${show(to)}` });
    } else {
      items.push({ message: `${what(field)}: ${show(from)} -> ${show(to)}` });
    }
  }
  return items;
}

function addonItems(from: unknown, to: unknown): PlanItem[] {
  type Addon = { name: string; version: string };
  const before = new Map(((from ?? []) as Addon[]).map((a) => [a.name, a]));
  const after = new Map(((to ?? []) as Addon[]).map((a) => [a.name, a]));
  const items: PlanItem[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [b, a] = [before.get(name), after.get(name)];
    if (b === undefined) {
      items.push({ message: `add-on ${name} added at ${a!.version}` });
    } else if (a === undefined) {
      items.push({ message: `add-on ${name} no longer managed by CAPA (EKS keeps it installed)` });
    } else if (b.version !== a.version) {
      items.push({ message: `add-on ${name}: ${b.version} -> ${a.version}` });
    } else if (JSON.stringify(b) !== JSON.stringify(a)) {
      items.push({ message: `add-on ${name}: settings changed` });
    }
  }
  return items;
}

function bundleItems(base: DistFleet, before: DistCluster, current: DistFleet, after: DistCluster): PlanItem[] {
  const items: PlanItem[] = [];
  const find = (fleet: DistFleet, name: string) => fleet.bundles.find((b) => b.name === name)!;
  for (const name of after.bundles.filter((b) => !before.bundles.includes(b))) {
    const bundle = find(current, name);
    items.push({ message: `bundle ${name} added (${bundle.kind} ${bundle.version})` });
  }
  // Retiring a cluster removes its bundles on purpose (reported with the retirement).
  const retiring = after.retired && !before.retired;
  for (const name of before.bundles.filter((b) => !after.bundles.includes(b))) {
    items.push(retiring ? { message: bundleRemovedMessage(base, name), warning: true } : bundleRemovedItem(base, name, after.name));
  }
  for (const name of after.bundles.filter((b) => before.bundles.includes(b))) {
    const [old, now] = [find(base, name), find(current, name)];
    // what this cluster installs: during a rollout, a cluster of a wave not released keeps an earlier definition
    const [was, is] = [bundleSourceOf(old, after.name), bundleSourceOf(now, after.name)];
    if (was.version !== is.version) {
      items.push({ message: `bundle ${name}: ${was.version} -> ${is.version}` });
    } else if (was.repoUrl !== is.repoUrl || was.chart !== is.chart || was.path !== is.path || old.namespace !== now.namespace) {
      items.push({ message: `bundle ${name}: source or namespace changed` });
    }
    // An element without values means no values of its own: `{}`.
    const valueChanges = fieldChanges(old.clusterValues[after.name] ?? {}, now.clusterValues[after.name] ?? {});
    if (valueChanges.length > 0) {
      items.push({ message: `bundle ${name}: values for this cluster: ${valueChanges.join('; ')}` });
    }
  }
  return items;
}

const MANAGEMENT_FIXES: Readonly<Record<'management-downgrade' | 'management-minor-skip' | 'provider-contract', string>> = {
  'management-downgrade': 'keep the version, or upgrade to a newer one',
  'management-minor-skip': 'upgrade in steps of at most three minors, one commit each',
  'provider-contract': 'upgrade the provider to a release of the contract the core implements first',
};

/** The version changes of the management plane's providers, blocked where upstream says they must not happen. */
function managementItems(base: DistFleet, current: DistFleet): PlanItem[] {
  return providerVersionChanges(base, current).map((change) => ({
    message: `management plane: provider ${change.provider} ${change.from} -> ${change.to}${change.broken === undefined ? '' : `: ${change.broken.why}`}`,
    ...(change.broken === undefined ? {} : { blocked: block(change.broken.rule, '', MANAGEMENT_FIXES[change.broken.rule]) }),
  }));
}

function fleetItems(base: DistFleet | undefined, current: DistFleet): PlanItem[] {
  const items: PlanItem[] = [];
  const inClusterFolders = (file: string) => file.startsWith(`${DistLayout.clustersDir}/`);
  // Who an ApplicationSet generates for is reported cluster by cluster; the rest of a change to it, once here.
  const isGenerators = (field: string) => field === '.spec.generators' || field.startsWith('.spec.generators.');
  const files = [...new Set([...(base?.objects.keys() ?? []), ...current.objects.keys()])].filter((f) => !inClusterFolders(f)).sort();
  // ApplicationSets whose generators changed around the same list elements (the layout of issue 26, say): no cluster
  // gains or loses an Application, so no cluster reports it; said once, so that the diff is not unexplained.
  const regenerated: string[] = [];
  for (const file of files) {
    const [old, obj] = [base?.objects.get(file), current.objects.get(file)];
    if (old === undefined) {
      items.push({ message: `added ${file}` });
    } else if (obj === undefined) {
      items.push({ message: `removed ${file}`, warning: true });
    } else if (old !== obj) {
      // The same parsed object means the same text (dist-fleet's parse memo): nothing to compare.
      const [declaredBefore, declaredAfter] = [declaredPart(old), declaredPart(obj)];
      const changed = changedFields(declaredBefore, declaredAfter);
      const fields = changed.filter((f) => !(obj.kind === 'ApplicationSet' && isGenerators(f)));
      if (obj.kind === 'ApplicationSet' && changed.some(isGenerators) && sameElements(old, obj)) {
        regenerated.push(file);
      }
      if (fields.length > 0) {
        // A project's rules (repositories, destinations, kinds) read as what was added and removed; other objects by field.
        const what = obj.kind === 'AppProject' ? fieldChanges(declaredBefore, declaredAfter, fields).join('; ') : fields.join(', ');
        items.push({ message: `changed ${file}: ${what}` });
      }
    }
  }
  if (regenerated.length > 0) {
    const which = `${regenerated[0]}${regenerated.length > 1 ? ', ...' : ''}`;
    const message = `${regenerated.length} ApplicationSet(s) changed their generators and list the same clusters with the same parameters `
      + `(${which}): the Applications they generate are the same`;
    items.push({ message });
  }
  return items;
}

/** Whether two ApplicationSets list the same elements, in whatever order and generators. */
function sameElements(a: KubeObject, b: KubeObject): boolean {
  const elements = (o: KubeObject) => listElements(o.spec).map((e) => JSON.stringify(e)).sort().join('\n');
  return elements(a) === elements(b);
}

/** The objects of the given folders of a fleet, keyed by path. */
function objectsIn(fleet: DistFleet, folders: readonly string[]): Map<string, KubeObject> {
  const index = folderIndex(fleet);
  return new Map(folders.flatMap((folder) => [...(index.get(folder) ?? [])]));
}

/** The objects of a fleet by folder, built once per fleet: a plan looks up each cluster's folder, so it stays linear. */
const FOLDER_INDEXES = new WeakMap<DistFleet, Map<string, Map<string, KubeObject>>>();
function folderIndex(fleet: DistFleet): Map<string, Map<string, KubeObject>> {
  let index = FOLDER_INDEXES.get(fleet);
  if (index === undefined) {
    index = new Map();
    for (const [file, obj] of fleet.objects) {
      const folder = file.slice(0, Math.max(0, file.lastIndexOf('/')));
      (index.get(folder) ?? index.set(folder, new Map()).get(folder)!).set(file, obj);
    }
    FOLDER_INDEXES.set(fleet, index);
  }
  return index;
}

/** A node pool's name in the fleet: its objects are `<Cluster API cluster name>-<pool>`. */
function poolName(obj: KubeObject, cluster: string): string {
  const prefix = `${obj.metadata.labels?.[Labels.CAPI_CLUSTER_NAME] ?? cluster}-`;
  return obj.metadata.name.startsWith(prefix) ? obj.metadata.name.slice(prefix.length) : obj.metadata.name;
}

/** A value of an immutable field, saying what the cluster stores when the manifest leaves it out. */
function showStored(value: unknown, stored: unknown): string {
  return value === undefined && stored !== undefined ? `(unset: ${show(stored)} on the cluster)` : show(value);
}

function show(value: unknown): string {
  if (value === undefined) {
    return '(unset)';
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function list(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}

/**
 * The plan as text: one block per cluster, blocked changes with why, fix and escape. `notes` (how the base was chosen,
 * warnings about dist/ and the branch) follow the header, one line each.
 */
export function formatPlan(plan: Plan, header: string, notes: readonly string[] = []): string {
  const lines = [header, ...notes, ''];
  const mark = { created: '+', removed: '-', changed: '~' };
  const render = (item: PlanItem, cluster: string) => {
    if (item.blocked === undefined) {
      lines.push(`    ${item.warning ? '!' : '*'} ${item.message}`);
      return;
    }
    const { rule, why, fix, escape, fingerprint } = item.blocked;
    lines.push(item.acceptedReason !== undefined
      ? `    ! ACCEPTED (${rule}) ${item.message}`
      : item.allowedBy
        ? `    ! ALLOWED (${rule}, by ${item.allowedBy}) ${item.message}`
        : `    x BLOCKED (${rule}) ${item.message}`);
    lines.push(`        why: ${why}`, `        fix: ${fix}`);
    if (item.acceptedReason !== undefined) {
      lines.push(`        accepted by ${item.allowedBy}: ${item.acceptedReason}`);
    } else if (!item.allowedBy) {
      lines.push(`        escape: ${escape}`);
      if (fingerprint !== undefined) {
        lines.push(`        accept with: - ${acceptanceEntry(rule, cluster, fingerprint)}   (a list item under \`accept:\` in ${ACCEPTANCE_FILE}, reviewed with the change)`);
      }
    }
  };
  for (const cluster of plan.clusters) {
    lines.push(`${mark[cluster.change]} cluster ${cluster.cluster}`);
    cluster.items.forEach((item) => render(item, cluster.cluster));
  }
  if (plan.fleet.length > 0) {
    lines.push('~ fleet');
    plan.fleet.forEach((item) => render(item, ''));
  }
  const count = (change: ClusterPlan['change']) => plan.clusters.filter((c) => c.change === change).length;
  const blocked = [...plan.clusters.flatMap((c) => c.items), ...plan.fleet].filter((i) => i.blocked && !i.allowedBy).length;
  if (plan.clusters.length === 0 && plan.fleet.length === 0) {
    lines.push('no changes');
  }
  lines.push('', `${plan.clusters.length} cluster(s) changed (${count('created')} created, ${count('removed')} removed); `
    + (blocked === 0 ? 'nothing blocked' : `${blocked} change(s) blocked`));
  (plan.unusedAcceptances ?? []).forEach((a) => lines.push(`warning: ${unusedAcceptanceWarning(a)}`));
  return `${lines.join('\n')}\n`;
}
