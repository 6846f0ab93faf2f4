export * from './bundle';
export * from './bundle-options';
export type { BundleTarget } from './bundle-target';
export type { ClusterBundleOptions } from './membership';
export * from './presets';
export * from './removal-policy';
