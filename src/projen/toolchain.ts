import { libraryManifest } from '../_library-manifest';

/** The versions a fleet repository pins: those cdk8s-arlon is built and tested with, from its own package.json. */
export interface FleetToolchain {
  readonly cdk8sArlon: string;
  readonly typescript: string;
  readonly minNodeVersion: string;
  readonly projen: string;
  readonly tsNode: string;
  readonly cdk8sCli: string;
  readonly jest: string;
  readonly tsJest: string;
  readonly typesJest: string;
  readonly eslintPluginImport: string;
  readonly eslintImportResolverTypescript: string;
  readonly cdk8s: string;
  readonly constructs: string;
  readonly cdk8sPlus28: string;
}

/**
 * The fleet toolchain, read from the package.json of the cdk8s-arlon this module is part of: upgrading the library
 * upgrades the pins. Every one is a version or a range, never a dist-tag, so a registry that serves only `latest`
 * installs them.
 */
export function fleetToolchain(from: string = __dirname): FleetToolchain {
  const manifest = libraryManifest(from);
  if (manifest === undefined) {
    throw new Error(`FleetProject: cdk8s-arlon's package.json was not found above ${from}; install cdk8s-arlon with npm and import `
      + 'FleetProject from \'cdk8s-arlon/projen\'');
  }
  const pick = (field: 'devDependencies' | 'peerDependencies', name: string): string => {
    const version = manifest[field]?.[name];
    if (version === undefined) {
      throw new Error(`FleetProject: cdk8s-arlon ${manifest.version} lists no ${name} in its ${field}; reinstall cdk8s-arlon`);
    }
    return version;
  };
  const engine = /(\d+\.\d+\.\d+)/.exec(manifest.engines?.node ?? '');
  return {
    cdk8sArlon: manifest.version,
    // ts-jest refuses TypeScript 7.x: exactly the version the library is compiled and tested with
    typescript: pick('devDependencies', 'typescript'),
    minNodeVersion: engine?.[1] ?? '20.19.0',
    projen: pick('devDependencies', 'projen'),
    tsNode: pick('devDependencies', 'ts-node'),
    cdk8sCli: pick('devDependencies', 'cdk8s-cli'),
    jest: pick('devDependencies', 'jest'),
    tsJest: pick('devDependencies', 'ts-jest'),
    typesJest: pick('devDependencies', '@types/jest'),
    // projen adds these two unversioned and installs a second time to pin them: pinned here, one install
    eslintPluginImport: pick('devDependencies', 'eslint-plugin-import'),
    eslintImportResolverTypescript: pick('devDependencies', 'eslint-import-resolver-typescript'),
    cdk8s: pick('peerDependencies', 'cdk8s'),
    constructs: pick('peerDependencies', 'constructs'),
    cdk8sPlus28: pick('peerDependencies', 'cdk8s-plus-28'),
  };
}
