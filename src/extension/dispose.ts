import type * as vscode from 'vscode';

/** Owns disposables and releases them together (as markdown-language-features' util/dispose.ts). */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private isDisposed = false;

  protected register<T extends vscode.Disposable>(value: T): T {
    if (this.isDisposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  protected get disposed(): boolean {
    return this.isDisposed;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}
