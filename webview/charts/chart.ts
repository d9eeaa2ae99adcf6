import uPlot from 'uplot';
import { formatCount, formatValue } from '../../src/numberFormat';
import { setHiddenSeries, viewState } from '../state';
import type { Palette } from '../theme';
import { chartToPng, chartToSvg } from './export';
import { canvasPen, svgPen, type Pen } from './pen';
import type { ZoomGroup } from './zoom';

export interface ChartConfig {
  /** Stable id: the key of hidden series in the view state and the export file name. */
  readonly id: string;
  readonly title: string;
  /** What the empty chart says until data arrives. */
  readonly placeholder: string;
  /** Charts with the same key share a crosshair. */
  readonly syncKey: string;
  readonly zoom: ZoomGroup;
  /** Label of the x value in the legend. */
  readonly xLabel: string;
  /**
   * x is the training step: the legend writes it as a count (31,910), and when idle shows the
   * newest values instead of dashes.
   */
  readonly overSteps: boolean;
  /** A click (not a drag) on the plot picks the x under the cursor. */
  readonly onPick?: (x: number) => void;
}

/** The parts of a uPlot configuration that differ between charts. */
export interface PlotSpec {
  readonly series: uPlot.Series[];
  readonly axes: uPlot.Axis[];
  readonly scales: uPlot.Scales;
  readonly hooks?: uPlot.Hooks.Arrays;
}

/**
 * One titled chart card around a uPlot instance. Subclasses say what to draw (`spec`) and
 * with what data (`data`); this class owns the DOM, sizing, zoom, hidden series, theme rebuilds
 * and export. Like playground's linechart, updates are cheap `setData` calls; the uPlot
 * instance is rebuilt only when its configuration changes (theme, log scale, critic kind).
 */
export abstract class Chart {
  readonly root: HTMLElement;
  protected readonly subtitleEl: HTMLElement;
  protected readonly tools: HTMLElement;
  protected palette: Palette;
  protected plot: uPlot | null = null;
  /**
   * Unclipped values behind each plotted series (index = uPlot series index), so legends show
   * "∞" where the plotted array holds a gap.
   */
  protected raw: (ArrayLike<number> | null)[] = [];
  private readonly titleEl: HTMLElement;
  private readonly legendEl: HTMLElement;
  private readonly noteEl: HTMLElement;
  private readonly plotEl: HTMLElement;
  private readonly placeholderEl: HTMLElement;
  private readonly resetZoomButton: HTMLButtonElement;
  private width = 0;
  private height = 0;
  private needsRebuild = true;
  private hasData = false;

  protected constructor(protected readonly config: ChartConfig, palette: Palette) {
    this.palette = palette;
    this.root = el('section', 'card');
    this.root.id = `chart-${config.id}`;
    // Over the x grid an idle legend has no meaningful point to show: values appear on hover.
    if (!config.overSteps) this.root.classList.add('legend-on-hover');
    const head = el('header', 'card-head', this.root);
    const titles = el('div', 'card-titles', head);
    this.titleEl = el('h2', 'card-title', titles);
    this.titleEl.id = `chart-${config.id}-title`;
    this.titleEl.textContent = config.title;
    this.subtitleEl = el('p', 'card-subtitle', titles);
    this.tools = el('div', 'card-tools', head);
    this.resetZoomButton = el('button', 'chip', this.tools);
    this.resetZoomButton.type = 'button';
    this.resetZoomButton.textContent = 'Reset zoom';
    this.resetZoomButton.title = 'Show all (or double-click the chart)';
    this.resetZoomButton.hidden = true;
    this.resetZoomButton.addEventListener('click', () => config.zoom.set(null));
    this.plotEl = el('div', 'plot', this.root);
    this.plotEl.setAttribute('role', 'img');
    this.plotEl.setAttribute('aria-labelledby', this.titleEl.id);
    this.plotEl.title = config.onPick ? 'Click to see the fields at a step; drag to zoom, double-click to reset' : 'Drag to zoom, double-click to reset';
    if (config.onPick) this.listenForPicks(config.onPick);
    this.placeholderEl = el('div', 'plot-placeholder', this.plotEl);
    this.placeholderEl.textContent = config.placeholder;
    this.legendEl = el('div', 'legend', this.root);
    this.noteEl = el('p', 'card-note', this.root);
    config.zoom.subscribe(() => this.applyZoom());
    new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box) this.resize(Math.floor(box.width), Math.floor(box.height));
    }).observe(this.plotEl);
  }

  private listenForPicks(onPick: (x: number) => void): void {
    let down: { x: number; y: number } | null = null;
    this.plotEl.addEventListener('mousedown', (e) => { down = { x: e.clientX, y: e.clientY }; });
    this.plotEl.addEventListener('click', (e) => {
      const u = this.plot;
      const moved = down ? Math.hypot(e.clientX - down.x, e.clientY - down.y) : 0;
      down = null;
      // A drag zooms; only a click without movement picks.
      if (!u || moved > 3 || u.cursor.left == null || u.cursor.left < 0) return;
      onPick(u.posToVal(u.cursor.left, 'x'));
    });
  }

  get id(): string {
    return this.config.id;
  }

  get title(): string {
    return this.titleEl.textContent ?? '';
  }

  get subtitle(): string {
    return this.subtitleEl.textContent ?? '';
  }

  protected setTitle(text: string): void {
    if (this.titleEl.textContent !== text) this.titleEl.textContent = text;
  }

  protected setSubtitle(text: string): void {
    if (this.subtitleEl.textContent !== text) this.subtitleEl.textContent = text;
  }

  /** A line of explanation under the legend. */
  protected setNote(text: string): void {
    if (this.noteEl.textContent !== text) this.noteEl.textContent = text;
  }

  /** The uPlot configuration for the current palette and toggles. */
  protected abstract spec(): PlotSpec;

  /** Aligned data (x first), or null while there is nothing to show. */
  protected abstract data(): uPlot.AlignedData | null;

  /** Marks over the plot area (rugs, arrows, guides), drawn on the canvas and into the SVG export alike. */
  protected marks(_u: uPlot, _pen: Pen): void {}

  /** Vector version of the canvas overlays, for the SVG export (plot-area CSS pixels). */
  protected svgOverlay(u: uPlot): string {
    const { pen, svg } = svgPen();
    this.marks(u, pen);
    return svg();
  }

  /** x range when not zoomed; step charts follow the current run rather than the previous one. */
  protected xExtent(dataMin: number, dataMax: number): [number, number] {
    return [dataMin, dataMax];
  }

  setPalette(p: Palette): void {
    this.palette = p;
    this.invalidate();
    this.refresh();
  }

  /** The configuration changed: the next refresh builds a new uPlot instance. */
  protected invalidate(): void {
    this.needsRebuild = true;
  }

  /** Pushes the current data to the chart; called at most once per animation frame. */
  refresh(): void {
    const data = this.data();
    this.hasData = data !== null && data[0].length > 0;
    this.placeholderEl.hidden = this.hasData;
    this.root.classList.toggle('is-empty', !this.hasData);
    if (!this.hasData || this.width === 0 || this.height === 0) return;
    if (this.needsRebuild || !this.plot) this.build(data!);
    else this.plot.setData(data!);
  }

  private build(data: uPlot.AlignedData): void {
    this.plot?.destroy();
    this.legendEl.replaceChildren();
    this.needsRebuild = false;
    const spec = this.spec();
    const hidden = new Set(viewState().hidden[this.config.id] ?? []);
    const xSeries: uPlot.Series = {
      label: this.config.xLabel,
      value: (_u, v) => (this.config.overSteps ? formatCount(v) : formatValue(v)),
    };
    const series = [xSeries, ...spec.series.map((s, i) => ({
      ...s,
      show: !hidden.has(s.class ?? ''),
      value: s.value ?? ((_u: uPlot, v: number | null, _si: number, idx: number | null) => this.legendValue(i + 1, idx, v)),
    }))];
    const zoom = this.config.zoom;
    const opts: uPlot.Options = {
      width: this.width,
      height: this.height,
      series,
      axes: spec.axes,
      scales: {
        ...spec.scales,
        x: {
          time: false,
          range: (_u, min, max) => {
            const z = zoom.get();
            const [lo, hi] = z ? [z[0], z[1]] : this.xExtent(min, max);
            return lo < hi ? [lo, hi] : [lo - 1, hi + 1];
          },
        },
      },
      legend: {
        show: true,
        live: true,
        mount: (_u, table) => this.legendEl.appendChild(table),
        markers: { width: 2 },
      },
      cursor: {
        sync: { key: this.config.syncKey, setSeries: false },
        drag: { x: true, y: false, setScale: false },
        points: { size: 6, width: 1.5 },
        focus: { prox: 16 },
        bind: {
          // Our own reset: uPlot's would re-range x without going through the shared zoom.
          dblclick: () => () => {
            zoom.set(null);
            return null;
          },
        },
      },
      focus: { alpha: 0.45 },
      // Room for the last x tick label when there is no right-hand axis to provide it.
      padding: [8, (_u, _side, sides) => (sides[1] ? 4 : 16), 0, 0],
      hooks: {
        ...spec.hooks,
        draw: [...(spec.hooks?.draw ?? []), (u) => {
          const c = canvasPen(u, this.palette.fontFamily);
          this.marks(u, c.pen);
          c.done();
        }],
        setSelect: [(u) => this.onSelect(u)],
        setSeries: [(u) => this.saveHidden(u)],
        setCursor: [(u) => this.idleLegend(u)],
        setData: [(u) => this.idleLegend(u)],
      },
    };
    this.plot = new uPlot(opts, data, this.plotEl);
    this.idleLegend(this.plot);
    this.resetZoomButton.hidden = zoom.get() === null;
  }

  /** Legend text for series `seriesIdx` at `idx`: the unclipped value where one is known. */
  protected legendValue(seriesIdx: number, idx: number | null, plotted: number | null): string {
    if (idx === null) return '—';
    const raw = this.raw[seriesIdx];
    return formatValue(raw && idx < raw.length ? raw[idx] : plotted);
  }

  private idleLegend(u: uPlot): void {
    const hovering = u.cursor.idx != null;
    this.root.classList.toggle('is-hovering', hovering);
    if (!this.config.overSteps || hovering || u.data[0].length === 0) return;
    // The newest visible point (the current run's last step, not a longer previous run's).
    // Computed from the data: in the setData hook the scales are not updated yet.
    const xs = u.data[0];
    const z = this.config.zoom.get();
    const idx = u.valToIdx(z ? z[1] : this.xExtent(xs[0]!, xs[xs.length - 1]!)[1]);
    if (u.legend.idx !== idx) u.setLegend({ idx }, false);
  }

  private onSelect(u: uPlot): void {
    const { left, width } = u.select;
    if (width < 4) return;
    const min = u.posToVal(left, 'x');
    const max = u.posToVal(left + width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    if (max > min) this.config.zoom.set([min, max]);
  }

  private applyZoom(): void {
    this.resetZoomButton.hidden = this.config.zoom.get() === null;
    const u = this.plot;
    if (!u || u.data[0].length === 0) return;
    const xs = u.data[0];
    // The range function picks the zoom (or the full extent); the values here only trigger it.
    u.setScale('x', { min: xs[0]!, max: xs[xs.length - 1]! });
  }

  private saveHidden(u: uPlot): void {
    const hidden = u.series.slice(1).filter((s) => !s.show && s.class).map((s) => s.class!);
    setHiddenSeries(this.config.id, hidden);
  }

  private resize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    if (width === 0 || height === 0) return;
    if (this.plot && !this.needsRebuild) this.plot.setSize({ width, height });
    else this.refresh();
  }

  /** The chart as a PNG data URL (title, legend and plot) at twice the screen's resolution or more, or null when nothing is drawn. */
  async toPng(): Promise<string | null> {
    const svg = this.toSvg();
    return svg === null ? null : chartToPng(svg, Math.max(2, devicePixelRatio || 1));
  }

  /** The chart as standalone SVG text, or null when nothing is drawn. */
  toSvg(): string | null {
    return this.plot && this.hasData ? chartToSvg(this.plot, this.title, this.subtitle, this.palette, (u) => this.svgOverlay(u)) : null;
  }
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  parent?.appendChild(e);
  return e;
}

/** Grid values with non-finite entries as gaps, which uPlot draws as breaks. */
export function finiteOrNull(a: ArrayLike<number>, transform?: (v: number) => number): (number | null)[] {
  const out = new Array<number | null>(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = transform ? transform(a[i]!) : a[i]!;
    out[i] = Number.isFinite(v) ? v : null;
  }
  return out;
}
