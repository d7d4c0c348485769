// The trace page in a real headless Chromium, served by the real `apm-weaver serve` process.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/spec.js';
import { type Browser, launchChromium } from './browser.js';
import { postIntake, type ServeProcess, startServeProcess } from './serve-process.js';
import { checkoutTrace, toNdjson } from './trace-builder.js';

// The page renders a trace after fetching it. In a full test run on 2 CPUs the rows once had not appeared within
// expect.poll's 1 s default (the check then passed 5 runs of 5 on its own): wait longer, the assertion is the same.
const PAGE_WAIT = { timeout: 15_000 };

const artifacts = join(repoRoot, 'test-artifacts');

describe('Chromium launcher', () => {
  it('fails with install instructions when Chromium is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      'Install it with: sudo apt-get update && sudo apt-get install -y chromium',
    );
  });
});

describe('trace page in Chromium', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    serve = await startServeProcess(['--port', '0']);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('lists services and traces, opens a waterfall with nesting, bars and errors', async () => {
    const other = checkoutTrace({ service: 'inventory-service', name: 'GET /inventory' });
    const trace = checkoutTrace({ service: 'checkout-service' });
    expect((await postIntake(serve.url, toNdjson(other))).status).toBe(202);
    expect((await postIntake(serve.url, toNdjson(trace))).status).toBe(202);
    await page.goto(`${serve.url}/`);
    const item = page.locator(`button.trace[data-trace-id="${trace.traceId}"]`);
    await item.waitFor();
    await expect
      .poll(() => page.locator('#services button[data-service="checkout-service"]').count())
      .toBe(1);
    await page.locator(`button.trace[data-trace-id="${other.traceId}"]`).waitFor();
    await item.click();

    const rows = page.locator(`#waterfall[data-trace-id="${trace.traceId}"] .row`);
    await expect.poll(() => rows.count(), PAGE_WAIT).toBe(4);
    expect(await rows.locator('.name').allTextContents()).toEqual([
      'POST /checkout',
      'validate cart',
      'charge card',
      'SELECT payments',
    ]);
    expect(await rows.locator('.type').allTextContents()).toEqual([
      'request',
      'app.internal',
      'external.http.POST',
      'db.postgresql.query',
    ]);
    expect(await rows.locator('.dur').allTextContents()).toEqual(['100 ms', '10.0 ms', '60.0 ms', '10.0 ms']);
    // Nesting: each level is indented further.
    const indents = await rows
      .locator('.label')
      .evaluateAll((labels) => labels.map((label) => Number.parseFloat(getComputedStyle(label).paddingLeft)));
    expect(indents[1]).toBeGreaterThan(indents[0]!);
    expect(indents[3]).toBeGreaterThan(indents[2]!);
    // Bars sit on the trace time axis: "charge card" spans 20..80 of 100 ms.
    const lane = (await rows.nth(2).locator('.lane').boundingBox())!;
    const bar = (await rows.nth(2).locator('.bar').boundingBox())!;
    expect((bar.x - lane.x) / lane.width).toBeCloseTo(0.2, 1);
    expect(bar.width / lane.width).toBeCloseTo(0.6, 1);
    expect(await rows.nth(2).getAttribute('class')).toContain('failure');
    // Type colours differ between a db span and an external call.
    const colours = await rows
      .locator('.bar')
      .evaluateAll((bars) => bars.map((b) => getComputedStyle(b).backgroundColor));
    expect(new Set(colours).size).toBe(4);

    const error = page.locator('#waterfall .error');
    await expect.poll(() => error.count(), PAGE_WAIT).toBe(1);
    expect(await error.locator('.head').textContent()).toBe('✖ CardDeclined: card 4242 declined (unhandled)');
    expect(await error.locator('li').allTextContents()).toEqual([
      'chargeCard (src/payments.ts:42:11)',
      'checkout (src/checkout.ts:17:5)',
      'handle (src/server.ts:88:3)',
      'emit (node:events:519)',
    ]);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'serve-waterfall.png'), fullPage: true });
  });

  it('shows traces that arrive while the page is open, without a reload', async () => {
    const later = checkoutTrace({ service: 'late-service', name: 'GET /later' });
    expect((await postIntake(serve.url, toNdjson(later))).status).toBe(202);
    await page.locator(`button.trace[data-trace-id="${later.traceId}"]`).waitFor();
    await page.locator('#services button[data-service="late-service"]').waitFor();
    expect(await page.locator('#status').getAttribute('class')).toBe('live');
  });

  it('shows hostile payloads as text, never as markup', async () => {
    const hostileName = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const hostile = checkoutTrace({ service: 'hostile-service', name: hostileName });
    // Service names are pattern-checked by the intake; free-text fields are not: put markup there.
    const error = hostile.events.find(([kind]) => kind === 'error')![1] as {
      exception: Record<string, unknown>;
    };
    error.exception.message = '<b id="injected">bold</b>';
    error.exception.type = '<svg onload="window.__pwned=3">';
    expect((await postIntake(serve.url, toNdjson(hostile))).status).toBe(202);
    const item = page.locator(`button.trace[data-trace-id="${hostile.traceId}"]`);
    await item.waitFor();
    await item.click();
    await page.locator(`#waterfall[data-trace-id="${hostile.traceId}"] .row`).first().waitFor();
    expect(await page.locator('#waterfall .row .name').first().textContent()).toBe(hostileName);
    expect(await page.locator('#waterfall .error .head').textContent()).toBe(
      '✖ <svg onload="window.__pwned=3">: <b id="injected">bold</b> (unhandled)',
    );
    expect(await page.locator('#injected, svg').count()).toBe(0);
    expect(await page.locator('#detail img, #traces img, #services img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});
