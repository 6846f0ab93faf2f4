import * as fs from 'fs';
import * as path from 'path';

/** The parts of cdk8s-arlon's own package.json that `arlonctl --version` and the fleet project type read. */
export interface LibraryManifest {
  readonly name: 'cdk8s-arlon';
  readonly version: string;
  readonly engines?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

/**
 * cdk8s-arlon's own package.json, found from this module's folder upwards (lib/src when built, src under ts-jest),
 * never from the working folder; undefined when the module was copied away from its package.
 */
export function libraryManifest(from: string = __dirname): LibraryManifest | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LibraryManifest>;
      if (manifest.name === 'cdk8s-arlon' && typeof manifest.version === 'string') {
        return manifest as LibraryManifest;
      }
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}
