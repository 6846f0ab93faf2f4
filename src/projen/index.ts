// `import { FleetProject } from 'cdk8s-arlon/projen'` in a fleet repository's .projenrc.ts. Kept apart from the
// library's main entry point so that a synth never loads projen.
export * from './fleet-project';
export * from './toolchain';
