import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as YAML from 'yaml';
import { CrdObjectSchemas } from './crd-schema-from-object';
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
  /** The version `GET /version` reports, as kube-apiserver's `gitVersion`. @default 'v1.33.4' */
  readonly kubernetesVersion?: string;
  /**
   * A bare cluster: no custom resource group is served at start (`groups` is ignored). A custom resource kind is
   * served (discovery, GET, LIST, PATCH, DELETE) once its CustomResourceDefinition is stored **and** has the condition
   * `Established` True (set through {@link FakeApiServer.setStatus}, e.g. by KubeControllers of ./kube-controllers);
   * its objects are validated against the `openAPIV3Schema` of the stored CRD's version.
   */
  readonly bare?: boolean;
  /** Requests answered 403 Forbidden from the start (see {@link FakeApiServer.forbid}). */
  readonly forbidden?: readonly ForbiddenRequest[];
  /** The user name 403 messages quote. @default 'arlon-test' */
  readonly user?: string;
  /** Called after each request was handled (and recorded), before its response is sent. */
  readonly onRequest?: (request: RecordedRequest) => void;
}

/** The authorization verbs `arlonctl` needs, as kube-apiserver names them. */
export type RequestVerb = 'get' | 'list' | 'patch' | 'delete';

/** Requests the server refuses with 403 Forbidden, as RBAC would. */
export interface ForbiddenRequest {
  readonly verb: RequestVerb;
  /** API group; '' for the core group. */
  readonly group: string;
  /** Resource (plural), e.g. `deployments`. */
  readonly plural: string;
  /** Only in this namespace; every namespace and the cluster scope when omitted. */
  readonly namespace?: string;
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
  /** The stored CRD this kind is served from (bare mode only). */
  readonly crd?: string;
  /** Apply to the main resource leaves `status` alone, and `metadata.generation` is kept (see STATUS_SUBRESOURCE). */
  readonly statusSubresource?: boolean;
}

interface Stored {
  object: KubeObject;
  /** Leaf field paths (".spec.source.repoURL") owned by each field manager. Lists are atomic leaves. */
  owners: Map<string, Set<string>>;
  /** How many times the stored content changed (1 = created once), through the API, `put` or `applyAs`. */
  writes: number;
  /** How many times `setStatus` changed the status (writes of controllers to the status subresource). */
  statusWrites?: number;
}

/** The CRDs of ../shared/crds, read once per test file: every server validates against the same ones. */
let sharedSchemas: CrdSchemas | undefined;
/**
 * What a bare cluster validates its built-in kinds with: none of those CRDs (it serves none of them), so its servers
 * do not read them. Built-in kinds are checked by kind and metadata alone, which no CRD of those groups changes.
 */
let noSchemas: CrdSchemas | undefined;

const CORE: Resource[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
];
/**
 * Built-in kinds a bootstrap installs, served in every mode and stored without schema validation (metadata is
 * checked). `statusSubresource`: the kind has a `/status` subresource in kube-apiserver, so apply to the main resource
 * does not change `status`, and `metadata.generation` counts changes of the spec (of everything but metadata and
 * status). Namespace, Secret and ConfigMap (CORE) keep the behaviour they always had here.
 */
const BUILTIN: Resource[] = [
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, statusSubresource: true },
  { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false, statusSubresource: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, statusSubresource: true },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, statusSubresource: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
];
/** Built-in kinds whose `metadata.generation` kube-apiserver maintains (their registry strategies set it). */
const GENERATION_KINDS = new Set(['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'networking.k8s.io/v1/NetworkPolicy']);
const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
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
  /** Called after each request was handled (and recorded), before its response is sent; replaceable at any time. */
  public onRequest?: (request: RecordedRequest) => void;
  private readonly store = new Map<string, Stored>();
  private readonly resources: Resource[];
  private readonly schemas: CrdSchemas;
  private readonly crdObjectSchemas = new CrdObjectSchemas();
  private forbidden: ForbiddenRequest[];
  /** TCP connections accepted (with HTTPS, including those whose TLS handshake failed). */
  public connections = 0;
  private readonly server: http.Server | https.Server;
  private random: () => number;
  private faults: FaultOptions;
  private resourceVersion = 1;
  private uid = 0;

  constructor(private readonly options: FakeApiServerOptions = {}) {
    this.schemas = options.bare ? (noSchemas ??= new CrdSchemas([])) : (sharedSchemas ??= new CrdSchemas());
    const groups = new Set(options.bare ? [] : options.groups ?? DEFAULT_GROUPS);
    this.resources = [...CORE, ...BUILTIN, ...this.schemas.servedResources().filter((r) => groups.has(r.group))];
    this.forbidden = [...options.forbidden ?? []];
    this.onRequest = options.onRequest;
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

  /** Whether an object is stored (without copying it: CRDs run to megabytes). */
  public has(apiVersion: string, kind: string, name: string, namespace?: string): boolean {
    return this.store.has(keyOf(apiVersion, kind, namespace, name));
  }

  /** A stored object. */
  public get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    const stored = this.store.get(keyOf(apiVersion, kind, namespace, name));
    return stored && structuredClone(stored.object);
  }

  /**
   * How many times an object's content was written (1: created and never changed): changes made through the API
   * (apply, by arlonctl or anyone), and by `put` and `applyAs`, which play other clients. Status written by
   * controllers through {@link setStatus} is not counted here, but in {@link statusWrites}.
   */
  public writes(apiVersion: string, kind: string, name: string, namespace?: string): number {
    return this.store.get(keyOf(apiVersion, kind, namespace, name))?.writes ?? 0;
  }

  /** How many times {@link setStatus} changed an object's status (writes of controllers to its status subresource). */
  public statusWrites(apiVersion: string, kind: string, name: string, namespace?: string): number {
    return this.store.get(keyOf(apiVersion, kind, namespace, name))?.statusWrites ?? 0;
  }

  /** Every stored object of a kind. */
  public all(kind: string): KubeObject[] {
    return [...this.store.values()].filter((s) => s.object.kind === kind).map((s) => structuredClone(s.object));
  }

  /**
   * Every stored object, optionally of one apiVersion, kind and namespace, sorted by kind, namespace and name: copies,
   * or with `copy` false the stored objects themselves, for controllers that only read them (CRDs run to megabytes).
   */
  public objects(filter: { readonly apiVersion?: string; readonly kind?: string; readonly namespace?: string } = {}, copy = true): KubeObject[] {
    return [...this.store.values()].map((s) => s.object)
      .filter((o) => (filter.apiVersion === undefined || o.apiVersion === filter.apiVersion)
        && (filter.kind === undefined || o.kind === filter.kind)
        && (filter.namespace === undefined || o.metadata.namespace === filter.namespace))
      // Keys built once per object, not per comparison: the controllers sort the store on every pass.
      .map((o) => ({ o, key: `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}` }))
      .sort((a, b) => a.key.localeCompare(b.key))
      .map(({ o }) => (copy ? structuredClone(o) : o));
  }

  /**
   * Replaces an object's `status`, as a controller writing the status subresource does: bumps its resourceVersion,
   * leaves spec, metadata.generation and field ownership alone, and counts in {@link statusWrites}, not in
   * {@link writes}. No-op (returning the object) when the status is unchanged. Throws when there is no such object.
   */
  public setStatus(apiVersion: string, kind: string, name: string, namespace: string | undefined, status: unknown): KubeObject {
    const stored = this.store.get(keyOf(apiVersion, kind, namespace, name));
    if (stored === undefined) {
      throw new Error(`setStatus: no ${kind} ${namespace ? `${namespace}/` : ''}${name} (${apiVersion})`);
    }
    if (JSON.stringify(stored.object.status) === JSON.stringify(status)) {
      return structuredClone(stored.object);
    }
    // Stored objects are never changed in place: the new version shares the unchanged parts (a CRD runs to megabytes).
    const object: KubeObject = { ...stored.object, metadata: { ...stored.object.metadata, resourceVersion: String(++this.resourceVersion) } };
    if (status === undefined) {
      delete object.status;
    } else {
      object.status = structuredClone(status);
    }
    this.store.set(keyOf(apiVersion, kind, namespace, name), { ...stored, object, statusWrites: (stored.statusWrites ?? 0) + 1 });
    return structuredClone(object);
  }

  /**
   * Answers requests with `verb` on `plural` of `group` ('' for core) with 403 Forbidden from now on, in `namespace`
   * only when given, with kube-apiserver's message, e.g. `deployments.apps "argocd-server" is forbidden: User
   * "arlon-test" cannot patch resource "deployments" in API group "apps" in the namespace "argocd"`.
   */
  public forbid(verb: RequestVerb, group: string, plural: string, namespace?: string): void {
    this.forbidden.push({ verb, group, plural, namespace });
  }

  /** Lifts {@link forbid} rules: those matching the arguments given, or all. */
  public allow(verb?: RequestVerb, group?: string, plural?: string): void {
    this.forbidden = this.forbidden.filter((f) => !((verb === undefined || f.verb === verb) && (group === undefined || f.group === group)
      && (plural === undefined || f.plural === plural)));
  }

  /**
   * Kinds served now: built-ins, the CRD kinds of the default mode and, on a bare cluster, the served versions of
   * every stored CRD that is Established (names from `status.acceptedNames`, falling back to `spec.names`).
   */
  public servedResources(): Array<{ group: string; version: string; kind: string; plural: string; namespaced: boolean }> {
    return this.served().map(({ group, version, kind, plural, namespaced }) => ({ group, version, kind, plural, namespaced }));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams.entries());
    const body = await readBody(req);
    const record = (status: number, fault?: string) => {
      const recorded: RecordedRequest = { method: req.method ?? '', path: url.pathname, query, contentType: req.headers['content-type'], status, fault };
      this.requests.push(recorded);
      this.onRequest?.(recorded);
    };
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
    if (method === 'GET' && parts.length === 1 && ['version', 'api', 'apis'].includes(parts[0])) {
      return [200, parts[0] === 'version' ? this.version() : parts[0] === 'api' ? this.apiVersions() : this.apiGroupList()];
    }
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
    const served = this.served().filter((r) => r.group === group && r.version === version);
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
    const refused = this.refusal(method, resource, namespace, name);
    if (refused !== undefined) {
      return refused;
    }
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
          const deleted = this.store.get(key)!.object;
          this.store.delete(key);
          if (this.options.bare && resource.kind === 'CustomResourceDefinition') {
            this.removeCustomResourcesOf(deleted);
          }
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
      .map((o) => ({ o, key: `${o.metadata.namespace ?? ''}/${o.metadata.name}` }))
      .sort((a, b) => a.key.localeCompare(b.key))
      .map(({ o }) => o);
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
      obj = parseJsonOrYaml(body) as KubeObject;
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
    const problems = resource.crd === undefined ? this.validate(obj)
      : this.validateCustomResource(resource, { ...obj, metadata: { ...obj.metadata, namespace } });
    if (problems.length > 0) {
      return [422, {
        ...statusBody(422, 'Invalid', `${resource.kind} "${name}" is invalid: ${problems.join('; ')}`),
        details: { name, kind: resource.plural, causes: problems.map((message) => ({ reason: 'FieldValueInvalid', message })) },
      }];
    }
    const existed = this.store.has(keyOf(apiVersion, resource.kind, namespace, name));
    const result = this.apply({ ...obj, metadata: { ...obj.metadata, namespace } }, query.fieldManager, query.force === 'true', query.dryRun === 'All', resource);
    if ('error' in result) {
      return [409, result.error];
    }
    return [existed ? 200 : 201, result.object];
  }

  /** kube-apiserver's `GET /version` (k8s.io/apimachinery/pkg/version.Info). */
  private version(): Record<string, string> {
    const gitVersion = this.options.kubernetesVersion ?? 'v1.33.4';
    const [, major = '1', minor = '33'] = /^v(\d+)\.(\d+)/.exec(gitVersion) ?? [];
    // Providers' builds (v1.33.4-eks-1234567) report the minor version with a "+", as EKS does.
    const suffix = gitVersion.includes('-') ? '+' : '';
    return {
      major,
      minor: `${minor}${suffix}`,
      emulationMajor: major,
      emulationMinor: minor,
      minCompatibilityMajor: major,
      minCompatibilityMinor: String(Math.max(0, Number(minor) - 1)),
      gitVersion,
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2025-08-12T00:00:00Z',
      goVersion: 'go1.24.5',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }

  /** `GET /api`: the versions of the core group. */
  private apiVersions(): unknown {
    const address = this.server.address() as AddressInfo | null;
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${address?.port ?? 0}` }],
    };
  }

  /** `GET /apis`: the groups served now, each with its versions, the preferred one (by Kubernetes version priority) first. */
  private apiGroupList(): unknown {
    const groups = new Map<string, Set<string>>();
    for (const r of this.served().filter((x) => x.group !== '')) {
      groups.set(r.group, (groups.get(r.group) ?? new Set()).add(r.version));
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => {
        const sorted = [...versions].sort(compareKubeVersions).map((version) => ({ groupVersion: `${name}/${version}`, version }));
        return { name, versions: sorted, preferredVersion: sorted[0] };
      }),
    };
  }

  /** Kinds served now (see {@link servedResources}). */
  private served(): Resource[] {
    if (!this.options.bare) {
      return this.resources;
    }
    const custom: Resource[] = [];
    for (const { object: crd } of this.store.values()) {
      if (crd.apiVersion !== CRD_API_VERSION || crd.kind !== 'CustomResourceDefinition' || !conditionTrue(crd, 'Established')) {
        continue;
      }
      const spec = crd.spec as CrdSpec;
      const accepted = (crd.status as { acceptedNames?: Partial<CrdSpec['names']> } | undefined)?.acceptedNames ?? {};
      for (const v of spec.versions ?? []) {
        if (v.served) {
          custom.push({
            group: spec.group,
            version: v.name,
            kind: accepted.kind || spec.names.kind,
            plural: accepted.plural || spec.names.plural,
            namespaced: spec.scope === 'Namespaced',
            crd: crd.metadata.name,
            statusSubresource: v.subresources?.status !== undefined,
          });
        }
      }
    }
    return [...this.resources, ...custom];
  }

  private resourceOf(apiVersion: string, kind: string): Resource | undefined {
    const slash = apiVersion.indexOf('/');
    const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
    return this.served().find((r) => r.group === group && r.version === version && r.kind === kind);
  }

  /** 403 Forbidden, as kube-apiserver words it (k8s.io/apiserver responsewriters.forbiddenMessage, errors.NewForbidden). */
  private refusal(method: string, resource: Resource, namespace: string | undefined, name: string | undefined): [number, unknown] | undefined {
    const verbs: Record<string, RequestVerb | undefined> = { GET: name === undefined ? 'list' : 'get', PATCH: 'patch', DELETE: 'delete' };
    const verb = verbs[method];
    const rule = this.forbidden.find((f) => f.verb === verb && f.group === resource.group && f.plural === resource.plural
      && (f.namespace === undefined || f.namespace === namespace));
    if (rule === undefined) {
      return undefined;
    }
    const qualified = resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
    const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
    const message = `${qualified}${name === undefined ? '' : ` "${name}"`} is forbidden: User "${this.options.user ?? 'arlon-test'}" `
      + `cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${scope}`;
    return [403, {
      ...statusBody(403, 'Forbidden', message),
      details: { ...(name === undefined ? {} : { name }), ...(resource.group === '' ? {} : { group: resource.group }), kind: resource.plural },
    }];
  }

  /** Bare mode: problems of a custom resource against the schema of its stored CRD. */
  private validateCustomResource(resource: Resource, obj: KubeObject): string[] {
    const crd = this.store.get(keyOf(CRD_API_VERSION, 'CustomResourceDefinition', undefined, resource.crd!))?.object;
    return crd === undefined ? [`${obj.kind}/${obj.metadata.name}: its CustomResourceDefinition ${resource.crd} is gone`]
      : this.crdObjectSchemas.validate(crd, obj);
  }

  /** Deleting a CRD deletes its custom resources (kube-apiserver's customresourcecleanup finalizer). */
  private removeCustomResourcesOf(crd: KubeObject): void {
    const spec = crd.spec as CrdSpec;
    for (const [key, { object }] of [...this.store]) {
      if (object.apiVersion.startsWith(`${spec.group}/`) && object.kind === spec.names.kind) {
        this.store.delete(key);
      }
    }
  }

  private validate(obj: KubeObject): string[] {
    if (obj.kind === 'Secret') {
      const data = (obj.data ?? {}) as Record<string, unknown>;
      return Object.entries(data).filter(([, v]) => typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)).map(([k]) => `data[${k}] is not base64`);
    }
    return obj.apiVersion === 'v1' ? [] : this.schemas.validate(obj);
  }

  private apply(sent: KubeObject, manager: string, force: boolean, dryRun: boolean, resource = this.resourceOf(sent.apiVersion, sent.kind)):
  { object: KubeObject } | { error: { kind: string; status: string; code: number; reason: string; message: string; details: unknown } } {
    const key = keyOf(sent.apiVersion, sent.kind, sent.metadata.namespace, sent.metadata.name);
    const stored = this.store.get(key);
    // Apply to the main resource of a kind with a status subresource ignores status, as kube-apiserver's strategies do.
    const { status: _ignored, ...withoutStatus } = sent;
    const obj = (resource?.statusSubresource ? withoutStatus : sent) as KubeObject;
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
    if (resource?.statusSubresource && stored === undefined) {
      prepareForCreate(next);
    }
    if (resource !== undefined && (resource.crd !== undefined || GENERATION_KINDS.has(`${obj.apiVersion}/${obj.kind}`))) {
      applyServerDefaults(next);
      next.metadata.generation = stored === undefined ? 1
        : ((stored.object.metadata.generation as number | undefined) ?? 1) + (specChanged(stored.object, next, resource) ? 1 : 0);
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
      this.store.set(key, { object: next, owners, writes: (stored?.writes ?? 0) + (changed ? 1 : 0), statusWrites: stored?.statusWrites });
    }
    return { object: structuredClone(next) };
  }
}

interface CrdSpec {
  group: string;
  names: { kind: string; plural: string; singular?: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  scope: string;
  versions?: Array<{ name: string; served: boolean; storage?: boolean; subresources?: { status?: unknown } }>;
}

function conditionTrue(obj: KubeObject, type: string): boolean {
  const conditions = (obj.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === type && c.status === 'True');
}

/** `status` of a new object of a kind with a status subresource, as kube-apiserver's `PrepareForCreate` leaves it. */
function prepareForCreate(obj: KubeObject): void {
  if (obj.kind === 'CustomResourceDefinition') {
    // apiextensions-apiserver pkg/registry/customresourcedefinition/strategy.go: status cleared, storedVersions set.
    const storage = ((obj.spec as CrdSpec | undefined)?.versions ?? []).find((v) => v.storage)?.name;
    obj.status = { acceptedNames: { kind: '', plural: '' }, storedVersions: storage === undefined ? [] : [storage] };
  } else if (obj.kind === 'Deployment') {
    obj.status = {};
  } else if (obj.kind === 'StatefulSet') {
    obj.status = { replicas: 0, availableReplicas: 0 };
  } else if (obj.kind === 'Service') {
    obj.status = { loadBalancer: {} };
  }
}

/**
 * The defaults kube-apiserver gives the fields of Deployments and StatefulSets that their status and `kubectl rollout
 * status` read (k8s.io/kubernetes pkg/apis/apps/v1/defaults.go).
 */
function applyServerDefaults(obj: KubeObject): void {
  type Fields = Record<string, unknown>;
  const spec = obj.spec as Fields | undefined;
  if (spec === null || typeof spec !== 'object' || (obj.kind !== 'Deployment' && obj.kind !== 'StatefulSet')) {
    return;
  }
  const objectAt = (parent: Fields, key: string): Fields => {
    if (parent[key] === null || typeof parent[key] !== 'object') {
      parent[key] = {};
    }
    return parent[key] as Fields;
  };
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  if (obj.kind === 'Deployment') {
    spec.progressDeadlineSeconds ??= 600;
    const strategy = objectAt(spec, 'strategy');
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = objectAt(strategy, 'rollingUpdate');
      rollingUpdate.maxUnavailable ??= '25%';
      rollingUpdate.maxSurge ??= '25%';
    }
  } else {
    spec.podManagementPolicy ??= 'OrderedReady';
    const strategy = objectAt(spec, 'updateStrategy');
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      objectAt(strategy, 'rollingUpdate').partition ??= 0;
    }
  }
}

/**
 * Whether `metadata.generation` goes up: a change of anything but metadata and status (of anything but metadata for
 * custom resources without a status subresource); Deployments count annotation changes too (apps strategy).
 */
function specChanged(before: KubeObject, after: KubeObject, resource: Resource): boolean {
  const significant = (o: KubeObject) => {
    const { metadata, status, ...rest } = o;
    return JSON.stringify([rest, resource.statusSubresource || resource.crd === undefined ? undefined : status,
      o.kind === 'Deployment' ? metadata.annotations : undefined]);
  };
  return significant(before) !== significant(after);
}

/** Kubernetes version priority (k8s.io/apimachinery version.CompareKubeAwareVersionStrings): GA, then beta, then alpha, newest first. */
function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (m === null) {
      return [3, 0, 0];
    }
    return [m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.localeCompare(b);
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

/**
 * A request body as YAML, of which JSON is a subset: JSON (what the clients send) is read as JSON first, the same object
 * many times faster (the management plane's CRDs run to megabytes); anything else as YAML.
 */
function parseJsonOrYaml(body: string): unknown {
  if (body.trimStart().startsWith('{')) {
    try {
      return JSON.parse(body);
    } catch {
      // not JSON: YAML decides
    }
  }
  return YAML.parse(body);
}
