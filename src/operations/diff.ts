import type { KubeObject } from '../kube/types';

/** Fields the API server sets on its own; they are not part of what the fleet declares. */
const SERVER_FIELDS = ['resourceVersion', 'generation', 'uid', 'creationTimestamp', 'managedFields', 'selfLink'];

/** The object without status and server-set metadata, for comparing a declared object with a stored one. */
export function declaredPart(obj: KubeObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = obj;
  const cleanMetadata = Object.fromEntries(Object.entries(metadata).filter(([key]) => !SERVER_FIELDS.includes(key)));
  return { ...rest, metadata: cleanMetadata };
}

/** The paths (`.spec.source.targetRevision`) at which two JSON values differ, sorted. */
export function changedFields(before: unknown, after: unknown, at = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedFields(before[key], after[key], `${at}.${key}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [at || '.'];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
