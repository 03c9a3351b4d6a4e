/** Pure catalog helpers: category codes, time-limit text, default standards, the xlsx layout. */

export * from './class-sheet.js';
export * from './classes.js';
export * from './codes.js';
export * from './defaults.js';
export * from './limits.js';
export * from './sheet.js';
