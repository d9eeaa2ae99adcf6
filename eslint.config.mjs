// @ts-check
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers README promises, enforced: pure math imports nothing; the host side of a run
 * (session, extension) talks to the engines only through the protocol and a worker; the
 * webview shares only the protocol and pure code (the number formatter, src/core) with the host.
 */
const layers = [
  { target: './src/core', from: './src', except: ['./core'], message: 'src/core is pure math: it imports nothing outside src/core.' },
  { target: './src/definition', from: ['./src/training', './src/session', './src/extension', './src/cli', './src/bench'], message: 'src/definition is the loss-file API: it does not import the engines or the hosts.' },
  { target: ['./src/session', './src/extension'], from: './src/training', message: 'the host side reaches the engines only through a worker and src/protocol.ts.' },
  // Pure code only: the protocol, the number formatter and src/core (which imports nothing else).
  { target: './webview', from: './src', except: ['./protocol.ts', './compareProtocol.ts', './numberFormat.ts', './core'], message: 'the webview shares only the protocols (src/protocol.ts, src/compareProtocol.ts) and pure code (src/numberFormat.ts, src/core) with the host.' },
  { target: './src', from: './webview', message: 'host code does not import the webview.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/fixtures/**', 'examples/**', 'test-results/**', 'bench/**/*.py', 'src/training/fused/assembly/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', {
        selector: "TSAsExpression > TSTypeReference.typeAnnotation[typeName.name='Error']",
        message: 'A thrown value need not be an Error (`throw null`): turn it into text with describeThrown (src/errors.ts).',
      }],
    },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'webview/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layers }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/numberFormat.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'pure code (src/core, src/numberFormat.ts): no packages, no Node, no vscode, no tfjs.' }] }] },
  },
  {
    files: ['src/session/**/*.ts', 'src/extension/**/*.ts', 'webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@tensorflow/*'], message: 'tfjs runs in the training worker only.' }] }] },
  },
  {
    // The CLI, test drivers and build scripts talk to a terminal.
    files: ['src/cli/**', 'test/**', 'esbuild.js', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
