import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

/** What `installPackage` packed. */
export interface InstalledPackage {
  /** The tarball, inside the repository folder. */
  readonly tarball: string;
  /** The files the package ships, sorted. */
  readonly files: string[];
}

/** This library packed as `npm pack` packs it (lib/ is built by the test task first), into `dir`. */
export interface PackedLibrary {
  readonly name: string;
  readonly version: string;
  /** The tarball. */
  readonly file: string;
  /** Its package.json: what a registry serves as the version's manifest. */
  readonly manifest: Record<string, unknown>;
  /** The files the package ships, sorted. */
  readonly files: string[];
}

/** Packs this library into `dir`, as `npm pack` does. */
export function packLibrary(dir: string): PackedLibrary {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & { name: string; version: string };
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as
    Array<{ filename: string; files: Array<{ path: string }> }>;
  return {
    name: manifest.name,
    version: manifest.version,
    file: path.join(dir, packed[0].filename),
    manifest,
    files: packed[0].files.map((f) => f.path).sort(),
  };
}

/**
 * Installs this library into `repo/node_modules` as a fleet repository gets it, without the network: packed (see
 * `packLibrary`) and unpacked there, its dependencies and peer dependencies linked from this project's node_modules.
 */
export function installPackage(repo: string): InstalledPackage {
  const packed = packLibrary(repo);
  const { dependencies, peerDependencies } = packed.manifest as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
  const installed = path.join(repo, 'node_modules', packed.name);
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', packed.file, '-C', installed, '--strip-components=1']);
  for (const name of Object.keys({ ...dependencies, ...peerDependencies })) {
    const link = path.join(repo, 'node_modules', name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), link, 'dir');
  }
  return { tarball: packed.file, files: packed.files };
}
