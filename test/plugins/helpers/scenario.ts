// The bundle scenario's expected trace, checked the same way for every bundler, the --import hook and tspc.
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { assertValidIntake } from '../../helpers/intake-schema.js';
import { startLocalIntake } from '../../helpers/local-intake.js';
import { expectSuccess, runProcess } from '../../helpers/processes.js';
import { repoRoot } from '../../helpers/spec.js';

export const FIXTURE_DIR = join(repoRoot, 'fixtures/bundle-app');
/** Where `throw new Error(...)` stands in fixtures/bundle-app/src/orders/order-service.ts. */
export const THROW_SITE = { file: 'src/orders/order-service.ts', line: 26, column: 13 };
/** handleRequest, OrderService.load/.validate/.total ("Order total"), priceWithTax and roundCents (by rule). */
export const WOVEN_REPORT = '[apm-weaver] 6 functions woven in 3 files';

type Data = Record<string, unknown>;

export interface ScenarioRun {
  stdout: string;
  transactions: Data[];
  spans: Data[];
  errors: Data[];
}

/** Runs the built app under plain node (maps on, so frames are the TypeScript ones) against a fresh local intake. */
export async function runScenario(
  script: string,
  options: { node?: string; nodeArgs?: string[]; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ScenarioRun> {
  const intake = await startLocalIntake();
  try {
    const env = { ...process.env, ...options.env, ELASTIC_APM_SERVER_URL: intake.url };
    const result = await runProcess(
      options.node ?? process.execPath,
      ['--enable-source-maps', ...(options.nodeArgs ?? []), script],
      {
        cwd: options.cwd ?? dirname(script),
        env,
      },
    );
    expectSuccess(result, `node ${script}`);
    expect(result.stdout).toContain('{"statuses":[200,500]}');
    await intake.waitForEvents(
      (events) =>
        events.filter((e) => e.kind === 'transaction').length >= 2 && events.some((e) => e.kind === 'error'),
      10_000,
    );
    for (const event of intake.events()) {
      if (event.kind !== 'log') assertValidIntake(event.kind, event.data);
    }
    return {
      stdout: result.stdout,
      transactions: intake.dataOf('transaction'),
      spans: intake.dataOf('span'),
      errors: intake.dataOf('error'),
    };
  } finally {
    await intake.close();
  }
}

/** Names, nesting, outcomes and types of both requests, and the captured error's TypeScript frame. */
export function expectScenarioTrace(run: ScenarioRun): void {
  const { transactions, spans, errors } = run;
  expect(transactions.map((t) => [t.name, t.result]).sort()).toEqual([
    ['GET /orders/:id', 'HTTP 2xx'],
    ['GET /orders/:id', 'HTTP 5xx'],
  ]);
  const ok = transactions.find((t) => t.result === 'HTTP 2xx') as Data;
  const failed = transactions.find((t) => t.result === 'HTTP 5xx') as Data;
  const spansOf = (tx: Data) => spans.filter((s) => s.transaction_id === tx.id);
  const one = (list: Data[], name: string) => {
    const found = list.filter((s) => s.name === name);
    expect(found, `one span "${name}"`).toHaveLength(1);
    return found[0] as Data;
  };

  // The successful request: handler > load > validate, handler > total > priceWithTax > roundCents (twice).
  const okSpans = spansOf(ok);
  expect(okSpans.map((s) => s.name).sort()).toEqual([
    'Order total',
    'OrderService.load',
    'OrderService.validate',
    'handleRequest',
    'priceWithTax',
    'priceWithTax',
    'roundCents',
    'roundCents',
  ]);
  const handler = one(okSpans, 'handleRequest');
  const load = one(okSpans, 'OrderService.load');
  const total = one(okSpans, 'Order total');
  expect(handler.parent_id).toBe(ok.id);
  expect(load.parent_id).toBe(handler.id);
  expect(one(okSpans, 'OrderService.validate').parent_id).toBe(load.id);
  expect(total.parent_id).toBe(handler.id);
  const prices = okSpans.filter((s) => s.name === 'priceWithTax');
  for (const price of prices) expect(price.parent_id).toBe(total.id);
  const priceIds = prices.map((p) => p.id);
  for (const round of okSpans.filter((s) => s.name === 'roundCents'))
    expect(priceIds).toContain(round.parent_id);
  for (const span of okSpans) expect(span.outcome, `${span.name} outcome`).toBe('success');
  expect([handler.type, handler.subtype]).toEqual(['app', 'handler']);
  expect([load.type, load.subtype, load.action]).toEqual(['db', 'memory', 'query']);
  for (const round of okSpans.filter((s) => s.name === 'roundCents'))
    expect([round.type, round.subtype]).toEqual(['code', 'custom']);

  // The failing request: validate throws inside the async load; the handler catches, captures and answers 500.
  const failedSpans = spansOf(failed);
  expect(failedSpans.map((s) => s.name).sort()).toEqual([
    'OrderService.load',
    'OrderService.validate',
    'handleRequest',
  ]);
  const failedHandler = one(failedSpans, 'handleRequest');
  expect(failedHandler.outcome).toBe('success');
  expect(one(failedSpans, 'OrderService.load').outcome).toBe('failure');
  expect(one(failedSpans, 'OrderService.validate').outcome).toBe('failure');

  expect(errors).toHaveLength(1);
  const error = errors[0] as Data;
  expect(error.transaction_id).toBe(failed.id);
  expect(error.parent_id).toBe(failedHandler.id);
  const exception = error.exception as { message: string; stacktrace: Array<Data> };
  expect(exception.message).toBe('invalid order id 0');
  expectTypeScriptFrame(exception.stacktrace[0]);
}

/** The top frame is the `throw` in the original TypeScript, not a line of the bundle or of woven code. */
export function expectTypeScriptFrame(frame: Data | undefined): void {
  expect(frame, 'a top stack frame').toBeDefined();
  const path = String((frame as Data).abs_path ?? (frame as Data).filename).replace(/\\/g, '/');
  expect(path.endsWith(THROW_SITE.file), `frame file ${path}`).toBe(true);
  expect((frame as Data).lineno).toBe(THROW_SITE.line);
  expect((frame as Data).colno).toBe(THROW_SITE.column);
}
