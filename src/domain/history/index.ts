/** Deterministic case histories for the demo city (benchmarks, demos, evaluation data). */
export { generateHistory, type HistoryOptions } from './generate.js';
export { HistoryChecker } from './replay.js';
export * from './types.js';
