import * as fs from 'fs';
import * as path from 'path';
import { Yaml, type ApiObject } from 'cdk8s';
import { ARLON_DIGESTS, ARLON_OUTDIR } from './outdir-variable';

/**
 * Where a fleet writes, and what it leaves for `cdk8s synth`. The cdk8s CLI empties its output folder before it runs
 * the program (cdk8s-team/cdk8s#2146), which would undo the fleet's guarantee that a failed synth leaves `dist/` as
 * it was; so the fleet writes its own folder, and `cdk8s.yaml` names a scratch `output` (`cdk8s.out`) that receives
 * the bootstrap objects only.
 */

export { ARLON_DIGESTS, ARLON_OUTDIR } from './outdir-variable';


/** `$ARLON_DIGESTS`: where a synth for comparison writes the digests of its files; undefined for a synth that writes them. */
export function digestsFile(env: Env = process.env): string | undefined {
  return set(env[ARLON_DIGESTS]);
}

/** The name of the file `cdk8s synth` finds in its output folder: the objects `arlonctl deploy` applies. */
export const CDK8S_BOOTSTRAP_FILE = 'fleet.k8s.yaml';

type Env = Readonly<Record<string, string | undefined>>;

/** `$ARLON_OUTDIR`, else the program's `outdir`, else 'dist'. `$CDK8S_OUTDIR` is not the fleet's folder (see above). */
export function fleetOutdir(configured: string | undefined, env: Env = process.env): string {
  return set(env[ARLON_OUTDIR]) ?? configured ?? 'dist';
}

/** What `synth()` does beside writing `outdir` when `cdk8s synth` runs the program. */
export interface Cdk8sCliOutput {
  /** The cdk8s CLI's own output folder, to receive the bootstrap objects; undefined when not run by it. */
  readonly folder?: string;
  /** Set when the cdk8s CLI's output folder is the fleet's own: it was emptied before the program ran. */
  readonly warning?: string;
}

/** How the fleet writing `outdir` relates to `$CDK8S_OUTDIR` (set by `cdk8s synth` to its `output`). */
export function cdk8sCliOutput(outdir: string, env: Env = process.env): Cdk8sCliOutput {
  const folder = set(env.CDK8S_OUTDIR);
  if (folder === undefined) {
    return {};
  }
  if (path.resolve(folder) !== path.resolve(outdir)) {
    return { folder };
  }
  // arlonctl check sets both to its scratch folder: nothing was lost there
  return set(env[ARLON_OUTDIR]) !== undefined ? {} : {
    warning: `warning: cdk8s synth's output folder "${folder}" is the fleet's own folder, and cdk8s synth empties it before the program runs, `
      + 'so a failed synth leaves it empty; set `output: cdk8s.out` in cdk8s.yaml (the fleet writes its own folder either way)\n',
  };
}

/** Writes the bootstrap objects into the cdk8s CLI's output folder, as one manifest file. */
export function writeCdk8sBootstrap(folder: string, objects: readonly ApiObject[]): string {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, CDK8S_BOOTSTRAP_FILE);
  fs.writeFileSync(file, Yaml.stringify(...objects.map((o) => o.toJson())));
  return file;
}

function set(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
