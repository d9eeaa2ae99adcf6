import { SLOW_MOTION, WARM_UP, type RunInfo, type RunState, type ScalarMetrics, type Snapshot, type Speed, type WebviewCommand } from '../src/protocol';
import { el } from './charts/chart';
import { divergenceSymbol } from '../src/core/divergenceSymbols';
import { undecidedNote } from '../src/core/singularCases';
import { formatCount, formatRate, formatValue } from '../src/numberFormat';
import { icon, type IconName } from './icons';
import { postToHost } from './vscodeApi';

const STATE_TEXT: Record<RunState, string> = {
  loading: 'Loading', running: 'Running', paused: 'Paused', stopped: 'Stopped', finished: 'Finished', failed: 'Failed',
};

/** What the speed control offers: null = as fast as possible, 'warmUp' = slow for the first steps, then Max. */
const SPEEDS: readonly Speed[] = ['warmUp', null, 1000, 100, 10, 1, 'slowMotion'];

function speedValue(s: Speed): string {
  return s === null ? 'max' : String(s);
}

function speedLabel(s: Speed): string {
  if (s === null) return 'Max';
  if (s === 'warmUp') return `Warm-up (${WARM_UP.stepsPerSecond}/s to step ${formatCount(WARM_UP.untilStep)}, then Max)`;
  if (s === 'slowMotion') return `Slow motion (${SLOW_MOTION.subStepsPerSecond} half-steps/s: critic, then generator)`;
  return `${formatCount(s)} steps/s`;
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

class Stat {
  readonly dd: HTMLElement;
  readonly dt: HTMLElement;

  constructor(parent: HTMLElement, label: string, className = '') {
    const wrap = el('div', `stat ${className}`.trim(), parent);
    this.dt = el('dt', '', wrap);
    this.dt.textContent = label;
    this.dd = el('dd', '', wrap);
    this.dd.textContent = '—';
  }

  set(text: string, title?: string): void {
    if (this.dd.textContent !== text) this.dd.textContent = text;
    if (title !== undefined) this.dd.title = title;
  }
}

/**
 * The run header: what is being trained and estimated, the live numbers as text (so screen
 * readers and copy/paste get them), and the training controls.
 */
export class Header {
  readonly root: HTMLElement;
  private readonly fileEl: HTMLElement;
  private readonly versionEl: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly badgeText: HTMLElement;
  private readonly lossEl: HTMLElement;
  private readonly detailEl: HTMLElement;
  private readonly step: Stat;
  private readonly rate: Stat;
  private readonly exact: Stat;
  private readonly estimate: Stat;
  private readonly backend: Stat;
  private readonly modes: Stat;
  private readonly chanceEl: HTMLElement;
  private readonly estimatorsEl: HTMLElement;
  private readonly undecidedEl: HTMLElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly stepButton: HTMLButtonElement;
  private readonly criticButton: HTMLButtonElement;
  private readonly generatorButton: HTMLButtonElement;
  private readonly subStepEl: HTMLElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private run: RunInfo | null = null;

  constructor() {
    this.root = el('header', 'run-header');
    const top = el('div', 'run-top', this.root);
    const heading = el('h1', 'run-title', top);
    this.fileEl = el('span', 'run-file', heading);
    this.fileEl.textContent = 'GAN Lens';
    this.versionEl = el('span', 'run-version', heading);
    this.badge = el('span', 'state-badge', top);
    el('span', 'state-dot', this.badge).setAttribute('aria-hidden', 'true');
    this.badgeText = el('span', '', this.badge);
    this.badgeText.textContent = 'No run';
    this.badge.dataset['state'] = 'none';

    this.lossEl = el('p', 'run-loss', this.root);
    this.detailEl = el('p', 'run-detail', this.root);

    const stats = el('dl', 'stats', this.root);
    this.step = new Stat(stats, 'Step');
    this.rate = new Stat(stats, 'Steps/s');
    this.exact = new Stat(stats, 'Exact', 'stat-exact');
    this.estimate = new Stat(stats, 'Critic estimate', 'stat-estimate');
    this.backend = new Stat(stats, 'Backend');
    this.modes = new Stat(stats, 'Modes covered', 'stat-modes');
    this.modes.dd.parentElement!.hidden = true;
    this.chanceEl = el('p', 'run-chance', this.root);
    // Read out when it appears or goes: it changes what the two numbers above mean.
    this.chanceEl.setAttribute('role', 'status');
    // 2-D: how q and W₁ were obtained, and why KL and χ² may be undecided.
    this.estimatorsEl = el('p', 'run-estimators', this.root);
    this.undecidedEl = el('p', 'run-undecided', this.root);
    this.undecidedEl.setAttribute('role', 'status');

    const controls = el('div', 'controls', this.root);
    controls.setAttribute('role', 'toolbar');
    controls.setAttribute('aria-label', 'Training controls');
    this.pauseButton = this.button(controls, 'pause', 'Pause', 'Pause training', () => {
      this.send(this.run?.state === 'running' ? 'pause' : 'resume');
    });
    this.stepButton = this.button(controls, 'step', 'Step', 'Train one step (Shift+click: 100 steps)', (e) => {
      postToHost({ type: 'command', command: 'step', count: e.shiftKey ? 100 : 1 });
    });
    // GAN Lab's two halves of a step, on their own.
    this.criticButton = this.button(controls, 'step', 'Critic', 'Update the critic only (its criticSteps updates of the next step); the generator stays', () => this.send('stepCritic'));
    this.generatorButton = this.button(controls, 'step', 'Generator', 'Update the generator only, which completes the step; the critic stays', () => this.send('stepGenerator'));
    this.resetButton = this.button(controls, 'reset', 'Reset', 'Restart the run from fresh weights', () => this.send('reset'));
    this.stopButton = this.button(controls, 'stop', 'Stop', 'Stop training', () => this.send('stop'));
    const speedBox = el('label', 'speed', controls);
    el('span', '', speedBox).textContent = 'Speed';
    this.speed = el('select', '', speedBox);
    for (const s of SPEEDS) {
      const o = el('option', '', this.speed);
      o.value = speedValue(s);
      o.textContent = speedLabel(s);
    }
    this.speed.title = 'Steps per second; the host keeps it for this window\'s runs';
    this.speed.addEventListener('change', () => {
      const picked = SPEEDS.find((s) => speedValue(s) === this.speed.value);
      if (picked !== undefined) postToHost({ type: 'setSpeed', speed: picked });
    });
    this.subStepEl = el('p', 'run-substep', this.root);
    this.subStepEl.setAttribute('role', 'status');
    this.updateControls();
  }

  /** After a half step: which player moved, and what the faint curves are. */
  setSubStep(phase: 'critic' | 'generator' | undefined, step: number): void {
    const text = phase === 'critic'
      ? `Step ${formatCount(step + 1)}, first half: the critic was updated, the generator was not. Faint: the critic before.`
      : phase === 'generator'
        ? `Step ${formatCount(step)}, second half: the generator was updated, the critic was not. Faint: q and G before.`
        : '';
    if (this.subStepEl.textContent !== text) this.subStepEl.textContent = text;
  }

  private button(parent: HTMLElement, iconName: IconName, label: string, title: string, onClick: (e: MouseEvent) => void): HTMLButtonElement {
    const b = el('button', 'control', parent);
    b.type = 'button';
    b.title = title;
    b.append(icon(iconName), Object.assign(document.createElement('span'), { textContent: label, className: 'control-label' }));
    b.addEventListener('click', onClick);
    return b;
  }

  private send(command: WebviewCommand): void {
    postToHost({ type: 'command', command });
  }

  setRun(run: RunInfo | null): void {
    this.run = run;
    this.root.classList.toggle('no-run', !run);
    if (!run) {
      this.fileEl.textContent = 'GAN Lens';
      this.versionEl.textContent = '';
      this.lossEl.textContent = '';
      this.detailEl.textContent = '';
      this.setChance(undefined);
      this.setPlane(null);
      this.badge.dataset['state'] = 'none';
      this.badgeText.textContent = 'No run';
      this.updateControls();
      return;
    }
    this.fileEl.textContent = run.file ? basename(run.file) : run.title;
    this.fileEl.title = run.file ?? run.title;
    this.versionEl.textContent = run.file ? `v${run.version}` : '';
    this.versionEl.title = 'Version of the definition file in use';
    const s = run.summary;
    this.lossEl.replaceChildren();
    if (s) {
      el('span', 'run-loss-name', this.lossEl).textContent = s.lossName;
      this.lossEl.append(' — estimates ');
      el('strong', '', this.lossEl).textContent = s.estimating;
      this.detailEl.textContent = `Target ${s.target} · generator ${s.generator} · critic ${s.critic}`;
      this.detailEl.title = this.detailEl.textContent;
      this.exact.dt.textContent = `${divergenceSymbol(s.divergence)} (exact)`;
    } else {
      this.lossEl.textContent = run.state === 'loading' ? 'Loading the definition…' : '';
      this.detailEl.textContent = '';
      this.exact.dt.textContent = 'Exact';
    }
    if (run.backend) this.backend.set(run.engine ? `${run.backend} · ${run.engine}` : run.backend);
    if (run.speed !== undefined) this.showSpeed(run.speed);
    this.badge.dataset['state'] = run.state;
    this.badgeText.textContent = STATE_TEXT[run.state];
    if (run.state !== 'running') this.rate.set('—');
    this.updateControls();
  }

  /** The host's speed, which may be one the list does not offer (another window's, a command's). */
  private showSpeed(speed: Speed): void {
    const value = speedValue(speed);
    if (![...this.speed.options].some((o) => o.value === value)) {
      const o = el('option', '', this.speed);
      o.value = value;
      o.textContent = speedLabel(speed);
    }
    this.speed.value = value;
  }

  /** Live numbers from the newest snapshot (or the newest history point after a replay). */
  setMetrics(m: ScalarMetrics | null, snapshot?: Snapshot): void {
    if (m) {
      this.step.set(formatCount(m.step));
      this.exact.set(formatValue(m.analytic));
      this.estimate.set(formatValue(m.estimate), `minibatch ${formatValue(m.minibatchEstimate)}`);
    } else {
      for (const s of [this.step, this.exact, this.estimate, this.rate]) s.set('—');
    }
    if (snapshot) {
      // A paused or stopped run's last live rate would read as its current one.
      this.rate.set(this.run?.state === 'running' ? formatRate(snapshot.stepsPerSecond) : '—');
      this.backend.set(`${snapshot.backend} · ${snapshot.engine}`);
    }
  }

  /**
   * 2-D only (null hides it): the modes covered, the estimators of q and of W₁, and the mass
   * of p that leaves KL(P‖Q) and χ² undecided (those arrive as NaN and read "—").
   */
  setPlane(s: Snapshot | null): void {
    const plane = s?.plane;
    const modes = plane?.modes;
    this.modes.dd.parentElement!.hidden = !modes;
    if (modes) this.modes.set(`${modes.covered} / ${modes.of}`, `${modes.covered} of ${modes.of} mixture components hold at least half their weight of q within Mahalanobis distance 3`);
    let estimators = '';
    if (s && plane) {
      const w = plane.wasserstein1;
      const coarser = w.side < plane.x.count ? `, within ±${formatValue(w.coarseningBound, 2)} of W₁ on the ${plane.x.count}² lattice` : '';
      estimators = `q: ${s.qEstimator} · W₁: exact transport on a ${w.side}² lattice, computed at step ${formatCount(w.step)}${coarser}`;
    }
    if (this.estimatorsEl.textContent !== estimators) this.estimatorsEl.textContent = estimators;
    const undecided = plane ? undecidedNote(plane.unresolvedMass, (v) => formatValue(v, 2)) : '';
    if (this.undecidedEl.textContent !== undecided) this.undecidedEl.textContent = undecided;
  }

  /** The critic-at-chance line (core/criticChance.ts), or nothing. */
  setChance(note: string | undefined): void {
    const text = note ?? '';
    if (this.chanceEl.textContent !== text) this.chanceEl.textContent = text;
  }

  private updateControls(): void {
    const state = this.run?.state;
    const live = state === 'running' || state === 'paused' || state === 'loading';
    // A stopped run resumes from the checkpoint it stopped at.
    const resumable = state === 'paused' || state === 'stopped';
    this.pauseButton.replaceChildren(icon(resumable ? 'play' : 'pause'),
      Object.assign(document.createElement('span'), { textContent: resumable ? 'Resume' : 'Pause', className: 'control-label' }));
    this.pauseButton.title = state === 'stopped' ? 'Resume training from where it stopped' : resumable ? 'Resume training' : 'Pause training';
    this.pauseButton.disabled = !(state === 'running' || resumable);
    this.stepButton.disabled = !resumable;
    this.criticButton.disabled = state !== 'paused';
    this.generatorButton.disabled = state !== 'paused';
    this.resetButton.disabled = !this.run;
    this.stopButton.disabled = !live;
    this.speed.disabled = !this.run;
  }
}
