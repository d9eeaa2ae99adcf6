// The extension's TypeScript server plugin in the workbench's own TypeScript service: a loss file
// in a folder with no tsconfig, no declaration file and no node_modules gets no error on its
// import, completions and hover docs from the declarations bundled with the extension.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { removeScratch, scratchUri, waitFor, workspaceRoot } from './util';

/** `batchSize` is wrong on purpose: its error is the sign that TypeScript has checked the file. */
const SOURCE = `import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.gaussian(0, 1),
  batchSize: 'x',
  loss: losses.hinge(),
});
`;
const IMPORT_LINE = 0;
const BATCH_LINE = SOURCE.split('\n').findIndex((l) => l.includes('batchSize'));

/** TypeScript starts its server on the first file it sees; on a busy machine that takes a while. */
const TS_READY_MS = 150_000;
/** Once the file is checked, requests are answered at once; retried only for a server that is busy. */
const ANSWER_MS = 20_000;

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function listed(diagnostics: readonly vscode.Diagnostic[]): string {
  return diagnostics.map((d) => `${d.range.start.line + 1}: ${d.source ?? ''} ${d.message}`).join('\n') || 'none';
}

suite('TypeScript plugin', function () {
  this.timeout(TS_READY_MS + ANSWER_MS);
  let doc: vscode.TextDocument;

  suiteSetup(async () => {
    for (const config of ['tsconfig.json', 'jsconfig.json']) {
      const found = await vscode.workspace.fs.stat(vscode.Uri.joinPath(workspaceRoot(), config)).then(() => true, () => false);
      assert.equal(found, false, `the workspace must have no ${config} for this test`);
    }
    // A folder of its own, as when a newcomer copies an example somewhere.
    const uri = scratchUri('no-tsconfig/first.gan.ts');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(SOURCE, 'utf8'));
    doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'typescript');
    await vscode.window.showTextDocument(doc);
    // Ready once TypeScript has checked the file: both its possible errors (the deliberate one,
    // or an unresolved import) are semantic, reported together.
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'ts'), 'TypeScript to check the file', TS_READY_MS);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeScratch();
  });

  test('no diagnostic on the import; a type error in the definition is reported', async () => {
    const diagnostics = vscode.languages.getDiagnostics(doc.uri);
    assert.deepEqual(diagnostics.filter((d) => d.range.start.line === IMPORT_LINE).map((d) => d.message), [], 'a diagnostic on the import');
    const batch = diagnostics.find((d) => d.source === 'ts' && d.range.start.line === BATCH_LINE);
    assert.match(batch?.message ?? '', /not assignable to type 'number'/, `diagnostics: ${listed(diagnostics)}`);
  });

  test('completion after `losses.` offers nonSaturating, a method from the declarations', async () => {
    const line = doc.lineAt(SOURCE.split('\n').findIndex((l) => l.includes('losses.hinge')));
    const position = new vscode.Position(line.lineNumber, line.text.indexOf('losses.') + 'losses.'.length);
    const item = await waitFor(async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position, '.');
      return list.items.find((i) => label(i) === 'nonSaturating');
    }, 'nonSaturating among the completions', ANSWER_MS);
    // Not a word picked from the text (the file never names it): a member TypeScript found.
    assert.equal(item.kind, vscode.CompletionItemKind.Method);
  });

  test('hover on a field shows its doc comment with the default', async () => {
    const line = doc.lineAt(BATCH_LINE);
    const position = new vscode.Position(BATCH_LINE, line.text.indexOf('batchSize') + 2);
    const text = await waitFor(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
      const all = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /Default 256/.test(all) && all;
    }, 'a hover with the field\'s documentation', ANSWER_MS);
    assert.match(text, /Samples per batch/);
  });
});
