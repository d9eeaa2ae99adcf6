// Restricted mode: a loss definition file is code, so an untrusted workspace must not run it;
// the panel says why and the built-in presets still train. Runs only in a host where the
// fixture folder is not trusted (test/host/run-in-code-server.mjs --untrusted); index.ts
// leaves this file out everywhere else.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import { cleanSlate, fixture, ganLens, recordMessages, session, waitFor, waitForStep } from './util';

suite('Untrusted workspace', () => {
  let api: GanLensApi;

  suiteSetup(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this suite needs a workspace that is not trusted');
    api = await ganLens();
  });

  teardown(async () => cleanSlate(api));

  test('the extension activates in restricted mode with its commands', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const c of ['ganLens.train', 'ganLens.stop', 'ganLens.openInspector']) assert.ok(commands.has(c), `${c} is not registered`);
  });

  test('Train GAN on a definition file does not run it and the panel says why', async () => {
    const recorded = recordMessages(api);
    try {
      await vscode.window.showTextDocument(fixture('non-saturating.gan.ts'), { viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand('ganLens.train');
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
    } finally {
      recorded.dispose();
    }
  });

  test('Train GAN with the file as argument (editor title button) does not run it either', async () => {
    await vscode.commands.executeCommand('ganLens.train', fixture('non-saturating.gan.ts'));
    assert.equal(api.controller.current, undefined);
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
    assert.ok(await doc.save() !== undefined);
    await waitForStep(api, s.step + 30);
    assert.equal(s.version, 0, 'the preset run loaded a file');
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).every((d) => d.source !== 'GAN Lens'), 'no GAN Lens diagnostics');
  });
});
