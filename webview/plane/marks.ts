/**
 * What is drawn over a colour map: contour lines, sample points, force arrows, mode means.
 * Every mark is light with a dark halo, so it reads on the dark and the bright ends of any
 * colour map alike (the maps' colours do not change with the theme; the marks need not either).
 */
import type { ContourLevel } from './contours';
import type { MapGeometry } from './mapFrame';

export const HALO = 'rgba(0, 0, 0, 0.72)';
export const INK = '#ffffff';
/** Generated points: the orange of q in the 1-D charts, fixed so it reads on every map. */
export const GENERATED = '#ff9d3b';

/** The exact force of the divergence (alignment): another colour and a dashed line beside the critic's white arrows. */
export const EXACT = '#5ee3ff';

export interface LineStyle {
  readonly width: number;
  readonly dash?: readonly number[];
  readonly alpha?: number;
  /** The line's colour; INK when absent. */
  readonly ink?: string;
}

/** Strokes the current path twice: a wide dark halo, then the light line. */
function haloStroke(ctx: CanvasRenderingContext2D, style: LineStyle, halo = 2): void {
  ctx.save();
  ctx.globalAlpha = style.alpha ?? 1;
  ctx.setLineDash(style.dash ? [...style.dash] : []);
  ctx.lineJoin = 'round';
  ctx.strokeStyle = HALO;
  ctx.lineWidth = style.width + halo;
  ctx.stroke();
  ctx.strokeStyle = style.ink ?? INK;
  ctx.lineWidth = style.width;
  ctx.stroke();
  ctx.restore();
}

export function drawContour(ctx: CanvasRenderingContext2D, g: MapGeometry, level: ContourLevel, style: LineStyle): void {
  ctx.beginPath();
  for (const ring of level.rings) {
    for (let k = 0; k < ring.length; k += 2) {
      const x = g.gx(ring[k]!);
      const y = g.gy(ring[k + 1]!);
      if (k === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.closePath();
  }
  haloStroke(ctx, style);
}

/** A circle of `radius` px at each of row-major [n, 2] points, as one path. */
function circlesPath(ctx: CanvasRenderingContext2D, g: MapGeometry, xy: ArrayLike<number>, radius: number): void {
  ctx.beginPath();
  for (let k = 0; k + 1 < xy.length; k += 2) {
    const x = g.px(xy[k]!);
    const y = g.py(xy[k + 1]!);
    ctx.moveTo(x + radius, y);
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
  }
}

/** Filled dots at row-major [n, 2] points (generated samples). */
export function drawDots(ctx: CanvasRenderingContext2D, g: MapGeometry, xy: ArrayLike<number>, radius: number): void {
  ctx.save();
  circlesPath(ctx, g, xy, radius);
  ctx.fillStyle = GENERATED;
  ctx.fill();
  ctx.strokeStyle = HALO;
  ctx.lineWidth = 0.8;
  ctx.stroke();
  ctx.restore();
}

/** Hollow rings at row-major [n, 2] points (real samples): another shape, not only another colour. */
export function drawRings(ctx: CanvasRenderingContext2D, g: MapGeometry, xy: ArrayLike<number>, radius: number): void {
  circlesPath(ctx, g, xy, radius);
  haloStroke(ctx, { width: 1 });
}

/** An arrow from (x0, y0) to (x1, y1) in pixels, added to the current path. */
function arrowPath(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, head: number): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy);
  if (len < 1) return;
  const ux = dx / len;
  const uy = dy / len;
  const h = Math.min(head, len * 0.6);
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.moveTo(x1 - h * ux + h * 0.5 * uy, y1 - h * uy - h * 0.5 * ux);
  ctx.lineTo(x1, y1);
  ctx.lineTo(x1 - h * ux - h * 0.5 * uy, y1 - h * uy + h * 0.5 * ux);
}

/** Share of the box's side the 95th-percentile force is drawn as. */
export const ARROW_SHARE = 0.07;
/** Longer forces are drawn at most this many times the typical length. */
const ARROW_CAP = 1.6;

/** The 95th percentile of the forces' lengths: the length every arrow is scaled against. */
export function typicalForce(forces: ArrayLike<number>): number {
  const lengths: number[] = [];
  for (let k = 0; k + 3 < forces.length; k += 4) {
    const l = Math.hypot(forces[k + 2]!, forces[k + 3]!);
    if (Number.isFinite(l)) lengths.push(l);
  }
  if (lengths.length === 0) return 0;
  lengths.sort((a, b) => a - b);
  return lengths[Math.min(lengths.length - 1, Math.floor(0.95 * lengths.length))]!;
}

/**
 * Arrows at row-major [n, 4] (x, y, fx, fy): the typical force (95th percentile) is drawn as
 * ARROW_SHARE of the box, longer ones capped at ARROW_CAP times that, so one outlier cannot
 * shrink all the others to dots.
 */
export function drawArrows(ctx: CanvasRenderingContext2D, g: MapGeometry, forces: ArrayLike<number>, typical: number, lineBoost: number, style: Omit<LineStyle, 'width'> = {}): void {
  if (!(typical > 0)) return;
  const pxPer = (ARROW_SHARE * Math.min(g.width, g.height)) / typical;
  const cap = ARROW_CAP * typical;
  ctx.beginPath();
  for (let k = 0; k + 3 < forces.length; k += 4) {
    const fx = forces[k + 2]!;
    const fy = forces[k + 3]!;
    const len = Math.hypot(fx, fy);
    if (!Number.isFinite(len) || len === 0) continue;
    const s = (Math.min(len, cap) / len) * pxPer;
    const x0 = g.px(forces[k]!);
    const y0 = g.py(forces[k + 1]!);
    // Screen y grows downwards.
    arrowPath(ctx, x0, y0, x0 + fx * s, y0 - fy * s, 5);
  }
  // Many arrows overlap where samples crowd: a thin halo keeps them apart.
  haloStroke(ctx, { ...style, width: 0.9 + lineBoost }, 1.2);
}

/** Row-major [n, 4] (x, y, fx, fy) from the points of `forces` and other force vectors [n, 2] at them. */
export function atForcePoints(forces: ArrayLike<number>, vectors: ArrayLike<number>): Float32Array {
  const out = new Float32Array(2 * vectors.length);
  for (let k = 0; 2 * k + 1 < vectors.length; k++) out.set([forces[4 * k]!, forces[4 * k + 1]!, vectors[2 * k]!, vectors[2 * k + 1]!], 4 * k);
  return out;
}

/** An arrow of `lengthPx` for the legend. */
export function drawLegendArrow(ctx: CanvasRenderingContext2D, x: number, y: number, lengthPx: number, style: Omit<LineStyle, 'width'> = {}): void {
  chip(ctx, x, y);
  ctx.beginPath();
  arrowPath(ctx, x, y, x + lengthPx, y, 5);
  haloStroke(ctx, { ...style, width: 0.9 }, 1.2);
}

/** A "+" at each mode's mean with its number beside it (the mode-coverage bars use the same numbers). */
export function drawModeMeans(ctx: CanvasRenderingContext2D, g: MapGeometry, means: ArrayLike<number>, labelled: boolean, font: string): void {
  const arm = 5;
  ctx.beginPath();
  for (let k = 0; k + 1 < means.length; k += 2) {
    const x = g.px(means[k]!);
    const y = g.py(means[k + 1]!);
    ctx.moveTo(x - arm, y);
    ctx.lineTo(x + arm, y);
    ctx.moveTo(x, y - arm);
    ctx.lineTo(x, y + arm);
  }
  haloStroke(ctx, { width: 1.5 });
  if (!labelled) return;
  ctx.save();
  ctx.font = font;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.lineWidth = 3;
  ctx.lineJoin = 'round';
  for (let k = 0; k + 1 < means.length; k += 2) {
    const x = g.px(means[k]!) + 4;
    const y = g.py(means[k + 1]!) - 3;
    const label = String(k / 2 + 1);
    ctx.strokeStyle = HALO;
    ctx.strokeText(label, x, y);
    ctx.fillStyle = INK;
    ctx.fillText(label, x, y);
  }
  ctx.restore();
}

/** Marks are made to be seen on a colour map: their legend swatches sit on a dark chip, as on one. */
const CHIP = '#2b2340';

function chip(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  ctx.fillStyle = CHIP;
  ctx.fillRect(x - 2, y - 7, 22, 14);
}

/** Legend swatches, each drawn in a 18 × 12 box whose left-middle is (x, y). */
export const swatch = {
  line(ctx: CanvasRenderingContext2D, x: number, y: number, style: LineStyle): void {
    chip(ctx, x, y);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 18, y);
    haloStroke(ctx, style);
  },
  dot(ctx: CanvasRenderingContext2D, x: number, y: number): void {
    chip(ctx, x, y);
    ctx.beginPath();
    ctx.arc(x + 9, y, 3, 0, 2 * Math.PI);
    ctx.fillStyle = GENERATED;
    ctx.fill();
    ctx.strokeStyle = HALO;
    ctx.lineWidth = 0.8;
    ctx.stroke();
  },
  ring(ctx: CanvasRenderingContext2D, x: number, y: number): void {
    chip(ctx, x, y);
    ctx.beginPath();
    ctx.arc(x + 9, y, 3, 0, 2 * Math.PI);
    haloStroke(ctx, { width: 1 });
  },
  plus(ctx: CanvasRenderingContext2D, x: number, y: number): void {
    chip(ctx, x, y);
    ctx.beginPath();
    ctx.moveTo(x + 4, y);
    ctx.lineTo(x + 14, y);
    ctx.moveTo(x + 9, y - 5);
    ctx.lineTo(x + 9, y + 5);
    haloStroke(ctx, { width: 1.5 });
  },
  fill(ctx: CanvasRenderingContext2D, x: number, y: number, fill: string | CanvasPattern, stroke: string): void {
    ctx.fillStyle = fill;
    ctx.fillRect(x + 2, y - 5, 14, 10);
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 2.5, y - 4.5, 13, 9);
  },
};
