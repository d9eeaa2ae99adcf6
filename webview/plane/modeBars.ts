/**
 * Mode coverage of a mixture target (theory.md §7): per component, Q's mass near its mean
 * against its weight, covered when the mass reaches half the weight. Drawn to a canvas so the
 * export is the picture; the same numbers label the mode means on the maps.
 */
import type { PlaneModes } from '../../src/protocol';
import { formatValue } from '../../src/numberFormat';
import { el } from '../charts/chart';
import { canvasFont, withAlpha, type Palette } from '../theme';
import { captionedPng, type MapImage } from './mapCard';

const ROW = 22;
const TOP = 6;
const KEY = 22;

/** Whether mode k counts as covered, by the rule of theory.md §7. */
export function modeCovered(massNear: number, weight: number): boolean {
  return massNear >= weight / 2;
}

export class ModeBars {
  readonly root: HTMLElement;
  private readonly subtitleEl: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private modes: PlaneModes | null = null;
  private cssWidth = 0;

  constructor(private palette: Palette) {
    this.root = el('section', 'card map-card');
    this.root.id = 'map-modes';
    const head = el('header', 'card-head', this.root);
    const title = el('h2', 'card-title', head);
    title.id = 'map-modes-title';
    title.textContent = 'Mode coverage';
    this.subtitleEl = el('p', 'card-subtitle', this.root);
    this.subtitleEl.textContent = 'Mass of q within Mahalanobis distance 3 of each mode, against the mode’s weight; covered from half the weight on';
    const wrap = el('div', 'map-wrap', this.root);
    this.canvas = el('canvas', 'map-canvas', wrap);
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-labelledby', title.id);
    el('p', 'card-note', this.root);
    new ResizeObserver(() => {
      const w = Math.floor(wrap.clientWidth);
      if (w !== this.cssWidth) {
        this.cssWidth = w;
        this.draw();
      }
    }).observe(wrap);
  }

  get title(): string {
    return 'Mode coverage';
  }

  get subtitle(): string {
    return this.subtitleEl.textContent ?? '';
  }

  setPalette(p: Palette): void {
    this.palette = p;
    this.draw();
  }

  set(modes: PlaneModes | null): void {
    this.modes = modes;
    this.root.hidden = modes === null;
    this.draw();
  }

  draw(): void {
    const m = this.modes;
    const ctx = this.canvas.getContext('2d');
    if (!m || !ctx || this.cssWidth === 0) return;
    const p = this.palette;
    const n = m.of;
    const height = TOP + n * ROW + KEY + 6;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.cssWidth * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.height = `${height}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.cssWidth, height);
    ctx.font = canvasFont(p, -2);
    ctx.textBaseline = 'middle';
    // Rounded before formatting, so a mean at 1e-16 reads 0.
    const coord = (v: number): string => formatValue(Math.round(v * 100) / 100 + 0, 3);
    const rowLabel = (k: number): string => `${k + 1}  (${coord(m.means[2 * k]!)}, ${coord(m.means[2 * k + 1]!)})`;
    const rightText = (k: number): string => `${formatValue(m.massNear[k], 3)} of ${formatValue(m.weights[k], 3)} ${modeCovered(m.massNear[k]!, m.weights[k]!) ? '✓' : '✗ dropped'}`;
    let labelW = 0;
    let rightW = 0;
    for (let k = 0; k < n; k++) {
      labelW = Math.max(labelW, ctx.measureText(rowLabel(k)).width);
      rightW = Math.max(rightW, ctx.measureText(rightText(k)).width);
    }
    const x0 = 8 + labelW + 10;
    const barW = Math.max(40, this.cssWidth - x0 - rightW - 18);
    let top = 0;
    for (let k = 0; k < n; k++) top = Math.max(top, m.weights[k]!, m.massNear[k]!);
    const scale = barW / (1.08 * (top || 1));
    const summary: string[] = [];
    for (let k = 0; k < n; k++) {
      const y = TOP + k * ROW + ROW / 2;
      const w = m.weights[k]!;
      const near = m.massNear[k]!;
      const covered = modeCovered(near, w);
      ctx.fillStyle = p.foreground;
      ctx.textAlign = 'left';
      ctx.fillText(rowLabel(k), 8, y);
      ctx.fillStyle = withAlpha(p.foreground, 0.08);
      ctx.fillRect(x0, y - 6, barW, 12);
      ctx.fillStyle = covered ? p.green : p.red;
      ctx.fillRect(x0, y - 6, Math.max(near > 0 ? 1 : 0, near * scale), 12);
      // The weight (solid) and the covering threshold, half of it (dashed).
      ctx.strokeStyle = p.foreground;
      ctx.lineWidth = 1.5 + p.lineBoost;
      ctx.beginPath();
      ctx.moveTo(x0 + w * scale, y - 9);
      ctx.lineTo(x0 + w * scale, y + 9);
      ctx.stroke();
      ctx.setLineDash([2, 2]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x0 + (w / 2) * scale, y - 9);
      ctx.lineTo(x0 + (w / 2) * scale, y + 9);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = covered ? p.foreground : p.red;
      ctx.fillText(rightText(k), x0 + barW + 10, y);
      summary.push(`mode ${k + 1}: ${formatValue(near, 2)} of ${formatValue(w, 2)}${covered ? ', covered' : ', dropped'}`);
    }
    // Key.
    const ky = TOP + n * ROW + KEY / 2 + 2;
    ctx.fillStyle = p.muted;
    ctx.strokeStyle = p.foreground;
    let kx = 8;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(kx + 4, ky - 6);
    ctx.lineTo(kx + 4, ky + 6);
    ctx.stroke();
    ctx.fillText('weight', kx + 10, ky);
    kx += 10 + ctx.measureText('weight').width + 16;
    ctx.setLineDash([2, 2]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(kx + 4, ky - 6);
    ctx.lineTo(kx + 4, ky + 6);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillText('half of it: covered from here', kx + 10, ky);
    this.canvas.setAttribute('aria-label', `${m.covered} of ${m.of} modes covered. ${summary.join('; ')}`);
  }

  toPng(): MapImage | null {
    if (!this.modes || this.cssWidth === 0) return null;
    const cssHeight = this.canvas.height / (this.canvas.width / this.cssWidth);
    return captionedPng(this.canvas, this.cssWidth, cssHeight, this.palette, { title: `Mode coverage: ${this.modes.covered} / ${this.modes.of}`, subtitle: this.subtitle });
  }
}
