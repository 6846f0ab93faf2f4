/**
 * Props as JavaScript callers may pass them: TypeScript catches a misspelt prop, JavaScript (and `as any`) does not,
 * and a prop the library does not read would be silently ignored (`regoin`, `maxsize`). Each construct checks its
 * props against a `PropShape` of the keys it reads, nested where a prop is an object of known keys.
 */
const RECORD_OF = Symbol('recordOf');

/** The known keys of an object prop: `true` for a leaf, a nested shape, or `recordOf(shape)` for a map by user name. */
export interface PropShape {
  readonly [key: string]: true | PropShape | RecordOfShape;
}

/** A map whose keys the user chooses (node pools by name) and whose values have a shape. */
export interface RecordOfShape {
  readonly [RECORD_OF]: PropShape;
}

/** A map of user-chosen keys whose values have `shape`. */
export function recordOf(shape: PropShape): RecordOfShape {
  return { [RECORD_OF]: shape };
}

/**
 * The shape of props type `T`, written as an object literal: the compiler requires every key of `T` and refuses any
 * other, so a shape cannot drift from its interface.
 */
export type ShapeOf<T> = { readonly [K in keyof Required<T>]: true | PropShape | RecordOfShape };

/**
 * Problems for keys of `value` (and of its known nested objects) that `shape` does not know, each with a suggestion:
 * "`overrides.regoin` is not a prop it takes; did you mean `region`?". `owner` starts each message (e.g.
 * `bundle "app" `); `at` is the path of `value` itself.
 */
export function unknownPropProblems(value: unknown, shape: PropShape, owner = '', at = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [];
  }
  const known = Object.keys(shape);
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
    const path = at === '' ? key : `${at}.${key}`;
    const inner = shape[key];
    if (inner === undefined) {
      if (child === undefined) {
        return [];
      }
      const suggestion = closest(key, known);
      return [`${owner}\`${path}\` is not a prop it takes${suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`} `
        + `(it takes: ${known.join(', ')})`];
    }
    if (inner === true) {
      return [];
    }
    if (RECORD_OF in inner) {
      const entryShape = (inner as RecordOfShape)[RECORD_OF];
      return child !== null && typeof child === 'object' && !Array.isArray(child)
        ? Object.entries(child as Record<string, unknown>).flatMap(([name, entry]) => unknownPropProblems(entry, entryShape, owner, `${path}.${name}`))
        : [];
    }
    return unknownPropProblems(child, inner as PropShape, owner, path);
  });
}

/** The known key nearest to `key`: the same ignoring case, or at most two edits away. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase !== undefined) {
    return sameCase;
  }
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) {
      best = { key: candidate, distance };
    }
  }
  return best?.key;
}

/** Levenshtein distance, with adjacent transpositions counted as one edit (`regoin` is one edit from `region`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) {
    d[0][j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
