export * from './decide.js';
export * from './guards.js';
export * from './queues.js';
export * from './requests.js';
export * from './states.js';
export * from './table.js';
