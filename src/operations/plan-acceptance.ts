import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/**
 * Reviewed acceptance of a blocked change: `arlon.accept.yaml`, beside dist/ in the fleet repository, lists the
 * blocked changes a reviewer accepted, each with its rule, its cluster, the fingerprint of the change it was written
 * for and the reason. It is read from the working tree, so it is reviewed and merged with the change it accepts;
 * `plan` and `check` (and so CI) honour it. A fingerprint is a hash of the rule, the cluster and the blocked item's
 * message (which holds the values before and after), so an entry accepts that change and no other: the next change
 * gives another fingerprint, and an entry that accepts nothing in a plan is reported as unused.
 */
export const ACCEPTANCE_FILE = 'arlon.accept.yaml';

/** A fingerprint: 12 hexadecimal digits. */
const FINGERPRINT = /^[0-9a-f]{12}$/;

/** One entry of the acceptance file. */
export interface Acceptance {
  /** A rule of `PLAN_RULES`. */
  readonly rule: string;
  /** The cluster of the blocked change; omitted for a fleet-wide one (the plan's `~ fleet` section). */
  readonly cluster?: string;
  /** The fingerprint `plan` prints beside the blocked change ("accept with"). */
  readonly fingerprint: string;
  /** Why the change is safe, for the reviewers and for the plan's readers. */
  readonly reason: string;
}

/** The acceptance file beside a dist/ folder (at the fleet repository's root when dist/ is there). */
export function acceptanceFile(dist: string): string {
  return path.join(path.dirname(path.resolve(dist)), ACCEPTANCE_FILE);
}

/** The fingerprint of a blocked change: `cluster` empty for a fleet-wide one. */
export function fingerprintOf(rule: string, cluster: string, message: string): string {
  return createHash('sha256').update(`${rule}\0${cluster}\0${message}`).digest('hex').slice(0, 12);
}

/** The entry that accepts a blocked change, as `plan` prints it for the acceptance file (one YAML list item). */
export function acceptanceEntry(rule: string, cluster: string, fingerprint: string): string {
  return `{ rule: ${rule}${cluster === '' ? '' : `, cluster: ${cluster}`}, fingerprint: ${fingerprint}, reason: "<why this change is safe>" }`;
}

/** The acceptance file is not what it should be. */
export class AcceptanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcceptanceError';
  }
}

/** The entries of the acceptance file beside `dist`; none when there is no file. */
export function readAcceptances(dist: string, rules: readonly string[]): Acceptance[] {
  const file = acceptanceFile(dist);
  return fs.existsSync(file) ? parseAcceptances(fs.readFileSync(file, 'utf8'), file, rules) : [];
}

/** The entries an acceptance file's text holds; `file` names it in errors, `rules` are the rules an entry may name. */
export function parseAcceptances(text: string, file: string, rules: readonly string[]): Acceptance[] {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (e) {
    throw new AcceptanceError(`${file} is not YAML: ${(e as Error).message}`);
  }
  if (parsed === null || parsed === undefined) {
    return [];
  }
  const usage = 'it holds `accept:`, a list of entries { rule, cluster (omitted for a fleet-wide change), fingerprint, reason }, '
    + 'as `arlonctl plan` prints them under "accept with"';
  if (typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).some((key) => key !== 'accept')) {
    throw new AcceptanceError(`${file}: ${usage}`);
  }
  const entries = (parsed as { accept?: unknown }).accept ?? [];
  if (!Array.isArray(entries)) {
    throw new AcceptanceError(`${file}: \`accept\` is not a list; ${usage}`);
  }
  const seen = new Set<string>();
  return entries.map((entry: unknown, index) => {
    const where = `${file}: accept[${index}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new AcceptanceError(`${where} is not an entry; ${usage}`);
    }
    const { rule, cluster, fingerprint, reason, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      throw new AcceptanceError(`${where} has unknown field(s) ${unknown.join(', ')}; an entry has rule, cluster, fingerprint and reason`);
    }
    if (typeof rule !== 'string' || !rules.includes(rule)) {
      throw new AcceptanceError(`${where}: rule ${JSON.stringify(rule ?? null)} is not a rule; use one of ${rules.join(', ')}`);
    }
    if (cluster !== undefined && (typeof cluster !== 'string' || cluster === '')) {
      throw new AcceptanceError(`${where}: cluster ${JSON.stringify(cluster)} is not a cluster name; omit it for a fleet-wide change`);
    }
    if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) {
      throw new AcceptanceError(`${where}: fingerprint ${JSON.stringify(fingerprint ?? null)} is not 12 hexadecimal digits; copy it from `
        + 'the "accept with" line `arlonctl plan` prints beside the blocked change');
    }
    if (typeof reason !== 'string' || reason.trim() === '' || reason.includes('<why this change is safe>')) {
      throw new AcceptanceError(`${where} (${rule}, fingerprint ${fingerprint}) has no reason; say why the change is safe, for the reviewers `
        + 'and the plan\'s readers');
    }
    const key = `${rule}\0${cluster ?? ''}\0${fingerprint}`;
    if (seen.has(key)) {
      throw new AcceptanceError(`${where} repeats an earlier entry (${rule}, fingerprint ${fingerprint}); keep one`);
    }
    seen.add(key);
    return { rule, ...(cluster === undefined ? {} : { cluster }), fingerprint, reason: reason.trim() };
  });
}

/** The warning for an entry that accepts no blocked change of a plan. */
export function unusedAcceptanceWarning(a: Acceptance): string {
  return `${ACCEPTANCE_FILE}: the entry for ${a.rule}${a.cluster === undefined ? '' : ` on cluster ${a.cluster}`}, fingerprint ${a.fingerprint}, `
    + 'accepts no blocked change of this plan: the change it was written for is merged, or has changed since (a different change has '
    + 'another fingerprint); remove the entry';
}
