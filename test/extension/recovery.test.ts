// A dying training worker: the run continues in a new worker from the host's checkpoint and
// the panel says so once; three deaths within a minute pause the run with the reason.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import { cleanSlate, fixture, ganLens, recordMessages, session, waitFor, waitForStep } from './util';

suite('Worker recovery', () => {
  let api: GanLensApi;

  suiteSetup(async () => {
    api = await ganLens();
  });

  setup(async () => {
    await cleanSlate(api);
    await vscode.window.showTextDocument(fixture('non-saturating.gan.ts'), { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('ganLens.train');
    await waitForStep(api, 50);
  });

  suiteTeardown(async () => cleanSlate(api));

  test('killing the worker thread: a new worker continues the same run from the checkpoint', async () => {
    // The worker sends a checkpoint every 3 s: wait for one past the start.
    const s = session(api);
    await waitFor(() => (s.checkpointStep ?? 0) > 0, 'a checkpoint past step 0');
    const oldThread = s.threadId;
    const killedAt = s.step;
    const recorded = recordMessages(api);
    try {
      await s.killWorker();
      const banner = await waitFor(() => recorded.of('banner').find((m) => m.level === 'warning' && m.message), 'a recovery banner for the panel');
      assert.match(banner.message!, /new worker from step \d+/);
      const from = Number(/from step (\d+)/.exec(banner.message!)![1]);
      assert.ok(from > 0 && from <= killedAt, `resumed from step ${from}; killed at ${killedAt}`);

      await waitFor(() => s.threadId !== undefined && s.threadId !== oldThread, 'a new worker thread');
      await waitForStep(api, killedAt + 50);
      assert.equal(session(api), s, 'the run was replaced instead of recovered');
      assert.equal(s.runId, api.controller.current?.runId);
      const after = recorded.of('snapshot');
      assert.ok(after.length > 0 && after[0]!.snapshot.metrics.step >= from, `the new worker started at step ${after[0]?.snapshot.metrics.step}, not from the checkpoint at ${from}`);
      assert.equal(recorded.of('banner').filter((m) => m.level === 'warning').length, 1, 'the person was told more than once');
      // The panel keeps the message on replay, e.g. when it is reopened.
      const replayed = api.controller.replay().find((m) => m.type === 'banner');
      assert.ok(replayed?.type === 'banner' && replayed.message === banner.message);
    } finally {
      recorded.dispose();
    }
  });

  test('three deaths within a minute pause the run and say why; resume starts a new worker', async () => {
    const s = session(api);
    for (let i = 0; i < 3; i++) {
      const thread = s.threadId;
      assert.ok(thread !== undefined, `no worker before kill ${i + 1}`);
      await s.killWorker();
      if (i < 2) await waitFor(() => s.threadId !== undefined && s.threadId !== thread && s.state === 'running', `the worker to come back after kill ${i + 1}`);
    }
    await waitFor(() => s.state === 'paused', 'the run to pause');
    assert.equal(s.threadId, undefined, 'a worker is still running');
    const banner = api.controller.replay().find((m) => m.type === 'banner');
    assert.ok(banner?.type === 'banner' && banner.level === 'error' && /3 times within a minute/.test(banner.message ?? ''), `the panel does not say why: ${JSON.stringify(banner)}`);

    const pausedAt = s.step;
    await vscode.commands.executeCommand('ganLens.togglePause');
    await waitFor(() => s.threadId !== undefined, 'a new worker after resuming');
    await waitForStep(api, pausedAt + 20);
  });
});
