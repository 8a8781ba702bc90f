export { aggregateRuns, type RunAggregate, type Spread, spreadOf, type VerdictCount } from './aggregate.js';
export { applyRemedies, CLIP_NORM, fitRemedies, remedyApplies } from './apply-remedies.js';
export * from './budget.js';
export { type CompareOptions, type CompareResult, compare, type Variant, variantConfig } from './compare.js';
export * from './config.js';
export { ExperimentRun, type ExperimentRunOptions, modelSpecFor, type RunStep } from './experiment-run.js';
export { histogramsToCsv } from './histogram-csv.js';
export { type GradHistogramSeries, gradHistogramSeries } from './histogram-series.js';
export { canonicalJson, fnv1a64, jobId } from './job-id.js';
export { getPreset, PRESETS, type Preset } from './presets/index.js';
export { type RunOptions, type RunResult, type RunSummary, runExperiment } from './run.js';
export * from './serialize.js';
export {
  axisValues,
  expandSweep,
  MAX_SWEEP_JOBS,
  type SweepAxisValues,
  type SweepJob,
  type SweepPlan,
  type SweepSpec,
  setPath,
  validateJobConfig,
} from './sweep-spec.js';
export { csvTaskData, loadCsv, loadTask, type TaskData } from './task-data.js';
