// Runs a library's own test suite (`node suite-preamble.mjs <script> [args...]`) inside one transaction of a
// MemoryTransport client, so woven functions really record spans while the suite checks their behaviour.
// At exit, writes the number of spans recorded and started to WEAVE_SPANS.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Client, MemoryTransport } from 'apm-weaver';

const transport = new MemoryTransport();
const client = new Client({ serviceName: 'weave-real-world', transport, logLevel: 'off', transactionMaxSpans: 100000 });
process.on('exit', () => {
  transaction?.end();
  const [event] = transport.transactions;
  const started = event?.span_count?.started ?? 0;
  writeFileSync(process.env.WEAVE_SPANS, JSON.stringify({ recorded: transport.spans.length, started }));
});

// The script sees the command line it would see when run directly.
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
const transaction = client.beginTransaction('test-suite');
await import(pathToFileURL(script).href);
