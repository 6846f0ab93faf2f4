import * as YAML from 'yaml';
import { applyOne } from './deploy';
import type { DistCluster, DistFleet } from './dist-fleet';
import { requireApis, requireNamespace } from './preflight';
import { Labels, MANAGED_BY } from '../fleet/labels';
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

/** What happened to one cluster. */
export interface RegisterOutcome {
  readonly cluster: string;
  /** `registered` (Secret created or changed), `unchanged` (already registered as is), or `pending` (not ready yet). */
  readonly state: 'registered' | 'unchanged' | 'pending';
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
 * Registers every fleet cluster whose control plane is ready with Argo CD, once: reads the Cluster API kubeconfig
 * Secret (`<cluster>-kubeconfig`, key `value`) for the API server and its CA, and applies the Argo CD cluster Secret
 * named after the cluster, labelled with its profiles. EKS clusters authenticate with `awsAuthConfig` (the EKS cluster
 * name, optionally a role), never with the kubeconfig's token, which expires. External clusters are registered
 * already and are skipped. Clusters not ready yet are reported as pending.
 */
export async function registerOnce(client: KubeClient, fleet: DistFleet, options: RegisterOptions = {}): Promise<RegisterOutcome[]> {
  const roleArn = registrationRole(fleet, options.roleArn);
  await requireApis(client, ['argocd', 'capi', 'capa']);
  await requireNamespace(client, fleet.argocdNamespace, 'Argo CD runs there in this fleet; install Argo CD into it first');
  const outcomes: RegisterOutcome[] = [];
  for (const cluster of fleet.clusters.filter((c) => !c.external)) {
    outcomes.push(await registerCluster(client, fleet, cluster, { ...options, roleArn }));
  }
  return outcomes;
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

async function registerCluster(client: KubeClient, fleet: DistFleet, cluster: DistCluster, options: RegisterOptions): Promise<RegisterOutcome> {
  const namespace = cluster.namespace ?? cluster.name;
  const controlPlane = await client.get({
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'AWSManagedControlPlane', name: `${cluster.name}-control-plane`, namespace,
  });
  if (controlPlane === undefined) {
    return { cluster: cluster.name, state: 'pending', reason: 'control plane not created yet' };
  }
  if ((controlPlane.status as { ready?: boolean } | undefined)?.ready !== true) {
    return { cluster: cluster.name, state: 'pending', reason: 'control plane not ready' };
  }
  const kubeconfigSecret = await client.get({ apiVersion: 'v1', kind: 'Secret', name: `${cluster.name}-kubeconfig`, namespace });
  const endpoint = kubeconfigSecret === undefined ? undefined : endpointOf(kubeconfigSecret);
  if (endpoint === undefined) {
    return { cluster: cluster.name, state: 'pending', reason: `kubeconfig Secret ${namespace}/${cluster.name}-kubeconfig not available yet` };
  }
  const result = await applyOne(client, clusterSecret(fleet, cluster, endpoint, options.roleArn), options);
  return { cluster: cluster.name, state: result.action === 'unchanged' ? 'unchanged' : 'registered', server: endpoint.server };
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
  const context = kubeconfig.contexts?.find((c) => c.name === kubeconfig['current-context']);
  const entry = kubeconfig.clusters?.find((c) => c.name === context?.context.cluster) ?? kubeconfig.clusters?.[0];
  return entry === undefined ? undefined : { server: entry.cluster.server, caData: entry.cluster['certificate-authority-data'] };
}

/** The Argo CD cluster Secret of a fleet cluster. */
export function clusterSecret(fleet: DistFleet, cluster: DistCluster, endpoint: { server: string; caData?: string }, roleArn?: string): KubeObject {
  const config = {
    awsAuthConfig: { clusterName: cluster.eksClusterName ?? cluster.name, ...(roleArn === undefined ? {} : { roleARN: roleArn }) },
    tlsClientConfig: { insecure: false, ...(endpoint.caData === undefined ? {} : { caData: endpoint.caData }) },
  };
  const values = { name: cluster.name, server: endpoint.server, config: JSON.stringify(config) };
  const labels: Record<string, string> = {
    ...cluster.labels,
    'argocd.argoproj.io/secret-type': 'cluster',
    [Labels.MANAGED_BY]: MANAGED_BY,
    [Labels.FLEET]: fleet.name,
    [Labels.CLUSTER]: cluster.name,
  };
  for (const profile of cluster.profiles) {
    labels[Labels.profile(profile)] = 'true';
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: cluster.name, namespace: fleet.argocdNamespace, labels },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')])),
  };
}
