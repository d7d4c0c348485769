import type * as t from '@babel/types';
import type { CandidateFunction, ModuleSyntax, NameParts, SourceComment } from '../core/types.js';
import { functionFacts } from './facts.js';
import { bindingName, classNameAt, contextOf, keyName, namePartsOfTarget } from './names.js';
import { findOverloads } from './overloads.js';
import { walk } from './walk.js';

export type BabelFunction = t.Function | t.TSDeclareFunction | t.TSDeclareMethod;

export interface Extraction {
  candidates: CandidateFunction[];
  /** The Babel node of each candidate, for the front end that applies the plan. */
  nodes: Map<CandidateFunction, BabelFunction>;
  comments: SourceComment[];
  moduleSyntax: ModuleSyntax;
}

/** Describes every function of a Babel AST in the core's terms. Used by the magic-string front end and the plugin. */
export function extractCandidates(ast: t.File): Extraction {
  const candidates: CandidateFunction[] = [];
  const nodes = new Map<CandidateFunction, BabelFunction>();
  const moduleSyntax: ModuleSyntax = { hasEsmSyntax: false, hasCjsSyntax: false };
  const overloads = findOverloads(ast.program);

  walk(ast.program, (node, ancestors) => {
    noteModuleSyntax(node, ancestors, moduleSyntax);
    if (!isFunctionNode(node) || overloads.signatures.has(node)) return undefined;
    const described = describe(node, ancestors);
    const extraAnchor = overloads.implementations.get(node);
    if (extraAnchor !== undefined) described.anchors.push(extraAnchor);
    candidates.push(described);
    nodes.set(described, node);
    return undefined;
  });

  const comments = (ast.comments ?? []).map(
    (c): SourceComment => ({
      text: c.value,
      start: c.start ?? 0,
      end: c.end ?? 0,
      line: c.loc?.start.line ?? 1,
      column: c.loc?.start.column ?? 0,
    }),
  );
  return { candidates, nodes, comments, moduleSyntax };
}

function isFunctionNode(node: t.Node): node is BabelFunction {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
    case 'TSDeclareFunction':
    case 'TSDeclareMethod':
      return true;
    default:
      return false;
  }
}

function describe(node: BabelFunction, ancestors: readonly t.Node[]): CandidateFunction {
  const anchors = [node.start ?? 0];
  const { name, kind } = nameAndKind(node, ancestors, anchors);
  return {
    kind,
    name,
    start: { offset: node.start ?? 0, line: node.loc?.start.line ?? 1, column: node.loc?.start.column ?? 0 },
    anchors,
    isAsync: node.async === true,
    isGenerator: node.generator === true,
    hasExpressionBody: node.type === 'ArrowFunctionExpression' && node.body.type !== 'BlockStatement',
    ...functionFacts(node, ancestors),
  };
}

function nameAndKind(
  node: BabelFunction,
  ancestors: readonly t.Node[],
  anchors: number[],
): { name: NameParts; kind: CandidateFunction['kind'] } {
  if (node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod' || node.type === 'TSDeclareMethod') {
    const computed = node.type === 'ClassPrivateMethod' ? false : node.computed === true;
    const kind =
      node.kind === 'get'
        ? 'getter'
        : node.kind === 'set'
          ? 'setter'
          : node.kind === 'constructor'
            ? 'constructor'
            : 'method';
    const name = methodName(keyName(node.key, computed), classNameAt(ancestors, ancestors.length - 2), kind);
    if (node.static) name.isStatic = true;
    return { name, kind };
  }
  if (node.type === 'ObjectMethod') {
    const kind = node.kind === 'get' ? 'getter' : node.kind === 'set' ? 'setter' : 'method';
    const owner = bindingName(ancestors.at(-1) as t.Node, ancestors.slice(0, -1));
    return { name: methodName(keyName(node.key, node.computed), owner, kind), kind };
  }
  if (node.type === 'FunctionDeclaration' || node.type === 'TSDeclareFunction') {
    const parent = ancestors.at(-1);
    if (parent?.type === 'ExportNamedDeclaration' || parent?.type === 'ExportDefaultDeclaration') {
      anchors.push(parent.start ?? 0);
    }
    const name = node.id?.name ?? (parent?.type === 'ExportDefaultDeclaration' ? 'default' : undefined);
    return { name: name === undefined ? {} : { name }, kind: 'declaration' };
  }
  const kind = node.type === 'ArrowFunctionExpression' ? 'arrow' : 'expression';
  return { name: expressionName(node, ancestors, anchors), kind };
}

function methodName(key: string | undefined, owner: string | undefined, kind: string): NameParts {
  const name: NameParts = {};
  if (key !== undefined) name.name = key;
  if (owner !== undefined) name.owner = owner;
  if (kind === 'getter') name.accessor = 'get';
  if (kind === 'setter') name.accessor = 'set';
  return name;
}

/** Names a function or arrow expression from where it stands, and records the nodes it heads as marker anchors. */
function expressionName(node: t.Node, ancestors: readonly t.Node[], anchors: number[]): NameParts {
  const { parent, index, child } = contextOf(node, ancestors);
  const own = node.type === 'FunctionExpression' && node.id ? { name: node.id.name } : {};
  if (!parent) return own;
  const anchor = (n: t.Node | undefined) => n && anchors.push(n.start ?? 0);
  switch (parent.type) {
    case 'VariableDeclarator': {
      if (parent.init !== child || parent.id.type !== 'Identifier') return own;
      anchor(parent);
      const declaration = ancestors[index - 1];
      if (declaration?.type === 'VariableDeclaration' && declaration.declarations.length === 1) {
        anchor(declaration);
        const exported = ancestors[index - 2];
        if (exported?.type === 'ExportNamedDeclaration') anchor(exported);
      }
      return { name: parent.id.name };
    }
    case 'AssignmentExpression': {
      if (parent.right !== child) return own;
      anchor(parent);
      const statement = ancestors[index - 1];
      if (statement?.type === 'ExpressionStatement') anchor(statement);
      return withoutUndefined(namePartsOfTarget(parent.left));
    }
    case 'AssignmentPattern':
      return parent.right === child && parent.left.type === 'Identifier' ? { name: parent.left.name } : own;
    case 'ObjectProperty': {
      if (parent.value !== child) return own;
      anchor(parent);
      const owner = bindingName(ancestors[index - 1] as t.Node, ancestors.slice(0, index - 1));
      return methodName(keyName(parent.key, parent.computed), owner, 'method');
    }
    case 'ClassProperty':
    case 'ClassPrivateProperty':
    case 'ClassAccessorProperty': {
      if (parent.value !== child) return own;
      anchor(parent);
      const computed = parent.type === 'ClassPrivateProperty' ? false : parent.computed;
      const name = methodName(keyName(parent.key, computed), classNameAt(ancestors, index - 2), 'method');
      if (parent.static) name.isStatic = true;
      return name;
    }
    case 'ExportDefaultDeclaration':
      anchor(parent);
      return { name: 'default' };
    default:
      return own;
  }
}

function withoutUndefined(parts: { owner?: string; name?: string }): NameParts {
  const name: NameParts = {};
  if (parts.owner !== undefined) name.owner = parts.owner;
  if (parts.name !== undefined) name.name = parts.name;
  return name;
}

function noteModuleSyntax(node: t.Node, ancestors: readonly t.Node[], syntax: ModuleSyntax): void {
  switch (node.type) {
    case 'ImportDeclaration':
    case 'ExportNamedDeclaration':
    case 'ExportDefaultDeclaration':
    case 'ExportAllDeclaration':
      if (ancestors.length === 1) syntax.hasEsmSyntax = true;
      return;
    case 'TSImportEqualsDeclaration':
      // `import x = require("y")` compiles to CommonJS; `import x = Ns.y` is only an alias.
      if (node.moduleReference.type === 'TSExternalModuleReference') syntax.hasCjsSyntax = true;
      return;
    case 'TSExportAssignment':
      syntax.hasCjsSyntax = true;
      return;
    case 'CallExpression':
      if (node.callee.type === 'Identifier' && node.callee.name === 'require') syntax.hasCjsSyntax = true;
      return;
    case 'MemberExpression':
      if (
        node.object.type === 'Identifier' &&
        node.object.name === 'module' &&
        keyName(node.property, node.computed) === 'exports'
      ) {
        syntax.hasCjsSyntax = true;
      }
      return;
    case 'AssignmentExpression':
      if (
        node.left.type === 'MemberExpression' &&
        node.left.object.type === 'Identifier' &&
        node.left.object.name === 'exports'
      ) {
        syntax.hasCjsSyntax = true;
      }
      return;
    default:
      return;
  }
}
