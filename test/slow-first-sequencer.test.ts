import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './support/fleet-files';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const SlowFirstSequencer = require('./support/slow-first-sequencer') as new (options: object) => { sort(tests: object[]): Array<{ path: string }> };

describe('the test sequencer', () => {
  test('starts the files whose first doc comment says @slow, then the others in Jest\'s order (largest first on a cold cache)', () => {
    const { dir, cleanup } = tempDir();
    try {
      const files: Record<string, string> = {
        'large.test.ts': `/** a large file */\n${'// line\n'.repeat(200)}`,
        'slow.test.ts': 'import * as fs from \'fs\';\n/**\n * the trial\n *\n * @slow\n */\n',
        'later.test.ts': '/** the first comment */\n/** @slow in a later comment does not count */\n',
        'small.test.ts': '',
      };
      const tests = Object.entries(files).map(([name, text]) => {
        fs.writeFileSync(path.join(dir, name), text);
        return { path: path.join(dir, name), context: { config: { cache: false }, hasteFS: { getSize: () => Buffer.byteLength(text) } } };
      });
      const order = new SlowFirstSequencer({}).sort(tests).map((test) => path.basename(test.path));
      expect(order).toEqual(['slow.test.ts', 'large.test.ts', 'later.test.ts', 'small.test.ts']);
    } finally {
      cleanup();
    }
  });
});
