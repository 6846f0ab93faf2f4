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

/**
 * Installs this library into `repo/node_modules` as a fleet repository gets it, without the network: packed the way
 * `npm pack` packs it (lib/ is built by the test task first; `prepack` builds it otherwise) and unpacked there. Its
 * dependencies are linked from this project's node_modules: those the package names, or (`everything`) every package
 * this project has installed, its commands (node_modules/.bin) included, as a repository that ran `npm install` has
 * its toolchain (projen, TypeScript, ts-node, jest).
 */
export function installPackage(repo: string, options: { everything?: boolean } = {}): InstalledPackage {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    name: string; dependencies: Record<string, string>; peerDependencies: Record<string, string>;
  };
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', repo], { cwd: ROOT, encoding: 'utf8' })) as
    Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = path.join(repo, packed[0].filename);
  const installed = path.join(repo, 'node_modules', manifest.name);
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  const modules = path.join(ROOT, 'node_modules');
  const names = options.everything
    ? fs.readdirSync(modules).filter((name) => name !== manifest.name)
    : Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  for (const name of names) {
    const link = path.join(repo, 'node_modules', name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(modules, name), link, 'dir');
  }
  return { tarball, files: packed[0].files.map((f) => f.path).sort() };
}

/** This library packed as `npm pack` packs it, into `dir`: what a registry serves as cdk8s-arlon. */
export function packLibrary(dir: string): { name: string; version: string; file: string; manifest: Record<string, unknown> } {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & { name: string; version: string };
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as
    Array<{ filename: string }>;
  return { name: manifest.name, version: manifest.version, file: path.join(dir, packed[0].filename), manifest };
}
