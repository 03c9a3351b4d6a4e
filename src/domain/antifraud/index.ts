export * from './geo.js';
export * from './phash.js';
export * from './rules.js';
export * from './types.js';
