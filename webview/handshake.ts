/**
 * The webview's half of the start-up handshake. The host holds the run and replays it when the
 * webview says `ready`; a `ready` that is lost (posted while the webview's channel to the host
 * was still being set up, or while the extension host was too busy to take it) would leave the
 * panel empty for good. So `ready` is repeated, a little less often each time, until the host's
 * answer (a `run` or `empty` message) arrives; the host answers each `ready` with a full
 * replay, so a repeat costs a redraw at most.
 */
export interface HandshakeTimers {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

/** First repeat after this long without an answer; each later one waits twice as long, up to MAX. */
export const READY_RETRY_FIRST_MS = 1000;
export const READY_RETRY_MAX_MS = 8000;

export class ReadyHandshake {
  private timer: number | undefined;
  private answered = false;
  private wait = READY_RETRY_FIRST_MS;
  /** How many times `ready` has been posted. */
  sent = 0;

  /** `answers`: the message types that carry the host's replay (the compare panel's differ from the inspector's). */
  constructor(private readonly postReady: () => void, private readonly timers: HandshakeTimers, private readonly answers: readonly string[] = ['run', 'empty']) {}

  start(): void {
    this.send();
  }

  /** Call with the type of every valid message from the host. */
  received(type: string): void {
    if (this.answered || !this.answers.includes(type)) return;
    this.answered = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private send(): void {
    this.sent++;
    this.postReady();
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.answered) return;
      this.wait = Math.min(READY_RETRY_MAX_MS, this.wait * 2);
      this.send();
    }, this.wait);
  }
}
