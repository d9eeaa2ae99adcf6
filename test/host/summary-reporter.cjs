// Mocha's spec reporter followed by one machine-readable line that test/run-all.mjs adds up.
// Usage: mocha --reporter test/host/summary-reporter.cjs
const Mocha = require('mocha');

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options); // registers the spec epilogue first, so this line comes last
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      console.log(`UNIT-TESTS: ${passes} passed, ${failures} failed, ${pending} skipped`);
    });
  }
}

module.exports = SpecWithSummary;
