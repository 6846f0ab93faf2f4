import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as YAML from 'yaml';
import { CrdSchemas, type KubeObject } from './crd-schemas';

/** Faults the server injects, reproducibly (seeded). */
export interface FaultOptions {
  /** Share of requests that fail: half with 429 (Retry-After: 0), half with 500. */
  readonly errorRate?: number;
  /** Share of requests whose connection is dropped, before or after the request takes effect. */
  readonly dropRate?: number;
  /** Delay before every response. */
  readonly latencyMs?: number;
  /** Seed of the fault sequence. */
  readonly seed?: number;
  /**
   * Answer every PATCH with this status and a Status message that quotes the request (its body and Authorization
   * header), as some API servers and admission webhooks do.
   */
  readonly echoPatchStatus?: number;
}

/** Options of the server. */
export interface FakeApiServerOptions {
  /** Bearer token every request must carry. */
  readonly token?: string;
  /** API groups installed besides the core group; default: Argo CD, Cluster API and CAPA. */
  readonly groups?: readonly string[];
  /** Namespaces that exist at start. */
  readonly namespaces?: readonly string[];
  readonly faults?: FaultOptions;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** One request, as the server saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly contentType?: string;
  readonly status: number;
  readonly fault?: string;
}

interface Resource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

interface Stored {
  object: KubeObject;
  /** Leaf field paths (".spec.source.repoURL") owned by each field manager. Lists are atomic leaves. */
  owners: Map<string, Set<string>>;
  /** How many times the stored content changed (1 = created once). */
  writes: number;
}

const CORE: Resource[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
];
const DEFAULT_GROUPS = ['argoproj.io', 'cluster.x-k8s.io', 'controlplane.cluster.x-k8s.io', 'infrastructure.cluster.x-k8s.io'];
const IDENTITY_FIELDS = new Set(['.apiVersion', '.kind', '.metadata.name', '.metadata.namespace']);

/**
 * An in-process HTTP server speaking the subset of the Kubernetes API that `arlonctl` uses: discovery, GET, LIST with
 * label selectors, server-side apply (field managers, conflicts, `force`, `dryRun=All`), DELETE, and 404/409/422
 * semantics. Custom resources are validated against the CRDs in ../shared/crds; faults are injected reproducibly.
 */
export class FakeApiServer {
  /** Every request, in order. */
  public readonly requests: RecordedRequest[] = [];
  private readonly store = new Map<string, Stored>();
  private readonly resources: Resource[];
  private readonly schemas: CrdSchemas;
  /** TCP connections accepted (with HTTPS, including those whose TLS handshake failed). */
  public connections = 0;
  private readonly server: http.Server | https.Server;
  private random: () => number;
  private faults: FaultOptions;
  private resourceVersion = 1;
  private uid = 0;

  constructor(private readonly options: FakeApiServerOptions = {}) {
    this.schemas = new CrdSchemas();
    const groups = new Set(options.groups ?? DEFAULT_GROUPS);
    this.resources = [...CORE, ...this.schemas.servedResources().filter((r) => groups.has(r.group))];
    this.faults = options.faults ?? {};
    this.random = mulberry32(this.faults.seed ?? 1);
    for (const namespace of options.namespaces ?? ['default', 'argocd']) {
      this.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    }
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      void this.handle(req, res);
    };
    this.server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
    this.server.on('connection', () => this.connections++);
  }

  /** Starts listening on a free port of 127.0.0.1 and returns the server URL. */
  public async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  public get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Changes the faults injected from now on. */
  public setFaults(faults: FaultOptions): void {
    this.faults = faults;
    this.random = mulberry32(faults.seed ?? 1);
  }

  /** Stores an object as is (status included), as a controller would. */
  public put(obj: KubeObject): void {
    const key = keyOf(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    const existing = this.store.get(key);
    const object = structuredClone(obj);
    object.metadata = {
      ...object.metadata,
      uid: existing?.object.metadata.uid ?? `uid-${++this.uid}`,
      resourceVersion: String(++this.resourceVersion),
    };
    this.store.set(key, { object, owners: existing?.owners ?? new Map(), writes: (existing?.writes ?? 0) + 1 });
  }

  /** Removes a stored object, as a controller that deleted it would. */
  public remove(apiVersion: string, kind: string, name: string, namespace?: string): void {
    this.store.delete(keyOf(apiVersion, kind, namespace, name));
  }

  /** Server-side applies `obj` as `manager`, e.g. to play a person editing a field with kubectl. */
  public applyAs(manager: string, obj: KubeObject, force = true): KubeObject {
    const result = this.apply(obj, manager, force, false);
    if ('error' in result) {
      throw new Error(result.error.message);
    }
    return result.object;
  }

  /** A stored object. */
  public get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    const stored = this.store.get(keyOf(apiVersion, kind, namespace, name));
    return stored && structuredClone(stored.object);
  }

  /** How many times an object's content was written (1: created and never changed). */
  public writes(apiVersion: string, kind: string, name: string, namespace?: string): number {
    return this.store.get(keyOf(apiVersion, kind, namespace, name))?.writes ?? 0;
  }

  /** Every stored object of a kind. */
  public all(kind: string): KubeObject[] {
    return [...this.store.values()].filter((s) => s.object.kind === kind).map((s) => structuredClone(s.object));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams.entries());
    const body = await readBody(req);
    const record = (status: number, fault?: string) => this.requests.push({
      method: req.method ?? '', path: url.pathname, query, contentType: req.headers['content-type'], status, fault,
    });
    if (this.faults.latencyMs) {
      await new Promise((resolve) => setTimeout(resolve, this.faults.latencyMs));
    }
    const roll = this.random();
    const errorRate = this.faults.errorRate ?? 0;
    const dropRate = this.faults.dropRate ?? 0;
    if (roll < errorRate) {
      const status = roll < errorRate / 2 ? 429 : 500;
      record(status, 'error');
      send(res, status, statusBody(status, status === 429 ? 'TooManyRequests' : 'InternalError', 'injected fault'), { 'retry-after': '0' });
      return;
    }
    const dropBefore = roll < errorRate + dropRate / 2;
    const dropAfter = !dropBefore && roll < errorRate + dropRate;
    if (dropBefore) {
      record(0, 'dropped before');
      req.socket.destroy();
      return;
    }
    if (this.faults.echoPatchStatus !== undefined && req.method === 'PATCH') {
      const status = this.faults.echoPatchStatus;
      record(status, 'echo');
      send(res, status, statusBody(status, 'Invalid', 'admission webhook "validate.example.com" denied the request '
        + `(Authorization: ${req.headers.authorization}): ${body}`));
      return;
    }
    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      record(401);
      send(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const [status, payload] = this.route(req.method ?? 'GET', url.pathname, query, body, req.headers['content-type']);
    if (dropAfter) {
      // The request took effect; only its response is lost.
      record(0, 'dropped after');
      req.socket.destroy();
      return;
    }
    record(status);
    send(res, status, payload);
  }

  private route(method: string, path: string, query: Record<string, string>, body: string, contentType?: string): [number, unknown] {
    const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      [group, version, rest] = ['', parts[1], parts.slice(2)];
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
    } else {
      return [404, statusBody(404, 'NotFound', `the server could not find the requested resource (${path})`)];
    }
    const served = this.resources.filter((r) => r.group === group && r.version === version);
    if (served.length === 0) {
      return [404, statusBody(404, 'NotFound', 'the server could not find the requested resource')];
    }
    if (rest.length === 0 && method === 'GET') {
      return [200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources: served.map((r) => ({ name: r.plural, namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'list', 'patch', 'delete'] })),
      }];
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const resource = served.find((r) => r.plural === rest[0]);
    if (resource === undefined || rest.length > 2) {
      return [404, statusBody(404, 'NotFound', 'the server could not find the requested resource')];
    }
    const apiVersion = group ? `${group}/${version}` : version;
    const name = rest[1];
    if (name === undefined) {
      return method === 'GET' ? this.list(resource, apiVersion, namespace, query) : methodNotAllowed();
    }
    if (resource.namespaced && namespace === undefined) {
      return [404, statusBody(404, 'NotFound', 'namespaced resource requested without a namespace')];
    }
    const key = keyOf(apiVersion, resource.kind, namespace, name);
    const notFound = (): [number, unknown] => [404, statusBody(404, 'NotFound', `${resource.plural} "${name}" not found`)];
    switch (method) {
      case 'GET':
        return this.store.has(key) ? [200, this.store.get(key)!.object] : notFound();
      case 'DELETE':
        if (!this.store.has(key)) {
          return notFound();
        }
        if (query.dryRun !== 'All') {
          this.store.delete(key);
        }
        return [200, statusBody(200, 'Success', 'deleted')];
      case 'PATCH':
        return this.patch(resource, apiVersion, namespace, name, query, body, contentType);
      default:
        return methodNotAllowed();
    }
  }

  /**
   * LIST with a label selector, and pages as the API server gives them: at most `limit` items, with a `continue` token
   * naming where the next page starts (here: the index of its first item), and `remainingItemCount`.
   */
  private list(resource: Resource, apiVersion: string, namespace: string | undefined, query: Record<string, string>): [number, unknown] {
    const matches = parseSelector(query.labelSelector);
    const all = [...this.store.values()].map((s) => s.object)
      .filter((o) => o.apiVersion === apiVersion && o.kind === resource.kind)
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .filter((o) => matches(o.metadata.labels ?? {}))
      .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
    const start = query.continue === undefined ? 0 : Number(query.continue);
    if (!Number.isInteger(start) || start < 0 || start > all.length) {
      return [400, statusBody(400, 'BadRequest', `invalid continue token "${query.continue}"`)];
    }
    const limit = query.limit === undefined ? all.length : Number(query.limit);
    const end = Math.min(all.length, start + (limit > 0 ? limit : all.length));
    // Like the real API server, LIST items carry no apiVersion and kind.
    const items = all.slice(start, end).map(({ apiVersion: _a, kind: _k, ...item }) => item);
    const metadata = end < all.length
      ? { resourceVersion: String(this.resourceVersion), continue: String(end), remainingItemCount: all.length - end }
      : { resourceVersion: String(this.resourceVersion) };
    return [200, { apiVersion, kind: `${resource.kind}List`, metadata, items }];
  }

  private patch(resource: Resource, apiVersion: string, namespace: string | undefined, name: string,
    query: Record<string, string>, body: string, contentType?: string): [number, unknown] {
    if (contentType !== 'application/apply-patch+yaml') {
      return [415, statusBody(415, 'UnsupportedMediaType', `only server-side apply is supported, not ${contentType}`)];
    }
    if (!query.fieldManager) {
      return [400, statusBody(400, 'BadRequest', 'PATCH with application/apply-patch+yaml requires fieldManager')];
    }
    let obj: KubeObject;
    try {
      obj = YAML.parse(body) as KubeObject;
    } catch {
      return [400, statusBody(400, 'BadRequest', 'the body is not YAML or JSON')];
    }
    if (obj?.apiVersion !== apiVersion || obj.kind !== resource.kind || obj.metadata?.name !== name) {
      return [400, statusBody(400, 'BadRequest', 'the object does not match the path (apiVersion, kind and name)')];
    }
    if ((obj.metadata.namespace ?? namespace) !== namespace) {
      return [400, statusBody(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request')];
    }
    if (namespace !== undefined && !this.store.has(keyOf('v1', 'Namespace', undefined, namespace))) {
      return [404, statusBody(404, 'NotFound', `namespaces "${namespace}" not found`)];
    }
    const problems = this.validate(obj);
    if (problems.length > 0) {
      return [422, {
        ...statusBody(422, 'Invalid', `${resource.kind} "${name}" is invalid: ${problems.join('; ')}`),
        details: { name, kind: resource.plural, causes: problems.map((message) => ({ reason: 'FieldValueInvalid', message })) },
      }];
    }
    const existed = this.store.has(keyOf(apiVersion, resource.kind, namespace, name));
    const result = this.apply({ ...obj, metadata: { ...obj.metadata, namespace } }, query.fieldManager, query.force === 'true', query.dryRun === 'All');
    if ('error' in result) {
      return [409, result.error];
    }
    return [existed ? 200 : 201, result.object];
  }

  private validate(obj: KubeObject): string[] {
    if (obj.kind === 'Secret') {
      const data = (obj.data ?? {}) as Record<string, unknown>;
      return Object.entries(data).filter(([, v]) => typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)).map(([k]) => `data[${k}] is not base64`);
    }
    return obj.apiVersion === 'v1' ? [] : this.schemas.validate(obj);
  }

  private apply(obj: KubeObject, manager: string, force: boolean, dryRun: boolean):
  { object: KubeObject } | { error: { kind: string; status: string; code: number; reason: string; message: string; details: unknown } } {
    const key = keyOf(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    const stored = this.store.get(key);
    const applied = leaves(obj);
    const owners = new Map([...(stored?.owners ?? new Map<string, Set<string>>())].map(([m, paths]) => [m, new Set(paths)]));
    const live: KubeObject = stored?.object
      ?? { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace } };

    const conflicts: Array<{ field: string; manager: string }> = [];
    for (const [path, value] of applied) {
      for (const [other, paths] of owners) {
        if (other !== manager && paths.has(path) && JSON.stringify(valueAt(live, path)) !== JSON.stringify(value)) {
          conflicts.push({ field: path, manager: other });
        }
      }
    }
    if (conflicts.length > 0 && !force) {
      return {
        error: {
          kind: 'Status',
          status: 'Failure',
          code: 409,
          reason: 'Conflict',
          message: `Apply failed with ${conflicts.length} conflict(s): ${conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`).join(', ')}`,
          details: { causes: conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with "${c.manager}"`, field: c.field })) },
        },
      };
    }
    const next = structuredClone(live) as KubeObject;
    // Fields this manager set before and no longer sets are removed, unless another manager also owns them.
    for (const path of owners.get(manager) ?? []) {
      const sharedWithOthers = [...owners].some(([m, paths]) => m !== manager && paths.has(path));
      if (!applied.has(path) && !sharedWithOthers) {
        removeAt(next, path);
      }
    }
    for (const [path, value] of applied) {
      setAt(next, path, structuredClone(value));
    }
    owners.set(manager, new Set([...applied.keys()].filter((p) => !IDENTITY_FIELDS.has(p))));
    if (force) {
      for (const [other, paths] of owners) {
        if (other !== manager) {
          for (const path of applied.keys()) {
            paths.delete(path);
          }
        }
      }
    }
    const changed = stored === undefined || JSON.stringify(content(next)) !== JSON.stringify(content(stored.object));
    next.metadata.managedFields = [...owners].filter(([, p]) => p.size > 0).map(([m]) => ({ manager: m, operation: 'Apply', fieldsType: 'FieldsV1' }));
    if (changed) {
      next.metadata.resourceVersion = String(this.resourceVersion + 1);
      next.metadata.uid = stored?.object.metadata.uid ?? `uid-${this.uid + 1}`;
    }
    if (!dryRun) {
      if (changed) {
        this.resourceVersion++;
        if (stored === undefined) {
          this.uid++;
        }
      }
      this.store.set(key, { object: next, owners, writes: (stored?.writes ?? 0) + (changed ? 1 : 0) });
    }
    return { object: structuredClone(next) };
  }
}

function content(obj: KubeObject): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function keyOf(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${apiVersion}/${kind}/${namespace ?? ''}/${name}`;
}

/** Leaf paths of an object: scalars and lists (atomic), `.a.b.c`. */
function leaves(obj: unknown, at = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj) && Object.keys(obj).length > 0) {
    for (const [key, value] of Object.entries(obj)) {
      for (const [path, leaf] of leaves(value, `${at}.${escapeKey(key)}`)) {
        out.set(path, leaf);
      }
    }
  } else if (at !== '') {
    out.set(at, obj);
  }
  return out;
}

function escapeKey(key: string): string {
  return key.includes('.') ? `[${key}]` : key;
}

function splitPath(path: string): string[] {
  return [...path.matchAll(/\.(\[[^\]]+\]|[^.[]+)/g)].map((m) => (m[1].startsWith('[') ? m[1].slice(1, -1) : m[1]));
}

function valueAt(obj: unknown, path: string): unknown {
  return splitPath(path).reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), obj);
}

function setAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = splitPath(path);
  let node = obj;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object' || Array.isArray(node[key])) {
      node[key] = {};
    }
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function removeAt(obj: Record<string, unknown>, path: string): void {
  const keys = splitPath(path);
  const parent = keys.slice(0, -1).reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), obj);
  if (parent !== null && typeof parent === 'object') {
    delete (parent as Record<string, unknown>)[keys[keys.length - 1]];
  }
}

/** `a=b,c!=d,e,!f` as a predicate over labels. */
function parseSelector(selector: string | undefined): (labels: Record<string, string>) => boolean {
  const terms = (selector ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  return (labels) => terms.every((term) => {
    if (term.includes('!=')) {
      const [k, v] = term.split('!=');
      return labels[k] !== v;
    }
    if (term.includes('=')) {
      const [k, v] = term.split(/==?/);
      return labels[k] === v;
    }
    return term.startsWith('!') ? !(term.slice(1) in labels) : term in labels;
  });
}

function statusBody(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: code < 400 ? 'Success' : 'Failure', code, reason, message };
}

function methodNotAllowed(): [number, unknown] {
  return [405, statusBody(405, 'MethodNotAllowed', 'method not allowed')];
}

function send(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

/** A small seeded PRNG (mulberry32), so an injected fault sequence is the same on every run. */
/* eslint-disable no-bitwise -- a PRNG is bit arithmetic */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */
