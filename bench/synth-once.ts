/**
 * One benchmark measurement in a fresh process, so that peak RSS belongs to it alone. Prints one line of JSON.
 *
 *   node lib/bench/synth-once.js library <clusters> <scratch dir>   build + synth with the library, then the yaml floor
 *   node lib/bench/synth-once.js stock <clusters> <scratch dir>     build + stock cdk8s App.synth()
 *   node lib/bench/synth-once.js argocd <clusters> <scratch dir>    build, render in memory, and measure what Argo CD holds
 *   node lib/bench/synth-once.js app <clusters> <dist dir> [profile] synthesize into <dist dir> ($ARLON_OUTDIR wins, as
 *                                                                   `arlonctl check` sets it), with `profile` changed
 *   node lib/bench/synth-once.js rollout <clusters> <scratch dir> <0|1> synthesize, then change a profile and synthesize
 *                                                                   again, without (0) or with (1) a rollout policy
 *
 * BENCH_FLEET names the fleet shape (`FLEET_SHAPES` of bench-fleet.ts): `bench` (the default) or `wide`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as YAML from 'yaml';
import { argoCdFigures } from './argocd-figures';
import { FLEET_SHAPES, type FleetShapeName } from './bench-fleet';
import { DistFile } from '../src/output/dist-file';
import { DistLayout } from '../src/output/layout';
import { type ManifestChart } from '../src/output/manifest-chart';
import { GENERATED_HEADER } from '../src/output/render';

const [mode, count, scratch] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const shapeName = process.env.BENCH_FLEET ?? 'bench';
if (!(shapeName in FLEET_SHAPES)) {
  throw new Error(`BENCH_FLEET=${shapeName}: expected one of ${Object.keys(FLEET_SHAPES).join(', ')}`);
}
const buildBenchFleet = FLEET_SHAPES[shapeName as FleetShapeName].build;

/** Flushes dirty pages, so that a timed phase does not pay for the write-back of the one before it. */
const settle = () => execFileSync('sync');

/** Peak resident memory of this process so far, in MiB. */
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

if (mode === 'library') {
  const outdir = path.join(scratch, 'library');
  const floorDir = path.join(scratch, 'floor');

  // The library, timed from building the constructs to the last file: a fleet's synth is build + synth.
  settle();
  const start = performance.now();
  const fleet = buildBenchFleet(count, outdir);
  const built = performance.now();
  const report = fleet.writeFiles();
  const done = performance.now();
  const rss = peakRssMiB();

  // The floor: the same objects (their JSON, computed untimed), serialized by the yaml package with the same options
  // into the same files, with nothing else: no constructs, no validation, no comparison with what is on disk.
  const objects: Array<{ file: string; json: unknown }> = [];
  for (const construct of fleet.node.findAll()) {
    if (DistFile.isDistFile(construct)) {
      objects.push({ file: construct.path, json: construct.data() });
    } else if (ApiObject.isApiObject(construct)) {
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
  const floorMs = performance.now() - floorStart;

  // Without the disk: the library's render against the yaml package serializing the same objects.
  const serializeStart = performance.now();
  for (const { json } of objects) {
    YAML.stringify(json, { keepUndefined: true, lineWidth: 0, version: '1.1' });
  }
  const floorSerializeMs = performance.now() - serializeStart;
  const renderStart = performance.now();
  const rendered = fleet.renderFiles();
  const renderMs = performance.now() - renderStart;

  let largest = { file: '', bytes: 0 };
  for (const [file, content] of rendered) {
    const bytes = Buffer.byteLength(content);
    if (bytes > largest.bytes) {
      largest = { file, bytes };
    }
  }
  console.log(JSON.stringify({
    clusters: count,
    buildMs: built - start,
    writeMs: done - built,
    synthMs: done - start,
    renderMs,
    floorMs,
    floorSerializeMs,
    peakRssMiB: rss,
    files: report.written,
    bytes: report.bytesWritten,
    largest,
    rootSourceObjects: [...rendered.keys()].filter((f) => f.startsWith(`${DistLayout.argocdDir}/`) && !f.slice(DistLayout.argocdDir.length + 1).includes('/')).length,
    identicalToFloor: [...rendered].every(([file, content]) => fs.readFileSync(path.join(floorDir, file), 'utf8') === content),
  }));
} else if (mode === 'stock') {
  const outdir = path.join(scratch, 'stock');
  const start = performance.now();
  const fleet = buildBenchFleet(count, outdir);
  // The same constructs, synthesized the stock way: one file per chart, through App.synth().
  App.prototype.synth.call(fleet);
  const synthMs = performance.now() - start;
  console.log(JSON.stringify({ clusters: count, synthMs, peakRssMiB: peakRssMiB(), files: fs.readdirSync(outdir).length }));
} else if (mode === 'argocd') {
  const start = performance.now();
  const fleet = buildBenchFleet(count, path.join(scratch, 'argocd'));
  const figures = argoCdFigures(fleet);
  console.log(JSON.stringify({ clusters: count, shards: fleet.shards, ms: performance.now() - start, peakRssMiB: peakRssMiB(), figures }));
} else if (mode === 'app') {
  const changed = process.argv[5];
  const fleet = buildBenchFleet(count, scratch, changed === undefined ? {} : { changedProfile: Number(changed) });
  const report = fleet.writeFiles();
  console.log(JSON.stringify(report));
} else if (mode === 'rollout') {
  // The change synth of a fleet mid-rollout renders the held clusters from the revision their wave runs.
  const rollout = process.argv[5] === '1';
  const outdir = path.join(scratch, rollout ? 'rollout' : 'plain');
  buildBenchFleet(count, outdir, { rollout }).writeFiles();
  settle();
  const start = performance.now();
  // profile 0: an eighth of its clusters are in the canary wave (shard 0)
  const report = buildBenchFleet(count, outdir, { rollout, changedProfile: 0 }).writeFiles();
  const changeSynthMs = performance.now() - start;
  console.log(JSON.stringify({ clusters: count, rollout, changeSynthMs, written: report.written, peakRssMiB: peakRssMiB() }));
} else {
  process.stderr.write('usage: synth-once.js library|stock|argocd|app|rollout <clusters> <scratch dir>\n');
  process.exitCode = 2;
}
