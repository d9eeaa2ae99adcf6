/**
 * Chart export for the host's "Export Run…": SVG (rebuilt as vectors from uPlot's scales, tick
 * splits and data, with the chart's marks, so it stays sharp in papers and slides) and PNG (that
 * SVG rasterised at twice the screen's resolution or more).
 */
import uPlot from 'uplot';
import type { Palette } from '../theme';

interface LegendItem {
  readonly label: string;
  readonly stroke: string;
  readonly fill: string | null;
  readonly dash: readonly number[] | null;
}

function styleOf(u: uPlot, i: number, v: unknown): string | null {
  const value = typeof v === 'function' ? (v as (u: uPlot, i: number) => unknown)(u, i) : v;
  return typeof value === 'string' && value !== '' ? value : null;
}

function legendItems(u: uPlot): LegendItem[] {
  const items: LegendItem[] = [];
  u.series.forEach((s, i) => {
    if (i === 0 || !s.show || typeof s.label !== 'string' || s.label === '') return;
    const stroke = styleOf(u, i, s.stroke) ?? 'transparent';
    items.push({ label: s.label, stroke, fill: styleOf(u, i, s.fill), dash: s.dash ?? null });
  });
  return items;
}

/**
 * The chart's SVG rasterised at `scale` times its CSS size (2 or more: sharp in documents and on
 * high-density screens whatever the screen it was exported from). One drawing for both formats.
 */
export async function chartToPng(svg: string, scale: number): Promise<string | null> {
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!size) return null;
  const [width, height] = [Number(size[1]), Number(size[2])];
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const out = document.createElement('canvas');
  out.width = Math.round(width * scale);
  out.height = Math.round(height * scale);
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return out.toDataURL('image/png');
}

// ---- SVG ------------------------------------------------------------------------------

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const f = (n: number): string => (Math.round(n * 100) / 100).toString();

/** Internal uPlot axis state we read for the SVG (present in 1.6.x). */
interface AxisInternals {
  _show?: boolean;
  _splits?: (number | null)[];
  _values?: (string | number | null)[];
  _size?: number;
}

/** Extra SVG drawn in plot-area coordinates (CSS px), e.g. shaded gaps and markers. */
export type SvgOverlay = (u: uPlot) => string;

export function chartToSvg(u: uPlot, title: string, subtitle: string, p: Palette, overlay?: SvgOverlay): string {
  const r = uPlot.pxRatio;
  const W = u.width;
  const plotLeft = u.bbox.left / r;
  const plotTop = u.bbox.top / r;
  const plotW = u.bbox.width / r;
  const plotH = u.bbox.height / r;
  const line = p.fontSize + 6;
  const items = legendItems(u);
  // Rough legend layout: SVG has no text measuring, so estimate with average glyph width.
  const charW = (p.fontSize - 1) * 0.55;
  let lx = 0;
  let ly = 0;
  const legendPos = items.map((it) => {
    const w = 22 + it.label.length * charW;
    if (lx > 0 && lx + w > W - 24) {
      lx = 0;
      ly += line;
    }
    const at = { x: lx, y: ly };
    lx += w + 14;
    return at;
  });
  // SVG does not wrap text: the subtitle is broken into lines by the same estimate.
  const subtitleLines = wrap(subtitle, Math.max(20, Math.floor((W - 24) / charW)));
  const header = 12 + line + subtitleLines.length * line + (items.length ? ly + line : 0) + 4;
  const H = header + u.height + 12;
  const font = `font-family="${esc(p.fontFamily)}"`;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${f(H)}" viewBox="0 0 ${W} ${f(H)}" ${font} font-size="${p.fontSize - 2}">`);
  parts.push(`<rect width="100%" height="100%" fill="${esc(p.background)}"/>`);
  let y = 12 + line / 2;
  parts.push(`<text x="12" y="${f(y)}" dominant-baseline="middle" font-weight="600" font-size="${p.fontSize + 1}" fill="${esc(p.foreground)}">${esc(title)}</text>`);
  y += line;
  for (const text of subtitleLines) {
    parts.push(`<text x="12" y="${f(y)}" dominant-baseline="middle" font-size="${p.fontSize - 1}" fill="${esc(p.muted)}">${esc(text)}</text>`);
    y += line;
  }
  items.forEach((it, i) => {
    const at = legendPos[i]!;
    const x0 = 12 + at.x;
    const yy = y + at.y;
    if (it.fill) parts.push(`<rect x="${f(x0)}" y="${f(yy - 5)}" width="16" height="10" fill="${esc(it.fill)}"/>`);
    const dash = it.dash ? ` stroke-dasharray="${it.dash.join(' ')}"` : '';
    parts.push(`<line x1="${f(x0)}" y1="${f(yy)}" x2="${f(x0 + 16)}" y2="${f(yy)}" stroke="${esc(it.stroke)}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${f(x0 + 22)}" y="${f(yy)}" dominant-baseline="middle" font-size="${p.fontSize - 1}" fill="${esc(p.foreground)}">${esc(it.label)}</text>`);
  });
  parts.push(`<g transform="translate(0 ${f(header)})">`);
  // Axes: grid, ticks, tick labels and axis labels.
  u.axes.forEach((a, i) => {
    const ax = a as uPlot.Axis & AxisInternals;
    if (ax._show === false || ax.show === false) return;
    const splits = ax._splits ?? [];
    const values = ax._values ?? [];
    const scale = ax.scale ?? (i === 0 ? 'x' : 'y');
    const side = ax.side ?? (i === 0 ? 2 : 3);
    const horizontal = side === 0 || side === 2;
    const stroke = styleOf(u, i, ax.stroke) ?? p.muted;
    const gridShow = ax.grid?.show !== false;
    splits.forEach((v, j) => {
      if (v === null) return;
      const pos = u.valToPos(v, scale);
      const label = values[j];
      if (horizontal) {
        const x = plotLeft + pos;
        if (gridShow) parts.push(`<line x1="${f(x)}" y1="${f(plotTop)}" x2="${f(x)}" y2="${f(plotTop + plotH)}" stroke="${esc(p.grid)}"/>`);
        if (label !== null && label !== undefined) parts.push(`<text x="${f(x)}" y="${f(plotTop + plotH + 6)}" text-anchor="middle" dominant-baseline="hanging" fill="${esc(stroke)}">${esc(String(label))}</text>`);
      } else {
        const yy = plotTop + pos;
        if (gridShow) parts.push(`<line x1="${f(plotLeft)}" y1="${f(yy)}" x2="${f(plotLeft + plotW)}" y2="${f(yy)}" stroke="${esc(p.grid)}"/>`);
        const left = side === 3;
        const x = left ? plotLeft - 6 : plotLeft + plotW + 6;
        if (label !== null && label !== undefined) parts.push(`<text x="${f(x)}" y="${f(yy)}" text-anchor="${left ? 'end' : 'start'}" dominant-baseline="middle" fill="${esc(stroke)}">${esc(String(label))}</text>`);
      }
    });
    const label = typeof ax.label === 'string' ? ax.label : '';
    if (label) {
      if (horizontal) {
        parts.push(`<text x="${f(plotLeft + plotW / 2)}" y="${f(u.height - 4)}" text-anchor="middle" font-weight="600" fill="${esc(stroke)}">${esc(label)}</text>`);
      } else {
        const x = side === 3 ? 10 : W - 10;
        const cy = plotTop + plotH / 2;
        parts.push(`<text x="${f(x)}" y="${f(cy)}" text-anchor="middle" font-weight="600" fill="${esc(stroke)}" transform="rotate(${side === 3 ? -90 : 90} ${f(x)} ${f(cy)})">${esc(label)}</text>`);
      }
    }
  });
  parts.push(`<rect x="${f(plotLeft)}" y="${f(plotTop)}" width="${f(plotW)}" height="${f(plotH)}" fill="none" stroke="${esc(p.axis)}"/>`);
  parts.push(`<svg x="${f(plotLeft)}" y="${f(plotTop)}" width="${f(plotW)}" height="${f(plotH)}" overflow="hidden">`);
  if (overlay) parts.push(overlay(u));
  u.series.forEach((s, i) => {
    if (i === 0 || !s.show) return;
    const xs = u.data[0];
    const ys = u.data[i] as ArrayLike<number | null | undefined>;
    const scale = s.scale ?? 'y';
    const runs: string[] = [];
    let cur: string[] = [];
    for (let k = 0; k < xs.length; k++) {
      const v = ys[k];
      if (v === undefined) continue; // no point at this x (uPlot spans these)
      if (v === null || !Number.isFinite(v)) {
        if (cur.length && !s.spanGaps) { runs.push(cur.join(' ')); cur = []; }
        continue;
      }
      cur.push(`${f(u.valToPos(xs[k]!, 'x'))},${f(u.valToPos(v, scale))}`);
    }
    if (cur.length) runs.push(cur.join(' '));
    const stroke = styleOf(u, i, s.stroke) ?? 'none';
    const fill = styleOf(u, i, s.fill);
    const width = s.width ?? 1;
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : '';
    const base = f(Math.min(plotH, Math.max(0, u.valToPos(0, scale))));
    for (const pts of runs) {
      if (fill) {
        const first = pts.slice(0, pts.indexOf(',')), last = pts.slice(pts.lastIndexOf(' ') + 1, pts.lastIndexOf(','));
        parts.push(`<polygon points="${first},${base} ${pts} ${last || first},${base}" fill="${esc(fill)}"/>`);
      }
      parts.push(`<polyline points="${pts}" fill="none" stroke="${esc(stroke)}" stroke-width="${width}" stroke-linejoin="round"${dash}/>`);
    }
  });
  parts.push('</svg></g></svg>');
  return parts.join('\n');
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

/** A raster image (a PNG data URL) as a standalone SVG file, for the 2-D maps when SVG is asked for. */
export function pngInSvg(png: string, width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><image href="${esc(png)}" width="${width}" height="${height}"/></svg>`;
}
