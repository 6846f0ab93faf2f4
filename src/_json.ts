import { createHash } from 'crypto';
import { compareStrings } from './_order';

/** 12 hex digits of the SHA-256 of `value`'s `stableJson`: a short name for a content (what `git log --abbrev=12` shows). */
export function contentId(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 12);
}

/** JSON with object keys sorted at every level, so equal data always gives the same string. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isPlainObject(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => compareStrings(a, b)))
    : v));
}

/**
 * Whether `value` is a plain object (not an array, null or a class instance). Realm-independent: objects made by
 * `structuredClone` or in another vm context have another `Object.prototype`, so the test is "its prototype is the
 * root of a prototype chain".
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/**
 * Merges `over` into `base` the way Helm merges values files: maps merge key by key, anything else (lists, scalars,
 * null) in `over` replaces what `base` has. Neither input is changed.
 */
export function mergeValues(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

/**
 * Why `value` cannot be written as YAML data that Helm reads back the same, naming the path of the first offending
 * value (e.g. `ingress.hosts[0]`), or undefined when it can: a cycle, a function, symbol or bigint, a number that is
 * not finite, a class instance (a Date, a Map), or the key `<<`, which YAML 1.1 readers take as a merge.
 */
export function plainDataProblem(value: unknown, path = ''): string | undefined {
  const seen = new Set<unknown>();
  const at = (p: string) => (p === '' ? 'the value' : p);
  const walk = (v: unknown, p: string): string | undefined => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') {
      return undefined;
    }
    if (typeof v === 'number') {
      return Number.isFinite(v) ? undefined : `${at(p)} is ${v}, which YAML and JSON cannot carry as a number`;
    }
    if (typeof v !== 'object') {
      return `${at(p)} is a ${typeof v}, not data`;
    }
    if (seen.has(v)) {
      return `${at(p)} refers back to an object that contains it (a cycle)`;
    }
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = walk(v[i], `${p}[${i}]`);
        if (found !== undefined) {
          return found;
        }
      }
    } else if (!isPlainObject(v)) {
      return `${at(p)} is a ${(v as object).constructor?.name ?? 'class instance'}, not plain data (use strings, numbers, booleans, lists and objects)`;
    } else {
      for (const [key, child] of Object.entries(v)) {
        const childPath = p === '' ? key : `${p}.${key}`;
        if (key === '<<') {
          return `${childPath} uses the key "<<", which YAML 1.1 readers take as a merge of another map`;
        }
        if (child !== undefined) {
          const found = walk(child, childPath);
          if (found !== undefined) {
            return found;
          }
        }
      }
    }
    seen.delete(v);
    return undefined;
  };
  return walk(value, path);
}
