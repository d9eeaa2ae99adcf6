// The inspector panel: closing and reopening, hiding and showing it replays the run's history
// from the host; what the host posts survives VS Code's message serialisation and passes the
// webview's own checks.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import type { InspectorPanel } from '../../src/extension/inspectorPanel';
import { encodeNonFinite, type HostToWebview } from '../../src/protocol';
import { parseHostMessage } from '../../webview/messages';
import { cleanSlate, fixture, ganLens, nextEvent, recordMessages, session, waitFor, waitForStep } from './util';

type Delivered = { readonly message: HostToWebview; readonly ok: boolean };

/** Records what the webview of `panel` is sent, and whether each post reached a live webview. */
function spyOnWebview(panel: InspectorPanel): Delivered[] {
  const delivered: Delivered[] = [];
  const webview = panel.panel.webview;
  const original = webview.postMessage.bind(webview);
  webview.postMessage = async (message: unknown) => {
    const ok = await original(message);
    delivered.push({ message: message as HostToWebview, ok });
    return ok;
  };
  return delivered;
}

/**
 * What the webview receives: VS Code JSON-encodes webview messages and moves typed arrays
 * beside the JSON (extHostWebview's serializeWebviewMessage). NaN and ±Infinity become null.
 */
function asTheWebviewGetsIt(message: HostToWebview): unknown {
  const buffers: unknown[] = [];
  const json = JSON.stringify(message, (_k, v: unknown) => (ArrayBuffer.isView(v) ? { $buffer: buffers.push(v) - 1 } : v));
  return JSON.parse(json, (_k, v: unknown) => (v && typeof v === 'object' && '$buffer' in v ? buffers[(v as { $buffer: number }).$buffer] : v));
}

/** The message's type and its non-finite numbers, which JSON turns into null. */
function describe(m: HostToWebview): string {
  const bad: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'number' && !Number.isFinite(v)) bad.push(`${at}=${v}`);
    else if (Array.isArray(v)) v.forEach((x, i) => i < 3 && walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  walk(m, '');
  return `${m.type}${bad.length ? ` with ${bad.join(', ')}` : ''}`;
}

suite('Inspector panel', () => {
  let api: GanLensApi;

  suiteSetup(async () => {
    api = await ganLens();
  });

  suiteSetup(async () => cleanSlate(api));

  /** One run for the suite, with its panel open (a start costs seconds). */
  setup(async () => {
    if (api.controller.current?.state !== 'running') {
      await vscode.window.showTextDocument(fixture('non-saturating.gan.ts'), { viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand('ganLens.train');
    }
    await vscode.commands.executeCommand('ganLens.openInspector');
    await waitForStep(api, 100);
  });

  suiteTeardown(async () => cleanSlate(api));

  test('closing the panel leaves the run training; reopening replays the whole history', async () => {
    const s = session(api);
    const first = api.panel();
    assert.ok(first);
    first.panel.dispose();
    await waitFor(() => api.panel() === undefined, 'the panel to close');
    const closedAt = s.step;
    await waitForStep(api, closedAt + 100);
    // Points are recorded per snapshot (at most 30 a second), not per step.
    await waitFor(() => s.history.length > 25, () => `25 recorded points (now ${s.history.length})`);
    assert.equal(session(api), s, 'closing the panel ended the run');

    await vscode.commands.executeCommand('ganLens.openInspector');
    const panel = api.panel();
    assert.ok(panel && panel !== first, 'Open Inspector did not create a new panel');
    const delivered = spyOnWebview(panel);
    await nextEvent(panel.onDidReceive, (m) => m.type === 'ready', 'the new webview to say ready');
    const replay = await waitFor(() => delivered.find((d) => d.message.type === 'run'), 'the run to be replayed to the new webview');
    assert.ok(replay.ok, 'the replay did not reach the webview');
    assert.ok(replay.message.type === 'run');
    const { history, run } = replay.message;
    assert.equal(run.runId, s.runId);
    assert.equal(run.summary?.lossName, 'non-saturating GAN');
    assert.ok(history.step.length > 20, `the replay holds ${history.step.length} points`);
    assert.ok(history.step[0]! < 50, `the replayed curves start at step ${history.step[0]}, not at the beginning`);
    assert.ok(history.step.at(-1)! > closedAt, 'the replay misses what happened while the panel was closed');
    const index = delivered.indexOf(replay);
    assert.ok(delivered.slice(index + 1).some((d) => d.message.type === 'snapshot'), 'the newest snapshot did not follow the replay');
    await waitFor(() => delivered.filter((d) => d.ok && d.message.type === 'snapshot').length >= 5, 'live snapshots after the replay');
  });

  // A `ready` lost on its way to the host (seen under load: "timed out waiting for the new
  // webview to say ready") must not leave the panel empty: the webview repeats it until the
  // host has answered with the run.
  test('a reopened panel whose first ready is lost still gets the run', async () => {
    api.panel()?.panel.dispose();
    await waitFor(() => api.panel() === undefined, 'the panel to close');
    await vscode.commands.executeCommand('ganLens.openInspector');
    const panel = api.panel();
    assert.ok(panel);
    const delivered = spyOnWebview(panel);
    // The webview cannot have loaded yet (that takes a round trip to the workbench): drop what
    // it says first, as a lost message would be.
    const host = panel as unknown as { receive(raw: unknown): void };
    const receive = host.receive.bind(panel);
    let dropped = 0;
    host.receive = (raw: unknown) => {
      if (dropped === 0 && (raw as { type?: unknown } | null)?.type === 'ready') {
        dropped++;
        return;
      }
      receive(raw);
    };
    const replay = await waitFor(() => delivered.find((d) => d.message.type === 'run' && d.ok), 'the run to reach the webview after its first ready was lost');
    assert.equal(dropped, 1, 'the first ready never came');
    assert.ok(replay.message.type === 'run' && replay.message.run.runId === session(api).runId);
  });

  test('a hidden panel loads again when shown and gets the run replayed', async () => {
    const panel = api.panel();
    assert.ok(panel);
    await waitFor(() => panel.panel.visible && panel.panel.viewColumn === vscode.ViewColumn.Two, 'the panel to be visible in column 2');
    const delivered = spyOnWebview(panel);
    // Another editor in the panel's column hides it; without retainContextWhenHidden the
    // webview is discarded and must be rebuilt from the host's history when shown again.
    await vscode.window.showTextDocument(fixture('README.md'), { viewColumn: vscode.ViewColumn.Two, preview: false });
    await waitFor(() => !panel.panel.visible, 'the panel to be hidden');
    const hiddenAt = delivered.length;
    const ready = nextEvent(panel.onDidReceive, (m) => m.type === 'ready', 'the webview to load again');
    await vscode.commands.executeCommand('ganLens.openInspector');
    assert.equal(api.panel(), panel, 'Open Inspector created a new panel instead of revealing the hidden one');
    await ready;
    assert.equal(panel.panel.viewColumn, vscode.ViewColumn.Two, 'revealing the panel moved it to another column');
    const replay = await waitFor(() => delivered.slice(hiddenAt).find((d) => d.message.type === 'run' && d.ok), 'a replay after showing the panel');
    assert.ok(replay.message.type === 'run' && replay.message.history.step.length > 20);
  });

  // What the webview sends when the person clicks a step on the divergence chart or drags the
  // time-travel slider, and when they press "Branch from here" (the clicks themselves are
  // covered by test/webview-harness, which has the DOM).
  test('scrubbing to an earlier step sends its fields to the panel; Branch from here trains again from a checkpoint before it', async () => {
    const s = session(api);
    await waitFor(() => s.checkpoints.length >= 2 && s.frames.length >= 10, () => `two checkpoints and ten frames (now ${s.checkpoints.length}, ${s.frames.length})`);
    const panel = api.panel();
    assert.ok(panel);
    const delivered = spyOnWebview(panel);
    const host = panel as unknown as { receive(raw: unknown): void };
    const early = s.checkpoints.steps[1]! + 1;
    host.receive({ type: 'requestFrame', step: early });
    const sent = await waitFor(() => delivered.find((d) => d.message.type === 'frame'), 'the frame to be sent to the webview');
    assert.ok(sent.ok, 'the frame did not reach the webview');
    assert.ok(sent.message.type === 'frame');
    const frame = sent.message.snapshot;
    assert.ok(frame, 'no frame was kept');
    const nearest = sent.message.steps.reduce((a, b) => (Math.abs(b - early) < Math.abs(a - early) ? b : a));
    assert.equal(frame.metrics.step, nearest, `the frame shown (step ${frame.metrics.step}) is not the kept one nearest to ${early}`);
    assert.ok(frame.metrics.step < s.step, 'the frame is not of an earlier step');
    assert.ok(frame.x.length <= 128 && frame.q.length === frame.x.length, 'the frame is not downsampled');
    assert.ok(parseHostMessage(asTheWebviewGetsIt(encodeNonFinite(sent.message) as HostToWebview)), 'the webview would drop the frame');

    const recorded = recordMessages(api);
    try {
      const from = s.checkpoints.atOrBefore(frame.metrics.step)!.step;
      host.receive({ type: 'branch', step: frame.metrics.step });
      const replay = await waitFor(() => recorded.of('run').find((m) => m.run.runId === s.runId), 'the run replayed after the branch');
      assert.ok(replay.previousFrom?.label.includes('before the branch'), `the run before the branch is not kept as the previous curve (${replay.previousFrom?.label})`);
      assert.ok(replay.history.step.every((v) => v < from), 'the curves after the branch point were kept');
      await waitFor(() => recorded.of('snapshot').some((m) => m.snapshot.metrics.step >= from + 20), 'training after the branch');
      const first = recorded.of('snapshot')[0]!.snapshot.metrics.step;
      assert.equal(first, from, `the branch began at step ${first}, not at the checkpoint (${from})`);
    } finally {
      recorded.dispose();
    }
  });

  // NaN and ±Infinity (the first snapshot's losses, an infinite KL) survive as encodeNonFinite
  // writes them; as bare numbers JSON would turn them into null and the panel drop the snapshot.
  test('every message sent to the panel passes the webview\'s checks after serialisation', async () => {
    const recorded = recordMessages(api);
    try {
      const s = session(api);
      await waitForStep(api, s.step + 200);
      // A replay and a reset too, so every message type is covered.
      recorded.messages.push(...api.controller.replay());
      await vscode.commands.executeCommand('ganLens.reset');
      await waitForStep(api, 50);
      const types = new Set(recorded.messages.map((m) => m.type));
      for (const t of ['run', 'snapshot', 'runInfo', 'banner']) assert.ok(types.has(t as HostToWebview['type']), `no ${t} message was sent`);
      // parseHostMessage returns undefined for a message the panel would drop.
      const rejected = recorded.messages.filter((m) => parseHostMessage(asTheWebviewGetsIt(encodeNonFinite(m) as HostToWebview)) === undefined).map(describe);
      assert.deepEqual([...new Set(rejected)], [], `${rejected.length} of ${recorded.messages.length} messages would be dropped by the panel`);
    } finally {
      recorded.dispose();
    }
  });
});
