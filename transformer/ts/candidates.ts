import type * as TS from 'typescript';
import type { CandidateFunction, SourcePoint } from '../core/types.js';
import { emitScriptTarget } from './compiler-facts.js';
import { type ConstructorPlan, planConstructor } from './constructors.js';
import { type FunctionNode, functionNameParts, hasModifier, skipExpressionWrappers } from './names.js';
import {
  isSloppyGeneratorWithMappedArguments,
  redeclaredParameterName,
  usesArguments,
  usesSuper,
} from './scope-facts.js';
import type { TypeScript } from './typescript-api.js';

export interface FoundCandidates {
  candidates: CandidateFunction[];
  /** The node each candidate describes (the core only ever hands candidates back). */
  nodes: Map<CandidateFunction, FunctionNode>;
  /** Constructor decisions, by node, for the rewrite. */
  constructors: Map<FunctionNode, ConstructorPlan>;
}

/** Describes every function of the file in the core's neutral terms. */
export function findCandidates(
  ts: TypeScript,
  file: TS.SourceFile,
  options: TS.CompilerOptions,
): FoundCandidates {
  const found: FoundCandidates = { candidates: [], nodes: new Map(), constructors: new Map() };
  const belowEs2015 = emitScriptTarget(ts, options) < ts.ScriptTarget.ES2015;
  // TypeScript writes "use strict" into every output file under alwaysStrict (part of strict).
  const alwaysStrict = options.alwaysStrict ?? options.strict ?? false;
  const visit = (node: TS.Node): void => {
    // Overload signatures belong to the implementation that follows them (its anchors include them).
    if (isFunctionNode(ts, node) && node.pos >= 0 && !isOverloadOfFollowingImplementation(ts, node)) {
      const candidate = describe(ts, file, node);
      if (ts.isConstructorDeclaration(node)) {
        const plan = planConstructor(ts, node, options);
        found.constructors.set(node, plan);
        if ('unsupported' in plan) candidate.unsupported = plan.unsupported;
      }
      if (isSloppyGeneratorWithMappedArguments(ts, node, alwaysStrict))
        candidate.unsupported = SLOPPY_GENERATOR;
      const lowered = belowEs2015 ? es5Limitation(ts, node) : undefined;
      if (lowered) candidate.unsupported = lowered;
      found.candidates.push(candidate);
      found.nodes.set(candidate, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const SLOPPY_GENERATOR =
  "a sloppy-mode generator using `arguments` with simple parameters: the inner generator's `arguments` would not be mapped to the parameters";

/**
 * Below ES2015 TypeScript turns the wrapper arrow into a function expression: `this` and `super` it carries over, but
 * not `arguments`, and a `super()` call inside it no longer initialises the derived instance.
 */
function es5Limitation(ts: TypeScript, node: FunctionNode): string | undefined {
  if (usesArguments(ts, node))
    return 'below target ES2015 the wrapper arrow is lowered and loses `arguments`';
  if (
    ts.isConstructorDeclaration(node) &&
    node.parent.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)
  ) {
    return 'below target ES2015 a derived constructor cannot call super() from the lowered wrapper';
  }
  return undefined;
}

export function isFunctionNode(ts: TypeScript, node: TS.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isConstructorDeclaration(node)
  );
}

function describe(ts: TypeScript, file: TS.SourceFile, node: FunctionNode): CandidateFunction {
  const redeclared = redeclaredParameterName(ts, node);
  const candidate: CandidateFunction = {
    kind: functionKind(ts, node),
    name: functionNameParts(ts, node),
    start: point(file, functionStart(ts, file, node)),
    anchors: anchors(ts, file, node),
    isAsync: hasModifier(ts, node, ts.SyntaxKind.AsyncKeyword),
    isGenerator: 'asteriskToken' in node && node.asteriskToken !== undefined,
    hasExpressionBody: ts.isArrowFunction(node) && !ts.isBlock(node.body),
    hasBody: node.body !== undefined,
    usesSuper: usesSuper(ts, node),
  };
  if (redeclared !== undefined) candidate.redeclaredName = redeclared;
  return candidate;
}

function functionKind(ts: TypeScript, node: FunctionNode): CandidateFunction['kind'] {
  if (ts.isFunctionDeclaration(node)) return 'declaration';
  if (ts.isFunctionExpression(node)) return 'expression';
  if (ts.isArrowFunction(node)) return 'arrow';
  if (ts.isGetAccessorDeclaration(node)) return 'getter';
  if (ts.isSetAccessorDeclaration(node)) return 'setter';
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return 'method';
}

/**
 * Where the function itself starts, as JavaScript parsers see it: a declaration's `export` / `export default` belong
 * to the export statement (warnings then point where the other front ends point).
 */
function functionStart(ts: TypeScript, file: TS.SourceFile, node: FunctionNode): number {
  if (!ts.isFunctionDeclaration(node)) return node.getStart(file);
  const isExport = (m: TS.ModifierLike) =>
    m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword;
  const own = node.modifiers?.find((m) => !isExport(m));
  if (own) return own.getStart(file);
  const keyword = node.getChildren(file).find((child) => child.kind === ts.SyntaxKind.FunctionKeyword);
  return keyword ? keyword.getStart(file) : node.getStart(file);
}

function point(file: TS.SourceFile, offset: number): SourcePoint {
  const { line, character } = file.getLineAndCharacterOfPosition(offset);
  return { offset, line: line + 1, column: character };
}

/**
 * Where a marker may stand, innermost first: the function itself (members and declarations start at their
 * decorators and modifiers, `export` included), then what it heads: parentheses or type assertions around it, the
 * variable declarator and its statement, a class field, an object property, `export default`, an assignment
 * statement. An implementation after overload signatures also takes markers before the first signature.
 */
function anchors(ts: TypeScript, file: TS.SourceFile, node: FunctionNode): number[] {
  const offsets = [functionStart(ts, file, node)];
  if (offsets[0] !== node.getStart(file)) offsets.push(node.getStart(file));
  const add = (n: TS.Node) => offsets.push(n.getStart(file));
  const firstOverload = firstOverloadSignature(ts, node);
  if (firstOverload) add(firstOverload);
  if (!ts.isFunctionExpression(node) && !ts.isArrowFunction(node)) return offsets;

  let child: TS.Node = node;
  while (child.parent !== skipExpressionWrappers(ts, node).parent) {
    child = child.parent;
    add(child);
  }
  const parent = child.parent;
  if (ts.isVariableDeclaration(parent)) {
    add(parent);
    const list = parent.parent;
    if (
      ts.isVariableDeclarationList(list) &&
      list.declarations.length === 1 &&
      ts.isVariableStatement(list.parent)
    ) {
      add(list.parent);
    }
  } else if (
    ts.isPropertyDeclaration(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isExportAssignment(parent)
  ) {
    add(parent);
  } else if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    add(parent);
    if (ts.isExpressionStatement(parent.parent)) add(parent.parent);
  }
  return offsets;
}

/** The first of the body-less signatures right before an implementation with the same name. */
function firstOverloadSignature(ts: TypeScript, node: FunctionNode): TS.Node | undefined {
  if (!node.body) return undefined;
  const container = node.parent;
  let siblings: readonly TS.Node[] | undefined;
  if (
    ts.isFunctionDeclaration(node) &&
    (ts.isSourceFile(container) || ts.isModuleBlock(container) || ts.isBlock(container))
  ) {
    siblings = container.statements;
  } else if (ts.isClassLike(container)) {
    siblings = container.members;
  }
  if (!siblings) return undefined;
  const index = siblings.indexOf(node);
  let first: TS.Node | undefined;
  for (let i = index - 1; i >= 0; i--) {
    const sibling = siblings[i];
    if (!sibling || !isBodylessSignatureLike(ts, sibling, node)) break;
    first = sibling;
  }
  return first;
}

function isOverloadOfFollowingImplementation(ts: TypeScript, node: FunctionNode): boolean {
  if (node.body) return false;
  const siblings = overloadSiblings(ts, node) ?? [];
  for (let i = siblings.indexOf(node) + 1; i < siblings.length; i++) {
    const sibling = siblings[i];
    if (!sibling || sibling.kind !== node.kind || !isFunctionNode(ts, sibling)) return false;
    if (sibling.body) return isBodylessSignatureLike(ts, node, sibling);
    if (!isBodylessSignatureLike(ts, sibling, node)) return false;
  }
  return false;
}

/** The declarations an overload group lives among: statements for functions, members for methods. */
function overloadSiblings(ts: TypeScript, node: FunctionNode): readonly TS.Node[] | undefined {
  const container = node.parent;
  if (
    ts.isFunctionDeclaration(node) &&
    (ts.isSourceFile(container) || ts.isModuleBlock(container) || ts.isBlock(container))
  ) {
    return container.statements;
  }
  return ts.isClassLike(container) && (ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node))
    ? container.members
    : undefined;
}

function isBodylessSignatureLike(ts: TypeScript, sibling: TS.Node, implementation: FunctionNode): boolean {
  if (sibling.kind !== implementation.kind || !isFunctionNode(ts, sibling) || sibling.body) return false;
  if (ts.isConstructorDeclaration(sibling)) return true;
  const file = implementation.getSourceFile();
  const name = (n: FunctionNode) => ('name' in n && n.name ? n.name.getText(file) : undefined);
  return name(sibling) === name(implementation);
}
