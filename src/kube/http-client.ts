import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
// The only runtime import of @kubernetes/client-node: kubeconfig loading and authentication (tokens, client
// certificates, exec plugins such as `aws eks get-token`), exactly as kubectl reads the kubeconfig. Requests are sent
// here rather than through its typed API, which silently drops fields its models do not know (TOOLCHAIN.md §3).
import { KubeConfig } from '@kubernetes/client-node';
import { KubeconfigError } from './http-client-errors';
import { DEFAULT_RETRY, RetryableResponse, withRetry, type RetryPolicy } from './retry';
import {
  FIELD_MANAGER, KubeApiError, KubeConnectionError, parseApiVersion,
  type ApplyOptions, type FieldConflict, type KubeClient, type KubeObject, type ListOptions, type ObjectRef,
} from './types';

/** How to reach the management cluster. */
export interface ConnectOptions {
  /** Kubeconfig file; otherwise `$KUBECONFIG` (a list of files, merged) or `~/.kube/config`, as kubectl does. */
  readonly kubeconfig?: string;
  /** Context to use; otherwise the kubeconfig's current context. */
  readonly context?: string;
  /** Time allowed for one request. */
  readonly requestTimeoutMs?: number;
  /** How failed requests are retried. */
  readonly retry?: RetryPolicy;
}

interface ApiResource {
  readonly name: string;
  readonly namespaced: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Loads the kubeconfig the way kubectl does and returns a client for its current (or given) context. */
export function connect(options: ConnectOptions = {}): KubeClient {
  const kc = new KubeConfig();
  if (options.kubeconfig !== undefined) {
    if (!fs.existsSync(options.kubeconfig)) {
      throw new KubeconfigError(`kubeconfig file ${options.kubeconfig} does not exist; pass the path of a kubeconfig with --kubeconfig`);
    }
    kc.loadFromFile(options.kubeconfig);
  } else {
    kc.loadFromDefault();
  }
  if (options.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === options.context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new KubeconfigError(`context "${options.context}" is not in the kubeconfig (contexts: ${known}); pick one with --context`);
    }
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null || !kc.getCurrentContext()) {
    throw new KubeconfigError('the kubeconfig has no current context with a cluster; set KUBECONFIG, --kubeconfig or --context to the management cluster');
  }
  return new HttpKubeClient(kc, cluster.server, kc.getCurrentContext(), options);
}

/** `KubeClient` over HTTP(S), with bounded retries. */
class HttpKubeClient implements KubeClient {
  private readonly discovery = new Map<string, Promise<Map<string, ApiResource> | undefined>>();
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(private readonly kc: KubeConfig, public readonly server: string, public readonly context: string, options: ConnectOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  public async servesGroupVersion(groupVersion: string): Promise<boolean> {
    return (await this.resourcesOf(groupVersion)) !== undefined;
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

  public async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const query = options.labelSelector ? `?labelSelector=${encodeURIComponent(options.labelSelector)}` : '';
    const result = await this.send('GET', `${await this.objectPath(apiVersion, kind, options.namespace)}${query}`) as { items?: KubeObject[] };
    // LIST responses leave apiVersion and kind off their items.
    return (result.items ?? []).map((item) => ({ ...item, apiVersion, kind }));
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
    const resources = await this.resourcesOf(apiVersion);
    const resource = resources?.get(kind);
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
          if (error instanceof KubeApiError && error.status === 404) {
            return undefined;
          }
          this.discovery.delete(groupVersion);
          throw error;
        });
      this.discovery.set(groupVersion, cached);
    }
    return cached;
  }

  private send(method: string, path: string, body?: string, contentType?: string): Promise<unknown> {
    return withRetry(this.retry, () => this.sendOnce(method, path, body, contentType));
  }

  private async sendOnce(method: string, path: string, body?: string, contentType?: string): Promise<unknown> {
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    const options: https.RequestOptions = {
      method,
      headers: { accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}) },
    };
    await this.kc.applyToHTTPSOptions(options);
    const transport = url.protocol === 'http:' ? http : https;
    if (url.protocol === 'http:') {
      // applyToHTTPSOptions sets an HTTPS agent, which cannot carry plain HTTP.
      delete options.agent;
    }
    return new Promise((resolve, reject) => {
      const request = transport.request(url, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(connectionError(error, this.server)));
        response.on('end', () => {
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
          reject(statusError(status, text, response.headers['retry-after'], `${method} ${path}`));
        });
      });
      request.setTimeout(this.timeoutMs, () => request.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      request.on('error', (error) => reject(connectionError(error, this.server)));
      request.end(body);
    });
  }
}

function connectionError(error: Error & { code?: string }, server: string): KubeConnectionError {
  const code = error.code ?? 'ECONNRESET';
  return new KubeConnectionError(`${server}: ${error.message} (${code})`, code);
}

function statusError(status: number, text: string, retryAfter: string | string[] | undefined, what: string): KubeApiError {
  let parsed: { message?: string; reason?: string; details?: { causes?: Array<{ message?: string; field?: string }> } } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { message: text.trim() };
  }
  const message = parsed.message || `${what} failed with HTTP ${status}`;
  if ([429, 500, 502, 503, 504].includes(status)) {
    const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    return new RetryableResponse(message, status, parsed.reason, Number.isFinite(seconds) ? seconds * 1000 : undefined);
  }
  const conflicts: FieldConflict[] = status === 409
    ? (parsed.details?.causes ?? []).map((c) => ({ field: c.field ?? '', message: c.message ?? '' }))
    : [];
  return new KubeApiError(message, status, parsed.reason, conflicts);
}
