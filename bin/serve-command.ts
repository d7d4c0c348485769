// `apm-weaver serve`: starts the local intake with the trace page, prints where to point agents,
// then prints every finished trace as a text waterfall until stopped.
import { parseArgs } from 'node:util';
import { isLoopback, startWeaverServer } from '../server/ui/serve.js';
import { type FinishedTrace, renderTraceText } from '../server/waterfall/index.js';

export const SERVE_USAGE = `Usage: apm-weaver serve [--port 8200] [--host 127.0.0.1] [--max-traces 100]

Runs a local Elastic APM intake (POST /intake/v2/events) with a trace viewer at /.
Point an agent at it with ELASTIC_APM_SERVER_URL=http://127.0.0.1:8200.

Options:
  -p, --port <n>        port to listen on (default 8200; 0 picks a free one)
      --host <addr>     address to bind (default 127.0.0.1, loopback only)
      --max-traces <n>  traces kept in memory for the page (default 100)
  -h, --help            show this help

A trace is printed once its root transaction has arrived and no event came for it for 1 s.`;

export class UsageError extends Error {}

interface ServeArguments {
  port: number;
  host: string;
  maxTraces: number;
  help: boolean;
}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

export function parseServeArguments(args: string[]): ServeArguments {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'max-traces': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  return {
    port: integer('port', text('port'), 8200, 0, 65535),
    host: text('host') ?? '127.0.0.1',
    maxTraces: integer('max-traces', text('max-traces'), 100, 1, 100_000),
    help: values.help === true,
  };
}

function useColour(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

function printFinished(finished: FinishedTrace, colour: boolean): void {
  const notes: string[] = [];
  if (finished.update) notes.push('updated: more events arrived after it was printed');
  if (!finished.complete) notes.push('incomplete: its root transaction never arrived');
  const note = notes.length > 0 ? `(${notes.join('; ')})\n` : '';
  process.stdout.write(`\n${note}${renderTraceText(finished.waterfall, { color: colour })}`);
}

export async function runServe(args: string[]): Promise<void> {
  const options = parseServeArguments(args);
  if (options.help) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return;
  }
  const colour = useColour(process.stdout);
  let server: Awaited<ReturnType<typeof startWeaverServer>>;
  try {
    server = await startWeaverServer({
      port: options.port,
      host: options.host,
      maxTraces: options.maxTraces,
      onFinishedTrace: (finished) => printFinished(finished, colour),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new UsageError(
        `port ${options.port} on ${options.host} is in use (an APM Server or another apm-weaver serve?); try --port 0`,
      );
    }
    throw error;
  }
  // Handlers go in before the banner: whoever reads the banner may stop us right away.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const base = server.url.replace(/\/+$/, '');
  const banner = [
    'apm-weaver serve: local APM intake and trace viewer',
    `  traces page  ${base}/`,
    `  intake       ${base}/intake/v2/events`,
    `  agents       ELASTIC_APM_SERVER_URL=${base}`,
  ];
  if (!isLoopback(options.host))
    banner.push(`  warning: bound to ${options.host}, reachable from other machines`);
  banner.push('Waiting for traces (Ctrl+C to stop)...');
  process.stdout.write(`${banner.join('\n')}\n`);
  await stopped;
}
