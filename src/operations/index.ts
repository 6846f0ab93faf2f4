export * from './deploy';
export * from './dist-fleet';
export * from './preflight';
export * from './register';
export * from './status';
