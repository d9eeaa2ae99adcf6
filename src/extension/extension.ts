import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { InspectorPanel, INSPECTOR_VIEW_TYPE } from './inspectorPanel';
import { describeThrown } from '../errors';
import { RunController } from './runController';
import { RunStore } from './runStore';
import { RunStatusBar } from './statusBar';

/** What tests (and other extensions) can reach through `extension.exports`. */
export interface GanLensApi {
  readonly controller: RunController;
  readonly panel: () => InspectorPanel | undefined;
}

/** Saves the run for the next window; set while the extension is active. */
let saveOnDeactivate: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): GanLensApi {
  const log = vscode.window.createOutputChannel('GAN Lens', { log: true });
  context.subscriptions.push(log);
  try {
    const store = new RunStore(context.storageUri ?? context.globalStorageUri, log);
    const controller = new RunController(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, log, store);
    context.subscriptions.push(store, controller, new RunStatusBar(controller, () => InspectorPanel.instance !== undefined));
    saveOnDeactivate = () => controller.saveRun();
    registerCommands(context, controller, log);
    context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => void InspectorPanel.revive(panel, context.extensionUri, controller, log),
    }));
    let contextKeys = '';
    // onDidChange fires with every snapshot; context keys are only set when they change.
    const setContext = (): void => {
      const running = controller.current?.state === 'running';
      const hasRun = controller.current !== undefined;
      if (contextKeys === `${running}${hasRun}`) return;
      contextKeys = `${running}${hasRun}`;
      void vscode.commands.executeCommand('setContext', 'ganLens.running', running);
      void vscode.commands.executeCommand('setContext', 'ganLens.hasRun', hasRun);
    };
    context.subscriptions.push(controller.onDidChange(setContext));
    setContext();
    // The run the last window left (a reload): stopped at its checkpoint until Resume.
    void controller.restore().catch((e: unknown) => log.warn(`the last run was not restored: ${describeThrown(e)}`));
    log.info('GAN Lens activated');
    return { controller, panel: () => InspectorPanel.instance };
  } catch (e) {
    // Activation failures must be visible: a silent failure leaves commands that do nothing.
    const message = describeThrown(e);
    log.error(`activation failed: ${message}`);
    void vscode.window.showErrorMessage(`GAN Lens failed to start: ${message}`);
    throw e;
  }
}

/** VS Code waits for this before a reload ends the extension host: the run is saved for the next window. */
export function deactivate(): Promise<void> | undefined {
  const save = saveOnDeactivate;
  saveOnDeactivate = undefined;
  return save?.();
}
