/**
 * The GAN Lens inspector: wiring between host messages, the run history and the charts.
 * Messages only update state; drawing happens at most once per animation frame, from the
 * newest snapshot only, so a fast worker never queues up frames here.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { previousSourceOf, type HostToWebview, type RunInfo, type Snapshot } from '../src/protocol';
import type { Chart } from './charts/chart';
import { pngInSvg } from './charts/export';
import { CriticChart } from './charts/criticChart';
import { DensityChart } from './charts/densityChart';
import { DivergenceChart } from './charts/divergenceChart';
import { ForceChart } from './charts/forceChart';
import { GeneratorChart } from './charts/generatorChart';
import { MetricChart } from './charts/metricChart';
import { StepCursor } from './charts/stepCursor';
import { ZoomGroup } from './charts/zoom';
import { TimeTravelBar } from './timeTravel';
import { ReadyHandshake } from './handshake';
import { chanceNote, criticAtChance } from '../src/core/criticChance';
import { divergenceSymbol } from '../src/core/divergenceSymbols';
import { formatValue } from '../src/numberFormat';
import { Header } from './header';
import { RunHistory } from './history';
import { parseHostMessage, type RequestExportMessage } from './messages';
import { Banner, EmptyState } from './notices';
import { updateViewState, viewState } from './state';
import { PlaneView } from './plane/planeView';
import { observeTheme, readPalette, watchReducedMotion } from './theme';
import { postToHost } from './vscodeApi';

/** With reduced motion the live charts update a few times a second instead of every frame. */
const REDUCED_MOTION_INTERVAL_MS = 400;
/**
 * The charts over steps gain one point per snapshot out of thousands: redrawing them every
 * frame costs as much as the grid charts (long paths, the filled gap) and shows nothing new.
 */
const STEP_CHART_INTERVAL_MS = 100;

class Inspector {
  private readonly history = new RunHistory();
  private readonly header = new Header();
  private readonly banner = new Banner();
  private readonly empty = new EmptyState();
  private readonly chartsEl: HTMLElement;
  private readonly densities: DensityChart;
  private readonly critic: CriticChart;
  private readonly forces: ForceChart;
  private readonly generator: GeneratorChart;
  private readonly divergence: DivergenceChart;
  private readonly losses: MetricChart;
  private readonly grads: MetricChart;
  private readonly alignment: MetricChart;
  private readonly charts: Chart[];
  private readonly plane: PlaneView;
  /** Dimension of the data whose charts are showing; switched by the snapshots. */
  private dim: 1 | 2 = 1;
  private run: RunInfo | null = null;
  /** Only the newest snapshot is kept; older ones are dropped unseen. */
  private pending: Snapshot | null = null;
  /** The newest live 1-D snapshot, drawn again when time travel ends. */
  private live: Snapshot | null = null;
  /** While going back in time: the kept frame the charts over x show instead of the live run. */
  private shownFrame: Snapshot | null = null;
  /** The step the person picked, which the frame shown may only be near. */
  private asked = 0;
  private readonly cursor = new StepCursor();
  private readonly travel = new TimeTravelBar({
    request: (step) => this.requestFrame(step),
    live: () => this.backToLive(),
    branch: (step) => {
      postToHost({ type: 'branch', step });
      this.backToLive();
    },
  });
  private drawnRevision = -1;
  private frame = 0;
  private timer = 0;
  private lastDraw = 0;
  private lastStepDraw = -Infinity;
  private stepTimer = 0;
  private reducedMotion: boolean;
  private readonly handshake = new ReadyHandshake(() => postToHost({ type: 'ready' }), {
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (id) => window.clearTimeout(id),
  });

  constructor(root: HTMLElement) {
    const palette = readPalette();
    const stepZoom = new ZoomGroup(viewState().stepZoom, (r) => updateViewState({ stepZoom: r }));
    const gridZoom = new ZoomGroup(viewState().gridZoom, (r) => updateViewState({ gridZoom: r }));
    this.densities = new DensityChart(palette, gridZoom);
    this.critic = new CriticChart(palette, gridZoom);
    this.forces = new ForceChart(palette, gridZoom);
    this.generator = new GeneratorChart(palette, new ZoomGroup(null, () => undefined));
    const pick = (step: number): void => this.requestFrame(step);
    this.divergence = new DivergenceChart(palette, stepZoom, this.history, this.cursor, pick);
    this.losses = new MetricChart({
      id: 'losses', title: 'Losses', subtitle: 'Minimised by each player', yLabel: 'loss',
      series: [
        { key: 'criticLoss', label: 'critic', color: (p) => p.green },
        { key: 'generatorLoss', label: 'generator', color: (p) => p.orange },
      ],
    }, palette, stepZoom, this.history, this.cursor, pick);
    this.grads = new MetricChart({
      id: 'gradients', title: 'Gradient norms', subtitle: 'L2 norm over each player’s parameters', yLabel: '‖∇‖',
      series: [
        { key: 'criticGradNorm', label: 'critic', color: (p) => p.green },
        { key: 'generatorGradNorm', label: 'generator', color: (p) => p.orange },
      ],
      logKey: 'gradLog',
    }, palette, stepZoom, this.history, this.cursor, pick);
    this.alignment = new MetricChart({
      id: 'alignment', title: 'Alignment: what the generator really descends',
      subtitle: 'Cosines; +1 = towards a smaller divergence. Gaps: undefined (a zero or infinite gradient, or no known objective).',
      yLabel: 'cos', yRange: [-1, 1],
      series: [
        { key: 'alignmentForce', label: 'is the critic steering each sample right? (force in x)', color: (p) => p.green },
        { key: 'alignmentDivergence', label: 'does the loss’s gradient follow the estimated divergence?', color: (p) => p.purple },
        { key: 'alignmentEffective', label: 'does it follow the loss’s theoretical objective?', color: (p) => p.blue },
        { key: 'alignmentUpdate', label: 'did the last update decrease the divergence?', color: (p) => p.orange },
      ],
    }, palette, stepZoom, this.history, this.cursor, pick);
    this.charts = [this.densities, this.critic, this.forces, this.generator, this.divergence, this.losses, this.grads, this.alignment];
    this.plane = new PlaneView(palette);
    this.plane.root.hidden = true;

    this.chartsEl = document.createElement('main');
    this.chartsEl.className = 'charts';
    this.chartsEl.setAttribute('aria-label', 'Training charts');
    this.chartsEl.append(this.travel.root, ...this.lineCharts.map((c) => c.root), this.plane.root, ...[this.divergence, this.losses, this.grads, this.alignment].map((c) => c.root));
    root.replaceChildren(this.header.root, this.banner.root, this.empty.root, this.chartsEl);

    this.reducedMotion = watchReducedMotion((reduced) => { this.reducedMotion = reduced; });
    observeTheme((p) => {
      for (const c of this.charts) c.setPalette(p);
      this.plane.setPalette(p);
    });
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.onMessage(e.data));
    this.handshake.start();
  }

  private onMessage(data: unknown): void {
    const msg = parseHostMessage(data);
    if (!msg) return;
    this.handshake.received(msg.type);
    if (msg.type === 'requestExport') {
      // eslint-disable-next-line no-console -- the webview's only log is the devtools console
      void this.export(msg).catch((e: unknown) => console.warn('GAN Lens: export failed', e));
      return;
    }
    this.handle(msg);
  }

  private handle(msg: Exclude<HostToWebview, { type: 'requestExport' }>): void {
    switch (msg.type) {
      case 'run':
        this.startRun(msg.run);
        this.history.setSource(previousSourceOf(msg.run));
        this.history.reset(msg.history, msg.markers, msg.previous, msg.previousFrom);
        this.header.setMetrics(this.history.latest);
        this.schedule();
        return;
      case 'runInfo':
        if (msg.run.runId !== this.run?.runId) {
          this.startRun(msg.run);
          this.history.setSource(previousSourceOf(msg.run));
          this.history.reset();
        } else {
          this.setRunInfo(msg.run);
          this.history.setSource(previousSourceOf(msg.run));
        }
        this.schedule();
        return;
      case 'snapshot': {
        const s = msg.snapshot;
        if (this.run && s.runId !== this.run.runId) return; // from a run that has ended
        this.history.append(s.metrics);
        this.pending = s;
        this.schedule();
        return;
      }
      case 'frame':
        if (this.run && msg.runId !== this.run.runId) return;
        this.showFrame(msg.snapshot, msg.steps);
        return;
      case 'marker':
        if (this.run && msg.runId !== this.run.runId) return;
        this.history.addMarker(msg.marker);
        this.schedule();
        return;
      case 'banner':
        this.banner.show(msg.level, msg.message);
        return;
      case 'empty':
        this.run = null;
        this.pending = null;
        this.live = null;
        this.backToLive();
        this.history.reset();
        this.header.setRun(null);
        this.header.setMetrics(null);
        for (const c of this.lineCharts) c.clear();
        this.plane.clear();
        this.empty.show(msg.message);
        this.chartsEl.hidden = true;
        return;
      default: {
        const never: never = msg;
        // eslint-disable-next-line no-console -- the webview's only log is the devtools console
        console.warn('GAN Lens: unhandled message', never);
      }
    }
  }

  /** Time travel: asks the host for the fields kept nearest to `step` (1-D runs). */
  private requestFrame(step: number): void {
    if (this.dim !== 1 || !this.run) return;
    this.asked = Math.max(0, Math.round(step));
    postToHost({ type: 'requestFrame', step: this.asked });
  }

  private showFrame(snapshot: Snapshot | undefined, steps: readonly number[]): void {
    if (!snapshot || snapshot.dataDim !== 1) return;
    this.shownFrame = snapshot;
    this.cursor.set(snapshot.metrics.step);
    this.travel.show(snapshot.metrics.step, this.asked, steps);
    this.drawLine(snapshot);
  }

  private backToLive(): void {
    this.shownFrame = null;
    this.cursor.set(null);
    this.travel.hide();
    if (this.live) this.drawLine(this.live);
  }

  /** The charts over x, from a live snapshot or a kept frame; after a half step, `previous` is drawn faint where it changed. */
  private drawLine(s: Snapshot, previous: Snapshot | null = null): void {
    for (const c of this.lineCharts) {
      c.setSnapshot(s, previous);
      c.refresh();
    }
  }

  private startRun(run: RunInfo): void {
    this.pending = null;
    this.live = null;
    this.backToLive();
    for (const c of this.lineCharts) c.clear();
    this.plane.clear();
    this.empty.hide();
    this.chartsEl.hidden = false;
    this.setRunInfo(run);
  }

  private setRunInfo(run: RunInfo): void {
    this.run = run;
    this.header.setRun(run);
    this.divergence.setSummary(run.summary);
    this.plane.setSummary(run.summary);
    if (run.summary) this.critic.setSummary(run.summary);
    // Before the first snapshot, the definition says which charts are coming.
    const dim = run.summary?.dataDim;
    if (dim === 1 || dim === 2) this.showDim(dim);
  }

  /** The charts over x of a 1-D run, in the order they are laid out. */
  private get lineCharts(): (DensityChart | CriticChart | ForceChart | GeneratorChart)[] {
    return [this.densities, this.critic, this.forces, this.generator];
  }

  private schedule(): void {
    if (this.frame || this.timer) return;
    const wait = this.reducedMotion ? this.lastDraw + REDUCED_MOTION_INTERVAL_MS - performance.now() : 0;
    if (wait > 0) {
      this.timer = window.setTimeout(() => { this.timer = 0; this.schedule(); }, wait);
      return;
    }
    this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    this.lastDraw = performance.now();
    const s = this.pending;
    this.pending = null;
    if (s) {
      this.showDim(s.dataDim);
      // The line charts draw 1-D snapshots (unless they show a kept frame); a 2-D one carries its fields in `plane`.
      if (s.dataDim === 1) {
        const previous = this.live;
        this.live = s;
        if (!this.shownFrame) this.drawLine(s, s.subStep ? previous : null);
      } else {
        this.plane.setSnapshot(s);
        this.plane.refresh();
      }
      this.header.setMetrics(s.metrics, s);
      this.header.setSubStep(s.subStep, s.metrics.step);
      this.header.setPlane(s.dataDim === 2 ? s : null);
    } else if (this.history.revision !== this.drawnRevision) {
      this.header.setMetrics(this.history.latest);
    }
    if (this.history.revision !== this.drawnRevision) {
      const summary = this.run?.summary;
      this.header.setChance(chanceNote(criticAtChance(this.history.columns, summary?.chance), summary?.chance, divergenceSymbol(summary?.divergence), (v) => formatValue(v)));
      const now = performance.now();
      // Right after a replay or a new run (nothing drawn yet) there is no reason to wait.
      if (now - this.lastStepDraw >= STEP_CHART_INTERVAL_MS || this.drawnRevision < 0 || !s) {
        this.drawnRevision = this.history.revision;
        this.lastStepDraw = now;
        this.divergence.refresh();
        this.losses.refresh();
        this.grads.refresh();
        this.alignment.refresh();
      } else if (!this.stepTimer) {
        // Make sure the last points are drawn even if no snapshot follows (paused, stopped).
        this.stepTimer = window.setTimeout(() => { this.stepTimer = 0; this.schedule(); }, STEP_CHART_INTERVAL_MS - (now - this.lastStepDraw));
      }
    }
  }

  /** The line charts over x for 1-D data, the maps for 2-D; the charts over steps stay. */
  private showDim(dim: 1 | 2): void {
    if (dim === this.dim) return;
    this.dim = dim;
    for (const c of this.lineCharts) c.root.hidden = dim === 2;
    this.plane.root.hidden = dim === 1;
    // In 2-D the exact-vs-estimate chart leads: the maps below it are tall, and it is the run's story.
    this.chartsEl.classList.toggle('two-d', dim === 2);
  }

  /** Posts every chart that has something drawn as an image (proposed `requestExport`); the 2-D maps are raster, so PNG (inside an SVG when SVG is asked for). */
  private async export(msg: RequestExportMessage): Promise<void> {
    for (const c of this.charts) {
      const data = msg.format === 'svg' ? c.toSvg() : await c.toPng();
      if (data) postToHost({ type: 'export', format: msg.format, name: c.id, data });
    }
    if (this.dim !== 2) return;
    for (const m of this.plane.exportPngs()) {
      postToHost({ type: 'export', format: msg.format, name: m.name, data: msg.format === 'svg' ? pngInSvg(m.png, m.width, m.height) : m.png });
    }
  }
}

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
new Inspector(root);
