import type * as TS from 'typescript';
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
