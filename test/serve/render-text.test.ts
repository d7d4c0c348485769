import { describe, expect, it } from 'vitest';
import { buildWaterfall, renderTraceText, TraceStore } from '../../server/waterfall/index.js';
import { barSpan, formatDuration } from '../../server/waterfall/render-text.js';
import { specExampleEvents } from './spec-events.js';
import { checkoutTrace, toInputs } from './trace-builder.js';

function render(trace = checkoutTrace(), options = {}) {
  const store = new TraceStore();
  for (const event of toInputs(trace)) store.add(event);
  return renderTraceText(buildWaterfall(store.get(trace.traceId)!), options);
}

/** The bar between the two │ of a row line. */
const barOf = (line: string) => line.slice(line.indexOf('│') + 1, line.lastIndexOf('│'));

describe('renderTraceText', () => {
  it('prints a header and one line per transaction and span, indented by nesting', () => {
    const trace = checkoutTrace({ service: 'shop' });
    const lines = render(trace).trimEnd().split('\n');
    expect(lines[0]).toBe(
      `POST /checkout  ·  100 ms  ·  shop  ·  1 transaction, 3 spans, 1 error  ·  trace ${trace.traceId}`,
    );
    const rows = lines.filter((line) => line.includes('│'));
    expect(rows.map((line) => line.split('│')[0]!.trimEnd())).toEqual([
      '  POST /checkout',
      '    validate cart',
      '    charge card',
      '      SELECT payments',
    ]);
    expect(
      rows.map((line) =>
        line
          .split('│')[2]!
          .trim()
          .split(/\s{2,}/),
      ),
    ).toEqual([
      ['100 ms', 'request', 'failure'],
      ['10.0 ms', 'app.internal', 'success'],
      ['60.0 ms', 'external.http.POST', 'failure'],
      ['10.0 ms', 'db.postgresql.query', 'success'],
    ]);
  });

  it('draws bars on the trace time axis', () => {
    const rows = render(checkoutTrace(), { barWidth: 20 })
      .split('\n')
      .filter((line) => line.includes('│'));
    expect(rows.map(barOf)).toEqual([
      '████████████████████', // 0..100 ms
      ' ██                 ', // 5..15
      '    ████████████    ', // 20..80
      '      ██            ', // 30..40
    ]);
  });

  it('shows errors under their span with their first stack frames', () => {
    const text = render(checkoutTrace(), { frames: 2 });
    const lines = text.split('\n');
    const at = lines.findIndex((line) => line.includes('CardDeclined'));
    expect(lines[at - 1]).toContain('charge card');
    expect(lines[at]!.trim()).toBe('✖ CardDeclined: card 4242 declined (unhandled)');
    expect(lines[at + 1]!.trim()).toBe('at chargeCard (src/payments.ts:42:11)');
    expect(lines[at + 2]!.trim()).toBe('at checkout (src/checkout.ts:17:5)');
    expect(text).not.toContain('src/server.ts');
  });

  it('prints the spec example trace with every span', () => {
    const store = new TraceStore();
    for (const event of specExampleEvents('transactions_spans.ndjson')) store.add(event);
    const text = renderTraceText(buildWaterfall(store.get('945254c567a5417eaaaaaaaaaaaaaaaa')!));
    expect(text.split('\n').filter((line) => line.includes('│'))).toHaveLength(5);
    expect(text).toContain('SELECT FROM product_types');
    expect(text).toContain('db.postgresql.query');
    expect(text).toContain('3.78 ms');
  });

  it('neutralises terminal escape sequences and newlines from payloads', () => {
    const trace = checkoutTrace({ name: 'evil\u001b[2J\u001b]0;pwned\u0007\nsecond line' });
    const text = render(trace);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text.split('\n')[0]).toContain('evil\uFFFD[2J\uFFFD]0;pwned\uFFFD\uFFFDsecond line');
  });

  it('colours only when asked', () => {
    expect(render(checkoutTrace())).not.toContain('\u001b[');
    expect(render(checkoutTrace(), { color: true })).toContain('\u001b[31m');
  });
});

describe('render helpers', () => {
  it('formats durations with sensible precision', () => {
    expect([0.421, 3.781912, 32.59, 250.4, 1250, 12_500, 90_000, 7_200_000].map(formatDuration)).toEqual([
      '0.42 ms',
      '3.78 ms',
      '32.6 ms',
      '250 ms',
      '1.25 s',
      '12.5 s',
      '1.5 min',
      '2.0 h',
    ]);
  });

  it('keeps instant and late spans visible inside the bar', () => {
    expect(barSpan(50, 0, 100, 10)).toEqual([5, 6]);
    expect(barSpan(100, 0, 100, 10)).toEqual([9, 10]);
    expect(barSpan(0, 100, 100, 10)).toEqual([0, 10]);
    expect(barSpan(0, 0, 0, 10)).toEqual([0, 10]);
  });
});
