// instrument(): automatic HTTP server transactions and outgoing http/fetch spans from
// node:diagnostics_channel. Not implemented yet (issue 6): today it does nothing, returns false
// (meaning "nothing was instrumented"), and says so once at debug level.
import { getClient } from './api.js';

let announced = false;

/** Subscribes to Node's diagnostics channels (not yet: returns false and instruments nothing). */
export function instrument(): boolean {
  if (!announced) {
    announced = true;
    getClient()?.logger.debug('instrument() is not implemented yet: no automatic instrumentation is active');
  }
  return false;
}
