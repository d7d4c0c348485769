/**
 * The front-end-neutral vocabulary of the weaver.
 *
 * A front end (magic-string over a Babel parse, the Babel plugin, the TypeScript transformer) parses the file its own
 * way, describes every function it sees as a `CandidateFunction`, hands the file's comments and candidates to
 * `planWeave` (core/plan.ts), and applies the returned `WeavePlan`. Typical front end:
 *
 *   const options = resolveWeaveOptions(userOptions);          // once per options object (cached)
 *   if (!mightWeave(code, id, options)) return;                 // cheap text test, before any parse
 *   const plan = planWeave({ code, id, candidates, comments, moduleSyntax }, options);
 *   reportWarnings(plan.warnings, options);                     // or hand them to the bundler
 *   if (plan.functions.length === 0) return;                    // untouched
 *   // insert plan.runtimeImport + one `var specVar = define(...spec)` per plan.functions entry after the directive
 *   // prologue, and wrap each plan.functions[i].candidate's body as its `shape` says (core/render.ts has the text).
 * The core never sees a parser's node types: the
 * only link back to the front end's node is the candidate object itself (keep a Map from candidate to node).
 */

/** User options, one shape for every front end (DESIGN.md "Public surface"). */
export interface WeaveOptions {
  /** File globs considered (default: every file outside node_modules). */
  include?: string[];
  /** File globs skipped. */
  exclude?: string[];
  /** Selection rules: "<file glob>#<name glob>" or "<name glob>", matched on the qualified name. */
  functions?: string[];
  /** Honour `@apm-span` / `@apm-ignore` comments (default true). */
  markers?: boolean;
  /** Default span type of woven functions (default "code.custom", as the Python agent). */
  spanType?: string;
  /** Module specifier the woven code imports (default "apm-weaver"). */
  runtime?: string;
  /** Receives every warning; default: console.warn, once per file. */
  onWarning?: (warning: WeaveWarning) => void;
}

export interface WeaveWarning {
  file: string;
  /** 1-based. */
  line: number;
  /** 0-based, as Babel, TypeScript's getLineAndCharacterOfPosition().character and source maps. */
  column: number;
  message: string;
}

/** A place in the source text: `offset` is the 0-based UTF-16 index; line 1-based, column 0-based. */
export interface SourcePoint {
  offset: number;
  line: number;
  column: number;
}

/** Every comment of the file, as the front end's parser reports it (text without the delimiters). */
export interface SourceComment {
  /** Text between the delimiters: without `//`, or without `/*` and `* /`. */
  text: string;
  /** Offset of the first delimiter character. */
  start: number;
  /** Offset just past the last delimiter character. */
  end: number;
  line: number;
  column: number;
}

/** How the function is written; decides the wrapping shape and the qualified name's form. */
export type FunctionKind =
  | 'declaration' // function f() {}
  | 'expression' // const f = function () {}
  | 'arrow' // const f = () => {}
  | 'method' // class or object-literal method, static or not, #private or not
  | 'getter'
  | 'setter'
  | 'constructor';

/**
 * The parts the core turns into a qualified name (DESIGN.md "Qualified names"):
 * `fn`, `Class.method`, `Class.#priv`, `get Class.prop`, `set Class.prop`, `obj.method`, `a.b.c` for `a.b.c = function`.
 */
export interface NameParts {
  /**
   * The owner: class name (declaration, or the binding a class expression is assigned to), object-literal binding,
   * or the member path of an assignment target without the final key (`exports`, `Cart`, `a.b`; `X.prototype.m = f`
   * gives owner `X`). Undefined for plain functions and for owners without a usable name.
   */
  owner?: string;
  /**
   * The function's own name: declared identifier, binding name, property key (string/number literal keys and
   * literal computed keys by value), `#priv` (with the `#`), `constructor`, or `default` for an anonymous
   * `export default`. Undefined when there is none (anonymous callbacks, non-literal computed keys).
   */
  name?: string;
  accessor?: 'get' | 'set';
  isStatic?: boolean;
}

/** A function the front end found; everything the core needs to decide, nothing parser-specific. */
export interface CandidateFunction {
  kind: FunctionKind;
  name: NameParts;
  /** Start of the function node itself (for warnings and ordering). */
  start: SourcePoint;
  /**
   * Offsets a marker comment may stand right before, innermost first: the function node, then each node it heads
   * (variable declarator, declaration, `export`/`export default`, class member or object property incl. its
   * decorators, assignment expression statement), and for an implementation after TypeScript overload signatures,
   * the start of the first signature. The core looks for comments separated from one of these only by whitespace.
   */
  anchors: number[];
  isAsync: boolean;
  isGenerator: boolean;
  /** Arrow function with an expression body (`() => expr`). */
  hasExpressionBody: boolean;
  /**
   * False for `abstract` and `declare` members and ambient functions: nothing to weave (a marker on them warns).
   * Overload signatures followed by their implementation are not candidates: the first signature's start is one of
   * the implementation's anchors instead.
   */
  hasBody: boolean;
  /** The body (not nested non-arrow functions) uses `super`: a generator so written cannot move into an inner generator. */
  usesSuper: boolean;
  /**
   * A name that the body's top-level `var`/function declarations share with a parameter binding or `arguments`;
   * inside an arrow the redeclaration would make a new, uninitialised binding.
   */
  redeclaredName?: string;
  /** Why this front end cannot weave this function, if it knows better than the core (rare). */
  unsupported?: string;
}

/** The arguments of the hoisted `defineSpan(name, type, options)` call. Values are data, rendered as literals. */
export interface SpanSpecArgs {
  name: string;
  type: string;
  options?: {
    leaf?: boolean;
    labels?: Record<string, string | number | boolean>;
  };
}

/**
 * The wrapping shape (woven-contract.md):
 * - call:           `return __apmCall(S, () => { body })`, or `__apmCall(S, () => expr)` for expression bodies
 * - asyncCall:      `const B = async () => { body }; return __apmAsync(S, B);`
 *                   (an expression body becomes such a block, `B = async () => expr`)
 * - generator:      `return yield* __apmGen(S, function* () { body }.apply(this, arguments))`
 * - asyncGenerator: `return yield* __apmAsyncGen(S, async function* () { body }.apply(this, arguments))`
 */
export type WrapShape = 'call' | 'asyncCall' | 'generator' | 'asyncGenerator';

/** One function to weave. */
export interface WovenFunction {
  candidate: CandidateFunction;
  qualifiedName: string;
  shape: WrapShape;
  /** Identifier of this function's hoisted spec variable (`__apmS0`, ...). */
  specVar: string;
  spec: SpanSpecArgs;
  /** The woven function's own locals, for the asyncCall shape only. */
  asyncLocals?: AsyncLocals;
}

/** The local of a woven async function: its named body arrow (`__apmB0$checkout`). */
export interface AsyncLocals {
  body: string;
}

/** The identifiers woven code uses; a suffix is added when the file already uses `__apm...` names. */
export interface RuntimeIdentifiers {
  define: string;
  call: string;
  generator: string;
  asyncGenerator: string;
  asyncCall: string;
}

/** Which runtime functions the woven file uses, by exported name, with the local identifier for each. */
export interface RuntimeImport {
  /** Module specifier (options.runtime). */
  specifier: string;
  /** `import { ... } from` or `var { ... } = require(...)`. */
  moduleKind: 'esm' | 'cjs';
  /** Pairs of (exported name in the runtime, local identifier), in a stable order. */
  bindings: Array<{
    imported: 'defineSpan' | 'wovenCall' | 'wovenGenerator' | 'wovenAsyncGenerator' | 'wovenAsyncCall';
    local: string;
  }>;
}

/** Everything a front end applies to one file. Empty `functions`: leave the file untouched. */
export interface WeavePlan {
  functions: WovenFunction[];
  runtimeImport: RuntimeImport;
  identifiers: RuntimeIdentifiers;
  warnings: WeaveWarning[];
}

/** What the front end knows about the file's module system, for `RuntimeImport.moduleKind`. */
export interface ModuleSyntax {
  /** The file has `import`/`export` declarations (incl. `import x = require` / `export =` in TypeScript). */
  hasEsmSyntax: boolean;
  /** The file calls `require(...)` or assigns `module.exports` / `exports.x`. */
  hasCjsSyntax: boolean;
}

/** The input of `planWeave`. */
export interface WeaveInput {
  code: string;
  /** File id (path) as the front end received it. */
  id: string;
  candidates: CandidateFunction[];
  comments: SourceComment[];
  moduleSyntax: ModuleSyntax;
}
