export * from './descent.js';
export * from './grid.js';
export * from './one-unit.js';
