import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import { k8s } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import type { KubeObject } from '../../src/kube/types';

/**
 * The CRDs of Cluster API v1.14, CAPA v2.11 and Argo CD v3.5, beside the project (see ../shared/crds/SOURCES.md):
 * the first `shared/crds` above this file, so that the compiled copy the benchmark runs (lib/test/support) finds it too.
 */
export const CRD_ROOT = findUp(__dirname, path.join('shared', 'crds'));

function findUp(from: string, wanted: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, wanted))) {
      return path.join(dir, wanted);
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no ${wanted} in any folder above ${from}; put ../shared (with its crds/) beside the project`);
    }
  }
}

interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly schema?: { openAPIV3Schema: Record<string, unknown> };
}

interface Crd {
  readonly spec: { group: string; names: { kind: string }; scope: string; versions: CrdVersion[] };
}

/** A Kubernetes object as parsed from YAML (the CLI's own type). */
export type { KubeObject };

/**
 * Built-in kinds (`apiVersion/kind`) of Kubernetes 1.28, from the typed bindings bundled in cdk8s-plus-28. There is
 * no OpenAPI document for core Kubernetes on these machines (`cdk8s import k8s` downloads it), so built-in objects
 * are checked for a real apiVersion/kind and valid metadata; their fields were type-checked by cdk8s-plus-28 when
 * they were built.
 */
export const BUILTIN_KINDS: ReadonlySet<string> = new Set(Object.values(k8s)
  .map((value) => (value as { GVK?: { apiVersion: string; kind: string } }).GVK)
  .filter((gvk): gvk is { apiVersion: string; kind: string } => gvk !== undefined)
  .map((gvk) => `${gvk.apiVersion}/${gvk.kind}`));

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Validates objects against the `openAPIV3Schema` of the **served** version of their CRD, the way the API server
 * would, and stricter in one respect: fields the schema does not know are errors (the API server would drop them
 * silently, which hides mistakes). CEL rules (`x-kubernetes-validations`) cannot be evaluated here; an object that
 * reaches a field guarded by one fails with a message saying so, rather than passing unchecked.
 */
export class CrdSchemas {
  private readonly crds = new Map<string, Crd>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv;

  /** From the CRDs in the YAML files under `source`, or from CRD objects (e.g. those stored in the test API server). */
  constructor(source: string | readonly unknown[] = CRD_ROOT) {
    const crds = typeof source === 'string' ? crdsIn(source) : source;
    for (const crd of crds as Crd[]) {
      if (crd?.spec?.names?.kind) {
        this.crds.set(`${crd.spec.group}/${crd.spec.names.kind}`, crd);
      }
    }
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      formats: {
        'int32': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
        'int64': { type: 'number', validate: (n: number) => Number.isSafeInteger(n) },
        'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
        'duration': /^([0-9.]+(ns|us|µs|ms|s|m|h))+$/,
        'cidr': /^[0-9a-fA-F:.]+\/\d{1,3}$/,
      },
    });
    this.ajv.addKeyword({
      keyword: 'x-kubernetes-validations',
      validate: (rules: ReadonlyArray<{ rule: string }>, data: unknown) => rules.every((r) => CEL_RULES[r.rule]?.(data) ?? false),
      error: { message: 'is guarded by a CEL rule (x-kubernetes-validations) that this validator cannot evaluate, or breaks one it can' },
    });
  }

  /** Every served version of every known CRD, for API discovery. */
  public servedResources(): Array<{ group: string; version: string; kind: string; plural: string; namespaced: boolean }> {
    return [...this.crds.values()].flatMap((crd) => crd.spec.versions.filter((v) => v.served).map((v) => ({
      group: crd.spec.group,
      version: v.name,
      kind: crd.spec.names.kind,
      plural: (crd.spec.names as { plural?: string }).plural ?? `${crd.spec.names.kind.toLowerCase()}s`,
      namespaced: crd.spec.scope === 'Namespaced',
    })));
  }

  /** Whether a CRD for the object's group and kind is known. */
  public knows(apiVersion: string, kind: string): boolean {
    return this.crds.has(`${groupOf(apiVersion)}/${kind}`);
  }

  /** The versions of a kind the API server serves. */
  public servedVersions(group: string, kind: string): string[] {
    return (this.crds.get(`${group}/${kind}`)?.spec.versions ?? []).filter((v) => v.served).map((v) => v.name);
  }

  /** Whether the kind is namespaced (`undefined` when unknown). */
  public isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    const crd = this.crds.get(`${groupOf(apiVersion)}/${kind}`);
    return crd === undefined ? undefined : crd.spec.scope === 'Namespaced';
  }

  /** The `openAPIV3Schema` of the served version `apiVersion` of `kind`, or undefined when it is not a served CRD version. */
  public schemaOf(apiVersion: string, kind: string): Record<string, unknown> | undefined {
    const version = apiVersion.split('/').pop();
    return this.crds.get(`${groupOf(apiVersion)}/${kind}`)?.spec.versions.find((v) => v.name === version && v.served)?.schema?.openAPIV3Schema;
  }

  /** Every problem with `obj`, as `<kind>/<name>: <path> <message>` lines; empty when it is valid. */
  public validate(obj: KubeObject): string[] {
    const where = `${obj?.kind}/${obj?.metadata?.name}`;
    const meta = metadataProblems(obj).map((p) => `${where}: ${p}`);
    if (BUILTIN_KINDS.has(`${obj.apiVersion}/${obj.kind}`)) {
      const namespaceName = obj.kind === 'Namespace' && !(DNS_LABEL.test(obj.metadata.name) && obj.metadata.name.length <= 63);
      return [...meta, ...(namespaceName ? [`${where}: namespace name is not a DNS-1123 label`] : [])];
    }
    const group = groupOf(obj.apiVersion);
    const version = obj.apiVersion.split('/').pop()!;
    const crd = this.crds.get(`${group}/${obj.kind}`);
    if (crd === undefined) {
      return [...meta, `${where}: ${obj.apiVersion} ${obj.kind} is neither a built-in kind of Kubernetes 1.28 nor a CRD in ${CRD_ROOT}`];
    }
    const served = crd.spec.versions.find((v) => v.name === version && v.served);
    if (served === undefined) {
      return [...meta, `${where}: apiVersion ${obj.apiVersion} is not served (served: ${this.servedVersions(group, obj.kind).join(', ')})`];
    }
    if (crd.spec.scope === 'Namespaced' && !obj.metadata.namespace) {
      meta.push(`${where}: namespaced kind without metadata.namespace`);
    }
    const validate = this.validatorFor(`${group}/${obj.kind}/${version}`, served);
    if (validate(obj)) {
      return meta;
    }
    return [...meta, ...(validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '/'} ${e.message}${
      e.keyword === 'additionalProperties' ? ` ("${(e.params as { additionalProperty: string }).additionalProperty}")` : ''}`)];
  }

  private validatorFor(key: string, version: CrdVersion): ValidateFunction {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(strictSchema(structuredClone(version.schema!.openAPIV3Schema)));
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/**
 * The CEL rules of the CRDs that the emitted objects reach, each written out as the rule says (the CEL expression is
 * the key, verbatim from the CRD); any other rule fails validation, so an object reaching one is noticed.
 */
const CEL_RULES: Readonly<Record<string, (self: unknown) => boolean>> = {
  // cluster-api-operator v0.28.0, every provider's `spec`.
  '!(has(self.manifestPatches) && has(self.patches))': (self) => !(has(self, 'manifestPatches') && has(self, 'patches')),
  // cluster-api-operator v0.28.0, every provider's `spec.fetchConfig`.
  '[has(self.oci), has(self.url), has(self.selector)].exists_one(x,x)': (self) => ['oci', 'url', 'selector'].filter((f) => has(self, f)).length === 1,
};

function has(self: unknown, field: string): boolean {
  return self !== null && typeof self === 'object' && (self as Record<string, unknown>)[field] !== undefined;
}

/** Objects with declared properties reject undeclared ones, unless the schema preserves unknown fields. */
function strictSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') {
      return;
    }
    const obj = node as Record<string, unknown>;
    if (obj.properties !== undefined && obj.additionalProperties === undefined && obj['x-kubernetes-preserve-unknown-fields'] !== true) {
      obj.additionalProperties = false;
    }
    for (const value of Object.values(obj)) {
      visit(value);
    }
  };
  visit(schema);
  // metadata is `type: object` in every CRD; it is checked by metadataProblems instead.
  (schema.properties as Record<string, unknown>).metadata = { type: 'object' };
  return schema;
}

function metadataProblems(obj: KubeObject): string[] {
  const found: string[] = [];
  const meta = obj?.metadata;
  if (!meta || typeof meta.name !== 'string' || meta.name.length > 253 || !DNS_SUBDOMAIN.test(meta.name)) {
    found.push(`metadata.name "${meta?.name}" is not a DNS-1123 subdomain`);
  }
  if (meta?.namespace !== undefined && !DNS_LABEL.test(meta.namespace)) {
    found.push(`metadata.namespace "${meta.namespace}" is not a DNS-1123 label`);
  }
  for (const [key, value] of Object.entries(meta?.labels ?? {})) {
    if (typeof value !== 'string' || value.length > 63 || !/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value)) {
      found.push(`label ${key}="${value}" has an invalid value`);
    }
  }
  for (const [key, value] of Object.entries(meta?.annotations ?? {})) {
    if (typeof value !== 'string') {
      found.push(`annotation ${key} is not a string`);
    }
  }
  return found;
}

function groupOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  return parts.length === 1 ? '' : parts[0];
}

/** The documents of the YAML files under each folder, parsed once per process; only read (validators clone their schema). */
const parsedFolders = new Map<string, readonly unknown[]>();

/**
 * The documents of the YAML files under `dir`. Parsing the CRDs' YAML takes over a second and every test file that
 * starts an API server or validates objects needs them, so they are also kept as JSON (parsed in ~30 ms) in the tests'
 * cache folder (see global-setup.ts), under the hash of the files' names and
 * contents: a changed file is parsed again.
 */
function crdsIn(dir: string): readonly unknown[] {
  let docs = parsedFolders.get(dir);
  if (docs === undefined) {
    const files = listYaml(dir).sort();
    const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
    const hash = createHash('sha256');
    files.forEach((file, i) => hash.update(`${path.relative(dir, file)}\0${texts[i]}\0`));
    const cache = path.join(process.env.ARLON_TEST_CACHE ?? path.join(os.tmpdir(), 'cdk8s-arlon-test-cache'), `crds-${hash.digest('hex').slice(0, 32)}.json`);
    docs = readJson(cache);
    if (docs === undefined) {
      docs = texts.flatMap((text) => YAML.parseAllDocuments(text).map((doc) => doc.toJS() as unknown));
      writeJsonAtomically(cache, docs);
    }
    parsedFolders.set(dir, docs);
  }
  return docs;
}

function readJson(file: string): unknown[] | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[];
  } catch {
    return undefined;
  }
}

/** Writes beside the target and renames, so that a test file reading it while another writes never sees half of it. */
function writeJsonAtomically(file: string, value: unknown): void {
  const staged = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(staged, JSON.stringify(value));
    fs.renameSync(staged, file);
  } catch {
    // A read-only temporary folder: the next file parses the YAML again.
    fs.rmSync(staged, { force: true });
  }
}

function listYaml(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listYaml(full) : entry.name.endsWith('.yaml') ? [full] : [];
  });
}
