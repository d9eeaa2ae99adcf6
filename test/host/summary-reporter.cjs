// Mocha's spec reporter followed by one machine-readable line that test/run-all.mjs adds up
// (key=value, so that CI does not mistake it for the overall `N passed, M failed` line).
// Usage: mocha --reporter test/host/summary-reporter.cjs
// Mocha loads reporters with require(), so this file is CommonJS.
const Mocha = require('mocha');

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options); // registers the spec epilogue first, so this line comes last
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      console.log(`UNIT-TESTS: passed=${passes} failed=${failures} skipped=${pending}`);
    });
  }
}

module.exports = SpecWithSummary;
