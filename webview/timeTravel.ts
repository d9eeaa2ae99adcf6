/**
 * Going back in time: a bar above the charts over x while they show a kept frame of an
 * earlier step instead of the live run, with a slider over the kept frames, "Back to live" and
 * "Branch from here" (train again from the nearest checkpoint at or before that step).
 */
import { el } from './charts/chart';
import { formatCount } from '../src/numberFormat';

export interface TimeTravelActions {
  /** Asks the host for the frame nearest to a step. */
  readonly request: (step: number) => void;
  readonly live: () => void;
  readonly branch: (step: number) => void;
}

export class TimeTravelBar {
  readonly root: HTMLElement;
  private readonly text: HTMLElement;
  private readonly slider: HTMLInputElement;
  private steps: readonly number[] = [];
  private shown: number | null = null;

  constructor(actions: TimeTravelActions) {
    this.root = el('div', 'time-travel');
    this.root.hidden = true;
    this.root.setAttribute('role', 'region');
    this.root.setAttribute('aria-label', 'Time travel');
    this.text = el('span', 'time-travel-text', this.root);
    this.text.setAttribute('role', 'status');
    this.slider = el('input', 'time-travel-slider', this.root);
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.step = '1';
    this.slider.setAttribute('aria-label', 'Kept step to show');
    this.slider.addEventListener('input', () => {
      const step = this.steps[Number(this.slider.value)];
      if (step !== undefined && step !== this.shown) actions.request(step);
    });
    const branch = el('button', 'chip', this.root);
    branch.type = 'button';
    branch.textContent = 'Branch from here';
    branch.title = 'Train again from the nearest checkpoint at or before this step, with the definition in use now; the run so far stays as a dotted curve';
    branch.addEventListener('click', () => this.shown !== null && actions.branch(this.shown));
    const live = el('button', 'chip', this.root);
    live.type = 'button';
    live.textContent = 'Back to live';
    live.addEventListener('click', () => actions.live());
  }

  /** Shows that the charts over x hold the frame of `step` (asked for `asked`), among the kept `steps`. */
  show(step: number, asked: number, steps: readonly number[]): void {
    this.shown = step;
    this.steps = steps;
    this.slider.max = String(Math.max(0, steps.length - 1));
    const index = steps.indexOf(step);
    if (index >= 0) this.slider.value = String(index);
    const near = step === asked ? '' : ` (the kept step nearest to ${formatCount(asked)})`;
    this.text.textContent = `Showing step ${formatCount(step)}${near}: p, q, the critic, the forces and G as they were. ${formatCount(steps.length)} steps kept.`;
    this.root.hidden = false;
  }

  hide(): void {
    this.shown = null;
    this.root.hidden = true;
  }
}
