/**
 * How the page keeps long series short. Loss and metric curves keep at most MAX_CURVE_POINTS points
 * and the heat maps MAX_HEAT_COLUMNS columns: the steps that are multiples of `keepStride(last, max)`.
 * The stride is a pure function of the last step, so the worker, which sends only those steps, and
 * the page, which drops the ones a grown stride no longer keeps, agree without telling each other;
 * and runs at different steps keep nested sets of steps, so a chart can align them by step.
 * (Sending every step made the page's work grow with the runs' speed: the faster the training, the
 * more the page's thread had to take in, 5 times a second.) The worker keeps every step for exports.
 */

export const MAX_CURVE_POINTS = 2000;
export const MAX_HEAT_COLUMNS = 240;

/** The smallest power of two s for which steps 1..last hold at most `max` multiples of s. */
export function keepStride(last: number, max: number): number {
  let s = 1;
  while (Math.floor(last / s) > max) s *= 2;
  return s;
}

/**
 * The loss curve shows an exponential moving average of the per-batch loss (TensorBoard's default
 * smoothing, 0.9): raw batch losses jump by 10x from batch to batch and hide the trend. It runs over
 * every step, in the worker; exports keep the raw values.
 */
export const LOSS_SMOOTHING = 0.9;

/** The moving average after `value`, continuing from `last`; a non-finite value restarts it. */
export function smoothStep(last: number | undefined, value: number): number {
  return last === undefined || !Number.isFinite(last) || !Number.isFinite(value)
    ? value
    : LOSS_SMOOTHING * last + (1 - LOSS_SMOOTHING) * value;
}
