// The unit tests, bundled by `npm run build` into dist/test/unit. The long training tests start
// first so the two parallel jobs finish together; every file is listed once (mocha runs a file
// named twice in `spec` twice).
const fs = require('node:fs');
const path = require('node:path');

const root = 'dist/test/unit';
const first = ['examples/claims.test.js', 'training/convergence.test.js', 'training/criticEstimates.test.js'].map((f) => path.join(root, f));
const all = fs.existsSync(root)
  ? fs.readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.test.js')).map((f) => path.join(root, f)).sort()
  : [];

module.exports = {
  spec: [...first.filter((f) => all.includes(f)), ...all.filter((f) => !first.includes(f))],
  parallel: true,
  jobs: 2,
  timeout: 60000,
  reporter: 'spec',
  'node-option': ['expose-gc'],
};
