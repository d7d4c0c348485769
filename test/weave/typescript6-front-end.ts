// TypeScript 6 (installed under the alias typescript-6) as a front end of the shared runner: the same transformer
// must weave every fixture through TypeScript 6's API as through 5.9's.
import type * as TS from 'typescript';
import { typescriptFrontEndFor } from '../transformer/typescript-front-end.js';

const ts = (await import('typescript-6' as string)).default as typeof TS;

export const typescript6FrontEnd = typescriptFrontEndFor(ts, `typescript ${ts.version}`);
