export * from './cluster';
export { ClusterNaming, type ClusterNames } from '../naming/cluster-names';
export * from './external-cluster';
export * from './fleet';
export * from './labels';
export * from './management-cluster';
export * from './profile';
export * from './synth-fleet';
