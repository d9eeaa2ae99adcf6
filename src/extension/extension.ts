import * as vscode from 'vscode';
import { commandRegistrar, registerCommands } from './commands';
import { registerCompareCommands } from './compareCommands';
import { CompareController } from './compareController';
import { ComparePanel, COMPARE_VIEW_TYPE } from './comparePanel';
import { InspectorPanel, INSPECTOR_VIEW_TYPE } from './inspectorPanel';
import { describeThrown } from '../errors';
import { RunController } from './runController';
import { RunStore } from './runStore';
import { RunStatusBar } from './statusBar';

/** What tests (and other extensions) can reach through `extension.exports`. */
export interface GanLensApi {
  readonly controller: RunController;
  readonly panel: () => InspectorPanel | undefined;
  readonly compare: CompareController;
  readonly comparePanel: () => ComparePanel | undefined;
}

/** Saves the run for the next window; set while the extension is active. */
let saveOnDeactivate: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): GanLensApi {
  const log = vscode.window.createOutputChannel('GAN Lens', { log: true });
  context.subscriptions.push(log);
  try {
    const workerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath;
    const store = new RunStore(context.storageUri ?? context.globalStorageUri, log);
    const controller = new RunController(workerPath, log, store);
    const compare = new CompareController(workerPath, log);
    context.subscriptions.push(store, controller, new RunStatusBar(controller, () => InspectorPanel.instance !== undefined), compare);
    saveOnDeactivate = () => controller.saveRun();
    const register = commandRegistrar(context, log);
    registerCommands(context, controller, log, register);
    registerCompareCommands(context.extensionUri, compare, log, register);
    context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => void InspectorPanel.revive(panel, context.extensionUri, controller, log),
    }));
    // After a window reload the extension host is new and holds no comparison: the revived panel says so.
    context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => void ComparePanel.revive(panel, context.extensionUri, compare, log),
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
    const setCompareContext = (): void => {
      void vscode.commands.executeCommand('setContext', 'ganLens.comparing', compare.active);
      void vscode.commands.executeCommand('setContext', 'ganLens.hasCompare', compare.current !== undefined);
    };
    context.subscriptions.push(compare.onDidChange(setCompareContext));
    setCompareContext();
    // The run the last window left (a reload): stopped at its checkpoint until Resume.
    void controller.restore().catch((e: unknown) => log.warn(`the last run was not restored: ${describeThrown(e)}`));
    log.info('GAN Lens activated');
    return { controller, panel: () => InspectorPanel.instance, compare, comparePanel: () => ComparePanel.instance };
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
