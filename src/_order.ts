/**
 * Code-point order for strings. Output order must not depend on the ICU version or locale of the machine that
 * synthesizes, which `localeCompare` does.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders things by their `name`, in code-point order. */
export function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return compareStrings(a.name, b.name);
}
