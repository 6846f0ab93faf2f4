export * from './fleet-testing';
export * from './match';
export type { DistBundle, DistCluster, DistNodePool } from '../operations/dist-fleet';
export type { KubeObject } from '../kube/types';
