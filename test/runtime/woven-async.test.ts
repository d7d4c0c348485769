// Woven async functions as the transformer writes them (woven-contract.md: the function returns the promise of its
// named body arrow, which wovenAsyncCall runs), run against the built runtime in plain node processes (vitest's own module transform would rewrite
// the stack traces): spans, context, settling ticks, and the error frames they fold into.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStack } from '../../runtime/stack.js';
import { weave } from '../../transformer/index.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { expectSuccess, runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';
import type { Json } from './helpers.js';

const SOURCE = `
export class Gateway {
  // @apm-span
  async later(amount) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (amount > 100) throw new Error('declined later');
    return amount;
  }
  // @apm-span
  async now(amount) {
    if (amount > 100) throw new Error('declined now');
    await null;
    return amount;
  }
}
export async function handleCheckout(amount) {
  return await new Gateway().later(amount);
}
export async function handleNow(amount) {
  return await new Gateway().now(amount);
}
// @apm-span
export async function spans(seen, theirs) {
  seen.push(['start', getSpanId(), theirs.getStore()]);
  await null;
  seen.push(['after await', getSpanId(), theirs.getStore()]);
  return { self: this, count: arguments.length };
}
// @apm-span
export const arrow = async (x) => x + 1;
export async function plain(x) {
  return x + 1;
}
export async function plainFails() {
  throw new Error('plain');
}
// @apm-span
export async function fails() {
  throw new Error('woven');
}
`;

// The children load a built runtime, as every child-process test does: dist/runtime (tsc's output) and the shipped
// bundle dist/apm-weaver.js (the package entry; its function names must survive bundling for the frames to fold).
const RUNTIMES = ['dist/runtime/index.js', 'dist/apm-weaver.js'];
const binaries = nodeBinaries();
const dir = join(repoRoot, 'test-artifacts', 'woven-async');
const wovenFiles = RUNTIMES.map((runtime, i) => {
  const runtimeUrl = pathToFileURL(join(repoRoot, runtime)).href;
  const woven = weave(
    `import { getSpanId } from ${JSON.stringify(runtimeUrl)};\n${SOURCE}`,
    'woven-async.js',
    {
      runtime: runtimeUrl,
    },
  );
  const name = `woven-${process.pid}-${i}.mjs`;
  return {
    runtime,
    runtimeUrl,
    code: woven?.code ?? '',
    path: join(dir, name),
    relative: `test-artifacts/woven-async/${name}`,
  };
});
const lines = (wovenFiles[0]?.code ?? '').split('\n');
/** The same line in every woven file: only the runtime specifier differs. */
const lineOf = (text: string) => lines.findIndex((line) => line.includes(text)) + 1;
const child = fileURLToPath(new URL('./woven-async-child.mjs', import.meta.url));

interface Scenario {
  stack: string;
  frames: Array<{ function?: string; filename: string; lineno?: number }>;
  culprit: string;
  spans: Array<{ name: string; outcome: string }>;
}
interface ModeResults {
  later: Scenario;
  now: Scenario;
  ticks: { plain: number; woven: number; plainRejected: number; wovenRejected: number };
}
interface ChildReport {
  node: string;
  results: {
    inTransaction: ModeResults;
    noTransaction: ModeResults;
    context: Json;
  };
}

/** Keyed "Node <version>, <runtime>"; `file` is the woven module's path relative to the repository. */
const reports = new Map<string, ChildReport & { file: string }>();
beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  for (const woven of wovenFiles) writeFileSync(woven.path, woven.code);
  for (const node of binaries) {
    for (const woven of wovenFiles) {
      const what = `Node ${node.version}, ${woven.runtime}`;
      const result = expectSuccess(
        await runProcess(node.path, [child, woven.runtimeUrl, pathToFileURL(woven.path).href], {
          cwd: repoRoot,
        }),
        `woven-async child on ${what}`,
      );
      reports.set(what, { ...(JSON.parse(result.stdout) as ChildReport), file: woven.relative });
    }
  }
});
afterAll(() => {
  for (const woven of wovenFiles) rmSync(woven.path, { force: true });
});

describe('woven async functions (child processes on every Node binary)', () => {
  it('the transformer wrote the one-frame shape with a body named after the method', () => {
    const code = wovenFiles[0]?.code;
    expect(code).toContain('const __apmB0$Gateway$$later = async () => {');
    expect(code).toContain('return __apmAsync(__apmS0, __apmB0$Gateway$$later);');
    expect(code).not.toContain('await __apmAsync');
    expect(code).not.toContain('__apmCall');
    expect(reports.size).toBe(binaries.length * RUNTIMES.length);
  });

  for (const mode of ['inTransaction', 'noTransaction'] as const) {
    const where = mode === 'inTransaction' ? 'in a transaction' : 'without a transaction';

    it(`${where}: an error after an await keeps its callers and folds the body into the method`, () => {
      for (const [version, report] of reports) {
        const { stack, frames, culprit, spans } = report.results[mode].later;
        const relativeFile = report.file;
        // The app's own stack runs from the body to the woven method's caller: the method has returned.
        expect(stack, version).toMatch(/at __apmB0\$Gateway\$\$later [^\n]*\n\s+at async handleCheckout/);
        expect(
          frames.slice(0, 2).map((f) => f.function),
          version,
        ).toEqual(['Gateway.later', 'handleCheckout']);
        expect(frames[0], version).toMatchObject({
          filename: relativeFile,
          lineno: lineOf("throw new Error('declined later')"),
        });
        expect(culprit, version).toBe(`Gateway.later (${relativeFile})`);
        expect(spans, version).toEqual(
          mode === 'inTransaction' ? [{ name: 'Gateway.later', outcome: 'failure' }] : [],
        );
      }
    });

    it(`${where}: an error before the first await folds the runtime frame away too`, () => {
      for (const [version, report] of reports) {
        const { stack, frames, spans } = report.results[mode].now;
        expect(stack, version).toMatch(
          /at __apmB\d+\$Gateway\$\$now [^\n]*\n(?:\s+at (?:wovenAsyncChain|AsyncResource\.runInAsyncScope|inCallerScope) [^\n]*\n)*\s+at wovenAsyncCall [^\n]*\n\s+at Gateway\.now /,
        );
        expect(
          frames.slice(0, 2).map((f) => f.function),
          version,
        ).toEqual(['Gateway.now', 'handleNow']);
        for (const runtimeFrame of [
          'wovenAsyncCall',
          'wovenAsyncChain',
          'inCallerScope',
          'wovenAsyncRun',
          'wovenAsyncEnter',
          'AsyncResource.runInAsyncScope',
        ])
          expect(frames.map((f) => f.function)).not.toContain(runtimeFrame);
        expect(frames[0]?.lineno, version).toBe(lineOf("throw new Error('declined now')"));
        expect(spans, version).toEqual(
          mode === 'inTransaction' ? [{ name: 'Gateway.now', outcome: 'failure' }] : [],
        );
      }
    });

    // Returning a promise costs the woven function's own promise two ticks to follow it (a resolve-thenable job, then
    // the reaction). With a span it follows the promise the span's handlers give; their tick runs beside the
    // resolve-thenable job's: no tick more.
    it(`${where}: settles exactly two microtask ticks after the unwoven function, resolved or rejected`, () => {
      for (const [version, report] of reports) {
        const ticks = report.results[mode].ticks;
        expect(ticks.woven, version).toBe(ticks.plain + 2);
        expect(ticks.wovenRejected, version).toBe(ticks.plainRejected + 2);
      }
    });
  }

  it('runs the body with its span (and other stores) current across await, and gives the caller its context back at once', () => {
    for (const [version, report] of reports) {
      const c = report.results.context;
      expect(c.transactionId, version).toMatch(/^[0-9a-f]{16}$/);
      expect(c.callerAfterCall, version).toEqual({ transaction: c.transactionId });
      expect(c.callerAfterAwait, version).toEqual({ transaction: c.transactionId });
      // Another library's AsyncLocalStorage keeps its value inside the body.
      expect(c.seen, version).toEqual([
        ['start', c.spanId, 'their value'],
        ['after await', c.spanId, 'their value'],
      ]);
      expect(c.spanOutcome, version).toBe('success');
      expect(c.sameThis, version).toBe(true);
      expect(c.argumentsLength, version).toBe(3);
    }
  });
});

describe('parseStack folds the named body of a woven async function', () => {
  it('reports the name the body carries once the woven function has returned, under any collision prefix', () => {
    for (const [body, name] of [
      ['__apmB0$Cart$$checkout', 'Cart.checkout'],
      ['__apm2_B17$checkout', 'checkout'],
      ['__apmB3$a_$b', 'a_$b'],
    ]) {
      const stack = [
        'Error: x',
        `    at ${body} (file:///app/a.js:3:9)`,
        '    at async main (file:///app/b.js:5:5)',
      ].join('\n');
      const frames = parseStack(stack);
      expect(frames.map((f) => f.function)).toEqual([name, 'main']);
      expect(frames[0]).toMatchObject({ lineno: 3, colno: 9 });
    }
    const unnamed = [
      'Error: x',
      '    at __apmB0$ (file:///app/a.js:3:9)',
      '    at async main (file:///app/b.js:5:5)',
    ];
    expect(parseStack(unnamed.join('\n')).map((f) => f.function)).toEqual([undefined, 'main']);
  });

  it('into the woven function before the first await, with the runtime frames between', () => {
    const stack = [
      'Error: x',
      '    at __apmB0$checkout (file:///app/a.js:3:9)',
      '    at wovenAsyncChain (file:///rt/index.js:1:1)',
      '    at AsyncResource.runInAsyncScope (node:async_hooks:214:14)',
      '    at inCallerScope (file:///rt/index.js:2:2)',
      '    at wovenAsyncCall (file:///rt/index.js:3:3)',
      '    at Cart.checkout (file:///app/a.js:2:40)',
      '    at main (file:///app/b.js:5:5)',
    ].join('\n');
    const frames = parseStack(stack);
    expect(frames.map((f) => f.function)).toEqual(['Cart.checkout', 'main']);
    expect(frames[0]).toMatchObject({ lineno: 3, colno: 9 });
  });

  it('into the async frame that awaits it, in code woven by earlier versions', () => {
    for (const body of ['__apmB0', '__apm2_B17']) {
      const stack = [
        'Error: x',
        `    at ${body} (file:///app/a.js:3:9)`,
        '    at async Cart.checkout (file:///app/a.js:2:40)',
        '    at async main (file:///app/b.js:5:5)',
      ].join('\n');
      const frames = parseStack(stack);
      expect(frames.map((f) => f.function)).toEqual(['Cart.checkout', 'main']);
      expect(frames[0]).toMatchObject({ lineno: 3, colno: 9 });
    }
  });

  it('leaves a body frame alone when no awaiting async frame or runtime entry follows it', () => {
    const stack = [
      'Error: x',
      '    at __apmB0 (file:///app/a.js:3:9)',
      '    at other (file:///app/c.js:1:1)',
    ].join('\n');
    expect(parseStack(stack).map((f) => f.function)).toEqual(['__apmB0', 'other']);
    const notBody = [
      'Error: x',
      '    at __apmBody (file:///app/a.js:3:9)',
      '    at async g (file:///app/c.js:1:1)',
    ];
    expect(parseStack(notBody.join('\n')).map((f) => f.function)).toEqual(['__apmBody', 'g']);
  });
});
