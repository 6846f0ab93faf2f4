/**
 * Every small change to a manifest that a schema-aware probe can think of, to find out by running the ported update
 * webhooks what they refuse, rather than listing it by hand: for each field present, each other enum value, a
 * version one minor lower and higher, a different string, number or boolean, a list without its last item or with
 * one more, and the field removed; for each property the schema allows on an object present, the property added.
 */
import type { StructuralSchema } from './crd-defaulting';

/** One changed copy of a manifest. */
export interface Mutation {
  /** Dotted path of what changed, e.g. `spec.accessConfig.authenticationMode`. */
  readonly path: string;
  /** What was done, e.g. `"api" -> "config_map"`. */
  readonly change: string;
  readonly manifest: Record<string, unknown>;
}

interface Schema extends StructuralSchema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A plausible value for a property the manifest does not have. */
function sample(schema: Schema): unknown {
  if (schema.enum !== undefined) {
    return schema.enum[0];
  }
  switch (schema.type) {
    case 'string':
      return 'probe';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return schema.items === undefined ? [] : [sample(schema.items as Schema)];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, sample((schema.properties?.[key] ?? {}) as Schema)]));
    default:
      return 'probe';
  }
}

/** Other values for a leaf. */
function alternatives(value: unknown, schema: Schema | undefined): unknown[] {
  if (schema?.enum !== undefined) {
    return schema.enum.filter((v) => v !== value);
  }
  if (typeof value === 'boolean') {
    return [!value];
  }
  if (typeof value === 'number') {
    return value > 0 ? [value + 1, value - 1] : [value + 1];
  }
  if (typeof value === 'string') {
    const version = /^v(\d+)\.(\d+)(.*)$/.exec(value);
    if (version !== null) {
      return [`v${version[1]}.${Number(version[2]) - 1}${version[3]}`, `v${version[1]}.${Number(version[2]) + 1}${version[3]}`];
    }
    const cidr = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(value);
    if (cidr !== null) {
      return [`${cidr[1]}.${(Number(cidr[2]) + 1) % 256}.${cidr[3]}.${cidr[4]}/${cidr[5]}`];
    }
    return [`${value}-probe`];
  }
  return [];
}

function setAt(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(root);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) {
      node.splice(Number(last), 1);
    } else {
      delete node[last];
    }
  } else {
    node[last] = value;
  }
  return copy;
}

const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

/** Every mutation of `manifest` under `spec`, guided by the kind's schema, except under the paths in `skip`. */
export function mutationsOf(manifest: Record<string, unknown>, schema: StructuralSchema, skip: readonly string[] = []): Mutation[] {
  const found: Mutation[] = [];
  const visit = (value: unknown, node: Schema | undefined, path: (string | number)[]) => {
    const dotted = path.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.').replace(/\.\[/g, '[');
    if (skip.includes(dotted)) {
      return;
    }
    if (path.length > 1) {
      found.push({ path: dotted, change: `${show(value)} -> (unset)`, manifest: setAt(manifest, path, undefined) });
    }
    if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        visit(child, node?.properties?.[key] as Schema | undefined, [...path, key]);
      }
      for (const [key, prop] of Object.entries(node?.properties ?? {})) {
        if (!(key in value) && !skip.includes(`${dotted}.${key}`)) {
          const added = sample(prop as Schema);
          found.push({ path: `${dotted}.${key}`, change: `(unset) -> ${show(added)}`, manifest: setAt(manifest, [...path, key], added) });
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, node?.items as Schema | undefined, [...path, i]));
      if (node?.items !== undefined) {
        const extra = value.length > 0 ? structuredClone(value[value.length - 1]) : sample(node.items as Schema);
        found.push({ path: dotted, change: 'one item more', manifest: setAt(manifest, path, [...value, extra]) });
      }
    } else {
      for (const other of alternatives(value, node)) {
        found.push({ path: dotted, change: `${show(value)} -> ${show(other)}`, manifest: setAt(manifest, path, other) });
      }
    }
  };
  visit(manifest.spec, (schema.properties?.spec as Schema | undefined), ['spec']);
  return found;
}
