import type * as TS from 'typescript';
import type { SpanSpecArgs, WeavePlan } from '../core/types.js';
import type { RuntimeImportForm } from './compiler-facts.js';
import type { TypeScript } from './typescript-api.js';

/**
 * The statements woven code needs at the top of the file: the runtime import in the form the file's output uses,
 * then one hoisted `var S = __apmDefine(name, type, options)` per woven function. Marker values reach the output only
 * as literal nodes, which the printer escapes.
 */
export function preambleStatements(
  ts: TypeScript,
  f: TS.NodeFactory,
  plan: WeavePlan,
  form: RuntimeImportForm,
): TS.Statement[] {
  return [
    ...runtimeImport(ts, f, plan, form),
    ...plan.functions.map((fn) => specVariable(f, plan, fn.specVar, fn.spec)),
  ];
}

function runtimeImport(
  ts: TypeScript,
  f: TS.NodeFactory,
  plan: WeavePlan,
  form: RuntimeImportForm,
): TS.Statement[] {
  const { bindings, specifier } = plan.runtimeImport;
  if (form === 'esm') {
    const names = bindings.map((b) =>
      f.createImportSpecifier(false, f.createIdentifier(b.imported), f.createIdentifier(b.local)),
    );
    const clause = f.createImportClause(false, undefined, f.createNamedImports(names));
    return [f.createImportDeclaration(undefined, clause, f.createStringLiteral(specifier))];
  }
  const destructure = (source: TS.Expression) =>
    f.createVariableStatement(
      undefined,
      f.createVariableDeclarationList(
        [
          f.createVariableDeclaration(
            f.createObjectBindingPattern(
              bindings.map((b) => f.createBindingElement(undefined, b.imported, f.createIdentifier(b.local))),
            ),
            undefined,
            undefined,
            source,
          ),
        ],
        ts.NodeFlags.None,
      ),
    );
  if (form === 'cjs') {
    return [
      destructure(
        f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral(specifier)]),
      ),
    ];
  }
  const namespace = f.createIdentifier(`${plan.identifiers.define.slice(0, -'Define'.length)}Runtime`);
  const clause = f.createImportClause(false, undefined, f.createNamespaceImport(namespace));
  return [
    f.createImportDeclaration(undefined, clause, f.createStringLiteral(specifier)),
    destructure(namespace),
  ];
}

function specVariable(f: TS.NodeFactory, plan: WeavePlan, name: string, spec: SpanSpecArgs): TS.Statement {
  const args: TS.Expression[] = [f.createStringLiteral(spec.name), f.createStringLiteral(spec.type)];
  const options: TS.PropertyAssignment[] = [];
  if (spec.options?.leaf !== undefined)
    options.push(f.createPropertyAssignment('leaf', literal(f, spec.options.leaf)));
  if (spec.options?.labels) {
    const labels = Object.entries(spec.options.labels).map(([key, value]) =>
      f.createPropertyAssignment(f.createStringLiteral(key), literal(f, value)),
    );
    options.push(f.createPropertyAssignment('labels', f.createObjectLiteralExpression(labels)));
  }
  if (options.length > 0) args.push(f.createObjectLiteralExpression(options));
  const call = f.createCallExpression(f.createIdentifier(plan.identifiers.define), undefined, args);
  return f.createVariableStatement(
    undefined,
    f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, call)]),
  );
}

function literal(f: TS.NodeFactory, value: string | number | boolean): TS.Expression {
  if (typeof value === 'string') return f.createStringLiteral(value);
  if (typeof value === 'boolean') return value ? f.createTrue() : f.createFalse();
  const magnitude = f.createNumericLiteral(Math.abs(value));
  return value < 0 || Object.is(value, -0) ? f.createPrefixMinus(magnitude) : magnitude;
}
