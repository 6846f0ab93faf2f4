import * as YAML from 'yaml';
import { CLUSTER_SECRET_TYPE, clusterSecretLabels } from './cluster-secret-labels';
import { applyOne } from './deploy';
import { CONTROL_PLANE_KIND, controlPlaneRef, type DistCluster, type DistFleet } from './dist-fleet';
import { requireApis, requireNamespace } from './preflight';
import { IN_CLUSTER_SERVER } from '../argocd/destinations';
import { ArgoNames } from '../argocd/names';
import { Labels, MANAGED_BY } from '../fleet/labels';
import { secretField } from '../kube/secret-data';
import type { KubeClient, KubeObject } from '../kube/types';

/** Options of `register`. */
export interface RegisterOptions {
  /**
   * IAM role Argo CD assumes to reach the EKS clusters (`awsAuthConfig.roleARN`). It must be the fleet's own
   * (`management.argoCdRoleArn`, which the clusters' access entries admit), so it is only a check.
   *
   * @default - the fleet's role
   */
  readonly roleArn?: string;
  /** Server-side dry run. */
  readonly dryRun?: boolean;
  /** Take over fields other field managers own. */
  readonly forceConflicts?: boolean;
}

/**
 * `registered` (Secret created or changed; for an external cluster, its Secret labelled), `unchanged` (already
 * registered as is), `pending` (not ready, or an external cluster not added to Argo CD yet), `deregistered` (a retired
 * cluster's Secret removed), `refused` (its API server is the management cluster's: see `ManagementServers`); on a dry
 * run, `would register` and `would deregister` instead.
 */
export type RegisterState = 'registered' | 'unchanged' | 'pending' | 'deregistered' | 'refused' | 'would register' | 'would deregister';

/** What happened to one cluster. */
export interface RegisterOutcome {
  readonly cluster: string;
  /** See `RegisterState`. */
  readonly state: RegisterState;
  /** Why a cluster is pending. */
  readonly reason?: string;
  /** The cluster's API server, once known. */
  readonly server?: string;
}

/** Options of `registerUntilDone`. */
export interface WatchOptions extends RegisterOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** Called after each round with a one-line summary. */
  readonly onProgress?: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/**
 * Registers the fleet's clusters with Argo CD, once:
 * - a fleet cluster whose control plane is ready: reads the Cluster API kubeconfig Secret (`<cluster>-kubeconfig`,
 *   key `value`) for the API server and its CA, and applies the Argo CD cluster Secret `<fleet>-cluster-<cluster>`,
 *   labelled with the fleet, the cluster and its profiles (the bundle ApplicationSets select clusters by these). EKS
 *   clusters authenticate with `awsAuthConfig` (the EKS cluster name and the fleet's role), never with the
 *   kubeconfig's token, which expires. Clusters not ready yet are reported as pending;
 * - an external cluster, added to Argo CD by its owners (`argocd cluster add`): labels its cluster Secret (found by
 *   the cluster name inside it) the same way, leaving the rest of it alone; pending until it exists;
 * - a retired cluster: removes its Secret once its bundle Applications are gone (pending until then), so Argo CD stops
 *   reaching for a cluster about to be deleted.
 * Secrets an older release wrote under another name (the bare cluster name) are removed once the new one exists:
 * two Secrets of one cluster name make Argo CD refuse the name.
 *
 * A round makes two LISTs (paged), the cluster Secrets and the fleet's control planes, whatever the fleet's size; a
 * cluster already registered as it should be (its endpoint, identity and labels) costs nothing more, and the others are
 * worked on at most `MAX_CONCURRENT_CLUSTERS` at a time.
 */
export async function registerOnce(client: KubeClient, fleet: DistFleet, options: RegisterOptions = {}): Promise<RegisterOutcome[]> {
  const roleArn = registrationRole(fleet, options.roleArn);
  await requireApis(client, ['argocd', 'capi', 'capa']);
  await requireNamespace(client, fleet.argocdNamespace, 'Argo CD runs there in this fleet; install Argo CD into it first');
  // Two LISTs a round, whatever the fleet's size; a cluster costs more requests only when its registration changes.
  const [secrets, controlPlanes] = await Promise.all([
    client.list('v1', 'Secret', { namespace: fleet.argocdNamespace, labelSelector: `${CLUSTER_SECRET_TYPE}=cluster` }),
    client.list(CONTROL_PLANE.apiVersion, CONTROL_PLANE.kind, { labelSelector: `${Labels.FLEET}=${fleet.name}` }),
  ]);
  const ownSecrets = new Map<string, KubeObject[]>();
  const byArgoName = new Map<string, KubeObject>();
  for (const secret of secrets) {
    const labels = secret.metadata.labels ?? {};
    if (labels[Labels.FLEET] === fleet.name && labels[Labels.MANAGED_BY] === MANAGED_BY && labels[Labels.CLUSTER] !== undefined) {
      (ownSecrets.get(labels[Labels.CLUSTER]) ?? ownSecrets.set(labels[Labels.CLUSTER], []).get(labels[Labels.CLUSTER])!).push(secret);
    }
    const name = secretField(secret, 'name');
    if (name !== undefined && !byArgoName.has(name)) {
      byArgoName.set(name, secret);
    }
  }
  const planes = new Map(controlPlanes.map((cp) => [`${cp.metadata.namespace}/${cp.metadata.name}`, cp]));
  const management = new ManagementServers(fleet, client);
  return inParallel(fleet.clusters, MAX_CONCURRENT_CLUSTERS, async (cluster) => {
    const own = ownSecrets.get(cluster.name) ?? [];
    if (cluster.external) {
      return labelExternalCluster(client, fleet, cluster, byArgoName.get(cluster.argocdName), management, options);
    }
    if (cluster.retired) {
      return deregister(client, fleet, cluster, own, options);
    }
    const secretName = ArgoNames.clusterSecret(fleet.name, cluster.name);
    const ref = controlPlaneRef(cluster);
    const controlPlane = ref === undefined ? undefined : planes.get(`${ref.namespace}/${ref.name}`);
    const current = own.find((s) => s.metadata.name === secretName);
    const outcome = await registerCluster(client, fleet, cluster, { ...options, roleArn }, controlPlane, current, management);
    if (outcome.state === 'refused') {
      // A Secret that sends this cluster's bundles to the management cluster must not stay; arlonctl wrote it.
      await removeSecrets(client, own, options);
    } else if (outcome.state !== 'pending') {
      await removeSecrets(client, own.filter((s) => s.metadata.name !== secretName), options);
    }
    return outcome;
  });
}

/** The control plane kind whose readiness and endpoint `register` reads. */
const CONTROL_PLANE = CONTROL_PLANE_KIND;

/**
 * The API servers the management cluster is known by: those the fleet records (Argo CD's in-cluster address and
 * `management.apiServerUrls`, read from the deny rules of the bundles' AppProject in dist/) and the one arlonctl itself
 * reaches it at (the kubeconfig's server), which only arlonctl knows. A workload cluster registered at one of these
 * would have its bundles installed on the management cluster.
 */
export class ManagementServers {
  private readonly known = new Map<string, string>();

  constructor(fleet: DistFleet, client: Pick<KubeClient, 'server' | 'context'>) {
    for (const server of fleet.managementAddresses.servers) {
      this.known.set(normalizeServer(server), server === IN_CLUSTER_SERVER ? 'Argo CD\'s in-cluster address' : 'in the Fleet\'s `management.apiServerUrls`');
    }
    if (!this.known.has(normalizeServer(client.server))) {
      this.known.set(normalizeServer(client.server), `the server of kubeconfig context "${client.context}", which arlonctl reaches the management cluster at`);
    }
  }

  /** Why `server` is the management cluster's (where it is known from), or undefined when it is not. */
  public match(server: string | undefined): string | undefined {
    return server === undefined ? undefined : this.known.get(normalizeServer(server));
  }
}

/**
 * A server URL as compared: host (lower case) and port (the scheme's default when absent) and path without trailing
 * `/`; the scheme is left out, since one API server answering at `http://` and `https://` on one port is still one.
 */
function normalizeServer(server: string): string {
  try {
    const url = new URL(server.trim());
    const port = url.port !== '' ? url.port : url.protocol === 'http:' ? '80' : '443';
    return `${url.hostname.toLowerCase()}:${port}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return server.trim().replace(/\/+$/, '');
  }
}

/** The outcome of a cluster whose API server is the management cluster's. */
function refused(cluster: DistCluster, server: string, where: string, fix: string): RegisterOutcome {
  return {
    cluster: cluster.name,
    state: 'refused',
    server,
    reason: `its API server ${server} is the management cluster's (${where}): Argo CD would install its bundles on the management cluster; ${fix}`,
  };
}

/** Clusters registered at once: enough to hide latency, few enough not to flood the API server. */
const MAX_CONCURRENT_CLUSTERS = 8;

/** `work` over `items`, at most `limit` at a time; the results in the order of `items`. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `registerOnce` in rounds until no cluster is pending or the timeout passes; returns the last round. */
export async function registerUntilDone(client: KubeClient, fleet: DistFleet, options: WatchOptions): Promise<RegisterOutcome[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const outcomes = await registerOnce(client, fleet, options);
    const pending = outcomes.filter((o) => o.state === 'pending');
    options.onProgress?.(`registered ${outcomes.length - pending.length}/${outcomes.length} clusters`
      + (pending.length > 0 ? `; waiting for ${pending.map((p) => `${p.cluster} (${p.reason})`).join(', ')}` : ''));
    if (pending.length === 0 || now() + options.intervalMs > deadline) {
      return outcomes;
    }
    await sleep(options.intervalMs);
  }
}

/** Thrown when the role given to `register` is not the one the fleet's clusters admit. */
export class RoleMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoleMismatchError';
  }
}

/**
 * The role Argo CD authenticates with: the fleet's, which every control plane grants through an access entry. A
 * role given on the command line must be that one: any other would register clusters Argo CD cannot reach.
 */
export function registrationRole(fleet: DistFleet, requested: string | undefined): string | undefined {
  if (requested === undefined || requested === fleet.argocdRoleArn) {
    return fleet.argocdRoleArn;
  }
  throw new RoleMismatchError(fleet.argocdRoleArn === undefined
    ? `--role-arn ${requested}: fleet "${fleet.name}" gives no IAM role access to its clusters, so Argo CD could not reach them with it; name the role on the `
      + 'Fleet (`management: { argoCdRoleArn: ... }`), synthesize and commit, then run register without --role-arn'
    : `--role-arn ${requested} is not the role fleet "${fleet.name}" gives access to its clusters (${fleet.argocdRoleArn}, the Fleet's \`management.argoCdRoleArn\`); `
      + 'drop --role-arn, or change the Fleet and synthesize');
}

async function registerCluster(
  client: KubeClient, fleet: DistFleet, cluster: DistCluster, options: RegisterOptions,
  controlPlane: KubeObject | undefined, current: KubeObject | undefined, management: ManagementServers,
): Promise<RegisterOutcome> {
  const namespace = cluster.namespace ?? cluster.name;
  const fix = (source: string) => `nothing was registered (and the cluster's Secret, if any, removed); ${source} names that server, so check that `
    + `${cluster.name}'s control plane is its own EKS cluster (\`eksClusterName\` "${cluster.eksClusterName ?? cluster.name}"), then run register again`;
  if (controlPlane === undefined) {
    return { cluster: cluster.name, state: 'pending', reason: 'control plane not created yet' };
  }
  if ((controlPlane.status as { ready?: boolean } | undefined)?.ready !== true) {
    return { cluster: cluster.name, state: 'pending', reason: 'control plane not ready' };
  }
  // Registered as it should be (same endpoint, identity and labels): nothing to read or write.
  const server = endpointServer(controlPlane);
  const cpWhere = management.match(server);
  if (server !== undefined && cpWhere !== undefined) {
    return refused(cluster, server, cpWhere, fix('the control plane\'s `spec.controlPlaneEndpoint`'));
  }
  if (current !== undefined && server !== undefined && isRegisteredAs(current, clusterSecret(fleet, cluster, { server }, options.roleArn))) {
    return { cluster: cluster.name, state: 'unchanged', server };
  }
  const kubeconfigSecret = await client.get({ apiVersion: 'v1', kind: 'Secret', name: kubeconfigSecretName(cluster), namespace });
  let endpoint: { server: string; caData?: string } | undefined;
  try {
    endpoint = kubeconfigSecret === undefined ? undefined : endpointOf(kubeconfigSecret);
  } catch {
    // Never quote what the Secret holds: it carries credentials.
    return {
      cluster: cluster.name,
      state: 'pending',
      reason: `kubeconfig Secret ${namespace}/${kubeconfigSecretName(cluster)} is malformed (key \`value\` is not a kubeconfig with a cluster server); `
        + 'Cluster API writes it, so check its controllers',
    };
  }
  if (endpoint === undefined) {
    return { cluster: cluster.name, state: 'pending', reason: `kubeconfig Secret ${namespace}/${kubeconfigSecretName(cluster)} not available yet` };
  }
  const where = management.match(endpoint.server);
  if (where !== undefined) {
    return refused(cluster, endpoint.server, where, fix(`kubeconfig Secret ${namespace}/${kubeconfigSecretName(cluster)}`));
  }
  const result = await applyOne(client, clusterSecret(fleet, cluster, endpoint, options.roleArn), options);
  return { cluster: cluster.name, state: appliedState(result.action, options.dryRun), server: endpoint.server };
}

/** The Secret Cluster API writes the cluster's kubeconfig to (`<Cluster name>-kubeconfig`, in its namespace). */
export function kubeconfigSecretName(cluster: DistCluster): string {
  return `${cluster.capiName ?? cluster.name}-kubeconfig`;
}

/** Labels the Argo CD cluster Secret of an external cluster; only the labels, under the CLI's field manager. */
async function labelExternalCluster(
  client: KubeClient, fleet: DistFleet, cluster: DistCluster, secret: KubeObject | undefined, management: ManagementServers, options: RegisterOptions,
): Promise<RegisterOutcome> {
  if (secret === undefined) {
    return {
      cluster: cluster.name,
      state: 'pending',
      reason: `not in Argo CD yet: add it with \`argocd cluster add <context> --name ${cluster.argocdName}\``,
    };
  }
  const server = secretField(secret, 'server');
  const where = management.match(server);
  if (server !== undefined && where !== undefined) {
    return refused(cluster, server, where, `its Argo CD cluster Secret ${secret.metadata.name} was not labelled, so no bundle selects it; `
      + `add the external cluster under its own API server (\`argocd cluster add <its context> --name ${cluster.name}\`), then run register again`);
  }
  const labels = clusterSecretLabels(fleet.name, cluster);
  delete labels[Labels.MANAGED_BY];
  if (Object.entries(labels).every(([key, value]) => secret.metadata.labels?.[key] === value)) {
    return { cluster: cluster.name, state: 'unchanged', server: secretField(secret, 'server') };
  }
  const result = await applyOne(client, {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: secret.metadata.name, namespace: fleet.argocdNamespace, labels },
  }, options);
  return { cluster: cluster.name, state: appliedState(result.action, options.dryRun), server: secretField(secret, 'server') };
}

/** The state of a cluster whose Secret was applied: `unchanged`, or registered (or would be, on a dry run). */
function appliedState(action: string, dryRun: boolean | undefined): RegisterState {
  return action === 'unchanged' ? 'unchanged' : dryRun ? 'would register' : 'registered';
}

/**
 * Removes the cluster Secrets of a retired cluster, once its bundle Applications are gone: Argo CD deletes an
 * Application whose destination cluster it no longer knows without running its resources finalizer (the ApplicationSet
 * controller's `removeFinalizerOnInvalidDestination`, and `finalizeApplicationDeletion`, argoproj/argo-cd v3.5.1), so
 * a bundle with `RemovalPolicy.DESTROY` would silently keep what it installed.
 */
async function deregister(
  client: KubeClient, fleet: DistFleet, cluster: DistCluster, own: readonly KubeObject[], options: RegisterOptions,
): Promise<RegisterOutcome> {
  if (own.length > 0) {
    const left = await client.list('argoproj.io/v1alpha1', 'Application', {
      namespace: fleet.argocdNamespace,
      labelSelector: `${Labels.FLEET}=${fleet.name},${Labels.CLUSTER}=${cluster.name},${Labels.BUNDLE}`,
    });
    if (left.length > 0) {
      const names = left.map((a) => a.metadata.name).sort();
      return {
        cluster: cluster.name,
        state: 'pending',
        reason: `retired: its Argo CD cluster Secret stays until its bundle Applications are deleted (${names.join(', ')}), `
          + 'so that bundles with removalPolicy DESTROY uninstall what they installed',
      };
    }
  }
  await removeSecrets(client, own, options);
  return { cluster: cluster.name, state: own.length === 0 ? 'unchanged' : options.dryRun ? 'would deregister' : 'deregistered' };
}

async function removeSecrets(client: KubeClient, secrets: readonly KubeObject[], options: RegisterOptions): Promise<void> {
  for (const secret of secrets) {
    await client.delete({ apiVersion: 'v1', kind: 'Secret', name: secret.metadata.name, namespace: secret.metadata.namespace }, { dryRun: options.dryRun });
  }
}


/** The API server and CA of the current cluster of a Cluster API kubeconfig Secret. */
function endpointOf(secret: KubeObject): { server: string; caData?: string } | undefined {
  const value = (secret.data as Record<string, string> | undefined)?.value;
  if (value === undefined) {
    return undefined;
  }
  const kubeconfig = YAML.parse(Buffer.from(value, 'base64').toString('utf8')) as {
    'clusters'?: Array<{ name: string; cluster: { 'server': string; 'certificate-authority-data'?: string } }>;
    'contexts'?: Array<{ name: string; context: { cluster: string } }>;
    'current-context'?: string;
  };
  if (kubeconfig === null || typeof kubeconfig !== 'object' || (kubeconfig.clusters !== undefined && !Array.isArray(kubeconfig.clusters))) {
    throw new Error('not a kubeconfig');
  }
  const context = Array.isArray(kubeconfig.contexts) ? kubeconfig.contexts.find((c) => c?.name === kubeconfig['current-context']) : undefined;
  const entry = kubeconfig.clusters?.find((c) => c?.name === context?.context?.cluster) ?? kubeconfig.clusters?.[0];
  if (entry === undefined) {
    return undefined;
  }
  if (typeof entry?.cluster?.server !== 'string' || !/^https:\/\/\S+$/.test(entry.cluster.server)) {
    throw new Error('no cluster server');
  }
  return { server: entry.cluster.server, caData: entry.cluster['certificate-authority-data'] };
}

/** The Argo CD cluster Secret of a fleet cluster. */
export function clusterSecret(fleet: DistFleet, cluster: DistCluster, endpoint: { server: string; caData?: string }, roleArn?: string): KubeObject {
  const config = {
    awsAuthConfig: { clusterName: cluster.eksClusterName ?? cluster.name, ...(roleArn === undefined ? {} : { roleARN: roleArn }) },
    tlsClientConfig: { insecure: false, ...(endpoint.caData === undefined ? {} : { caData: endpoint.caData }) },
  };
  const values = { name: cluster.argocdName, server: endpoint.server, config: JSON.stringify(config) };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: ArgoNames.clusterSecret(fleet.name, cluster.name), namespace: fleet.argocdNamespace, labels: clusterSecretLabels(fleet.name, cluster),
    },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')])),
  };
}

/** The API server CAPA recorded for the cluster (`spec.controlPlaneEndpoint`, EKS's endpoint URL). */
function endpointServer(controlPlane: KubeObject): string | undefined {
  const host = (controlPlane.spec as { controlPlaneEndpoint?: { host?: string } } | undefined)?.controlPlaneEndpoint?.host;
  return host === undefined || host === '' ? undefined : /^https:\/\//.test(host) ? host : `https://${host}`;
}

/**
 * Whether a stored cluster Secret already says what `desired` says: its labels, and the name, server and identity in
 * its data (the CA, read only from the kubeconfig Secret, is not compared: EKS keeps a cluster's CA).
 */
function isRegisteredAs(stored: KubeObject, desired: KubeObject): boolean {
  const field = (obj: KubeObject, key: string) => secretField(obj, key);
  const identity = (obj: KubeObject) => {
    try {
      return JSON.stringify((JSON.parse(field(obj, 'config') ?? '{}') as { awsAuthConfig?: unknown }).awsAuthConfig ?? null);
    } catch {
      return undefined;
    }
  };
  const labels = (obj: KubeObject) => JSON.stringify(Object.entries(obj.metadata.labels ?? {}).sort());
  return labels(stored) === labels(desired) && field(stored, 'name') === field(desired, 'name') && field(stored, 'server') === field(desired, 'server')
    && identity(stored) !== undefined && identity(stored) === identity(desired);
}
