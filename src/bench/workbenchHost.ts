/**
 * The extension host's responsiveness in the real workbench while a GAN trains at Max: the
 * suite's host (code-server driven by Chromium, test/host/run-in-code-server.mjs) runs
 * test/extension/hostBench.ts instead of the tests, which measures the host's main thread (busy
 * share, event-loop delay) and TypeScript's hover on a .ts file, idle and then training the
 * non-saturating example at Max with the panel open. Needs the repository's test host and a
 * Chromium; otherwise says why it is absent.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { firstLineOf } from '../errors';

const run = promisify(execFile);

export interface HostPhase {
  readonly seconds: number;
  /** Share of the extension host's main thread spent busy. */
  readonly utilization: number;
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly hoverMs: { readonly median: number; readonly max: number; readonly count: number };
  readonly snapshotsPerSecond: number;
  readonly stepsPerSecond: number;
}

export interface WorkbenchHost {
  readonly idle: HostPhase;
  readonly training: HostPhase;
  /** Main-thread time per snapshot: the busy share's increase over the snapshots per second (ms). */
  readonly perSnapshotMs: number;
  readonly cores: number;
}

export async function measureWorkbenchHost(root: string): Promise<WorkbenchHost | { readonly absent: string }> {
  const runner = path.join(root, 'test', 'host', 'run-in-code-server.mjs');
  const entry = path.join(root, 'dist', 'test', 'extension', 'hostBench.js');
  if (!fs.existsSync(runner) || !fs.existsSync(entry)) return { absent: 'the workbench test host is not here (an installed extension, or not built)' };
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [runner, '--tests', entry, '--timeout', '300'], { cwd: root, timeout: 10 * 60_000, maxBuffer: 1 << 22 }));
  } catch (e) {
    return { absent: `the workbench did not run: ${firstLineOf(e)}` };
  }
  const line = stdout.split('\n').find((l) => l.startsWith('HOST-BENCH: '));
  if (!line) return { absent: `the workbench printed no figures: ${stdout.trim().split('\n').pop() ?? ''}` };
  return JSON.parse(line.slice('HOST-BENCH: '.length)) as WorkbenchHost;
}
