/**
 * TypeScript server plugin (contributes.typescriptServerPlugins): loss definition files in any
 * folder get completions, hover docs and type errors for `import … from 'gan-lens'`, with nothing
 * written to the workspace. VS Code loads it by name from
 * <extension>/node_modules/gan-lens-typescript-plugin/, where esbuild.js bundles this file.
 */
import { describeThrown } from '../errors';
import * as path from 'node:path';
import type * as ts from 'typescript';
import { MODULE_NAME, resolveGanLensTo } from './resolveGanLens';

/** The extension's media/gan-lens.d.ts, two folders up from the bundled plugin. */
const DECLARATION = path.join(__dirname, '..', '..', 'media', 'gan-lens.d.ts');

function init({ typescript }: { typescript: typeof ts }): ts.server.PluginModule {
  return {
    create(info) {
      const log = (message: string): void => info.project.projectService.logger.info(`[gan-lens-typescript-plugin] ${message}`);
      try {
        if (!info.serverHost.fileExists(DECLARATION)) log(`${DECLARATION} is missing: '${MODULE_NAME}' is left unresolved`);
        else if (resolveGanLensTo(info.languageServiceHost, DECLARATION, typescript.Extension.Dts)) log(`'${MODULE_NAME}' resolves to ${DECLARATION} where nothing else provides it`);
        else log(`this TypeScript has no module resolution hook to decorate: '${MODULE_NAME}' is left unresolved`);
      } catch (e) {
        log(`not enabled: ${describeThrown(e)}`);
      }
      return info.languageService;
    },
  };
}

// tsserver requires the package and calls what it exports: a CommonJS export of the factory.
module.exports = init;
