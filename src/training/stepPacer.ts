/**
 * The Speed control's limit as a token bucket. A fixed sleep per step cannot hold a rate: a
 * timer tick is a millisecond or more and a slice of training takes time of its own, so the
 * loop instead asks how many steps are due since the last look and how long until the next.
 * The bucket's small capacity lets a late timer catch up without letting a pause or a slow
 * stretch turn into a burst: over any interval t the steps taken are at most rate·t + capacity.
 */

/**
 * How much of a late timer the bucket makes up for, in seconds of steps, and at least two steps:
 * on a loaded machine timers fire tens of milliseconds late, and a bucket of one step loses that
 * lateness at every step (10 steps/s ran at 7.7).
 */
export const CATCH_UP_SECONDS = 0.25;
export const MIN_CAPACITY = 2;

export class StepPacer {
  private tokens = 1;
  private readonly capacity: number;

  /** `stepsPerSecond` null is Max: every step is due at once. */
  constructor(
    private readonly stepsPerSecond: number | null,
    private last: number,
  ) {
    this.capacity = stepsPerSecond === null ? Infinity : Math.max(MIN_CAPACITY, stepsPerSecond * CATCH_UP_SECONDS);
  }

  get unlimited(): boolean {
    return this.stepsPerSecond === null;
  }

  /** The limit in steps per second, or null for Max. */
  get rate(): number | null {
    return this.stepsPerSecond;
  }

  /** Steps that may run now (whole steps), at clock time `now` in milliseconds. */
  due(now: number): number {
    if (this.stepsPerSecond === null) return Infinity;
    this.tokens = Math.min(this.capacity, this.tokens + (this.stepsPerSecond * Math.max(0, now - this.last)) / 1000);
    this.last = Math.max(this.last, now);
    return Math.floor(this.tokens);
  }

  /** Spends the steps that were run. */
  took(steps: number): void {
    if (this.stepsPerSecond !== null) this.tokens -= steps;
  }

  /** Milliseconds from `now` until the next step is due; 0 when one is due already. */
  delay(now: number): number {
    if (this.due(now) >= 1) return 0;
    return ((1 - this.tokens) * 1000) / this.stepsPerSecond!;
  }
}
