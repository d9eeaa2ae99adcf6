/**
 * A lattice painted into an ImageData of one pixel per cell, then drawn scaled into the map's
 * box without smoothing (each cell stays a cell). Cells with no value are transparent and show
 * a hatch drawn beneath them.
 */
import { withAlpha, type Palette } from '../theme';
import type { ColourScale } from './colourScale';
import type { MapGeometry } from './mapFrame';

export class Heatmap {
  private readonly canvas = document.createElement('canvas');
  private readonly ctx = this.canvas.getContext('2d');
  private image: ImageData | null = null;
  /** Cells painted transparent in the last `paint`. */
  blank = 0;

  paint(values: ArrayLike<number>, nx: number, ny: number, scale: ColourScale, mask?: Uint8Array): void {
    if (!this.ctx) return;
    if (!this.image || this.image.width !== nx || this.image.height !== ny) {
      this.canvas.width = nx;
      this.canvas.height = ny;
      this.image = this.ctx.createImageData(nx, ny);
    }
    this.blank = scale.paint(values, nx, ny, this.image.data, mask);
    this.ctx.putImageData(this.image, 0, 0);
  }

  draw(ctx: CanvasRenderingContext2D, g: MapGeometry, hatch: CanvasPattern | null): void {
    if (!this.image) return;
    if (this.blank > 0 && hatch) {
      ctx.fillStyle = hatch;
      ctx.fillRect(g.left, g.top, g.width, g.height);
    }
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.canvas, g.left, g.top, g.width, g.height);
    ctx.imageSmoothingEnabled = true;
  }
}

const hatches = new WeakMap<Palette, CanvasPattern | null>();

/** Diagonal hatch in the theme's muted colour: "no value here", in any theme. */
export function hatchPattern(ctx: CanvasRenderingContext2D, p: Palette): CanvasPattern | null {
  if (hatches.has(p)) return hatches.get(p)!;
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const t = tile.getContext('2d');
  let pattern: CanvasPattern | null = null;
  if (t) {
    t.fillStyle = p.background;
    t.fillRect(0, 0, 8, 8);
    t.strokeStyle = withAlpha(p.foreground, p.kind.startsWith('high-contrast') ? 0.6 : 0.28);
    t.lineWidth = 1;
    t.beginPath();
    t.moveTo(0, 8);
    t.lineTo(8, 0);
    t.moveTo(-2, 2);
    t.lineTo(2, -2);
    t.moveTo(6, 10);
    t.lineTo(10, 6);
    t.stroke();
    pattern = ctx.createPattern(tile, 'repeat');
  }
  hatches.set(p, pattern);
  return pattern;
}
