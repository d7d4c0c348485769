import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ts from 'typescript';
import type { WeaveOptions, WeaveWarning } from '../../transformer/core/types.js';
import { createWeaveTransformer } from '../../transformer/typescript.js';

/** Helpers for the TypeScript front end's tests: transpile with and without weaving, run the output in node. */

export const RECORDING_RUNTIME = fileURLToPath(
  new URL('../../fixtures/tspc/recording-runtime.cjs', import.meta.url),
);

export interface TranspileSettings {
  fileName?: string;
  module?: ts.ModuleKind;
  target?: ts.ScriptTarget;
  compilerOptions?: ts.CompilerOptions;
  /** false: plain TypeScript, no weaving. */
  weave?: WeaveOptions | false;
}

export interface Transpiled {
  code: string;
  warnings: WeaveWarning[];
}

export function transpile(source: string, settings: TranspileSettings = {}): Transpiled {
  const warnings: WeaveWarning[] = [];
  const weave = settings.weave === false ? undefined : { runtime: RECORDING_RUNTIME, ...settings.weave };
  if (weave) weave.onWarning ??= (w) => warnings.push(w);
  const result = ts.transpileModule(source, {
    fileName: settings.fileName ?? 'input.ts',
    compilerOptions: {
      module: settings.module ?? ts.ModuleKind.ESNext,
      target: settings.target ?? ts.ScriptTarget.ES2022,
      experimentalDecorators: false,
      ...settings.compilerOptions,
    },
    transformers: weave ? { before: [createWeaveTransformer(ts, weave)] } : {},
  });
  return { code: result.outputText, warnings };
}

export interface RecordedSpan {
  id: number;
  name: string;
  type: string;
  parent: number | null;
  outcome: 'success' | 'failure' | null;
  options?: { leaf?: boolean; labels?: Record<string, unknown> };
}

export interface RunResult {
  stdout: string;
  /** stderr without the recording runtime's span line. */
  stderr: string;
  status: number | null;
  spans: RecordedSpan[];
}

let runDir: string | undefined;
let runCount = 0;

/** Runs JavaScript in a fresh node process (`.mjs` for ESM output, `.cjs` for CommonJS). */
export function runJs(code: string, kind: 'esm' | 'cjs'): RunResult {
  runDir ??= mkdtempSync(join(tmpdir(), 'apm-weaver-ts-'));
  const dir = join(runDir, String(runCount++));
  mkdirSync(dir);
  const file = join(dir, kind === 'esm' ? 'main.mjs' : 'main.cjs');
  writeFileSync(file, code);
  const child = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
  // The recording runtime prints its spans as one line when the process exits; anything after it stays stderr.
  const marker = child.stderr.lastIndexOf('\nRECORDED_SPANS ');
  const lineEnd = marker >= 0 ? child.stderr.indexOf('\n', marker + 1) : -1;
  const spansLine = marker >= 0 ? child.stderr.slice(marker + '\nRECORDED_SPANS '.length, lineEnd) : '[]';
  const spans = JSON.parse(spansLine) as RecordedSpan[];
  const stderr = marker >= 0 ? child.stderr.slice(0, marker) + child.stderr.slice(lineEnd + 1) : child.stderr;
  // Stack traces name the file; the woven and the plain program run from different directories.
  return { stdout: child.stdout, stderr: stderr.replaceAll(dir, '<dir>'), status: child.status, spans };
}

export interface Comparison {
  plain: RunResult;
  woven: RunResult;
  wovenCode: string;
  warnings: WeaveWarning[];
}

/** Transpiles the source with and without weaving and runs both. */
export function runBoth(source: string, settings: TranspileSettings = {}): Comparison {
  const kind = (settings.module ?? ts.ModuleKind.ESNext) === ts.ModuleKind.CommonJS ? 'cjs' : 'esm';
  const plain = runJs(transpile(source, { ...settings, weave: false }).code, kind);
  const woven = transpile(source, settings);
  return { plain, woven: runJs(woven.code, kind), wovenCode: woven.code, warnings: woven.warnings };
}

/** The spans as `name<-parentName:outcome`, in start order, for compact assertions. */
export function spanSummary(spans: readonly RecordedSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.id, s]));
  return spans.map((s) => {
    const parent = s.parent === null ? '' : `<-${byId.get(s.parent)?.name}`;
    return `${s.name}${parent}:${s.outcome}`;
  });
}
