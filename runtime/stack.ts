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
  /** Per frame: V8 printed it as `async <name>` (an async function awaiting the frame above). */
  const awaiting: boolean[] = [];
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
    awaiting.push(fn?.startsWith('async ') === true);
    if (frames.length >= MAX_FRAMES) break;
  }
  return foldWovenFrames(frames, awaiting);
}

// Woven code runs a function's body in an arrow that the runtime calls. The stack reads
//   sync:          "<anonymous body> / runInSpan / wovenCall / <the woven function>" (with "enterAndCall", or on
//                  Node 24 "wovenSyncEnter / AsyncResource.runInAsyncScope", before runInSpan)
//   async:         "__apmB<n>$<name> / wovenAsyncChain / inCallerScope / wovenAsyncCall / <the woven function>"
//                  before the body's first await (on Node 24 with "AsyncResource.runInAsyncScope" before
//                  inCallerScope; without a span, "__apmB<n>$<name> / wovenAsyncCall / ..."), and only
//                  "__apmB<n>$<name>" after it: the woven function has returned, its callers follow.
//   older woven async code: "<anonymous body> / async wovenAsync / async <the woven function>", or
//                  "__apmB<n> / wovenAsyncEnter / inCallerScope / wovenAsyncRun / <the woven function>" before the
//                  first await and
//                  "__apmB<n> / async <the woven function>" after it (the woven function awaited its body).
// Those frames are reported as the one frame the unwoven function had: the body's place under the function's
// name, so culprits and grouping do not change.
const WOVEN_CALL_FRAMES = new Set([
  'runInSpan',
  'enterAndCall',
  'wovenSyncEnter',
  'wovenCall',
  'wovenAsync',
  'wovenAsyncCall',
  'wovenAsyncChain',
  'wovenAsyncRun',
  'wovenAsyncEnter',
  'inCallerScope',
  'AsyncResource.runInAsyncScope',
]);
const WOVEN_ENTRY_FRAMES = new Set(['wovenCall', 'wovenAsync', 'wovenAsyncCall', 'wovenAsyncRun']);
/**
 * The body arrow of a woven async function: `__apmB0$g`, `__apmB0$Cart$$checkout` for `Cart.checkout`, or
 * `__apm1_B0$g` in a file that had `__apm` names.
 */
const NAMED_BODY = /^__apm(?:\d+_)?B\d+\$(.*)$/;
/** The same in code woven by earlier versions, which awaited it: `__apmB0`, `__apm1_B0`. */
const AWAITED_BODY = /^__apm(?:\d+_)?B\d+$/;

function foldWovenFrames(frames: StackFrame[], awaiting: readonly boolean[]): StackFrame[] {
  const folded: StackFrame[] = [];
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    folded.push(frame);
    const name = frame.function;
    const named = name === undefined ? null : NAMED_BODY.exec(name);
    const awaitedBody = name !== undefined && AWAITED_BODY.test(name);
    if (name !== undefined && name !== '<anonymous>' && named === null && !awaitedBody) continue;
    let next = i + 1;
    while (next < frames.length && WOVEN_CALL_FRAMES.has(frames[next]!.function ?? '')) next++;
    const woven = frames[next];
    const throughRuntime = next > i + 1 && WOVEN_ENTRY_FRAMES.has(frames[next - 1]!.function ?? '');
    // Right after an awaited body, with no runtime frame between, stands the woven function's async frame.
    const directlyAwaited = awaitedBody && next === i + 1 && awaiting[next] === true;
    if (woven?.function !== undefined && (throughRuntime || directlyAwaited)) {
      frame.function = woven.function;
      i = next;
    } else if (named !== null) {
      // After the body's first await: the woven function's own name, kept in the body's.
      if (named[1]) frame.function = named[1].replaceAll('$$', '.');
      else delete frame.function;
    }
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
