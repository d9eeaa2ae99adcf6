// Restricted mode: a loss definition file is code, so an untrusted workspace must not run it;
// the panel says why and the built-in presets still train. Runs only in a host where the
// fixture folder is not trusted (test/host/run-in-code-server.mjs --untrusted); index.ts
// leaves this file out everywhere else.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import { cleanSlate, delay, editAndSave, fixture, ganLens, recordMessages, session, waitFor, waitForStep } from './util';

suite('Untrusted workspace', () => {
  let api: GanLensApi;

  suiteSetup(async function () {
    // Runners other than index.ts (@vscode/test-cli) pick every *.test.js in a trusted window.
    if (vscode.workspace.isTrusted) this.skip();
    api = await ganLens();
  });

  teardown(async () => {
    if (api) await cleanSlate(api);
  });

  test('the extension activates in restricted mode with its commands', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const c of ['ganLens.train', 'ganLens.stop', 'ganLens.openInspector']) assert.ok(commands.has(c), `${c} is not registered`);
  });

  /** Runs a command that shows a quick pick, answering it with `answer` once it is open. */
  async function answerQuickPick(run: Thenable<unknown>, answer: 'workbench.action.acceptSelectedQuickOpenItem' | 'workbench.action.closeQuickOpen'): Promise<void> {
    let settled = false;
    const done = Promise.resolve(run).finally(() => (settled = true));
    // The extension host cannot see the quick pick; poke it until the command returns.
    for (let i = 0; i < 100 && !settled; i++) {
      await delay(200);
      if (!settled) await vscode.commands.executeCommand(answer);
    }
    await done;
  }

  test('Train GAN on the open definition file does not run it: the panel says why, the presets are offered', async () => {
    const recorded = recordMessages(api);
    try {
      await vscode.window.showTextDocument(fixture('non-saturating.gan.ts'), { viewColumn: vscode.ViewColumn.One });
      await answerQuickPick(vscode.commands.executeCommand('ganLens.train'), 'workbench.action.closeQuickOpen');
      assert.equal(api.controller.current, undefined, 'a run was started from an untrusted file');
      const banner = recorded.of('banner').find((m) => m.message);
      assert.ok(banner, 'the panel was not told why nothing runs');
      assert.equal(banner.level, 'warning');
      assert.match(banner.message!, /not trusted/);
      assert.match(banner.message!, /preset/, 'the message does not offer the built-in presets');
      // The message is kept for a panel opened later.
      await vscode.commands.executeCommand('ganLens.openInspector');
      const replay = api.controller.replay();
      assert.ok(replay.some((m) => m.type === 'empty'), 'the panel should show the empty state');

      // Accepting the first offer trains the first preset, not the file.
      await answerQuickPick(vscode.commands.executeCommand('ganLens.train'), 'workbench.action.acceptSelectedQuickOpenItem');
      assert.deepEqual(api.controller.currentTarget, { kind: 'preset', name: 'non-saturating' });
      await waitForStep(api, 5);
    } finally {
      recorded.dispose();
    }
  });

  test('Train GAN with the file as argument (editor title button) does not run it either', async () => {
    await answerQuickPick(vscode.commands.executeCommand('ganLens.train', fixture('non-saturating.gan.ts')), 'workbench.action.closeQuickOpen');
    assert.notEqual(api.controller.current?.state, 'running');
    assert.notEqual(api.controller.currentTarget?.kind, 'file');
  });

  test('a built-in preset trains: no user code runs', async () => {
    await vscode.commands.executeCommand('ganLens.train', 'non-saturating');
    await waitForStep(api, 20);
    assert.deepEqual(api.controller.currentTarget, { kind: 'preset', name: 'non-saturating' });
    assert.equal(session(api).summary?.lossName, 'non-saturating GAN');
  });

  test('saving a definition file while a preset trains does not load it', async () => {
    await vscode.commands.executeCommand('ganLens.train', 'non-saturating');
    await waitForStep(api, 20);
    const s = session(api);
    const doc = await vscode.workspace.openTextDocument(fixture('non-saturating.gan.ts'));
    await vscode.window.showTextDocument(doc);
    await editAndSave(doc, 'losses.nonSaturating()', 'losses.minimax()');
    await waitForStep(api, s.step + 30);
    assert.equal(s.version, 0, 'the preset run loaded a file');
    assert.equal(s.summary?.lossName, 'non-saturating GAN');
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).every((d) => d.source !== 'GAN Lens'), 'no GAN Lens diagnostics');
  });

  test('Compare Runs does not run loss files; Compare f-GAN Fits (presets only) does', async () => {
    const before = api.compare.current?.id;
    await vscode.commands.executeCommand('ganLens.compareRuns', [fixture('non-saturating.gan.ts')], { seeds: 1, steps: 20 });
    assert.equal(api.compare.current?.id, before, 'a comparison of a loss file started');
    const file = { label: 'non-saturating.gan.ts', source: { kind: 'file', path: fixture('non-saturating.gan.ts').fsPath, version: 1 } } as const;
    await assert.rejects(api.compare.start({ kind: 'runs', title: 'x', definitions: [file], seeds: [1], steps: 20 }), /trusted/);
    assert.equal(api.compare.current?.id, before);

    await vscode.commands.executeCommand('ganLens.compareFganFits', { seeds: 1, steps: 20 });
    await waitFor(() => api.compare.current?.state === 'finished', () => `the f-GAN fits to finish (${api.compare.current?.state})`);
    assert.equal(api.compare.current?.kind, 'fganFits');
    assert.ok(api.compare.cellStates.length === 8 && api.compare.cellStates.every((c) => c.state === 'finished'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
