/**
 * The inspector webview: one panel, opened beside the code, revived after a window reload.
 * The host owns the run's history and replays it whenever the webview (re)loads; everything
 * the webview sends is checked against the protocol first.
 */
import * as vscode from 'vscode';
import { encodeNonFinite, parseWebviewMessage, type ChartFormat, type HostToWebview, type WebviewToHost } from '../protocol';
import { Disposable } from './dispose';
import { describeThrown } from '../errors';
import { loadPanelPage, openPanelBeside, webviewOptions } from './webviewShell';
import type { RunController } from './runController';

export const INSPECTOR_VIEW_TYPE = 'ganLens.inspector';

/** A chart image received from the webview. */
export interface ChartImage {
  /** The chart's id, e.g. "densities": used as the file name. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** After the last chart of an export arrives, how long to wait for another. */
const EXPORT_QUIET_MS = 300;

export class InspectorPanel extends Disposable {
  private static current: InspectorPanel | undefined;

  static createOrShow(extensionUri: vscode.Uri, controller: RunController, log: vscode.LogOutputChannel): InspectorPanel {
    if (InspectorPanel.current) {
      // In its own column: "Beside" would be relative to the active editor and could move it.
      InspectorPanel.current.panel.reveal(undefined, true);
      return InspectorPanel.current;
    }
    const panel = openPanelBeside(INSPECTOR_VIEW_TYPE, 'GAN Lens', extensionUri);
    return new InspectorPanel(panel, extensionUri, controller, log);
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, controller: RunController, log: vscode.LogOutputChannel): InspectorPanel {
    panel.webview.options = webviewOptions(extensionUri);
    return new InspectorPanel(panel, extensionUri, controller, log);
  }

  static get instance(): InspectorPanel | undefined {
    return InspectorPanel.current;
  }

  private readonly received = this.register(new vscode.EventEmitter<WebviewToHost>());
  /** Validated messages from the webview (tests listen here too). */
  readonly onDidReceive = this.received.event;
  /** The webview's script has started and asked for the run (it does again after each reload). */
  private ready = false;
  private collectCharts: ((m: Extract<WebviewToHost, { type: 'export' }>) => void) | undefined;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly controller: RunController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    InspectorPanel.current = this;
    loadPanelPage(panel, extensionUri, 'webview', 'GAN Lens');
    const webview = panel.webview;
    this.register(panel.onDidDispose(() => {
      controller.panelClosed();
      this.dispose();
    }));
    // A hidden webview is discarded (no retainContextWhenHidden) and loads again when shown.
    this.register(panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    }));
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
        this.ready = true;
        for (const m of this.controller.replay()) this.post(m);
        break;
      case 'command':
        if (message.command === 'pause') this.controller.pause();
        else if (message.command === 'resume') this.controller.resume();
        else if (message.command === 'stepCritic') this.controller.subStep('critic');
        else if (message.command === 'stepGenerator') this.controller.subStep('generator');
        else void vscode.commands.executeCommand(commandFor(message.command), message.count);
        break;
      case 'setSpeed':
        this.controller.setSpeed(message.speed);
        break;
      case 'requestFrame': {
        const frame = this.controller.frameNear(message.step);
        if (frame) this.post(frame);
        break;
      }
      case 'branch':
        void this.controller.branchFrom(message.step).catch((e: unknown) => this.log.error(`branch: ${describeThrown(e)}`));
        break;
      case 'export':
        if (this.collectCharts) this.collectCharts(message);
        else void this.saveExport(message);
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
    await vscode.workspace.fs.writeFile(uri, decodeExport(m));
  }

  post(message: HostToWebview): void {
    void this.panel.webview.postMessage(encodeNonFinite(message));
  }

  /** Every chart the webview has drawn, as PNG or SVG bytes; empty if none is drawn. */
  async exportCharts(format: ChartFormat, timeoutMs = 10_000): Promise<ChartImage[]> {
    if (this.collectCharts) throw new Error('an export of the charts is already running');
    if (!this.ready) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          sub.dispose();
          reject(new Error('the inspector did not load'));
        }, timeoutMs);
        const sub = this.onDidReceive((m) => {
          if (m.type !== 'ready') return;
          clearTimeout(timer);
          sub.dispose();
          resolve();
        });
      });
      // The replay that answers 'ready' is drawn on the webview's next animation frame.
      await new Promise((r) => setTimeout(r, 500));
    }
    const charts: ChartImage[] = [];
    await new Promise<void>((resolve) => {
      let quiet: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(quiet);
        clearTimeout(overall);
        sub.dispose();
        this.collectCharts = undefined;
        resolve();
      };
      const overall = setTimeout(finish, timeoutMs);
      const sub = this.panel.onDidDispose(finish);
      this.collectCharts = (m) => {
        if (m.format !== format) return;
        charts.push({ name: m.name, bytes: decodeExport(m) });
        clearTimeout(quiet);
        quiet = setTimeout(finish, EXPORT_QUIET_MS);
      };
      this.post({ type: 'requestExport', format });
    });
    return charts;
  }

  override dispose(): void {
    if (InspectorPanel.current === this) InspectorPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }
}

/** PNGs arrive as data URLs, SVGs as text. */
function decodeExport(m: Extract<WebviewToHost, { type: 'export' }>): Uint8Array {
  return m.format === 'png' ? Buffer.from(m.data.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(m.data, 'utf8');
}

function commandFor(command: Exclude<Extract<WebviewToHost, { type: 'command' }>['command'], 'pause' | 'resume' | 'stepCritic' | 'stepGenerator'>): string {
  switch (command) {
    case 'step': return 'ganLens.step';
    case 'reset': return 'ganLens.reset';
    case 'stop': return 'ganLens.stop';
    case 'train': return 'ganLens.train';
  }
}
