import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import type { KubeObject } from './crd-schemas';
import { sidecars } from '../../src/output/commit-journal';
import { DistLayout } from '../../src/output/layout';
import { rolloutStateFile } from '../../src/rollout/rollout-state';

/** Parses every object file of a rendered fleet (each holds one object); Helm values files are not objects. */
export function parseFiles(files: ReadonlyMap<string, string>): Map<string, KubeObject> {
  return new Map([...files].filter(([file]) => !DistLayout.isValuesFile(file)).map(([file, content]) => [file, YAML.parse(content) as KubeObject]));
}

/** The one object of `kind` named `name`; fails the test with the kinds and names present when there is not exactly one. */
export function findObject(objects: ReadonlyMap<string, KubeObject> | KubeObject[], kind: string, name: string): KubeObject {
  const all = Array.isArray(objects) ? objects : [...objects.values()];
  const matches = all.filter((o) => o.kind === kind && o.metadata.name === name);
  if (matches.length !== 1) {
    throw new Error(`expected one ${kind} "${name}", found ${matches.length}; present: ${all.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  }
  return matches[0];
}

/** Reads every file under `dir` into a map keyed by relative path with '/' separators. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        out.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
      }
    }
  };
  walk(dir);
  return out;
}

/** A fresh temporary directory, removed by the returned cleanup function with the render cache and rollout state a synth kept beside it. */
export function tempDir(prefix = 'cdk8s-arlon-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    cleanup: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(sidecars(dir).cache, { force: true });
      fs.rmSync(rolloutStateFile(dir), { force: true });
    },
  };
}

/**
 * Copies the output folder `from` into the empty folder `to`, with what a synth keeps beside it (its render cache and
 * rollout state), timestamps included: `to` is then what a synth of the same fleet into `to` would have left, without
 * the cost of that synth.
 */
export function copyOutput(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, preserveTimestamps: true });
  for (const [source, target] of [[sidecars(from).cache, sidecars(to).cache], [rolloutStateFile(from), rolloutStateFile(to)]]) {
    if (fs.existsSync(source)) {
      fs.cpSync(source, target, { preserveTimestamps: true });
    }
  }
}

/** The relative paths of files that differ between two trees (added, removed or changed), sorted. */
export function changedPaths(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}
