/**
 * One titled card holding one 2-D map: a canvas with the colour map, its marks, axes, colour
 * bar and legend (so an export is the whole picture), a second canvas above it for the hover
 * cursor (moving the mouse redraws only that one), and the hover readout.
 */
import { el } from '../charts/chart';
import { canvasFont, type Palette } from '../theme';
import type { ColourScale } from './colourScale';
import { Heatmap, hatchPattern } from './heatmap';
import { drawAxes, drawColourBar, LEGEND_ROW, MapGeometry, type Box, type ColourBar } from './mapFrame';
import { HALO, INK } from './marks';

export interface LegendItem {
  readonly label: string;
  /** Draws the swatch in an 18 × 12 box whose left-middle is (x, y). */
  readonly swatch: (ctx: CanvasRenderingContext2D, x: number, y: number) => void;
}

export interface MapLayer {
  readonly values: ArrayLike<number>;
  readonly scale: ColourScale;
  /** Cells where the map has nothing to say (0): drawn hatched. */
  readonly mask?: Uint8Array;
}

/** What one map shows; `layer` null shows `message` in place of the map. */
export interface MapContent {
  readonly box: Box;
  readonly layer: MapLayer | null;
  readonly message?: string;
  readonly bar: ColourBar | null;
  readonly legend: readonly LegendItem[];
  readonly marks?: (ctx: CanvasRenderingContext2D, g: MapGeometry) => void;
  /** Said for screen readers, and under the title on export. */
  readonly summary: string;
}

/** An exported picture: a PNG data URL and its size in CSS pixels. */
export interface MapImage {
  readonly png: string;
  readonly width: number;
  readonly height: number;
}

export interface HoverPoint {
  readonly i: number;
  readonly j: number;
  readonly x: number;
  readonly y: number;
}

function legendRows(ctx: CanvasRenderingContext2D, items: readonly LegendItem[], width: number): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const it of items) {
    const w = 24 + ctx.measureText(it.label).width;
    if (x > 0 && x + w > width) { x = 0; row++; }
    out.push({ x, row });
    x += w + 14;
  }
  return out;
}

/**
 * A drawn canvas (device pixels) as a PNG at its own pixel ratio, with a title and subtitle above
 * and a note below, on the panel's background: what Export Run… writes for a map or a chart.
 */
export function captionedPng(source: HTMLCanvasElement, cssWidth: number, cssHeight: number, p: Palette, text: { readonly title: string; readonly subtitle: string; readonly note?: string }): MapImage | null {
  const dpr = source.width / cssWidth;
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  const line = p.fontSize + 6;
  const small = p.fontSize + 3;
  ctx.font = canvasFont(p, -1);
  const subtitle = wrapText(ctx, text.subtitle, cssWidth - 16);
  const note = text.note ? wrapText(ctx, text.note, cssWidth - 16) : [];
  const head = 12 + line + subtitle.length * small + 4;
  const height = Math.ceil(head + cssHeight + note.length * small + (note.length ? 10 : 8));
  out.width = source.width;
  out.height = Math.round(height * dpr);
  ctx.scale(dpr, dpr);
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, cssWidth, height);
  ctx.textBaseline = 'middle';
  ctx.fillStyle = p.foreground;
  ctx.font = canvasFont(p, 1, 600);
  ctx.fillText(text.title, 8, 12 + line / 2, cssWidth - 16);
  ctx.fillStyle = p.muted;
  ctx.font = canvasFont(p, -1);
  subtitle.forEach((l, k) => ctx.fillText(l, 8, 12 + line + small * (k + 0.5)));
  ctx.drawImage(source, 0, head, cssWidth, cssHeight);
  note.forEach((l, k) => ctx.fillText(l, 8, head + cssHeight + small * (k + 0.5)));
  return { png: out.toDataURL('image/png'), width: cssWidth, height };
}

/** Lines of `text` no wider than `maxWidth` in the context's font, broken at spaces. */
export function wrapText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export class MapCard {
  readonly root: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly subtitleEl: HTMLElement;
  readonly tools: HTMLElement;
  private readonly wrap: HTMLElement;
  private readonly base: HTMLCanvasElement;
  private readonly cursor: HTMLCanvasElement;
  private readonly readout: HTMLElement;
  private readonly placeholder: HTMLElement;
  private readonly noteEl: HTMLElement;
  private readonly heatmap = new Heatmap();
  private content: MapContent | null = null;
  private geometry: MapGeometry | null = null;
  private cssWidth = 0;
  private dirty = false;

  constructor(readonly id: string, title: string, private palette: Palette, onHover: (at: HoverPoint | null, from: MapCard) => void) {
    this.root = el('section', 'card map-card');
    this.root.id = `map-${id}`;
    // Four rows (head, subtitle, map, note) that line up with the other cards of a grid row.
    const head = el('header', 'card-head', this.root);
    this.titleEl = el('h2', 'card-title', head);
    this.titleEl.id = `map-${id}-title`;
    this.titleEl.textContent = title;
    this.tools = el('div', 'card-tools', head);
    this.subtitleEl = el('p', 'card-subtitle', this.root);
    this.wrap = el('div', 'map-wrap', this.root);
    this.base = el('canvas', 'map-canvas', this.wrap );
    this.base.setAttribute('role', 'img');
    this.base.setAttribute('aria-labelledby', this.titleEl.id);
    this.cursor = el('canvas', 'map-cursor', this.wrap );
    this.cursor.setAttribute('aria-hidden', 'true');
    this.readout = el('div', 'map-readout', this.wrap );
    this.readout.hidden = true;
    this.placeholder = el('div', 'plot-placeholder', this.wrap );
    this.placeholder.textContent = 'Waiting for the first 2-D snapshot…';
    this.noteEl = el('p', 'card-note', this.root);
    this.cursor.addEventListener('pointermove', (e) => {
      const g = this.geometry;
      const cell = g ? g.cellAt(e.offsetX, e.offsetY) : null;
      onHover(cell, this);
    });
    this.cursor.addEventListener('pointerleave', () => onHover(null, this));
    new ResizeObserver(() => {
      const w = Math.floor(this.wrap.clientWidth);
      if (w !== this.cssWidth) {
        this.cssWidth = w;
        this.dirty = true;
        this.draw();
      }
    }).observe(this.wrap);
  }

  get title(): string {
    return this.titleEl.textContent ?? '';
  }

  get subtitle(): string {
    return this.subtitleEl.textContent ?? '';
  }

  setTitle(text: string): void {
    if (this.titleEl.textContent !== text) this.titleEl.textContent = text;
  }

  setSubtitle(text: string): void {
    if (this.subtitleEl.textContent !== text) this.subtitleEl.textContent = text;
  }

  setNote(text: string): void {
    if (this.noteEl.textContent !== text) this.noteEl.textContent = text;
  }

  setPalette(p: Palette): void {
    this.palette = p;
    this.dirty = true;
  }

  set(content: MapContent | null): void {
    this.content = content;
    if (content?.layer) {
      const { x, y } = content.box;
      this.heatmap.paint(content.layer.values, x.count, y.count, content.layer.scale, content.layer.mask);
    }
    this.dirty = true;
  }

  /** Draws the base canvas if anything changed since the last draw. */
  draw(): void {
    if (!this.dirty) return;
    const c = this.content;
    this.placeholder.hidden = c !== null;
    if (!c || this.cssWidth === 0) {
      this.geometry = null;
      // The placeholder stands alone: no picture of the previous run behind it.
      if (!c) for (const canvas of [this.base, this.cursor]) { canvas.width = 0; canvas.height = 0; canvas.style.height = '0'; }
      this.readout.hidden = true;
      return;
    }
    this.dirty = false;
    const p = this.palette;
    const ctx = this.base.getContext('2d');
    if (!ctx) return;
    if (!c.layer) {
      this.drawMessage(ctx, c.message ?? '', c.summary);
      return;
    }
    ctx.font = canvasFont(p, -2);
    const probe = new MapGeometry(this.cssWidth, c.box, c.bar !== null, 0);
    const rows = legendRows(ctx, c.legend, probe.contentWidth);
    const g = new MapGeometry(this.cssWidth, c.box, c.bar !== null, c.legend.length ? rows[rows.length - 1]!.row + 1 : 0);
    this.geometry = g;
    this.size(ctx, g.cssWidth, g.cssHeight);
    this.base.setAttribute('aria-label', c.summary);
    this.heatmap.draw(ctx, g, hatchPattern(ctx, p));
    ctx.save();
    ctx.beginPath();
    ctx.rect(g.left, g.top, g.width, g.height);
    ctx.clip();
    c.marks?.(ctx, g);
    ctx.restore();
    drawAxes(ctx, g, p);
    if (c.bar) drawColourBar(ctx, g, c.bar, p);
    ctx.font = canvasFont(p, -2);
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    c.legend.forEach((it, k) => {
      const at = rows[k]!;
      const x = g.contentLeft + at.x;
      const y = g.legendTop + at.row * LEGEND_ROW + LEGEND_ROW / 2;
      it.swatch(ctx, x, y);
      ctx.fillStyle = p.foreground;
      ctx.fillText(it.label, x + 24, y);
    });
  }

  /** Both canvases at `width` × `height` CSS pixels, cleared, the base one ready to draw on. */
  private size(ctx: CanvasRenderingContext2D, width: number, height: number): void {
    const dpr = window.devicePixelRatio || 1;
    for (const canvas of [this.base, this.cursor]) {
      const w = Math.round(width * dpr);
      const h = Math.round(height * dpr);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      canvas.style.height = `${height}px`;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
  }

  /** In place of a map: why there is none, wrapped, in a hatched plate (a short card, not an empty box). */
  private drawMessage(ctx: CanvasRenderingContext2D, text: string, summary: string): void {
    const p = this.palette;
    this.geometry = null;
    ctx.font = canvasFont(p, -1);
    const lines = wrapText(ctx, text, this.cssWidth - 48);
    const lh = p.fontSize + 5;
    const plate = lines.length * lh + 20;
    const height = plate + 32;
    this.size(ctx, this.cssWidth, height);
    this.base.setAttribute('aria-label', summary);
    ctx.fillStyle = hatchPattern(ctx, p) ?? p.background;
    ctx.fillRect(0, 0, this.cssWidth, height);
    ctx.fillStyle = p.background;
    ctx.fillRect(16, 16, this.cssWidth - 32, plate);
    ctx.strokeStyle = p.axis;
    ctx.strokeRect(16.5, 16.5, this.cssWidth - 33, plate - 1);
    ctx.font = canvasFont(p, -1);
    ctx.fillStyle = p.foreground;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    lines.forEach((l, k) => ctx.fillText(l, this.cssWidth / 2, 26 + lh * (k + 0.5)));
  }

  /** The shared hover position on every map (a cross), and the readout on the hovered one. */
  showCursor(at: HoverPoint | null, readout: readonly string[] | null): void {
    const ctx = this.cursor.getContext('2d');
    const g = this.geometry;
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.cursor.width / dpr, this.cursor.height / dpr);
    if (!at || !g || !this.content?.layer) {
      this.readout.hidden = true;
      return;
    }
    const x = g.px(at.x);
    const y = g.py(at.y);
    ctx.beginPath();
    ctx.moveTo(x - 9, y);
    ctx.lineTo(x - 3, y);
    ctx.moveTo(x + 3, y);
    ctx.lineTo(x + 9, y);
    ctx.moveTo(x, y - 9);
    ctx.lineTo(x, y - 3);
    ctx.moveTo(x, y + 3);
    ctx.lineTo(x, y + 9);
    ctx.strokeStyle = HALO;
    ctx.lineWidth = 3;
    ctx.stroke();
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1.2;
    ctx.stroke();
    if (!readout) {
      this.readout.hidden = true;
      return;
    }
    this.readout.replaceChildren(...readout.map((text) => Object.assign(document.createElement('div'), { textContent: text })));
    this.readout.hidden = false;
    // Beside the cursor, flipped to stay inside the card.
    const rw = this.readout.offsetWidth;
    const rh = this.readout.offsetHeight;
    const left = x + 14 + rw > this.cssWidth ? x - 14 - rw : x + 14;
    const top = Math.min(Math.max(0, y - rh / 2), g.cssHeight - rh);
    this.readout.style.left = `${Math.max(0, left)}px`;
    this.readout.style.top = `${top}px`;
  }

  /** The map as a PNG with its title and subtitle above and its note below, or null when nothing is drawn. */
  toPng(): MapImage | null {
    if (!this.content?.layer || this.cssWidth === 0) return null;
    this.draw();
    const g = this.geometry;
    if (!g) return null;
    return captionedPng(this.base, g.cssWidth, g.cssHeight, this.palette, { title: this.title, subtitle: this.subtitle, note: this.noteEl.textContent ?? '' });
  }
}
