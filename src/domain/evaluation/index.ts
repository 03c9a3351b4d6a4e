export * from './evaluate.js';
export * from './ranking.js';
export { PUBLIC_SOURCES } from './region.js';
export * from './scheme.js';
export * from './schemes.js';
export * from './types.js';
