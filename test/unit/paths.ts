import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, found from wherever the (bundled) test runs. */
export const repoRoot: string = (() => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'examples'))) return dir;
  }
  throw new Error(`repository root not found above ${__dirname}`);
})();
