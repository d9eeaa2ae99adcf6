import { findBundledFile } from '../bundledFile';

/** dist/worker.js, the training worker's bundle. */
export function bundledWorkerPath(): string {
  const found = findBundledFile('worker.js');
  if (!found) throw new Error(`the training worker is not built (no worker.js above ${__dirname}): run npm run build`);
  return found;
}
