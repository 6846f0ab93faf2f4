import * as fs from 'fs';
import * as path from 'path';

/**
 * The version of cdk8s-arlon this `arlonctl` belongs to: from the library's own package.json, found from this module's
 * folder (lib/src/cli when built, src/cli under ts-jest), never from the working folder.
 */
export function libraryVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'cdk8s-arlon' && typeof manifest.version === 'string') {
        return manifest.version;
      }
    }
    if (path.dirname(dir) === dir) {
      return 'unknown';
    }
  }
}
