/** The name a new loss definition file gets from what a person typed in a save dialog. */
import { DEFINITION_FILE } from './loader';

const DEFAULT_SUFFIX = '.gan.ts';
const SCRIPT = /\.(ts|js|mjs)$/;

/**
 * `my-first` → `my-first.gan.ts`, `my-first.ts` → `my-first.gan.ts`, and names that already
 * are definition files stay. A dialog filtering on the double extension "gan.ts" sees only
 * ".ts" as the typed name's extension and appends ".gan.ts" again (`my-first.gan.ts.gan.ts`,
 * `x.gan.js.gan.ts`): that appended suffix is dropped.
 */
export function definitionFileName(typed: string): string {
  let name = typed;
  while (name.endsWith(DEFAULT_SUFFIX) && SCRIPT.test(name.slice(0, -DEFAULT_SUFFIX.length))) name = name.slice(0, -DEFAULT_SUFFIX.length);
  if (DEFINITION_FILE.test(name)) return name;
  return SCRIPT.test(name) ? name.replace(SCRIPT, '.gan.$1') : `${name}${DEFAULT_SUFFIX}`;
}
