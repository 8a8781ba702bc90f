/**
 * The thresholds `diagnose` uses, each with the reason for its value. They are deliberately coarse:
 * a verdict should name a problem that is there by orders of magnitude, not flicker on noise.
 */

/**
 * Verdicts look at the last half of the recorded steps: the first steps of any run are dominated by
 * the initialisation, and a problem must be sustained to be worth naming.
 */
export const ANALYSIS_WINDOW = 0.5;

/**
 * Vanishing through depth: the first weight layer's gradient RMS is below 1/100 of the last one's.
 * With one shared learning rate the first layer then learns 100x slower than the last; Glorot & Bengio
 * (2010, fig. 7) show sigmoid nets reaching this spread within a few layers. Below 1e-4 it is critical:
 * plain SGD moves those weights by less than float32 round-off of typical weights in any budget we run.
 */
export const VANISHING_RATIO = 1e-2;
/** Vanishing through depth is critical below this first/last gradient RMS ratio (see `VANISHING_RATIO`). */
export const VANISHING_RATIO_CRITICAL = 1e-4;

/**
 * Vanishing through time: ||dL/dh_1|| / ||dL/dh_T|| below 1e-3. Bengio, Simard & Frasconi (1994):
 * a gradient 1000x weaker at the first step is swamped by the contributions of the last few steps, so
 * dependencies that span the sequence are not learned. Critical below 1e-6.
 */
export const VANISHING_TIME_RATIO = 1e-3;
/**
 * Vanishing through time is critical below this first/last step gradient ratio (see
 * `VANISHING_TIME_RATIO`).
 */
export const VANISHING_TIME_RATIO_CRITICAL = 1e-6;

/**
 * Exploding: a global gradient norm above 1e3. Pascanu et al. (2013) clip at norms of 1..10; a norm
 * a hundred times past that moves weights far outside the region the loss surface was measured in.
 * Also exploding: the backward signal or the gradient through time growing 1000x from last to first
 * (the mirror of the vanishing thresholds), or the norm growing 100x over the run.
 */
export const EXPLODING_NORM = 1e3;
/**
 * Exploding through depth or time: the gradient at the first layer (or first step) is more than this
 * many times that at the last; the mirror of `VANISHING_TIME_RATIO`.
 */
export const EXPLODING_SIGNAL_RATIO = 1e3;
/**
 * Exploding over the run: the median gradient norm of the last tenth of the records over that of the first
 * tenth.
 */
export const EXPLODING_GROWTH = 1e2;

/**
 * Saturation: more than half the units of a sigmoid/tanh layer in the flat tails (the kernel's
 * sigmoid < 0.01 or > 0.99, |tanh| > 0.99). There the derivative is below 0.01 (sigmoid) or 0.02
 * (tanh), so those units pass back under 2% of the signal. Critical above 90%.
 */
export const SATURATION_FRAC = 0.5;
/** Saturation is critical above this fraction of saturated units (see `SATURATION_FRAC`). */
export const SATURATION_FRAC_CRITICAL = 0.9;

/**
 * Dead units: more than 40% of a ReLU layer's units output zero on the whole batch. A dead unit gets
 * no gradient and cannot recover by itself (Lu et al. 2019, "Dying ReLU"); He init loses about half
 * the units' activity per example but almost never a unit on a whole batch, so 40% is far from normal.
 * Critical above 80%.
 */
export const DEAD_FRAC = 0.4;
/** Dead units are critical above this fraction of a layer (see `DEAD_FRAC`). */
export const DEAD_FRAC_CRITICAL = 0.8;

/**
 * Frozen lower layers: the first layer's update ratio ||dW||/||W|| is two orders of magnitude below
 * the median of the layers above it. A healthy ratio is near 1e-3 per step (Karpathy, CS231n notes);
 * the lower layers barely change while the higher ones do, the first sign in our source text.
 */
export const FROZEN_UPDATE_RATIO = 1e-2;
/** ...and the first layer's own update ratio is below this (a tiny ratio under a tiny-lr run is not "frozen lower"). */
export const FROZEN_ABSOLUTE = 1e-4;
/** The update ratio the report calls healthy. */
export const HEALTHY_UPDATE_RATIO = 1e-3;

/**
 * Stagnation: over the analysis window the loss improved by less than 1% of its value, while it is
 * still more than half-way from its floor to the chance level (or to the run's first loss when the
 * chance level is unknown). A plateau near the floor is convergence, not stagnation.
 */
export const STAGNATION_MIN_IMPROVEMENT = 0.01;
/**
 * "Far from the floor" for stagnation: the final loss is above floor + this fraction of the distance from
 * the floor to the chance level (or to the first loss).
 */
export const STAGNATION_FAR_FRACTION = 0.5;
/** Trends need enough points; with fewer records, stagnation is not judged. */
export const MIN_RECORDS_FOR_TREND = 8;

/**
 * Weight decay or dying units push weights to exactly zero: |w| < 1e-4 is "near zero". He or Glorot
 * weights of layers up to width 1024 have std above 0.04, so fewer than 0.3% of fresh weights fall
 * below it; a large near-zero fraction is the sign "weights go to zero".
 */
export const NEAR_ZERO_WEIGHT = 1e-4;
/** The monitor counts near-zero weights on every 10th record only: weights go to zero over hundreds of steps, and the count makes the pass over every matrix (`paramStats`) half again as long. */
export const NEAR_ZERO_EVERY = 10;
/** More than a quarter of a layer's weights near zero is reported as weights going to zero (with dead units). */
export const NEAR_ZERO_FRAC = 0.25;
