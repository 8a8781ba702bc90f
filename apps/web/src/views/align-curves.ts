/** The data of one line: its steps and its value at each. */
export interface StepSeries {
  steps: number[];
  values: number[];
}

/**
 * Several runs' curves on one step axis (uPlot's aligned data: x, then one array of y per series).
 * Each run thins its points at its own pace (see MAX_CURVE_POINTS: a run twice as far along keeps
 * every other step), always at multiples of a power of two, so the steps of the run that is furthest
 * along, which keeps the fewest, are kept by every run that has reached them. x is those steps; each
 * series gives its value there, or null where it has none (not reached yet, or a step it thinned out:
 * the chart spans such gaps) or where `keep` refuses the value (non-finite; <= 0 on a log axis).
 * Beyond `maxPoints`, every k-th x is kept.
 */
export function alignCurves(
  series: readonly StepSeries[],
  maxPoints: number,
  keep: (y: number) => boolean,
): [number[], ...(number | null)[][]] {
  const furthest = series.reduce<number[]>(
    (a, s) => ((s.steps.at(-1) ?? 0) > (a.at(-1) ?? 0) ? s.steps : a),
    [],
  );
  const stride = Math.max(1, Math.ceil(furthest.length / maxPoints));
  const x = stride === 1 ? furthest.slice() : furthest.filter((_, i) => i % stride === 0);
  const ys = series.map((s) => {
    const at = new Map<number, number>();
    for (const [i, step] of s.steps.entries()) at.set(step, s.values[i] as number);
    return x.map((step) => {
      const y = at.get(step);
      return y !== undefined && keep(y) ? y : null;
    });
  });
  return [x, ...ys];
}
