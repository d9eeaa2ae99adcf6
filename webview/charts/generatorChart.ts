import type uPlot from 'uplot';
import type { GeneratorMap, Snapshot } from '../../src/protocol';
import { withAlpha, type Palette } from '../theme';
import { makeAxis } from './axes';
import { Chart, finiteOrNull, type PlotSpec } from './chart';
import { gridView } from './densityRange';
import { before } from './marks';
import type { Pen } from './pen';
import { monotoneMap } from './transportMap';
import type { ZoomGroup } from './zoom';

/**
 * x = G(z) against the latent z (a 1-D latent): q(x) = φ(z)/|G′(z)|, so where G is flat q has a
 * spike and where G is steep q thins out. Dashed: the monotone map that would make q = p. Its y
 * axis is the x of the charts beside it, over the same view.
 */
export class GeneratorChart extends Chart {
  private snapshot: Snapshot | null = null;
  private map: GeneratorMap | null = null;
  /** G before the generator's half step, drawn faint; null otherwise. */
  private mapBefore: GeneratorMap | null = null;

  constructor(palette: Palette, zoom: ZoomGroup) {
    super({
      id: 'generator', title: 'Generator x = G(z)', placeholder: 'G(z) is drawn for a generator with a 1-D latent',
      syncKey: 'latent', zoom, xLabel: 'z', overSteps: false,
    }, palette);
    this.setSubtitle('Where G is flat, q piles up: q(x) = φ(z) / |G′(z)|. Dashed: the monotone map that would give q = p.');
  }

  setSnapshot(s: Snapshot, previous: Snapshot | null = null): void {
    this.snapshot = s;
    this.map = s.generatorMap ?? null;
    this.mapBefore = s.subStep === 'generator' ? previous?.generatorMap ?? null : null;
  }

  protected override marks(u: uPlot, pen: Pen): void {
    const m = this.mapBefore;
    if (m && u.series[1]?.show) before(u, pen, m.z, m.x, 'y', withAlpha(this.palette.orange, 0.75));
  }

  clear(): void {
    this.snapshot = null;
    this.map = null;
  }

  protected spec(): PlotSpec {
    const p = this.palette;
    return {
      series: [
        { class: 'g', label: 'G(z)', stroke: p.orange, width: 2 + p.lineBoost, points: { show: false } },
        { class: 'g-star', label: 'F_P⁻¹(Φ(z)): q = p', stroke: p.blue, width: 1.5 + p.lineBoost, dash: [6, 4], points: { show: false } },
      ],
      axes: [makeAxis(p, { label: 'latent z', side: 2 }), makeAxis(p, { label: 'x = G(z)' })],
      scales: { y: { range: (_u, min, max) => (this.snapshot ? gridView(this.snapshot) : [min, max]) } },
    };
  }

  protected data(): uPlot.AlignedData | null {
    const m = this.map;
    const s = this.snapshot;
    if (!m || !s || m.z.length < 2) return null;
    const decreasing = m.x[m.x.length - 1]! < m.x[0]!;
    this.raw = [];
    return [Array.from(m.z), finiteOrNull(m.x), finiteOrNull(monotoneMap(s.x, s.p, m.z, decreasing))];
  }
}
