/** Shared pieces of the supervisor tests: session options, waiting on a session, counting what a run leaves behind. */
import { createHook } from 'node:async_hooks';
import * as fs from 'node:fs';
import { TrainingSession, type SessionOptions } from '../../../src/session/trainingSession';
import { bundledWorkerPath } from '../../../src/session/workerPath';
import type { Checkpoint } from '../../../src/protocol';

export function sessionOptions(stepTimeLimitMs: number, overrides: Partial<SessionOptions['settings']> = {}): SessionOptions {
  return {
    workerPath: bundledWorkerPath(),
    // A small grid and few latent samples: these tests are about the supervisor, not the plots.
    settings: { snapshotRate: 30, gridSize: 128, latentSamples: 2000, backend: 'auto', engine: 'auto', ...overrides },
    historyLength: 1000,
    stepTimeLimitMs,
  };
}

/** Resolves when `predicate` holds, checked on every snapshot, state change and recovery. */
export function until(session: TrainingSession, predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!predicate()) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (step ${session.step}, state ${session.state})`));
    }, timeoutMs);
    const poll = setInterval(check, 50);
    const done = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      session.off('snapshot', check);
      session.off('state', check);
      session.off('recovered', check);
      session.off('loaded', check);
    };
    session.on('snapshot', check);
    session.on('state', check);
    session.on('recovered', check);
    session.on('loaded', check);
    check();
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The checkpoint the host holds (private: the tests look at it, the product does not expose it). */
export function checkpointOf(session: TrainingSession): Checkpoint | undefined {
  return (session as unknown as { checkpoint?: Checkpoint }).checkpoint;
}

/**
 * Counts live worker threads, message ports and timers created while it is enabled, through
 * async_hooks: a resource is live from its init until its destroy (a Worker is destroyed when
 * its thread has exited, a Timeout when it is cleared or has fired).
 */
export class ResourceTracker {
  private readonly live = new Map<number, string>();
  private readonly resources = new Map<number, object>();
  private readonly created = new Map<string, number>();
  private readonly hook = createHook({
    init: (id, type, _trigger, resource) => {
      if (type !== 'WORKER' && type !== 'MESSAGEPORT' && type !== 'Timeout' && type !== 'Immediate') return;
      this.live.set(id, type);
      this.resources.set(id, resource);
      this.created.set(type, (this.created.get(type) ?? 0) + 1);
    },
    destroy: (id) => {
      this.live.delete(id);
      this.resources.delete(id);
    },
  });

  /** What the live timers are, for a failure message: their period and callback's first line. */
  liveTimers(): string[] {
    return [...this.live].filter(([, type]) => type === 'Timeout').map(([id]) => {
      const t = this.resources.get(id) as { _idleTimeout?: number; _repeat?: number | null; _onTimeout?: () => void } | undefined;
      return `${t?._repeat ? 'interval' : 'timeout'} ${t?._idleTimeout} ms: ${String(t?._onTimeout).split('\n')[0]?.slice(0, 120)}`;
    });
  }

  enable(): this {
    this.hook.enable();
    return this;
  }

  disable(): void {
    this.hook.disable();
  }

  /** Live resources by type. */
  liveByType(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const type of this.live.values()) out[type] = (out[type] ?? 0) + 1;
    return out;
  }

  createdByType(): Record<string, number> {
    return Object.fromEntries(this.created);
  }
}

/** OS threads of this process (Linux), or undefined elsewhere. */
export function osThreads(): number | undefined {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
