import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './errors';

/** How the fleet repository will depend on cdk8s-arlon, and what init must do for it to install in CI. */
export interface LibraryDependency {
  /** The spec for package.json and `cdk8sArlonVersion`. */
  readonly spec: string;
  /** A tarball to copy into the repository, where a fresh checkout (CI) finds it. */
  readonly copy?: { readonly from: string; readonly to: string };
}

/** Where init puts a tarball the repository depends on: committed, so CI installs it. */
export const VENDOR_DIR = 'vendor';

/**
 * The dependency on cdk8s-arlon, from `--library`, else what `npm install` recorded in package.json, else `^<version>`
 * of the arlonctl that runs. A registry range and a git URL install anywhere; a tarball outside the repository does not
 * (CI has a fresh checkout), so it is copied into vendor/ and depended on there; a folder is refused for that reason.
 */
export function libraryDependency(root: string, given: string | undefined, version: string): LibraryDependency {
  const spec = given ?? `^${version}`;
  const local = localPath(spec);
  if (local === undefined) {
    return { spec };
  }
  const from = path.resolve(root, local);
  if (!fs.existsSync(from)) {
    throw new UsageError(`--library "${spec}": ${from} does not exist; give the tarball \`npm pack\` wrote, a version range from your registry, `
      + 'or a git URL (git+https://<host>/<org>/cdk8s-arlon.git#<tag>)');
  }
  if (!from.endsWith('.tgz') || !fs.statSync(from).isFile()) {
    throw new UsageError(`--library "${spec}" is a folder; CI checks out only the fleet repository and cannot install it from there. `
      + 'Give a version range from your registry, a git URL (git+https://<host>/<org>/cdk8s-arlon.git#<tag>), or a tarball (`npm pack` in the library)');
  }
  const inside = path.relative(root, from);
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
    return { spec: `file:${inside.split(path.sep).join('/')}` };
  }
  const to = `${VENDOR_DIR}/${path.basename(from)}`;
  return { spec: `file:${to}`, copy: { from, to } };
}

/** The path of a `file:` spec or a bare path (`./x.tgz`, `/abs/x.tgz`, `../x.tgz`), else undefined. */
function localPath(spec: string): string | undefined {
  if (spec.startsWith('file:')) {
    return spec.slice('file:'.length);
  }
  return /^\.{0,2}\//.test(spec) || spec.endsWith('.tgz') ? spec : undefined;
}
