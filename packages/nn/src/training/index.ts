export * from './schedule.js';
export * from './optimizer.js';
export * from './optimizers.js';
export * from './optimizer-spec.js';
export * from './clip.js';
