/**
 * "GAN: Compare Runs…", "GAN: Compare f-GAN Fits" and "GAN: Stop Comparison". Both compare
 * commands take their choices as arguments too, so that they run without dialogs (tests, other
 * extensions): compareRuns(definitions: (Uri | preset name)[], { seeds, steps }),
 * compareFganFits({ seeds, steps }).
 */
import * as vscode from 'vscode';
import { DEFINITION_FILE } from '../definition/loader';
import { PRESETS } from '../definition/presets';
import { fganFitDefinitions, parseSeeds, presetDefinition, type CompareDefinition } from '../session/compareRuns';
import { describeThrown } from '../errors';
import type { RegisterCommand } from './commands';
import type { CompareController } from './compareController';
import { ComparePanel } from './comparePanel';

export interface CompareChoices {
  readonly seeds: readonly number[];
  readonly steps: number;
}

const UNTRUSTED = 'This workspace is not trusted, so its loss definition files are not run.';

/** `{ seeds: 3 }` (seeds 1–3) or `{ seeds: [1, 4] }`, and `{ steps }`, from a command's argument. */
function choicesFrom(arg: unknown): Partial<CompareChoices> {
  if (typeof arg !== 'object' || arg === null) return {};
  const { seeds, steps } = arg as { seeds?: unknown; steps?: unknown };
  const out: { seeds?: number[]; steps?: number } = {};
  if (typeof seeds === 'number' || Array.isArray(seeds)) out.seeds = parseSeeds(Array.isArray(seeds) ? seeds.join(',') : String(seeds));
  if (typeof steps === 'number' && Number.isInteger(steps) && steps > 0) out.steps = steps;
  return out;
}

/** Asks for what the arguments did not give: seeds, then steps. undefined when the person cancels. */
async function askChoices(title: string, given: Partial<CompareChoices>, defaults: { seeds: string; steps: number }): Promise<CompareChoices | undefined> {
  let seeds = given.seeds;
  if (!seeds) {
    const input = await vscode.window.showInputBox({
      title: `${title}: seeds`, value: defaults.seeds,
      prompt: 'Seeds of each definition: a count (3 = seeds 1 to 3), a list (1,4,7) or a range (4..9)',
      validateInput: (v) => {
        try {
          parseSeeds(v);
          return undefined;
        } catch (e) {
          return describeThrown(e);
        }
      },
    });
    if (input === undefined) return undefined;
    seeds = parseSeeds(input);
  }
  let steps = given.steps;
  if (steps === undefined) {
    const input = await vscode.window.showInputBox({
      title: `${title}: steps`, value: String(defaults.steps), prompt: 'Training steps of every run',
      validateInput: (v) => (/^[1-9]\d{0,6}$/.test(v) ? undefined : 'a whole number from 1 to 9,999,999'),
    });
    if (input === undefined) return undefined;
    steps = Number(input);
  }
  return { seeds, steps };
}

function fileDefinition(uri: vscode.Uri): CompareDefinition {
  return { label: vscode.workspace.asRelativePath(uri), source: { kind: 'file', path: uri.fsPath, version: 1 } };
}

/** The definitions from the command's argument, or picked: the workspace's loss files (the active one ticked) and the presets. */
async function pickDefinitions(arg: unknown): Promise<CompareDefinition[] | undefined> {
  const trusted = vscode.workspace.isTrusted;
  if (Array.isArray(arg) && arg.length > 0) {
    const given = arg.flatMap((a): CompareDefinition[] => (a instanceof vscode.Uri && DEFINITION_FILE.test(a.fsPath) ? [fileDefinition(a)] : typeof a === 'string' && a in PRESETS ? [presetDefinition(a)] : []));
    if (given.length !== arg.length) throw new Error('compareRuns takes loss definition file URIs and preset names');
    if (!trusted && given.some((d) => d.source.kind === 'file')) {
      void vscode.window.showWarningMessage(`GAN Lens: ${UNTRUSTED} Compare built-in presets instead, or run "GAN: Compare f-GAN Fits".`);
      return undefined;
    }
    return given;
  }
  const files = trusted ? await vscode.workspace.findFiles('**/*.gan.{ts,js,mjs}', '**/node_modules/**', 200) : [];
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  type Item = vscode.QuickPickItem & { definition?: CompareDefinition };
  const items: Item[] = [
    ...files.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri): Item => ({ label: vscode.workspace.asRelativePath(uri), description: 'loss definition file', picked: uri.toString() === active, definition: fileDefinition(uri) })),
    { label: 'Built-in presets', kind: vscode.QuickPickItemKind.Separator },
    ...Object.entries(PRESETS).map(([name, p]): Item => ({ label: `$(beaker) ${name}`, description: p.description, definition: presetDefinition(name) })),
  ];
  const placeHolder = trusted ? 'Loss definitions to train side by side (one dimension: all 1-D or all 2-D)' : `${UNTRUSTED} Compare built-in presets:`;
  const picked = await vscode.window.showQuickPick(items, { title: 'Compare Runs', placeHolder, canPickMany: true });
  const definitions = picked?.flatMap((p) => (p.definition ? [p.definition] : []));
  return definitions && definitions.length > 0 ? definitions : undefined;
}

/** Reads each file's text from its editor, unsaved edits included, as Train GAN does. */
async function withText(definitions: readonly CompareDefinition[]): Promise<CompareDefinition[]> {
  return Promise.all(definitions.map(async (d) => {
    if (d.source.kind !== 'file') return d;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(d.source.path));
    return { ...d, source: { ...d.source, text: doc.getText() } };
  }));
}

/** A running comparison is replaced only when the person says so (a command with arguments is a deliberate call). */
async function mayReplace(controller: CompareController, hasArguments: boolean): Promise<boolean> {
  if (!controller.active || hasArguments) return true;
  const answer = await vscode.window.showWarningMessage('A comparison is running. Stop it and start this one?', { modal: true }, 'Stop and Start');
  return answer === 'Stop and Start';
}

export function registerCompareCommands(
  extensionUri: vscode.Uri,
  controller: CompareController,
  log: vscode.LogOutputChannel,
  register: RegisterCommand,
): void {
  const openPanel = (): ComparePanel => ComparePanel.createOrShow(extensionUri, controller, log);
  register('ganLens.compareRuns', async (definitionsArg, choicesArg) => {
    const definitions = await pickDefinitions(definitionsArg);
    if (!definitions) return;
    const choices = await askChoices('Compare Runs', choicesFrom(choicesArg), { seeds: '3', steps: 3000 });
    if (!choices || !(await mayReplace(controller, definitionsArg !== undefined))) return;
    openPanel();
    const title = definitions.length === 1 ? `${definitions[0]!.label} over ${choices.seeds.length} seeds` : `${definitions.length} definitions × ${choices.seeds.length} seeds`;
    await controller.start({ kind: 'runs', title, definitions: await withText(definitions), ...choices });
  });
  // Presets only: no code of the workspace runs, so it runs in an untrusted workspace too.
  register('ganLens.compareFganFits', async (choicesArg) => {
    const choices = await askChoices('Compare f-GAN Fits', choicesFrom(choicesArg), { seeds: '2', steps: 600 });
    if (!choices || !(await mayReplace(controller, choicesArg !== undefined))) return;
    openPanel();
    await controller.start({ kind: 'fganFits', title: 'f-GAN fits: a Gaussian fitted by each f-divergence (Nowozin et al. 2016 §4)', definitions: fganFitDefinitions(), ...choices });
  });
  register('ganLens.stopCompare', () => controller.stop());
  register('ganLens.openCompare', () => void openPanel());
}
