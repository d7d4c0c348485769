// The events an intake server received: a bounded window of the newest ones, plus listeners.
import type { IntakeEventKind } from './intake-schemas.js';

export interface IntakeEvent {
  kind: IntakeEventKind;
  data: Record<string, unknown>;
  /** The metadata line of the request that carried the event. */
  metadata: Record<string, unknown>;
  /** Date.now() when the server accepted it. */
  receivedAt: number;
}

export type IntakeEventListener = (event: IntakeEvent) => void;

export class EventStore {
  private kept: IntakeEvent[] = [];
  private readonly listeners = new Set<IntakeEventListener>();

  constructor(private readonly maxEvents: number) {}

  add(event: IntakeEvent): void {
    this.kept.push(event);
    // Trim in chunks so a full store does not shift the array on every event.
    if (this.kept.length > this.maxEvents + Math.max(16, this.maxEvents >> 3)) {
      this.kept = this.kept.slice(this.kept.length - this.maxEvents);
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a subscriber's bug must not break intake
      }
    }
  }

  /** A copy of the newest events, oldest first. */
  events(): IntakeEvent[] {
    const start = Math.max(0, this.kept.length - this.maxEvents);
    return this.kept.slice(start);
  }

  subscribe(listener: IntakeEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves with all kept events once the predicate holds; rejects after timeoutMs. */
  waitFor(predicate: (events: IntakeEvent[]) => boolean, timeoutMs: number): Promise<IntakeEvent[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const events = this.events();
        if (!predicate(events)) return false;
        resolve(events);
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        unsubscribe();
        reject(
          new Error(`intake: condition not met within ${timeoutMs} ms; received ${describe(this.events())}`),
        );
      }, timeoutMs);
      const unsubscribe = this.subscribe(() => {
        if (!check()) return;
        clearTimeout(timer);
        unsubscribe();
      });
    });
  }
}

function describe(events: IntakeEvent[]): string {
  if (events.length === 0) return 'no events';
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}
