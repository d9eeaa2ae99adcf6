/**
 * Entry of a training worker's snapshot thread: a copy of the run (the same definition on the
 * same engine) that takes the run's weights at each snapshot and inspects them, so a 2-D
 * snapshot (tens of milliseconds: the generator on 65,536 latent points, the critic map, exact
 * transport, the alignment) runs on the other core instead of stopping training.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendPreference, SnapshotThreadToTraining, TrainingToSnapshotThread } from '../protocol';
import { describeThrown } from '../errors';
import { defaultWasmDir, loadBackend, type Tf } from './backend';
import { engineNamed } from './createEngine';
import { resolveDefinition } from './definitionSource';
import type { TrainingEngine } from './engine';
import { RunInspector } from './inspector';
import { snapshotBuffers } from './snapshotBuffers';
import { snapshotKernelThreads } from './snapshotPacing';

const port = parentPort;
if (!port) throw new Error('snapshotThread.ts must run in a worker thread');

function post(message: SnapshotThreadToTraining, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, [...new Set(transfer)]);
}

interface Copy {
  readonly generation: number;
  readonly trainer: TrainingEngine;
  readonly inspector: RunInspector;
}

async function load(tf: Tf, m: Extract<TrainingToSnapshotThread, { type: 'load' }>): Promise<Copy> {
  const resolved = await resolveDefinition(tf, m.source);
  if (!resolved.ok) throw new Error(resolved.problems[0]?.message ?? 'the definition did not load');
  const trainer = engineNamed(tf, { ...resolved.definition, seed: m.seed }, m.engine, snapshotKernelThreads());
  return { generation: m.generation, trainer, inspector: new RunInspector(trainer, m.settings) };
}

async function main(): Promise<void> {
  const preference = (workerData as { backend?: BackendPreference } | undefined)?.backend ?? 'auto';
  const { tf } = await loadBackend(preference, defaultWasmDir());
  let copy: Copy | undefined;
  const queue: TrainingToSnapshotThread[] = [];
  let busy = false;
  // One message at a time, in order: a snapshot request always finds the copy its load made.
  async function drain(): Promise<void> {
    if (busy) return;
    busy = true;
    for (let m = queue.shift(); m; m = queue.shift()) {
      try {
        if (m.type === 'load') {
          copy?.trainer.dispose();
          copy = undefined;
          copy = await load(tf, m);
          post({ type: 'loaded', generation: m.generation });
        } else if (copy && copy.generation === m.generation) {
          const started = performance.now();
          copy.trainer.mirror(m);
          const snapshot = { ...copy.inspector.snapshot(m.args), offThread: true };
          post({ type: 'snapshot', generation: m.generation, snapshot, computeMs: performance.now() - started }, snapshotBuffers(snapshot));
        }
      } catch (e) {
        post({ type: 'failed', generation: m.generation, reason: describeThrown(e) });
      }
    }
    busy = false;
  }
  port!.on('message', (m: TrainingToSnapshotThread) => {
    queue.push(m);
    void drain();
  });
}

main().catch((e: unknown) => {
  post({ type: 'failed', generation: -1, reason: `the snapshot thread did not start: ${describeThrown(e)}` });
});
