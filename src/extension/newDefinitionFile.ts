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
  const items = templates.map((t) => ({ label: t.name.replace(/\.gan\.ts$/, ''), detail: t.description, text: t.text, name: t.name }));
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

/**
 * Asks for a template and where to save it, unless given: `template` is an example's name
 * (e.g. "wgan-gp"), `target` the file to write (tests and other extensions pass both).
 */
export async function createDefinitionFile(extensionUri: vscode.Uri, template?: string, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const root = (target && vscode.workspace.getWorkspaceFolder(target)?.uri) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('open a folder first: the loss definition file is created in the workspace');
  const picked = await pickTemplate(extensionUri, template);
  if (!picked) return undefined;
  const file = target ?? await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(root, picked.name), filters: { 'Loss definition': ['gan.ts'] }, title: 'Save the loss definition file' });
  if (!file) return undefined;
  await vscode.workspace.fs.writeFile(file, Buffer.from(picked.text, 'utf8'));
  const hint = await ensureTypes(extensionUri, root);
  await vscode.window.showTextDocument(file);
  if (hint) void vscode.window.showInformationMessage(`GAN Lens: ${hint}`);
  return file;
}
