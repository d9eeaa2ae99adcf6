import * as fs from 'node:fs';
import * as path from 'node:path';

/** dist/worker.js: beside the running bundle, or in dist/ when running from sources (tests). */
export function bundledWorkerPath(): string {
  const beside = path.join(__dirname, 'worker.js');
  if (fs.existsSync(beside)) return beside;
  const built = path.resolve(__dirname, '..', '..', 'dist', 'worker.js');
  if (fs.existsSync(built)) return built;
  throw new Error(`the training worker is not built (looked for ${beside} and ${built}): run npm run build`);
}
