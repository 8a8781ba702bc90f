export { diagnose } from './diagnose.js';
export { type DepthFlow, depthFlow, type TimeFlow, timeFlows } from './flow.js';
export * from './records.js';
export * from './remedies.js';
export * from './theory.js';
export * from './thresholds.js';
export * from './verdict.js';
export { median } from './window.js';
