import { el } from './charts/chart';
import { icon, type IconName } from './icons';
import { postToHost } from './vscodeApi';

export type BannerLevel = 'info' | 'warning' | 'error';

/** A dismissable message above the charts (load errors, reload notes, training errors). */
export class Banner {
  readonly root: HTMLElement;
  private readonly text: HTMLElement;
  private dismissed: string | null = null;

  constructor() {
    this.root = el('div', 'banner');
    this.root.hidden = true;
    this.text = el('div', 'banner-text', this.root);
    const close = el('button', 'banner-close', this.root);
    close.type = 'button';
    close.title = 'Dismiss';
    close.setAttribute('aria-label', 'Dismiss message');
    close.append(icon('close'));
    close.addEventListener('click', () => {
      this.dismissed = this.text.textContent;
      this.root.hidden = true;
    });
  }

  show(level: BannerLevel, message: string | null): void {
    if (message === null) {
      this.root.hidden = true;
      this.dismissed = null;
      return;
    }
    // The host may repeat a message on replay; one the user dismissed stays dismissed.
    if (message === this.dismissed) return;
    this.dismissed = null;
    this.root.dataset['level'] = level;
    // Errors interrupt a screen reader; information waits its turn.
    this.root.setAttribute('role', level === 'error' ? 'alert' : 'status');
    this.text.textContent = message;
    this.root.hidden = false;
  }
}

/** A button of the empty state. */
export interface EmptyAction {
  readonly label: string;
  readonly title: string;
  readonly icon?: IconName;
  /** The main action: drawn as the primary button. */
  readonly primary?: boolean;
  readonly run: () => void;
}

const TRAIN: EmptyAction = {
  label: 'Train GAN', icon: 'play', primary: true,
  title: 'Train the loss definition open in the editor (*.gan.*), or choose one',
  run: () => postToHost({ type: 'command', command: 'train' }),
};

/** Shown instead of the charts when there is nothing to show: says why and offers to start something. */
export class EmptyState {
  readonly root: HTMLElement;
  private readonly message: HTMLElement;

  constructor(actions: readonly EmptyAction[] = [TRAIN]) {
    this.root = el('div', 'empty-state');
    this.root.hidden = true;
    this.message = el('p', 'empty-message', this.root);
    const buttons = actions.length > 1 ? el('div', 'controls', this.root) : this.root;
    for (const a of actions) {
      const button = el('button', a.primary ? 'primary' : 'control', buttons);
      button.type = 'button';
      if (a.icon) button.append(icon(a.icon));
      button.append(a.label);
      button.title = a.title;
      button.addEventListener('click', a.run);
    }
  }

  show(message: string): void {
    this.message.textContent = message;
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
  }
}
