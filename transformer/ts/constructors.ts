import type * as TS from 'typescript';
import { emitScriptTarget, usesDefineForClassFields } from './compiler-facts.js';
import { hasModifier } from './names.js';
import type { TypeScript } from './typescript-api.js';

/**
 * Derived-class constructors need care in a `before` transformer. TypeScript itself adds code right after the
 * constructor's root-level `super(...)` statement: parameter properties, field initialisers it lowers, `#private`
 * bookkeeping, decorator initialisers. It looks for that statement among the body's own statements; inside our
 * wrapper arrow it would not find it and would put the code before `super()`, a ReferenceError at run time.
 * For classes whose fields TypeScript lowers or that have decorators, the statements up to and including
 * `super(...)` stay outside the wrapper: the span starts after the parent constructor returned. Parameter properties
 * are refused, as the other front ends (which cannot see what the type stripper emits) refuse them, so that every
 * front end weaves the same functions. Every other constructor is woven whole, `super()` inside the arrow.
 */
export type ConstructorPlan =
  | { keepOutside: 'none' }
  | { keepOutside: 'throughSuper' }
  | { unsupported: string };

const PARAMETER_PROPERTIES_IN_DERIVED =
  'a derived-class constructor with parameter properties: TypeScript emits their assignments after a top-level super() call, which the wrapper would move';

const SUPER_NOT_A_STATEMENT =
  'TypeScript adds initialisers after super() in this derived constructor, and super() is not a statement of its own';

export function planConstructor(
  ts: TypeScript,
  ctor: TS.ConstructorDeclaration,
  options: TS.CompilerOptions,
): ConstructorPlan {
  const cls = ctor.parent;
  if (!isDerived(ts, cls)) return { keepOutside: 'none' };
  if (ctor.parameters.some((p) => ts.isParameterPropertyDeclaration(p, ctor))) {
    return { unsupported: PARAMETER_PROPERTIES_IN_DERIVED };
  }
  if (!compilerAddsCodeAfterSuper(ts, cls, options)) return { keepOutside: 'none' };
  if (!ctor.body || rootSuperCallIndex(ts, ctor.body.statements) >= 0) return { keepOutside: 'throughSuper' };
  return { unsupported: SUPER_NOT_A_STATEMENT };
}

/** Index of the root-level `super(...);` statement, or -1. */
export function rootSuperCallIndex(ts: TypeScript, statements: readonly TS.Statement[]): number {
  return statements.findIndex(
    (s) =>
      ts.isExpressionStatement(s) &&
      ts.isCallExpression(s.expression) &&
      s.expression.expression.kind === ts.SyntaxKind.SuperKeyword,
  );
}

function isDerived(ts: TypeScript, cls: TS.ClassLikeDeclaration): boolean {
  return (cls.heritageClauses ?? []).some((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
}

/** Conservative: true whenever TypeScript may emit statements after `super()` for this class. */
function compilerAddsCodeAfterSuper(
  ts: TypeScript,
  cls: TS.ClassLikeDeclaration,
  options: TS.CompilerOptions,
): boolean {
  if (hasDecorators(ts, cls) || cls.members.some((member) => hasDecorators(ts, member))) return true;
  const nativeFields =
    emitScriptTarget(ts, options) >= ts.ScriptTarget.ES2022 && usesDefineForClassFields(ts, options);
  return cls.members.some((member) => {
    if (hasModifier(ts, member, ts.SyntaxKind.StaticKeyword)) return false;
    if (hasModifier(ts, member, ts.SyntaxKind.AccessorKeyword)) return true;
    const isField =
      ts.isPropertyDeclaration(member) && !hasModifier(ts, member, ts.SyntaxKind.DeclareKeyword);
    const isPrivate = member.name !== undefined && ts.isPrivateIdentifier(member.name);
    return (isField || isPrivate) && !nativeFields;
  });
}

function hasDecorators(ts: TypeScript, node: TS.Node): boolean {
  return ts.canHaveDecorators(node) && (ts.getDecorators(node)?.length ?? 0) > 0;
}
