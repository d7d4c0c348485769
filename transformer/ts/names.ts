import type * as TS from 'typescript';
import type { NameParts } from '../core/types.js';
import type { TypeScript } from './typescript-api.js';

/** The functions the weaver considers, as TypeScript writes them. */
export type FunctionNode =
  | TS.FunctionDeclaration
  | TS.FunctionExpression
  | TS.ArrowFunction
  | TS.MethodDeclaration
  | TS.GetAccessorDeclaration
  | TS.SetAccessorDeclaration
  | TS.ConstructorDeclaration;

/**
 * The name parts of a function (DESIGN.md "Qualified names"); the core joins them. Members take their class or
 * object-literal owner; function and arrow expressions take the binding or property they are assigned to.
 */
export function functionNameParts(ts: TypeScript, node: FunctionNode): NameParts {
  const k = ts.SyntaxKind;
  switch (node.kind) {
    case k.FunctionDeclaration:
      return { name: node.name?.text ?? (hasModifier(ts, node, k.DefaultKeyword) ? 'default' : undefined) };
    case k.Constructor:
      return { owner: classOwner(ts, node.parent), name: 'constructor' };
    case k.MethodDeclaration:
    case k.GetAccessor:
    case k.SetAccessor: {
      const parts: NameParts = { owner: memberOwner(ts, node.parent), name: propertyKeyText(ts, node.name) };
      if (node.kind === k.GetAccessor) parts.accessor = 'get';
      if (node.kind === k.SetAccessor) parts.accessor = 'set';
      if (hasModifier(ts, node, k.StaticKeyword)) parts.isStatic = true;
      return parts;
    }
    default: {
      const bound = boundName(ts, node);
      const ownName = node.kind === k.FunctionExpression ? node.name?.text : undefined;
      return bound.name === undefined && ownName !== undefined ? { name: ownName } : bound;
    }
  }
}

/** What an expression (function, arrow, class, object literal) is assigned or bound to. */
export function boundName(ts: TypeScript, expression: TS.Expression): NameParts {
  const k = ts.SyntaxKind;
  const { parent, child } = skipExpressionWrappers(ts, expression);
  if (ts.isVariableDeclaration(parent) && parent.initializer === child && ts.isIdentifier(parent.name)) {
    return { name: parent.name.text };
  }
  if (ts.isPropertyDeclaration(parent) && parent.initializer === child) {
    const parts: NameParts = { owner: classOwner(ts, parent.parent), name: propertyKeyText(ts, parent.name) };
    if (hasModifier(ts, parent, k.StaticKeyword)) parts.isStatic = true;
    return parts;
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === child) {
    return { owner: memberOwner(ts, parent.parent), name: propertyKeyText(ts, parent.name) };
  }
  if (ts.isExportAssignment(parent)) return { name: 'default' };
  // A default value: `function f(callback = () => {})`, `const { callback = () => {} } = options`.
  if ((ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.initializer === child) {
    return ts.isIdentifier(parent.name) ? { name: parent.name.text } : {};
  }
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === child &&
    parent.operatorToken.kind === k.EqualsToken
  ) {
    const path = memberPath(ts, parent.left);
    if (!path || path.length === 0) return {};
    // `X.prototype.m = function` is a method of X.
    const owner = path.slice(0, -1).filter((part, i, all) => !(part === 'prototype' && i === all.length - 1));
    return owner.length > 0 ? { owner: owner.join('.'), name: path.at(-1) } : { name: path.at(-1) };
  }
  return {};
}

/** Parentheses, `as`, `satisfies`, `<T>x` and `x!` do not change what a function is bound to. */
export function skipExpressionWrappers(
  ts: TypeScript,
  expression: TS.Expression,
): { parent: TS.Node; child: TS.Node } {
  let child: TS.Node = expression;
  while (
    ts.isParenthesizedExpression(child.parent) ||
    ts.isAsExpression(child.parent) ||
    ts.isSatisfiesExpression(child.parent) ||
    ts.isTypeAssertionExpression(child.parent) ||
    ts.isNonNullExpression(child.parent)
  ) {
    child = child.parent;
  }
  return { parent: child.parent, child };
}

function classOwner(ts: TypeScript, node: TS.Node): string | undefined {
  if (!ts.isClassDeclaration(node) && !ts.isClassExpression(node)) return undefined;
  if (node.name) return node.name.text;
  if (ts.isClassDeclaration(node))
    return hasModifier(ts, node, ts.SyntaxKind.DefaultKeyword) ? 'default' : undefined;
  return dotted(boundName(ts, node));
}

function memberOwner(ts: TypeScript, container: TS.Node): string | undefined {
  if (ts.isObjectLiteralExpression(container)) return dotted(boundName(ts, container));
  return classOwner(ts, container);
}

function dotted(parts: NameParts): string | undefined {
  if (parts.name === undefined) return undefined;
  return parts.owner ? `${parts.owner}.${parts.name}` : parts.name;
}

/** `a.b.c`, `this.a` and `a["b"]` as ["a", "b", "c"]; undefined when any part is not a plain name or literal. */
function memberPath(ts: TypeScript, expression: TS.Expression): string[] | undefined {
  if (ts.isIdentifier(expression)) return [expression.text];
  if (expression.kind === ts.SyntaxKind.ThisKeyword) return ['this'];
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.name)) {
    const base = memberPath(ts, expression.expression);
    return base && [...base, expression.name.text];
  }
  if (ts.isElementAccessExpression(expression) && isLiteralKey(ts, expression.argumentExpression)) {
    const base = memberPath(ts, expression.expression);
    return base && [...base, expression.argumentExpression.text];
  }
  return undefined;
}

/** Identifier, `#private`, string and numeric keys, computed literal keys by value, `[a.b]` for computed names. */
export function propertyKeyText(ts: TypeScript, name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (isLiteralKey(ts, name)) return name.text;
  if (!ts.isComputedPropertyName(name)) return undefined;
  if (isLiteralKey(ts, name.expression)) return name.expression.text;
  // `[Symbol.iterator]`, `[key]`: the key as written, in brackets.
  const path = memberPath(ts, name.expression);
  return path ? `[${path.join('.')}]` : undefined;
}

function isLiteralKey(
  ts: TypeScript,
  node: TS.Node,
): node is TS.StringLiteral | TS.NumericLiteral | TS.NoSubstitutionTemplateLiteral {
  return ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

export function hasModifier(ts: TypeScript, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}
