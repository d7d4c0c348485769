import type * as t from '@babel/types';
import type { CandidateFunction } from '../core/types.js';
import { isFunctionBoundary, walk } from './walk.js';

type Facts = Pick<CandidateFunction, 'hasBody' | 'usesSuper' | 'redeclaredName' | 'unsupported'>;

/** What the core must know about a function's body to decide whether the wrapper keeps its meaning. */
export function functionFacts(
  node: t.Function | t.TSDeclareFunction | t.TSDeclareMethod,
  ancestors: readonly t.Node[],
): Facts {
  if (node.type === 'TSDeclareFunction' || node.type === 'TSDeclareMethod' || !node.body) {
    return { hasBody: false, usesSuper: false };
  }
  const facts: Facts = { hasBody: true, usesSuper: usesSuper(node.body) };
  const redeclared = redeclaredName(node);
  if (redeclared !== undefined) facts.redeclaredName = redeclared;
  const unsupported = unsupportedReason(node, ancestors);
  if (unsupported !== undefined) facts.unsupported = unsupported;
  return facts;
}

/** `super` anywhere the function's own `super` reaches: arrows yes, nested functions and class bodies no. */
function usesSuper(body: t.Node): boolean {
  let found = false;
  walk(body, (node) => {
    if (found || isFunctionBoundary(node) || node.type === 'ClassBody') return false;
    if (node.type === 'Super') found = true;
    return undefined;
  });
  return found;
}

/** Parameter names (and `arguments` for non-arrows) that the body redeclares with `var` or a function declaration. */
function redeclaredName(node: t.Function): string | undefined {
  const params = new Set<string>();
  for (const param of node.params) collectBindingNames(param, params);
  params.delete('this');
  if (node.type !== 'ArrowFunctionExpression') params.add('arguments');
  let clash: string | undefined;
  walk(node.body, (inner) => {
    if (clash !== undefined) return false;
    if (inner.type === 'FunctionDeclaration') {
      // Annex B hoists block-level function declarations in sloppy code as well: count them all, stay conservative.
      if (inner.id && params.has(inner.id.name)) clash = inner.id.name;
      return false;
    }
    if (inner.type === 'ClassBody' || (inner !== node.body && isFunctionLike(inner))) return false;
    if (inner.type === 'VariableDeclaration' && inner.kind === 'var') {
      const names = new Set<string>();
      for (const declarator of inner.declarations) collectBindingNames(declarator.id, names);
      clash = [...names].find((name) => params.has(name));
    }
    return undefined;
  });
  return clash;
}

function isFunctionLike(node: t.Node): boolean {
  return isFunctionBoundary(node) || node.type === 'ArrowFunctionExpression';
}

export function collectBindingNames(pattern: t.Node, into: Set<string>): void {
  switch (pattern.type) {
    case 'Identifier':
      into.add(pattern.name);
      return;
    case 'AssignmentPattern':
      collectBindingNames(pattern.left, into);
      return;
    case 'RestElement':
      collectBindingNames(pattern.argument, into);
      return;
    case 'TSParameterProperty':
      collectBindingNames(pattern.parameter, into);
      return;
    case 'ArrayPattern':
      for (const element of pattern.elements) if (element) collectBindingNames(element, into);
      return;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        collectBindingNames(property.type === 'RestElement' ? property : property.value, into);
      }
      return;
    default:
      return;
  }
}

function unsupportedReason(node: t.Function, ancestors: readonly t.Node[]): string | undefined {
  if (node.generator && usesArguments(node.body) && node.params.every((p) => p.type === 'Identifier')) {
    if (!isStrict(node, ancestors)) {
      return "a sloppy-mode generator using `arguments` with simple parameters: the inner generator's `arguments` would not be mapped to the parameters";
    }
  }
  if (node.type !== 'ClassMethod' || node.kind !== 'constructor') return undefined;
  const owner = ancestors.at(-2);
  const derived =
    (owner?.type === 'ClassDeclaration' || owner?.type === 'ClassExpression') && owner.superClass;
  if (derived && node.params.some((param) => param.type === 'TSParameterProperty')) {
    return 'a derived-class constructor with parameter properties: TypeScript emits their assignments after a top-level super() call, which the wrapper would move';
  }
  return undefined;
}

/** `arguments` read by the function itself: arrows yes, nested functions and class bodies no. */
function usesArguments(body: t.Node): boolean {
  let found = false;
  walk(body, (node) => {
    if (found || isFunctionBoundary(node) || node.type === 'ClassBody') return false;
    if (node.type === 'Identifier' && node.name === 'arguments') found = true;
    return undefined;
  });
  return found;
}

/** Module code, class bodies and functions under a "use strict" directive are strict. */
function isStrict(node: t.Function, ancestors: readonly t.Node[]): boolean {
  const hasUseStrict = (directives: readonly t.Directive[] | undefined) =>
    directives?.some((d) => d.value.value === 'use strict') === true;
  if (node.body.type === 'BlockStatement' && hasUseStrict(node.body.directives)) return true;
  for (const ancestor of ancestors) {
    if (
      ancestor.type === 'Program' &&
      (ancestor.sourceType === 'module' || hasUseStrict(ancestor.directives))
    )
      return true;
    if (ancestor.type === 'ClassBody') return true;
    if (ancestor.type === 'BlockStatement' && hasUseStrict(ancestor.directives)) return true;
  }
  return false;
}
