// Live reload of the loss definition file being trained: edits saved in a real TextEditor are
// swapped into the running training, broken edits become diagnostics while the run goes on.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import {
  cleanSlate, editAndSave, ganDiagnostics, ganLens, lineOf, nextEvent, recordMessages, removeScratch, scratchCopy,
  session, waitFor, waitForStep,
} from './util';

suite('Live reload', () => {
  let api: GanLensApi;
  let doc: vscode.TextDocument;

  suiteSetup(async () => {
    api = await ganLens();
  });

  /** A fresh copy of the fixture, open in the editor and training. */
  setup(async () => {
    await cleanSlate(api);
    const uri = await scratchCopy('non-saturating.gan.ts');
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('ganLens.train');
    await waitForStep(api, 50);
  });

  teardown(async () => {
    await cleanSlate(api);
  });

  suiteTeardown(async () => {
    await removeScratch();
  });

  test('saving a new loss swaps it into the running training: same run, the step count goes on', async () => {
    const s = session(api);
    const before = s.step;
    assert.equal(s.version, 1, 'a new run starts at version 1 of its file');
    const recorded = recordMessages(api);
    try {
      await editAndSave(doc, 'losses.nonSaturating()', 'losses.minimax()');
      await waitFor(() => s.summary?.lossName === 'minimax GAN', () => `the loss to become minimax GAN (is ${s.summary?.lossName})`);
      assert.equal(session(api), s, 'the save started a new session');
      assert.equal(s.runId, api.controller.current?.runId);
      assert.equal(s.version, 2, 'the file version in use');
      const marker = recorded.of('marker').at(-1);
      assert.ok(marker, 'no reload marker was sent to the panel');
      assert.equal(marker.marker.restarted, false, 'a loss-only change restarted the run');
      assert.ok(marker.marker.step >= before, `the swap happened at step ${marker.marker.step}, before ${before}: the run restarted`);
      assert.equal(recorded.of('run').length, 0, 'the panel was sent a new run');
      const info = recorded.of('runInfo').at(-1);
      assert.equal(info?.run.summary?.lossName, 'minimax GAN', 'the panel was not told the new loss name');
      assert.equal(info?.run.version, 2);

      const swapped = s.step;
      await waitForStep(api, swapped + 50);
      const steps = recorded.of('snapshot').map((m) => m.snapshot.metrics.step);
      assert.ok(steps.every((v, i) => i === 0 || v >= steps[i - 1]!), `the step count went back: ${steps.join(',')}`);
      const newVersion = recorded.of('snapshot').filter((m) => m.snapshot.version === 2);
      assert.ok(newVersion.length > 0 && newVersion[0]!.snapshot.metrics.step >= before, 'snapshots of version 2 restarted from 0');
      assert.equal(ganDiagnostics(doc.uri).length, 0, 'a valid edit left diagnostics');
    } finally {
      recorded.dispose();
    }
  });

  test('changing the seed restarts the run and keeps the previous curves', async () => {
    const s = session(api);
    const before = await waitForStep(api, 200);
    const recorded = recordMessages(api);
    try {
      await editAndSave(doc, 'seed: 1', 'seed: 2');
      const marker = await nextEvent(api.controller.onMessage, (m) => m.type === 'marker', 'a reload marker');
      assert.ok(marker.type === 'marker' && marker.marker.restarted, 'a structural change did not restart the run');
      await waitFor(() => recorded.of('snapshot').some((m) => m.snapshot.version === 2), 'a snapshot of version 2');
      const first = recorded.of('snapshot').find((m) => m.snapshot.version === 2)!;
      assert.ok(first.snapshot.metrics.step < before, `after the restart the run is at step ${first.snapshot.metrics.step}, it was at ${before}`);
      const replay = api.controller.replay().find((m) => m.type === 'run');
      assert.ok(replay?.type === 'run' && replay.previous && replay.previous.step.length > 0, 'the previous curves are not kept');
      assert.equal(session(api), s);
    } finally {
      recorded.dispose();
    }
  });

  test('an invalid field shows a diagnostic on its line, the run keeps training, fixing it clears it', async () => {
    const s = session(api);
    const recorded = recordMessages(api);
    try {
      await editAndSave(doc, 'batchSize: 256', 'batchSize: -1');
      const diagnostics = await waitFor(() => ganDiagnostics(doc.uri).length > 0 && ganDiagnostics(doc.uri), 'a GAN Lens diagnostic');
      const d = diagnostics[0]!;
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.range.start.line, lineOf(doc, 'batchSize: -1'), `the diagnostic "${d.message}" is on line ${d.range.start.line + 1}`);
      assert.match(d.message, /batchSize/);
      const banner = recorded.of('banner').find((m) => m.level === 'error');
      assert.ok(banner?.message && /batchSize/.test(banner.message), `the panel got no one-line error (banners: ${JSON.stringify(recorded.of('banner'))})`);

      const at = s.step;
      await waitForStep(api, at + 50);
      assert.equal(session(api), s);
      assert.equal(s.summary?.lossName, 'non-saturating GAN', 'the last good definition is no longer in use');

      await editAndSave(doc, 'batchSize: -1', 'batchSize: 128');
      await waitFor(() => ganDiagnostics(doc.uri).length === 0, 'the diagnostic to clear');
      await waitFor(() => recorded.of('banner').at(-1)?.message === null, 'the panel\'s error to clear');
      await waitForStep(api, s.step + 20);
    } finally {
      recorded.dispose();
    }
  });

  test('a syntax error shows a diagnostic at its line and column; the run continues', async () => {
    const s = session(api);
    await editAndSave(doc, 'criticSteps: 1,', 'criticSteps: 1 +* 2,');
    const [d] = await waitFor(() => ganDiagnostics(doc.uri).length > 0 && ganDiagnostics(doc.uri), 'a GAN Lens diagnostic');
    const line = lineOf(doc, 'criticSteps: 1 +* 2,');
    assert.equal(d!.range.start.line, line, `"${d!.message}" is on line ${d!.range.start.line + 1}, expected ${line + 1}`);
    const column = doc.lineAt(line).text.indexOf('*');
    assert.ok(Math.abs(d!.range.start.character - column) <= 1, `column ${d!.range.start.character + 1}, expected ${column + 1}`);
    await waitForStep(api, s.step + 50);

    await editAndSave(doc, 'criticSteps: 1 +* 2,', 'criticSteps: 1,');
    await waitFor(() => ganDiagnostics(doc.uri).length === 0, 'the diagnostic to clear');
  });

  test('an exception while loading points at the line that threw', async () => {
    await editAndSave(doc, 'loss: losses.nonSaturating(),', "loss: (() => { throw new Error('no loss today'); })(),");
    const [d] = await waitFor(() => ganDiagnostics(doc.uri).length > 0 && ganDiagnostics(doc.uri), 'a GAN Lens diagnostic');
    assert.match(d!.message, /no loss today/);
    assert.equal(d!.range.start.line, lineOf(doc, 'no loss today'));
    await waitForStep(api, session(api).step + 20);
  });

  test('edits to another file do not touch the run', async () => {
    const s = session(api);
    const other = await vscode.workspace.openTextDocument(await scratchCopy('non-saturating.gan.ts'));
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.One });
    await editAndSave(other, 'losses.nonSaturating()', 'losses.minimax()');
    await waitForStep(api, s.step + 50);
    assert.equal(s.summary?.lossName, 'non-saturating GAN');
    assert.equal(s.version, 1);
  });
});
