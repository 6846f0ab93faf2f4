/**
 * Port of the parse tables of kubernetes/apimachinery v0.33.4, `pkg/util/version/version_test.go`, run against the
 * ported `parseGeneric` / `parseSemantic` / `compareVersions` of ./go-version.ts.
 *
 * Ported: TestSemanticVersions, TestBadSemanticVersions, TestGenericVersions, TestBadGenericVersions, TestComponents.
 * `testOne`'s round trip compares `Version.String()`, which the port does not export; `goString` below rebuilds it
 * from the parsed components, pre-release and build metadata exactly as `String()` does.
 *
 * Left out, because they test functions the port does not have (the webhooks only call ParseGeneric, ParseSemantic,
 * Major, Minor and LessThan):
 * - TestHighestSupportedVersion (`HighestSupportedVersion`),
 * - TestOffsetMinor (`OffsetMinor`),
 * - TestParse (`Parse`, semantic-then-generic fallback).
 */
import { compareVersions, major, minor, parseGeneric, parseSemantic, type GoVersion } from './go-version';

interface TestItem {
  readonly version: string;
  readonly unparsed?: string;
  readonly equalsPrev?: boolean;
}

const parse = (str: string, semver: boolean): GoVersion => (semver ? parseSemantic(str) : parseGeneric(str));

/** `Version.String()`. */
const goString = (v: GoVersion): string =>
  `${v.components.join('.')}${v.preRelease !== '' ? `-${v.preRelease}` : ''}${v.buildMetadata !== '' ? `+${v.buildMetadata}` : ''}`;

/** `Version.Patch()`. */
const patch = (v: GoVersion): number => (v.components.length < 3 ? 0 : v.components[2]);

/** `testOne`: the round trip through `String()`, then the ordering against the previous item, both ways. */
function testOne(v: GoVersion, item: TestItem, prev: TestItem | undefined): void {
  expect(goString(v)).toBe(item.unparsed ?? item.version);
  if (prev === undefined) {
    return;
  }
  const cmp = compareVersions(v, parse(prev.version, v.semver));
  const rv = parse(prev.version, v.semver);
  const rcmp = compareVersions(rv, parse(item.version, v.semver));
  expect(cmp).not.toBe(-1);
  expect(cmp).toBe(item.equalsPrev ? 0 : 1);
  expect(cmp + rcmp).toBe(0); // cmp == -rcmp
}

/** The items with their predecessor, as upstream's loop walks them. */
const withPrev = (items: readonly TestItem[]): Array<[string, TestItem, TestItem | undefined]> =>
  items.map((item, i) => [JSON.stringify(item.version), item, i > 0 ? items[i - 1] : undefined]);

describe('TestSemanticVersions', () => {
  const tests: TestItem[] = [
    // This is every version string that appears in the 2.0 semver spec,
    // sorted in strictly increasing order except as noted.
    { version: '0.1.0' },
    { version: '1.0.0-0.3.7' },
    { version: '1.0.0-alpha' },
    { version: '1.0.0-alpha+001', equalsPrev: true },
    { version: '1.0.0-alpha.1' },
    { version: '1.0.0-alpha.beta' },
    { version: '1.0.0-beta' },
    { version: '1.0.0-beta+exp.sha.5114f85', equalsPrev: true },
    { version: '1.0.0-beta.2' },
    { version: '1.0.0-beta.11' },
    { version: '1.0.0-rc.1' },
    { version: '1.0.0-x.7.z.92' },
    { version: '1.0.0' },
    { version: '1.0.0+20130313144700', equalsPrev: true },
    { version: '1.8.0-alpha.3' },
    { version: '1.8.0-alpha.3.673+73326ef01d2d7c' },
    { version: '1.9.0' },
    { version: '1.10.0' },
    { version: '1.11.0' },
    { version: '2.0.0' },
    { version: '2.1.0' },
    { version: '2.1.1' },
    { version: '42.0.0' },

    // We also allow whitespace and "v" prefix
    { version: '   42.0.0', unparsed: '42.0.0', equalsPrev: true },
    { version: '\t42.0.0  ', unparsed: '42.0.0', equalsPrev: true },
    { version: '43.0.0-1', unparsed: '43.0.0-1' },
    { version: '43.0.0-1  ', unparsed: '43.0.0-1', equalsPrev: true },
    { version: 'v43.0.0-1', unparsed: '43.0.0-1', equalsPrev: true },
    { version: '  v43.0.0', unparsed: '43.0.0' },
    { version: ' 43.0.0 ', unparsed: '43.0.0', equalsPrev: true },
  ];

  test.each(withPrev(tests))('%s', (_name, item, prev) => {
    testOne(parseSemantic(item.version), item, prev);
  });
});

describe('TestBadSemanticVersions', () => {
  const tests = [
    // "MUST take the form X.Y.Z"
    '1',
    '1.2',
    '1.2.3.4',
    '.2.3',
    '1..3',
    '1.2.',
    '',
    '..',
    // "where X, Y, and Z are non-negative integers"
    '-1.2.3',
    '1.-2.3',
    '1.2.-3',
    '1a.2.3',
    '1.2a.3',
    '1.2.3a',
    'a1.2.3',
    'a.b.c',
    '1 .2.3',
    '1. 2.3',
    // "and MUST NOT contain leading zeroes."
    '01.2.3',
    '1.02.3',
    '1.2.03',
    // "[pre-release] identifiers MUST comprise only ASCII alphanumerics and hyphen"
    '1.2.3-/',
    // "[pre-release] identifiers MUST NOT be empty"
    '1.2.3-',
    '1.2.3-.',
    '1.2.3-foo.',
    '1.2.3-.foo',
    // "Numeric [pre-release] identifiers MUST NOT include leading zeroes"
    '1.2.3-01',
    // "[build metadata] identifiers MUST comprise only ASCII alphanumerics and hyphen"
    '1.2.3+/',
    // "[build metadata] identifiers MUST NOT be empty"
    '1.2.3+',
    '1.2.3+.',
    '1.2.3+foo.',
    '1.2.3+.foo',

    // whitespace/"v"-prefix checks
    'v 1.2.3',
    'vv1.2.3',
  ];

  test.each(tests.map((t) => [JSON.stringify(t), t]))('%s', (_name, version) => {
    expect(() => parseSemantic(version)).toThrow();
  });
});

describe('TestGenericVersions', () => {
  const tests: TestItem[] = [
    // This is all of the strings from TestSemanticVersions, plus some strings
    // from TestBadSemanticVersions that should parse as generic versions,
    // plus some additional strings.
    { version: '0.1.0', unparsed: '0.1.0' },
    { version: '1.0.0-0.3.7', unparsed: '1.0.0' },
    { version: '1.0.0-alpha', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0-alpha+001', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0-alpha.1', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0-alpha.beta', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0.beta', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0-beta+exp.sha.5114f85', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0.beta.2', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0.beta.11', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0.rc.1', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0-x.7.z.92', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.0.0+20130313144700', unparsed: '1.0.0', equalsPrev: true },
    { version: '1.2', unparsed: '1.2' },
    { version: '1.2a.3', unparsed: '1.2', equalsPrev: true },
    { version: '1.2.3', unparsed: '1.2.3' },
    { version: '1.2.3.0', unparsed: '1.2.3.0', equalsPrev: true },
    { version: '1.2.3a', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.2.3-foo.', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.2.3-.foo', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.2.3-01', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.2.3+', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.2.3+foo.', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.2.3+.foo', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.02.3', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.2.03', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.2.003', unparsed: '1.2.3', equalsPrev: true },
    { version: '1.2.3.4', unparsed: '1.2.3.4' },
    { version: '1.2.3.4b3', unparsed: '1.2.3.4', equalsPrev: true },
    { version: '1.2.3.4.5', unparsed: '1.2.3.4.5' },
    { version: '1.9.0', unparsed: '1.9.0' },
    { version: '1.9.0.0.0.0.0.0', unparsed: '1.9.0.0.0.0.0.0', equalsPrev: true },
    { version: '1.10.0', unparsed: '1.10.0' },
    { version: '1.11.0', unparsed: '1.11.0' },
    { version: '1.11.0.0.5', unparsed: '1.11.0.0.5' },
    { version: '2.0.0', unparsed: '2.0.0' },
    { version: '2.1.0', unparsed: '2.1.0' },
    { version: '2.1.1', unparsed: '2.1.1' },
    { version: '42.0.0', unparsed: '42.0.0' },
    { version: '   42.0.0', unparsed: '42.0.0', equalsPrev: true },
    { version: '\t42.0.0  ', unparsed: '42.0.0', equalsPrev: true },
    { version: '42.0.0-1', unparsed: '42.0.0', equalsPrev: true },
    { version: '42.0.0-1  ', unparsed: '42.0.0', equalsPrev: true },
    { version: 'v42.0.0-1', unparsed: '42.0.0', equalsPrev: true },
    { version: '  v43.0.0', unparsed: '43.0.0' },
    { version: ' 43.0.0 ', unparsed: '43.0.0', equalsPrev: true },
  ];

  test.each(withPrev(tests))('%s', (_name, item, prev) => {
    testOne(parseGeneric(item.version), item, prev);
  });
});

describe('TestBadGenericVersions', () => {
  const tests = [
    '1',
    '01.2.3',
    '-1.2.3',
    '1.-2.3',
    '.2.3',
    '1..3',
    '1a.2.3',
    'a1.2.3',
    '1 .2.3',
    '1. 2.3',
    '1.bob',
    'bob',
    'v 1.2.3',
    'vv1.2.3',
    '',
    '.',
  ];

  test.each(tests.map((t) => [JSON.stringify(t), t]))('%s', (_name, version) => {
    expect(() => parseGeneric(version)).toThrow();
  });
});

describe('TestComponents', () => {
  const tests = [
    {
      version: '1.0.2',
      semver: true,
      expectedComponents: [1, 0, 2],
      expectedMajor: 1,
      expectedMinor: 0,
      expectedPatch: 2,
      expectedPreRelease: '',
      expectedBuildMetadata: '',
    },
    {
      version: '1.0.2-alpha+001',
      semver: true,
      expectedComponents: [1, 0, 2],
      expectedMajor: 1,
      expectedMinor: 0,
      expectedPatch: 2,
      expectedPreRelease: 'alpha',
      expectedBuildMetadata: '001',
    },
    {
      version: '1.2',
      semver: false,
      expectedComponents: [1, 2],
      expectedMajor: 1,
      expectedMinor: 2,
      expectedPatch: 0,
      expectedPreRelease: '',
      expectedBuildMetadata: '',
    },
    {
      version: '1.0.2-beta+exp.sha.5114f85',
      semver: true,
      expectedComponents: [1, 0, 2],
      expectedMajor: 1,
      expectedMinor: 0,
      expectedPatch: 2,
      expectedPreRelease: 'beta',
      expectedBuildMetadata: 'exp.sha.5114f85',
    },
  ];

  test.each(tests.map((t) => [t.version, t] as const))('%s', (_name, tt) => {
    const version = parse(tt.version, tt.semver);
    expect(version.components).toEqual(tt.expectedComponents);
    expect(major(version)).toBe(tt.expectedMajor);
    expect(minor(version)).toBe(tt.expectedMinor);
    expect(patch(version)).toBe(tt.expectedPatch);
    expect(version.preRelease).toBe(tt.expectedPreRelease);
    expect(version.buildMetadata).toBe(tt.expectedBuildMetadata);
  });
});
