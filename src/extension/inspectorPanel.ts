/**
 * The inspector webview: one panel, opened beside the code, revived after a window reload.
 * The host owns the run's history and replays it whenever the webview (re)loads; everything
 * the webview sends is checked against the protocol first.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../protocol';
import { Disposable } from './dispose';
import { renderPanelHtml } from './panelHtml';
import type { RunController } from './runController';

export const INSPECTOR_VIEW_TYPE = 'ganLens.inspector';

export class InspectorPanel extends Disposable {
  private static current: InspectorPanel | undefined;

  static createOrShow(extensionUri: vscode.Uri, controller: RunController, log: vscode.LogOutputChannel): InspectorPanel {
    if (InspectorPanel.current) {
      InspectorPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return InspectorPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(INSPECTOR_VIEW_TYPE, 'GAN Lens', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, InspectorPanel.options(extensionUri));
    return new InspectorPanel(panel, extensionUri, controller, log);
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, controller: RunController, log: vscode.LogOutputChannel): InspectorPanel {
    panel.webview.options = InspectorPanel.options(extensionUri);
    return new InspectorPanel(panel, extensionUri, controller, log);
  }

  static get instance(): InspectorPanel | undefined {
    return InspectorPanel.current;
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private readonly received = this.register(new vscode.EventEmitter<WebviewToHost>());
  /** Validated messages from the webview (tests listen here too). */
  readonly onDidReceive = this.received.event;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly controller: RunController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    InspectorPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    const webview = panel.webview;
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css')).toString(),
      title: 'GAN Lens',
    });
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.register(controller.onMessage((m) => this.post(m)));
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn(`ignored a webview message that does not match the protocol: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    this.received.fire(message);
    switch (message.type) {
      case 'ready':
        for (const m of this.controller.replay()) this.post(m);
        break;
      case 'command':
        if (message.command === 'pause') this.controller.pause();
        else if (message.command === 'resume') this.controller.resume();
        else void vscode.commands.executeCommand(commandFor(message.command), message.count);
        break;
      case 'setSpeed':
        this.controller.setSpeed(message.stepsPerSecond);
        break;
      case 'export':
        void this.saveExport(message);
        break;
      default: {
        const unreachable: never = message;
        this.log.warn(`unhandled webview message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private async saveExport(m: Extract<WebviewToHost, { type: 'export' }>): Promise<void> {
    const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(`${m.name}.${m.format}`), filters: { [m.format.toUpperCase()]: [m.format] } });
    if (!uri) return;
    const bytes = m.format === 'png' ? Buffer.from(m.data.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(m.data, 'utf8');
    await vscode.workspace.fs.writeFile(uri, bytes);
  }

  post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  override dispose(): void {
    if (InspectorPanel.current === this) InspectorPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }
}

function commandFor(command: Exclude<Extract<WebviewToHost, { type: 'command' }>['command'], 'pause' | 'resume'>): string {
  switch (command) {
    case 'step': return 'ganLens.step';
    case 'reset': return 'ganLens.reset';
    case 'stop': return 'ganLens.stop';
    case 'train': return 'ganLens.train';
  }
}
