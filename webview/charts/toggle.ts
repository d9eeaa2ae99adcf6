import { el } from './chart';

/** A small pressed/unpressed button in a chart's toolbar (aria-pressed for screen readers). */
export class Toggle {
  readonly button: HTMLButtonElement;

  constructor(parent: HTMLElement, label: string, title: string, pressed: boolean, onChange: (pressed: boolean) => void) {
    this.button = el('button', 'chip toggle', parent);
    this.button.type = 'button';
    this.button.textContent = label;
    this.button.title = title;
    this.set(pressed);
    this.button.addEventListener('click', () => {
      const next = this.button.getAttribute('aria-pressed') !== 'true';
      this.set(next);
      onChange(next);
    });
  }

  set(pressed: boolean): void {
    this.button.setAttribute('aria-pressed', String(pressed));
  }

  enable(enabled: boolean, why: string): void {
    this.button.disabled = !enabled;
    if (!enabled) this.button.title = why;
  }
}
