export * from './backward-factor.js';
export * from './jacobian.js';
export * from './theory.js';
