/** The command palette's "GAN:" commands. */
import * as vscode from 'vscode';
import { DEFINITION_FILE } from '../definition/loader';
import { PRESETS } from '../definition/presets';
import { EXPORT_FORMATS, exportRun, type ExportFormat } from './exportRun';
import { isOneOf } from '../protocol';
import { InspectorPanel } from './inspectorPanel';
import { describeThrown } from '../errors';
import { createDefinitionFile } from './newDefinitionFile';
import type { RunController, RunTarget } from './runController';

async function pickTarget(controller: RunController, arg: unknown): Promise<RunTarget | undefined> {
  if (typeof arg === 'string' && arg in PRESETS) return { kind: 'preset', name: arg };
  const active = vscode.window.activeTextEditor?.document.uri;
  const file = arg instanceof vscode.Uri && DEFINITION_FILE.test(arg.fsPath) ? arg : active && DEFINITION_FILE.test(active.fsPath) ? active : undefined;
  const trusted = vscode.workspace.isTrusted;
  if (file && trusted) return { kind: 'file', uri: file };
  // A loss file is code: in restricted mode say why it does not run and offer the presets.
  if (file) controller.explainUntrusted();
  const files = trusted ? await vscode.workspace.findFiles('**/*.gan.{ts,js,mjs}', '**/node_modules/**', 50) : [];
  type Item = vscode.QuickPickItem & { target: RunTarget };
  const items: Item[] = [
    ...files.map((uri): Item => ({ label: vscode.workspace.asRelativePath(uri), description: 'loss definition file', target: { kind: 'file', uri } })),
    ...Object.entries(PRESETS).map(([name, p]): Item => ({ label: `$(beaker) ${name}`, description: p.description, target: { kind: 'preset', name } })),
  ];
  const current = controller.currentTarget;
  const placeHolder = !trusted
    ? 'This workspace is not trusted, so its loss definition files do not run. Train a built-in preset:'
    : current ? 'Replace the current run with…' : 'Train a loss definition file or a built-in preset';
  const picked = await vscode.window.showQuickPick(items, { title: 'Train GAN', placeHolder });
  return picked?.target;
}

function sameTarget(a: RunTarget | undefined, b: RunTarget): boolean {
  if (!a) return false;
  return a.kind === 'file' && b.kind === 'file' ? a.uri.toString() === b.uri.toString() : a.kind === 'preset' && b.kind === 'preset' && a.name === b.name;
}

/** Registers a command whose failures become an error message with the log at hand, never a silent rejection. */
export type RegisterCommand = (id: string, fn: (...args: unknown[]) => unknown) => void;

export function commandRegistrar(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): RegisterCommand {
  return (id, fn) => {
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        const message = describeThrown(e);
        log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(`GAN Lens: ${message}`, 'Show Log').then((choice) => choice && log.show());
        return undefined;
      }
    }));
  };
}

export function registerCommands(context: vscode.ExtensionContext, controller: RunController, log: vscode.LogOutputChannel, register: RegisterCommand): void {
  const openInspector = (): InspectorPanel => InspectorPanel.createOrShow(context.extensionUri, controller, log);

  register('ganLens.train', async (arg) => {
    const target = await pickTarget(controller, arg);
    if (!target) return;
    const current = controller.currentTarget;
    if (current && !sameTarget(current, target) && controller.current?.state === 'running' && arg === undefined) {
      const next = target.kind === 'file' ? vscode.workspace.asRelativePath(target.uri) : `preset ${target.name}`;
      const answer = await vscode.window.showWarningMessage(`${controller.describeCurrent() ?? 'A GAN'} is training. Replace its run with ${next}?`, { modal: true, detail: 'Its curves stay in the panel as the previous run.' }, 'Replace');
      if (answer !== 'Replace') return;
    }
    openInspector();
    await controller.train(target);
  });
  register('ganLens.stop', () => controller.stop());
  register('ganLens.togglePause', () => controller.togglePause());
  register('ganLens.step', async (arg) => {
    let count = typeof arg === 'number' && Number.isInteger(arg) && arg > 0 ? arg : undefined;
    if (count === undefined) {
      const input = await vscode.window.showInputBox({ title: 'Step Training', prompt: 'Training steps to run, then pause', value: '1', validateInput: (v) => (/^[1-9]\d{0,6}$/.test(v) ? undefined : 'a whole number from 1 to 9,999,999') });
      if (input === undefined) return;
      count = Number(input);
    }
    controller.pause();
    controller.step(count);
  });
  register('ganLens.reset', () => controller.reset());
  register('ganLens.openInspector', () => void openInspector());
  // Both accept arguments so that they can run without dialogs (tests, other extensions):
  // exportRun(target: Uri, format?: 'csv' | 'json' | 'lattice' | 'png' | 'svg' | several of them for a folder), newDefinitionFile(template: string, target: Uri).
  register('ganLens.exportRun', (target, format) => {
    const formats = Array.isArray(format) && format.length > 0 && format.every((f) => isOneOf(EXPORT_FORMATS, f)) ? (format as ExportFormat[]) : isOneOf(EXPORT_FORMATS, format) ? format : undefined;
    return exportRun(controller, openInspector, target instanceof vscode.Uri ? target : undefined, formats);
  });
  register('ganLens.newDefinitionFile', (template, target) => createDefinitionFile(context.extensionUri, typeof template === 'string' ? template : undefined, target instanceof vscode.Uri ? target : undefined));
}
