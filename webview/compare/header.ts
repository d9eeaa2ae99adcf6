/**
 * The compare panel's header: what is compared, its state and how far it has got, and Stop;
 * and its empty state: why there is no comparison, and buttons to start one.
 */
import type { CompareState } from '../../src/compareProtocol';
import { formatCount } from '../../src/numberFormat';
import { el } from '../charts/chart';
import { icon } from '../icons';
import { EmptyState } from '../notices';
import { postToHost } from '../vscodeApi';
import type { CompareModel } from './model';

const STATE_TEXT: Record<CompareState, string> = {
  checking: 'Checking the definitions', running: 'Running', finished: 'Finished', stopped: 'Stopped', refused: 'Refused',
};

/** The inspector's badge colours: its run states that mean the same. */
const BADGE: Record<CompareState, string> = { checking: 'loading', running: 'running', finished: 'finished', stopped: 'stopped', refused: 'failed' };

export class CompareHeader {
  readonly root: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly badgeText: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly stop: HTMLButtonElement;

  constructor(private readonly model: CompareModel) {
    this.root = el('header', 'run-header compare-header');
    const top = el('div', 'run-top', this.root);
    this.titleEl = el('h1', 'run-title', top);
    this.titleEl.textContent = 'GAN Lens: Compare';
    this.badge = el('span', 'state-badge', top);
    el('span', 'state-dot', this.badge).setAttribute('aria-hidden', 'true');
    this.badgeText = el('span', '', this.badge);
    this.badgeText.setAttribute('aria-live', 'polite');
    this.detail = el('p', 'run-detail compare-detail', this.root);
    const controls = el('div', 'controls', this.root);
    this.stop = el('button', 'control', controls);
    this.stop.type = 'button';
    this.stop.id = 'compare-stop';
    this.stop.append(icon('stop'), 'Stop all');
    this.stop.title = 'Stop every run of the comparison';
    this.stop.addEventListener('click', () => postToHost({ type: 'stop' }));
  }

  refresh(): void {
    const info = this.model.info;
    this.root.hidden = info === null;
    if (!info) return;
    this.titleEl.textContent = info.title;
    this.titleEl.title = info.definitions.join('\n');
    this.badge.dataset['state'] = BADGE[info.state];
    const cells = this.model.cells;
    const done = cells.filter((c) => c.info.state === 'finished' || c.info.state === 'failed').length;
    this.badgeText.textContent = `${STATE_TEXT[info.state]}${info.state === 'running' ? ` · ${done} of ${cells.length} runs done` : ''}`;
    const running = cells.filter((c) => c.info.state === 'running' || c.info.state === 'loading').length;
    const seeds = info.seeds.length === 1 ? `seed ${info.seeds[0]}` : `seeds ${info.seeds.join(', ')}`;
    this.detail.textContent = `${info.definitions.length} definition${info.definitions.length === 1 ? '' : 's'} × ${seeds}, ${formatCount(info.steps)} steps each${info.dataDim ? ` · ${info.dataDim}-D` : ''}${running ? ` · ${running} in parallel now` : ''}`;
    this.stop.disabled = info.state !== 'checking' && info.state !== 'running';
  }
}

/** With no comparison: the host's message and the two ways to start one. */
export const compareEmpty = (): EmptyState => new EmptyState([
  { label: 'Compare Runs…', icon: 'play', primary: true, title: 'Pick loss definitions and seeds to train side by side', run: () => postToHost({ type: 'command', command: 'compareRuns' }) },
  { label: 'Compare f-GAN Fits', title: 'A Gaussian fitted by every f-divergence, next to each one’s optimum', run: () => postToHost({ type: 'command', command: 'compareFganFits' }) },
]);
