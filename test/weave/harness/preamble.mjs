// Runs one fixture program inside a transaction, with a MemoryTransport client, and reports what it observed.
// Used for the original and the woven program alike, so both run under exactly the same conditions.
// stdout: the program's own output, plus one `THROWN ...` / `UNCAUGHT ...` / `UNHANDLED ...` line per error.
// WEAVE_SPANS (a file): the spans the client recorded, as JSON.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Client, MemoryTransport } from 'apm-weaver';

const entry = process.env.WEAVE_ENTRY;
const spansFile = process.env.WEAVE_SPANS;
const transport = new MemoryTransport();
const client = new Client({ serviceName: 'weave-fixtures', transport, logLevel: 'off' });

function describeThrown(value) {
  if (value instanceof Error) return `${value.constructor?.name ?? 'Error'} ${value.name}: ${value.message}`;
  try {
    return `${typeof value} ${JSON.stringify(value)}`;
  } catch {
    return `${typeof value} ${String(value)}`;
  }
}

process.on('uncaughtException', (error) => console.log(`UNCAUGHT ${describeThrown(error)}`));
process.on('unhandledRejection', (reason) => console.log(`UNHANDLED ${describeThrown(reason)}`));

const transaction = client.beginTransaction('fixture');
let finished = false;
process.on('beforeExit', () => {
  if (finished) return;
  finished = true;
  transaction?.end();
  writeFileSync(spansFile, JSON.stringify({ transactionId: transaction?.id, spans: transport.spans }));
});

try {
  await import(pathToFileURL(entry).href);
} catch (error) {
  console.log(`THROWN ${describeThrown(error)}`);
}
