import { CAPA_CREDENTIALS_VARIABLE } from './capa-credentials';
import {
  applicationReadiness, crdReadiness, deploymentReadiness, providerReadiness, statefulSetReadiness, type Readiness,
} from './component-readiness';
import { applyOne, deploy, repositorySecret, type DeployResult, type RepositoryCredentials } from './deploy';
import type { DistFleet } from './dist-fleet';
import type { DistManagementPlane } from './dist-management';
import { KubeApiError, describeObject, type KubeClient, type KubeObject } from '../kube/types';
import { DistLayout } from '../output/layout';

/**
 * The oldest Kubernetes the management plane runs on: Cluster API v1.14 supports management clusters from v1.33
 * (`docs/book/src/reference/versions.md`, "Kubernetes versions", at v1.14.0).
 */
export const MINIMUM_KUBERNETES = { major: 1, minor: 33 } as const;

export { CAPA_CREDENTIALS_VARIABLE } from './capa-credentials';

/**
 * The kinds whose own readiness explains an Application that is not ready yet: Argo CD 3 keeps resource health out of
 * the Application's status, so bootstrap reads the workloads and providers themselves.
 */
const COMPONENT_READINESS: Readonly<Record<string, (obj: KubeObject) => Readiness>> = {
  'apps/Deployment': deploymentReadiness,
  'apps/StatefulSet': statefulSetReadiness,
  'operator.cluster.x-k8s.io/CoreProvider': providerReadiness,
  'operator.cluster.x-k8s.io/InfrastructureProvider': providerReadiness,
};

/** Options of `bootstrap`. */
export interface BootstrapOptions {
  /** Server-side dry run of every apply; nothing waits, nothing is stored. */
  readonly dryRun?: boolean;
  /** Take over fields other field managers own instead of stopping at the conflict. */
  readonly forceConflicts?: boolean;
  /** How long all waits together may take. */
  readonly timeoutMs: number;
  /** Time between two looks at a component that is not ready. */
  readonly pollMs: number;
  /** `AWS_B64ENCODED_CREDENTIALS`, written into CAPA's variables Secret; may be left out when the Secret exists. */
  readonly capaCredentials?: string;
  /** Repository credentials for the fleet repository, registered with the fleet. */
  readonly repositoryCredentials?: RepositoryCredentials;
  /** Progress, one line at a time. */
  readonly onProgress?: (line: string) => void;
  /** The clock (tests give their own). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One step of the bootstrap: what it applied, and whether it was ready before anything was applied (a resumed run). */
export interface BootstrapStep {
  readonly step: string;
  readonly results: readonly DeployResult[];
}

/** Bootstrap cannot go on: the cluster, the permissions, or a component that does not become ready. */
export class BootstrapError extends Error {
  constructor(message: string, public readonly step: string) {
    super(message);
    this.name = 'BootstrapError';
  }
}

/**
 * Brings a bare cluster up to the fleet's management plane, in dependency order, and registers the fleet: Argo CD
 * from `dist/management/argo-cd/` (its CRDs first, each established before anything uses it, then its workloads,
 * waited on until available as Argo CD itself judges them); then each Application of `dist/management/applications/`
 * in its sync wave (cert-manager, cluster-api-operator, the providers, Argo CD managing itself), waited on until Argo
 * CD reports it Synced and Healthy and, for the providers, until cluster-api-operator reports each installed and
 * Ready; then the fleet's bootstrap objects (`deploy`). Everything is server-side applied with one field manager, so a
 * second run writes nothing and an interrupted run picks up where it stopped. Never deletes anything.
 */
export async function bootstrap(client: KubeClient, plane: DistManagementPlane, fleet: DistFleet, options: BootstrapOptions):
Promise<BootstrapStep[]> {
  const run = new Run(client, options);
  const steps: BootstrapStep[] = [];
  await run.preflight(plane);

  const namespaces = plane.argoCd.filter((o) => o.kind === 'Namespace');
  const crds = plane.argoCd.filter((o) => o.kind === 'CustomResourceDefinition');
  const rest = plane.argoCd.filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition');
  steps.push(await run.step('argo-cd', async (results) => {
    await run.applyAll([...namespaces, ...crds], results);
    await run.waitAll(crds, crdReadiness);
    await run.applyAll(rest, results);
    await run.waitAll(rest.filter((o) => o.kind === 'Deployment'), deploymentReadiness);
    await run.waitAll(rest.filter((o) => o.kind === 'StatefulSet'), statefulSetReadiness);
  }));

  for (const [index, application] of plane.applications.entries()) {
    const component = application.metadata.name;
    steps.push(await run.step(component, async (results) => {
      if (index === 0) {
        results.push(await run.apply(plane.project));
      }
      const providers = plane.providers.filter((o) => o.kind.endsWith('Provider'));
      if (isProvidersApplication(application, plane)) {
        await run.applyAll(plane.providers.filter((o) => o.kind === 'Namespace'), results);
        const secret = await run.capaVariablesSecret(plane);
        if (secret !== undefined) {
          results.push(secret);
        }
      }
      results.push(await run.apply(application));
      await run.waitForApplication(application);
      if (isProvidersApplication(application, plane)) {
        await run.waitAll(providers, providerReadiness);
      }
    }));
  }

  steps.push(await run.step('fleet', async (results) => {
    const { dryRun, forceConflicts, repositoryCredentials: credentials } = options;
    if (dryRun) {
      // Argo CD's CRDs are not installed on a dry run's bare cluster: the server cannot try the fleet's objects yet.
      await run.applyAll([...(credentials === undefined ? [] : [repositorySecret(fleet, credentials)]), ...fleet.bootstrap], results);
    } else {
      results.push(...await deploy(client, fleet, { forceConflicts, credentials }));
    }
  }));
  return steps;
}

function isProvidersApplication(application: KubeObject, plane: DistManagementPlane): boolean {
  const path = (application.spec as { source?: { path?: string } } | undefined)?.source?.path ?? '';
  return plane.providers.length > 0 && (path === DistLayout.managementProvidersDir || path.endsWith(`/${DistLayout.managementProvidersDir}`));
}

/** One run of `bootstrap`: its deadline, its dry-run mode and its progress lines. */
class Run {
  private readonly deadline: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly progress: (line: string) => void;

  constructor(private readonly client: KubeClient, private readonly options: BootstrapOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.deadline = this.now() + options.timeoutMs;
    this.progress = options.onProgress ?? (() => undefined);
  }

  /** The cluster is recent enough, and the credentials may create what bootstrap creates (a server-side dry run). */
  public async preflight(plane: DistManagementPlane): Promise<void> {
    const version = await this.client.serverVersion();
    const minor = Number.parseInt(version.minor, 10);
    const major = Number(version.major);
    if (major < MINIMUM_KUBERNETES.major || (major === MINIMUM_KUBERNETES.major && minor < MINIMUM_KUBERNETES.minor)) {
      throw new BootstrapError(`the cluster at ${this.client.server} runs Kubernetes ${version.gitVersion}; the management plane needs `
        + `v${MINIMUM_KUBERNETES.major}.${MINIMUM_KUBERNETES.minor} or later (Cluster API v1.14's oldest supported management cluster); `
        + 'upgrade the cluster, or bootstrap another one', 'preflight');
    }
    for (const probe of plane.argoCd.filter((o) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition').slice(0, 2)) {
      try {
        await this.client.apply(probe, { dryRun: true, force: this.options.forceConflicts });
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 403) {
          throw new BootstrapError(`the credentials of context ${this.client.context} may not create ${describeObject(probe)}: ${error.message}; `
            + 'bootstrap installs CRDs, cluster roles and namespaces, so it needs cluster-admin (or an equivalent role) on the cluster', 'preflight');
        }
        if (!(error instanceof KubeApiError && error.status === 409)) {
          throw error;
        }
      }
    }
  }

  /** Runs one step, naming it in progress lines and in the error that stops it. */
  public async step(name: string, work: (results: DeployResult[]) => Promise<void>): Promise<BootstrapStep> {
    const results: DeployResult[] = [];
    this.progress(`${name}: applying${this.options.dryRun ? ' (server dry run)' : ''}`);
    try {
      await work(results);
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 403) {
        throw new BootstrapError(`${name}: ${error.message}; bootstrap needs cluster-admin (or an equivalent role) on the cluster`, name);
      }
      throw error instanceof BootstrapError ? new BootstrapError(`${name}: ${error.message}`, name) : error;
    }
    const changed = results.filter((r) => r.action !== 'unchanged').length;
    this.progress(`${name}: ${this.options.dryRun ? 'would change' : 'ready;'} ${changed} of ${results.length} objects${this.options.dryRun ? '' : ' changed'}`);
    return { step: name, results };
  }

  public async applyAll(objects: readonly KubeObject[], results: DeployResult[]): Promise<void> {
    for (const obj of objects) {
      results.push(await this.apply(obj));
    }
  }

  /**
   * Applies one object. On a dry run, an object whose kind is not served yet (its CRD is applied earlier in the same
   * run) cannot be tried by the server: it is reported as one that would be created.
   */
  public async apply(obj: KubeObject): Promise<DeployResult> {
    if (this.options.dryRun && (!await this.client.servesGroupVersion(obj.apiVersion) || !await this.namespaceExists(obj.metadata.namespace))) {
      return { object: describeObject(obj), namespace: obj.metadata.namespace, action: 'created', changes: [] };
    }
    return applyOne(this.client, obj, { dryRun: this.options.dryRun, forceConflicts: this.options.forceConflicts });
  }

  /** Whether a namespace exists (on a dry run, one created earlier in the run does not, so its objects cannot be tried). */
  private async namespaceExists(namespace: string | undefined): Promise<boolean> {
    return namespace === undefined || await this.client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }) !== undefined;
  }

  /** Waits until every object is ready (never on a dry run), or fails at the deadline with what the last one said. */
  public async waitAll(objects: readonly KubeObject[], readiness: (live: KubeObject) => Readiness): Promise<void> {
    if (this.options.dryRun) {
      return;
    }
    for (const obj of objects) {
      await this.waitFor(obj, readiness);
    }
  }

  /**
   * Waits until Argo CD reports an Application Synced and Healthy. While it is not, the message names the first
   * workload it manages that is not ready, with the workload's own message: Argo CD 3 keeps resource health out of
   * the Application's status, and "Progressing" alone says nothing.
   */
  public async waitForApplication(application: KubeObject): Promise<void> {
    if (this.options.dryRun) {
      return;
    }
    await this.waitFor(application, applicationReadiness, async (live) => {
      type Resource = { group?: string; version: string; kind: string; namespace?: string; name: string };
      for (const r of (live.status as { resources?: Resource[] } | undefined)?.resources ?? []) {
        const readiness = COMPONENT_READINESS[`${r.group ?? ''}/${r.kind}`];
        if (readiness === undefined) {
          continue;
        }
        const component = await this.client.get({ apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, name: r.name, namespace: r.namespace });
        const state = component === undefined ? { ready: false, message: 'not found' } : readiness(component);
        if (!state.ready) {
          return `${r.kind} ${r.namespace === undefined ? '' : `${r.namespace}/`}${r.name}: ${state.message}`;
        }
      }
      return undefined;
    });
  }

  private async waitFor(obj: KubeObject, readiness: (live: KubeObject) => Readiness,
    explain?: (live: KubeObject) => Promise<string | undefined>): Promise<void> {
    const name = describeObject(obj);
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
    let last = 'not found';
    for (;;) {
      const live = await this.client.get(ref);
      let state = live === undefined ? { ready: false, message: 'not found' } : readiness(live);
      const why = state.ready || live === undefined || explain === undefined ? undefined : await explain(live);
      state = why === undefined ? state : { ...state, message: `${state.message}; ${why}` };
      if (state.ready) {
        return;
      }
      if (state.failed === true) {
        throw new BootstrapError(`${name} failed: ${state.message}`, '');
      }
      if (state.message !== last) {
        this.progress(`  waiting for ${name}: ${state.message}`);
        last = state.message;
      }
      if (this.now() + this.options.pollMs > this.deadline) {
        throw new BootstrapError(`${name} did not become ready before the timeout: ${state.message}; see why on the cluster, `
          + 'fix it, and run bootstrap again (it resumes where it stopped)', '');
      }
      await this.sleep(this.options.pollMs);
    }
  }

  /**
   * CAPA's variables Secret, from `AWS_B64ENCODED_CREDENTIALS`: cluster-api-operator substitutes them into CAPA's
   * components (its `configSecret`). Without the variable, an existing Secret is kept as it is.
   */
  public async capaVariablesSecret(plane: DistManagementPlane): Promise<DeployResult | undefined> {
    const where = plane.capaVariablesSecret;
    if (where === undefined) {
      return undefined;
    }
    if (this.options.capaCredentials === undefined || this.options.capaCredentials === '') {
      const existing = await this.client.get({ apiVersion: 'v1', kind: 'Secret', name: where.name, namespace: where.namespace });
      if (existing !== undefined) {
        return undefined;
      }
      throw new BootstrapError(`CAPA needs AWS credentials and Secret ${where.namespace}/${where.name} does not exist: set ${CAPA_CREDENTIALS_VARIABLE} `
        + '(`clusterawsadm bootstrap credentials encode-as-profile` prints it, with the credentials of the IAM user the CloudFormation stack '
        + 'created) and run bootstrap again', 'providers');
    }
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: where.name, namespace: where.namespace },
      type: 'Opaque',
      data: { [CAPA_CREDENTIALS_VARIABLE]: Buffer.from(this.options.capaCredentials, 'utf8').toString('base64') },
    };
    return this.apply(secret);
  }
}
