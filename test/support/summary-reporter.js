/**
 * Prints one plain closing line, `jest: N passed, N failed, N skipped`, that CI tools read the
 * count from (jest's own summary is not in a form they know).
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
