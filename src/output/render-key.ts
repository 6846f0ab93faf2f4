import { createHash, hash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as l1 from '../l1';

/**
 * Render keys: a digest of everything a file of dist/ is made from, so that a re-synth can tell that a file is
 * unchanged without serializing it to YAML, and, for most objects, without rendering it at all (see `render-cache.ts`).
 *
 * Two keys are the same only when the files are: a key covers the rendering code (the versions of cdk8s, cdk8s-plus
 * and yaml, and the text of this library's renderer and generated bindings), whether credentials are allowed, and the
 * data, serialized so that values JSON cannot tell apart (`undefined` and a missing key, `NaN` and `null`, `-0` and
 * `0`) stay apart. Data with anything but plain objects, arrays and primitives (a `Map`, a `Date`, a class instance
 * such as a `Lazy`) has no key, and is always rendered.
 */

/** Thrown by `canonical` for data it cannot key; never escapes this module. */
const NOT_PLAIN = Symbol('not plain data');

/** Prefix of the in-band markers; strings that start with it are escaped, so no string can pass for a marker. */
const MARK = '\u0000';

function canonical(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  switch (typeof original) {
    case 'undefined':
      return `${MARK}undefined`;
    case 'number':
      return Number.isFinite(original) && !Object.is(original, -0) ? original : `${MARK}${Object.is(original, -0) ? '-0' : original}`;
    case 'string':
      return original.startsWith(MARK) ? `${MARK}${original}` : original;
    case 'boolean':
      return original;
    case 'object': {
      if (original === null) {
        return null;
      }
      const prototype: unknown = Object.getPrototypeOf(original);
      if (prototype === Object.prototype || prototype === Array.prototype || prototype === null) {
        return value;
      }
      throw NOT_PLAIN;
    }
    default:
      // functions, symbols, bigints: JSON would drop or refuse them, YAML would not
      throw NOT_PLAIN;
  }
}

/** The JSON of `data` with every value told apart (see above), or undefined when it holds anything but plain data. */
function canonicalJson(data: unknown): string | undefined {
  try {
    return JSON.stringify(data, canonical);
  } catch (error) {
    if (error === NOT_PLAIN) {
      return undefined;
    }
    throw error;
  }
}

let renderingCode: string | undefined;

/**
 * A digest of the code that turns data into file content: change any of it, and every key changes. Read once per
 * process: about 5 MB of generated bindings, a few milliseconds.
 */
export function renderingFingerprint(): string {
  if (renderingCode === undefined) {
    const code = createHash('sha1');
    code.update(`format 1; sort ${process.env.CDK8S_DISABLE_SORT ? 'off' : 'on'}\n`);
    for (const pkg of ['cdk8s', 'cdk8s-plus-28', 'yaml']) {
      const manifest = JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string };
      code.update(`${pkg}@${manifest.version}\n`);
    }
    const sources = [
      ...['render', 'render-key'].map((name) => path.join(__dirname, name)),
      path.join(__dirname, '..', '_credentials'),
    ].map((base) => [`${base}.ts`, `${base}.js`].find((file) => fs.existsSync(file))!);
    const imports = path.join(__dirname, '..', '..', 'imports');
    for (const file of [...sources, ...fs.readdirSync(imports).sort().map((name) => path.join(imports, name))]) {
      if (/\.(ts|js)$/.test(file) && !file.endsWith('.d.ts')) {
        code.update(fs.readFileSync(file));
      }
    }
    renderingCode = code.digest('base64');
  }
  return renderingCode;
}

/** The key of a file made from `data` (a DistFile's data, or an object's JSON). */
export function dataKey(data: unknown, allowSecrets: boolean): string | undefined {
  const json = canonicalJson(data);
  return json === undefined ? undefined : digest(`data ${allowSecrets}`, json);
}

/**
 * The key of an object's file computed from what its `toJson()` is made of, without running it: its class's
 * rendering, its props and its metadata. Only for objects whose rendering is known to be a function of those alone:
 * the bindings of cdk8s-plus-28 and those of `imports/` the library emits (or `ApiObject` itself), no JSON patches, the app's default
 * resolvers, and plain data throughout (a `Lazy` anywhere means no key). Otherwise undefined: the caller renders the
 * object and keys its JSON with `dataKey`.
 */
export function inputKey(object: ApiObject, allowSecrets: boolean): string | undefined {
  const rendering = knownRenderings().get((object as unknown as { toJson: unknown }).toJson);
  // `props` and `patches` are cdk8s' own (private) fields; without them, the object is rendered as usual.
  const { props, patches } = object as unknown as { props?: unknown; patches?: unknown };
  if (rendering === undefined || !Array.isArray(patches) || patches.length > 0 || props === undefined || !defaultResolvers(object)) {
    return undefined;
  }
  const json = canonicalJson([metadataInputs(object), props]);
  return json === undefined ? undefined : digest(`object ${rendering} ${allowSecrets}`, json);
}

function digest(what: string, json: string): string {
  // one call: each `update()` of a streaming hash crosses into C++, which costs more than hashing a small object
  return hash('sha1', `${renderingFingerprint()} ${what}\n${json}`, 'base64');
}

/**
 * What the object's `metadata.toJson()` is made of: the fields of cdk8s' metadata definition, read directly, since
 * resolving them costs more than the rest of the key. When cdk8s keeps them otherwise, the rendered metadata itself.
 */
function metadataInputs(object: ApiObject): unknown {
  const fields = object.metadata as unknown as Record<string, unknown>;
  const own = ['labels', 'annotations', 'finalizers', 'ownerReferences', '_additionalAttributes'];
  if (own.every((field) => fields[field] !== null && typeof fields[field] === 'object')) {
    return Object.fromEntries(['name', 'namespace', ...own].map((field) => [field, fields[field]]));
  }
  return object.metadata.toJson();
}

let renderings: Map<unknown, string> | undefined;

/** The `toJson` of every class whose rendering is a pure function of its props, by a name unique to it. */
function knownRenderings(): Map<unknown, string> {
  if (renderings === undefined) {
    renderings = new Map<unknown, string>([[ApiObject.prototype.toJson, 'cdk8s.ApiObject']]);
    const modules: Record<string, Record<string, unknown>> = { 'cdk8s-plus-28.k8s': k8s, 'cdk8s-arlon.l1': l1 };
    for (const [moduleName, exports] of Object.entries(modules)) {
      for (const [name, value] of Object.entries(exports)) {
        const prototype = (value as { prototype?: unknown } | undefined)?.prototype;
        if (typeof value === 'function' && ApiObject.prototype.isPrototypeOf(prototype as object) && Object.prototype.hasOwnProperty.call(prototype, 'toJson')) {
          renderings.set((prototype as { toJson: unknown }).toJson, `${moduleName}.${name}`);
        }
      }
    }
  }
  return renderings;
}

/** Whether each chart's app resolves with the default resolvers: asked once per chart, not once per object. */
const DEFAULT_RESOLVERS = new WeakMap<object, boolean>();

/** Whether the object's app resolves values with cdk8s' default resolvers only (custom ones may rewrite any value). */
function defaultResolvers(object: ApiObject): boolean {
  let answer = DEFAULT_RESOLVERS.get(object.chart);
  if (answer === undefined) {
    const resolvers = App.of(object.chart).resolvers;
    answer = resolvers.length === 3 && resolvers[0] instanceof LazyResolver && resolvers[1] instanceof ImplicitTokenResolver
      && resolvers[2] instanceof NumberStringUnionResolver;
    DEFAULT_RESOLVERS.set(object.chart, answer);
  }
  return answer;
}
