// Generator wrappers for woven generator functions. The span starts at the first step and ends when
// the generator is done, throws, or is returned; every step runs with the span current.
import { type Segment, storage } from './context.js';
import type { Span } from './span.js';

/** Anything that can start a span under a parent (a WovenSpanSpec). */
export interface SpanStarter {
  start(parent: Segment): Span;
}

const NEXT = 0;
const THROW = 1;
const RETURN = 2;
type StepKind = typeof NEXT | typeof THROW | typeof RETURN;

abstract class SpanSteps {
  private span: Span | undefined = undefined;

  constructor(
    private readonly spec: SpanStarter,
    protected readonly parent: Segment,
  ) {}

  protected spanForStep(): Span {
    if (this.span === undefined) this.span = this.spec.start(this.parent);
    return this.span;
  }
}

export class WovenIterator<T, R, N> extends SpanSteps {
  constructor(
    spec: SpanStarter,
    parent: Segment,
    private readonly it: Generator<T, R, N>,
  ) {
    super(spec, parent);
  }

  next(value: N): IteratorResult<T, R> {
    return this.step(NEXT, value);
  }

  throw(error: unknown): IteratorResult<T, R> {
    return this.step(THROW, error);
  }

  return(value: R): IteratorResult<T, R> {
    return this.step(RETURN, value);
  }

  [Symbol.iterator](): this {
    return this;
  }

  private step(kind: StepKind, arg: unknown): IteratorResult<T, R> {
    const span = this.spanForStep();
    const previous = storage.getStore();
    let result: IteratorResult<T, R>;
    storage.enterWith(span);
    try {
      const it = this.it;
      result = kind === NEXT ? it.next(arg as N) : kind === THROW ? it.throw(arg) : it.return(arg as R);
    } catch (error) {
      span.outcome = 'failure';
      span.end();
      throw error;
    } finally {
      storage.enterWith(previous);
    }
    if (result.done) span.end();
    return result;
  }
}

export class WovenAsyncIterator<T, R, N> extends SpanSteps {
  constructor(
    spec: SpanStarter,
    parent: Segment,
    private readonly it: AsyncGenerator<T, R, N>,
  ) {
    super(spec, parent);
  }

  next(value: N): Promise<IteratorResult<T, R>> {
    return this.step(NEXT, value);
  }

  throw(error: unknown): Promise<IteratorResult<T, R>> {
    return this.step(THROW, error);
  }

  return(value: R): Promise<IteratorResult<T, R>> {
    return this.step(RETURN, value);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private step(kind: StepKind, arg: unknown): Promise<IteratorResult<T, R>> {
    const span = this.spanForStep();
    const previous = storage.getStore();
    let pending: Promise<IteratorResult<T, R>>;
    storage.enterWith(span);
    try {
      const it = this.it;
      pending = kind === NEXT ? it.next(arg as N) : kind === THROW ? it.throw(arg) : it.return(arg as R);
    } catch (error) {
      // Only a broken async iterator throws synchronously; behave as the generator would have.
      span.outcome = 'failure';
      span.end();
      throw error;
    } finally {
      storage.enterWith(previous);
    }
    pending.then(
      (result) => {
        if (result.done) span.end();
      },
      () => {
        span.outcome = 'failure';
        span.end();
      },
    );
    return pending;
  }
}
