import { activationCases } from './cases-activations.js';
import { elementwiseCases } from './cases-elementwise.js';
import { linalgCases } from './cases-linalg.js';
import { lossCases } from './cases-losses.js';
import { normCases } from './cases-norms.js';
import { optimizerCases } from './cases-optimizers.js';
import { recurrentCases } from './cases-recurrent.js';
import { reductionCases } from './cases-reductions.js';
import type { Case, KernelName } from './table-types.js';

/**
 * The one parity table: every kernel of the Backend interface, each with its cases. Typed as a full
 * Record over `KernelName`, so a kernel added to the interface without cases fails to compile.
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
};
