/**
 * One benchmark measurement in a fresh process, so that peak RSS belongs to it alone. Prints one line of JSON.
 *
 *   node lib/bench/synth-once.js library <clusters> <scratch dir>   build + render + write with the library, then the yaml floor
 *   node lib/bench/synth-once.js stock <clusters> <scratch dir>     build + stock cdk8s App.synth()
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as YAML from 'yaml';
import { buildBenchFleet } from './bench-fleet';
import { DistLayout } from '../src/output/layout';
import { type ManifestChart } from '../src/output/manifest-chart';
import { GENERATED_HEADER } from '../src/output/render';
import { writeFiles } from '../src/output/write';

const [mode, count, scratch, order] = [process.argv[2], Number(process.argv[3]), process.argv[4], process.argv[5] ?? 'library-first'];

/** Flushes dirty pages, so that a timed phase does not pay for the write-back of the one before it. */
const settle = () => execFileSync('sync');

/** Peak resident memory of this process so far, in MiB. */
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

if (mode === 'library') {
  const outdir = path.join(scratch, 'library');
  const floorDir = path.join(scratch, 'floor');
  settle();
  const start = performance.now();
  const fleet = buildBenchFleet(count, outdir);
  const built = performance.now();
  const files = fleet.renderFiles();
  const rendered = performance.now();
  // The floor: the same objects (their JSON, computed untimed), serialized by the yaml package with the same options
  // into the same files, with nothing else: no constructs, no validation, no comparison with what is on disk.
  const floor = () => {
    const objects: Array<{ file: string; json: unknown }> = [];
    for (const construct of fleet.node.findAll()) {
      if (ApiObject.isApiObject(construct)) {
        const chart = construct.chart as ManifestChart;
        objects.push({ file: `${chart.folder}/${DistLayout.fileName(construct.kind, construct.name)}`, json: construct.toJson() });
      }
    }
    settle();
    const floorStart = performance.now();
    const made = new Set<string>();
    for (const { file, json } of objects) {
      const target = path.join(floorDir, file);
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.writeFileSync(target, `${GENERATED_HEADER}\n${YAML.stringify(json, { keepUndefined: true, lineWidth: 0, version: '1.1' })}`);
    }
    return performance.now() - floorStart;
  };
  // The library's write phase and the floor alternate which goes first across repeats: the disk is shared.
  let floorMs = order === 'floor-first' ? floor() : 0;
  settle();
  const writeStart = performance.now();
  const report = writeFiles(outdir, files);
  const writeMs = performance.now() - writeStart;
  const rss = peakRssMiB();
  if (order !== 'floor-first') {
    floorMs = floor();
  }

  // Without the disk: the library's build + render against the yaml package serializing the same objects.
  const jsons: unknown[] = [];
  for (const construct of fleet.node.findAll()) {
    if (ApiObject.isApiObject(construct)) {
      jsons.push(construct.toJson());
    }
  }
  const serializeStart = performance.now();
  for (const json of jsons) {
    YAML.stringify(json, { keepUndefined: true, lineWidth: 0, version: '1.1' });
  }
  const floorSerializeMs = performance.now() - serializeStart;

  let largest = { file: '', bytes: 0 };
  for (const [file, content] of files) {
    const bytes = Buffer.byteLength(content);
    if (bytes > largest.bytes) {
      largest = { file, bytes };
    }
  }
  console.log(JSON.stringify({
    clusters: count,
    buildMs: built - start,
    renderMs: rendered - built,
    writeMs,
    synthMs: built - start + rendered - built + writeMs,
    floorMs,
    floorSerializeMs,
    peakRssMiB: rss,
    files: files.size,
    bytes: report.bytesWritten,
    largest,
    rootSourceObjects: [...files.keys()].filter((f) => f.startsWith(`${DistLayout.argocdDir}/`)).length,
    identicalToFloor: [...files].every(([file, content]) => fs.readFileSync(path.join(floorDir, file), 'utf8') === content),
  }));
} else if (mode === 'stock') {
  const outdir = path.join(scratch, 'stock');
  const start = performance.now();
  const fleet = buildBenchFleet(count, outdir);
  // The same constructs, synthesized the stock way: one file per chart, through App.synth().
  App.prototype.synth.call(fleet);
  const synthMs = performance.now() - start;
  console.log(JSON.stringify({ clusters: count, synthMs, peakRssMiB: peakRssMiB(), files: fs.readdirSync(outdir).length }));
} else {
  process.stderr.write('usage: synth-once.js library|stock <clusters> <scratch dir>\n');
  process.exitCode = 2;
}
