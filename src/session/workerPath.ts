import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * dist/worker.js: beside the running bundle (extension, CLI), or found upwards from it (the
 * bundled tests in dist/test/…).
 */
export function bundledWorkerPath(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'worker.js'), path.join(dir, 'dist', 'worker.js')]) {
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`the training worker is not built (no worker.js above ${__dirname}): run npm run build`);
}
