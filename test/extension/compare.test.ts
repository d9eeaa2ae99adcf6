// The compare panel in the real workbench: Compare Runs opens it beside the code and streams
// every definition × seed to its final state; Stop ends every worker thread; definitions of
// different dimensions are refused before anything trains; Compare f-GAN Fits fills the
// experiment's table; a reopened panel gets the whole comparison again from the host.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import type { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { HostToCompare } from '../../src/compareProtocol';
import type { GanLensApi } from '../../src/extension/extension';
import { fixture, ganLens, nextEvent, threadCount, waitFor } from './util';

suite('Compare panel', () => {
  let api: GanLensApi;
  let messages: HostToCompare[] = [];
  let recording: vscode.Disposable | undefined;

  suiteSetup(async () => {
    api = await ganLens();
  });

  setup(() => {
    messages = [];
    recording = api.compare.onMessage((m) => messages.push(m));
  });

  teardown(async () => {
    recording?.dispose();
    await vscode.commands.executeCommand('ganLens.stopCompare');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(() => api.comparePanel() === undefined, 'the compare panel to close');
  });

  const state = (): string => api.compare.current?.state ?? 'none';
  const of = <K extends HostToCompare['type']>(type: K): Extract<HostToCompare, { type: K }>[] => messages.filter((m): m is Extract<HostToCompare, { type: K }> => m.type === type);

  test('Compare Runs opens the panel beside the code and streams every definition × seed to its end', async () => {
    const file = fixture('non-saturating.gan.ts');
    await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('ganLens.compareRuns', [file, 'minimax'], { seeds: 2, steps: 300 });
    const panel = api.comparePanel();
    assert.ok(panel, 'the compare panel did not open');
    // The panel's column is known once the workbench has shown it.
    await waitFor(() => panel.panel.viewColumn === vscode.ViewColumn.Two, () => `the compare panel in column 2, beside the code (it is in ${panel.panel.viewColumn})`);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), file.toString(), 'the panel took the focus from the code');
    // The webview loads, says ready and takes the host's replay.
    await nextEvent(panel.onDidPost, (e) => e.message.type === 'compare' && e.delivered, 'the webview to take the comparison');
    await waitFor(() => state() === 'finished', () => `the comparison to finish (${state()}: ${JSON.stringify(api.compare.cellStates)})`);

    const info = api.compare.current!;
    assert.deepEqual(info.definitions, ['non-saturating.gan.ts', 'preset minimax']);
    assert.equal(info.dataDim, 1);
    const cells = api.compare.cellStates;
    assert.equal(cells.length, 4);
    for (const [index, cell] of cells.entries()) {
      assert.equal(cell.state, 'finished', `cell ${index}: ${JSON.stringify(cell)}`);
      assert.equal(cell.step, 300);
      const steps = of('point').filter((p) => p.index === index).map((p) => p.point.step);
      assert.ok(steps.length >= 2, `cell ${index} streamed ${steps.length} points`);
      assert.ok(steps.every((s, i) => i === 0 || s > steps[i - 1]!), `cell ${index}: steps went backwards: ${steps.join(', ')}`);
      assert.equal(steps.at(-1), 300, `cell ${index}'s last point is not its final step`);
      const final = of('final').find((f) => f.index === index)?.final;
      assert.ok(final?.dataDim === 1 && final.q.length === final.x.length && final.x.length > 100, `cell ${index} sent no final q`);
    }
    const rows = of('rows').at(-1)!.rows;
    assert.deepEqual(rows.map((r) => [r.definition, r.seeds.map((s) => s.seed)]), [['non-saturating.gan.ts', [1, 2]], ['preset minimax', [1, 2]]]);
    assert.ok(rows.every((r) => r.summary.jsd && r.summary.jsd.n === 2 && r.failed.length === 0));
    // Each cell is the run made alone: the seeds trained different weights.
    assert.notEqual(rows[0]!.seeds[0]!.weightsChecksum, rows[0]!.seeds[1]!.weightsChecksum);
  });

  test('Stop ends every run and its worker thread', async () => {
    await vscode.commands.executeCommand('ganLens.compareRuns', ['non-saturating', 'minimax'], { seeds: 2, steps: 1_000_000 });
    // As many at once as there are cores (the default), at most the 4 cells.
    const jobs = Math.min(4, os.availableParallelism());
    await waitFor(() => {
      const live = api.compare.liveSessions;
      return live.length === jobs && live.every((s) => s.step > 20);
    }, () => `${jobs} runs training (${api.compare.liveSessions.map((s) => `${s.state}@${s.step}`).join(', ')})`);
    const sessions = api.compare.liveSessions;
    const workers = sessions.map((s) => (s as unknown as { worker?: Worker }).worker);
    assert.ok(workers.every((w) => w && w.threadId > 0), 'a run has no worker thread');
    const exited = workers.map(() => false);
    workers.forEach((w, i) => w!.once('exit', () => (exited[i] = true)));
    const tasks = threadCount();

    await vscode.commands.executeCommand('ganLens.stopCompare');

    assert.equal(state(), 'stopped');
    await waitFor(() => exited.every(Boolean), () => `every worker thread to exit (${exited.filter(Boolean).length} of ${exited.length} did)`);
    assert.ok(workers.every((w) => w!.threadId === -1), 'a worker thread is still alive');
    assert.deepEqual(sessions.map((s) => s.threadId), sessions.map(() => undefined), 'a session still points at a worker');
    assert.equal(api.compare.liveSessions.length, 0);
    assert.ok(api.compare.cellStates.every((c) => c.state === 'stopped'), JSON.stringify(api.compare.cellStates));
    if (tasks !== undefined) {
      await waitFor(() => threadCount()! < tasks, () => `the runs' threads to end (still ${threadCount()}, ${tasks} while training)`);
    }
    const points = of('point').length;
    await vscode.commands.executeCommand('ganLens.stopCompare');
    assert.equal(of('point').length, points, 'points kept coming after Stop');
  });

  test('definitions of different dimensions are refused before anything trains', async () => {
    await vscode.commands.executeCommand('ganLens.compareRuns', [fixture('non-saturating.gan.ts'), fixture('ring-of-8.gan.ts')], { seeds: 1, steps: 100 });
    await waitFor(() => state() === 'refused', () => `the comparison to be refused (${state()})`);
    assert.match(api.compare.current!.message ?? '', /ring-of-8\.gan\.ts is 2-D but non-saturating\.gan\.ts is 1-D/);
    assert.equal(of('point').length, 0, 'a run trained');
    assert.ok(api.compare.cellStates.every((c) => c.state === 'stopped'));
  });

  test('Compare f-GAN Fits fills the experiment\'s table; a reopened panel gets the comparison again', async () => {
    await vscode.commands.executeCommand('ganLens.compareFganFits', { seeds: 1, steps: 40 });
    await waitFor(() => state() === 'finished', () => `the f-GAN fits to finish (${state()})`);
    assert.equal(api.compare.current!.kind, 'fganFits');
    const rows = of('rows').at(-1)!.rows;
    assert.equal(rows.length, 8);
    for (const r of rows) {
      assert.ok(r.fit && r.fit.mean && r.fit.std && Number.isFinite(r.fit.optimum.std), `${r.definition}: no fit next to its optimum`);
    }
    // Closed and opened again: the host replays the finished comparison to the new webview.
    api.comparePanel()!.panel.dispose();
    await waitFor(() => api.comparePanel() === undefined, 'the panel to close');
    await vscode.commands.executeCommand('ganLens.openCompare');
    const replayed = await nextEvent(api.comparePanel()!.onDidPost, (e) => e.message.type === 'compare' && e.delivered, 'the reopened panel to take the comparison');
    const m = replayed.message as Extract<HostToCompare, { type: 'compare' }>;
    assert.equal(m.compare.id, api.compare.current!.id);
    assert.equal(m.rows.length, 8);
    assert.ok(m.cells.every((c) => c.state === 'finished') && m.curves.every((c) => c.step.at(-1) === 40));
  });
});

