// Child process of woven-async.test.ts: plain node (no vitest transform, so V8's own async stack traces) runs a
// module woven by the real transformer against a built runtime (dist/runtime/index.js or the shipped bundle
// dist/apm-weaver.js), and prints what it saw as one JSON line.
// argv: <runtime module URL> <woven module URL>
import { AsyncLocalStorage } from 'node:async_hooks';

const [runtimeUrl, wovenUrl] = process.argv.slice(2);
const runtime = await import(runtimeUrl);
// Each scenario runs in a context of its own, so a transaction never leaks into the next (as test/runtime's isolated),
// through the storage every copy of the runtime shares (runtime/context.ts), so that the bundle works as well.
const { storage } = globalThis[Symbol.for('apm-weaver.runtime.v1')];
// Called as plain functions, not as methods of the namespace (which V8 would print as `Module.handleCheckout`).
const { handleCheckout, handleNow, spans, plain, arrow, plainFails, fails } = await import(wovenUrl);

const transport = new runtime.MemoryTransport();
new runtime.Client({ serviceName: 'woven-async', transport, logLevel: 'error' });

/** Runs one scenario in a fresh context: the error the app saw, and the events the runtime reported for it. */
async function scenario(inTransaction, run) {
  const before = transport.events.length;
  let stack = '';
  if (inTransaction) runtime.beginTransaction('request');
  try {
    await run();
  } catch (error) {
    stack = error.stack;
    runtime.captureException(error);
  }
  if (inTransaction) runtime.endTransaction('t');
  const events = transport.events.slice(before);
  const error = events.find((e) => e.kind === 'error')?.event;
  return {
    stack,
    frames: error?.exception.stacktrace.map((f) => ({ function: f.function, filename: f.filename, lineno: f.lineno })),
    culprit: error?.culprit,
    spans: events.filter((e) => e.kind === 'span').map((e) => ({ name: e.event.name, outcome: e.event.outcome })),
  };
}

async function ticksUntilSettled(promise) {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  let count = 0;
  while (!settled) {
    await null;
    count++;
  }
  return count;
}

async function ticks(inTransaction) {
  if (inTransaction) runtime.beginTransaction('ticks');
  const result = {
    plain: await ticksUntilSettled(plain(1)),
    woven: await ticksUntilSettled(arrow(1)),
    plainRejected: await ticksUntilSettled(plainFails()),
    wovenRejected: await ticksUntilSettled(fails()),
  };
  if (inTransaction) runtime.endTransaction('t');
  return result;
}

async function context() {
  const seen = [];
  const self = { me: true };
  runtime.beginTransaction('request');
  const transactionId = runtime.getTransactionId();
  const theirs = new AsyncLocalStorage();
  const pending = theirs.run('their value', () => spans.call(self, seen, theirs, 'args'));
  // The body suspended at its await: the caller is back in the transaction itself.
  const callerAfterCall = { span: runtime.getSpanId(), transaction: runtime.getTransactionId() };
  const result = await pending;
  const callerAfterAwait = { span: runtime.getSpanId(), transaction: runtime.getTransactionId() };
  runtime.endTransaction('t');
  const span = transport.events.find((e) => e.kind === 'span' && e.event.name === 'spans')?.event;
  return {
    transactionId,
    callerAfterCall,
    callerAfterAwait,
    seen,
    spanId: span?.id,
    spanOutcome: span?.outcome,
    sameThis: result.self === self,
    argumentsLength: result.count,
  };
}

const isolated = (fn) => storage.run(undefined, fn);
const results = {};
for (const inTransaction of [true, false]) {
  results[inTransaction ? 'inTransaction' : 'noTransaction'] = {
    later: await isolated(() => scenario(inTransaction, () => handleCheckout(500))),
    now: await isolated(() => scenario(inTransaction, () => handleNow(500))),
    ticks: await isolated(() => ticks(inTransaction)),
  };
}
results.context = await isolated(context);
process.stdout.write(`${JSON.stringify({ node: process.version, results })}\n`);
