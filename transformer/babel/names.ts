import type * as t from '@babel/types';

/** Expression wrappers that do not change which binding a function or object is assigned to. */
const TRANSPARENT = new Set([
  'ParenthesizedExpression',
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSTypeAssertion',
  'TSNonNullExpression',
]);

/** The nearest ancestor that is not a transparent wrapper, its index, and the child through which we came. */
export function contextOf(node: t.Node, ancestors: readonly t.Node[], from = ancestors.length - 1) {
  let child = node;
  let index = from;
  while (index >= 0 && TRANSPARENT.has((ancestors[index] as t.Node).type)) {
    child = ancestors[index] as t.Node;
    index--;
  }
  return { parent: ancestors[index], index, child };
}

/** A property key as written: identifiers and literals by value, `#priv`, `[a.b]` for computed member paths. */
export function keyName(key: t.Node, computed: boolean): string | undefined {
  if (key.type === 'PrivateName') return `#${key.id.name}`;
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0)
    return key.quasis[0]?.value.cooked ?? undefined;
  if (computed) {
    const path = memberPath(key);
    return path ? `[${path.join('.')}]` : undefined;
  }
  return undefined;
}

/** `a.b.c` as ['a', 'b', 'c'] for identifier/this/literal-keyed member chains; undefined for anything else. */
export function memberPath(node: t.Node): string[] | undefined {
  if (node.type === 'Identifier') return [node.name];
  if (node.type === 'ThisExpression') return ['this'];
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
    const object = memberPath(node.object);
    const property = keyName(node.property, node.computed);
    if (!object || property === undefined || property.startsWith('[')) return undefined;
    return [...object, property];
  }
  return undefined;
}

/** Owner and name from an assignment target: `X.prototype.m` reads as owner `X`, name `m`. */
export function namePartsOfTarget(target: t.Node): { owner?: string; name?: string } {
  const path = memberPath(target);
  if (!path) return {};
  const name = path.at(-1);
  const owner = path.slice(0, -1).filter((part, i, all) => !(part === 'prototype' && i === all.length - 1));
  return owner.length > 0 ? { owner: owner.join('.'), name } : { name };
}

/**
 * The name an object literal or class expression is known by: its variable, its assignment target, its property
 * path inside an outer named object, `default` for `export default`. Undefined when it has none.
 */
export function bindingName(node: t.Node, ancestors: readonly t.Node[]): string | undefined {
  const { parent, index, child } = contextOf(node, ancestors);
  if (!parent) return undefined;
  switch (parent.type) {
    case 'VariableDeclarator':
      return parent.init === child && parent.id.type === 'Identifier' ? parent.id.name : undefined;
    case 'AssignmentExpression':
    case 'AssignmentPattern': {
      if (parent.right !== child) return undefined;
      const { owner, name } = namePartsOfTarget(parent.left);
      return owner && name ? `${owner}.${name}` : name;
    }
    case 'ExportDefaultDeclaration':
      return 'default';
    case 'ObjectProperty': {
      if (parent.value !== child) return undefined;
      const key = keyName(parent.key, parent.computed);
      const outer = ancestors[index - 1];
      const owner = outer ? bindingName(outer, ancestors.slice(0, index - 1)) : undefined;
      return key === undefined ? undefined : owner ? `${owner}.${key}` : key;
    }
    case 'ClassProperty':
    case 'ClassPrivateProperty': {
      if (parent.value !== child) return undefined;
      const key = keyName(parent.key, parent.type === 'ClassProperty' ? parent.computed : false);
      const owner = classNameAt(ancestors, index - 2);
      return key === undefined ? undefined : owner ? `${owner}.${key}` : key;
    }
    default:
      return undefined;
  }
}

/** The name of the class at `ancestors[index]` (a ClassDeclaration or ClassExpression), if it has one. */
export function classNameAt(ancestors: readonly t.Node[], index: number): string | undefined {
  const node = ancestors[index];
  if (!node || (node.type !== 'ClassDeclaration' && node.type !== 'ClassExpression')) return undefined;
  if (node.id) return node.id.name;
  return bindingName(node, ancestors.slice(0, index));
}
