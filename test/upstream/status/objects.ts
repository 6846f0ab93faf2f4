/**
 * Small helpers the status ports share: deep copies, nested field access on `KubeObject`s, Kubernetes times, and the
 * API server's generation rule (kubernetes/apiextensions-apiserver: `metadata.generation` is incremented when the spec
 * of a custom resource with a status subresource changes; status writes never change it).
 */
import type { KubeObject } from '../../../src/kube/types';

export type Json = Record<string, unknown>;

export const clone = <T>(x: T): T => structuredClone(x);

export const isObject = (x: unknown): x is Json => x !== null && typeof x === 'object' && !Array.isArray(x);

/** `metav1.Time` as serialized: RFC 3339, UTC, whole seconds (`conditions.Set` truncates to the second). */
export function k8sTime(at: string | Date): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) {
    throw new Error(`not a time: ${String(at)}`);
  }
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go's `time.Kitchen` layout (`3:04PM`), in UTC. */
export function kitchen(at: string): string {
  const d = new Date(at);
  const h = d.getUTCHours();
  return `${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, '0')}${h < 12 ? 'AM' : 'PM'}`;
}

export function getPath(obj: unknown, ...path: string[]): unknown {
  let node = obj;
  for (const key of path) {
    if (!isObject(node)) {
      return undefined;
    }
    node = node[key];
  }
  return node;
}

export function setPath(obj: Json, path: readonly string[], value: unknown): void {
  let node = obj;
  for (const key of path.slice(0, -1)) {
    if (!isObject(node[key])) {
      node[key] = {};
    }
    node = node[key] as Json;
  }
  if (value === undefined) {
    delete node[path[path.length - 1]];
  } else {
    node[path[path.length - 1]] = value;
  }
}

/** The object's `status`, created when missing. */
export function statusOf(obj: KubeObject): Json {
  if (!isObject(obj.status)) {
    obj.status = {};
  }
  return obj.status as Json;
}

export const specOf = (obj: KubeObject): Json => (isObject(obj.spec) ? obj.spec : (obj.spec = {}) as Json);

export const generationOf = (obj: KubeObject): number => Number(obj.metadata.generation ?? 1);

export const deletionTimestampOf = (obj: KubeObject): string | undefined => obj.metadata.deletionTimestamp as string | undefined;

/** Sets `metadata.generation` one higher when `after`'s spec differs from `before`'s, as the API server does on write. */
export function bumpGenerationOnSpecChange(before: KubeObject, after: KubeObject): void {
  if (JSON.stringify(canonical(before.spec)) !== JSON.stringify(canonical(after.spec))) {
    after.metadata.generation = generationOf(before) + 1;
  }
}

/** JSON with object keys sorted, for comparisons that must ignore key order. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
}

/** Drops `undefined` values and empty objects that Go's `omitempty`/`omitzero` would not serialize. */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(prune) as T;
  }
  if (isObject(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) {
        out[k] = prune(v);
      }
    }
    return out as T;
  }
  return value;
}

/** A tolerant semantic version (`blang/semver` `ParseTolerant`: a leading `v` and missing minor/patch are accepted). */
export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: string;
}

export function parseTolerant(v: string | undefined): Semver | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec((v ?? '').trim());
  return m === null ? undefined : { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '' };
}
