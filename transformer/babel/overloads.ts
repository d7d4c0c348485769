import type * as t from '@babel/types';
import { keyName } from './names.js';
import { walk } from './walk.js';

export interface Overloads {
  /** Overload signatures followed by their implementation: not candidates of their own. */
  signatures: Set<t.Node>;
  /** Implementation -> start of its first signature (incl. `export`), where a marker may stand. */
  implementations: Map<t.Node, number>;
}

/** Pairs TypeScript overload signatures with the implementation that follows them in the same list. */
export function findOverloads(program: t.Program): Overloads {
  const result: Overloads = { signatures: new Set(), implementations: new Map() };
  walk(program, (node) => {
    if (node.type === 'Program' || node.type === 'BlockStatement' || node.type === 'TSModuleBlock') {
      pairStatements(node.body, result);
    } else if (node.type === 'ClassBody') {
      pairMembers(node.body, result);
    }
    return undefined;
  });
  return result;
}

function pairStatements(statements: readonly t.Node[], result: Overloads): void {
  let pending: { name: string; start: number; signatures: t.Node[] } | undefined;
  for (const statement of statements) {
    const declaration =
      (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') &&
      statement.declaration
        ? statement.declaration
        : statement;
    const name =
      (declaration.type === 'TSDeclareFunction' || declaration.type === 'FunctionDeclaration') &&
      declaration.id
        ? declaration.id.name
        : undefined;
    if (declaration.type === 'TSDeclareFunction' && name !== undefined && !declaration.declare) {
      if (pending?.name !== name) pending = { name, start: statement.start ?? 0, signatures: [] };
      pending.signatures.push(declaration);
      continue;
    }
    if (declaration.type === 'FunctionDeclaration' && pending && pending.name === name) {
      for (const signature of pending.signatures) result.signatures.add(signature);
      result.implementations.set(declaration, pending.start);
    }
    pending = undefined;
  }
}

function pairMembers(members: readonly t.Node[], result: Overloads): void {
  let pending: { key: string; start: number; signatures: t.Node[] } | undefined;
  for (const member of members) {
    const key = memberKey(member);
    if (member.type === 'TSDeclareMethod' && key !== undefined && !member.abstract) {
      if (pending?.key !== key) pending = { key, start: member.start ?? 0, signatures: [] };
      pending.signatures.push(member);
      continue;
    }
    if (
      (member.type === 'ClassMethod' || member.type === 'ClassPrivateMethod') &&
      pending &&
      pending.key === key
    ) {
      for (const signature of pending.signatures) result.signatures.add(signature);
      result.implementations.set(member, pending.start);
    }
    pending = undefined;
  }
}

function memberKey(member: t.Node): string | undefined {
  if (
    member.type !== 'TSDeclareMethod' &&
    member.type !== 'ClassMethod' &&
    member.type !== 'ClassPrivateMethod'
  ) {
    return undefined;
  }
  const key = keyName(member.key, member.type === 'ClassPrivateMethod' ? false : member.computed === true);
  return key === undefined ? undefined : `${member.static ? 'static ' : ''}${member.kind} ${key}`;
}
