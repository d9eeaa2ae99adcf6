/**
 * The "Data and model" map: q as colour, p as contour lines of its 50 % and 90 % mass regions,
 * generated and real samples, the forces on generated points, and the mixture's mode means.
 */
import type { PlaneSnapshot } from '../../src/protocol';
import { formatValue } from '../../src/numberFormat';
import { canvasFont, type Palette } from '../theme';
import { ColourScale, lutOf, type ScaleTransform } from './colourScale';
import { contourLevels, FieldMemo, type ContourLevel } from './contours';
import { Q_CLIP_FACTOR } from '../charts/densityRange';
import { densityDomain, LOG_DECADES, massLevels } from './domains';
import type { LegendItem, MapContent } from './mapCard';
import { ARROW_SHARE, atForcePoints, drawArrows, drawContour, drawDots, drawLegendArrow, drawModeMeans, drawRings, EXACT, swatch, typicalForce, type LineStyle } from './marks';

const EXACT_ARROW: Omit<LineStyle, 'width'> = { ink: EXACT, dash: [4, 2] };

export interface DataMapOptions {
  readonly transform: ScaleTransform;
  readonly generated: boolean;
  readonly real: boolean;
  readonly forces: boolean;
}

/** Shares of p's mass enclosed by its contour lines, and how each is drawn. */
export const P_LEVELS: readonly { share: number; style: LineStyle }[] = [
  { share: 0.5, style: { width: 1.6 } },
  { share: 0.9, style: { width: 1.2, dash: [5, 3] } },
];

const TRANSFORM_WORDS: Record<ScaleTransform, string> = { linear: 'linear scale', sqrt: 'square-root scale', log: `log scale, ${LOG_DECADES} decades` };

/** One of p's contour lines: the share of p's mass it encloses and its rings. */
export interface PContour {
  readonly style: LineStyle;
  readonly level: ContourLevel;
}

/** p's contours, recomputed only when p (or where its lattice sits) changes. */
export class PContours {
  private readonly memo = new FieldMemo<PContour[]>();

  of(plane: Pick<PlaneSnapshot, 'p' | 'x' | 'y'>): PContour[] {
    const { x, y } = plane;
    return this.memo.get(plane.p, `${x.lo},${x.hi},${y.lo},${y.hi},${x.count}`, () => {
      const values = massLevels(plane.p, P_LEVELS.map((l) => l.share));
      return contourLevels(plane.p, x.count, y.count, values).flatMap((level) => {
        const k = values.indexOf(level.value);
        return k >= 0 ? [{ style: P_LEVELS[k]!.style, level }] : [];
      });
    });
  }
}

export function drawPContours(ctx: CanvasRenderingContext2D, g: Parameters<typeof drawContour>[1], lines: readonly PContour[], alpha = 1): void {
  for (const l of lines) drawContour(ctx, g, l.level, { ...l.style, alpha });
}

export function dataMap(plane: PlaneSnapshot, o: DataMapOptions, palette: Palette, contours: readonly PContour[]): { content: MapContent; note: string } {
  const d = densityDomain(plane.p, plane.q);
  const lo = o.transform === 'log' ? d.top * 10 ** -LOG_DECADES : 0;
  const scale = new ColourScale(lutOf('density'), { lo, hi: d.top, transform: o.transform });
  const typical = o.forces ? typicalForce(plane.forces) : 0;
  // The exact force is in the divergence's units, the critic's in the loss's: each set is scaled to its own typical length.
  const exact = o.forces && plane.exactForces.length ? atForcePoints(plane.forces, plane.exactForces) : undefined;
  const typicalExact = exact ? typicalForce(exact) : 0;
  const modes = plane.modes;
  const legend: LegendItem[] = P_LEVELS.map((l) => ({
    label: `p: ${Math.round(l.share * 100)} % of the data’s mass`,
    swatch: (ctx, x, y) => swatch.line(ctx, x, y, l.style),
  }));
  if (o.generated && plane.samples.length) legend.push({ label: `generated (${plane.samples.length / 2})`, swatch: swatch.dot });
  if (o.real && plane.realSamples.length) legend.push({ label: `real (${plane.realSamples.length / 2})`, swatch: swatch.ring });
  if (typical > 0) {
    legend.push({
      label: `force from the critic (95th pct ${formatValue(typical, 2)})`,
      swatch: (ctx, x, y) => drawLegendArrow(ctx, x, y, 18),
    });
  }
  if (typicalExact > 0) {
    legend.push({
      label: `exact force (95th pct ${formatValue(typicalExact, 2)})`,
      swatch: (ctx, x, y) => drawLegendArrow(ctx, x, y, 18, EXACT_ARROW),
    });
  }
  if (modes) legend.push({ label: 'mode mean', swatch: swatch.plus });
  const caption = `q(x), the generator’s density per unit area (${TRANSFORM_WORDS[o.transform]})`;
  const content: MapContent = {
    box: plane,
    layer: { values: plane.q, scale },
    bar: { scale, caption, clippedHigh: d.clipped },
    legend,
    summary: `Generator density q as colour with the data density p as contours${modes ? `; ${modes.covered} of ${modes.of} modes covered` : ''}.`,
    marks: (ctx, g) => {
      drawPContours(ctx, g, contours);
      if (o.real) drawRings(ctx, g, plane.realSamples, 2.6);
      if (o.generated) drawDots(ctx, g, plane.samples, 2);
      if (typical > 0) drawArrows(ctx, g, plane.forces, typical, palette.lineBoost);
      if (exact && typicalExact > 0) drawArrows(ctx, g, exact, typicalExact, palette.lineBoost, EXACT_ARROW);
      if (modes) drawModeMeans(ctx, g, modes.means, true, canvasFont(palette, -1, 600));
    },
  };
  const notes: string[] = [];
  if (d.clipped) notes.push(`q’s colour is clipped at ${Q_CLIP_FACTOR}× p’s peak: its brightest colour means ${formatValue(d.top, 3)} or more (q’s peak is ${formatValue(d.qPeak, 3)}).`);
  if (plane.singular === 'q-singular' || plane.singular === 'both-singular' || plane.singular === 'disjoint-curves') {
    notes.push('q lies on a curve and has no density: the colour is its mass per cell area, which grows as cells shrink.');
  }
  if (typical > 0) {
    notes.push(`White arrows: the force the generator loss puts on each of ${plane.forces.length / 4} generated points through the critic (−∂ₓ of its loss); the 95th-percentile force is drawn ${Math.round(ARROW_SHARE * 100)} % of the box long, longer ones capped.`);
  }
  if (typicalExact > 0) notes.push('Dashed cyan arrows: the force the exact divergence would put on the same points (−∂ₓ of its first variation), scaled on its own: where the two disagree, the critic steers samples the wrong way.');
  return { content, note: notes.join(' ') };
}
