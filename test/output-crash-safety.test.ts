/**
 * A synthesis killed at any point leaves `dist/` as it was or as the new synthesis made it, never a mix, once the next
 * run or reader has looked at it; two syntheses into one folder cannot interleave. The writer runs in a child process
 * (the compiled library), which kills itself at chosen points: while staging, and after any number of files moved.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_HEADER } from '../src';
import { readTree, tempDir } from './support/fleet-files';
import { readFiles } from '../src/operations/dist-fleet';
import { sidecars } from '../src/output/commit-journal';
import { writeFiles } from '../src/output/write';

const LIB_WRITE = path.resolve(__dirname, '../lib/src/output/write.js');

/** Files of a fleet-like output: `clusters` folders of 6 files, and a fleet folder. */
function output(clusters: number, version: string, from = 0): Map<string, string> {
  const files = new Map<string, string>([['fleet/Application.acme.yaml', `${GENERATED_HEADER}\nkind: Application\n`]]);
  for (let c = from; c < from + clusters; c++) {
    for (const kind of ['Namespace', 'Cluster', 'AWSManagedCluster', 'AWSManagedControlPlane', 'MachinePool', 'AWSManagedMachinePool']) {
      files.set(`clusters/c-${c}/${kind}.c-${c}.yaml`, `${GENERATED_HEADER}\nkind: ${kind}\nversion: ${c % 2 === 0 ? version : 'same'}\n`);
    }
  }
  return files;
}

/** The old output: 721 files, clusters 0 to 119; the new: clusters 20 to 139 (20 removed, 20 added), the even ones changed. */
const OLD = output(120, 'v1');
const NEW = output(120, 'v2', 20);

/**
 * Runs the compiled writer in a child process that writes `files` into `dir` and kills itself with SIGKILL after
 * `killAfter` adds (while staging) or moves (while committing); returns the signal that ended it.
 */
function writeAndDie(dir: string, files: Map<string, string>, killAfter: { adds?: number; moves?: number }): { signal: string | null } {
  const input = path.join(path.dirname(dir), `${path.basename(dir)}-input.json`);
  fs.writeFileSync(input, JSON.stringify([...files]));
  const script = `
    const { StagedWriter } = require(${JSON.stringify(LIB_WRITE)});
    const files = JSON.parse(require('fs').readFileSync(${JSON.stringify(input)}, 'utf8'));
    const die = () => process.kill(process.pid, 'SIGKILL');
    let moves = 0;
    const writer = new StagedWriter(${JSON.stringify(dir)}, { onMove: () => { if (++moves >= ${killAfter.moves ?? -1}) die(); } });
    files.forEach(([file, content], i) => { if (i === ${killAfter.adds ?? -1}) die(); writer.addContent(file, content); });
    writer.commit();`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  fs.rmSync(input, { force: true });
  return { signal: run.signal };
}

/** Whatever the leftovers, what the next reader finds: the folder settled, as a map; and that no sidecar remains. */
function settled(dir: string): Map<string, string> {
  const files = readFiles(dir);
  const { parent, lock, journal, stagingPrefix } = sidecars(dir);
  expect(fs.existsSync(lock) || fs.existsSync(journal)).toBe(false);
  expect(fs.readdirSync(parent).filter((f) => f.startsWith(stagingPrefix))).toEqual([]);
  return files;
}

describe('a synthesis killed at any point', () => {
  let out: { dir: string; cleanup: () => void };
  let dist: string;
  beforeAll(() => {
    expect(fs.existsSync(LIB_WRITE)).toBe(true);
  });
  beforeEach(() => {
    out = tempDir();
    dist = path.join(out.dir, 'dist');
    writeFiles(dist, OLD);
  });
  afterEach(() => out.cleanup());

  test.each([0, 1, 400, 720])('while staging (after %i files) leaves the old output', (adds) => {
    expect(writeAndDie(dist, NEW, { adds }).signal).toBe('SIGKILL');
    expect(settled(dist)).toEqual(OLD);
  });

  test.each([1, 2, 100, 300, 419, 420])('while committing (after %i moves) leaves the new output, once finished', (moves) => {
    // 420 moves in all (300 changed files of the even clusters kept, 120 of the clusters added), then 120 removals: the
    // last kill falls after every move and before the removals
    expect(writeAndDie(dist, NEW, { moves }).signal).toBe('SIGKILL');
    // the folder on disk is mixed now: what the journal has not done yet
    expect(readTree(dist)).not.toEqual(NEW);
    expect(settled(dist)).toEqual(NEW);
  });

  test('and the next synthesis finishes the commit before it writes', () => {
    writeAndDie(dist, NEW, { moves: 100 });
    const report = writeFiles(dist, NEW);
    expect(report).toMatchObject({ written: 0, removed: 0 });
    expect(settled(dist)).toEqual(NEW);
  });

  test('at random times, end to end, leaves the old output or the new one', async () => {
    const big = output(1500, 'v3', 100);
    const seen = new Set<string>();
    for (const delayMs of [50, 120, 200, 300, 400, 600, 900, 1300]) {
      writeFiles(dist, OLD);
      const input = path.join(out.dir, 'big.json');
      fs.writeFileSync(input, JSON.stringify([...big]));
      const child = spawn(process.execPath, ['-e', `
        const { writeFiles } = require(${JSON.stringify(LIB_WRITE)});
        writeFiles(${JSON.stringify(dist)}, new Map(JSON.parse(require('fs').readFileSync(${JSON.stringify(input)}, 'utf8'))));`]);
      const ended = new Promise((resolve) => child.on('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill('SIGKILL');
      await ended;
      const after = settled(dist);
      const state = equal(after, OLD) ? 'old' : equal(after, big) ? 'new' : 'mixed';
      expect({ delayMs, state }).not.toEqual({ delayMs, state: 'mixed' });
      seen.add(state);
    }
    expect(seen.size).toBeGreaterThan(0);
  }, 60_000);
});

describe('two syntheses into one folder', () => {
  test('the second fails while the first runs, saying which process holds it, and goes ahead once it has died', async () => {
    const out = tempDir();
    const dist = path.join(out.dir, 'dist');
    try {
      writeFiles(dist, OLD);
      // GIVEN a synthesis that holds the folder and hangs
      const child = spawn(process.execPath, ['-e', `
        const { StagedWriter } = require(${JSON.stringify(LIB_WRITE)});
        new StagedWriter(${JSON.stringify(dist)});
        console.log('locked');
        setInterval(() => {}, 1000);`]);
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      // THEN another synthesis, and a reader, fail naming it
      const message = new RegExp(`^another synthesis \\(process ${child.pid}\\) is writing ${dist.replace(/[/.]/g, '\\$&')}; wait for it to finish`);
      expect(() => writeFiles(dist, NEW)).toThrow(message);
      expect(() => readFiles(dist)).toThrow(message);
      expect(readTree(dist)).toEqual(OLD);
      // WHEN it dies
      const ended = new Promise((resolve) => child.on('close', resolve));
      child.kill('SIGKILL');
      await ended;
      // THEN its lock and staging are cleared, and the next synthesis goes ahead
      expect(writeFiles(dist, NEW)).toMatchObject({ removed: 120 });
      expect(settled(dist)).toEqual(NEW);
    } finally {
      out.cleanup();
    }
  });
});

function equal(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([file, content]) => b.get(file) === content);
}
