// Runs a library's own tape test files in this process, inside one sampled transaction, and writes a summary of the
// spans the client recorded. The unwoven and the woven copy of the library run under exactly this harness, so the
// only difference between the two runs is the weaving.
//   SUITE_TESTS  JSON array of absolute test file paths, required in this order (as tape's own bin does)
//   SUITE_REPORT file the span summary is written to when the process exits
// stdout is tape's TAP output, untouched.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Client } from 'apm-weaver';

const testFiles = JSON.parse(process.env.SUITE_TESTS ?? '[]');
const reportFile = process.env.SUITE_REPORT;

/**
 * Counts spans instead of keeping them: a woven suite reports hundreds of thousands. Keeps the first span of each
 * name (for schema checks by the test) and the facts the test asserts on.
 */
class CountingTransport {
  stats = { queued: 0, dropped: 0, failed: 0, sent: 0 };
  spanCount = 0;
  /** Spans whose parent is another span rather than the transaction: woven calls nested in woven calls. */
  nestedCount = 0;
  failureCount = 0;
  countByName = {};
  sampleByName = {};
  transactions = [];
  errors = 0;
  send(kind, event) {
    this.stats.queued++;
    this.stats.sent++;
    if (kind === 'transaction') this.transactions.push(event);
    if (kind === 'error') this.errors++;
    if (kind !== 'span') return;
    this.spanCount++;
    if (event.parent_id !== event.transaction_id) this.nestedCount++;
    if (event.outcome === 'failure') this.failureCount++;
    this.countByName[event.name] = (this.countByName[event.name] ?? 0) + 1;
    this.sampleByName[event.name] ??= JSON.parse(JSON.stringify(event));
  }
  flush() {
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
}

const transport = new CountingTransport();
// Unlimited spans per transaction: every woven call is reported, none only counted as dropped.
const client = new Client({ serviceName: 'real-world-suite', transport, logLevel: 'off', transactionMaxSpans: -1 });
const transaction = client.beginTransaction('test-suite');

process.on('exit', () => {
  transaction?.end();
  const { spanCount, nestedCount, failureCount, countByName, sampleByName, transactions, errors } = transport;
  const report = { transactionSampled: transaction?.sampled ?? false, transactions, errors };
  Object.assign(report, { spanCount, nestedCount, failureCount, countByName, sampleByName });
  writeFileSync(reportFile, JSON.stringify(report));
});

// tape's bin resolves tape and the test files from the working directory (the library's copy); so does this.
const require = createRequire(`${process.cwd()}/`);
for (const file of testFiles) require(file);
