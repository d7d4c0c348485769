// A request body compressed on the sending thread as a series of gzip members (the transport worker: IntakeRequest
// with compressInPlace). A gzip body may be a series of members; APM Server's reader and Node's read them as one
// stream. Each gzipSync call sets up a new deflate state (a few hundred KiB allocated and touched) and each member is
// a socket write, so lines are held until they add up to HOLD_BYTES, for at most HOLD_MS, or until the request
// ends, and lines that lie side by side in one buffer (the worker's output) go into one member uncopied: a
// 2048-span flush was three members, now one (probe, Node 24: ~80-120 ns of CPU per span less, all threads).
// A piece of the worker's span lines is written by span-deflate.ts from the drain's hints, without zlib's search for
// matches (probe, Node 24: the worker's CPU per span ~570 -> ~400 ns); everything else goes through zlib.
import { nodeZlib } from '../lazy-builtins.js';
import { hintedMember } from './line-hints.js';

/**
 * Lines held before they are compressed: the default apiRequestSize, so a request that ends on its size or on a flush
 * is one member. (At 384 KiB a 2048-span flush was a large member and a small one, which cost as much set-up.)
 */
export const HOLD_BYTES = 768 * 1024;
/** At most this long: lines still reach the server about as soon as the HTTP transport's coalescing lets them go. */
export const HOLD_MS = 10;
const GZIP_CHUNK_BYTES = 64 * 1024;

export class GzipMembers {
  /** The metadata line, held with the lines: a request that starts and ends within HOLD_MS is one socket write. */
  private heldFirst: Buffer | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Sends a member; false when the socket wants a pause (the caller waits for its drain). */
    private readonly send: (member: Buffer) => boolean,
    private readonly fail: (reason: string) => void,
  ) {}

  /** True while lines are held: their buffer must not change until they are compressed or dropped. */
  get holding(): boolean {
    return this.held.length > 0;
  }

  /**
   * `first`: the request's first write, the metadata line (its member is made once). It waits for the lines: sent at
   * once, it was a socket write of its own (with the request's headers), and a short request (a flush) two writes;
   * each write to the server costs a wake-up of the receiving side (~20 µs of CPU on loopback).
   */
  write(chunk: Buffer, first: boolean): boolean {
    if (first) {
      this.heldFirst = chunk;
      return true;
    }
    const last = this.held[this.held.length - 1];
    if (
      last !== undefined &&
      last.buffer === chunk.buffer &&
      last.byteOffset + last.length === chunk.byteOffset
    ) {
      this.held[this.held.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + chunk.length);
    } else {
      this.held.push(chunk);
    }
    this.heldBytes += chunk.length;
    if (this.heldBytes >= HOLD_BYTES) return this.flush();
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), HOLD_MS);
      this.timer.unref();
    }
    return true;
  }

  /** Compresses and sends what is held; false when the socket wants a pause or compression failed. */
  flush(): boolean {
    clearTimeout(this.timer);
    this.timer = undefined;
    const first = this.heldFirst;
    const held = this.held;
    this.heldFirst = undefined;
    this.held = [];
    this.heldBytes = 0;
    let writable = first === undefined || this.compress(first, true);
    for (const piece of held) writable = this.compress(piece, false) && writable;
    return writable;
  }

  /** Forgets what is held (the request failed or was answered early). */
  drop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.heldFirst = undefined;
    this.held = [];
    this.heldBytes = 0;
  }

  private compress(chunk: Buffer, first: boolean): boolean {
    let member: Buffer;
    try {
      member = first ? firstMember(chunk) : (hintedMember(chunk) ?? gzipMember(chunk));
    } catch (error) {
      this.drop();
      this.fail(`compression failed: ${(error as Error).message}`);
      return false;
    }
    return this.send(member);
  }
}

/** `chunk` as a complete gzip member. */
function gzipMember(chunk: Buffer): Buffer {
  const zlib = nodeZlib();
  return zlib.gzipSync(chunk, { level: zlib.constants.Z_BEST_SPEED, chunkSize: GZIP_CHUNK_BYTES });
}

// A request's first write is the metadata line, the same Buffer every time: its member is made once (a gzipSync
// call costs ~17 µs before the first byte).
let firstInput: Buffer | undefined;
let firstOutput: Buffer | undefined;

function firstMember(chunk: Buffer): Buffer {
  if (chunk !== firstInput || firstOutput === undefined) {
    firstOutput = gzipMember(chunk);
    firstInput = chunk;
  }
  return firstOutput;
}
