/**
 * "Where the divergence lives": each cell's term of the divergence being estimated, per unit
 * area (it integrates to the exact value), on a diverging scale centred on 0. With KL(P‖Q) the
 * mass sits on dropped modes; with KL(Q‖P) on mass the generator invented.
 */
import type { CriticOutputKind, PlaneSnapshot } from '../../src/protocol';
import { divergenceSymbol } from '../../src/core/divergenceSymbols';
import { formatValue } from '../../src/numberFormat';
import { canvasFont, type Palette } from '../theme';
import { divergingScale, lutOf } from './colourScale';
import { drawPContours, type PContour } from './dataMap';
import { symmetricDomain } from './domains';
import type { MapContent } from './mapCard';
import { drawModeMeans, swatch } from './marks';
import { noContributionReason } from './planeText';

export function contributionMap(kind: CriticOutputKind, divergence: string | undefined, plane: PlaneSnapshot, pLines: readonly PContour[], palette: Palette): { content: MapContent; note: string } {
  const cells = plane.x.count * plane.y.count;
  const symbol = divergenceSymbol(divergence);
  if (plane.contribution.length !== cells) {
    const message = noContributionReason(kind, plane);
    return { content: { box: plane, layer: null, message, bar: null, legend: [], summary: message }, note: '' };
  }
  const c = plane.contribution;
  const sym = symmetricDomain(c);
  const scale = divergingScale(lutOf('contribution'), sym.maxAbs);
  const area = ((plane.x.hi - plane.x.lo) / plane.x.count) * ((plane.y.hi - plane.y.lo) / plane.y.count);
  let total = 0;
  let negative = 0;
  for (let i = 0; i < cells; i++) {
    const v = c[i]!;
    if (Number.isFinite(v)) {
      total += v * area;
      if (v < 0) negative += v * area;
    }
  }
  const content: MapContent = {
    box: plane,
    layer: { values: c, scale },
    bar: {
      scale, clippedLow: sym.clipped, clippedHigh: sym.clipped,
      caption: `${symbol} per unit area`,
    },
    legend: plane.modes
      ? [{ label: 'mode mean', swatch: swatch.plus }]
      : [{ label: 'p’s 50 % region', swatch: (ctx, x, y) => swatch.line(ctx, x, y, { width: 1.6, alpha: 0.55 }) }],
    summary: `Each cell's share of ${symbol}, per unit area, on a diverging scale centred on 0.`,
    marks: (ctx, g) => {
      if (!plane.modes) drawPContours(ctx, g, pLines.slice(0, 1), 0.55);
      if (plane.modes) drawModeMeans(ctx, g, plane.modes.means, true, canvasFont(palette, -1, 600));
    },
  };
  const note = `Orange cells add to ${symbol}${negative < 0 ? `, purple ones lower it (together ${formatValue(negative, 3)})` : ''}; summed over the lattice: ${formatValue(total)}${sym.clipped ? '. The bar’s ends hold the 0.5 % largest cells' : ''}.`;
  return { content, note };
}
