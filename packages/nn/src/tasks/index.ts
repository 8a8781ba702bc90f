export * from './dataset.js';
export * from './toy2d.js';
export * from './sequence.js';
export * from './mnist.js';
