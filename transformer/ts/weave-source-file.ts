import type * as TS from 'typescript';
import type { ResolvedWeaveOptions } from '../core/options.js';
import { planWeave } from '../core/plan.js';
import { mightWeave } from '../core/precheck.js';
import type { WovenFunction } from '../core/types.js';
import { reportWarnings } from '../core/warnings.js';
import { findCandidates } from './candidates.js';
import { collectComments } from './comments.js';
import { runtimeImportForm } from './compiler-facts.js';
import type { FunctionNode } from './names.js';
import { preambleStatements } from './preamble.js';
import type { TypeScript } from './typescript-api.js';
import { directivePrologueLength, wrapFunction } from './wrap-body.js';

/**
 * Weaves one source file: describe its functions to the core, let the core decide, rewrite the chosen functions and
 * add the runtime preamble. Returns the very same SourceFile object when there is nothing to weave.
 */
export function weaveSourceFile(
  ts: TypeScript,
  context: TS.TransformationContext,
  file: TS.SourceFile,
  options: ResolvedWeaveOptions,
): TS.SourceFile {
  if (file.isDeclarationFile || !mightWeave(file.text, file.fileName, options)) return file;
  try {
    return weave(ts, context, file, options);
  } catch (error) {
    // Never fail a build over one file: leave it as it was and say why.
    const message = `file left unwoven after an internal error: ${error instanceof Error ? error.message : String(error)}`;
    reportWarnings([{ file: file.fileName, line: 1, column: 0, message }], options);
    return file;
  }
}

function weave(
  ts: TypeScript,
  context: TS.TransformationContext,
  file: TS.SourceFile,
  options: ResolvedWeaveOptions,
): TS.SourceFile {
  const compilerOptions = context.getCompilerOptions();
  const form = runtimeImportForm(ts, file, compilerOptions);
  const found = findCandidates(ts, file, compilerOptions);
  const plan = planWeave(
    {
      code: file.text,
      id: file.fileName,
      candidates: found.candidates,
      comments: collectComments(ts, file),
      moduleSyntax: { hasEsmSyntax: form !== 'cjs', hasCjsSyntax: form === 'cjs' },
    },
    options,
  );
  reportWarnings(plan.warnings, options);
  if (plan.functions.length === 0) return file;

  const wovenByNode = new Map<TS.Node, WovenFunction>();
  for (const fn of plan.functions) {
    const node = found.nodes.get(fn.candidate);
    if (node) wovenByNode.set(node, fn);
  }
  // Only the woven functions and their ancestors are rebuilt; every other subtree is returned as it is.
  const onPath = new Set<TS.Node>();
  for (const node of wovenByNode.keys()) {
    for (let n: TS.Node | undefined = node; n && !onPath.has(n); n = n.parent) onPath.add(n);
  }
  const f = context.factory;
  const visit = (node: TS.Node): TS.Node => {
    if (!onPath.has(node)) return node;
    const visited = ts.visitEachChild(node, visit, context);
    const woven = wovenByNode.get(node);
    if (!woven) return visited;
    const ctorPlan = found.constructors.get(node as FunctionNode);
    const keepThroughSuper =
      ctorPlan !== undefined && 'keepOutside' in ctorPlan && ctorPlan.keepOutside === 'throughSuper';
    return wrapFunction(ts, f, visited as FunctionNode, woven, plan.identifiers, keepThroughSuper);
  };
  const statements = file.statements.map((statement) => visit(statement) as TS.Statement);
  const prologueEnd = directivePrologueLength(ts, statements);
  return f.updateSourceFile(file, [
    ...statements.slice(0, prologueEnd),
    ...preambleStatements(ts, f, plan, form),
    ...statements.slice(prologueEnd),
  ]);
}
