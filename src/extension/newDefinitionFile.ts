/**
 * "New Loss Definition File": writes a commented definition from one of the examples, plus what
 * the editor needs for completions in a folder without node_modules: a declaration of the
 * `gan-lens` module and, when the folder has no tsconfig/jsconfig, a tsconfig that maps it.
 */
import * as vscode from 'vscode';

const TYPES_FOLDER = '.gan-lens';
const TYPES_FILE = 'gan-lens.d.ts';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function pickTemplate(extensionUri: vscode.Uri): Promise<{ name: string; text: string } | undefined> {
  const folder = vscode.Uri.joinPath(extensionUri, 'examples');
  const entries = (await vscode.workspace.fs.readDirectory(folder)).filter(([name]) => name.endsWith('.gan.ts')).map(([name]) => name).sort();
  const items = await Promise.all(entries.map(async (name) => {
    const text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, name))).toString('utf8');
    const description = /^\/\/\s*(.+)$/m.exec(text)?.[1] ?? '';
    return { label: name.replace(/\.gan\.ts$/, ''), detail: description, text, name };
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'New Loss Definition File', placeHolder: 'Start from…', matchOnDetail: true });
  return picked && { name: picked.name, text: picked.text };
}

/** Writes the `gan-lens` declaration and, if the folder has none, a tsconfig that uses it. */
async function ensureTypes(extensionUri: vscode.Uri, root: vscode.Uri): Promise<string | undefined> {
  const declaration = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'media', TYPES_FILE));
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, TYPES_FOLDER, TYPES_FILE), declaration);
  const tsconfig = vscode.Uri.joinPath(root, 'tsconfig.json');
  if ((await exists(tsconfig)) || (await exists(vscode.Uri.joinPath(root, 'jsconfig.json')))) {
    return `Add "${TYPES_FOLDER}/${TYPES_FILE}" to your tsconfig's "include" for completions in loss files.`;
  }
  const config = {
    compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, allowJs: true, checkJs: true },
    include: ['**/*.gan.ts', '**/*.gan.js', '**/*.gan.mjs', `${TYPES_FOLDER}/${TYPES_FILE}`],
  };
  await vscode.workspace.fs.writeFile(tsconfig, Buffer.from(JSON.stringify(config, null, 2) + '\n', 'utf8'));
  return undefined;
}

export async function createDefinitionFile(extensionUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('open a folder first: the loss definition file is created in the workspace');
  const template = await pickTemplate(extensionUri);
  if (!template) return undefined;
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(root, template.name), filters: { 'Loss definition': ['gan.ts'] }, title: 'Save the loss definition file' });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, Buffer.from(template.text, 'utf8'));
  const hint = await ensureTypes(extensionUri, root);
  await vscode.window.showTextDocument(target);
  if (hint) void vscode.window.showInformationMessage(`GAN Lens: ${hint}`);
  return target;
}
