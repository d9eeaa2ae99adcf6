// Every "GAN:" command against a real run: train, pause/resume, step, reset, stop, open the
// inspector. Export and the new-file command have their own file (they write files).
import * as assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import {
  cleanSlate, fixture, ganLens, nextEvent, recordMessages, session, threadCount, waitFor, waitForQuiet, waitForStep,
} from './util';

suite('Commands', () => {
  let api: GanLensApi;
  const file = (): vscode.Uri => fixture('non-saturating.gan.ts');

  suiteSetup(async () => {
    api = await ganLens();
  });

  suiteTeardown(async () => cleanSlate(api));

  /**
   * The fixture training, as the palette starts it. Tests that only need some run share the
   * one already going (each start costs seconds); the others begin with cleanSlate.
   */
  async function trainFixture(): Promise<void> {
    const s = api.controller.current;
    const target = api.controller.currentTarget;
    const reusable = s && (s.state === 'running' || s.state === 'paused') && target?.kind === 'file' && target.uri.toString() === file().toString();
    if (!reusable) {
      await vscode.window.showTextDocument(file(), { viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand('ganLens.train');
    } else if (s.state === 'paused') {
      await vscode.commands.executeCommand('ganLens.togglePause');
    }
    await waitForStep(api, 0);
  }

  test('Train GAN trains the active file, opens the inspector beside it and streams snapshots to it', async () => {
    await cleanSlate(api);
    const recorded = recordMessages(api);
    try {
      await vscode.window.showTextDocument(file(), { viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand('ganLens.train');

      const panel = api.panel();
      assert.ok(panel, 'Train GAN did not open the inspector');
      await besideTheCode(panel.panel);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), file().toString(), 'the inspector took the focus from the code');

      const target = api.controller.currentTarget;
      assert.ok(target?.kind === 'file' && target.uri.toString() === file().toString(), `training ${JSON.stringify(target)}, not the active file`);

      const first = await waitForStep(api, 0);
      const later = await waitForStep(api, first + 50);
      assert.ok(later > first);
      const s = session(api);
      assert.equal(s.summary?.lossName, 'non-saturating GAN');
      assert.ok(s.backend, 'no backend reported');

      const run = recorded.of('run');
      assert.ok(run.length >= 1, 'no run message was sent to the panel');
      assert.equal(run.at(-1)!.run.runId, s.runId);
      // Snapshots come at most 30 times a second, however fast the engine trains.
      const ofRun = () => recorded.of('snapshot').filter((m) => m.snapshot.runId === s.runId);
      const snapshots = await waitFor(() => ofRun().length >= 5 && ofRun(), () => `five snapshots in the panel (got ${ofRun().length})`);
      const steps = snapshots.map((m) => m.snapshot.metrics.step);
      assert.ok(steps.every((v, i) => i === 0 || v >= steps[i - 1]!), `snapshot steps go backwards: ${steps.join(',')}`);
      const last = snapshots.at(-1)!.snapshot;
      assert.equal(last.x.length, last.p.length);
      assert.ok(last.x.length >= 64, 'the snapshot has no grid');
      assert.ok(Number.isFinite(last.metrics.analytic), 'the analytic divergence is not finite');
    } finally {
      recorded.dispose();
    }
  });

  test('the panel\'s webview loads, says ready and receives the run', async () => {
    await trainFixture();
    // A new panel, so that its webview loads while the test watches.
    api.panel()?.panel.dispose();
    await waitFor(() => api.panel() === undefined, 'the panel to close');
    await vscode.commands.executeCommand('ganLens.openInspector');
    const panel = api.panel();
    assert.ok(panel, 'Open Inspector did not open a panel');
    // Count what the webview actually accepted: postMessage resolves to false when it is gone.
    const delivered: string[] = [];
    const webview = panel.panel.webview;
    const original = webview.postMessage.bind(webview);
    webview.postMessage = async (m: unknown) => {
      const ok = await original(m);
      if (ok) delivered.push((m as { type: string }).type);
      return ok;
    };
    await nextEvent(panel.onDidReceive, (m) => m.type === 'ready', 'the webview to say ready');
    await waitFor(() => delivered.includes('run'), () => `the run to be delivered (got ${delivered.join(', ')})`);
    await waitFor(() => delivered.filter((t) => t === 'snapshot').length >= 10, () => `10 snapshots delivered to the webview (got ${delivered.join(', ')})`);

    // Training the same file again restarts it, in the open panel.
    const before = session(api).runId;
    await vscode.commands.executeCommand('ganLens.train', file());
    await waitForStep(api, 0);
    assert.notEqual(session(api).runId, before, 'training the same file again did not restart it');
    assert.equal(api.panel(), panel, 'training opened a second panel instead of reusing the open one');
  });

  test('Pause/Resume Training stops the step count, then lets it continue', async () => {
    await trainFixture();
    await vscode.commands.executeCommand('ganLens.togglePause');
    await waitFor(() => session(api).state === 'paused', 'the paused state');
    const paused = await waitForQuiet(api);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(session(api).step, paused, 'the step count moved while paused');
    assert.equal(session(api).state, 'paused');

    await vscode.commands.executeCommand('ganLens.togglePause');
    const resumed = await waitForStep(api, paused + 20);
    assert.ok(resumed > paused);
  });

  test('Step Training runs exactly N steps while paused, then stays paused', async () => {
    await trainFixture();
    await vscode.commands.executeCommand('ganLens.togglePause');
    await waitFor(() => session(api).state === 'paused', 'the paused state');
    const before = await waitForQuiet(api);

    await vscode.commands.executeCommand('ganLens.step', 25);
    await waitFor(() => session(api).step >= before + 25, () => `step ${before + 25} (now ${session(api).step})`);
    const after = await waitForQuiet(api);
    assert.equal(after, before + 25, `stepping 25 from ${before} ended at ${after}`);
    assert.equal(session(api).state, 'paused');

    await vscode.commands.executeCommand('ganLens.step', 1);
    await waitFor(() => session(api).step >= after + 1, 'one more step');
    assert.equal(await waitForQuiet(api), after + 1);
  });

  test('Step Training on a running run pauses it after N steps', async () => {
    await trainFixture();
    await vscode.commands.executeCommand('ganLens.step', 10);
    await waitFor(() => session(api).state === 'paused', 'the paused state');
    const a = await waitForQuiet(api);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(session(api).step, a, 'the run kept training after Step Training');
  });

  test('Reset Run restarts the same definition from step 0 as a new run', async () => {
    await trainFixture();
    const old = session(api);
    const oldStep = await waitForStep(api, 200);
    const recorded = recordMessages(api);
    try {
      await vscode.commands.executeCommand('ganLens.reset');
      const fresh = session(api);
      assert.notEqual(fresh, old, 'Reset Run kept the old session');
      assert.notEqual(fresh.runId, old.runId, 'Reset Run kept the run id');
      assert.equal(old.state, 'stopped', 'the old run was not stopped');
      assert.equal(old.threadId, undefined, 'the old run still has a worker');
      const target = api.controller.currentTarget;
      assert.ok(target?.kind === 'file' && target.uri.toString() === file().toString(), 'Reset Run changed what is trained');

      await waitForStep(api, 0);
      const firstNew = recorded.of('snapshot').find((m) => m.snapshot.runId === fresh.runId);
      assert.ok(firstNew, 'no snapshot of the new run');
      assert.ok(firstNew.snapshot.metrics.step < 20, `the new run began at step ${firstNew.snapshot.metrics.step}, not near 0 (old run was at ${oldStep})`);
      const run = recorded.of('run').at(-1);
      assert.equal(run?.run.runId, fresh.runId, 'the panel was not told about the new run');
      assert.ok(run?.previous && run.previous.step.length > 0, 'the previous run\'s curves were not kept for comparison');
    } finally {
      recorded.dispose();
    }
  });

  test('Stop Training ends the run and its worker thread', async () => {
    await trainFixture();
    const s = session(api);
    const threadId = s.threadId;
    assert.ok(threadId !== undefined && threadId > 0, 'the run has no worker thread');
    // The Worker object itself: its threadId turns -1 once the thread has really ended.
    const worker = (s as unknown as { worker?: Worker }).worker;
    assert.ok(worker, 'cannot reach the session\'s worker');
    let exited = false;
    worker.once('exit', () => (exited = true));
    const tasks = threadCount();

    await vscode.commands.executeCommand('ganLens.stop');

    assert.equal(s.state, 'stopped');
    assert.equal(s.threadId, undefined, 'the session still points at a worker');
    await waitFor(() => exited, 'the worker thread to exit');
    assert.equal(worker.threadId, -1, 'the worker thread is still alive');
    if (tasks !== undefined) {
      await waitFor(() => threadCount()! < tasks, () => `a thread to end (still ${threadCount()} threads, ${tasks} while training)`);
    }
    assert.equal(api.controller.current?.state ?? 'stopped', 'stopped');
    const step = s.step;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(s.step, step, 'snapshots kept coming after Stop Training');
    // Stopping again with nothing running is harmless.
    await vscode.commands.executeCommand('ganLens.stop');
  });

  test('Train GAN with a preset name trains the built-in preset', async () => {
    await cleanSlate(api);
    await vscode.commands.executeCommand('ganLens.train', 'minimax');
    await waitForStep(api, 10);
    const target = api.controller.currentTarget;
    assert.deepEqual(target, { kind: 'preset', name: 'minimax' });
    assert.equal(session(api).summary?.lossName, 'minimax GAN');
    assert.equal(api.controller.runInfo()?.title, 'preset: minimax');
  });

  test('Open Inspector opens one panel beside the editor and reveals it again', async () => {
    await cleanSlate(api);
    await vscode.window.showTextDocument(file(), { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('ganLens.openInspector');
    const panel = api.panel();
    assert.ok(panel, 'no panel');
    assert.equal(panel.panel.viewType, 'ganLens.inspector');
    await besideTheCode(panel.panel);
    const idle = api.controller.replay()[0]!;
    assert.ok(idle.type === 'empty' || (idle.type === 'run' && idle.run.state === 'stopped'), 'with nothing training the panel should show the empty state or the stopped run');
    await vscode.commands.executeCommand('ganLens.openInspector');
    assert.equal(api.panel(), panel, 'a second Open Inspector created another panel');
  });
});

/** The panel's column is known once the workbench has shown it. */
async function besideTheCode(panel: vscode.WebviewPanel): Promise<void> {
  await waitFor(() => panel.viewColumn === vscode.ViewColumn.Two, () => `the inspector in column 2, beside the code (it is in ${panel.viewColumn})`);
}
