import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_HEADER } from '../src';
import { readTree, tempDir } from './support/fleet-files';
import { StagedWriter, writeFiles } from '../src/output/write';

const file = (body: string) => `${GENERATED_HEADER}\n${body}\n`;

describe('writeFiles', () => {
  let out: { dir: string; cleanup: () => void };
  beforeEach(() => {
    out = tempDir();
  });
  afterEach(() => out.cleanup());

  test('writes new files and creates their folders', () => {
    const report = writeFiles(out.dir, new Map([['a/b/One.x.yaml', file('one')], ['Two.y.yaml', file('two')]]));
    expect(report).toMatchObject({ written: 2, unchanged: 0, removed: 0 });
    expect(readTree(out.dir)).toEqual(new Map([['a/b/One.x.yaml', file('one')], ['Two.y.yaml', file('two')]]));
  });

  test('leaves unchanged files alone, keeping their modification time', () => {
    writeFiles(out.dir, new Map([['keep.yaml', file('same')], ['change.yaml', file('old')]]));
    const past = new Date('2020-01-01T00:00:00Z');
    for (const name of ['keep.yaml', 'change.yaml']) {
      fs.utimesSync(path.join(out.dir, name), past, past);
    }
    const report = writeFiles(out.dir, new Map([['keep.yaml', file('same')], ['change.yaml', file('new')]]));
    expect(report).toMatchObject({ written: 1, unchanged: 1, removed: 0 });
    expect(fs.statSync(path.join(out.dir, 'keep.yaml')).mtime).toEqual(past);
    expect(fs.statSync(path.join(out.dir, 'change.yaml')).mtime).not.toEqual(past);
    expect(fs.readFileSync(path.join(out.dir, 'change.yaml'), 'utf8')).toBe(file('new'));
  });

  test('removes generated files nothing produces any more, and folders left empty', () => {
    writeFiles(out.dir, new Map([['clusters/gone/Cluster.gone.yaml', file('gone')], ['stay.yaml', file('stay')]]));
    const report = writeFiles(out.dir, new Map([['stay.yaml', file('stay')]]));
    expect(report).toMatchObject({ written: 0, unchanged: 1, removed: 1, bytesWritten: 0 });
    expect(fs.existsSync(path.join(out.dir, 'clusters'))).toBe(false);
  });

  test('never removes a file it did not generate', () => {
    fs.writeFileSync(path.join(out.dir, 'notes.yaml'), 'written by a person\n');
    fs.writeFileSync(path.join(out.dir, 'README.md'), '# dist\n');
    writeFiles(out.dir, new Map([['x.yaml', file('x')]]));
    expect(fs.readFileSync(path.join(out.dir, 'notes.yaml'), 'utf8')).toBe('written by a person\n');
    expect(fs.existsSync(path.join(out.dir, 'README.md'))).toBe(true);
  });

  test.each(['../escaped.yaml', 'a/../../escaped.yaml', '/tmp/escaped.yaml', 'a//b.yaml', 'a\\..\\b.yaml', 'a/\u0000.yaml'])(
    'refuses a path that could land outside the output folder: %j', (unsafe) => {
      writeFiles(out.dir, new Map([['keep.yaml', file('kept')]]));
      expect(() => writeFiles(out.dir, new Map([['keep.yaml', file('kept')], [unsafe, file('evil')]]))).toThrow(/^refusing to write .*: it could land outside /);
      // nothing written anywhere, the output as it was
      expect(readTree(out.dir)).toEqual(new Map([['keep.yaml', file('kept')]]));
      expect(fs.existsSync(path.join(path.dirname(out.dir), 'escaped.yaml'))).toBe(false);
      expect(fs.readdirSync(path.dirname(out.dir)).filter((f) => f.startsWith(`.${path.basename(out.dir)}.arlon-staging`))).toEqual([]);
    });

  test('leaves no temporary files behind', () => {
    writeFiles(out.dir, new Map([['x.yaml', file('x')]]));
    writeFiles(out.dir, new Map([['x.yaml', file('y')]]));
    expect([...readTree(out.dir).keys()]).toEqual(['x.yaml']);
  });

  test('stages everything beside the output and leaves nothing behind, whether it commits or aborts', () => {
    // GIVEN an existing output
    writeFiles(out.dir, new Map([['keep.yaml', file('old')]]));
    // (this output's own: other test files run at the same time in the same temporary folder)
    const siblings = () => fs.readdirSync(path.dirname(out.dir)).filter((name) => name.startsWith(`.${path.basename(out.dir)}.arlon-staging-`));
    // WHEN a writer stages a change and aborts (as a failing synth does)
    const aborted = new StagedWriter(out.dir);
    aborted.addContent('keep.yaml', file('new'));
    aborted.addContent('extra/New.x.yaml', file('x'));
    expect(siblings()).toHaveLength(1);
    aborted.abort();
    // THEN the output is untouched and the staging folder is gone
    expect(readTree(out.dir)).toEqual(new Map([['keep.yaml', file('old')]]));
    expect(siblings()).toEqual([]);
    // AND a writer that commits moves the staged files in and leaves no staging folder either
    const committed = new StagedWriter(out.dir);
    committed.addContent('keep.yaml', file('new'));
    expect(committed.commit()).toMatchObject({ written: 1, removed: 0 });
    expect(readTree(out.dir)).toEqual(new Map([['keep.yaml', file('new')]]));
    expect(siblings()).toEqual([]);
  });

  test('moves a whole fresh output into place at once', () => {
    const fresh = path.join(out.dir, 'dist');
    expect(writeFiles(fresh, new Map([['a/A.x.yaml', file('a')], ['B.y.yaml', file('b')]]))).toMatchObject({ written: 2 });
    expect(readTree(fresh)).toEqual(new Map([['a/A.x.yaml', file('a')], ['B.y.yaml', file('b')]]));
  });
});
