import type { SpecData } from './spec-data';
import { contentId } from '../_json';

/**
 * A revision of a profile, as the rollout state holds it: its spec as data, the names of its bundles, and the
 * definitions of its Helm and git bundles (see `Bundle.revisionData()`), so that a cluster still running the revision
 * installs the bundles it had, as they were.
 */
export interface RevisionData {
  readonly spec: SpecData;
  /** The profile's bundles, by name, in its order. */
  readonly bundles: readonly string[];
  /** The definitions of its Helm and git bundles, by name (inline bundles have none: their objects are not versioned). */
  readonly definitions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The revision id: 12 hex digits of the SHA-256 of the revision as data. */
export function revisionId(data: RevisionData): string {
  return contentId({ spec: data.spec, bundles: [...data.bundles], definitions: data.definitions ?? {} });
}
