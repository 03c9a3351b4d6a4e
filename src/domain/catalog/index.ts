/** Pure catalog helpers: category codes, time-limit text, default standards, the xlsx layout. */

export * from './class-sheet.js';
export * from './classes.js';
export * from './codes.js';
export * from './defaults.js';
export * from './derive.js';
export * from './gbt47678.js';
export * from './limits.js';
export * from './mapping.js';
export * from './move.js';
export * from './sheet.js';
