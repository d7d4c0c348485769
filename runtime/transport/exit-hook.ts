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
