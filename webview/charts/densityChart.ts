import type uPlot from 'uplot';
import type { Snapshot } from '../../src/protocol';
import { formatValue } from '../../src/numberFormat';
import { withAlpha, type Palette } from '../theme';
import { makeAxis } from './axes';
import { Chart, finiteOrNull, type PlotSpec } from './chart';
import type { ZoomGroup } from './zoom';

/** p(x) (the data) and q(x) (the generator) on the plotting grid, both filled. */
export class DensityChart extends Chart {
  private snapshot: Snapshot | null = null;

  constructor(palette: Palette, zoom: ZoomGroup) {
    super({
      id: 'densities', title: 'Densities', placeholder: 'Waiting for the first snapshot…',
      syncKey: 'grid', zoom, xLabel: 'x', overSteps: false,
    }, palette);
  }

  setSnapshot(s: Snapshot): void {
    this.snapshot = s;
    this.setSubtitle(`q(x) by ${s.qEstimator}; generator mean ${formatValue(s.generatorMean, 3)}, sd ${formatValue(s.generatorStd, 3)}`);
  }

  clear(): void {
    this.snapshot = null;
    this.setSubtitle('');
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
      // Densities start at 0; only the top follows the data.
      scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.06 : 1] } },
    };
  }

  protected data(): uPlot.AlignedData | null {
    const s = this.snapshot;
    if (!s) return null;
    return [Array.from(s.x), finiteOrNull(s.p), finiteOrNull(s.q)];
  }
}
