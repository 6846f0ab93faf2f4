import * as fs from 'fs';
import * as path from 'path';
import { DistLayout } from '../output/layout';

/**
 * The fleet repository's root for a command run in `cwd` without `--dist`, found as git finds `.git`: the first folder,
 * from `cwd` up, that holds `dist/fleet/`; or, when none does, the git root if it holds a `dist/` (so that the error
 * names the repository's `dist/`, not a folder that was never a fleet). The search stops at the git root. Undefined when
 * nothing is found: the command then reports `dist/` in `cwd` as missing.
 */
export function findRepositoryRoot(cwd: string, distName = 'dist'): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (isDirectory(path.join(dir, distName, DistLayout.fleetDir))) {
      return dir;
    }
    if (fs.existsSync(path.join(dir, '.git'))) {
      return isDirectory(path.join(dir, distName)) ? dir : undefined;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
