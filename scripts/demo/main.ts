// `npm run demo`: the whole product in one command. Builds the demo shop with the real esbuild plugin,
// starts the local intake and trace page (what `apm-weaver serve` runs), starts the shop against it,
// sends a few requests (one of them fails), prints the waterfalls that arrive and exits 0 only when
// every expected trace arrived. `--keep` leaves the page and the shop running for a look around.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startWeaverServer, type WeaverServer } from '../../server/ui/serve.js';
import { buildDemoService } from './build-service.js';
import { ensureDistBuilt } from './dist-build.js';
import { EXPECTED_TRACES, matchExpected } from './expected-traces.js';
import { DemoError, failureReport, traceText } from './report.js';
import { type ServiceProcess, startService } from './service-process.js';
import { TraceCollector } from './trace-collector.js';
import { runWorkload } from './workload.js';

export const DEMO_USAGE = `Usage: npm run demo -- [--keep] [--timeout 20] [--port 0] [--events <file>]

  --keep            leave the trace page and the demo shop running until Ctrl+C
  --timeout <s>     how long to wait for the expected traces (default 20)
  --port <n>        port of the local intake and trace page (default 0: a free one)
  --events <file>   also write every event the intake received to <file> (NDJSON)`;

interface DemoArguments {
  keep: boolean;
  timeoutMs: number;
  port: number;
  eventsFile?: string;
  help: boolean;
}

export function parseDemoArguments(args: string[]): DemoArguments {
  const { values } = parseArgs({
    args,
    options: {
      keep: { type: 'boolean' },
      timeout: { type: 'string' },
      port: { type: 'string' },
      events: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const timeout = Number(values.timeout ?? 20);
  const port = Number(values.port ?? 0);
  if (!(timeout > 0))
    throw new Error(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535`);
  return {
    keep: values.keep === true,
    timeoutMs: timeout * 1000,
    port,
    eventsFile: values.events,
    help: values.help === true,
  };
}

function useColour(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

const say = (line = '') => process.stdout.write(`${line}\n`);

/**
 * Ctrl+C or SIGTERM at any point stops the shop and the server before the demo exits. While the
 * page is kept open (--keep) a signal is the normal way out; before that it aborts the run.
 */
class Signals {
  #onSignal: (signal: NodeJS.Signals) => void = () => {};
  readonly #handler = (signal: NodeJS.Signals) => this.#onSignal(signal);

  constructor() {
    process.on('SIGINT', this.#handler);
    process.on('SIGTERM', this.#handler);
  }

  set onSignal(handler: (signal: NodeJS.Signals) => void) {
    this.#onSignal = handler;
  }

  next(): Promise<NodeJS.Signals> {
    return new Promise((resolve) => {
      this.#onSignal = resolve;
    });
  }

  dispose(): void {
    process.off('SIGINT', this.#handler);
    process.off('SIGTERM', this.#handler);
  }
}

export async function runDemo(args: string[], repoRoot: string): Promise<number> {
  let options: DemoArguments;
  try {
    options = parseDemoArguments(args);
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n${DEMO_USAGE}\n`);
    return 2;
  }
  if (options.help) {
    say(DEMO_USAGE);
    return 0;
  }
  const colour = useColour();
  const collector = new TraceCollector();
  let server: WeaverServer | undefined;
  let shop: ServiceProcess | undefined;
  const cleanUp = async () => {
    await shop?.stop();
    await server?.close();
  };
  const signals = new Signals();
  signals.onSignal = (signal) => {
    process.stderr.write(`demo: ${signal}, stopping\n`);
    cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  try {
    say('apm-weaver demo');
    ensureDistBuilt(repoRoot, (line) => say(`  ${line}`));
    say('  weaving fixtures/demo with esbuild + apm-weaver/esbuild:');
    const shopFile = await buildDemoService(join(repoRoot, 'fixtures/demo'));

    server = await startWeaverServer({
      port: options.port,
      quietMs: 500,
      onFinishedTrace: (finished) => {
        process.stdout.write(traceText(finished, colour));
        collector.add(finished);
      },
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      throw new DemoError(`port ${options.port} is in use; pick another with --port, or 0 for a free one`);
    });
    const { eventsFile } = options;
    if (eventsFile) {
      writeFileSync(eventsFile, '');
      server.intake.subscribe((event) => appendFileSync(eventsFile, `${JSON.stringify(event)}\n`));
    }
    const base = server.url.replace(/\/+$/, '');
    say(`  local intake and trace page: ${base}/`);
    shop = await startService({ file: shopFile, intakeUrl: base });
    say(`  demo shop: ${shop.url} (pid ${shop.pid}), sending to ${base}/intake/v2/events`);

    say('  workload:');
    const results = await runWorkload(shop.url, EXPECTED_TRACES);
    for (const result of results) say(`    ${result.ok ? ' ' : '!'} ${result.line}`);
    // Without --keep the shop stops now: a graceful stop sends what it still holds.
    if (!options.keep) await shop.stop();

    await collector.waitFor((waterfalls) => matchExpected(waterfalls).every(Boolean), options.timeoutMs);
    say();
    const failure = failureReport({
      received: collector.waterfalls,
      expected: EXPECTED_TRACES,
      workload: results,
      timeoutMs: options.timeoutMs,
      shopStderr: shop.stderr(),
    });
    if (failure !== undefined) {
      process.stderr.write(failure);
      return 1;
    }
    say(`demo ok: all ${EXPECTED_TRACES.length} expected traces arrived.`);
    say(`trace page: ${base}/`);
    if (options.keep) {
      say(`demo shop: ${shop.url}`);
      say(`  try: curl ${shop.url}/orders/42`);
      say(`       curl -X POST ${shop.url}/orders/13/checkout   (fails: card declined)`);
      say('Both keep running; Ctrl+C to stop.');
      await signals.next();
    }
    return 0;
  } catch (error) {
    const message = error instanceof DemoError ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`demo failed: ${message}\n`);
    return 1;
  } finally {
    signals.dispose();
    await cleanUp();
  }
}
