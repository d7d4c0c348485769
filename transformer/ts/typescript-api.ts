import type * as TS from 'typescript';

/**
 * The TypeScript module as a value. The transformer never imports `typescript` at run time: ts-patch hands us the
 * instance that compiles the program (`extras.ts`), and tests pass the one they compile with, so the nodes we build
 * and the nodes we read always come from the same copy of the compiler.
 */
export type TypeScript = typeof TS;
