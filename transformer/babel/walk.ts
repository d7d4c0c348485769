import type { Node } from '@babel/types';
import { VISITOR_KEYS } from '@babel/types';

/** Visits every node depth-first with its ancestors (nearest last). Returning false skips the node's children. */
export function walk(
  root: Node,
  visit: (node: Node, ancestors: readonly Node[]) => boolean | undefined,
): void {
  const ancestors: Node[] = [];
  const visitNode = (node: Node): void => {
    if (visit(node, ancestors) === false) return;
    ancestors.push(node);
    for (const key of VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) visitNode(item);
      } else if (isNode(child)) visitNode(child);
    }
    ancestors.pop();
  };
  visitNode(root);
}

function isNode(value: unknown): value is Node {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}

export function isFunctionBoundary(node: Node): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ObjectMethod' ||
    node.type === 'ClassMethod' ||
    node.type === 'ClassPrivateMethod'
  );
}
