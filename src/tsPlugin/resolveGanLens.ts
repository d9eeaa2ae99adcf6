/**
 * The one thing the TypeScript plugin does: make a language service host resolve the specifier
 * 'gan-lens' to the declarations bundled with the extension. Kept apart from the plugin entry so
 * that unit tests can decorate a host of their own.
 */
import type * as ts from 'typescript';

export const MODULE_NAME = 'gan-lens';

type ResolvingHost = Pick<ts.LanguageServiceHost, 'resolveModuleNameLiterals' | 'resolveModuleNames'>;

/**
 * Decorates both module resolution hooks the host has (TypeScript ≥ 5.0 calls
 * resolveModuleNameLiterals, older versions resolveModuleNames): where the host's own resolution
 * finds nothing for 'gan-lens' (a folder without node_modules or a tsconfig "paths" entry), the
 * result becomes `declaration`; a resolution it does find, such as the "paths" entry written for
 * people who run `tsc`, is kept. Returns false when the host has neither hook.
 */
export function resolveGanLensTo(host: ResolvingHost, declaration: string, extension: ts.Extension): boolean {
  const resolved: ts.ResolvedModuleFull = { resolvedFileName: declaration, extension, isExternalLibraryImport: true };
  const literals = host.resolveModuleNameLiterals;
  if (literals) {
    host.resolveModuleNameLiterals = (...args) => {
      const results = literals.apply(host, args);
      return substitute(results, (i) => args[0][i]?.text, (r) => !r.resolvedModule, (r) => ({ ...r, resolvedModule: resolved }));
    };
  }
  const names = host.resolveModuleNames;
  if (names) {
    host.resolveModuleNames = (...args) => {
      const results = names.apply(host, args);
      return substitute(results, (i) => args[0][i], (r) => !r, () => resolved);
    };
  }
  return Boolean(literals ?? names);
}

/** Runs inside tsserver, so it never throws: on anything unexpected the host's answer stands. */
function substitute<R>(results: readonly R[], nameAt: (i: number) => string | undefined, missing: (r: R) => boolean, ours: (r: R) => R): R[] {
  try {
    return results.map((r, i) => (nameAt(i) === MODULE_NAME && missing(r) ? ours(r) : r));
  } catch {
    return [...results];
  }
}
