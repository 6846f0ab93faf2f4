/**
 * Converts one of the library's enum values to the generated enum with the same wire value. The library keeps its
 * own enums because generated member names are unreadable (`NO_HYPHEN_SCHEDULE`); this checks the value exists on the
 * generated side, so a CRD update that drops a value fails loudly instead of emitting something the API rejects.
 */
export function toGenerated<E extends string>(generated: Record<string, E>, value: string): E {
  const match = Object.values(generated).find((candidate) => candidate === value);
  if (match === undefined) {
    throw new Error(`"${value}" is not accepted by the CRD (allowed: ${Object.values(generated).join(', ')})`);
  }
  return match;
}
