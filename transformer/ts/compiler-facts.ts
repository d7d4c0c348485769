import type * as TS from 'typescript';
import type { TypeScript } from './typescript-api.js';

/**
 * Compiler settings the weaving depends on. TypeScript computes them with functions it ships but does not declare
 * (`getEmitScriptTarget`, ...): we use those when present, so we agree with the compiler that runs us, and fall back
 * to the documented defaults otherwise.
 */
interface UndeclaredHelpers {
  getEmitScriptTarget?: (options: TS.CompilerOptions) => TS.ScriptTarget;
  getUseDefineForClassFields?: (options: TS.CompilerOptions) => boolean;
  getEmitModuleFormatOfFileWorker?: (file: TS.SourceFile, options: TS.CompilerOptions) => TS.ModuleKind;
}

export function emitScriptTarget(ts: TypeScript, options: TS.CompilerOptions): TS.ScriptTarget {
  const helper = (ts as UndeclaredHelpers).getEmitScriptTarget;
  if (typeof helper === 'function') return helper(options);
  const M = ts.ModuleKind;
  const T = ts.ScriptTarget;
  if (options.target !== undefined && options.target !== T.ES3) return options.target;
  if (options.module === M.Node16 || options.module === M.Node18) return T.ES2022;
  if (options.module === M.Node20) return T.ES2023;
  return options.module === M.NodeNext ? T.ESNext : T.ES5;
}

export function usesDefineForClassFields(ts: TypeScript, options: TS.CompilerOptions): boolean {
  const helper = (ts as UndeclaredHelpers).getUseDefineForClassFields;
  if (typeof helper === 'function') return helper(options);
  return options.useDefineForClassFields ?? emitScriptTarget(ts, options) >= ts.ScriptTarget.ES2022;
}

/**
 * How woven code reaches the runtime in this file's output:
 * - `esm`: `import { ... } from`, kept as written by TypeScript;
 * - `cjs`: `var { ... } = require(...)`, written by us, because TypeScript's CommonJS transform does not rewrite
 *   references to names bound by an import a transformer adds;
 * - `namespace`: AMD, UMD and System wrap modules in a factory, so we add `import * as ns` (which TypeScript turns into
 *   the factory's parameter) and destructure the names from it.
 */
export type RuntimeImportForm = 'esm' | 'cjs' | 'namespace';

export function runtimeImportForm(
  ts: TypeScript,
  file: TS.SourceFile,
  options: TS.CompilerOptions,
): RuntimeImportForm {
  const M = ts.ModuleKind;
  const format = emitModuleFormat(ts, file, options);
  if (format === M.CommonJS || format === M.None) return 'cjs';
  if (format === M.AMD || format === M.UMD || format === M.System) return 'namespace';
  // A JavaScript file without import/export that uses require or module.exports stays a CommonJS script whatever
  // the module setting (TypeScript only converts import/export); an `import` would turn it into an ES module.
  if (!hasEsmSyntax(ts, file) && usesCommonJs(ts, file)) return 'cjs';
  return 'esm';
}

/** `require(...)` calls, or assignments to `module.exports` / `exports.x`. */
function usesCommonJs(ts: TypeScript, file: TS.SourceFile): boolean {
  const isName = (node: TS.Node, name: string) => ts.isIdentifier(node) && node.text === name;
  let found = false;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && isName(node.expression, 'require')) found = true;
    else if (
      ts.isPropertyAccessExpression(node) &&
      isName(node.expression, 'module') &&
      node.name.text === 'exports'
    ) {
      found = true;
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      isName(node.left.expression, 'exports')
    ) {
      found = true;
    } else ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function emitModuleFormat(ts: TypeScript, file: TS.SourceFile, options: TS.CompilerOptions): TS.ModuleKind {
  const helper = (ts as UndeclaredHelpers).getEmitModuleFormatOfFileWorker;
  if (typeof helper === 'function') return helper(file, options);
  const M = ts.ModuleKind;
  const kind =
    options.module ?? (emitScriptTarget(ts, options) >= ts.ScriptTarget.ES2015 ? M.ES2015 : M.CommonJS);
  if (kind >= M.Node16 && kind <= M.NodeNext) return file.impliedNodeFormat ?? M.CommonJS;
  return kind;
}

/**
 * The file is written as an ES module: import/export statements (TypeScript's own notion of an external module also
 * counts .cjs files and forced module detection, which say nothing about the syntax).
 */
export function hasEsmSyntax(ts: TypeScript, file: TS.SourceFile): boolean {
  return file.statements.some(
    (s) =>
      ts.isImportDeclaration(s) ||
      ts.isExportDeclaration(s) ||
      ts.isExportAssignment(s) ||
      (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference)) ||
      (ts.canHaveModifiers(s) &&
        (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
  );
}
