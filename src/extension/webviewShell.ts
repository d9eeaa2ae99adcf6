/**
 * What every GAN Lens webview panel shares: its options (scripts on, resources only from dist/
 * and media/) and its page, a CSP shell around one bundle with a fresh nonce (panelHtml.ts).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderPanelHtml } from './panelHtml';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** A new panel beside the code, in its own column ("Beside" the active editor), leaving the focus in the editor. */
export function openPanelBeside(viewType: string, title: string, extensionUri: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
}

/** Loads `dist/<bundle>.js` and `dist/<bundle>.css` into the panel, with the extension's icon. */
export function loadPanelPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, bundle: string, title: string): void {
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
  const webview = panel.webview;
  const asset = (file: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
  webview.html = renderPanelHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: asset(`${bundle}.js`),
    styleUri: asset(`${bundle}.css`),
    title,
  });
}
