import * as fs from 'fs';
import type { RenderSink } from './render';
import { contentDigest } from './render-cache';
import type { WriteReport } from './write';

/**
 * A synthesis for comparison only (`arlonctl check`): instead of the files, one JSON file of the digest of each file's
 * content (`contentDigest`), by path inside dist/. Writing, reading back and deleting every file of a fleet costs
 * more than the synthesis itself on a disk; comparing a digest with dist/ tells the same differences.
 */
const FORMAT = 1;

interface DigestFile {
  readonly format: typeof FORMAT;
  readonly files: Record<string, string>;
}

/** Renders what `fill` sends (see `renderEach`) and writes the digests of the files into `file`, atomically. */
export function writeDigests(file: string, fill: (sink: RenderSink) => void): WriteReport {
  const digests = new Map<string, string>();
  let bytes = 0;
  fill({
    has: (relative) => digests.has(relative),
    // no render key: there is no cache to consult or keep
    add: (relative, _key, render) => {
      const content = render();
      bytes += Buffer.byteLength(content);
      digests.set(relative, contentDigest(content));
    },
  });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ format: FORMAT, files: Object.fromEntries(digests) } satisfies DigestFile));
  fs.renameSync(temporary, file);
  return { written: digests.size, unchanged: 0, cached: 0, removed: 0, bytesWritten: bytes };
}

/** The digests `writeDigests` wrote into `file`; undefined when there is no such file (a synth that wrote its files). */
export function readDigests(file: string): Map<string, string> | undefined {
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as DigestFile;
  if (parsed.format !== FORMAT || parsed.files === null || typeof parsed.files !== 'object') {
    throw new Error(`${file} is not a digest file of format ${FORMAT}; the fleet's program may use another version of cdk8s-arlon than arlonctl`);
  }
  return new Map(Object.entries(parsed.files));
}
