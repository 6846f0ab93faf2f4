export * from './layout';
export * from './manifest-chart';
export { GENERATED_HEADER } from './render';
export type { WriteReport } from './write';
