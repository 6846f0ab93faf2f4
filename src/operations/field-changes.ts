import { changedFields } from './diff';

/**
 * How two values differ, field by field, in words a reviewer reads: `ingress.hostname: a.example -> b.example`, and
 * for a list the elements added and removed (`sourceRepos: +https://charts.example.com, -https://old.example.com`)
 * rather than the list as JSON. Nothing is cut short: a plan is read before a change reaches every cluster. `fields`,
 * when the caller has them already, are the changed fields to describe.
 */
export function fieldChanges(before: unknown, after: unknown, fields: readonly string[] = changedFields(before, after)): string[] {
  return fields.map((field) => {
    const name = field === '.' ? '(whole value)' : field.slice(1);
    const [old, now] = [valueAt(before, field), valueAt(after, field)];
    if (Array.isArray(old) || Array.isArray(now)) {
      const [b, a] = [listOf(old).map(element), listOf(now).map(element)];
      const changes = [...a.filter((x) => !b.includes(x)).map((x) => `+${x}`), ...b.filter((x) => !a.includes(x)).map((x) => `-${x}`)];
      return `${name}: ${changes.length > 0 ? changes.join(', ') : 'same elements, new order'}`;
    }
    return `${name}: ${scalar(old)} -> ${scalar(now)}`;
  });
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** A list element: a string as it is, a flat object as `key=value` pairs, anything else as JSON. */
function element(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  }
  return JSON.stringify(value);
}

function scalar(value: unknown): string {
  return value === undefined ? '(unset)' : typeof value === 'string' ? value : JSON.stringify(value);
}

/** The value at a `.a.b` path such as `changedFields` gives; a key may hold dots itself (`.metadata.annotations.arlon.io/retired`). */
export function valueAt(value: unknown, field: string): unknown {
  if (field === '.') {
    return value;
  }
  let node: unknown = value;
  let rest = field.slice(1);
  while (rest !== '') {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      return undefined;
    }
    // a key may hold dots itself (`arlon.io/retired`): take the longest key of this object that the path starts with
    const record = node as Record<string, unknown>;
    const key = Object.keys(record).filter((k) => rest === k || rest.startsWith(`${k}.`)).sort((x, y) => y.length - x.length)[0];
    if (key === undefined) {
      return undefined;
    }
    node = record[key];
    rest = rest.slice(key.length + 1);
  }
  return node;
}
