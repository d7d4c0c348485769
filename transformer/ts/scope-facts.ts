import type * as TS from 'typescript';
import { hasEsmSyntax } from './compiler-facts.js';
import type { FunctionNode } from './names.js';
import type { TypeScript } from './typescript-api.js';

/**
 * Facts about a function body the wrapping depends on. Both walks stop at nested functions (arrows excepted, as
 * they share `super` with their parent) and nested class bodies, which have their own scopes.
 */

/** The body uses `super` (property access or call) in the function's own scope. */
export function usesSuper(ts: TypeScript, fn: FunctionNode): boolean {
  if (!fn.body) return false;
  let found = false;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (node.kind === ts.SyntaxKind.SuperKeyword) {
      found = true;
      return;
    }
    if (opensOwnSuperScope(ts, node)) return;
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

function opensOwnSuperScope(ts: TypeScript, node: TS.Node): boolean {
  if (ts.isFunctionLike(node) && !ts.isArrowFunction(node)) return true;
  return ts.isPropertyDeclaration(node) || ts.isClassStaticBlockDeclaration(node);
}

/**
 * A parameter name (or `arguments`) that the body redeclares with `var` or a function declaration. In the original
 * function such a `var` shares the parameter's binding and value; inside the wrapper arrow it would be a new,
 * undefined binding.
 */
export function redeclaredParameterName(ts: TypeScript, fn: FunctionNode): string | undefined {
  if (!fn.body || !ts.isBlock(fn.body)) return undefined;
  const parameterNames = new Set<string>(['arguments']);
  for (const parameter of fn.parameters) collectBindingNames(ts, parameter.name, parameterNames);
  parameterNames.delete('this');

  let found: string | undefined;
  const check = (name: TS.BindingName) => {
    const names = new Set<string>();
    collectBindingNames(ts, name, names);
    for (const declared of names) if (found === undefined && parameterNames.has(declared)) found = declared;
  };
  const visit = (node: TS.Node): void => {
    if (found !== undefined) return;
    if (ts.isFunctionDeclaration(node)) {
      if (node.name) check(node.name);
      return;
    }
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) {
      for (const declaration of node.declarations) check(declaration.name);
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of fn.body.statements) visit(statement);
  return found;
}

function collectBindingNames(ts: TypeScript, name: TS.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) {
    into.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) collectBindingNames(ts, element.name, into);
  }
}

/** The body mentions `arguments` in its own scope (arrows included). */
export function usesArguments(ts: TypeScript, fn: FunctionNode): boolean {
  if (!fn.body) return false;
  let found = false;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === 'arguments') found = true;
    else if (!(ts.isFunctionLike(node) && !ts.isArrowFunction(node))) ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

/**
 * A sloppy-mode generator with simple parameters whose body uses `arguments`: there `arguments[i]` and the parameters
 * are one storage, but the inner generator's own `arguments` (from `.apply(this, arguments)`) is mapped to nothing.
 */
export function isSloppyGeneratorWithMappedArguments(
  ts: TypeScript,
  fn: FunctionNode,
  alwaysStrict: boolean,
): boolean {
  if (!('asteriskToken' in fn) || !fn.asteriskToken || !usesArguments(ts, fn)) return false;
  const simple = fn.parameters.every((p) => ts.isIdentifier(p.name) && !p.initializer && !p.dotDotDotToken);
  return simple && !alwaysStrict && !isStrict(ts, fn);
}

/** Module code, class bodies and code under a "use strict" directive are strict. */
function isStrict(ts: TypeScript, fn: FunctionNode): boolean {
  const hasUseStrict = (body: TS.Node | undefined) =>
    body !== undefined && ts.isBlock(body) && body.statements.some((s) => isDirective(ts, s, 'use strict'));
  for (let node: TS.Node | undefined = fn; node; node = node.parent) {
    if (ts.isClassLike(node)) return true;
    if (ts.isFunctionLike(node) && 'body' in node && hasUseStrict(node.body as TS.Node | undefined))
      return true;
    if (ts.isSourceFile(node)) {
      const moduleFile =
        /\.m[jt]s$/.test(node.fileName) || (!/\.c[jt]s$/.test(node.fileName) && hasEsmSyntax(ts, node));
      return moduleFile || node.statements.some((s) => isDirective(ts, s, 'use strict'));
    }
  }
  return false;
}

/** A statement of the directive prologue with this text (directives come first; a later string is no directive). */
function isDirective(ts: TypeScript, statement: TS.Statement, text: string): boolean {
  const statements = (statement.parent as TS.Block | TS.SourceFile).statements;
  for (const s of statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) return false;
    if (s === statement) return s.expression.text === text;
  }
  return false;
}
