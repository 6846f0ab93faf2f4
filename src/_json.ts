import { compareStrings } from './_order';

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
