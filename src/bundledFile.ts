import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A file that the build puts in dist/ (the worker, the wasm binaries): beside the running
 * bundle (extension, CLI, worker), or found upwards from it (bundled tests in dist/test/…).
 */
export function findBundledFile(name: string): string | undefined {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, name), path.join(dir, 'dist', name)]) {
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}
