import { activationCases } from './cases-activations.js';
import { elementwiseCases } from './cases-elementwise.js';
import { linalgCases } from './cases-linalg.js';
import { lossCases } from './cases-losses.js';
import { normCases } from './cases-norms.js';
import { optimizerCases } from './cases-optimizers.js';
import { recurrentCases } from './cases-recurrent.js';
import { reductionCases } from './cases-reductions.js';
import { statsCases } from './cases-stats.js';
import type { Case, KernelName } from './table-types.js';

/**
 * The one parity table: every kernel of the Backend interface, each with its cases. Typed as a full
 * Record over `KernelName`, so a kernel added to the interface without cases fails to compile.
 *
 * Each case draws f32-representable inputs from a seed, runs on the float64 reference and on each
 * backend under test (run-parity.ts), and compares every output with its stated tolerance:
 * |got - want| <= tol * max(|want|, floor), where the floor is the scale at which rounding shows
 * (normwise by default; for sums, the sum of magnitudes, after Higham). Outputs start as NaN where
 * the kernel must overwrite them, and every buffer the reference leaves untouched must stay so.
 * To add a kernel: declare it in backend.ts, then give it cases in the cases-*.ts of its group.
 */
export const PARITY_TABLE: Record<KernelName, Case[]> = {
  ...elementwiseCases,
  ...linalgCases,
  ...activationCases,
  ...lossCases,
  ...normCases,
  ...recurrentCases,
  ...optimizerCases,
  ...reductionCases,
  ...statsCases,
};
