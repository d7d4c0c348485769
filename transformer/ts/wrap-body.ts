import type * as TS from 'typescript';
import { asyncLocalsOf } from '../core/plan.js';
import type { RuntimeIdentifiers, WovenFunction } from '../core/types.js';
import { rootSuperCallIndex } from './constructors.js';
import type { FunctionNode } from './names.js';
import type { TypeScript } from './typescript-api.js';

/**
 * Rewrites one function into the woven shape (woven-contract.md). Parameters, modifiers, name and type annotations
 * stay on the original node; only the body moves into the wrapper:
 *   block body:      { "directives"; return __apmCall(S, () => { body }); }
 *   expression body: __apmCall(S, () => expr)
 *   async:           const B = async () => { body }; return __apmAsync(S, B);
 *                    (an async expression body becomes such a block, B = async () => expr)
 *   generators:      return yield* __apmGen(S, function* () { body }.apply(this, arguments))
 * `keepThroughSuper` leaves a derived constructor's statements up to its `super(...)` outside (see constructors.ts).
 */
export function wrapFunction(
  ts: TypeScript,
  factory: TS.NodeFactory,
  node: FunctionNode,
  woven: WovenFunction,
  ids: RuntimeIdentifiers,
  keepThroughSuper: boolean,
): FunctionNode {
  const body = node.body;
  if (!body) return node;
  const f = factory;
  if (ts.isArrowFunction(node) && !ts.isBlock(body)) {
    return f.updateArrowFunction(
      node,
      node.modifiers,
      node.typeParameters,
      node.parameters,
      node.type,
      node.equalsGreaterThanToken,
      woven.shape === 'asyncCall'
        ? f.createBlock(asyncStatements(ts, f, woven, ids, body), true)
        : wrapperCall(ts, f, woven, ids, body),
    );
  }
  const block = wrapBlock(ts, f, body as TS.Block, woven, ids, keepThroughSuper);
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration: {
      const n = node as TS.FunctionDeclaration;
      return f.updateFunctionDeclaration(
        n,
        n.modifiers,
        n.asteriskToken,
        n.name,
        n.typeParameters,
        n.parameters,
        n.type,
        block,
      );
    }
    case ts.SyntaxKind.FunctionExpression: {
      const n = node as TS.FunctionExpression;
      return f.updateFunctionExpression(
        n,
        n.modifiers,
        n.asteriskToken,
        n.name,
        n.typeParameters,
        n.parameters,
        n.type,
        block,
      );
    }
    case ts.SyntaxKind.ArrowFunction: {
      const n = node as TS.ArrowFunction;
      return f.updateArrowFunction(
        n,
        n.modifiers,
        n.typeParameters,
        n.parameters,
        n.type,
        n.equalsGreaterThanToken,
        block,
      );
    }
    case ts.SyntaxKind.MethodDeclaration: {
      const n = node as TS.MethodDeclaration;
      return f.updateMethodDeclaration(
        n,
        n.modifiers,
        n.asteriskToken,
        n.name,
        n.questionToken,
        n.typeParameters,
        n.parameters,
        n.type,
        block,
      );
    }
    case ts.SyntaxKind.GetAccessor: {
      const n = node as TS.GetAccessorDeclaration;
      return f.updateGetAccessorDeclaration(n, n.modifiers, n.name, n.parameters, n.type, block);
    }
    case ts.SyntaxKind.SetAccessor: {
      const n = node as TS.SetAccessorDeclaration;
      return f.updateSetAccessorDeclaration(n, n.modifiers, n.name, n.parameters, block);
    }
    default: {
      const n = node as TS.ConstructorDeclaration;
      return f.updateConstructorDeclaration(n, n.modifiers, n.parameters, block);
    }
  }
}

function wrapBlock(
  ts: TypeScript,
  f: TS.NodeFactory,
  body: TS.Block,
  woven: WovenFunction,
  ids: RuntimeIdentifiers,
  keepThroughSuper: boolean,
): TS.Block {
  const statements = body.statements;
  let bodyStart = directivePrologueLength(ts, statements);
  if (keepThroughSuper) bodyStart = Math.max(bodyStart, rootSuperCallIndex(ts, statements) + 1);
  // The moved statements keep their original range, so comments before the closing brace still print.
  const moved = ts.setTextRange(f.createNodeArray(statements.slice(bodyStart)), statements);
  const inner = f.createBlock(moved, true);
  const wrapped =
    woven.shape === 'asyncCall'
      ? asyncStatements(ts, f, woven, ids, inner)
      : [f.createReturnStatement(wrapperCall(ts, f, woven, ids, inner))];
  return f.updateBlock(body, [...statements.slice(0, bodyStart), ...wrapped]);
}

/** `const B = async () => body; return __apmAsync(S, B);` */
function asyncStatements(
  ts: TypeScript,
  f: TS.NodeFactory,
  woven: WovenFunction,
  ids: RuntimeIdentifiers,
  body: TS.ConciseBody,
): TS.Statement[] {
  const { body: bodyName } = asyncLocalsOf(woven);
  const arrow = f.createArrowFunction(
    [f.createModifier(ts.SyntaxKind.AsyncKeyword)],
    undefined,
    [],
    undefined,
    f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
    body,
  );
  const local = f.createVariableStatement(
    undefined,
    f.createVariableDeclarationList(
      [f.createVariableDeclaration(bodyName, undefined, undefined, arrow)],
      ts.NodeFlags.Const,
    ),
  );
  const returned = f.createReturnStatement(
    f.createCallExpression(f.createIdentifier(ids.asyncCall), undefined, [
      f.createIdentifier(woven.specVar),
      f.createIdentifier(bodyName),
    ]),
  );
  return [local, returned];
}

/** `__apmCall(S, () => body)`, or the generator forms, for a block or an expression body. */
function wrapperCall(
  ts: TypeScript,
  f: TS.NodeFactory,
  woven: WovenFunction,
  ids: RuntimeIdentifiers,
  body: TS.ConciseBody,
): TS.Expression {
  const spec = f.createIdentifier(woven.specVar);
  const asyncModifiers = [f.createModifier(ts.SyntaxKind.AsyncKeyword)];
  if (woven.shape === 'call') {
    const arrow = f.createArrowFunction(
      undefined,
      undefined,
      [],
      undefined,
      f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
      body,
    );
    return f.createCallExpression(f.createIdentifier(ids.call), undefined, [spec, arrow]);
  }
  const isAsync = woven.shape === 'asyncGenerator';
  const generator = f.createFunctionExpression(
    isAsync ? asyncModifiers : undefined,
    f.createToken(ts.SyntaxKind.AsteriskToken),
    undefined,
    undefined,
    [],
    undefined,
    body as TS.Block,
  );
  const applied = f.createCallExpression(f.createPropertyAccessExpression(generator, 'apply'), undefined, [
    f.createThis(),
    f.createIdentifier('arguments'),
  ]);
  const runtimeFunction = f.createIdentifier(isAsync ? ids.asyncGenerator : ids.generator);
  return f.createYieldExpression(
    f.createToken(ts.SyntaxKind.AsteriskToken),
    f.createCallExpression(runtimeFunction, undefined, [spec, applied]),
  );
}

/** How many statements at the start are directives (`"use strict"`, `"use client"`): they stay first. */
export function directivePrologueLength(ts: TypeScript, statements: readonly TS.Statement[]): number {
  let count = 0;
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    count++;
  }
  return count;
}
