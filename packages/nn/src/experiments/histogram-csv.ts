import type { RecordSource } from '../diagnostics/record-range.js';
import { loadPapa } from '../libraries.js';
import { gradHistogramSeries } from './histogram-series.js';

/**
 * Every gradient histogram of every run as long-format CSV, one row per (run, step, layer, parameter,
 * bin), the shape plotting tools want for a ridge plot or a density image:
 * `run,step,layer,param,bin,log10_lo,log10_hi,count`. `bin` is the bin's index, `log10_lo` and
 * `log10_hi` its edges in log10|g| (bin 0 also counts smaller magnitudes and zeros, the last bin larger
 * ones). Empty bins are written too, so every histogram has all its rows.
 */
export async function histogramsToCsv(
  runs: ReadonlyArray<{ label: string; history: RecordSource }>,
): Promise<string> {
  const Papa = await loadPapa();
  const rows: Array<Array<string | number>> = [];
  for (const run of runs) {
    const s = gradHistogramSeries(run.history);
    const width = (s.maxExp - s.minExp) / s.bins;
    s.steps.forEach((step, k) => {
      for (const p of s.params) {
        (p.counts[k] ?? []).forEach((count, bin) => {
          rows.push([
            run.label,
            step,
            p.layer,
            p.name,
            bin,
            s.minExp + bin * width,
            s.minExp + (bin + 1) * width,
            count,
          ]);
        });
      }
    });
  }
  return Papa.unparse(
    { fields: ['run', 'step', 'layer', 'param', 'bin', 'log10_lo', 'log10_hi', 'count'], data: rows },
    { newline: '\n' },
  ).concat('\n');
}
