// What the application thread and the transport worker say to each other, besides the ring itself.
import type { AgentConfig } from '../config-types.js';
import type { HttpTransportOptions } from './http-transport.js';

/** Bumped whenever the ring layout or these messages change: a worker file from another version refuses to run. */
export const WORKER_PROTOCOL = 1;

/** The worker entry's file name, next to the module that starts it (dist/runtime/transport/, or dist/ bundled). */
export const WORKER_FILE = 'apm-weaver-transport-worker.js';

export interface WorkerSetup {
  protocol: number;
  buffer: SharedArrayBuffer;
  config: AgentConfig;
  options: Omit<HttpTransportOptions, 'metadata'>;
  /** Built on the application thread: process.argv and title are that thread's. */
  metadata: Record<string, unknown>;
}

/** Application thread to worker. */
export type ToWorker =
  /** Deliver every event up to `target` (a count of events written), then answer `flushed`. */
  | { type: 'flush'; target: number }
  /** Flush, close the HTTP transport, answer `closed`. */
  | { type: 'close' };

/** Worker to application thread. */
export type FromWorker =
  | { type: 'log'; level: 'error' | 'warn' | 'info' | 'debug'; message: string }
  | { type: 'flushed'; target: number }
  | { type: 'closed' }
  /** The worker file belongs to another version of the runtime. */
  | { type: 'incompatible'; protocol: number };
