/**
 * Paints one run's network on a 2-D canvas: edges (colour |dL/dw|, thickness |w|), neurons (fill:
 * activation over the input plane, or the activation's distribution; ring: |dL/da|), dead and
 * saturated marks, the collapsed band and the labels. Colours of gradients are viridis on a log
 * scale (dark = small), as in the heat maps; activations use a blue-white-orange diverging scale.
 */
import type { EdgeView, NetLayerView, NetworkView } from '../worker/network-data.js';
import { logPosition, VIRIDIS_LUT } from './color-scale.js';
import type { NetworkLayout, NetworkScales, NeuronSpot } from './network-layout.js';

/** A unit counts as saturated when more than half its batch sits in the flat tails (diagnose's SATURATION_FRAC). */
export const SATURATED_UNIT = 0.5;

export function viridisCss(t: number, alpha = 1): string {
  const k = 3 * Math.round(Math.min(1, Math.max(0, t)) * 255);
  return `rgba(${VIRIDIS_LUT[k]},${VIRIDIS_LUT[k + 1]},${VIRIDIS_LUT[k + 2]},${alpha})`;
}

/** Blue (-1) .. near-white (0) .. orange (+1), as the TF Playground colours activations. */
export function diverging(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(-1, Number.isFinite(t) ? t : 0));
  const mid: [number, number, number] = [232, 234, 238];
  const end: [number, number, number] = x < 0 ? [33, 113, 181] : [230, 120, 20];
  const a = Math.abs(x);
  return [mid[0] + (end[0] - mid[0]) * a, mid[1] + (end[1] - mid[1]) * a, mid[2] + (end[2] - mid[2]) * a];
}

/** Maps an activation to -1..1 for the diverging scale: sigmoid around 0.5, tanh as is, others by `scale`. */
export function activationPosition(v: number, activation: string | null, scale: number): number {
  if (activation === 'sigmoid') return 2 * v - 1;
  if (activation === 'tanh') return v;
  return scale > 0 ? v / scale : 0;
}

/** The largest |activation| a layer's time means or unit means show (the scale of unbounded activations). */
export function layerScale(l: NetLayerView): number {
  let m = 0;
  for (const row of l.time?.actMean ?? []) for (const v of row) if (Math.abs(v) > m) m = Math.abs(v);
  for (const v of l.actMean ?? []) if (Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/**
 * A layer's maps painted once into one strip (unit u at x = u * grid) per maps array: the maps change
 * about once a second, frames come sixty times, so a frame only scales finished tiles.
 */
const strips = new WeakMap<Float32Array, HTMLCanvasElement | null>();

function strip(maps: Float32Array, grid: number, activation: string | null): HTMLCanvasElement | null {
  if (strips.has(maps)) return strips.get(maps) ?? null;
  const cells = grid * grid;
  const units = maps.length / cells;
  let scale = 0;
  for (const v of maps) if (Math.abs(v) > scale) scale = Math.abs(v);
  const c = document.createElement('canvas');
  c.width = units * grid;
  c.height = grid;
  const tctx = c.getContext('2d');
  if (!tctx) {
    strips.set(maps, null);
    return null;
  }
  const img = tctx.createImageData(c.width, grid);
  for (let u = 0; u < units; u++) {
    for (let i = 0; i < cells; i++) {
      const [r, g, b] = diverging(activationPosition(maps[u * cells + i] ?? 0, activation, scale));
      const o = 4 * (Math.floor(i / grid) * c.width + u * grid + (i % grid));
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = 255;
    }
  }
  tctx.putImageData(img, 0, 0);
  strips.set(maps, c);
  return c;
}

function drawHistogram(ctx: CanvasRenderingContext2D, counts: number[], s: NeuronSpot) {
  const max = Math.max(1, ...counts);
  const w = s.size / counts.length;
  ctx.fillStyle = '#8fb3d9';
  counts.forEach((c, i) => {
    const h = (c / max) * (s.size - 2);
    ctx.fillRect(s.x - s.size / 2 + i * w, s.y + s.size / 2 - 1 - h, Math.max(0.7, w - 0.3), h);
  });
}

/** Edges are stroked in buckets of colour and width: a few dozen strokes a frame instead of one per edge. */
const COLOUR_LEVELS = 16;
const WIDTH_LEVELS = 4;

function drawEdges(
  ctx: CanvasRenderingContext2D,
  e: EdgeView,
  from: NeuronSpot[],
  to: NeuronSpot[],
  sc: NetworkScales,
) {
  const buckets = new Map<number, number[]>();
  to.forEach((b, j) => {
    from.forEach((a, i) => {
      const k = i * to.length + j;
      const c = Math.round(logPosition(e.grad[k] ?? 0, sc.edge) * (COLOUR_LEVELS - 1));
      const w = Math.round(Math.min(1, (e.weight[k] ?? 0) / sc.maxWeight) * (WIDTH_LEVELS - 1));
      const key = c * WIDTH_LEVELS + w;
      let list = buckets.get(key);
      if (!list) {
        list = [];
        buckets.set(key, list);
      }
      list.push(a.x + a.size / 2, a.y, b.x - b.size / 2, b.y);
    });
  });
  for (const [key, pts] of buckets) {
    const c = Math.floor(key / WIDTH_LEVELS);
    const w = key % WIDTH_LEVELS;
    ctx.strokeStyle = viridisCss(c / (COLOUR_LEVELS - 1), 0.85);
    ctx.lineWidth = 0.4 + (3.2 * w) / (WIDTH_LEVELS - 1);
    ctx.beginPath();
    for (let p = 0; p < pts.length; p += 4) {
      ctx.moveTo(pts[p] as number, pts[p + 1] as number);
      ctx.lineTo(pts[p + 2] as number, pts[p + 3] as number);
    }
    ctx.stroke();
  }
}

/** The neurons of column `c`, in slot order. */
export function spotsOf(layout: NetworkLayout, c: number): NeuronSpot[] {
  return layout.neurons.filter((n) => n.column === c);
}

/**
 * Which edges come into column `c`, and from which column: the previous layer's (or, for a
 * recurrent layer after its first drawn step, the previous step's through W_hh). None across a band.
 */
export function incoming(
  view: NetworkView,
  layout: NetworkLayout,
  c: number,
): { edges: EdgeView; from: number } | null {
  const col = layout.columns[c];
  const prev = layout.columns[c - 1];
  if (!col || !prev || col.kind !== 'layer' || prev.kind !== 'layer') return null;
  const l = view.layers[col.layer] as NetLayerView;
  if (col.time !== null && col.time > 0 && prev.layer === col.layer) {
    return l.recurrentEdges ? { edges: l.recurrentEdges, from: c - 1 } : null;
  }
  return l.edges ? { edges: l.edges, from: c - 1 } : null;
}

export function paintNetwork(
  ctx: CanvasRenderingContext2D,
  view: NetworkView,
  layout: NetworkLayout,
  sc: NetworkScales,
  width: number,
  height: number,
): void {
  ctx.clearRect(0, 0, width, height);
  ctx.lineCap = 'round';
  layout.columns.forEach((_, c) => {
    const inc = incoming(view, layout, c);
    if (inc) drawEdges(ctx, inc.edges, spotsOf(layout, inc.from), spotsOf(layout, c), sc);
  });
  const scales = view.layers.map(layerScale);
  for (const s of layout.neurons) {
    const l = view.layers[s.layer] as NetLayerView;
    const x0 = s.x - s.size / 2;
    const y0 = s.y - s.size / 2;
    ctx.fillStyle = '#0b0f14';
    ctx.fillRect(x0, y0, s.size, s.size);
    const maps = view.plane?.maps[s.layer];
    if (s.time !== null && l.time) {
      const [r, g, b] = diverging(
        activationPosition(l.time.actMean[s.time]?.[s.slot] ?? 0, l.activation, scales[s.layer] ?? 1),
      );
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(x0, y0, s.size, s.size);
    } else if (maps && view.plane) {
      const g = view.plane.size;
      const t = strip(maps, g, l.activation);
      ctx.imageSmoothingEnabled = false;
      if (t) ctx.drawImage(t, (l.shown[s.slot] ?? 0) * g, 0, g, g, x0, y0, s.size, s.size);
    } else if (l.hist?.[s.slot]) drawHistogram(ctx, l.hist[s.slot] as number[], s);
    const g = s.time !== null ? l.time?.grad[s.time]?.[s.slot] : l.grad?.[s.slot];
    ctx.lineWidth = 3;
    ctx.setLineDash(g === undefined ? [2, 2] : []);
    ctx.strokeStyle =
      g === undefined ? '#5b6675' : Number.isFinite(g) ? viridisCss(logPosition(g, sc.neuron)) : '#ff3c3c';
    ctx.strokeRect(x0 - 1.5, y0 - 1.5, s.size + 3, s.size + 3);
    ctx.setLineDash([]);
    if (l.dead?.[s.slot]) {
      ctx.strokeStyle = '#ff7b72';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x0 + s.size, y0 + s.size);
      ctx.moveTo(x0 + s.size, y0);
      ctx.lineTo(x0, y0 + s.size);
      ctx.stroke();
    }
    if ((l.saturated?.[s.slot] ?? 0) > SATURATED_UNIT) {
      ctx.fillStyle = '#ffb454';
      ctx.beginPath();
      ctx.moveTo(x0 + s.size + 1.5, y0 - 1.5);
      ctx.lineTo(x0 + s.size + 1.5, y0 + s.size * 0.45);
      ctx.lineTo(x0 + s.size * 0.55, y0 - 1.5);
      ctx.fill();
    }
  }
  ctx.font = '9px system-ui, sans-serif';
  ctx.textAlign = 'center';
  layout.columns.forEach((col) => {
    ctx.fillStyle = '#a9b4c2';
    ctx.fillText(col.label, col.x, 10);
    if (col.kind === 'band') {
      const w = Math.max(8, layout.pitch * 0.7);
      const h = layout.bottom - layout.top;
      const strip = w / col.layers.length;
      col.layers.forEach((li, k) => {
        const m = view.layers[li]?.meanGrad ?? null;
        ctx.fillStyle = m === null ? '#2c3846' : viridisCss(logPosition(m, sc.neuron));
        ctx.fillRect(col.x - w / 2 + k * strip, layout.top, Math.max(0.8, strip - 0.5), h);
      });
      ctx.fillStyle = '#a9b4c2';
      ctx.fillText(`${col.layers.length} layers`, col.x, height - 4);
      return;
    }
    const l = view.layers[col.layer] as NetLayerView;
    const more = l.units - l.shown.length;
    // Narrow columns get the number only; the tooltip says the rest.
    if (more > 0 && (col.time === null || col.time === 0))
      ctx.fillText(layout.pitch < 48 ? `+${more}` : `+${more} more`, col.x, height - 4);
  });
}
