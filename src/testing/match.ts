/**
 * Patterns for the assertions of `FleetTesting` (`hasObject`, `findObjects`, `hasApplication`), in the manner of the
 * aws-cdk's `Match` (aws-cdk-lib/assertions). A plain value in a pattern is matched as `Match.objectLike` matches:
 * objects by the keys the pattern lists (others may be there), arrays element by element and of the same length,
 * anything else by equality.
 *
 * @example
 *   cluster.hasObject('AWSManagedControlPlane', { spec: { version: 'v1.34', logging: Match.absent() } });
 *   cluster.hasApplication('wordpress', { spec: { syncPolicy: { automated: Match.objectLike({ prune: true }) } } });
 */
export abstract class Matcher {
  /** Whether `value` is a `Matcher`. */
  public static isMatcher(value: unknown): value is Matcher {
    return value instanceof Matcher;
  }

  /** The matcher's name, as failure messages show it (`objectLike`, `arrayWith`...). */
  public abstract readonly name: string;

  /** The differences between `actual` and the pattern, each at its path (`/spec/version`); none when it matches. */
  public abstract test(actual: unknown, path?: string): MatchFailure[];
}

/** One difference found by a `Matcher`. */
export interface MatchFailure {
  /** Where, as a JSON pointer from the object tested (`/spec/nodePools/0/name`); `''` for the object itself. */
  readonly path: string;
  /** What was expected and what is there. */
  readonly message: string;
}

/** The matchers (see `Matcher`). */
export class Match {
  /** An object with at least the pattern's keys, each matching; nested plain objects are matched the same way. */
  public static objectLike(pattern: Readonly<Record<string, unknown>>): Matcher {
    return new ObjectMatch('objectLike', pattern, true);
  }

  /** An object with exactly the pattern's keys, each matching. */
  public static objectEquals(pattern: Readonly<Record<string, unknown>>): Matcher {
    return new ObjectMatch('objectEquals', pattern, false);
  }

  /** An array that holds elements matching each of `patterns`, in that order (other elements may be between them). */
  public static arrayWith(patterns: readonly unknown[]): Matcher {
    return new ArrayWith(patterns);
  }

  /** Exactly `value` (deep equality: objects must not have other keys). */
  public static exact(value: unknown): Matcher {
    return new Exact(value);
  }

  /** The key is absent (or undefined). */
  public static absent(): Matcher {
    return new Absent();
  }

  /** Any value but undefined and null. */
  public static anyValue(): Matcher {
    return new AnyValue();
  }

  /** A string that `pattern` matches. */
  public static stringLikeRegexp(pattern: string | RegExp): Matcher {
    return new StringLike(typeof pattern === 'string' ? new RegExp(pattern) : pattern);
  }

  /** Anything `pattern` does not match. */
  public static not(pattern: unknown): Matcher {
    return new Not(pattern);
  }

  private constructor() {}
}

/** The differences between `actual` and `pattern` (a `Matcher`, or a plain value matched as `Match.objectLike` would). */
export function matchPattern(pattern: unknown, actual: unknown, path = ''): MatchFailure[] {
  if (Matcher.isMatcher(pattern)) {
    return pattern.test(actual, path);
  }
  if (isPlainObject(pattern)) {
    return new ObjectMatch('objectLike', pattern, true).test(actual, path);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) {
      return [{ path, message: `expected an array, received ${show(actual)}` }];
    }
    if (actual.length !== pattern.length) {
      return [{ path, message: `expected an array of ${pattern.length}, received one of ${actual.length}: ${show(actual)}` }];
    }
    return pattern.flatMap((p, i) => matchPattern(p, actual[i], `${path}/${i}`));
  }
  return Object.is(pattern, actual) ? [] : [{ path, message: `expected ${show(pattern)}, received ${show(actual)}` }];
}

class ObjectMatch extends Matcher {
  constructor(public readonly name: string, private readonly pattern: Readonly<Record<string, unknown>>, private readonly partial: boolean) {
    super();
  }

  public test(actual: unknown, path = ''): MatchFailure[] {
    if (!isPlainObject(actual)) {
      return [{ path, message: `expected an object, received ${show(actual)}` }];
    }
    const failures = Object.entries(this.pattern).flatMap(([key, p]) => {
      const at = `${path}/${escape(key)}`;
      if (!(key in actual) || actual[key] === undefined) {
        return p instanceof Absent ? [] : [{ path: at, message: `missing key (expected ${describe(p)})` }];
      }
      return matchPattern(p, actual[key], at);
    });
    const extra = this.partial ? [] : Object.keys(actual).filter((key) => !(key in this.pattern) && actual[key] !== undefined)
      .map((key) => ({ path: `${path}/${escape(key)}`, message: `unexpected key (${this.name}), with ${show(actual[key])}` }));
    return [...failures, ...extra];
  }
}

class ArrayWith extends Matcher {
  public readonly name = 'arrayWith';
  constructor(private readonly patterns: readonly unknown[]) {
    super();
  }

  public test(actual: unknown, path = ''): MatchFailure[] {
    if (!Array.isArray(actual)) {
      return [{ path, message: `expected an array, received ${show(actual)}` }];
    }
    let from = 0;
    for (const [i, pattern] of this.patterns.entries()) {
      const found = actual.findIndex((element, at) => at >= from && matchPattern(pattern, element).length === 0);
      if (found < 0) {
        const after = from > 0 ? ` after index ${from - 1}` : '';
        return [{ path, message: `no element${after} matches pattern ${i} of arrayWith (${describe(pattern)}); received ${show(actual)}` }];
      }
      from = found + 1;
    }
    return [];
  }
}

class Exact extends Matcher {
  public readonly name = 'exact';
  constructor(private readonly value: unknown) {
    super();
  }

  public test(actual: unknown, path = ''): MatchFailure[] {
    return JSON.stringify(sorted(actual)) === JSON.stringify(sorted(this.value)) ? []
      : [{ path, message: `expected exactly ${show(this.value)}, received ${show(actual)}` }];
  }
}

class Absent extends Matcher {
  public readonly name = 'absent';
  public test(actual: unknown, path = ''): MatchFailure[] {
    return actual === undefined ? [] : [{ path, message: `expected no value, received ${show(actual)}` }];
  }
}

class AnyValue extends Matcher {
  public readonly name = 'anyValue';
  public test(actual: unknown, path = ''): MatchFailure[] {
    return actual === undefined || actual === null ? [{ path, message: `expected a value, received ${show(actual)}` }] : [];
  }
}

class StringLike extends Matcher {
  public readonly name = 'stringLikeRegexp';
  constructor(private readonly pattern: RegExp) {
    super();
  }

  public test(actual: unknown, path = ''): MatchFailure[] {
    return typeof actual === 'string' && this.pattern.test(actual) ? []
      : [{ path, message: `expected a string matching ${String(this.pattern)}, received ${show(actual)}` }];
  }
}

class Not extends Matcher {
  public readonly name = 'not';
  constructor(private readonly pattern: unknown) {
    super();
  }

  public test(actual: unknown, path = ''): MatchFailure[] {
    return matchPattern(this.pattern, actual, path).length > 0 ? [] : [{ path, message: `expected anything but ${describe(this.pattern)}, received ${show(actual)}` }];
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Matcher.isMatcher(value);
}

/** A key in a JSON pointer (RFC 6901). */
function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describe(pattern: unknown): string {
  return Matcher.isMatcher(pattern) ? `a value matching ${pattern.name}` : show(pattern);
}

function show(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sorted);
  }
  return isPlainObject(value) ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])])) : value;
}
