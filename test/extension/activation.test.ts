import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './util';

suite('Activation', () => {
  let extension: vscode.Extension<unknown>;

  suiteSetup(async () => {
    extension = await activateExtension();
  });

  test('the extension is loaded under publisher gan-lens and activates', () => {
    assert.equal(extension.packageJSON.publisher, 'gan-lens');
    assert.equal(extension.isActive, true);
  });

  test('every command contributed in package.json is registered', async () => {
    const contributed: string[] = extension.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    if (missing.length > 0) assert.fail(`contributed in package.json but not registered: ${missing.join(', ')}`);
  });

  test('the "GAN Lens" output channel exists', async () => {
    // The API cannot list output channels; the workbench registers a "show" command for each.
    await waitFor(
      async () => (await vscode.commands.getCommands(true)).find((c) => c.startsWith('workbench.action.output.show.') && c.endsWith('GAN Lens')),
      'a workbench.action.output.show.* command for the "GAN Lens" channel',
    );
  });
});
