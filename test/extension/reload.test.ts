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
  let original: string;

  /** The run of `doc`, if it is training. */
  const live = (): boolean => api.controller.isRunning(doc.uri) && api.controller.current?.state === 'running';

  suiteSetup(async () => {
    api = await ganLens();
    await cleanSlate(api);
    const uri = await scratchCopy('non-saturating.gan.ts');
    doc = await vscode.workspace.openTextDocument(uri);
    original = doc.getText();
  });

  /** One run for the suite (a start costs seconds); a test that broke it gets a fresh one. */
  setup(async () => {
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    if (!live()) {
      await vscode.commands.executeCommand('ganLens.train');
      await waitForStep(api, 50);
    }
  });

  /** Puts the file back as it was; the run reloads it. */
  teardown(async () => {
    if (doc.getText() === original) return;
    const s = api.controller.current;
    const version = s?.version ?? 0;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), original);
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    if (s && live()) await waitFor(() => s.version > version, 'the restored file to load');
    await waitFor(() => ganDiagnostics(doc.uri).length === 0, 'the diagnostics to clear');
  });

  suiteTeardown(async () => {
    await cleanSlate(api);
    await removeScratch();
  });

  test('saving a new loss swaps it into the running training: same run, the step count goes on', async () => {
    const s = session(api);
    const before = s.step;
    const version = s.version;
    assert.ok(version >= 1, 'a run of a file starts at version 1');
    const recorded = recordMessages(api);
    try {
      await editAndSave(doc, 'losses.nonSaturating()', 'losses.minimax()');
      await waitFor(() => s.summary?.lossName === 'minimax GAN', () => `the loss to become minimax GAN (is ${s.summary?.lossName})`);
      assert.equal(session(api), s, 'the save started a new session');
      assert.equal(s.runId, api.controller.current?.runId);
      assert.equal(s.version, version + 1, 'the file version in use');
      const marker = recorded.of('marker').at(-1);
      assert.ok(marker, 'no reload marker was sent to the panel');
      assert.equal(marker.marker.restarted, false, 'a loss-only change restarted the run');
      assert.ok(marker.marker.step >= before, `the swap happened at step ${marker.marker.step}, before ${before}: the run restarted`);
      assert.equal(recorded.of('run').length, 0, 'the panel was sent a new run');
      const info = recorded.of('runInfo').at(-1);
      assert.equal(info?.run.summary?.lossName, 'minimax GAN', 'the panel was not told the new loss name');
      assert.equal(info?.run.version, version + 1);

      const swapped = s.step;
      await waitForStep(api, swapped + 50);
      const steps = recorded.of('snapshot').map((m) => m.snapshot.metrics.step);
      assert.ok(steps.every((v, i) => i === 0 || v >= steps[i - 1]!), `the step count went back: ${steps.join(',')}`);
      const newVersion = recorded.of('snapshot').filter((m) => m.snapshot.version === version + 1);
      assert.ok(newVersion.length > 0 && newVersion[0]!.snapshot.metrics.step >= before, 'snapshots of the new version restarted from 0');
      assert.equal(ganDiagnostics(doc.uri).length, 0, 'a valid edit left diagnostics');
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
    const version = s.version;
    const other = await vscode.workspace.openTextDocument(await scratchCopy('non-saturating.gan.ts'));
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.One });
    await editAndSave(other, 'losses.nonSaturating()', 'losses.minimax()');
    await waitForStep(api, s.step + 50);
    assert.equal(s.summary?.lossName, 'non-saturating GAN');
    assert.equal(s.version, version);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
  test('changing the seed restarts the run and keeps the previous curves', async () => {
    const s = session(api);
    const before = await waitForStep(api, 200);
    const version = s.version;
    const recorded = recordMessages(api);
    try {
      await editAndSave(doc, 'seed: 1', 'seed: 2');
      const marker = await nextEvent(api.controller.onMessage, (m) => m.type === 'marker', 'a reload marker');
      assert.ok(marker.type === 'marker' && marker.marker.restarted, 'a structural change did not restart the run');
      await waitFor(() => recorded.of('snapshot').some((m) => m.snapshot.version === version + 1), 'a snapshot of the new version');
      const first = recorded.of('snapshot').find((m) => m.snapshot.version === version + 1)!;
      assert.ok(first.snapshot.metrics.step < before, `after the restart the run is at step ${first.snapshot.metrics.step}, it was at ${before}`);
      const replay = api.controller.replay().find((m) => m.type === 'run');
      assert.ok(replay?.type === 'run' && replay.previous && replay.previous.step.length > 0, 'the previous curves are not kept');
      assert.equal(session(api), s);
    } finally {
      recorded.dispose();
    }
  });
});
