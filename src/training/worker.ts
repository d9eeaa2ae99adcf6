/**
 * Entry of the training worker thread: loads the backend, then hands every host message to
 * the run. Everything that can hang or crash (the person's code, tfjs) lives on this side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendPreference, HostToWorker, WorkerToHost } from '../protocol';
import { describeThrownWithStack } from '../errors';
import { defaultWasmDir, loadBackend } from './backend';
import { TrainingRun } from './trainingRun';
import { resolveDefinition } from './definitionSource';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

function post(message: WorkerToHost, transfer: ArrayBuffer[] = []): void {
  // A buffer listed twice (two views of one buffer) would make postMessage throw: each once.
  port!.postMessage(message, [...new Set(transfer)]);
}

async function main(): Promise<void> {
  const preference = ((workerData as { backend?: BackendPreference } | undefined)?.backend ?? 'auto');
  const { tf, backend, notes } = await loadBackend(preference, defaultWasmDir());
  for (const note of notes) post({ type: 'log', level: 'info', message: note });
  let run: TrainingRun | undefined;
  const queue: HostToWorker[] = [];
  let busy = false;

  // Messages are handled one at a time: a reload must not interleave with a start.
  async function drain(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      for (let m = queue.shift(); m; m = queue.shift()) {
        if (m.type === 'start') {
          run?.dispose();
          run = new TrainingRun(tf, backend, m.runId, m.settings, post);
          await run.start(m.source, m.checkpoint);
        } else if (m.type === 'check') {
          const resolved = await resolveDefinition(tf, m.source);
          post(resolved.ok
            ? { type: 'checked', requestId: m.requestId, problems: resolved.warnings, dataDim: resolved.definition.dataDim }
            : { type: 'checked', requestId: m.requestId, problems: resolved.problems });
        } else if (run && m.runId === run.runId) {
          await run.handle(m);
        }
      }
    } catch (e) {
      post({ type: 'log', level: 'error', message: `worker: ${describeThrownWithStack(e)}` });
    } finally {
      busy = false;
    }
  }

  port!.on('message', (m: HostToWorker) => {
    queue.push(m);
    void drain();
  });
  post({ type: 'ready', backend });
}

main().catch((e: unknown) => {
  post({ type: 'log', level: 'error', message: `worker failed to start: ${describeThrownWithStack(e)}` });
  process.exit(1);
});
