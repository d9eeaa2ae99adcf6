/** The step whose fields are shown while going back in time (null: live), marked on every chart over steps. */
export class StepCursor {
  private step: number | null = null;
  private readonly listeners = new Set<() => void>();

  get(): number | null {
    return this.step;
  }

  set(step: number | null): void {
    if (step === this.step) return;
    this.step = step;
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): void {
    this.listeners.add(listener);
  }
}
