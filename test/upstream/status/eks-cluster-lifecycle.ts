/**
 * A deterministic simulator of one Arlon cluster on a management cluster: the objects as synthesized in `dist/` are
 * admitted (CRD defaults and webhooks: `../management-cluster.ts`), then a scripted sequence of phases drives a small
 * model of EKS (the cluster, its node groups, their Auto Scaling group instances and the Nodes they register), and
 * after each EKS change the controllers ported in this folder reconcile until nothing changes any more:
 * CAPA's AWSManagedCluster, AWSManagedControlPlane and AWSManagedMachinePool reconcilers (`capa-*-status.ts`), Cluster
 * API's Cluster and MachinePool reconcilers (`capi-*-status.ts`), then Argo CD refreshes the Applications
 * (`argocd-application-status.ts`). Every time is passed in; names, UIDs and instance IDs are derived from counters.
 *
 * The EKS model is NOT a port (AWS is closed source); it follows the EKS documentation: DescribeCluster reports the old
 * version until an update completes; a node group's version cannot be updated while its cluster is updating, nor past
 * the cluster's version (the refusals' wording is the model's); a managed node group update first adds new nodes (the
 * Auto Scaling group grows by the larger of twice its zones and maxUnavailable) before draining the old ones; the
 * cluster-autoscaler changes the node group's desired size and new instances register their Node later.
 * Controller-owned spec fields survive a new apply (server-side apply: Argo CD does not own them).
 *
 * Argo CD: the cluster's Application syncs when a step brings manifests (or says how its sync went); a later commit
 * that changes nothing of an Application compares Synced at that commit without an operation. Bundle Applications are
 * given as the ApplicationSet controller renders them: one whose spec changed, or whose inputs in git changed
 * (`changedApplications`), syncs again. A chart source resolves to its version, a git source to the step's commit.
 */
import { createHash } from 'crypto';
import { applicationStatus, type ManagedResource, type SyncProgress } from './argocd-application-status';
import { reconcileControlPlanePass, reconcileManagedCluster, type EksCall, type EksCluster, type EksClusterStatus } from './capa-controlplane-status';
import { reconcileNodegroupPass, type EksNodegroup, type NodegroupCall, type NodegroupStatus } from './capa-nodegroup-status';
import { reconcileCluster } from './capi-cluster-status';
import { reconcileMachinePool, type WorkloadNode } from './capi-machinepool-status';
import { canonical, clone, getPath, k8sTime, setPath, type Json } from './objects';
import type { KubeObject } from '../../../src/kube/types';
import { CrdSchemas } from '../../support/crd-schemas';
import { ManagementCluster } from '../management-cluster';

/**
 * What EKS does in a step, after the step's manifests are applied and the controllers reacted: `creating` (CREATING);
 * `nodeGroupsCreating` (ACTIVE, node groups CREATING); `created` (those node groups ACTIVE, their Nodes Ready);
 * `controlPlaneUpgrading` (apply a new control plane version: UPDATING); `controlPlaneUpgraded` (ACTIVE at the next
 * minor); `nodeGroupUpgrading` (apply new MachinePool versions: UPDATING, surge Nodes at the new minor joined);
 * `nodeGroupUpgraded` (ACTIVE, every instance replaced); `scaling`/`scaled` (new desired sizes; new Nodes not yet /
 * joined); `failure` (see `LifecycleStep.failure`).
 */
export type LifecyclePhase = 'creating' | 'nodeGroupsCreating' | 'created' | 'controlPlaneUpgrading' | 'controlPlaneUpgraded' | 'nodeGroupUpgrading'
  | 'nodeGroupUpgraded' | 'scaling' | 'scaled' | 'failure';

export interface LifecycleStep {
  readonly phase: LifecyclePhase;
  /** When the phase is observed (every time written during the step). */
  readonly at: string;
  /** New manifests applied first (e.g. the control plane or MachinePools at a new version), as Argo CD syncs them. */
  readonly manifests?: readonly KubeObject[];
  /** The git revision the Applications compare to; default: the previous step's. */
  readonly revision?: string;
  /** The cluster Application's sync; default: Succeeded to `revision`, started and finished at `at`. */
  readonly sync?: SyncProgress;
  /** `scaling`/`scaled`: the node groups' new desired sizes, by MachinePool name. */
  readonly desiredSizes?: Readonly<Record<string, number>>;
  /** `failure`: what fails; in a `created` step, a node group whose creation fails instead of becoming ACTIVE. */
  readonly failure?: { readonly controlPlane: Extract<EksClusterStatus, 'FAILED' | 'PENDING' | 'DELETING'> }
    | { readonly machinePool: string; readonly nodegroup: Extract<NodegroupStatus, 'CREATE_FAILED' | 'DEGRADED' | 'DELETE_FAILED' | 'DELETING'> };
  /** CREATING/UPDATING has lasted past CAPA's 30-minute wait (the blocked reconcile fails). */
  readonly waitTimedOut?: boolean;
  /** Whether the bundle Applications exist (the cluster is registered); default: once the control plane is initialized. */
  readonly bundlesRegistered?: boolean;
  /** The Applications as the ApplicationSet controller renders them at `revision` (specs replace the previous ones). */
  readonly applications?: readonly KubeObject[];
  /** Applications whose files in git changed at `revision` (their `manifest-generate-paths`): they sync again. */
  readonly changedApplications?: readonly string[];
}

export interface LifecycleOptions {
  /** The cluster's objects from `dist/clusters/<name>/`. */
  readonly objects: readonly KubeObject[];
  /** Its Applications (the cluster's own, destination in-cluster, and its bundle Applications) without status. */
  readonly applications?: readonly KubeObject[];
  /** CAPA feature gates; default both on (without `EKSEnableIAM`, `associateOIDCProvider` fails every reconcile). */
  readonly capaGates?: { readonly EKSEnableIAM: boolean; readonly MachinePool: boolean };
  /** The Node's kubelet version for an EKS minor; default `v<minor>.5-eks-113cf36`. */
  readonly kubeletVersion?: (minor: string) => string;
  /** Health of the bundle Applications' own resources (workload-cluster kinds are not ported); default none. */
  readonly bundleResources?: (app: KubeObject, phase: LifecyclePhase) => readonly ManagedResource[];
}

export interface LifecycleSnapshot {
  readonly phase: LifecyclePhase;
  readonly at: string;
  /** The live objects (spec as stored plus status), in `dist/` order. */
  readonly objects: readonly KubeObject[];
  /** The Applications that exist, by name, with their status. */
  readonly applications: readonly KubeObject[];
  readonly eks: { readonly cluster?: EksCluster; readonly nodegroups: Readonly<Record<string, EksNodegroup>> };
  readonly calls: ReadonlyArray<EksCall | NodegroupCall>;
  /** Reconcile errors and panics, as `<Kind>/<name>: <message>`. */
  readonly errors: readonly string[];
}

interface Instance { id: string; zone: string; minor: string; node?: WorkloadNode }

/** Fields controllers own, kept when a new manifest is applied. */
const CONTROLLER_FIELDS: Record<string, string[][]> = {
  Cluster: [['spec', 'controlPlaneEndpoint']],
  AWSManagedCluster: [['spec', 'controlPlaneEndpoint']],
  AWSManagedControlPlane: [['spec', 'controlPlaneEndpoint']],
  MachinePool: [['spec', 'replicas'], ['spec', 'providerIDList']],
  AWSManagedMachinePool: [['spec', 'providerIDList']],
};

const stable = (o: unknown) => JSON.stringify(canonical(o));

let schemas: CrdSchemas | undefined;
/** The CRD schemas, compiled once for every simulated cluster (they hold no state). */
const crdSchemas = () => (schemas ??= new CrdSchemas());

export class EksClusterLifecycle {
  private readonly mc: ManagementCluster;
  private readonly live: KubeObject[] = [];
  private readonly apps: KubeObject[];
  private readonly gates: { EKSEnableIAM: boolean; MachinePool: boolean };
  private readonly kubelet: (minor: string) => string;
  private eks?: EksCluster;
  private readonly nodegroups = new Map<string, EksNodegroup & { instanceList: Instance[] }>();
  private counter = 0;
  private revision = 'HEAD';
  private lastSync?: SyncProgress;
  /** The sync operation each bundle Application last ran, by name. */
  private readonly bundleSyncs = new Map<string, SyncProgress>();
  private calls: Array<EksCall | NodegroupCall> = [];
  private errors: string[] = [];

  constructor(private readonly options: LifecycleOptions) {
    this.gates = { EKSEnableIAM: true, MachinePool: true, ...options.capaGates };
    this.mc = new ManagementCluster({ capaGates: this.gates, schemas: crdSchemas() });
    this.kubelet = options.kubeletVersion ?? ((minor) => `v${minor}.5-eks-113cf36`);
    for (const manifest of options.objects) {
      this.live.push(this.admit(manifest, undefined));
    }
    this.apps = (options.applications ?? []).map(clone);
  }

  /** Runs `steps` in order; one snapshot per step. */
  public run(steps: readonly LifecycleStep[]): LifecycleSnapshot[] {
    return steps.map((s) => this.step(s));
  }

  public step(step: LifecycleStep): LifecycleSnapshot {
    const now = k8sTime(step.at);
    this.calls = [];
    this.revision = step.revision ?? this.revision;
    for (const manifest of step.manifests ?? []) {
      const i = this.live.findIndex((o) => o.kind === manifest.kind && o.metadata.name === manifest.metadata.name);
      const next = this.admit(manifest, i < 0 ? undefined : this.live[i]);
      if (i < 0) {
        this.live.push(next);
      } else {
        this.live[i] = next;
      }
    }
    this.settle(step, now);
    const pools = () => [...this.nodegroups.entries()];
    switch (step.phase) {
      case 'nodeGroupsCreating':
      case 'created':
      case 'controlPlaneUpgraded':
        this.eks = {
          ...this.eks!,
          status: 'ACTIVE',
          version: this.eks!.status === 'UPDATING' ? this.nextMinor(this.eks!.version!) : this.eks!.version,
          endpoint: this.eks!.endpoint ?? this.endpoint(),
        };
        this.settle(step, now);
        for (const [name, ng] of pools().filter(([, g]) => g.status === 'CREATING' && step.phase !== 'nodeGroupsCreating')) {
          const failed = step.failure !== undefined && 'machinePool' in step.failure && step.failure.machinePool === name;
          this.setNodegroup(name, failed ? { ...ng, status: (step.failure as { nodegroup: NodegroupStatus }).nodegroup, instanceList: [] }
            : { ...ng, status: 'ACTIVE', instanceList: this.launch(ng.desiredSize, ng.version, true) });
        }
        break;
      case 'nodeGroupUpgrading':
        for (const [name, ng] of pools().filter(([, g]) => g.status === 'UPDATING')) {
          const maxUnavailable = Number(getPath(this.find('AWSManagedMachinePool', name), 'spec', 'updateConfig', 'maxUnavailable') ?? 1);
          const surge = ng.desiredSize === 0 ? 0 : Math.max(2 * this.zones().length, maxUnavailable);
          this.setNodegroup(name, { ...ng, instanceList: [...ng.instanceList, ...this.launch(surge, this.nextMinor(ng.version), true)] });
        }
        break;
      case 'nodeGroupUpgraded':
        for (const [name, ng] of pools().filter(([, g]) => g.status === 'UPDATING')) {
          const minor = this.nextMinor(ng.version);
          this.setNodegroup(name, { ...ng, status: 'ACTIVE', version: minor, instanceList: this.launch(ng.desiredSize, minor, true) });
        }
        break;
      case 'scaling':
      case 'scaled':
        for (const [name, size] of Object.entries(step.desiredSizes ?? {})) {
          const ng = this.nodegroups.get(name)!;
          const kept = ng.instanceList.slice(0, size).map((i) => (step.phase === 'scaled' ? this.join(i) : i));
          this.setNodegroup(name, {
            ...ng,
            desiredSize: size,
            instanceList: [...kept,
              ...this.launch(Math.max(0, size - kept.length), ng.version, step.phase === 'scaled')],
          });
        }
        break;
      case 'failure':
        if (step.failure !== undefined && 'controlPlane' in step.failure) {
          this.eks = { ...this.eks!, status: step.failure.controlPlane };
        } else if (step.failure !== undefined) {
          const ng = this.nodegroups.get(step.failure.machinePool);
          if (ng === undefined) {
            throw new Error(`no node group for MachinePool ${step.failure.machinePool} yet (fail its creation in a 'created' step)`);
          }
          const created = step.failure.nodegroup !== 'CREATE_FAILED';
          this.setNodegroup(step.failure.machinePool, { ...ng, status: step.failure.nodegroup, instanceList: created ? ng.instanceList : [] });
        }
        break;
      default:
    }
    this.settle(step, now);
    if (step.sync !== undefined || (step.manifests ?? []).length > 0 || this.lastSync === undefined) {
      this.lastSync = step.sync ?? { revision: this.revision, startedAt: now, finishedAt: now, phase: 'Succeeded' };
    }
    return {
      phase: step.phase,
      at: now,
      objects: this.live.map(clone),
      applications: this.refreshApplications(step, now),
      eks: { cluster: this.eks, nodegroups: Object.fromEntries(pools().map(([n, g]) => [n, this.publicNodegroup(g)])) },
      calls: this.calls,
      errors: this.errors,
    };
  }

  private admit(manifest: KubeObject, old: KubeObject | undefined): KubeObject {
    const obj = clone(manifest);
    for (const path of (old === undefined ? [] : CONTROLLER_FIELDS[obj.kind] ?? [])) {
      setPath(obj as Json, path, clone(getPath(old, ...path)));
    }
    const admitted = this.mc.admit(obj, old);
    if (admitted.stored === undefined) {
      throw new Error(`${manifest.kind}/${manifest.metadata.name} is not admitted: ${admitted.errors.join('; ')}`);
    }
    const stored = admitted.stored;
    stored.metadata.generation = old === undefined ? 1 : Number(old.metadata.generation ?? 1) + (stable(old.spec) === stable(stored.spec) ? 0 : 1);
    if (old?.status !== undefined) {
      stored.status = clone(old.status);
    }
    return stored;
  }

  private find(kind: string, name?: string): KubeObject | undefined {
    return this.live.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  }

  private replace(obj: KubeObject): void {
    this.live[this.live.findIndex((o) => o.kind === obj.kind && o.metadata.name === obj.metadata.name)] = obj;
  }

  private region = () => String(getPath(this.find('AWSManagedControlPlane'), 'spec', 'region') ?? 'us-east-1');
  private zones = () => ['a', 'b', 'c'].map((z) => `${this.region()}${z}`);
  private nextMinor = (v: string) => `${v.split('.')[0]}.${Number(v.split('.')[1]) + 1}`;
  /** EKS's endpoint: 32 hex digits of its own per cluster (derived from its name, so runs are deterministic). */
  private endpoint = () => `https://${createHash('md5').update(String(getPath(this.find('AWSManagedControlPlane'), 'spec', 'eksClusterName')))
    .digest('hex').toUpperCase()}.gr7.${this.region()}.eks.amazonaws.com`;
  private hex = (n: number) => (++this.counter).toString(16).padStart(n, '0');

  private launch(count: number, minor: string, join: boolean): Instance[] {
    return Array.from({ length: count }, () => {
      const instance: Instance = { id: `i-${this.hex(17)}`, zone: this.zones()[this.counter % 3], minor };
      return join ? this.join(instance) : instance;
    });
  }

  private join(i: Instance): Instance {
    const n = parseInt(i.id.slice(2), 16);
    return i.node !== undefined ? i : {
      ...i,
      node: {
        name: `ip-10-0-${Math.floor(n / 250) % 250}-${n % 250 + 1}.${this.region()}.compute.internal`,
        uid: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
        providerID: `aws:///${i.zone}/${i.id}`,
        kubeletVersion: this.kubelet(i.minor),
        ready: true,
      },
    };
  }

  private setNodegroup(name: string, ng: EksNodegroup & { instanceList: Instance[] }): void {
    this.nodegroups.set(name, { ...ng, instances: ng.instanceList.map(({ id, zone }) => ({ id, zone })), hasAutoScalingGroup: ng.status !== 'CREATING' });
  }

  private publicNodegroup(ng: EksNodegroup & { instanceList?: Instance[] }): EksNodegroup {
    const { instanceList: _, ...rest } = ng;
    return clone(rest);
  }

  private connected = () => getPath(this.find('AWSManagedControlPlane'), 'status', 'initialized') === true;

  /** Every controller, in a fixed order, until a round changes nothing (a blocked reconcile changes nothing either). */
  private settle(step: LifecycleStep, now: string): void {
    for (let round = 0; round < 12; round++) {
      this.errors = [];
      const before = stable([this.live, this.eks, [...this.nodegroups]]);
      this.round(step, now);
      if (stable([this.live, this.eks, [...this.nodegroups]]) === before) {
        return;
      }
    }
    throw new Error(`the controllers did not settle in phase ${step.phase}`);
  }

  private round(step: LifecycleStep, now: string): void {
    const cluster = this.find('Cluster')!;
    const paused = getPath(cluster, 'spec', 'paused') === true;
    const record = (o: KubeObject, e: string | undefined) => {
      if (e !== undefined && !this.errors.includes(`${o.kind}/${o.metadata.name}: ${e}`)) {
        this.errors.push(`${o.kind}/${o.metadata.name}: ${e}`);
      }
    };
    this.replace(reconcileManagedCluster(this.find('AWSManagedCluster')!, this.find('AWSManagedControlPlane')!, paused, now));
    const nodes = this.connected()
      ? [...this.nodegroups.values()].flatMap((g) => g.instanceList.flatMap((i) => (i.node ? [i.node] : []))) : undefined;
    const clusterResult = reconcileCluster({
      cluster,
      infraCluster: this.find('AWSManagedCluster'),
      controlPlane: this.find('AWSManagedControlPlane'),
      machinePools: this.live.filter((o) => o.kind === 'MachinePool'),
      now,
      healthCheckingState: this.connected() ? { lastProbeSuccessTime: now, consecutiveFailures: 0 } : { consecutiveFailures: 0 },
    });
    this.replace(clusterResult.cluster);
    clusterResult.errors.forEach((e) => record(cluster, e));
    const cp = reconcileControlPlanePass({
      controlPlane: this.find('AWSManagedControlPlane')!,
      eks: this.eks,
      gates: this.gates,
      now,
      zones: this.zones(),
      waitTimedOut: step.waitTimedOut,
      cluster: {
        paused,
        infrastructureKind: String(getPath(cluster, 'spec', 'infrastructureRef', 'kind')),
        infrastructureProvisioned: getPath(this.find('Cluster'), 'status', 'initialization', 'infrastructureProvisioned') === true,
      },
    });
    this.replace(cp.controlPlane);
    record(cp.controlPlane, cp.error);
    for (const call of cp.eksCalls) {
      this.calls.push(call);
      this.eks = call.op === 'CreateCluster' ? { status: 'CREATING', version: call.version } : { ...this.eks!, status: 'UPDATING' };
    }
    for (const mp of this.live.filter((o) => o.kind === 'MachinePool')) {
      const ref = String(getPath(mp, 'spec', 'template', 'spec', 'infrastructureRef', 'name'));
      if (this.gates.MachinePool && this.find('AWSManagedMachinePool', ref) !== undefined) {
        this.reconcileNodegroup(mp, ref, paused, step, now, record);
      }
      const fresh = this.find('MachinePool', mp.metadata.name)!;
      const result = reconcileMachinePool({ machinePool: fresh, cluster: this.find('Cluster')!, infraMachinePool: this.find('AWSManagedMachinePool', ref), nodes, now });
      this.replace(result.machinePool);
      [...result.errors, ...(result.panic ? [`panic: ${result.panic}`] : [])].forEach((e) => record(fresh, e));
    }
  }

  private reconcileNodegroup(mp: KubeObject, ref: string, paused: boolean, step: LifecycleStep, now: string,
    record: (o: KubeObject, e: string | undefined) => void): void {
    const ng = this.nodegroups.get(mp.metadata.name);
    const result = reconcileNodegroupPass({
      managedMachinePool: this.find('AWSManagedMachinePool', ref)!,
      machinePool: mp,
      controlPlane: this.find('AWSManagedControlPlane')!,
      clusterPaused: paused,
      nodegroup: ng === undefined ? undefined : this.publicNodegroup(ng),
      waitTimedOut: step.waitTimedOut,
      versionUpdateRefusal: ng === undefined ? undefined : this.versionUpdateRefusal(ng.version),
      now,
    });
    this.replace(result.managedMachinePool);
    this.replace(result.machinePool);
    record(result.managedMachinePool, result.error ?? (result.panic ? `panic: ${result.panic}` : undefined));
    for (const call of result.calls) {
      this.calls.push(call);
      const current = this.nodegroups.get(mp.metadata.name);
      if (call.op === 'CreateNodegroup') {
        this.setNodegroup(mp.metadata.name, {
          status: 'CREATING',
          version: call.version ?? this.eks?.version ?? '',
          desiredSize: call.desiredSize,
          minSize: call.minSize ?? 0,
          maxSize: call.maxSize ?? call.desiredSize,
          instances: [],
          hasAutoScalingGroup: false,
          instanceList: [],
        });
      } else if (call.op === 'UpdateNodegroupVersion') {
        this.setNodegroup(mp.metadata.name, { ...current!, status: 'UPDATING' });
      } else {
        this.setNodegroup(mp.metadata.name, {
          ...current!,
          desiredSize: call.desiredSize,
          minSize: call.minSize ?? current!.minSize,
          maxSize: call.maxSize ?? current!.maxSize,
        });
      }
    }
  }

  /** What EKS answers UpdateNodegroupVersion with for a node group at `version` (its next minor), if it refuses. */
  private versionUpdateRefusal(version: string): string | undefined {
    const name = String(getPath(this.find('AWSManagedControlPlane'), 'spec', 'eksClusterName'));
    if (this.eks?.status !== 'ACTIVE') {
      return `api error ResourceInUseException: cluster ${name} has an update in progress`;
    }
    const [next, cluster] = [this.nextMinor(version), this.eks.version ?? ''].map((v) => v.split('.').map(Number));
    return next[0] > cluster[0] || (next[0] === cluster[0] && next[1] > cluster[1])
      ? `api error InvalidParameterException: a node group cannot run a later Kubernetes version than its cluster (${this.eks.version})` : undefined;
  }

  /** What each source resolves to: a chart to its version, a git source to the step's commit. */
  private resolved(app: KubeObject): string | string[] {
    const resolve = (source: Json) => (source.chart !== undefined ? String(source.targetRevision) : this.revision);
    const sources = getPath(app, 'spec', 'sources') as Json[] | undefined;
    return sources === undefined ? resolve(getPath(app, 'spec', 'source') as Json) : sources.map(resolve);
  }

  private refreshApplications(step: LifecycleStep, now: string): KubeObject[] {
    const registered = step.bundlesRegistered ?? this.connected();
    const respecified = new Set<string>();
    if (step.applications !== undefined) {
      const previous = new Map(this.apps.map((a) => [a.metadata.name, a]));
      this.apps.splice(0, this.apps.length, ...step.applications.map((rendered) => {
        const before = previous.get(rendered.metadata.name);
        if (before !== undefined && stable(before.spec) !== stable(rendered.spec)) {
          respecified.add(rendered.metadata.name);
        }
        return { ...clone(rendered), ...(before?.status === undefined ? {} : { status: before.status }) };
      }));
    }
    const out: KubeObject[] = [];
    for (const app of this.apps) {
      const name = app.metadata.name;
      const isCluster = getPath(app, 'spec', 'destination', 'name') === 'in-cluster';
      if (!isCluster && !registered) {
        continue;
      }
      const resources: ManagedResource[] = isCluster
        ? this.options.objects.map((target) => ({ target, live: this.find(target.kind, target.metadata.name) }))
        : [...(this.options.bundleResources?.(app, step.phase) ?? [])];
      const revision = this.resolved(app);
      if (!isCluster && (app.status === undefined || respecified.has(name) || (step.changedApplications ?? []).includes(name))) {
        this.bundleSyncs.set(name, { revision, startedAt: now, finishedAt: now, phase: 'Succeeded' });
      }
      const sync = isCluster ? this.lastSync : this.bundleSyncs.get(name);
      app.status = applicationStatus({ application: app, revision, resources, sync, now });
      out.push(clone(app));
    }
    return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  }
}

/** Runs `steps` over `options` (see `EksClusterLifecycle`). */
export function simulateLifecycle(options: LifecycleOptions, steps: readonly LifecycleStep[]): LifecycleSnapshot[] {
  return new EksClusterLifecycle(options).run(steps);
}
