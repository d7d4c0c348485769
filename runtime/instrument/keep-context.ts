// Keeps the request's transaction current in the request's and response's event listeners.
//
// Why: Node 24 runs AsyncLocalStorage on AsyncContextFrame. A store entered (enterWith) while
// `http.server.request.start` is published lasts for that one callback only: later body chunks,
// 'end', 'finish' or 'drain' arrive in fresh callbacks of the connection's parser or socket, which
// restore the frame captured when the connection opened. (Node 20's async_hooks storage keeps the
// store on the parser's resource, so there it lasts.)
//
// How, without replacing anything: when the application adds a listener for one of these events,
// the emitter announces it with 'newListener'; we then put one listener of our own in front (once
// per event) that re-enters the transaction, so every listener after it in that emit, and all the
// async work they start, sees it. Listeners are only added for events the application listens to,
// so no stream changes mode ('readable' and 'error' are left alone for that reason).
import type { EventEmitter } from 'node:events';
import { enterSegment, type Segment } from '../context.js';

const EVENTS: ReadonlySet<string | symbol> = new Set(['data', 'end', 'close', 'aborted', 'finish', 'drain']);

export function keepSegmentInListeners(emitter: EventEmitter, segment: Segment): void {
  const covered = new Set<string | symbol>();
  const reenter = () => enterSegment(segment);
  emitter.on('newListener', (event: string | symbol, listener: unknown) => {
    if (listener === reenter || !EVENTS.has(event) || covered.has(event)) return;
    covered.add(event);
    emitter.prependListener(event, reenter);
  });
}
