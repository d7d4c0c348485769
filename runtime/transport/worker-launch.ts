// Finding and starting the transport worker's thread. Its entry file sits next to the runtime's module
// (dist/runtime/transport/, or dist/ beside the bundled package entry); a runtime bundled into an application
// has no such file, and then the transport runs in-thread.
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../config-types.js';
import { nodeFs } from '../lazy-builtins.js';
import { type FromWorker, WORKER_FILE, type WorkerSetup } from './worker-protocol.js';

/**
 * A process-wide override of where the worker entry is, for setups where it does not sit next to the runtime
 * (the runtime's own tests run it from its TypeScript sources and point here at the built file).
 */
export const TRANSPORT_WORKER_FILE: unique symbol = Symbol.for('apm-weaver.transportWorkerFile') as never;

/** The worker entry if it exists; undefined when the runtime was bundled into an app without it. */
export function findWorkerFile(given: URL | undefined): URL | undefined {
  try {
    const override = (globalThis as { [TRANSPORT_WORKER_FILE]?: unknown })[TRANSPORT_WORKER_FILE];
    const file =
      given ?? (override instanceof URL ? override : undefined) ?? new URL(WORKER_FILE, moduleUrl());
    return file.protocol === 'file:' && nodeFs().existsSync(file) ? file : undefined;
  } catch {
    return undefined; // import.meta.url is no URL in a CommonJS bundle
  }
}

/**
 * This module's URL, read apart from `new URL(...)`: webpack and rspack treat `new URL(<not a literal>,
 * import.meta.url)` as "any file of this folder" and emitted every file of dist/ into the application's build.
 */
function moduleUrl(): string {
  const url = import.meta.url;
  return url;
}

let missingWorkerReported = false;

/** Says once per process that events are sent from the main thread; not when the runtime runs from its TypeScript
 * sources (its tests, TypeScript loaders), where no built worker can be next to this module. */
export function reportMissingWorker(logger: Logger, fileWasGiven: boolean): void {
  if (missingWorkerReported || (!fileWasGiven && String(import.meta.url).endsWith('.ts'))) return;
  missingWorkerReported = true;
  logger.debug(
    `the transport worker file ${WORKER_FILE} is not next to the runtime: sending from the main thread`,
  );
}

export interface WorkerHandlers {
  onMessage(message: FromWorker): void;
  /** The thread failed or ended without being asked to. */
  onStop(reason: string): void;
}

/** Starts the worker thread; it never keeps the process alive. Throws what `new Worker` throws. */
export function launchWorker(file: URL, setup: WorkerSetup, handlers: WorkerHandlers): Worker {
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  // The application's --import / --require hooks (apm-weaver/register among them) have no business in this thread:
  // no execArgv, and NODE_OPTIONS without them (a worker runs the preloads NODE_OPTIONS names, not execArgv's).
  const env: Record<string, string | undefined> = { ...process.env };
  const nodeOptions = withoutPreloads(env.NODE_OPTIONS);
  if (nodeOptions === undefined) delete env.NODE_OPTIONS;
  else env.NODE_OPTIONS = nodeOptions;
  const worker = new Worker(file, { workerData: setup, execArgv: [], env });
  worker.on('message', (message: FromWorker) => handlers.onMessage(message));
  worker.on('error', (error: Error) => handlers.onStop(`the transport worker failed: ${error.message}`));
  worker.on('exit', (code: number) => handlers.onStop(`the transport worker stopped (exit code ${code})`));
  // After the listeners: adding a 'message' listener refs the worker again.
  worker.unref();
  return worker;
}

const PRELOAD_FLAG = /^(?:--import|--require|-r|--loader|--experimental-loader)$/;

/** NODE_OPTIONS minus the flags that load modules, with their values; undefined when nothing is left. */
export function withoutPreloads(nodeOptions: string | undefined): string | undefined {
  if (nodeOptions === undefined) return undefined;
  // Node splits NODE_OPTIONS on spaces, with double quotes grouping (and keeping) a value that has spaces.
  const tokens = nodeOptions.match(/(?:[^\s"]+|"(?:[^"\\]|\\.)*")+/g) ?? [];
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const flag = token.split('=', 1)[0] as string;
    if (!PRELOAD_FLAG.test(flag)) kept.push(token);
    else if (!token.includes('=')) i++; // the value is the next token
  }
  return kept.length > 0 ? kept.join(' ') : undefined;
}
