import type { KubeObject } from './types';

/** A field of a Secret's `data`, decoded from base64, or undefined when it has none. */
export function secretField(secret: KubeObject, field: string): string | undefined {
  const value = (secret.data as Record<string, string> | undefined)?.[field];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}
