import { ConfigError, ShapeError } from '@vgp/core';
import type { Layer } from '../layer.js';
import { shapeSize, shapeString, type Tensor } from '../tensor.js';
import type { ModelSpec } from './model-spec.js';

/** One saved tensor: its shape and its values in row-major order. */
export interface SavedTensor {
  /** The tensor's dimensions. */
  shape: number[];
  /** `shapeSize(shape)` numbers, row-major. */
  values: number[];
}

/**
 * A model's weights as plain JSON: every parameter and every non-trained state tensor (batch norm's
 * running statistics) by name. `spec` is included when the model was built from one, so a file says
 * what to rebuild.
 */
export interface WeightsJson {
  /** Marks the object as vgp weights. */
  format: 'vgp-weights';
  /** Version of this format. */
  version: 1;
  /** The spec the model was built from, when it was. */
  spec?: ModelSpec;
  /** Every trainable parameter, by `Param.name`. */
  params: Record<string, SavedTensor>;
  /** Every non-trained state tensor, by name (see `Layer.buffers`). */
  buffers: Record<string, SavedTensor>;
}

/** The weights of `model` (copies), ready for `JSON.stringify`. */
export function saveWeights(model: Layer): WeightsJson {
  const save = (t: Tensor): SavedTensor => ({ shape: [...t.shape], values: Array.from(t.read()) });
  const out: WeightsJson = { format: 'vgp-weights', version: 1, params: {}, buffers: {} };
  const spec = (model as { spec?: ModelSpec }).spec;
  if (spec !== undefined) out.spec = structuredClone(spec);
  for (const p of model.params()) out.params[p.name] = save(p.value);
  for (const b of model.buffers()) out.buffers[b.name] = save(b.value);
  return out;
}

/**
 * Copies saved weights into `model`. Everything is checked before anything is written, so a failed load
 * leaves the model unchanged: the same set of names (`ConfigError` naming a missing or unexpected one),
 * the same shape for each (`ShapeError` naming the tensor and both shapes), finite values.
 */
export function loadWeights(model: Layer, json: WeightsJson): void {
  if (json === null || typeof json !== 'object' || json.format !== 'vgp-weights') {
    throw new ConfigError(`not a vgp weights object (format 'vgp-weights'); pass what saveWeights returned`);
  }
  if (json.version !== 1)
    throw new ConfigError(`weights version ${String(json.version)} is not supported; this build reads 1`);
  const writes: [Tensor, number[]][] = [];
  const match = (
    kind: string,
    tensors: { name: string; value: Tensor }[],
    saved: Record<string, SavedTensor>,
  ) => {
    if (saved === null || typeof saved !== 'object')
      throw new ConfigError(`weights: '${kind}' must be an object of tensors`);
    const names = new Set(tensors.map((t) => t.name));
    for (const name of Object.keys(saved)) {
      if (!names.has(name)) {
        throw new ConfigError(
          `weights hold ${kind} '${name}' that this model does not have; they come from another architecture (model ${kind}: ${[...names].join(', ')})`,
        );
      }
    }
    for (const { name, value } of tensors) {
      const s = saved[name];
      if (s === undefined) {
        throw new ConfigError(
          `weights lack ${kind} '${name}' of shape ${shapeString(value.shape)}; they come from another architecture`,
        );
      }
      const sameShape =
        Array.isArray(s.shape) &&
        s.shape.length === value.rank &&
        s.shape.every((d, i) => d === value.shape[i]);
      if (!sameShape) {
        throw new ShapeError(
          `weights: ${kind} '${name}' has shape ${shapeString(s.shape ?? [])} in the file but ${shapeString(value.shape)} in the model; build the model from the spec the weights were saved with`,
        );
      }
      if (!Array.isArray(s.values) || s.values.length !== shapeSize(value.shape)) {
        throw new ShapeError(
          `weights: ${kind} '${name}' needs ${value.size} values, the file has ${s.values?.length ?? 0}`,
        );
      }
      const bad = s.values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
      if (bad >= 0)
        throw new ConfigError(
          `weights: ${kind} '${name}' value ${bad} is ${String(s.values[bad])}, not a finite number`,
        );
      writes.push([value, s.values]);
    }
  };
  match(
    'param',
    model.params().map((p) => ({ name: p.name, value: p.value })),
    json.params,
  );
  match('buffer', model.buffers(), json.buffers ?? {});
  for (const [t, values] of writes) t.backend.write(t.buf, values);
}
