// The commands that write files: Export Run… and New Loss Definition File, called with
// arguments instead of their dialogs (which a test cannot answer).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import { SCALAR_KEYS } from '../../src/protocol';
import {
  cleanSlate, fixture, ganLens, removeScratch, scratchUri, session, waitFor, waitForQuiet, waitForStep, workspaceRoot,
} from './util';

async function readText(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

suite('Export Run', () => {
  let api: GanLensApi;

  suiteSetup(async () => {
    api = await ganLens();
    await cleanSlate(api);
    await vscode.commands.executeCommand('ganLens.train', fixture('non-saturating.gan.ts'));
    await waitForStep(api, 100);
    // Snapshots come at most 30 times a second, however fast the engine trains.
    await waitFor(() => session(api).history.length > 20, () => `20 recorded points (now ${session(api).history.length})`);
    await vscode.commands.executeCommand('ganLens.togglePause');
    await waitFor(() => session(api).state === 'paused', 'the paused state');
    await waitForQuiet(api);
  });

  suiteTeardown(async () => {
    await cleanSlate(api);
    await removeScratch();
  });

  test('metrics as CSV, written as gan-lens train writes it: every metric, steps/s and the generator, one row per recorded step', async () => {
    const target = scratchUri('metrics.csv');
    const written = await vscode.commands.executeCommand<vscode.Uri[]>('ganLens.exportRun', target);
    assert.deepEqual(written?.map(String), [target.toString()]);
    const lines = (await readText(target)).trimEnd().split('\n');
    assert.equal(lines[0], [...SCALAR_KEYS, 'stepsPerSecond', 'generatorMean', 'generatorStd'].join(','));
    const history = session(api).history.snapshot();
    assert.equal(lines.length - 1, history.step.length, 'one row per recorded step');
    assert.ok(history.step.length > 10, `only ${history.step.length} points recorded`);
    const last = lines.at(-1)!.split(',');
    assert.equal(last.length, SCALAR_KEYS.length + 3);
    assert.equal(Number(last[0]), history.step.at(-1));
    // An undefined alignment is an empty cell; other non-finite values as JavaScript and Python read them.
    for (const cell of last) assert.match(cell, /^(-?[\d.e+-]+|Infinity|-Infinity|NaN|)$/, `cell ${cell} is not a number`);
    assert.ok(Number.isFinite(Number(last.at(-1))) && Number.isFinite(Number(last.at(-2))), `no generator mean and sd in ${lines.at(-1)}`);
  });

  test('run as JSON: run info, the definition file as loaded, history columns and markers; infinities as strings', async () => {
    const target = scratchUri('run.json');
    await vscode.commands.executeCommand('ganLens.exportRun', target);
    const json = JSON.parse(await readText(target)) as { run: { runId: number; summary: { lossName: string } }; definition: { kind: string; text?: string }; history: Record<string, unknown[]>; markers: unknown[] };
    assert.equal(json.run.runId, session(api).runId);
    assert.equal(json.run.summary.lossName, 'non-saturating GAN');
    assert.equal(json.definition.kind, 'file');
    assert.equal(json.definition.text, await readText(fixture('non-saturating.gan.ts')), 'run.json does not hold the definition\'s source');
    assert.deepEqual(Object.keys(json.history), [...SCALAR_KEYS]);
    const n = json.history['step']!.length;
    assert.ok(n > 10);
    for (const k of SCALAR_KEYS) {
      assert.equal(json.history[k]!.length, n, `${k} has another length`);
      for (const v of json.history[k]!) assert.ok(typeof v === 'number' || ['inf', '-inf', 'nan'].includes(v as string), `${k} holds ${JSON.stringify(v)}`);
    }
    assert.ok(Array.isArray(json.markers));
  });

  test('charts as PNG at twice the screen\'s resolution or more, and as SVG, one file per chart, drawn by the inspector', async () => {
    const pngs = await vscode.commands.executeCommand<vscode.Uri[]>('ganLens.exportRun', scratchUri('charts-png'), 'png');
    assert.ok(pngs && pngs.length >= 4, `expected at least 4 chart images, got ${pngs?.map((u) => u.path).join(', ')}`);
    const names = pngs.map((u) => u.path.split('/').pop());
    for (const chart of ['densities', 'critic', 'forces', 'generator', 'divergence']) assert.ok(names.includes(`${chart}.png`), `no ${chart}.png among ${names.join(', ')}`);
    const svgs = await vscode.commands.executeCommand<vscode.Uri[]>('ganLens.exportRun', scratchUri('charts-svg'), 'svg');
    assert.equal(svgs?.length, pngs.length, 'not as many SVGs as PNGs');
    for (const uri of pngs) {
      const bytes = await vscode.workspace.fs.readFile(uri);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${uri.path} is not a PNG`);
      assert.ok(bytes.length > 2000, `${uri.path} is only ${bytes.length} bytes: an empty chart?`);
      // IHDR's width against the SVG's, which is the chart's size in CSS pixels.
      const width = Buffer.from(bytes).readUInt32BE(16);
      const svg = await readText(vscode.Uri.joinPath(scratchUri('charts-svg'), uri.path.split('/').pop()!.replace(/png$/, 'svg')));
      const cssWidth = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);
      assert.ok(width >= 2 * cssWidth - 1, `${uri.path} is ${width} px wide for a chart ${cssWidth} CSS px wide`);
    }
    for (const uri of svgs) {
      const text = await readText(uri);
      assert.match(text, /<svg[\s>]/, `${uri.path} is not SVG`);
      assert.match(text, /<path|<polyline|<line/, `${uri.path} has no drawing`);
    }
  });

  test('several formats at once into one folder', async () => {
    const folder = scratchUri('all');
    const written = await vscode.commands.executeCommand<vscode.Uri[]>('ganLens.exportRun', folder, ['csv', 'json', 'png']);
    const names = (written ?? []).map((u) => u.path.split('/').pop());
    for (const name of ['metrics.csv', 'run.json', 'densities.png', 'divergence.png']) {
      assert.ok(names.includes(name), `${name} is not among ${names.join(', ')}`);
      assert.ok(await exists(vscode.Uri.joinPath(folder, name)), `${name} was not written`);
    }
  });

  test('an unknown extension is refused and writes nothing', async () => {
    const target = scratchUri('metrics.txt');
    const written = await vscode.commands.executeCommand<vscode.Uri[] | undefined>('ganLens.exportRun', target);
    assert.equal(written, undefined);
    assert.equal(await exists(target), false);
  });
});

suite('New Loss Definition File', () => {
  const created: vscode.Uri[] = [];
  const tsconfig = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), 'tsconfig.json');
  const types = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), '.gan-lens', 'gan-lens.d.ts');
  const writeTscConfig = (value: boolean | undefined) => vscode.workspace.getConfiguration('ganLens').update('writeTscConfig', value, vscode.ConfigurationTarget.Global);

  suiteSetup(async () => {
    await cleanSlate(await ganLens());
    assert.equal(await exists(tsconfig()), false, 'the fixture workspace must start without a tsconfig.json');
  });

  teardown(async () => {
    await writeTscConfig(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created.splice(0)) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await removeScratch();
  });

  test('writes the chosen template and opens it, and nothing else: the editor needs no tsconfig', async () => {
    created.push(tsconfig(), vscode.Uri.joinPath(workspaceRoot(), '.gan-lens'));
    const target = scratchUri('mine.gan.ts');
    const result = await vscode.commands.executeCommand<vscode.Uri>('ganLens.newDefinitionFile', 'wgan-gp', target);
    assert.equal(result?.toString(), target.toString());

    const text = await readText(target);
    assert.match(text, /from 'gan-lens'/);
    assert.match(text, /losses\.wgan\(\{\s*gradientPenalty/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString(), 'the new file is not open');
    assert.equal(await exists(tsconfig()), false, 'a tsconfig.json was written');
    assert.equal(await exists(types()), false, 'a declaration file was written');

    // The file it wrote trains.
    const api = await ganLens();
    await vscode.commands.executeCommand('ganLens.train', target);
    await waitForStep(api, 5);
    assert.match(session(api).summary?.lossName ?? '', /WGAN/i);
    await cleanSlate(api);
  });

  test('a typed name keeps one .gan.ts (a dialog filtering on "gan.ts" appends another)', async () => {
    const result = await vscode.commands.executeCommand<vscode.Uri>('ganLens.newDefinitionFile', 'kl', scratchUri('my-first.gan.ts.gan.ts'));
    assert.equal(result?.toString(), scratchUri('my-first.gan.ts').toString());
    assert.match(await readText(scratchUri('my-first.gan.ts')), /from 'gan-lens'/);
    assert.equal(await exists(scratchUri('my-first.gan.ts.gan.ts')), false);
  });

  test('with ganLens.writeTscConfig: the declarations, and a tsconfig whose "paths" maps gan-lens to them', async () => {
    created.push(tsconfig(), vscode.Uri.joinPath(workspaceRoot(), '.gan-lens'));
    await writeTscConfig(true);
    await vscode.commands.executeCommand('ganLens.newDefinitionFile', 'kl', scratchUri('kl.gan.ts'));
    assert.match(await readText(types()), /export function defineGan/);
    const config = JSON.parse(await readText(tsconfig())) as { compilerOptions: { paths: Record<string, string[]> }; include: string[] };
    assert.deepEqual(config.compilerOptions.paths, { 'gan-lens': ['./.gan-lens/gan-lens.d.ts'] });
    assert.ok(config.include.some((p) => p.includes('*.gan.ts')), `tsconfig includes ${config.include.join(', ')}`);
  });

  test('with ganLens.writeTscConfig, an existing tsconfig.json is left as it is', async () => {
    created.push(tsconfig(), vscode.Uri.joinPath(workspaceRoot(), '.gan-lens'));
    await writeTscConfig(true);
    const mine = '{ "compilerOptions": { "strict": true } }\n';
    await vscode.workspace.fs.writeFile(tsconfig(), Buffer.from(mine, 'utf8'));
    await vscode.commands.executeCommand('ganLens.newDefinitionFile', 'kl', scratchUri('kl.gan.ts'));
    assert.equal(await readText(tsconfig()), mine, 'an existing tsconfig.json was changed');
    assert.ok(await exists(types()));
  });

  test('an unknown template writes nothing', async () => {
    const target = scratchUri('nothing.gan.ts');
    const result = await vscode.commands.executeCommand('ganLens.newDefinitionFile', 'no-such-template', target);
    assert.equal(result, undefined);
    assert.equal(await exists(target), false);
  });
});
