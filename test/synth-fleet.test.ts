import * as path from 'path';
import { Construct } from 'constructs';
import { buildExampleFleet } from '../example/fleet';
import { Cluster, synthFleet, type Profile } from '../src';
import { readTree, tempDir } from './support/fleet-files';

describe('synthFleet, the main of a fleet program', () => {
  let out: { dir: string; cleanup: () => void };
  let printed: string;
  const stderr = (text: string) => (printed += text);
  beforeEach(() => {
    out = tempDir();
    printed = '';
  });
  afterEach(() => {
    out.cleanup();
    process.exitCode = undefined;
  });

  test('synthesizes and prints one line: written, unchanged (from the render cache) and removed', () => {
    const first = synthFleet(() => buildExampleFleet({ outdir: out.dir }), { stderr, env: {} });
    expect(first).toMatchObject({ unchanged: 0, removed: 0 });
    const second = synthFleet(() => buildExampleFleet({ outdir: out.dir }), { stderr, env: {} })!;
    expect(printed.split('\n')).toEqual([
      // the first synth of a fleet with a rollout policy records its state beside the output
      `synthesized fleet "acme" into ${out.dir}: ${first!.written} written, 0 unchanged (0 from the render cache), 0 removed; `
      + `${path.basename(out.dir)}.rollout.yaml updated`,
      `synthesized fleet "acme" into ${out.dir}: 0 written, ${second.unchanged} unchanged (${second.unchanged} from the render cache), 0 removed`,
      '',
    ]);
    expect(process.exitCode).toBeUndefined();
  });

  test.each([
    ['building the fleet', (outdir: string) => {
      const fleet = buildExampleFleet({ outdir });
      new Cluster(fleet, 'prod-apse2', { profiles: [fleet.node.findChild('prod') as Profile], overrides: { region: 'ap-southeast' } });
      return fleet;
    }, /^\[prod-apse2\] effective spec \(profile "prod" with this cluster's overrides\): `region` "ap-southeast" is not an AWS region code/m],
    ['synthesizing it', (outdir: string) => {
      const fleet = buildExampleFleet({ outdir });
      new Construct(fleet, 'Check').node.addValidation({ validate: () => ['bundle "x" was never added'] });
      return fleet;
    }, /^Validation failed with the following errors:\n {2}\[Check\] bundle "x" was never added$/m],
    ['building the fleet, with an id taken twice in the program\'s own code', (outdir: string) => {
      const fleet = buildExampleFleet({ outdir });
      new Construct(fleet.node.findChild('prod-use1'), 'Capi');
      return fleet;
    }, /^\[prod-use1\/Capi\] the id "Capi" is already taken: Cluster "prod-use1" has a child with that id; ids must be unique among a construct's children, so give one of them another id$/m],
    ['building the fleet, with an id of the fleet taken twice', (outdir: string) => {
      const fleet = buildExampleFleet({ outdir });
      new Construct(fleet, 'prod');
      return fleet;
    }, /^\[prod\] the id "prod" is already taken: Fleet has a child with that id; ids must be unique among a construct's children/m],
  ])('a failure in %s prints the library\'s message without a stack, exits 1, and leaves dist/ as it was', (_when, build, message) => {
    synthFleet(() => buildExampleFleet({ outdir: out.dir }), { stderr: () => undefined, env: {} });
    const before = readTree(out.dir);
    expect(synthFleet(() => build(out.dir), { stderr, env: {} })).toBeUndefined();
    expect(process.exitCode).toBe(1);
    expect(printed).toMatch(/^synth failed; the output folder was not changed\n/);
    expect(printed).toMatch(message);
    expect(printed).toMatch(/\(set ARLON_DEBUG=1 for the stack trace\)\n$/);
    expect(printed).not.toMatch(/^\s+at /m);
    expect(readTree(out.dir)).toEqual(before);
    // AND with ARLON_DEBUG=1 the stack is there
    printed = '';
    synthFleet(() => build(out.dir), { stderr, env: { ARLON_DEBUG: '1' } });
    expect(printed).toMatch(/^\s+at /m);
  });
});
