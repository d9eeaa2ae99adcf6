import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('GAN Lens', { log: true });
  context.subscriptions.push(log);
  log.info('GAN Lens activated');
}

export function deactivate(): void {}
