export * from './aws-identity';
export * from './eks-addon';
export * from './eks-addon-defaults';
export * from './eks-cluster-spec';
export * from './eks-spec-props';
export * from './kubernetes-version';
export * from './node-pool';
export type { ResolvedEksSpec, ResolvedNodePool } from './resolve';
