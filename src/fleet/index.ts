export * from './cluster';
export * from './fleet';
export * from './labels';
export * from './profile';
