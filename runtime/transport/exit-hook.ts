// One process-wide `beforeExit` listener shared by every transport, so many clients (tests make
// dozens) do not pile up listeners and trip Node's MaxListenersExceeded warning.
const hooks = new Set<() => void>();

function runHooks(): void {
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      // one transport's trouble must not stop the others from flushing
    }
  }
}

/** Calls `hook` each time the event loop runs dry; returns the function that unregisters it. */
export function onBeforeExit(hook: () => void): () => void {
  if (hooks.size === 0) process.on('beforeExit', runHooks);
  hooks.add(hook);
  return () => {
    if (!hooks.delete(hook)) return;
    if (hooks.size === 0) process.off('beforeExit', runHooks);
  };
}

/**
 * A transport's `beforeExit` flush, holding the process at most `capMs`: a referenced timer keeps the event loop
 * alive while the flush runs (transports unref their sockets and their worker). When a flush gave up at the cap,
 * the next `beforeExit` with no new events does not try again: a server that never answers would otherwise hold
 * the process forever, one cap at a time.
 */
export class CappedExitFlush {
  private gaveUpAt = -1;

  constructor(private readonly capMs: number) {}

  /** Flushes unless `accepted()` (events taken so far) is where the last flush gave up. */
  run(accepted: () => number, flush: () => Promise<void>): void {
    if (accepted() === this.gaveUpAt) return;
    const cap = setTimeout(() => {
      this.gaveUpAt = accepted();
    }, this.capMs);
    void flush().then(() => clearTimeout(cap));
  }
}
