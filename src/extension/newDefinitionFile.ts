/**
 * "New Loss Definition File": writes a commented definition from one of the examples. The editor
 * needs nothing else (the extension's TypeScript plugin serves the `gan-lens` types); with
 * `ganLens.writeTscConfig` it also writes what `tsc` needs: the declarations and, when the
 * folder has no tsconfig/jsconfig, a tsconfig that maps the module to them.
 */
import * as vscode from 'vscode';
import { definitionFileName } from '../definition/fileName';
import { readConfig } from './config';

const TYPES_FOLDER = '.gan-lens';
/** A template whose target is 2-D: a 2-D target factory, or a mixture component with an [x, y] mean. */
const TWO_D_TARGET = /targets\.(ring|grid|box|segment)\(|mean:\s*\[/;
const TYPES_FILE = 'gan-lens.d.ts';
/** The compilerOptions entry that lets `tsc` resolve `gan-lens` to the written declarations. */
const TSC_PATHS = { 'gan-lens': [`./${TYPES_FOLDER}/${TYPES_FILE}`] };

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

async function readTemplates(extensionUri: vscode.Uri): Promise<{ name: string; description: string; text: string }[]> {
  const folder = vscode.Uri.joinPath(extensionUri, 'examples');
  const entries = (await vscode.workspace.fs.readDirectory(folder)).filter(([name]) => name.endsWith('.gan.ts')).map(([name]) => name).sort();
  return Promise.all(entries.map(async (name) => {
    const text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, name))).toString('utf8');
    return { name, description: /^\/\/\s*(.+)$/m.exec(text)?.[1] ?? '', text };
  }));
}

async function pickTemplate(extensionUri: vscode.Uri, preset: string | undefined): Promise<{ name: string; text: string } | undefined> {
  const templates = await readTemplates(extensionUri);
  if (preset !== undefined) {
    const found = templates.find((t) => t.name === preset || t.name === `${preset}.gan.ts`);
    if (!found) throw new Error(`there is no template "${preset}"; choose one of ${templates.map((t) => t.name.replace(/\.gan\.ts$/, '')).join(', ')}`);
    return found;
  }
  // 1-D templates first, then the 2-D ones (ring of 8, the 25-Gaussian grid, …), each group under its own heading.
  const dimension = (t: { text: string }): '1-D' | '2-D' => (TWO_D_TARGET.test(t.text) ? '2-D' : '1-D');
  const items: (vscode.QuickPickItem & { text?: string; name?: string })[] = [];
  for (const dim of ['1-D', '2-D'] as const) {
    items.push({ label: dim === '1-D' ? 'One dimension' : 'Two dimensions (maps in the panel)', kind: vscode.QuickPickItemKind.Separator });
    for (const t of templates.filter((x) => dimension(x) === dim)) items.push({ label: t.name.replace(/\.gan\.ts$/, ''), description: dim, detail: t.description, text: t.text, name: t.name });
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'New Loss Definition File', placeHolder: 'Start from…', matchOnDetail: true });
  return picked?.name !== undefined && picked.text !== undefined ? { name: picked.name, text: picked.text } : undefined;
}

/** The dialog's answer with the name made a definition file's; undefined if the person declines to replace a file. */
async function definitionUri(chosen: vscode.Uri): Promise<vscode.Uri | undefined> {
  const name = chosen.path.slice(chosen.path.lastIndexOf('/') + 1);
  const fixed = vscode.Uri.joinPath(chosen, '..', definitionFileName(name));
  // The dialog asked about replacing the name it returned, not this one.
  if (fixed.toString() === chosen.toString() || !(await exists(fixed))) return fixed;
  const replace = await vscode.window.showWarningMessage(`${definitionFileName(name)} already exists. Replace it?`, { modal: true }, 'Replace');
  return replace === 'Replace' ? fixed : undefined;
}

/**
 * For `tsc`: writes the declarations and, if the folder has none, a tsconfig mapping `gan-lens`
 * to them. Returns what to add to an existing tsconfig/jsconfig, which is never edited.
 */
async function writeTscTypes(extensionUri: vscode.Uri, root: vscode.Uri): Promise<vscode.Uri | undefined> {
  const declaration = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'media', TYPES_FILE));
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, TYPES_FOLDER, TYPES_FILE), declaration);
  for (const name of ['tsconfig.json', 'jsconfig.json']) {
    const existing = vscode.Uri.joinPath(root, name);
    if (await exists(existing)) return existing;
  }
  const config = {
    compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, allowJs: true, checkJs: true, paths: TSC_PATHS },
    include: ['**/*.gan.ts', '**/*.gan.js', '**/*.gan.mjs'],
  };
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, 'tsconfig.json'), Buffer.from(JSON.stringify(config, null, 2) + '\n', 'utf8'));
  return undefined;
}

/**
 * Says what to add to a config GAN Lens left alone. Modal when a person ran the command (a
 * toast would vanish before the edit is made); a notification with the same actions for callers
 * that pass a target, which cannot answer a dialog.
 */
async function explainPaths(config: vscode.Uri, modal: boolean): Promise<void> {
  const name = config.path.slice(config.path.lastIndexOf('/') + 1);
  const entry = `"paths": ${JSON.stringify(TSC_PATHS)}`;
  const message = `GAN Lens left your ${name} as it is: for tsc to resolve 'gan-lens', add to its "compilerOptions": ${entry}`;
  const detail = `The declarations are in ${TYPES_FOLDER}/${TYPES_FILE}. The editor does not need this: GAN Lens's TypeScript plugin provides the types.`;
  const open = `Open ${name}`;
  const copy = 'Copy the Entry';
  const answer = modal
    ? await vscode.window.showWarningMessage(message, { modal: true, detail }, open, copy)
    : await vscode.window.showWarningMessage(`${message}. ${detail}`, open, copy);
  if (answer === copy) await vscode.env.clipboard.writeText(entry);
  if (answer === open) await vscode.window.showTextDocument(config, { preview: false });
}

/**
 * Asks for a template and where to save it, unless given: `template` is an example's name
 * (e.g. "wgan-gp"), `target` the file to write (tests and other extensions pass both).
 */
export async function createDefinitionFile(extensionUri: vscode.Uri, template?: string, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const root = (target && vscode.workspace.getWorkspaceFolder(target)?.uri) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('open a folder first: the loss definition file is created in the workspace');
  const picked = await pickTemplate(extensionUri, template);
  if (!picked) return undefined;
  const chosen = target ?? await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(root, picked.name), filters: { 'Loss definition': ['gan.ts'] }, title: 'Save the loss definition file' });
  const file = chosen && await definitionUri(chosen);
  if (!file) return undefined;
  await vscode.workspace.fs.writeFile(file, Buffer.from(picked.text, 'utf8'));
  const unchangedConfig = readConfig().writeTscConfig ? await writeTscTypes(extensionUri, root) : undefined;
  await vscode.window.showTextDocument(file);
  if (unchangedConfig) void explainPaths(unchangedConfig, target === undefined);
  return file;
}
