/**
 * The compare panel: one webview beside the code, revived after a window reload. The host owns
 * the comparison (CompareController) and replays it whenever the webview (re)loads; what the
 * webview sends is checked against src/compareProtocol.ts first.
 */
import * as vscode from 'vscode';
import { parseCompareMessage, type CompareToHost, type HostToCompare } from '../compareProtocol';
import { encodeNonFinite } from '../protocol';
import type { CompareController } from './compareController';
import { Disposable } from './dispose';
import { loadPanelPage, openPanelBeside, webviewOptions } from './webviewShell';

export const COMPARE_VIEW_TYPE = 'ganLens.compare';

export class ComparePanel extends Disposable {
  private static current: ComparePanel | undefined;

  static createOrShow(extensionUri: vscode.Uri, controller: CompareController, log: vscode.LogOutputChannel): ComparePanel {
    if (ComparePanel.current) {
      ComparePanel.current.panel.reveal(undefined, true);
      return ComparePanel.current;
    }
    const panel = openPanelBeside(COMPARE_VIEW_TYPE, 'GAN Lens: Compare', extensionUri);
    return new ComparePanel(panel, extensionUri, controller, log);
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, controller: CompareController, log: vscode.LogOutputChannel): ComparePanel {
    panel.webview.options = webviewOptions(extensionUri);
    return new ComparePanel(panel, extensionUri, controller, log);
  }

  static get instance(): ComparePanel | undefined {
    return ComparePanel.current;
  }

  private readonly received = this.register(new vscode.EventEmitter<CompareToHost>());
  /** Validated messages from the webview (tests listen here too). */
  readonly onDidReceive = this.received.event;
  private readonly posted = this.register(new vscode.EventEmitter<{ message: HostToCompare; delivered: boolean }>());
  /** Each message posted to the webview and whether the webview took it (tests). */
  readonly onDidPost = this.posted.event;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly controller: CompareController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    ComparePanel.current = this;
    loadPanelPage(panel, extensionUri, 'compare', 'GAN Lens: Compare');
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.register(controller.onMessage((m) => this.post(m)));
  }

  private receive(raw: unknown): void {
    const message = parseCompareMessage(raw);
    if (!message) {
      this.log.warn(`ignored a compare panel message that does not match the protocol: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    this.received.fire(message);
    switch (message.type) {
      case 'ready':
        for (const m of this.controller.replay()) this.post(m);
        break;
      case 'stop':
        void this.controller.stop();
        break;
      case 'command':
        void vscode.commands.executeCommand(`ganLens.${message.command}`);
        break;
      default: {
        const unreachable: never = message;
        this.log.warn(`unhandled compare panel message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  post(message: HostToCompare): void {
    void this.panel.webview.postMessage(encodeNonFinite(message)).then((delivered) => this.posted.fire({ message, delivered }));
  }

  override dispose(): void {
    if (ComparePanel.current === this) ComparePanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }
}
