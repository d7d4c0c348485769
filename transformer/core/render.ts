import { asyncLocalsOf } from './plan.js';
import type { RuntimeImport, SpanSpecArgs, WeavePlan, WovenFunction } from './types.js';

/**
 * JavaScript text for front ends that edit text (magic-string). Marker values are data: they reach the output only
 * through JSON.stringify, which yields valid, fully escaped JavaScript string literals.
 */
export function renderSpanArgs(spec: SpanSpecArgs): string {
  const args = [JSON.stringify(spec.name), JSON.stringify(spec.type)];
  const extra: string[] = [];
  if (spec.options?.leaf !== undefined) extra.push(`leaf: ${spec.options.leaf}`);
  if (spec.options?.labels) {
    const labels = Object.entries(spec.options.labels).map(
      ([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`,
    );
    extra.push(`labels: { ${labels.join(', ')} }`);
  }
  if (extra.length > 0) args.push(`{ ${extra.join(', ')} }`);
  return args.join(', ');
}

export function renderRuntimeImport(runtimeImport: RuntimeImport): string {
  const specifier = JSON.stringify(runtimeImport.specifier);
  if (runtimeImport.moduleKind === 'esm') {
    const names = runtimeImport.bindings.map((b) => `${b.imported} as ${b.local}`).join(', ');
    return `import { ${names} } from ${specifier};`;
  }
  const names = runtimeImport.bindings.map((b) => `${b.imported}: ${b.local}`).join(', ');
  return `var { ${names} } = require(${specifier});`;
}

/** The runtime import and one hoisted `var` per woven function, one statement per line. */
export function renderPreamble(plan: WeavePlan): string {
  const lines = [renderRuntimeImport(plan.runtimeImport)];
  for (const fn of plan.functions)
    lines.push(`var ${fn.specVar} = ${plan.identifiers.define}(${renderSpanArgs(fn.spec)});`);
  return lines.join('\n');
}

/**
 * The text inserted around a function body. Block bodies: `open` goes after the `{` and the directive prologue,
 * `close` before the `}`. Expression bodies (arrows): `open` before the expression, `close` after it.
 */
export function renderWrap(fn: WovenFunction, plan: WeavePlan): { open: string; close: string } {
  const ids = plan.identifiers;
  const s = fn.specVar;
  if (fn.shape === 'asyncCall') return renderAsyncWrap(fn, plan);
  if (fn.candidate.hasExpressionBody) return { open: `${ids.call}(${s}, () => `, close: ')' };
  switch (fn.shape) {
    case 'call':
      return { open: ` return ${ids.call}(${s}, () => {`, close: '}); ' };
    case 'generator':
      return {
        open: ` return yield* ${ids.generator}(${s}, function* () {`,
        close: '}.apply(this, arguments)); ',
      };
    case 'asyncGenerator':
      return {
        open: ` return yield* ${ids.asyncGenerator}(${s}, async function* () {`,
        close: '}.apply(this, arguments)); ',
      };
  }
}

/**
 * A woven async function returns its body's promise (woven-contract.md):
 *   `const B = async () => { body }; return __apmAsync(S, B);`
 * An expression body becomes such a block around `B = async () => expr`.
 */
function renderAsyncWrap(fn: WovenFunction, plan: WeavePlan): { open: string; close: string } {
  const { body } = asyncLocalsOf(fn);
  const head = `const ${body} = async () => `;
  const tail = `return ${plan.identifiers.asyncCall}(${fn.specVar}, ${body});`;
  if (fn.candidate.hasExpressionBody) return { open: `{ ${head}`, close: `; ${tail} }` };
  return { open: ` ${head}{`, close: `}; ${tail} ` };
}
