import type uPlot from 'uplot';
import type { Snapshot } from '../../src/protocol';
import { formatValue } from '../../src/numberFormat';
import { withAlpha, type Palette } from '../theme';
import { makeAxis } from './axes';
import { Chart, finiteOrNull, type PlotSpec } from './chart';
import { clippedPeaks, densityTop, gridView, Q_CLIP_FACTOR } from './densityRange';
import type { Pen } from './pen';
import { before, clipMarks, rug } from './marks';
import { Toggle } from './toggle';
import type { ZoomGroup } from './zoom';

/** p(x) (the data) and q(x) (the generator) on the plotting grid, both filled. */
export class DensityChart extends Chart {
  private snapshot: Snapshot | null = null;
  /** q before the generator's half step, drawn faint; null otherwise. */
  private qBefore: Snapshot | null = null;
  private fullQ = false;
  private readonly fullToggle: Toggle;

  constructor(palette: Palette, zoom: ZoomGroup) {
    super({
      id: 'densities', title: 'Densities', placeholder: 'Waiting for the first snapshot…',
      syncKey: 'grid', zoom, xLabel: 'x', overSteps: false,
    }, palette);
    this.fullToggle = new Toggle(this.tools, 'Full q', `Show all of q(x) instead of clipping it at ${Q_CLIP_FACTOR}× p's peak`, false, (on) => {
      this.fullQ = on;
      this.noteClip();
      this.invalidate();
      this.refresh();
    });
    this.tools.prepend(this.fullToggle.button);
  }

  setSnapshot(s: Snapshot, previous: Snapshot | null = null): void {
    this.snapshot = s;
    this.qBefore = s.subStep === 'generator' ? previous : null;
    this.setSubtitle(`q(x) by ${s.qEstimator}; generator mean ${formatValue(s.generatorMean, 3)}, sd ${formatValue(s.generatorStd, 3)}`);
    this.noteClip();
  }

  /** The clip is said in words: a spike cut at the top edge looks like a plateau otherwise. */
  private noteClip(): void {
    const s = this.snapshot;
    const { clipped, qPeak } = s ? densityTop(s.p, s.q, this.fullQ) : { clipped: false, qPeak: 0 };
    this.setNote(clipped ? `q(x) clipped at ${Q_CLIP_FACTOR}× p's peak (q's peak ${formatValue(qPeak, 3)}); "Full q" shows all of it.` : '');
  }

  clear(): void {
    this.snapshot = null;
    this.setSubtitle('');
    this.setNote('');
  }

  /** The central mass of p and q, not the grid's outlier-following ends. */
  protected override xExtent(dataMin: number, dataMax: number): [number, number] {
    const s = this.snapshot;
    return s ? gridView(s) : [dataMin, dataMax];
  }

  protected spec(): PlotSpec {
    const p = this.palette;
    const w = 1.5 + p.lineBoost;
    return {
      series: [
        { class: 'p', label: 'p(x) data', stroke: p.blue, fill: withAlpha(p.blue, 0.16), width: w, points: { show: false } },
        { class: 'q', label: 'q(x) generator', stroke: p.orange, fill: withAlpha(p.orange, 0.16), width: w, points: { show: false } },
      ],
      axes: [makeAxis(p, { label: 'x', side: 2 }), makeAxis(p, { label: 'density' })],
      // Densities start at 0; the top follows p, with q's spikes clipped unless "Full q".
      scales: { y: { range: () => [0, 1.06 * (this.snapshot ? densityTop(this.snapshot.p, this.snapshot.q, this.fullQ).top : 1)] } },
    };
  }

  /** Generated samples as ticks along the bottom, and a mark with its height at each clipped spike of q. */
  protected override marks(u: uPlot, pen: Pen): void {
    const s = this.snapshot;
    if (!s || !u.series[2]?.show) return;
    const p = this.palette;
    if (this.qBefore) before(u, pen, this.qBefore.x, this.qBefore.q, 'y', withAlpha(p.orange, 0.75));
    if (s.forces) rug(u, pen, s.forces.x, withAlpha(p.orange, 0.7));
    const { top, clipped } = densityTop(s.p, s.q, this.fullQ);
    if (!clipped) return;
    const peaks = clippedPeaks(s.x, s.q, top).map((c) => ({ x: c.x, label: `q ${formatValue(c.peak, 2)}` }));
    clipMarks(u, pen, peaks, u.valToPos(1.06 * top, 'y'), p.orange, Math.max(9, p.fontSize - 3));
  }

  protected data(): uPlot.AlignedData | null {
    const s = this.snapshot;
    if (!s) return null;
    return [Array.from(s.x), finiteOrNull(s.p), finiteOrNull(s.q)];
  }
}
