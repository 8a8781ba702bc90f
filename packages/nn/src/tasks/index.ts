export * from './csv.js';
export * from './dataset.js';
export * from './mnist.js';
export * from './sequence.js';
export * from './toy2d.js';
