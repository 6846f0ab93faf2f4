/**
 * A management cluster coming up, modelled on the in-process API server: every `step()` is one pass of the
 * controllers that act on what `arlonctl bootstrap` applies, each writing status as its upstream writes it:
 *
 * - kube-apiserver's CRD establishing and kube-controller-manager's Deployment and StatefulSet controllers
 *   (./kube-controllers.ts);
 * - Argo CD v3.5.1's application controller, once its own StatefulSet and repo-server are ready: it syncs every
 *   Application (directory sources from the fleet's `dist/`, the two Helm charts as the objects they install, see
 *   `CHARTS`), within what its AppProject permits (src/operations/transitions/argocd-project.ts, the port of
 *   `IsSourcePermitted`, `IsDestinationPermitted`, `IsGroupKindPermitted`), and writes the Application's status with
 *   ../upstream/status/argocd-application-status.ts; resource health is gitops-engine's for Deployments and
 *   StatefulSets and, for other kinds, the Lua check in the live `argocd-cm` run as Argo CD runs it (./argocd-lua.ts);
 * - cluster-api-operator v0.28.0, once its Deployment is available: ../upstream/capi-operator.ts reconciles each
 *   provider, and installs its manager Deployment with the arguments it computes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { executeHealthLua } from './argocd-lua';
import { CRD_ROOT, type KubeObject } from './crd-schemas';
import type { FakeApiServer } from './fake-api-server';
import { KubeControllers } from './kube-controllers';
import { deploymentReadiness, statefulSetReadiness, type Readiness } from '../../src/operations/component-readiness';
import { isGroupKindPermitted, isSourcePermitted, normalizeGitUrl, type AppProjectSpec } from '../../src/operations/transitions/argocd-project';
import {
  CAPA_V2_11_1_RELEASE, CAPI_V1_14_0_RELEASE, effectiveManagerArgs, providerDeployment, reconcileProvider, releaseKey, type ProviderRelease,
} from '../upstream/capi-operator';
import { applicationStatus, type HealthStatus, type ManagedResource, type SyncProgress } from '../upstream/status/argocd-application-status';

/** The commit every directory source resolves to. */
export const COMMIT = '4f1c2a9d0e7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a';

const minimalCrd = (group: string, kind: string, plural: string): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: name }] } },
  },
});

let operatorCrdsRead: KubeObject[] | undefined;

/**
 * The object of each `dist/` file by its text, for every simulation of the process: each test's simulation reads the
 * same files, and parsing their YAML (CRDs of megabytes) cost more than the controllers' passes. Only read.
 */
const parsedTexts = new Map<string, KubeObject>();
const parseText = (text: string): KubeObject => {
  let obj = parsedTexts.get(text);
  if (obj === undefined) {
    obj = YAML.parse(text) as KubeObject;
    parsedTexts.set(text, obj);
  }
  return obj;
};

/** The operator chart's CRDs: the real ones of cluster-api-operator v0.28.0 (../shared/crds/cluster-api-operator), read once. */
function operatorCrds(): KubeObject[] {
  const dir = path.join(CRD_ROOT, 'cluster-api-operator');
  operatorCrdsRead ??= fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as KubeObject);
  return operatorCrdsRead;
}

/**
 * What each Helm chart of the management plane installs that bootstrap waits on, by `<repo> <chart>@<version>`: the
 * workloads (named as the chart names them with the release names the Applications give) and the CRDs other steps
 * need. cert-manager v1.21.1 with `crds.enabled` installs its CRDs and the `cert-manager`, `cert-manager-cainjector`
 * and `cert-manager-webhook` Deployments; cluster-api-operator 0.28.0 (release `capi-operator`) installs the provider
 * CRDs, the Deployment `capi-operator-cluster-api-operator` and a cert-manager Certificate for its webhook, so it
 * cannot sync before cert-manager's CRDs are established.
 */
export const CHARTS: Readonly<Record<string, () => KubeObject[]>> = {
  'https://charts.jetstack.io cert-manager@v1.21.1': () => [
    minimalCrd('cert-manager.io', 'Certificate', 'certificates'),
    minimalCrd('cert-manager.io', 'Issuer', 'issuers'),
    deployment('cert-manager'), deployment('cert-manager-cainjector'), deployment('cert-manager-webhook'),
  ],
  'https://kubernetes-sigs.github.io/cluster-api-operator cluster-api-operator@0.28.0': () => [
    ...operatorCrds(),
    deployment('capi-operator-cluster-api-operator'),
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'capi-operator-selfsigned-issuer' }, spec: { selfSigned: {} } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'capi-operator-serving-cert' },
      spec: { secretName: 'capi-operator-webhook-service-cert', issuerRef: { kind: 'Issuer', name: 'capi-operator-selfsigned-issuer' } },
    },
  ],
};

const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);
const OPERATOR = { namespace: 'capi-operator-system', name: 'capi-operator-cluster-api-operator' };
const RELEASES: Readonly<Record<string, ProviderRelease>> = {
  [releaseKey('CoreProvider', 'cluster-api', 'v1.14.0')]: CAPI_V1_14_0_RELEASE,
  [releaseKey('InfrastructureProvider', 'aws', 'v2.11.1')]: CAPA_V2_11_1_RELEASE,
};

/** Options of the simulation. */
export interface ManagementSimulatorOptions {
  /** The fleet's `dist/` folder, which directory sources of the fleet repository read. */
  readonly dist: string;
  readonly repoUrl: string;
  /** Where `dist/` sits in the repository. */
  readonly distPath?: string;
  readonly start?: string;
  /** Seconds per step. */
  readonly tick?: number;
  /** Whether a workload's pods are ready; default: all. */
  readonly podsReady?: (namespace: string, name: string, kind: 'Deployment' | 'StatefulSet') => boolean;
  /** The error cluster-api-operator gets fetching a provider's components (e.g. GitHub's rate limit). */
  readonly fetchError?: string;
}

interface SyncState {
  attempts: number;
  startedAt: string;
  lastError?: string;
}

/** See the file's comment. */
export class ManagementSimulator {
  public now: Date;
  public readonly controllers: KubeControllers;
  private readonly syncs = new Map<string, SyncState>();
  private readonly distFiles = new Map<string, KubeObject[]>();

  constructor(private readonly server: FakeApiServer, private readonly options: ManagementSimulatorOptions) {
    this.now = new Date(options.start ?? '2026-12-01T09:00:00Z');
    this.controllers = new KubeControllers(server);
  }

  private get at(): string {
    return this.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** One pass of every controller. */
  public step(): void {
    this.now = new Date(this.now.getTime() + (this.options.tick ?? 10) * 1000);
    this.controllers.step(this.at, { podsReady: this.options.podsReady });
    if (this.ready('apps/v1', 'StatefulSet', 'argocd-application-controller', 'argocd', statefulSetReadiness)
      && this.ready('apps/v1', 'Deployment', 'argocd-repo-server', 'argocd', deploymentReadiness)) {
      for (const app of this.server.objects({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' })) {
        this.reconcileApplication(app);
      }
    }
    if (this.ready('apps/v1', 'Deployment', OPERATOR.name, OPERATOR.namespace, deploymentReadiness)) {
      for (const kind of ['CoreProvider', 'InfrastructureProvider']) {
        for (const provider of this.served('operator.cluster.x-k8s.io/v1alpha2', kind) ? this.server.objects({ apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind }) : []) {
          this.reconcileProvider(provider);
        }
      }
    }
  }

  /** Runs `step` `count` times. */
  public steps(count: number): void {
    for (let i = 0; i < count; i++) {
      this.step();
    }
  }

  private ready(apiVersion: string, kind: string, name: string, namespace: string, readiness: (o: KubeObject) => Readiness): boolean {
    const live = this.server.get(apiVersion, kind, name, namespace);
    return live !== undefined && readiness(live).ready;
  }

  private served(apiVersion: string, kind: string): boolean {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.server.servedResources().some((r) => r.group === group && r.version === version && r.kind === kind);
  }

  // --- Argo CD ---------------------------------------------------------------------------------------------------

  private reconcileApplication(app: KubeObject): void {
    const spec = app.spec as {
      project: string;
      destination: { name?: string; namespace?: string };
      source: { repoURL: string; path?: string; chart?: string; targetRevision?: string; directory?: { recurse?: boolean } };
      syncPolicy?: { syncOptions?: string[] };
    };
    const project = this.server.get('argoproj.io/v1alpha1', 'AppProject', spec.project, app.metadata.namespace)?.spec as AppProjectSpec | undefined;
    const key = `${app.metadata.namespace}/${app.metadata.name}`;
    const revision = spec.source.chart === undefined ? COMMIT : String(spec.source.targetRevision);
    let targets: KubeObject[];
    let refusal: string | undefined;
    if (project === undefined) {
      refusal = `Application referencing project ${spec.project} which does not exist`;
      targets = [];
    } else if (!isSourcePermitted(project, spec.source.repoURL)) {
      refusal = `application repo ${spec.source.repoURL} is not permitted in project '${spec.project}'`;
      targets = [];
    } else {
      targets = this.targets(spec.source).map((t) => withNamespace(t, spec.destination.namespace));
      const denied = targets.find((t) => !isGroupKindPermitted(project, groupOf(t.apiVersion), t.kind, !CLUSTER_SCOPED.has(t.kind)));
      refusal = denied === undefined ? undefined : `resource ${groupOf(denied.apiVersion)}:${denied.kind} is not permitted in project ${spec.project}`;
    }
    const state = this.syncs.get(key) ?? { attempts: 0, startedAt: this.at };
    let sync: SyncProgress | undefined;
    if (refusal === undefined && this.outOfSync(targets)) {
      state.attempts++;
      const error = this.apply(targets, spec.syncPolicy?.syncOptions ?? [], spec.destination.namespace);
      sync = error === undefined
        ? { revision, startedAt: state.startedAt, phase: 'Succeeded', finishedAt: this.at, retryCount: state.attempts - 1 }
        : { revision, startedAt: state.startedAt, phase: 'Failed', finishedAt: this.at, message: error, retryCount: state.attempts - 1 };
      this.syncs.set(key, error === undefined ? { attempts: 0, startedAt: this.at } : state);
    }
    const resources: ManagedResource[] = targets.map((target) => {
      const { apiVersion, kind, metadata: { name, namespace } } = target;
      if (!this.server.has(apiVersion, kind, name, namespace)) {
        return { target };
      }
      // Only kinds with a health check need the live object (a CRD runs to megabytes); the rest are Healthy.
      const live = this.hasHealth(target) ? this.server.get(apiVersion, kind, name, namespace)! : target;
      return { target, live, health: this.health(live) };
    });
    const status = applicationStatus({ application: app, revision, resources, sync, now: this.at });
    const withRefusal = refusal === undefined ? status
      : { ...status, conditions: [{ type: 'InvalidSpecError', message: refusal, lastTransitionTime: this.at }] };
    this.server.setStatus('argoproj.io/v1alpha1', 'Application', app.metadata.name, app.metadata.namespace, withRefusal);
  }

  private targets(source: { repoURL: string; path?: string; chart?: string; targetRevision?: string }): KubeObject[] {
    if (source.chart !== undefined) {
      const chart = CHARTS[`${source.repoURL} ${source.chart}@${source.targetRevision}`];
      return chart === undefined ? [] : chart();
    }
    if (normalizeGitUrl(source.repoURL) !== normalizeGitUrl(this.options.repoUrl)) {
      return [];
    }
    const prefix = this.options.distPath ?? 'dist';
    const folder = (source.path ?? '').replace(new RegExp(`^${prefix}/?`), '');
    let objects = this.distFiles.get(folder);
    if (objects === undefined) {
      const dir = path.join(this.options.dist, folder);
      objects = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
        .map((f) => parseText(fs.readFileSync(path.join(dir, f), 'utf8'))) : [];
      this.distFiles.set(folder, objects);
    }
    return objects;
  }

  private outOfSync(targets: readonly KubeObject[]): boolean {
    return targets.some((t) => !this.server.has(t.apiVersion, t.kind, t.metadata.name, t.metadata.namespace));
  }

  /**
   * One sync: the destination namespace (CreateNamespace=true), then Namespaces and CRDs, then the rest (Argo CD's
   * kind order, `gitops-engine/pkg/sync/sync_tasks.go`); a kind the API server does not serve yet fails the sync, as
   * it fails Argo CD's (retried with the Application's backoff).
   */
  private apply(targets: readonly KubeObject[], options: readonly string[], namespace: string | undefined): string | undefined {
    if (options.includes('CreateNamespace=true') && namespace !== undefined && this.server.get('v1', 'Namespace', namespace) === undefined) {
      this.server.applyAs('argocd-controller', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    }
    const rank = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2);
    for (const target of [...targets].sort((a, b) => rank(a) - rank(b))) {
      if (!this.served(target.apiVersion, target.kind)) {
        return `The Kubernetes API could not find ${groupOf(target.apiVersion)}/${target.kind} for requested resource ${target.metadata.namespace ?? ''}/${target.metadata.name}. `
          + 'Make sure the "' + target.kind + '" CRD is installed on the destination cluster.';
      }
      try {
        this.server.applyAs('argocd-controller', target);
      } catch (error) {
        return (error as Error).message;
      }
    }
    return undefined;
  }

  private hasHealth(obj: KubeObject): boolean {
    return obj.kind === 'Deployment' || obj.kind === 'StatefulSet' || obj.apiVersion.startsWith('operator.cluster.x-k8s.io/');
  }

  private health(live: KubeObject): HealthStatus | undefined {
    if (!this.hasHealth(live)) {
      return undefined;
    }
    const fromReadiness = (r: Readiness): HealthStatus => ({ status: r.ready ? 'Healthy' : r.failed ? 'Degraded' : 'Progressing', message: r.message });
    if (live.kind === 'Deployment') {
      return fromReadiness(deploymentReadiness(live));
    }
    if (live.kind === 'StatefulSet') {
      return fromReadiness(statefulSetReadiness(live));
    }
    const cm = this.server.get('v1', 'ConfigMap', 'argocd-cm', 'argocd');
    const script = (cm?.data as Record<string, string> | undefined)?.[`resource.customizations.health.${groupOf(live.apiVersion)}_${live.kind}`];
    if (script === undefined) {
      return undefined;
    }
    const result = executeHealthLua(live, script);
    return result.status === undefined ? undefined : { status: result.status as HealthStatus['status'], message: result.message };
  }

  // --- cluster-api-operator --------------------------------------------------------------------------------------

  private reconcileProvider(provider: KubeObject): void {
    const providers = [...this.server.objects({ apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: 'CoreProvider' }),
      ...this.server.objects({ apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind: 'InfrastructureProvider' })];
    const secrets = Object.fromEntries(this.server.objects({ apiVersion: 'v1', kind: 'Secret' }).map((s) => [
      `${s.metadata.namespace}/${s.metadata.name}`,
      Object.fromEntries(Object.entries((s.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])),
    ]));
    const where = providerDeployment(provider);
    const manager = this.server.get('apps/v1', 'Deployment', where.name, where.namespace);
    const available = ((manager?.status as { conditions?: Array<{ type: string; status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string }> })
      ?.conditions ?? []).find((c) => c.type === 'Available');
    const next = reconcileProvider(provider, {
      providers,
      secrets,
      releases: RELEASES,
      fetchError: this.options.fetchError,
      deployment: manager === undefined ? undefined : { available },
    }, this.at);
    this.server.setStatus(provider.apiVersion, provider.kind, provider.metadata.name, provider.metadata.namespace, next.status);
    const installed = ((next.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [])
      .some((c) => c.type === 'ProviderInstalled' && c.status === 'True');
    if (installed && manager === undefined) {
      const spec = provider.spec as { version: string; configSecret?: { name: string; namespace?: string }; manager?: Record<string, unknown> };
      const release = RELEASES[releaseKey(provider.kind, provider.metadata.name, spec.version)];
      const variables = spec.configSecret === undefined ? {} : secrets[`${spec.configSecret.namespace ?? provider.metadata.namespace}/${spec.configSecret.name}`] ?? {};
      const args = effectiveManagerArgs(release.managerArgs, variables, spec.manager as never);
      this.server.applyAs('capi-operator', {
        ...deployment(where.name),
        metadata: { name: where.name, namespace: where.namespace },
        spec: { ...(deployment(where.name).spec as object), template: { metadata: { labels: { app: where.name } }, spec: { containers: [{ name: 'manager', image: where.name, args }] } } },
      });
    }
  }

  /** The arguments the operator gave a provider's manager (what the controller runs with). */
  public managerArgs(namespace: string, name: string): string[] {
    const live = this.server.get('apps/v1', 'Deployment', name, namespace);
    return ((live?.spec as { template: { spec: { containers: Array<{ args?: string[] }> } } } | undefined)?.template.spec.containers[0].args) ?? [];
  }
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function withNamespace(obj: KubeObject, namespace: string | undefined): KubeObject {
  return CLUSTER_SCOPED.has(obj.kind) || obj.metadata.namespace !== undefined || namespace === undefined ? obj
    : { ...obj, metadata: { ...obj.metadata, namespace } };
}
