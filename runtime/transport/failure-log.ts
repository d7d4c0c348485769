// Rate-limited reporting of intake failures (the logger adds the [apm-weaver] prefix): one warning when a failure streak starts, debug lines
// while it lasts, one info line when delivery recovers. Secrets never reach the log, even when a
// server or proxy echoes them back in its error text.
import type { Logger } from '../config-types.js';

export class FailureLog {
  private streak = 0;
  private lostInStreak = 0;
  private readonly secrets: string[];

  constructor(
    private readonly logger: Logger,
    private readonly displayUrl: string,
    secrets: (string | undefined)[],
  ) {
    this.secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  }

  /** Failures in the current streak (0 after a success). */
  get failures(): number {
    return this.streak;
  }

  failure(reason: string, lostEvents: number, retryInMs: number): void {
    this.streak++;
    this.lostInStreak += lostEvents;
    const text = this.redact(reason);
    const retry =
      retryInMs <= 0
        ? ''
        : retryInMs < 1000
          ? `, retrying in ${retryInMs} ms`
          : `, retrying in ${(retryInMs / 1000).toFixed(1)} s`;
    const lost = lostEvents > 0 ? `, ${lostEvents} events lost` : '';
    const line = `cannot send events to ${this.displayUrl}: ${text}${lost}${retry}`;
    if (this.streak === 1) this.logger.warn(line);
    else this.logger.debug(line);
  }

  /** Events given up without an attempt of their own (flushed while backing off). */
  lost(events: number): void {
    if (this.streak > 0) this.lostInStreak += events;
  }

  success(): void {
    if (this.streak > 0) {
      this.logger.info(
        `sending to ${this.displayUrl} works again after ${this.streak} failed attempts (${this.lostInStreak} events lost)`,
      );
    }
    this.streak = 0;
    this.lostInStreak = 0;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[REDACTED]');
    return out;
  }
}
