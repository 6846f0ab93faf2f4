import { contentDigest } from '../output/render-cache';

/** A generated file in which dist/ and a fresh synth of the code differ. */
export interface StaleFile {
  /** Path inside dist/. */
  readonly file: string;
  /** `differs`: both have it; `missing`: only the fresh synth; `extra`: only dist/. */
  readonly kind: 'differs' | 'missing' | 'extra';
  /**
   * Changed after the last synth here wrote it, and not committed: edited, added or deleted by hand. Otherwise the code
   * changed since dist/ was synthesized (or it cannot be told: no record of the last synth, as in CI).
   */
  readonly handEdited: boolean;
}

/**
 * The generated files in which `dist` (path to content, generated files only) and a fresh synth (`fresh`: path to
 * content, or to the digest of the content when `freshDigests`) differ, each
 * told stale or hand-edited by the record of what the last synth into dist/ wrote (`written`, digests by file: see
 * `lastWritten`) and by git (`uncommitted`: whether a file of dist/ differs from HEAD). A file differs from the record
 * either because someone edited it or because git changed it (a checkout, a pull); only an uncommitted difference is
 * a hand edit. Without a record every file is stale.
 */
export function staleFiles(
  fresh: ReadonlyMap<string, string>, dist: ReadonlyMap<string, string>, written: ReadonlyMap<string, string> | undefined,
  uncommitted: (file: string) => boolean, freshDigests = false,
): StaleFile[] {
  const files = [...new Set([...fresh.keys(), ...dist.keys()])].sort();
  const found: StaleFile[] = [];
  for (const file of files) {
    const now = dist.get(file);
    const kind = now === undefined ? 'missing' : !fresh.has(file) ? 'extra'
      : fresh.get(file) !== (freshDigests ? contentDigest(now) : now) ? 'differs' : undefined;
    if (kind === undefined) {
      continue;
    }
    const recorded = written?.get(file);
    const touched = written !== undefined && uncommitted(file) && (now === undefined
      ? recorded !== undefined // written by the synth, deleted since
      : recorded !== contentDigest(now)); // not what the synth wrote (or not written by it at all)
    found.push({ file, kind, handEdited: touched });
  }
  return found;
}

/**
 * Without a fresh synth: the files of dist/ that are not what the last synth wrote (`written`, see `lastWritten`) among
 * `uncommitted` (the files that differ from HEAD, with their content; undefined when deleted): edited or deleted by
 * hand. A file the record does not name is left alone: without the synth, it cannot be told from one git brought.
 */
export function handEditedFiles(written: ReadonlyMap<string, string>, uncommitted: ReadonlyMap<string, string | undefined>): StaleFile[] {
  const found: StaleFile[] = [];
  for (const [file, now] of [...uncommitted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const recorded = written.get(file);
    if (recorded !== undefined && (now === undefined || contentDigest(now) !== recorded)) {
      found.push({ file, kind: now === undefined ? 'missing' : 'differs', handEdited: true });
    }
  }
  return found;
}

/** The line of `check` (and the warning of `plan`) for a file of dist/ that is not what a fresh synth writes. */
export function staleLine(stale: StaleFile, dist: string): string {
  const { file, kind } = stale;
  if (stale.handEdited) {
    const what = kind === 'missing' ? 'was deleted by hand after the synth wrote it'
      : kind === 'extra' ? 'was added by hand (no synth wrote it, and the code does not produce it)'
        : 'was edited by hand after the synth wrote it (it is neither what the synth wrote nor what the code produces)';
    return `hand edit: ${file} ${what}; dist/ is generated, never edit it by hand: change the fleet code instead, then run the synth `
      + `(npx projen synth), which ${kind === 'missing' ? 'writes it again' : kind === 'extra' ? 'removes it' : 'overwrites it'}, and commit ${dist}`;
  }
  return kind === 'missing' ? `stale: ${file} is missing from ${dist}; run the synth and commit ${dist}`
    : kind === 'extra' ? `stale: ${file} is in ${dist} but a fresh synth does not produce it; run the synth and commit ${dist}`
      : `stale: ${file} differs from a fresh synth; run the synth and commit ${dist}`;
}
