// Stack frames from V8 stack strings, in intake v2 shape. Error.prepareStackTrace is left alone:
// changing a process-wide hook is not ours to do.
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StackFrame {
  filename: string;
  abs_path?: string;
  lineno?: number;
  colno?: number;
  function?: string;
  library_frame: boolean;
}

// "    at fn (file:1:2)", "    at file:1:2", "    at async fn (file:1:2)", "    at new C (file:1:2)"
const FRAME = /^\s*at (?:(.+?) \((.+?)(?::(\d+))?(?::(\d+))?\)|(.+?)(?::(\d+))?(?::(\d+))?)$/;

const MAX_FRAMES = 50;

/** Parses the frames of `stack` (the message lines before the first frame are skipped). */
export function parseStack(stack: unknown, skip = 0): StackFrame[] {
  if (typeof stack !== 'string') return [];
  const frames: StackFrame[] = [];
  let skipped = 0;
  for (const line of stack.split('\n')) {
    if (!/^\s*at /.test(line)) continue;
    const match = FRAME.exec(line);
    if (!match) continue;
    if (skipped++ < skip) continue;
    const fn = match[1];
    const location = match[2] ?? match[5] ?? '';
    const frame = toFrame(location, match[3] ?? match[6], match[4] ?? match[7]);
    if (fn) frame.function = fn.replace(/^async /, '');
    frames.push(frame);
    if (frames.length >= MAX_FRAMES) break;
  }
  return foldWovenFrames(frames);
}

// Woven code runs a function's body in an arrow that the runtime calls: the stack reads
// "<anonymous body> / runInSpan / wovenCall / <the woven function>" (async: "<anonymous body> / async wovenAsync /
// async <the woven function>"). Those frames are reported as the one frame the unwoven function had: the body's
// place under the function's name, so culprits and grouping do not change.
const WOVEN_CALL_FRAMES = new Set(['runInSpan', 'wovenCall', 'wovenAsync']);
const WOVEN_ENTRY_FRAMES = new Set(['wovenCall', 'wovenAsync']);

function foldWovenFrames(frames: StackFrame[]): StackFrame[] {
  const folded: StackFrame[] = [];
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    folded.push(frame);
    if (frame.function !== undefined && frame.function !== '<anonymous>') continue;
    let next = i + 1;
    while (next < frames.length && WOVEN_CALL_FRAMES.has(frames[next]!.function ?? '')) next++;
    const woven = frames[next];
    if (next === i + 1 || !WOVEN_ENTRY_FRAMES.has(frames[next - 1]!.function ?? '') || !woven?.function)
      continue;
    frame.function = woven.function;
    i = next;
  }
  return folded;
}

function toFrame(location: string, line: string | undefined, column: string | undefined): StackFrame {
  let path = location;
  if (path.startsWith('file://')) {
    try {
      path = fileURLToPath(path);
    } catch {
      // keep the URL as it is
    }
  }
  const absolute = isAbsolute(path);
  const frame: StackFrame = {
    filename: absolute ? relativeToCwd(path) : path,
    library_frame: isLibrary(path),
  };
  if (absolute) frame.abs_path = path;
  if (line !== undefined) frame.lineno = Number(line);
  if (column !== undefined) frame.colno = Number(column);
  return frame;
}

function relativeToCwd(path: string): string {
  try {
    const rel = relative(process.cwd(), path);
    return rel === '' || rel.startsWith(`..${sep}`) ? path : rel;
  } catch {
    return path;
  }
}

/** node_modules, Node's own modules and V8 internals are library code; the app is the rest. */
export function isLibrary(path: string): boolean {
  return (
    path.includes(`${sep}node_modules${sep}`) ||
    path.includes('/node_modules/') ||
    path.startsWith('node:') ||
    path.startsWith('internal/') ||
    path === 'native' ||
    path === '<anonymous>'
  );
}

/** `"<function> (<filename>)"` of the first app frame, as the Node agent formats the culprit. */
export function culpritOf(frames: StackFrame[]): string | undefined {
  const frame = frames.find((f) => !f.library_frame) ?? frames[0];
  if (!frame) return undefined;
  return frame.function ? `${frame.function} (${frame.filename})` : frame.filename;
}

/** The stack of whoever called `anchor` (the public API function the user called), plus `skip` more frames. */
export function callSiteStack(anchor: Function, skip = 0): StackFrame[] {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, anchor);
  return parseStack(holder.stack, skip);
}
