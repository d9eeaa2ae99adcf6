import type * as vscode from 'vscode';

/**
 * Disposes every item even when some throw, then rethrows: one error as it is, several as an
 * AggregateError (markdown-language-features' util/dispose.ts `disposeAll`). A child that
 * throws must not leak the ones after it.
 */
export function disposeAll(items: Iterable<vscode.Disposable>): void {
  const errors: unknown[] = [];
  for (const d of items) {
    try {
      d.dispose();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'several disposables threw while being disposed');
}

/** Owns disposables and releases them together, latest first. */
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
    disposeAll(this.owned.splice(0).reverse());
  }
}
