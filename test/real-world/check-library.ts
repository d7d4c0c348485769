// The real-world check: a real npm library has every function of its source woven (`functions: ["**"]`) by each
// front end (FRONT_ENDS), and its own test suite, run inside a sampled transaction, gives exactly the results it
// gives unwoven while the woven functions record spans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertValidIntake } from '../helpers/intake-schema.js';
import { FRONT_ENDS } from '../weave/front-ends.js';
import { type LibraryCopies, prepareLibraryCopies, readLibraryConfig } from './library-copy.js';
import { runTapeSuite, type SuiteRun } from './tape-run.js';
import type { WovenCopy } from './weave-copy.js';

export function checkRealWorldLibrary(name: string): void {
  const config = readLibraryConfig(name);
  const floor = config.atLeast;
  const library = `${config.package}@${config.version}`;

  describe(`${library}: its own tape suite, unwoven and with every function woven by each front end`, () => {
    let copies: LibraryCopies;
    let plain: SuiteRun;

    beforeAll(async () => {
      copies = prepareLibraryCopies(config, FRONT_ENDS);
      plain = await runTapeSuite(copies.harness, copies.plainDir, copies.testFiles, 'plain');
    }, 120_000);
    afterAll(() => copies?.remove());

    it('the unwoven suite passes as published', () => {
      expect(plain.stderr).toBe('');
      expect(plain.exitCode).toBe(0);
      expect(plain.counts.tests).toBeGreaterThanOrEqual(floor.tests);
      expect(plain.counts).toEqual({ tests: plain.counts.tests, pass: plain.counts.tests, fail: 0 });
      // The control: nothing is woven, so the same client and transaction record no span.
      expect(plain.spans.transactionSampled).toBe(true);
      expect(plain.spans.spanCount).toBe(0);
    });

    it('every front end weaves the same functions of every file (the core decides, front ends apply)', () => {
      const wovenPerFile = (copy: WovenCopy | undefined) => copy?.files.map((f) => [f.file, f.woven]);
      const [first, ...others] = FRONT_ENDS.map((frontEnd) => copies.woven[frontEnd.name]);
      for (const other of others) {
        expect(wovenPerFile(other), `${other?.frontEnd} vs ${first?.frontEnd}`).toEqual(wovenPerFile(first));
      }
    });

    describe.each(FRONT_ENDS.map((frontEnd) => frontEnd.name))('woven by %s', (frontEnd) => {
      let copy: WovenCopy;
      let woven: SuiteRun;

      beforeAll(async () => {
        copy = copies.woven[frontEnd] as WovenCopy;
        // One suite after the other: two cores, shared with the other test files.
        woven = await runTapeSuite(copies.harness, copy.dir, copies.testFiles, frontEnd);
        const functions = copy.files.reduce((n, f) => n + f.woven.length, 0);
        console.log(
          `${library} woven by ${frontEnd}: ${copy.files.length} files, ${functions} functions; ` +
            `unwoven ${JSON.stringify(plain.counts)}, woven ${JSON.stringify(woven.counts)}; ` +
            `${woven.spans.spanCount} spans (${woven.spans.nestedCount} nested, ${woven.spans.failureCount} failed)`,
        );
      }, 120_000);

      it('weaves every source file into valid code, many functions, without warnings; weaving again changes nothing', () => {
        expect(copy.warnings).toEqual([]);
        for (const file of copy.files) {
          expect(file.syntaxError, `${file.file} woven`).toBeUndefined();
          expect(file.rewovenChanged, `${file.file} woven twice`).toBe(false);
        }
        const functions = copy.files.flatMap((f) => f.woven);
        expect(functions.length).toBeGreaterThanOrEqual(floor.wovenFunctions);
      });

      it('the woven suite gives the same result for every test and assertion, the same output and exit code', () => {
        expect(woven.stderr).toBe(plain.stderr);
        expect(woven.results).toEqual(plain.results);
        expect(woven.counts).toEqual(plain.counts);
        expect(woven.stdout).toBe(plain.stdout);
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
        // Every span started was recorded: none dropped, none lost.
        expect(transaction.span_count).toEqual({ started: spans.spanCount, dropped: 0 });
        // The woven library reports nothing but spans: no error event.
        expect(spans.errors).toBe(0);
      });

      it('names every span after a woven function, most of them called; the events are valid intake v2', () => {
        const wovenNames = new Set(copy.files.flatMap((f) => f.woven));
        const recordedNames = Object.keys(woven.spans.countByName);
        expect(recordedNames.filter((n) => !wovenNames.has(n))).toEqual([]);
        // Most woven functions run in the suite; the rest are base-class defaults the suite overrides.
        expect(recordedNames.length).toBeGreaterThanOrEqual(floor.calledFunctions);
        for (const sample of Object.values(woven.spans.sampleByName)) assertValidIntake('span', sample);
        assertValidIntake('transaction', woven.spans.transactions[0]);
      });
    });
  });
}
