/**
 * The compare panel: several definitions × seeds side by side. Messages update the model; the
 * header, table, curves and final densities (1-D) or maps (2-D) are redrawn at most once per
 * animation frame, the step-driven parts at most a few times a second.
 */
import 'uplot/dist/uPlot.min.css';
import '../styles.css';
import './compare.css';
import type { Chart } from '../charts/chart';
import { ZoomGroup } from '../charts/zoom';
import { ReadyHandshake } from '../handshake';
import { Banner } from '../notices';
import { updateViewState, viewState } from '../state';
import { observeTheme, readPalette } from '../theme';
import { postToHost } from '../vscodeApi';
import { CurvesChart } from './curvesChart';
import { DensitiesChart } from './densitiesChart';
import { compareEmpty, CompareHeader } from './header';
import { parseCompareHostMessage } from './messages';
import { CompareModel, type Changes } from './model';
import { SmallMaps } from './smallMaps';
import { CompareTable } from './table';

/** Curves and table gain a point per snapshot of any run: redrawn this often at most. */
const STEP_DRAW_MS = 150;

class ComparePanelView {
  private readonly model = new CompareModel();
  private readonly header = new CompareHeader(this.model);
  private readonly empty = compareEmpty();
  private readonly banner = new Banner();
  private readonly table: CompareTable;
  private readonly curves: CurvesChart;
  private readonly densities: DensitiesChart;
  private readonly maps: SmallMaps;
  private readonly charts: Chart[];
  private readonly body: HTMLElement;
  private readonly pending: { -readonly [K in keyof Changes]-?: boolean } = { all: false, header: false, curves: false, finals: false, table: false, cells: false };
  private frame = 0;
  private timer = 0;
  private lastStepDraw = -Infinity;
  private readonly handshake = new ReadyHandshake(() => postToHost({ type: 'ready' }), {
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (id) => window.clearTimeout(id),
  }, ['compare', 'empty']);

  constructor(root: HTMLElement) {
    const palette = readPalette();
    const stepZoom = new ZoomGroup(viewState().stepZoom, (r) => updateViewState({ stepZoom: r }));
    const gridZoom = new ZoomGroup(viewState().gridZoom, (r) => updateViewState({ gridZoom: r }));
    this.table = new CompareTable(palette, this.model);
    this.curves = new CurvesChart(palette, stepZoom, this.model);
    this.densities = new DensitiesChart(palette, gridZoom, this.model);
    this.maps = new SmallMaps(palette, this.model);
    this.charts = [this.curves, this.densities];
    this.body = document.createElement('main');
    this.body.className = 'charts compare';
    this.body.setAttribute('aria-label', 'Comparison');
    this.body.append(this.table.root, this.curves.root, this.densities.root, this.maps.root);
    root.replaceChildren(this.header.root, this.banner.root, this.empty.root, this.body);
    this.show();
    observeTheme((p) => {
      for (const c of this.charts) c.setPalette(p);
      this.maps.setPalette(p);
      this.table.setPalette(p);
    });
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.onMessage(e.data));
    this.handshake.start();
  }

  private onMessage(data: unknown): void {
    const msg = parseCompareHostMessage(data);
    if (!msg) return;
    this.handshake.received(msg.type);
    const changes = this.model.apply(msg);
    if (!changes) return;
    if (changes.all) {
      this.maps.clear();
      this.show();
    }
    for (const k of Object.keys(this.pending) as (keyof Changes)[]) this.pending[k] ||= changes[k] === true;
    this.schedule();
  }

  /** The header and charts for a comparison, or the empty state; the maps only in 2-D, the density chart only in 1-D. */
  private show(): void {
    const info = this.model.info;
    if (info) this.empty.hide();
    else this.empty.show(this.model.empty ?? 'Waiting for the host…');
    this.body.hidden = !info;
    this.densities.root.hidden = info?.dataDim === 2;
    this.maps.root.hidden = info?.dataDim !== 2;
    const message = info?.message;
    this.banner.show(info?.state === 'refused' ? 'error' : 'info', message ?? null);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const p = this.pending;
    const now = performance.now();
    const stepsDue = p.all || now - this.lastStepDraw >= STEP_DRAW_MS;
    if (p.all || p.header || p.table) this.show();
    if (stepsDue) {
      this.lastStepDraw = now;
      if (p.all || p.header) this.header.refresh();
      if (p.all || p.table) this.table.refresh();
      if (p.all || p.curves) this.curves.refresh();
      p.header = p.table = p.curves = false;
    } else if ((p.header || p.table || p.curves) && !this.timer) {
      this.timer = window.setTimeout(() => { this.timer = 0; this.schedule(); }, STEP_DRAW_MS - (now - this.lastStepDraw));
    }
    if (p.all || p.finals || p.cells) {
      // A map's subtitle says its cell's state.
      if (this.model.info?.dataDim === 2) this.maps.refresh();
      else if (p.all || p.finals) this.densities.refresh();
      p.finals = p.cells = false;
    }
    p.all = false;
  }
}

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
new ComparePanelView(root);
