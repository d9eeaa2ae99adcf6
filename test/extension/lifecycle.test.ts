// States that outlive the run: Stop keeps it resumable, a run is saved for the next window and
// restored stopped at its checkpoint, and closing the panel can pause it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import { RunController } from '../../src/extension/runController';
import { RunStore } from '../../src/extension/runStore';
import { formatCount } from '../../src/numberFormat';
import { activateExtension, cleanSlate, fixture, ganLens, recordMessages, session, waitFor, waitForStep } from './util';

suite('Run lifecycle', () => {
  let api: GanLensApi;

  suiteSetup(async () => {
    api = await ganLens();
    await cleanSlate(api);
  });

  suiteTeardown(async () => cleanSlate(api));

  test('Stop keeps the run: Resume continues in a new worker from the step it stopped at', async () => {
    await vscode.commands.executeCommand('ganLens.train', 'non-saturating');
    await waitForStep(api, 100);
    const s = session(api);
    await vscode.commands.executeCommand('ganLens.stop');
    assert.equal(s.state, 'stopped');
    assert.equal(s.threadId, undefined, 'the worker is still there after Stop');
    assert.equal(api.controller.current, s, 'Stop dropped the run');
    const stoppedAt = s.step;
    assert.equal(s.checkpointStep, stoppedAt, 'Stop did not take a checkpoint at the step it stopped at');
    assert.equal(api.controller.runInfo()?.state, 'stopped');
    const recorded = recordMessages(api);
    try {
      await vscode.commands.executeCommand('ganLens.togglePause');
      await waitForStep(api, stoppedAt + 50);
      assert.equal(session(api), s, 'Resume started another run');
      const steps = recorded.of('snapshot').map((m) => m.snapshot.metrics.step);
      assert.equal(steps[0], stoppedAt, `the resumed run began at step ${steps[0]}, not where it stopped (${stoppedAt})`);
      const history = s.history.snapshot().step;
      assert.ok(history[0]! < 50 && history.every((v, i) => i === 0 || v > history[i - 1]!), 'the curves before the stop are lost or out of order');
    } finally {
      recorded.dispose();
    }
  });

  test('a run saved for the next window is restored stopped at its checkpoint, with its curves, and resumes from there', async () => {
    await cleanSlate(api);
    // Two controllers on one store: the window before the reload and the one after, as
    // activation builds them (a real reload would end the extension host running this test).
    const extension = await activateExtension();
    const workerPath = vscode.Uri.joinPath(extension.extensionUri, 'dist', 'worker.js').fsPath;
    const log = vscode.window.createOutputChannel('GAN Lens lifecycle test', { log: true });
    const dir = vscode.Uri.file(fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-store-')));
    const storeBefore = new RunStore(dir, log);
    const before = new RunController(workerPath, log, storeBefore);
    let after: RunController | undefined;
    try {
      await before.train({ kind: 'preset', name: 'minimax' });
      before.setSpeed(null);
      await waitFor(() => (before.current?.checkpointStep ?? 0) > 200 && before.current!.history.length > 10, 'a checkpoint past step 200');
      await before.saveRun();
      const saved = before.current!.checkpointStep!;
      const points = before.current!.history.snapshot().step.filter((x) => x <= saved).length;
      before.dispose();
      storeBefore.dispose();

      after = new RunController(workerPath, log, new RunStore(dir, log));
      assert.equal(await after.restore(), true, 'the saved run was not restored');
      const s = after.current;
      assert.ok(s);
      assert.equal(s.state, 'stopped');
      assert.equal(s.threadId, undefined, 'a restored run starts a worker before Resume');
      assert.equal(s.checkpointStep, saved);
      assert.equal(s.summary?.lossName, 'minimax GAN');
      assert.ok(s.history.length >= points, `the restored curves hold ${s.history.length} points, the saved run had ${points} up to its checkpoint`);
      const replay = after.replay();
      assert.ok(replay[0]?.type === 'run' && replay[0].run.state === 'stopped' && replay[0].history.step.length === s.history.length, 'the panel would not get the restored run');
      assert.ok(replay.some((m) => m.type === 'banner' && m.message?.includes(`step ${formatCount(saved)}`)), 'the panel is not told the run was restored');
      after.resume();
      await waitFor(() => s.state === 'running' && s.step > saved + 50, () => `the restored run to train past ${saved + 50} (now ${s.state} at ${s.step})`);
      const steps = s.history.snapshot().step;
      assert.ok(steps.every((v, i) => i === 0 || v > steps[i - 1]!), 'the curves are out of order after resuming');
    } finally {
      before.dispose();
      after?.dispose();
      log.dispose();
    }
  });

  test('with ganLens.pauseWhenPanelClosed, closing the panel pauses the run', async () => {
    const config = vscode.workspace.getConfiguration('ganLens');
    await config.update('pauseWhenPanelClosed', true, vscode.ConfigurationTarget.Global);
    try {
      await vscode.window.showTextDocument(fixture('non-saturating.gan.ts'), { viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand('ganLens.train');
      await waitForStep(api, 20);
      api.panel()?.panel.dispose();
      await waitFor(() => session(api).state === 'paused', 'the run to pause when its panel closed');
    } finally {
      await config.update('pauseWhenPanelClosed', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
