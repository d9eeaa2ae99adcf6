/**
 * The critic's maps: the critic, its optimum on one shared colour scale, and their difference
 * on a diverging scale centred on 0. Where p + q has (almost) no mass the optimum is a ratio of
 * vanishing numbers, so there it is hatched rather than drawn as noise.
 */
import type { CriticOutputKind, PlaneSnapshot } from '../../src/protocol';
import { formatValue } from '../../src/numberFormat';
import { withAlpha, type Palette } from '../theme';
import { ColourScale, divergingScale, lutOf } from './colourScale';
import { contourLevels } from './contours';
import { centreAndScale, criticDomain, difference, symmetricDomain, SUPPORT } from './domains';
import { drawPContours, type PContour } from './dataMap';
import type { LegendItem, MapContent } from './mapCard';
import { drawContour, drawModeMeans, swatch } from './marks';
import { CRITIC_TEXT, noOptimalReason } from './planeText';
import { hatchPattern } from './heatmap';

export interface CriticMaps {
  readonly critic: MapContent;
  readonly optimal: MapContent;
  readonly difference: MapContent;
  readonly differenceNote: string;
  /** The critic values as drawn (a Wasserstein critic centred and scaled), for the readout. */
  readonly criticValues: ArrayLike<number>;
  readonly differenceValues: ArrayLike<number> | null;
}

const HALF = { width: 1.2, dash: [2, 3] } as const;

function noMassItem(p: Palette): LegendItem {
  return {
    label: `no mass: p + q under ${SUPPORT * 100} % of its peak`,
    swatch: (ctx, x, y) => swatch.fill(ctx, x, y, hatchPattern(ctx, p) ?? p.background, withAlpha(p.foreground, 0.4)),
  };
}

export function criticMaps(kind: CriticOutputKind, plane: PlaneSnapshot, mask: Uint8Array, pLines: readonly PContour[], palette: Palette): CriticMaps {
  const t = CRITIC_TEXT[kind];
  const cells = plane.x.count * plane.y.count;
  const criticValues = kind === 'wasserstein' ? centreAndScale(plane.critic, plane.p, plane.q) : plane.critic;
  const hasOptimal = kind !== 'wasserstein' && plane.optimalCritic.length === cells;
  const optimal = hasOptimal ? plane.optimalCritic : new Float32Array(0);
  const dom = criticDomain(kind, criticValues, optimal, mask);
  const scale = new ColourScale(lutOf('critic'), { lo: dom.lo, hi: dom.hi, transform: 'linear' });
  const half = kind === 'discriminator' ? contourLevels(criticValues, plane.x.count, plane.y.count, [0.5]) : [];
  // Where the data is, for orientation: the mode means, or p's 50 % line for a target without modes.
  const pOutline = plane.modes ? [] : pLines.slice(0, 1);
  const context = (ctx: CanvasRenderingContext2D, g: Parameters<NonNullable<MapContent['marks']>>[1]): void => {
    drawPContours(ctx, g, pOutline, 0.55);
    if (plane.modes) drawModeMeans(ctx, g, plane.modes.means, false, '');
  };
  const outlineItem: LegendItem = plane.modes
    ? { label: 'mode mean', swatch: swatch.plus }
    : { label: 'p’s 50 % region', swatch: (ctx, x, y) => swatch.line(ctx, x, y, { width: 1.6, alpha: 0.55 }) };
  const halfItem: LegendItem = { label: `${t.critic} = ½`, swatch: (ctx, x, y) => swatch.line(ctx, x, y, HALF) };
  const criticContent: MapContent = {
    box: plane,
    layer: { values: criticValues, scale },
    bar: { scale, caption: t.criticCaption },
    legend: half.length ? [halfItem, outlineItem] : [outlineItem],
    summary: `${t.criticTitle} as colour.`,
    marks: (ctx, g) => {
      context(ctx, g);
      for (const level of half) drawContour(ctx, g, level, HALF);
    },
  };
  if (!hasOptimal) {
    const message = noOptimalReason(kind, plane);
    const missing = (summary: string): MapContent => ({ box: plane, layer: null, message, bar: null, legend: [], summary });
    return { critic: criticContent, optimal: missing(message), difference: missing(message), differenceNote: '', criticValues, differenceValues: null };
  }
  const optimalContent: MapContent = {
    box: plane,
    layer: { values: optimal, scale, mask },
    bar: { scale, caption: t.criticCaption },
    legend: kind === 'discriminator' ? [{ ...halfItem, label: `${t.optimal} = ½` }, outlineItem, noMassItem(palette)] : [outlineItem, noMassItem(palette)],
    summary: `${t.optimalTitle} as colour, on the critic's scale.`,
    marks: (ctx, g) => {
      context(ctx, g);
      if (kind === 'discriminator') for (const level of contourLevels(optimal, plane.x.count, plane.y.count, [0.5])) drawContour(ctx, g, level, HALF);
    },
  };
  const diff = difference(criticValues, optimal, mask);
  const sym = symmetricDomain(diff);
  const maxAbs = kind === 'discriminator' ? Math.min(1, sym.maxAbs) : sym.maxAbs;
  const dScale = divergingScale(lutOf('difference'), maxAbs);
  const differenceContent: MapContent = {
    box: plane,
    layer: { values: diff, scale: dScale, mask },
    bar: {
      scale: dScale, clippedLow: sym.clipped, clippedHigh: sym.clipped,
      caption: `${t.critic} − ${t.optimal}`,
    },
    legend: [outlineItem, noMassItem(palette)],
    summary: `${t.critic} − ${t.optimal} on a diverging scale centred on 0, up to ±${formatValue(maxAbs, 2)}.`,
    marks: context,
  };
  const differenceNote = `Red: the critic is below its optimum; blue: above${sym.clipped ? `; the bar's ends hold the 0.5 % largest |${t.critic} − ${t.optimal}|` : ''}.`;
  return { critic: criticContent, optimal: optimalContent, difference: differenceContent, differenceNote, criticValues, differenceValues: diff };
}
