// apm-weaver/babel: the Babel plugin (default export). Plugin options are WeaveOptions.
import type { types as BabelTypes, NodePath, PluginObj, PluginPass } from '@babel/core';
import { extractCandidates } from './babel/extract.js';
import { mightWeave, planWeave, reportWarnings, resolveWeaveOptions } from './core/index.js';
import { asyncLocalsOf } from './core/plan.js';
import type { WeaveOptions, WeavePlan, WovenFunction } from './core/types.js';

type Types = typeof BabelTypes;

interface BabelApi {
  types: Types;
  assertVersion?: (range: number | string) => void;
}

/**
 * Weaves at `Program` entry, before other plugins change the tree: the same extraction and core decisions as the
 * magic-string front end, applied as AST edits into the same shape (woven-contract.md).
 */
export default function apmWeaverBabelPlugin(
  api: BabelApi,
  options: WeaveOptions = {},
): PluginObj<PluginPass> {
  api.assertVersion?.('^7.0.0 || ^8.0.0');
  const t = api.types;
  const resolved = resolveWeaveOptions(options);
  return {
    name: 'apm-weaver',
    visitor: {
      Program(path: NodePath<BabelTypes.Program>, state: PluginPass) {
        const code = state.file.code;
        const id = state.filename ?? state.file.opts.filename ?? 'unknown.js';
        if (!mightWeave(code, id, resolved)) return;
        let extraction: ReturnType<typeof extractCandidates>;
        let plan: WeavePlan;
        try {
          extraction = extractCandidates(state.file.ast);
          plan = planWeave({ code, id, ...extraction }, resolved);
        } catch (error) {
          // A bug of ours must not fail the user's build: nothing was changed yet, the warning says why.
          const message = `not woven, internal error: ${String(error)}`;
          reportWarnings([{ file: id, line: 1, column: 0, message }], resolved);
          return;
        }
        reportWarnings(plan.warnings, resolved);
        if (plan.functions.length === 0) return;
        for (const fn of plan.functions) {
          wrapFunction(t, extraction.nodes.get(fn.candidate) as BabelTypes.Function, fn, plan);
        }
        path.unshiftContainer('body', preamble(t, plan));
        // Register the new bindings, so that later passes (TypeScript import elision) see the runtime import used.
        path.scope.crawl();
      },
    },
  };
}

function preamble(t: Types, plan: WeavePlan): BabelTypes.Statement[] {
  const { runtimeImport, identifiers } = plan;
  const source = t.stringLiteral(runtimeImport.specifier);
  const importStatement =
    runtimeImport.moduleKind === 'esm'
      ? t.importDeclaration(
          runtimeImport.bindings.map((b) =>
            t.importSpecifier(t.identifier(b.local), t.identifier(b.imported)),
          ),
          source,
        )
      : t.variableDeclaration('var', [
          t.variableDeclarator(
            t.objectPattern(
              runtimeImport.bindings.map((b) =>
                t.objectProperty(t.identifier(b.imported), t.identifier(b.local)),
              ),
            ),
            t.callExpression(t.identifier('require'), [source]),
          ),
        ]);
  const specs = plan.functions.map((fn) => {
    const args: BabelTypes.Expression[] = [t.stringLiteral(fn.spec.name), t.stringLiteral(fn.spec.type)];
    if (fn.spec.options) args.push(t.valueToNode(fn.spec.options));
    return t.variableDeclaration('var', [
      t.variableDeclarator(
        t.identifier(fn.specVar),
        t.callExpression(t.identifier(identifiers.define), args),
      ),
    ]);
  });
  return [importStatement, ...specs];
}

/** Replaces the function's body by the wrapper around it; parameters, directives and the node itself stay. */
function wrapFunction(t: Types, node: BabelTypes.Function, fn: WovenFunction, plan: WeavePlan): void {
  const ids = plan.identifiers;
  const spec = t.identifier(fn.specVar);
  if (fn.shape === 'asyncCall') {
    wrapAsyncFunction(t, node, fn, plan);
    return;
  }
  if (node.body.type !== 'BlockStatement') {
    node.body = t.callExpression(t.identifier(ids.call), [spec, t.arrowFunctionExpression([], node.body)]);
    return;
  }
  const inner = t.blockStatement(node.body.body);
  inner.loc = node.body.loc;
  let result: BabelTypes.Expression;
  if (fn.shape === 'call') {
    result = t.callExpression(t.identifier(ids.call), [spec, t.arrowFunctionExpression([], inner)]);
  } else {
    const isAsync = fn.shape === 'asyncGenerator';
    const generator = t.functionExpression(null, [], inner, true, isAsync);
    const applied = t.callExpression(t.memberExpression(generator, t.identifier('apply')), [
      t.thisExpression(),
      t.identifier('arguments'),
    ]);
    const wrapper = fn.shape === 'generator' ? ids.generator : ids.asyncGenerator;
    result = t.yieldExpression(t.callExpression(t.identifier(wrapper), [spec, applied]), true);
  }
  node.body.body = [t.returnStatement(result)];
}

/** `const B = async () => body; return __apmAsync(S, B);`: an expression body becomes such a block. */
function wrapAsyncFunction(t: Types, node: BabelTypes.Function, fn: WovenFunction, plan: WeavePlan): void {
  const { body } = asyncLocalsOf(fn);
  let inner: BabelTypes.BlockStatement | BabelTypes.Expression;
  if (node.body.type === 'BlockStatement') {
    inner = t.blockStatement(node.body.body);
    inner.loc = node.body.loc;
  } else {
    inner = node.body;
  }
  const local = t.variableDeclaration('const', [
    t.variableDeclarator(t.identifier(body), t.arrowFunctionExpression([], inner, true)),
  ]);
  const returned = t.returnStatement(
    t.callExpression(t.identifier(plan.identifiers.asyncCall), [
      t.identifier(fn.specVar),
      t.identifier(body),
    ]),
  );
  if (node.body.type === 'BlockStatement') {
    node.body.body = [local, returned];
    return;
  }
  node.body = t.blockStatement([local, returned]);
  if (node.type === 'ArrowFunctionExpression') node.expression = false;
}
