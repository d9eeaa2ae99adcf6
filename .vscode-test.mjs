// @vscode/test-cli configuration (`npx vscode-test`, after `npm run build`). The same compiled
// suite also runs through dist/test/extension/runTest.js and, where VS Code cannot be
// downloaded, in code-server (test/host/run-in-code-server.mjs).
import { defineConfig } from '@vscode/test-cli';
import fs from 'node:fs';

const manifest = JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const minimum = manifest.engines.vscode.replace(/^[\^~>=\s]+/, '');
const executable = process.env.VSCODE_EXECUTABLE;

const common = {
  files: 'dist/test/extension/**/*.test.js',
  workspaceFolder: 'test/fixtures/workspace',
  launchArgs: ['--disable-extensions'],
  mocha: { ui: 'tdd', timeout: 60_000, slow: 5_000 },
};

export default defineConfig(
  executable
    ? [{ ...common, label: 'vscode-executable', useInstallation: { fromPath: executable } }]
    : [
        { ...common, label: `vscode-${minimum}`, version: minimum },
        { ...common, label: 'vscode-stable', version: 'stable' },
      ],
);
