/**
 * The panel's frame rate while streaming: the webview harness's "perf" scenario (the real
 * webview bundle and CSP in headless Chromium, a full 2,000-point history, 60 snapshots/s) and
 * its "plane-perf" one (2-D maps of a 128² lattice, 30 snapshots/s).
 * Needs the repository's test harness and a Chromium; otherwise says why it is absent.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { firstLineOf } from '../errors';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PanelFrames {
  readonly fps: number;
  readonly worstFrameMs: number;
  readonly historyPoints: number;
  readonly browser: string;
  /** The 2-D maps: frames per second and the worst frame at 30 snapshots/s of a `lattice`² lattice. */
  readonly plane?: { readonly fps: number; readonly worstFrameMs: number; readonly lattice: number };
}

export async function measurePanelFrames(root: string): Promise<PanelFrames | { readonly absent: string }> {
  const harness = path.join(root, 'test', 'webview-harness', 'render.mjs');
  const chromium = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
  if (!fs.existsSync(harness)) return { absent: 'the webview harness is not here (an installed extension, not the repository)' };
  if (!fs.existsSync(chromium)) return { absent: `no Chromium at ${chromium} (Debian: apt-get install chromium; or set CHROMIUM_PATH)` };
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [harness, 'perf', 'plane-perf'], { cwd: root, timeout: 5 * 60_000, maxBuffer: 1 << 20 }));
  } catch (e) {
    // The harness exits 1 below 30 frames/s: the figure is still in its output.
    const printed = (e as { stdout?: unknown }).stdout;
    if (typeof printed !== 'string' || !printed.includes('frames/s')) return { absent: `the harness failed: ${firstLineOf(e)}` };
    stdout = printed;
  }
  const m = /perf: (\d+) history points.*→ ([\d.]+) frames\/s, worst frame ([\d.]+) ms/.exec(stdout);
  if (!m) return { absent: `the harness printed no frame rate: ${stdout.trim().split('\n').pop() ?? ''}` };
  const p = /plane-perf: (\d+)² lattice.*→ ([\d.]+) frames\/s, worst frame ([\d.]+) ms/.exec(stdout);
  return {
    historyPoints: Number(m[1]), fps: Number(m[2]), worstFrameMs: Number(m[3]), browser: chromium,
    ...(p ? { plane: { lattice: Number(p[1]), fps: Number(p[2]), worstFrameMs: Number(p[3]) } } : {}),
  };
}
