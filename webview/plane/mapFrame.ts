/**
 * Geometry of one map canvas (the box, its axes, the colour bar and the legend under it) and
 * the drawing of its frame, ticks and colour bar, in CSS pixels.
 */
import { ticks } from 'd3-array';
import type { PlaneAxis } from '../../src/protocol';
import { formatTick } from '../../src/numberFormat';
import { canvasFont, type Palette } from '../theme';
import { LUT_SIZE, type ColourScale } from './colourScale';

export interface Box {
  readonly x: PlaneAxis;
  readonly y: PlaneAxis;
}

/** Room for the y tick labels and the axis name on the left. */
const LEFT = 46;
const RIGHT = 14;
const TOP = 8;
/** x tick labels and the axis name under the box. */
const AXIS_BLOCK = 34;
/** Bar, its tick labels and its caption. */
const BAR_BLOCK = 50;
const BAR_HEIGHT = 10;
export const LEGEND_ROW = 18;
/** A box never taller than this (a wide single column would otherwise fill the screen). */
const MAX_BOX = 560;

export class MapGeometry {
  readonly left: number;
  readonly top = TOP;
  readonly width: number;
  readonly height: number;
  readonly barTop: number;
  readonly legendTop: number;
  readonly cssHeight: number;

  constructor(readonly cssWidth: number, readonly box: Box, hasBar: boolean, legendRows: number) {
    const aspect = (box.y.hi - box.y.lo) / (box.x.hi - box.x.lo);
    let w = Math.max(60, cssWidth - LEFT - RIGHT);
    let h = w * aspect;
    if (h > MAX_BOX) {
      h = MAX_BOX;
      w = h / aspect;
    }
    this.width = w;
    this.height = h;
    // Centred when the height cap leaves spare width.
    this.left = LEFT + Math.max(0, (cssWidth - LEFT - RIGHT - w) / 2);
    this.barTop = TOP + h + AXIS_BLOCK;
    this.legendTop = this.barTop + (hasBar ? BAR_BLOCK : 0);
    this.cssHeight = Math.ceil(this.legendTop + legendRows * LEGEND_ROW + (legendRows ? 4 : 0));
  }

  /** Width the legend and colour bar may use. */
  get contentLeft(): number {
    return 8;
  }

  get contentWidth(): number {
    return this.cssWidth - 16;
  }

  px(x: number): number {
    return this.left + ((x - this.box.x.lo) / (this.box.x.hi - this.box.x.lo)) * this.width;
  }

  py(y: number): number {
    return this.top + (1 - (y - this.box.y.lo) / (this.box.y.hi - this.box.y.lo)) * this.height;
  }

  /** Lattice coordinates (cell (i, j) spans [i, i + 1] × [j, j + 1]) to pixels. */
  gx(i: number): number {
    return this.left + (i / this.box.x.count) * this.width;
  }

  gy(j: number): number {
    return this.top + (1 - j / this.box.y.count) * this.height;
  }

  /** The cell under a pixel, or null outside the box. */
  cellAt(px: number, py: number): { i: number; j: number; x: number; y: number } | null {
    const u = (px - this.left) / this.width;
    const v = 1 - (py - this.top) / this.height;
    if (!(u >= 0 && u < 1 && v >= 0 && v < 1)) return null;
    const { x, y } = this.box;
    return { i: Math.floor(u * x.count), j: Math.floor(v * y.count), x: x.lo + u * (x.hi - x.lo), y: y.lo + v * (y.hi - y.lo) };
  }
}

/** The box outline, ticks and tick labels on both axes, and the axis names x₁ and x₂. */
export function drawAxes(ctx: CanvasRenderingContext2D, g: MapGeometry, p: Palette): void {
  const { x, y } = g.box;
  ctx.save();
  ctx.strokeStyle = p.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(g.left - 0.5, g.top - 0.5, g.width + 1, g.height + 1);
  ctx.font = canvasFont(p, -2);
  ctx.fillStyle = p.muted;
  ctx.beginPath();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks(x.lo, x.hi, Math.max(2, Math.floor(g.width / 60)))) {
    const px = Math.round(g.px(t)) + 0.5;
    ctx.moveTo(px, g.top + g.height);
    ctx.lineTo(px, g.top + g.height + 4);
    ctx.fillText(formatTick(t), px, g.top + g.height + 6);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks(y.lo, y.hi, Math.max(2, Math.floor(g.height / 45)))) {
    const py = Math.round(g.py(t)) + 0.5;
    ctx.moveTo(g.left - 4, py);
    ctx.lineTo(g.left, py);
    ctx.fillText(formatTick(t), g.left - 6, py);
  }
  ctx.stroke();
  ctx.font = canvasFont(p, -2, 600);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText('x₁', g.left + g.width / 2, g.top + g.height + 33);
  ctx.translate(g.left - 36, g.top + g.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText('x₂', 0, 0);
  ctx.restore();
}

export interface ColourBar {
  readonly scale: ColourScale;
  readonly caption: string;
  /** Values beyond the ends exist: the bar ends in a pointed cap there ("this or more"). */
  readonly clippedLow?: boolean;
  readonly clippedHigh?: boolean;
}

/** Tick values for a bar: nice numbers; powers of ten on a log scale. */
export function barTicks(scale: ColourScale, room: number): number[] {
  const { lo, hi } = scale;
  if (!(hi > lo)) return Number.isFinite(lo) ? [lo] : [];
  if (scale.transform === 'log') {
    const out: number[] = [];
    for (let e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9); e++) out.push(10 ** e);
    return out;
  }
  const list = ticks(lo, hi, Math.max(2, Math.floor(room / 70)));
  // On a square-root scale the low ticks crowd together: keep those at least 40 px apart.
  if (scale.transform !== 'sqrt') return list;
  const kept: number[] = [];
  let last = -Infinity;
  for (const t of list) {
    const at = scale.position(t) * room;
    if (at - last >= 40 || t === 0) { kept.push(t); last = at; }
  }
  return kept;
}

const strips = new WeakMap<Uint8ClampedArray, HTMLCanvasElement | null>();

/** A colour table as a 256 × 1 image. */
function lutStrip(lut: Uint8ClampedArray): HTMLCanvasElement | null {
  if (strips.has(lut)) return strips.get(lut)!;
  const c = document.createElement('canvas');
  c.width = LUT_SIZE;
  c.height = 1;
  const ctx = c.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(LUT_SIZE, 1);
    img.data.set(lut);
    ctx.putImageData(img, 0, 0);
  }
  strips.set(lut, ctx ? c : null);
  return ctx ? c : null;
}

export function drawColourBar(ctx: CanvasRenderingContext2D, g: MapGeometry, bar: ColourBar, p: Palette): void {
  const cap = 7;
  const x0 = g.left + (bar.clippedLow ? cap : 0);
  const w = g.width - (bar.clippedLow ? cap : 0) - (bar.clippedHigh ? cap : 0);
  const y0 = g.barTop;
  ctx.save();
  const strip = lutStrip(bar.scale.lut);
  if (strip) {
    // The table's entries are colours at evenly spaced positions: the bar is the table, stretched.
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(strip, x0, y0, w, BAR_HEIGHT);
  }
  // Pointed caps: colours beyond the bar's range are drawn in the end colours.
  const triangle = (tip: number, base: number, colour: string): void => {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(base, y0);
    ctx.lineTo(tip, y0 + BAR_HEIGHT / 2);
    ctx.lineTo(base, y0 + BAR_HEIGHT);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  };
  ctx.strokeStyle = p.axis;
  ctx.lineWidth = 1;
  if (bar.clippedLow) triangle(g.left, x0, bar.scale.cssAt(0));
  if (bar.clippedHigh) triangle(x0 + w + cap, x0 + w, bar.scale.cssAt(1));
  ctx.strokeRect(x0 - 0.5, y0 - 0.5, w + 1, BAR_HEIGHT + 1);
  ctx.font = canvasFont(p, -2);
  ctx.fillStyle = p.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.beginPath();
  for (const t of barTicks(bar.scale, w)) {
    const px = Math.round(x0 + bar.scale.position(t) * w) + 0.5;
    ctx.moveTo(px, y0 + BAR_HEIGHT);
    ctx.lineTo(px, y0 + BAR_HEIGHT + 3);
    const label = formatTick(t);
    const half = ctx.measureText(label).width / 2;
    // Kept inside the canvas at the bar's ends.
    ctx.fillText(label, Math.min(g.cssWidth - half - 2, Math.max(half + 2, px)), y0 + BAR_HEIGHT + 4);
  }
  ctx.stroke();
  ctx.fillStyle = p.foreground;
  ctx.textAlign = 'left';
  ctx.fillText(bar.caption, g.contentLeft, y0 + BAR_HEIGHT + 20, g.contentWidth);
  ctx.restore();
}
