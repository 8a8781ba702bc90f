import { ConfigError } from '@vgp/core';

/**
 * A learning-rate schedule as plain JSON. Each is a pure function of the 0-based update index
 * `step`, scaled from the optimizer's base learning rate:
 * - `constant`: lr.
 * - `step`: lr * gamma^floor(step / every) (PyTorch StepLR).
 * - `cosine`: minLr + (lr - minLr) * (1 + cos(pi * min(step, total) / total)) / 2 (Loshchilov & Hutter
 *   2017 without restarts; PyTorch CosineAnnealingLR), then minLr after `total` steps.
 * - `warmup`: a linear ramp lr * (step + 1) / steps over the first `steps` updates (so the first update
 *   is not zero), then `after` runs with its own step counter starting at 0 (Goyal et al. 2017).
 */
export type ScheduleSpec =
  | {
      /** Keep the base rate. */
      kind: 'constant';
    }
  | {
      /** Multiply by `gamma` every `every` updates. */
      kind: 'step';
      /** Updates between decays, a positive integer. */
      every: number;
      /** Decay factor in (0, 1]. */
      gamma: number;
    }
  | {
      /** Cosine annealing to `minLr`. */
      kind: 'cosine';
      /** Updates over which to anneal, a positive integer. */
      total: number;
      /** The final rate, in [0, lr] (default 0). */
      minLr?: number;
    }
  | {
      /** Linear warmup, then another schedule. */
      kind: 'warmup';
      /** Warmup updates, a positive integer. */
      steps: number;
      /** What follows (default constant); not another warmup. */
      after?: ScheduleSpec;
    };

/** The learning rate at a 0-based update index. */
export type Schedule = (step: number) => number;

/** The schedule kinds a {@link ScheduleSpec} can name. */
export const SCHEDULES = ['constant', 'step', 'cosine', 'warmup'] as const;

/** Always `lr`. */
export function constantSchedule(lr: number): Schedule {
  return () => lr;
}

/**
 * `lr * gamma^floor(step / every)`: multiplies the rate by `gamma` every `every` updates (PyTorch StepLR).
 */
export function stepSchedule(lr: number, every: number, gamma: number): Schedule {
  return (step) => lr * gamma ** Math.floor(step / every);
}

/**
 * Cosine annealing from `lr` at step 0 to `minLr` at step `total`, then `minLr` (PyTorch
 * CosineAnnealingLR).
 */
export function cosineSchedule(lr: number, total: number, minLr = 0): Schedule {
  return (step) => minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * Math.min(step, total)) / total))) / 2;
}

/**
 * A linear ramp `after(0) * (step + 1) / steps` over the first `steps` updates, then `after` with its
 * step counter restarted at 0. Warmup keeps the first updates small, when a large rate is most likely
 * to diverge (Goyal et al. 2017).
 */
export function warmupSchedule(steps: number, after: Schedule): Schedule {
  // The ramp ends at the value `after` starts from, so the hand-over is continuous.
  const peak = after(0);
  return (step) => (step < steps ? (peak * (step + 1)) / steps : after(step - steps));
}

/** Builds the schedule a spec describes around a base learning rate; a bad field throws `ConfigError`. */
export function makeSchedule(spec: ScheduleSpec | undefined, lr: number): Schedule {
  if (spec === undefined) return constantSchedule(lr);
  if (spec === null || typeof spec !== 'object') {
    throw new ConfigError(
      `schedule must be an object like { kind: 'cosine', total: 1000 }, got ${String(spec)}`,
    );
  }
  switch (spec.kind) {
    case 'constant':
      return constantSchedule(lr);
    case 'step':
      positiveInteger('schedule.every', spec.every);
      if (!(Number.isFinite(spec.gamma) && spec.gamma > 0 && spec.gamma <= 1)) {
        throw new ConfigError(
          `schedule.gamma must be in (0, 1] (e.g. 0.5 halves the rate), got ${spec.gamma}`,
        );
      }
      return stepSchedule(lr, spec.every, spec.gamma);
    case 'cosine': {
      positiveInteger('schedule.total', spec.total);
      const minLr = spec.minLr ?? 0;
      if (!(Number.isFinite(minLr) && minLr >= 0 && minLr <= lr)) {
        throw new ConfigError(`schedule.minLr must be in [0, lr] = [0, ${lr}], got ${minLr}`);
      }
      return cosineSchedule(lr, spec.total, minLr);
    }
    case 'warmup':
      positiveInteger('schedule.steps', spec.steps);
      if (spec.after?.kind === 'warmup') {
        throw new ConfigError(`schedule.after cannot be another warmup; use one warmup with more steps`);
      }
      return warmupSchedule(spec.steps, makeSchedule(spec.after, lr));
    default:
      throw new ConfigError(
        `unknown schedule '${(spec as { kind: unknown }).kind}'; use one of ${SCHEDULES.join(', ')}`,
      );
  }
}

function positiveInteger(field: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0)) throw new ConfigError(`${field} must be a positive integer, got ${v}`);
}
