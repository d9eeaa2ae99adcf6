import type uPlot from 'uplot';
import type { LineForces, Snapshot } from '../../src/protocol';
import { withAlpha, type Palette } from '../theme';
import { makeAxis } from './axes';
import { Chart, type PlotSpec } from './chart';
import { gridView } from './densityRange';
import type { Pen } from './pen';
import { arrows, guide, rug } from './marks';
import type { ZoomGroup } from './zoom';

/** CSS pixels between arrows; the longest arrow is a little shorter. */
const ARROW_SPACING = 30;

/** Each force over its largest |value|: the two have different units, and their directions are what compare. */
function scaled(values: ArrayLike<number>): (number | null)[] {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) max = Math.max(max, Math.abs(values[i]!));
  return Array.from(values as ArrayLike<number>, (v) => (Number.isFinite(v) ? (max > 0 ? v / max : 0) : null));
}

/**
 * The force on each generated sample, under the densities on the same x: −∂ₓℓ_G, what the
 * generator's loss does to that sample through the current critic, beside −∂ₓφ, what the exact
 * divergence would do (theory.md §8). Where they point opposite ways the critic misleads the
 * generator; arrows show the direction at a few samples, ticks mark the samples.
 */
export class ForceChart extends Chart {
  private snapshot: Snapshot | null = null;
  private forces: LineForces | null = null;
  private hasExact = true;

  constructor(palette: Palette, zoom: ZoomGroup) {
    super({
      id: 'forces', title: 'Forces on generated samples', placeholder: 'Waiting for the first snapshot…',
      syncKey: 'grid', zoom, xLabel: 'x', overSteps: false,
    }, palette);
  }

  setSnapshot(s: Snapshot, _previous?: Snapshot | null): void {
    this.snapshot = s;
    this.forces = s.forces ?? null;
    const hasExact = (s.forces?.exact.length ?? 0) > 0;
    if (hasExact !== this.hasExact) {
      this.hasExact = hasExact;
      this.invalidate();
    }
    this.setSubtitle(hasExact
      ? 'Each scaled to its largest size (their units differ); + pushes a sample right. Ticks: generated samples.'
      : 'The exact force is undefined here (an infinite or non-differentiable divergence). + pushes a sample right.');
  }

  clear(): void {
    this.snapshot = null;
    this.forces = null;
  }

  protected override xExtent(dataMin: number, dataMax: number): [number, number] {
    return this.snapshot ? gridView(this.snapshot) : [dataMin, dataMax];
  }

  protected spec(): PlotSpec {
    const p = this.palette;
    const series: uPlot.Series[] = [
      { class: 'critic-force', label: 'critic’s force −∂ₓℓ_G (the loss, through D)', stroke: p.green, width: 1.5 + p.lineBoost, points: { show: false } },
    ];
    if (this.hasExact) series.push({ class: 'exact-force', label: 'exact force −∂ₓφ (the divergence itself)', stroke: p.purple, width: 1.5 + p.lineBoost, dash: [6, 4], points: { show: false } });
    return {
      series,
      axes: [makeAxis(p, { label: 'x', side: 2 }), makeAxis(p, { label: '← force →' })],
      // Room below −1 for the two lanes of arrows above the rug.
      scales: { y: { range: () => [-1.6, 1.15] } },
    };
  }

  protected override marks(u: uPlot, pen: Pen): void {
    const f = this.forces;
    if (!f) return;
    const p = this.palette;
    guide(u, pen, 0, 'y', withAlpha(p.foreground, 0.45));
    rug(u, pen, f.x, withAlpha(p.orange, 0.7));
    // Series 1 (the critic's force) in the lane above the rug, series 2 (the exact force) above it.
    const lanes: [number, string][] = [[1, p.green]];
    if (this.hasExact) lanes.push([2, p.purple]);
    for (const [series, color] of lanes) {
      if (!u.series[series]?.show) continue;
      arrows(u, pen, f.x, u.data[series] as (number | null)[], ARROW_SPACING, color, series - 1);
    }
  }

  protected data(): uPlot.AlignedData | null {
    const f = this.forces;
    if (!f || f.x.length === 0) return null;
    this.raw = [null, f.critic, ...(this.hasExact ? [f.exact] : [])];
    return [Array.from(f.x), scaled(f.critic), ...(this.hasExact ? [scaled(f.exact)] : [])];
  }
}
