import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as cacache from 'cacache';
import * as semver from 'semver';

const ROOT = path.resolve(__dirname, '../..');

/** A package the registry serves from a file (the library, packed), beside those of the lockfile. */
export interface ServedTarball {
  readonly name: string;
  readonly version: string;
  /** The `.tgz`; its manifest is the package.json given. */
  readonly file: string;
  readonly manifest: Record<string, unknown>;
}

/** A running local registry. */
export interface LocalRegistry {
  /** e.g. `http://127.0.0.1:40123/`: give it to npm as `npm_config_registry`. */
  readonly url: string;
  close(): Promise<void>;
}

interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly [field: string]: unknown;
}

/** Fields of a lockfile entry that a registry's version manifest also has. */
const MANIFEST_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'libc',
  'license', 'deprecated', 'funding', 'bundleDependencies'];

/**
 * A plain npm registry, on loopback, that serves exactly the packages of this project's `package-lock.json` (their
 * tarballs come from npm's cache, which this project's own `npm install` filled) plus the packed library. It serves
 * one dist-tag, `latest`, as registries that mirror npm often do: an install that needs any other tag fails here as it
 * would there. With `npm_config_cache` set to an empty folder, `npm install` then runs for real, as CI runs it on a
 * fresh machine, and nothing leaves the machine.
 *
 * Packages the lockfile names only as optional dependencies of other platforms (prebuilt binaries for macOS, Windows
 * or Android, which this project's install skipped) are served as manifests that fit no platform, so npm records and
 * skips them as the public registry lets it do on Linux; their tarballs are never requested.
 */
export async function startLocalRegistry(extra: readonly ServedTarball[] = [],
  options: { lockFile?: string; cache?: string } = {}): Promise<LocalRegistry> {
  const lock = JSON.parse(fs.readFileSync(options.lockFile ?? path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  // where this machine's npm keeps its cache (`npm config get cache`, ~/.npm unless configured)
  const cache = options.cache ?? path.join(execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(), '_cacache');
  const packuments = new Map<string, { versions: Map<string, Record<string, unknown>>; files: Map<string, string> }>();
  const packument = (name: string) => {
    let entry = packuments.get(name);
    if (entry === undefined) {
      entry = { versions: new Map(), files: new Map() };
      packuments.set(name, entry);
    }
    return entry;
  };
  let base = '';
  const tarballUrl = (name: string, version: string) => `${base}${name}/-/${name.split('/').pop()}-${version}.tgz`;
  const optional = new Map<string, string>();
  for (const [where, entry] of Object.entries(lock.packages)) {
    if (where === '' || entry.link || entry.version === undefined || entry.integrity === undefined) {
      continue;
    }
    const name = entry.name ?? where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const manifest: Record<string, unknown> = { name, version: entry.version };
    for (const field of MANIFEST_FIELDS) {
      if (entry[field] !== undefined) {
        manifest[field] = entry[field];
      }
    }
    // The registry's manifest has the package's scripts, which the lockfile only flags: without them npm takes a
    // package with a binding.gyp for one to build with node-gyp (@parcel/watcher, which ships prebuilt binaries and
    // builds only when asked to), and compiles C++ that an install from the public registry never compiles.
    if (entry.hasInstallScript === true) {
      manifest.hasInstallScript = true;
      manifest.scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, where, 'package.json'), 'utf8')) as { scripts?: unknown }).scripts;
    }
    manifest.dist = { integrity: entry.integrity };
    packument(name).versions.set(entry.version, manifest);
    for (const [dependency, range] of Object.entries((entry.optionalDependencies ?? {}) as Record<string, string>)) {
      optional.set(dependency, range);
    }
  }
  for (const [name, range] of optional) {
    const known = packuments.get(name);
    const version = semver.minVersion(range)?.version;
    if (version !== undefined && (known === undefined || ![...known.versions.keys()].some((v) => semver.satisfies(v, range)))) {
      packument(name).versions.set(version, { name, version, os: ['none'], dist: { integrity: 'sha512-' } });
    }
  }
  for (const served of extra) {
    const integrity = `sha512-${createHash('sha512').update(fs.readFileSync(served.file)).digest('base64')}`;
    const entry = packument(served.name);
    entry.versions.set(served.version, { ...served.manifest, name: served.name, version: served.version, dist: { integrity } });
    entry.files.set(served.version, served.file);
  }

  const server = http.createServer((request, response) => {
    void respond(request.url ?? '/').then(({ status, body, type }) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    }, (error: Error) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error.message);
    });
  });
  const respond = async (url: string): Promise<{ status: number; body: Buffer | string; type: string }> => {
    const requested = decodeURIComponent(url.slice(1).split('?')[0]);
    const tarball = /^((?:@[^/]+\/)?[^/]+)\/-\/.+-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(requested);
    if (tarball !== null) {
      const [, name, version] = tarball;
      const entry = packuments.get(name);
      const manifest = entry?.versions.get(version);
      if (entry === undefined || manifest === undefined) {
        return { status: 404, body: `no ${name}@${version}`, type: 'text/plain' };
      }
      const file = entry.files.get(version);
      if (file !== undefined) {
        return { status: 200, body: fs.readFileSync(file), type: 'application/octet-stream' };
      }
      const integrity = (manifest.dist as { integrity: string }).integrity;
      const cached = await cacache.get.byDigest(cache, integrity).catch(() => undefined);
      return cached === undefined
        ? { status: 404, body: `${name}@${version} is not in npm's cache (${cache}); run npm install in ${ROOT} first`, type: 'text/plain' }
        : { status: 200, body: cached, type: 'application/octet-stream' };
    }
    const entry = packuments.get(requested);
    if (entry === undefined) {
      return { status: 404, body: JSON.stringify({ error: 'Not found' }), type: 'application/json' };
    }
    const versions = [...entry.versions.keys()];
    const latest = semver.maxSatisfying(versions.filter((v) => semver.prerelease(v) === null), '*') ?? versions[0];
    const body = {
      'name': requested,
      'dist-tags': { latest },
      'versions': Object.fromEntries([...entry.versions].map(([version, manifest]) =>
        [version, { ...manifest, dist: { ...(manifest.dist as object), tarball: tarballUrl(requested, version) } }])),
    };
    return { status: 200, body: JSON.stringify(body), type: 'application/json' };
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
