// Errors nobody caught (a throwing request handler, a rejected async handler) are reported with the
// ids of the transaction they escaped from. 'uncaughtExceptionMonitor' only observes: Node's own
// behaviour (the process exits unless the application handles the error) stays exactly as it was.
// Node runs the monitor in the async context of the throw (for a rejection: of the promise), so the
// current transaction is the handler's.
import { getClient } from '../api.js';

export function onUncaughtException(error: unknown): void {
  const client = getClient();
  if (client === undefined || !client.isActive) return;
  client.captureException(error, { handled: false });
}
