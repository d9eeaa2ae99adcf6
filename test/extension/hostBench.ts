// The extension host's responsiveness in the real workbench while a GAN trains at Max (issue:
// the TypeScript hover sat at "Loading…"). Not a test: an entry with Mocha's run() shape that
// test/host/run-in-code-server.mjs --tests loads instead of the suite, for `npm run bench`
// (src/bench/hostResponsiveness.ts). It prints one line `HOST-BENCH: {json}` and asserts nothing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { HostPhase as Phase } from '../../src/bench/workbenchHost';
import type { GanLensApi } from '../../src/extension/extension';

const EXTENSION_ID = 'gan-lens.gan-lens';
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

async function hover(uri: vscode.Uri, at: vscode.Position): Promise<number> {
  const t = performance.now();
  await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
  return performance.now() - t;
}

async function measure(seconds: number, api: GanLensApi, uri: vscode.Uri, at: vscode.Position): Promise<Phase> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let snapshots = 0;
  const sub = api.controller.onMessage((m) => { if (m.type === 'snapshot') snapshots++; });
  const step0 = api.controller.current?.step ?? 0;
  const hovers: number[] = [];
  const elu0 = performance.eventLoopUtilization();
  loop.enable();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    hovers.push(await hover(uri, at));
    await delay(250);
  }
  loop.disable();
  const elu = performance.eventLoopUtilization(elu0);
  const elapsed = (performance.now() - t0) / 1000;
  sub.dispose();
  return {
    seconds: elapsed,
    utilization: elu.utilization,
    loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    hoverMs: { median: median(hovers), max: Math.max(...hovers), count: hovers.length },
    snapshotsPerSecond: snapshots / elapsed,
    stepsPerSecond: ((api.controller.current?.step ?? 0) - step0) / elapsed,
  };
}

export async function run(): Promise<void> {
  console.log(`Extension tests in ${vscode.env.appName} ${vscode.version}: extension host responsiveness bench`);
  const extension = vscode.extensions.getExtension<GanLensApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('no workspace folder');
  const ts = vscode.Uri.joinPath(root, 'scratch', 'hover.ts');
  fs.mkdirSync(path.dirname(ts.fsPath), { recursive: true });
  fs.writeFileSync(ts.fsPath, 'export const answer: number = 42;\nexport const text = answer.toFixed(2);\n');
  await vscode.window.showTextDocument(ts, { viewColumn: vscode.ViewColumn.One });
  const at = new vscode.Position(1, 30);
  // The TypeScript service starts with the first request: wait for a hover with content.
  for (let i = 0; i < 240; i++) {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', ts, at);
    if (hovers.length > 0) break;
    await delay(500);
  }
  const idle = await measure(8, api, ts, at);
  await vscode.commands.executeCommand('ganLens.train', vscode.Uri.joinPath(root, 'non-saturating.gan.ts'));
  api.controller.setSpeed(null);
  await vscode.window.showTextDocument(ts, { viewColumn: vscode.ViewColumn.One });
  // Past the start: the worker loaded, the panel drawing.
  for (let i = 0; i < 600 && (api.controller.current?.step ?? 0) < 500; i++) await delay(100);
  const training = await measure(20, api, ts, at);
  await vscode.commands.executeCommand('ganLens.stop');
  const perSnapshotMs = ((training.utilization - idle.utilization) * 1000) / Math.max(1, training.snapshotsPerSecond);
  console.log(`HOST-BENCH: ${JSON.stringify({ idle, training, perSnapshotMs, cores: os.availableParallelism() })}`);
  console.log('EXTENSION-TESTS: passed=1 failed=0 skipped=0');
}
