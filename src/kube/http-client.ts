import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import { delimiter, dirname, join } from 'path';
// The only runtime import of @kubernetes/client-node: kubeconfig loading and authentication (tokens, client
// certificates, exec plugins such as `aws eks get-token`), exactly as kubectl reads the kubeconfig. Requests are sent
// here rather than through its typed API, which silently drops fields its models do not know (TOOLCHAIN.md §3).
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import {
  KubeconfigError, credentialsError, credentialsTimeoutError, kubeconfigLoadError, requestError, statusError, type ExecPlugin,
} from './http-client-errors';
import { secretValuesOf } from './redact';
import { DEFAULT_RETRY, isTimeout, retryLine, withRetry, type RetryPolicy } from './retry';
import {
  FIELD_MANAGER, KubeApiError, KubeConnectionError, parseApiVersion,
  type ApplyOptions, type KubeClient, type KubeObject, type ListOptions, type ObjectRef,
  type ServerVersion,
} from './types';

/** How to reach the management cluster. */
export interface ConnectOptions {
  /** Kubeconfig file; otherwise `$KUBECONFIG` (a list of files, merged) or `~/.kube/config`, as kubectl does. */
  readonly kubeconfig?: string;
  /** Context to use; otherwise the kubeconfig's current context. */
  readonly context?: string;
  /** Time allowed for one request, and for the credential plugin of the kubeconfig to return credentials. */
  readonly requestTimeoutMs?: number;
  /** How failed requests are retried. */
  readonly retry?: RetryPolicy;
  /** Where `KUBECONFIG` and `HOME` are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Aborting it stops requests in flight and credential plugins. */
  readonly signal?: AbortSignal;
  /** Told what the client waits for (a request, a credential plugin), for a message should the command's deadline pass. */
  readonly onActivity?: (what: string) => void;
  /**
   * Told of retries, one line each, so that a wait is never silent: every retry of a timed-out request, and every retry
   * of other failures after the first (e.g. `retrying GET https://... (attempt 3 of 8, connection refused), next in 1.0s`).
   */
  readonly onRetry?: (message: string) => void;
}

interface ApiResource {
  readonly name: string;
  readonly namespaced: boolean;
}

/** A kubeconfig file as read: empty files are empty configurations, as kubectl treats them. */
interface LoadedFile {
  readonly file: string;
  readonly config: KubeConfig;
  readonly empty: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** The service account token of a pod, used when there is no kubeconfig (in-cluster configuration, as kubectl does). */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Loads the kubeconfig the way kubectl does and returns a client for its current (or given) context. */
export function connect(options: ConnectOptions = {}): KubeClient {
  const kc = loadKubeconfig(options.kubeconfig, options.env ?? process.env);
  const source = describeSource(kc);
  const contexts = kc.getContexts();
  const known = contexts.map((c) => c.name).join(', ') || 'none';
  if (options.context !== undefined) {
    if (!contexts.some((c) => c.name === options.context)) {
      throw new KubeconfigError(`context "${options.context}" is not in the kubeconfig (contexts: ${known}); pick one with --context`);
    }
    kc.setCurrentContext(options.context);
  }
  if (contexts.length === 0) {
    throw new KubeconfigError(`${source.name} ${source.empty ? 'is empty' : 'defines no contexts'}; give the kubeconfig of the management cluster `
      + 'with --kubeconfig or KUBECONFIG (aws eks update-kubeconfig --name <management cluster> writes one)');
  }
  const name = kc.getCurrentContext();
  const context = name ? kc.getContextObject(name) : null;
  if (context === null) {
    throw new KubeconfigError(name
      ? `the current context "${name}" of ${source.name} is not defined in it (contexts: ${known}); pick one with --context`
      : `${source.name} has no current context (contexts: ${known}); pick one with --context, or set one with kubectl config use-context <name>`);
  }
  const cluster = kc.getCluster(context.cluster);
  if (cluster === null) {
    throw new KubeconfigError(`context "${name}" of ${source.name} names cluster "${context.cluster}", which it does not define; `
      + 'fix the kubeconfig, or pick another context with --context');
  }
  if (context.user && kc.getUser(context.user) === null) {
    throw new KubeconfigError(`context "${name}" of ${source.name} names user "${context.user}", which it does not define; `
      + 'fix the kubeconfig, or pick another context with --context');
  }
  return new HttpKubeClient(kc, cluster.server, name, options);
}

/**
 * The kubeconfig, found as kubectl finds it: `file`, else every file `KUBECONFIG` lists that exists (merged, the
 * first to set a name wins), else `~/.kube/config`, else the pod's service account. Plain `http://` servers are
 * allowed, as kubectl allows them: TLS settings mean nothing to them.
 */
function loadKubeconfig(file: string | undefined, env: NodeJS.ProcessEnv): KubeConfig {
  let files: string[];
  if (file !== undefined) {
    if (!fs.existsSync(file)) {
      throw new KubeconfigError(`kubeconfig file ${file} does not exist; pass the path of a kubeconfig with --kubeconfig`);
    }
    files = [file];
  } else {
    const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
    const fallback = join(env.HOME || env.USERPROFILE || os.homedir(), '.kube', 'config');
    if (listed.length > 0) {
      files = listed.filter((f) => fs.existsSync(f));
      if (files.length === 0) {
        throw new KubeconfigError(`KUBECONFIG names ${listed.length === 1 ? `${listed[0]}, which does not exist` : `${listed.join(delimiter)}, none of which exists`}; `
          + 'point KUBECONFIG at the kubeconfig of the management cluster, or pass --kubeconfig');
      }
    } else if (fs.existsSync(fallback)) {
      files = [fallback];
    } else if (env.KUBERNETES_SERVICE_HOST && fs.existsSync(SERVICE_ACCOUNT_TOKEN)) {
      const kc = new KubeConfig();
      kc.loadFromCluster();
      return kc;
    } else {
      throw new KubeconfigError(`no kubeconfig: KUBECONFIG is not set and ${fallback} does not exist; give the kubeconfig of the management cluster `
        + `with --kubeconfig or KUBECONFIG, or write ${fallback} (aws eks update-kubeconfig --name <management cluster> does)`);
    }
  }
  const loaded = files.map(readKubeconfigFile);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: firstByName(loaded.flatMap((l) => l.config.getClusters())).map(allowPlainHttp),
    users: firstByName(loaded.flatMap((l) => l.config.getUsers())),
    contexts: firstByName(loaded.flatMap((l) => l.config.getContexts())),
    currentContext: loaded.map((l) => l.config.getCurrentContext()).find((c) => typeof c === 'string' && c !== ''),
  });
  sources.set(kc, loaded);
  return kc;
}

/** The files each merged kubeconfig came from, for messages. */
const sources = new WeakMap<KubeConfig, readonly LoadedFile[]>();

function describeSource(kc: KubeConfig): { name: string; empty: boolean } {
  const files = sources.get(kc);
  if (files === undefined) {
    return { name: 'the in-cluster configuration', empty: false };
  }
  return {
    name: files.length === 1 ? `kubeconfig ${files[0].file}` : `the kubeconfig (${files.map((f) => f.file).join(', ')})`,
    empty: files.every((f) => f.empty),
  };
}

function readKubeconfigFile(file: string): LoadedFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw kubeconfigLoadError(file, error);
  }
  const config = new KubeConfig();
  // Blank, comments only, or bare document markers: an empty configuration, as kubectl reads it.
  if (text.split('\n').every((line) => /^\s*(#.*)?$/.test(line) || /^(---|\.\.\.)\s*$/.test(line))) {
    return { file, config, empty: true };
  }
  try {
    config.loadFromString(text);
    config.makePathsAbsolute(dirname(file));
  } catch (error) {
    throw kubeconfigLoadError(file, error);
  }
  return { file, config, empty: false };
}

function firstByName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const first = !seen.has(item.name);
    seen.add(item.name);
    return first;
  });
}

/** client-node refuses `http://` servers unless TLS verification is off; kubectl talks to them as they are. */
function allowPlainHttp(cluster: Cluster): Cluster {
  return /^http:/i.test(cluster.server) ? { ...cluster, server: cluster.server.replace(/^http:/i, 'http:'), skipTLSVerify: true } : cluster;
}

/** The exec credential plugin of a kubeconfig user, if it has one. */
function execPluginOf(user: User | null): ExecPlugin | undefined {
  const exec = (user?.exec ?? user?.authProvider?.config?.exec) as { command?: unknown } | undefined;
  return user && typeof exec?.command === 'string' ? { command: exec.command, user: user.name } : undefined;
}

/** `KubeClient` over HTTP(S), with bounded retries. */
/** Objects per LIST page: the size kubectl asks for (`--chunk-size`, 500). */
export const LIST_PAGE_SIZE = 500;

class HttpKubeClient implements KubeClient {
  private readonly discovery = new Map<string, Promise<Map<string, ApiResource> | undefined>>();
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly signal?: AbortSignal;
  private readonly onActivity: (what: string) => void;
  private readonly onRetry: (message: string) => void;
  private readonly user: string;
  private readonly plugin?: ExecPlugin;
  /** Credential plugins running now, stopped on timeout and when the signal aborts. */
  private readonly plugins = new Set<ChildProcess>();

  constructor(private readonly kc: KubeConfig, public readonly server: string, public readonly context: string, options: ConnectOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.signal = options.signal;
    this.onActivity = options.onActivity ?? (() => undefined);
    this.onRetry = options.onRetry ?? (() => undefined);
    const user = kc.getCurrentUser();
    this.user = user?.name ?? (kc.getContextObject(context) as Context | null)?.user ?? '';
    this.plugin = execPluginOf(user);
    this.superviseExecPlugins();
    this.signal?.addEventListener('abort', () => this.stopExecPlugins(), { once: true });
  }

  public async servesGroupVersion(groupVersion: string): Promise<boolean> {
    return (await this.resourcesOf(groupVersion)) !== undefined;
  }

  public async serverVersion(): Promise<ServerVersion> {
    return await this.send('GET', '/version') as ServerVersion;
  }

  public async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.send('GET', await this.objectPath(ref.apiVersion, ref.kind, ref.namespace, ref.name)) as KubeObject;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Every object of a kind, in pages of `LIST_PAGE_SIZE` (`limit` and `continue`), so that neither the API server nor
   * this process handles a 10,000-cluster fleet's objects in one response.
   */
  public async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const path = await this.objectPath(apiVersion, kind, options.namespace);
    const items: KubeObject[] = [];
    let next: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
      if (options.labelSelector) {
        query.set('labelSelector', options.labelSelector);
      }
      if (next) {
        query.set('continue', next);
      }
      const page = await this.send('GET', `${path}?${query.toString()}`) as { items?: KubeObject[]; metadata?: { continue?: string } };
      // LIST responses leave apiVersion and kind off their items.
      items.push(...(page.items ?? []).map((item) => ({ ...item, apiVersion, kind })));
      next = page.metadata?.continue || undefined;
    } while (next !== undefined);
    return items;
  }

  public async apply(obj: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    const query = [options.dryRun ? 'dryRun=All' : undefined, `fieldManager=${FIELD_MANAGER}`, options.force ? 'force=true' : undefined]
      .filter((part) => part !== undefined).join('&');
    const path = await this.objectPath(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    return await this.send('PATCH', `${path}?${query}`, JSON.stringify(obj), 'application/apply-patch+yaml') as KubeObject;
  }

  public async delete(ref: ObjectRef, options: { readonly dryRun?: boolean } = {}): Promise<boolean> {
    try {
      await this.send('DELETE', `${await this.objectPath(ref.apiVersion, ref.kind, ref.namespace, ref.name)}${options.dryRun ? '?dryRun=All' : ''}`);
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) {
        return false;
      }
      throw error;
    }
  }

  private async objectPath(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    let resource = (await this.resourcesOf(apiVersion))?.get(kind);
    if (resource === undefined) {
      // Discovery is cached: a kind whose CRD was established since is found by asking again, once.
      this.discovery.delete(apiVersion);
      resource = (await this.resourcesOf(apiVersion))?.get(kind);
    }
    if (resource === undefined) {
      throw new KubeApiError(`the API server does not serve ${kind} in ${apiVersion}`, 404, 'NotFound');
    }
    const { group, version } = parseApiVersion(apiVersion);
    const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const scope = resource.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${scope}/${resource.name}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
  }

  /** Kinds served in a group version, from discovery (cached), or undefined when it is not served. */
  private resourcesOf(groupVersion: string): Promise<Map<string, ApiResource> | undefined> {
    let cached = this.discovery.get(groupVersion);
    if (cached === undefined) {
      const { group, version } = parseApiVersion(groupVersion);
      cached = this.send('GET', group === '' ? `/api/${version}` : `/apis/${group}/${version}`).then(
        (list) => new Map(((list as { resources?: Array<ApiResource & { kind: string }> }).resources ?? [])
          .filter((r) => !r.name.includes('/'))
          .map((r) => [r.kind, { name: r.name, namespaced: r.namespaced }])),
        (error: unknown) => {
          // Not cached either way: a group that is not served yet may be once its CRD is established.
          this.discovery.delete(groupVersion);
          if (error instanceof KubeApiError && error.status === 404) {
            return undefined;
          }
          throw error;
        });
      this.discovery.set(groupVersion, cached);
    }
    return cached;
  }

  private send(method: string, path: string, body?: string, contentType?: string): Promise<unknown> {
    return withRetry(this.retry, () => {
      this.signal?.throwIfAborted();
      return this.sendOnce(method, path, body, contentType);
    }, undefined, (error, attempt, delayMs) => {
      if (isTimeout(error)) {
        this.onRetry(`${(error as Error).message}; trying again`);
      } else if (attempt >= 2) {
        // The first retry is quiet (a blip); from the second on, one line each, so that a long wait is never silent.
        this.onRetry(retryLine(method, this.server, path, error, attempt, this.retry.attempts, delayMs));
      }
    });
  }

  private async sendOnce(method: string, path: string, body?: string, contentType?: string): Promise<unknown> {
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    const what = `${method} ${path}`;
    const options: https.RequestOptions = {
      method,
      headers: { accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}) },
      signal: this.signal,
    };
    await this.authenticate(options);
    // Values a server may echo in an error message: the Secret data sent, and the credentials.
    const secrets = [...secretValuesOf(body), ...credentialsIn(options)];
    this.onActivity(`waiting for ${what} from ${this.server}`);
    return new Promise((resolve, reject) => {
      let connected = false;
      let timer: NodeJS.Timeout | undefined;
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error.name === 'AbortError' ? error : requestError(error, { server: this.server, what, timeoutMs: this.timeoutMs, connected }));
      };
      let request: http.ClientRequest;
      try {
        request = (url.protocol === 'http:' ? http : https).request(url, options, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              try {
                resolve(text === '' ? {} : JSON.parse(text));
              } catch {
                reject(new KubeConnectionError(`the API server at ${this.server} sent a response that is not JSON`, 'EBADRESPONSE'));
              }
              return;
            }
            reject(statusError(status, text, response.headers['retry-after'], what, secrets));
          });
        });
      } catch (error) {
        fail(error as Error);
        return;
      }
      // The whole request, connection and TLS handshake included, gets the timeout; not only each idle spell.
      timer = setTimeout(() => request.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })), this.timeoutMs);
      request.on('socket', (socket) => {
        if (!socket.connecting) {
          connected = true;
        }
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
          connected = true;
        });
      });
      request.on('error', fail);
      request.end(body);
    });
  }

  /**
   * Adds the credentials of the kubeconfig user to a request, within the request timeout: an exec plugin that never
   * returns is stopped, and failures name the plugin without quoting what it printed.
   */
  private async authenticate(options: https.RequestOptions): Promise<void> {
    if (this.plugin !== undefined) {
      this.onActivity(`waiting for the exec credential plugin \`${this.plugin.command}\` of kubeconfig user "${this.plugin.user}" to return credentials`);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        this.stopExecPlugins();
        reject(credentialsTimeoutError(this.plugin, this.user, this.timeoutMs));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([this.kc.applyToHTTPSOptions(options), timedOut]);
    } catch (error) {
      throw error instanceof KubeconfigError ? error : credentialsError(error, this.user, this.plugin);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs the exec credential plugins of client-node through a spawn that this client can stop (client-node gives them
   * no timeout), with stdin closed so that a plugin waiting for a prompt fails instead of waiting forever. Reaches
   * into client-node 1.4's `ExecAuth.execFn`; should that change, plugins still get the timeout, only not stopped.
   */
  private superviseExecPlugins(): void {
    const authenticators = (this.kc as unknown as { authenticators?: Array<{ execFn?: unknown }> }).authenticators ?? [];
    for (const authenticator of authenticators.filter((a) => typeof a.execFn === 'function')) {
      authenticator.execFn = (command: string, args: readonly string[] | undefined, options: SpawnOptions = {}) => {
        const child = spawn(command, args ?? [], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
        this.plugins.add(child);
        child.once('close', () => this.plugins.delete(child));
        child.once('error', () => this.plugins.delete(child));
        return child;
      };
    }
  }

  private stopExecPlugins(): void {
    for (const child of this.plugins) {
      child.kill('SIGKILL');
    }
    this.plugins.clear();
  }
}

/** The bearer token or password a request carries, so that no error message repeats it. */
function credentialsIn(options: https.RequestOptions): string[] {
  const headers = (options.headers ?? {}) as Record<string, unknown>;
  const authorization = Object.entries(headers).find(([key]) => key.toLowerCase() === 'authorization')?.[1];
  const values: string[] = [];
  if (typeof authorization === 'string') {
    values.push(authorization.replace(/^\S+\s+/, ''));
  }
  if (typeof options.auth === 'string') {
    values.push(options.auth, options.auth.slice(options.auth.indexOf(':') + 1));
  }
  return values;
}
