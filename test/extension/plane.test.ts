// A 2-D run in the real workbench: Train GAN on a ring of 8 opens the panel beside the code and
// streams 2-D snapshots the webview accepts; the loss-file loop (swap on save, errors at their
// line) and close/reopen work as in 1-D.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import { encodeNonFinite, type HostToWebview } from '../../src/protocol';
import { parseHostMessage } from '../../webview/messages';
import {
  cleanSlate, editAndSave, ganDiagnostics, ganLens, lineOf, nextEvent, recordMessages, removeScratch, scratchCopy, scratchUri, session, waitFor, waitForStep,
} from './util';

/** What the webview receives: JSON with the typed arrays carried beside it (as panel.test.ts explains). */
function asTheWebviewGetsIt(message: HostToWebview): unknown {
  const buffers: unknown[] = [];
  const json = JSON.stringify(encodeNonFinite(message), (_k, v: unknown) => (ArrayBuffer.isView(v) ? { $buffer: buffers.push(v) - 1 } : v));
  return JSON.parse(json, (_k, v: unknown) => (v && typeof v === 'object' && '$buffer' in v ? buffers[(v as { $buffer: number }).$buffer] : v));
}

suite('A 2-D run', () => {
  let api: GanLensApi;
  let doc: vscode.TextDocument;
  let original: string;

  suiteSetup(async () => {
    api = await ganLens();
    await cleanSlate(api);
    doc = await vscode.workspace.openTextDocument(await scratchCopy('ring-of-8.gan.ts'));
    original = doc.getText();
  });

  setup(async () => {
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    if (!(api.controller.isRunning(doc.uri) && api.controller.current?.state === 'running')) {
      await vscode.commands.executeCommand('ganLens.train');
      await waitForStep(api, 50);
    }
  });

  teardown(async () => {
    if (doc.getText() === original) return;
    const s = api.controller.current;
    const version = s?.version ?? 0;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), original);
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    if (s && api.controller.isRunning(doc.uri)) await waitFor(() => s.version > version, 'the restored file to load');
    await waitFor(() => ganDiagnostics(doc.uri).length === 0, 'the diagnostics to clear');
  });

  suiteTeardown(async () => {
    await cleanSlate(api);
    await removeScratch();
  });

  test('Train GAN opens the panel beside the code and streams 2-D snapshots the webview accepts', async () => {
    const panel = await waitFor(() => api.panel(), 'the inspector panel');
    assert.equal(panel.panel.viewColumn, vscode.ViewColumn.Two, 'the panel is not beside the code');
    const recorded = recordMessages(api);
    try {
      const s = session(api);
      await waitFor(() => recorded.of('snapshot').length >= 3, 'three 2-D snapshots');
      const snapshot = recorded.of('snapshot').at(-1)!.snapshot;
      assert.equal(snapshot.dataDim, 2);
      const plane = snapshot.plane;
      assert.ok(plane, 'a 2-D snapshot without its maps');
      const cells = plane.x.count * plane.y.count;
      assert.equal(cells, 128 * 128, 'the default lattice is 128²');
      for (const k of ['p', 'q', 'critic', 'optimalCritic', 'contribution'] as const) assert.equal(plane[k].length, cells, `plane.${k}`);
      assert.equal(plane.modes?.of, 8);
      assert.ok(plane.forces.length > 0 && plane.samples.length > 0 && plane.realSamples.length > 0);
      assert.match(snapshot.qEstimator, /latent quantiles/);
      assert.ok(Number.isFinite(snapshot.metrics.jsd) && snapshot.metrics.jsd > 0);
      recorded.messages.push(...api.controller.replay());
      assert.equal(session(api), s);
      const rejected = recorded.messages.filter((m) => parseHostMessage(asTheWebviewGetsIt(m)) === undefined).map((m) => m.type);
      assert.deepEqual(rejected, [], `${rejected.length} of ${recorded.messages.length} messages would be dropped by the panel`);
    } finally {
      recorded.dispose();
    }
  });

  test('saving a new loss swaps it in, keeping the weights and the step count', async () => {
    const s = session(api);
    const before = s.step;
    const recorded = recordMessages(api);
    try {
      await editAndSave(doc, 'losses.nonSaturating()', 'losses.minimax()');
      await waitFor(() => s.summary?.lossName === 'minimax GAN', () => `the loss to become minimax GAN (is ${s.summary?.lossName})`);
      assert.equal(session(api), s, 'the save started a new session');
      const marker = recorded.of('marker').at(-1);
      assert.ok(marker && !marker.marker.restarted && marker.marker.step >= before, 'the swap restarted the run');
      await waitForStep(api, s.step + 30);
      assert.ok(recorded.of('snapshot').every((m) => m.snapshot.dataDim === 2));
    } finally {
      recorded.dispose();
    }
  });

  test('a syntax error shows at its line, a bad covariance names its field at its line; the run goes on', async () => {
    const s = session(api);
    await editAndSave(doc, 'criticSteps: 1,', 'criticSteps: 1 +* 2,');
    const [syntax] = await waitFor(() => ganDiagnostics(doc.uri).length > 0 && ganDiagnostics(doc.uri), 'a GAN Lens diagnostic');
    assert.equal(syntax!.range.start.line, lineOf(doc, 'criticSteps: 1 +* 2,'), `"${syntax!.message}" is on the wrong line`);
    await editAndSave(doc, 'criticSteps: 1 +* 2,', 'criticSteps: 1,');
    await waitFor(() => ganDiagnostics(doc.uri).length === 0, 'the syntax error to clear');

    await editAndSave(doc, 'targets.ring({ modes: 8, radius: 2, std: 0.2 })', 'targets.mixture([{ weight: 1, mean: [0, 0], cov: [[1, 2], [2, 1]] }])');
    const [bad] = await waitFor(() => ganDiagnostics(doc.uri).length > 0 && ganDiagnostics(doc.uri), 'a diagnostic for the covariance');
    assert.match(bad!.message, /target\.components\[0\]\.cov/);
    assert.equal(bad!.range.start.line, lineOf(doc, 'cov: [[1, 2], [2, 1]]'));
    const at = s.step;
    await waitForStep(api, at + 30);
    assert.equal(session(api), s, 'the bad edit ended the run');
  });

  test('closing and reopening the panel replays the history and the latest 2-D snapshot', async () => {
    const s = session(api);
    await waitFor(() => s.history.length > 5, 'a few recorded points');
    api.panel()?.panel.dispose();
    await waitFor(() => api.panel() === undefined, 'the panel to close');
    await vscode.commands.executeCommand('ganLens.openInspector');
    const panel = await waitFor(() => api.panel(), 'a new panel');
    const posted: HostToWebview[] = [];
    const webview = panel.panel.webview;
    const original = webview.postMessage.bind(webview);
    webview.postMessage = async (m: unknown) => { posted.push(m as HostToWebview); return original(m); };
    await nextEvent(panel.onDidReceive, (m) => m.type === 'ready', 'the new webview to say ready');
    await waitFor(() => posted.some((m) => m.type === 'run'), 'the replay');
    const run = posted.find((m) => m.type === 'run');
    assert.ok(run?.type === 'run' && run.history.step.length > 5);
    const snap = await waitFor(() => posted.find((m) => m.type === 'snapshot'), 'the latest snapshot after the replay');
    assert.ok(snap.type === 'snapshot' && snap.snapshot.plane, 'the replayed snapshot has no maps');
  });

  test('Export Run… writes the latest 2-D maps as lattice.csv, one row per cell', async () => {
    const target = scratchUri('lattice.csv');
    const written = await vscode.commands.executeCommand<vscode.Uri[]>('ganLens.exportRun', target, 'lattice');
    assert.deepEqual(written?.map((u) => u.toString()), [target.toString()]);
    const lines = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'i,j,x,y,p,q,critic,optimal_critic,contribution');
    assert.equal(lines.length, 1 + 128 * 128);
    const [i, j, , , p, q] = lines[1]!.split(',');
    assert.equal(i, '0');
    assert.equal(j, '0');
    assert.ok(Number(p) >= 0 && Number(q) >= 0);
  });

  test('New Loss Definition File offers the 2-D template, which trains as a 2-D run', async () => {
    const target = scratchUri('my-ring.gan.ts');
    await vscode.commands.executeCommand('ganLens.newDefinitionFile', 'ring-of-8', target);
    const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    assert.match(text, /targets\.ring\(/);
    await vscode.commands.executeCommand('ganLens.train', target);
    await waitFor(() => api.controller.current?.latest?.dataDim === 2 && api.controller.current.latest, 'a 2-D snapshot of the new file');
  });
});
