import { Lazy } from 'cdk8s';

/**
 * A value computed when the fleet is synthesized, after user code has added everything. cdk8s resolves tokens anywhere
 * in an object, but the typed bindings only admit the value's own type.
 */
export function lazyValue<T>(produce: () => T): T {
  return Lazy.any({ produce }) as unknown as T;
}
