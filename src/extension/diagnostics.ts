/** Loader problems → editor diagnostics (1-based positions from the loader → 0-based ranges). */
import * as vscode from 'vscode';
import type { Problem } from '../protocol';

export class DefinitionDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gan-lens');

  /** Replaces what is shown for a definition file; problems may point into files it imports. */
  show(definitionFile: vscode.Uri, problems: readonly Problem[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>([[definitionFile.toString(), []]]);
    for (const p of problems) {
      const uri = p.file ? vscode.Uri.file(p.file) : definitionFile;
      const line = Math.max(0, (p.line ?? 1) - 1);
      const column = Math.max(0, (p.column ?? 1) - 1);
      const range = new vscode.Range(line, column, line, column + 1);
      const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'GAN Lens';
      const key = uri.toString();
      byFile.set(key, [...(byFile.get(key) ?? []), d]);
    }
    for (const [key, diagnostics] of byFile) this.collection.set(vscode.Uri.parse(key), diagnostics);
  }

  clear(file: vscode.Uri): void {
    this.collection.delete(file);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
