// The real-world check (issue 4): a real npm library has every function of its source woven (`functions: ["**"]`)
// and its own test suite, run inside a sampled transaction, gives exactly the results it gives unwoven.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertValidIntake } from '../helpers/intake-schema.js';
import {
  type LibraryConfig,
  type LibraryCopies,
  prepareLibraryCopies,
  readLibraryConfig,
} from './library-copy.js';
import { runTapeSuite, type SuiteRun } from './tape-run.js';

export function checkRealWorldLibrary(name: string): void {
  const config: LibraryConfig = readLibraryConfig(name);
  const floor = config.atLeast;

  describe(`${config.package}@${config.version}: its own tape suite, unwoven and with every function woven`, () => {
    let copies: LibraryCopies;
    let plain: SuiteRun;
    let woven: SuiteRun;

    beforeAll(async () => {
      copies = prepareLibraryCopies(config);
      // One after the other: two cores, shared with the other test files.
      plain = await runTapeSuite(copies.harness, copies.plainDir, copies.testFiles, 'plain');
      woven = await runTapeSuite(copies.harness, copies.wovenDir, copies.testFiles, 'woven');
      const wovenCount = copies.wovenFiles.reduce((n, f) => n + f.woven.length, 0);
      console.log(
        `${config.package}@${config.version}: ${copies.wovenFiles.length} files, ${wovenCount} functions woven; ` +
          `unwoven ${JSON.stringify(plain.counts)}, woven ${JSON.stringify(woven.counts)}; ` +
          `${woven.spans.spanCount} spans (${woven.spans.nestedCount} nested, ${woven.spans.failureCount} failed)`,
      );
    }, 120_000);
    afterAll(() => copies?.remove());

    it('weaves every source file into valid code, many functions, without warnings; weaving again changes nothing', () => {
      expect(copies.warnings).toEqual([]);
      for (const file of copies.wovenFiles) {
        expect(file.syntaxError, `${file.file} woven`).toBeUndefined();
        expect(file.rewovenChanged, `${file.file} woven twice`).toBe(false);
      }
      const woven = copies.wovenFiles.flatMap((f) => f.woven);
      expect(woven.length).toBeGreaterThanOrEqual(floor.wovenFunctions);
    });

    it('the unwoven suite passes as published', () => {
      expect(plain.stderr).toBe('');
      expect(plain.exitCode).toBe(0);
      expect(plain.counts.tests).toBeGreaterThanOrEqual(floor.tests);
      expect(plain.counts).toEqual({ tests: plain.counts.tests, pass: plain.counts.tests, fail: 0 });
      // The control: nothing is woven, so the same client and transaction record no span.
      expect(plain.spans.transactionSampled).toBe(true);
      expect(plain.spans.spanCount).toBe(0);
    });

    it('the woven suite gives the same result for every test and assertion, the same counts and exit code', () => {
      expect(woven.stderr).toBe(plain.stderr);
      expect(woven.results).toEqual(plain.results);
      expect(woven.counts).toEqual(plain.counts);
      expect(woven.exitCode).toBe(plain.exitCode);
    });

    it('records a span for the woven calls inside the transaction: many, nested, failed ones too', () => {
      const { spans } = woven;
      expect(spans.transactionSampled).toBe(true);
      expect(spans.spanCount).toBeGreaterThanOrEqual(floor.spans);
      // Woven functions calling woven functions (recursion, helpers) are child spans of spans.
      expect(spans.nestedCount).toBeGreaterThanOrEqual(floor.nestedSpans);
      if (floor.failedSpans !== undefined)
        expect(spans.failureCount).toBeGreaterThanOrEqual(floor.failedSpans);
      const transaction = spans.transactions[0] as { span_count: { started: number; dropped: number } };
      expect(spans.transactions).toHaveLength(1);
      expect(transaction.span_count).toEqual({ started: spans.spanCount, dropped: 0 });
      // The woven library reports nothing but spans: no error event.
      expect(spans.errors).toBe(0);
    });

    it('names every span after a woven function, most of them called; the events are valid intake v2', () => {
      const wovenNames = new Set(copies.wovenFiles.flatMap((f) => f.woven));
      const recordedNames = Object.keys(woven.spans.countByName);
      expect(recordedNames.filter((n) => !wovenNames.has(n))).toEqual([]);
      // Most woven functions run in the suite; the rest are base-class defaults the suite overrides.
      expect(recordedNames.length).toBeGreaterThanOrEqual(floor.calledFunctions);
      for (const sample of Object.values(woven.spans.sampleByName)) assertValidIntake('span', sample);
      assertValidIntake('transaction', woven.spans.transactions[0]);
    });
  });
}
