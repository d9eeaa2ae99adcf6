import assert from 'node:assert/strict';
import { describeThrown, stackOf } from '../../../src/errors';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../paths';
import { resolveGanLensTo } from '../../../src/tsPlugin/resolveGanLens';

const PLUGIN = 'gan-lens-typescript-plugin';

/**
 * A `.gan.ts` as a newcomer copies it into an empty folder: no tsconfig, no node_modules, no
 * declaration file. `batchSize` is deliberately wrong, so that a checker that does not run
 * cannot pass for one that finds nothing; the file never names `nonSaturating`, so completions
 * for it cannot come from the file's own words.
 */
const SOURCE = `import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.gaussian(0, 1),
  batchSize: 'x',
  loss: losses.hinge(),
});
`;

/**
 * tsserver's own project service, as VS Code runs it: the plugin is a global plugin found by
 * package name in a probe location (VS Code passes the extension's folder; here the repository,
 * where `npm run build` writes node_modules/gan-lens-typescript-plugin).
 */
function projectService(plugins: readonly string[], log: string[]): ts.server.ProjectService {
  const noWatch = (): ts.FileWatcher => ({ close: () => undefined });
  const host: ts.server.ServerHost = {
    ...ts.sys,
    watchFile: noWatch,
    watchDirectory: noWatch,
    setTimeout,
    clearTimeout,
    setImmediate,
    clearImmediate,
    // What tsserver's node host does: Node's resolution from <probe>/node_modules.
    require: (initialDir, moduleName) => {
      try {
        return { module: createRequire(path.join(initialDir, 'index.js'))(moduleName) as object, error: undefined };
      } catch (e) {
        return { module: undefined, error: { message: describeThrown(e), stack: stackOf(e) } };
      }
    },
  };
  const logger: ts.server.Logger = {
    close: () => undefined,
    hasLevel: () => true,
    loggingEnabled: () => true,
    perftrc: () => undefined,
    info: (s) => log.push(s),
    msg: (s) => log.push(s),
    startGroup: () => undefined,
    endGroup: () => undefined,
    getLogFileName: () => undefined,
  };
  const service = new ts.server.ProjectService({
    host,
    logger,
    cancellationToken: ts.server.nullCancellationToken,
    useSingleInferredProject: false,
    useInferredProjectPerProjectRoot: false,
    globalPlugins: plugins,
    pluginProbeLocations: [repoRoot],
    allowLocalPluginLoads: false,
    session: undefined,
  });
  // VS Code's (1.100) implicit project configuration for a TypeScript file outside any tsconfig.
  const { ModuleKind, ModuleResolutionKind, ScriptTarget, JsxEmit } = ts.server.protocol;
  service.setCompilerOptionsForInferredProjects({
    module: ModuleKind.Preserve, moduleResolution: ModuleResolutionKind.Bundler, target: ScriptTarget.ES2022, jsx: JsxEmit.ReactJSX,
    allowImportingTsExtensions: true, strictNullChecks: true, strictFunctionTypes: true, sourceMap: true,
  });
  return service;
}

interface Opened {
  readonly ls: ts.LanguageService;
  readonly project: ts.server.Project;
  readonly log: string[];
}

function open(file: string, plugins: readonly string[]): Opened {
  const log: string[] = [];
  const service = projectService(plugins, log);
  service.openClientFile(file, SOURCE, ts.ScriptKind.TS);
  const project = service.getDefaultProjectForFile(ts.server.toNormalizedPath(file), true);
  assert.ok(project, 'no project for the file');
  return { ls: project.getLanguageService(), project, log };
}

function diagnostics(ls: ts.LanguageService, file: string): { code: number; line: number; message: string }[] {
  const program = ls.getProgram();
  assert.ok(program);
  const source = program.getSourceFile(file);
  assert.ok(source);
  return [...ls.getSyntacticDiagnostics(file), ...ls.getSemanticDiagnostics(file)].map((d) => ({
    code: d.code,
    line: source.getLineAndCharacterOfPosition(d.start ?? 0).line,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

const offsetAfter = (needle: string): number => SOURCE.indexOf(needle) + needle.length;
const IMPORT_LINE = 0;
const BATCH_LINE = SOURCE.split('\n').findIndex((l) => l.includes('batchSize'));

describe('TypeScript plugin: gan-lens in a folder without tsconfig', function () {
  this.timeout(60_000);
  let folder: string;
  let file: string;
  let withPlugin: Opened;

  before(function () {
    const built = path.join(repoRoot, 'node_modules', PLUGIN, 'index.js');
    assert.ok(fs.existsSync(built), `${built} is missing: run \`npm run build\` first`);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-tsplugin-'));
    file = path.join(folder, 'first.gan.ts');
    fs.writeFileSync(file, SOURCE);
    withPlugin = open(file, [PLUGIN]);
  });

  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('tsserver loads the plugin from the probe location and the file is in an inferred project', () => {
    assert.equal(withPlugin.project.projectKind, ts.server.ProjectKind.Inferred, 'a tsconfig above the temp folder was found');
    assert.ok(withPlugin.log.some((l) => l.includes(`'gan-lens' resolves to ${path.join(repoRoot, 'media', 'gan-lens.d.ts')}`)), `plugin not enabled:\n${withPlugin.log.filter((l) => /plugin/i.test(l)).join('\n')}`);
  });

  it('the import resolves, and the deliberate type error is reported on its line', () => {
    const found = diagnostics(withPlugin.ls, file);
    assert.deepEqual(found.filter((d) => d.line === IMPORT_LINE), [], 'a diagnostic on the import');
    assert.deepEqual(found.map((d) => [d.code, d.line]), [[2322, BATCH_LINE]], JSON.stringify(found));
  });

  it('completes `losses.` with the built-in losses', () => {
    const completions = withPlugin.ls.getCompletionsAtPosition(file, offsetAfter('losses.'), {});
    const names = completions?.entries.map((e) => e.name) ?? [];
    for (const name of ['nonSaturating', 'minimax', 'fgan', 'wgan', 'custom']) assert.ok(names.includes(name), `${name} not offered: ${names.join(', ')}`);
    assert.equal(completions?.entries.find((e) => e.name === 'nonSaturating')?.kind, ts.ScriptElementKind.memberFunctionElement);
  });

  it('hover shows the doc comment of a field with its default', () => {
    const info = withPlugin.ls.getQuickInfoAtPosition(file, SOURCE.indexOf('batchSize') + 1);
    const doc = ts.displayPartsToString(info?.documentation);
    assert.match(doc, /Samples per batch/);
    assert.match(doc, /Default 256/);
  });

  it('the bundled declarations themselves have no errors', () => {
    const declaration = path.join(repoRoot, 'media', 'gan-lens.d.ts');
    assert.ok(withPlugin.ls.getProgram()?.getSourceFile(declaration), 'the declaration is not in the program');
    assert.deepEqual(diagnostics(withPlugin.ls, declaration), []);
  });

  it('without the plugin the same import is unresolved (what the plugin fixes)', () => {
    const found = diagnostics(open(file, []).ls, file);
    // 2307: "Cannot find module 'gan-lens' or its corresponding type declarations".
    assert.ok(found.some((d) => d.code === 2307 && d.line === IMPORT_LINE), JSON.stringify(found));
  });
});

describe('TypeScript plugin: module resolution hook', () => {
  const ours = '/ext/media/gan-lens.d.ts';
  const literal = (text: string) => ({ text }) as ts.StringLiteralLike;
  type Literals = NonNullable<ts.LanguageServiceHost['resolveModuleNameLiterals']>;
  const call = (fn: Literals | undefined, names: string[]) => {
    assert.ok(fn);
    return fn(names.map(literal), '/w/a.gan.ts', undefined, {}, {} as ts.SourceFile, undefined).map((r) => r.resolvedModule?.resolvedFileName);
  };

  it('fills in only an unresolved gan-lens and keeps what the host resolves', () => {
    const host: ts.LanguageServiceHost = {
      resolveModuleNameLiterals: (literals) => literals.map((l) => ({
        resolvedModule: l.text === './local' ? { resolvedFileName: '/w/local.ts', extension: ts.Extension.Ts } : undefined,
      })),
    } as Partial<ts.LanguageServiceHost> as ts.LanguageServiceHost;
    assert.equal(resolveGanLensTo(host, ours, ts.Extension.Dts), true);
    assert.deepEqual(call(host.resolveModuleNameLiterals, ['gan-lens', './local', 'other']), [ours, '/w/local.ts', undefined]);
  });

  it('a gan-lens the host resolves itself (a tsconfig "paths" entry for tsc) stays', () => {
    const host = {
      resolveModuleNameLiterals: (literals: readonly ts.StringLiteralLike[]) => literals.map(() => ({ resolvedModule: { resolvedFileName: '/w/.gan-lens/gan-lens.d.ts', extension: ts.Extension.Dts } })),
    } as Partial<ts.LanguageServiceHost> as ts.LanguageServiceHost;
    resolveGanLensTo(host, ours, ts.Extension.Dts);
    assert.deepEqual(call(host.resolveModuleNameLiterals, ['gan-lens']), ['/w/.gan-lens/gan-lens.d.ts']);
  });

  it('the older resolveModuleNames hook is decorated too; a host with neither is left alone', () => {
    const host = { resolveModuleNames: (names: string[]) => names.map(() => undefined) } as Partial<ts.LanguageServiceHost> as ts.LanguageServiceHost;
    assert.equal(resolveGanLensTo(host, ours, ts.Extension.Dts), true);
    assert.deepEqual(host.resolveModuleNames?.(['x', 'gan-lens'], '/w/a.gan.ts', undefined, undefined, {}).map((r) => r?.resolvedFileName), [undefined, ours]);
    assert.equal(resolveGanLensTo({}, ours, ts.Extension.Dts), false);
  });
});
