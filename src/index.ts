export * from './bundle';
export * from './fleet';
export * from './eks';
export * from './output';
export * from './rollout';
export * from './testing';
export { NodePool, type NodePoolProps } from './capi/node-pool';
export * as l1 from './l1';
export { cidrSubnet } from './_cidr';
