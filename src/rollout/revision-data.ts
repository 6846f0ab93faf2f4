import { specRevision, type SpecData } from './spec-data';

/**
 * A revision of a profile, as the rollout state holds it: its spec as data, the names of its bundles (which bundles
 * its clusters install is staged with the spec), and the definitions of those bundles that are plain data, so that a
 * cluster still running the revision can install a bundle the code no longer defines.
 */
export interface RevisionData {
  readonly spec: SpecData;
  /** The profile's bundles, by name, in its order. */
  readonly bundles: readonly string[];
  /** The definitions of its bundles that are plain data (Helm charts and git paths without computed values), by name. */
  readonly definitions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * The revision id: 12 hex digits of the SHA-256 of the spec and the bundle names. The definitions are kept for
 * reading back only: a change to a bundle's definition (its version, its values) is not staged, and reaches every
 * cluster that installs the bundle at once.
 */
export function revisionId(data: RevisionData): string {
  return specRevision({ spec: data.spec, bundles: [...data.bundles] });
}
