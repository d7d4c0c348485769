// One POST /intake/v2/events, answered the way APM Server answers it: 202 when every line was
// accepted, 400 with {accepted, errors:[{message, document}]} otherwise, 401 on bad credentials.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventStore } from './event-store.js';
import { type IntakeLineKind, isIntakeLineKind, schemaViolation } from './intake-schemas.js';
import { decoderFor, readLines } from './ndjson-lines.js';

export interface IntakeLimits {
  /** Longest accepted line in bytes (APM Server's max_event_size, 300 KiB by default). */
  maxEventSize: number;
  /** Errors listed in a 400 answer; the rest are only counted. */
  maxReportedErrors: number;
  secretToken?: string;
  apiKey?: string;
}

export interface IntakeStats {
  /** Intake requests received. */
  requests: number;
  /** Events accepted and kept. */
  accepted: number;
  /** Lines rejected (invalid JSON, schema violation, unknown type, oversize, missing metadata). */
  rejected: number;
}

/** What one intake request carried, for tests and the serve page. */
export interface IntakeRequestRecord {
  headers: IncomingMessage['headers'];
  status: number;
  accepted: number;
  errors: IntakeError[];
  /** Line types in arrival order, metadata included. */
  lines: string[];
  receivedAt: number;
}

export interface IntakeError {
  message: string;
  document?: string;
}

const MAX_DOCUMENT_CHARS = 10_000;

function isAuthorized(header: string | undefined, limits: IntakeLimits): boolean {
  if (!limits.secretToken && !limits.apiKey) return true;
  if (limits.apiKey && header === `ApiKey ${limits.apiKey}`) return true;
  if (limits.secretToken && header === `Bearer ${limits.secretToken}`) return true;
  return false;
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent || res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

export async function handleIntakeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  limits: IntakeLimits,
  store: EventStore,
  stats: IntakeStats,
  track: (record: IntakeRequestRecord) => void,
): Promise<IntakeRequestRecord> {
  stats.requests++;
  const record: IntakeRequestRecord = {
    headers: req.headers,
    status: 0,
    accepted: 0,
    errors: [],
    lines: [],
    receivedAt: Date.now(),
  };
  // Tracked from the start: a test that saw an event can already see its request.
  track(record);
  const finish = (status: number, body?: unknown): IntakeRequestRecord => {
    record.status = status;
    reply(res, status, body);
    // Whatever the client still sends is read and dropped, so it can see the answer.
    req.resume();
    return record;
  };

  // Refused before reading the body: the request counts as rejected, its lines unread.
  const refuse = (status: number, message: string): IntakeRequestRecord => {
    record.errors.push({ message });
    return finish(status, status === 401 ? { error: message } : { accepted: 0, errors: [{ message }] });
  };
  if (req.method !== 'POST') return refuse(400, 'only POST requests are supported');
  if (!isAuthorized(req.headers.authorization, limits)) {
    return refuse(401, 'authentication failed: missing or invalid credentials');
  }
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.includes('application/x-ndjson'))
    return refuse(400, `invalid content type: '${contentType}'`);
  const decoder = decoderFor(req.headers['content-encoding']);
  if (!decoder) return refuse(400, `unsupported content encoding: '${req.headers['content-encoding']}'`);

  let metadata: Record<string, unknown> | undefined;
  let stopped = false; // after a bad metadata line nothing else in the request counts
  let errorCount = 0;
  const reject = (message: string, document?: string): void => {
    errorCount++;
    stats.rejected++;
    if (record.errors.length < limits.maxReportedErrors) {
      const error: IntakeError = { message };
      if (document !== undefined) error.document = document.slice(0, MAX_DOCUMENT_CHARS);
      record.errors.push(error);
    }
  };

  const onLine = (line: Buffer): void => {
    if (stopped) return;
    const text = line.toString('utf8');
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      reject(`data read error: invalid JSON: ${(error as Error).message}`, text);
      if (!metadata) stopped = true;
      return;
    }
    const key =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? Object.keys(parsed)[0]
        : undefined;
    if (key === undefined || !isIntakeLineKind(key)) {
      reject(`did not recognize object type: '${key ?? typeof parsed}'`, text);
      if (!metadata) stopped = true;
      return;
    }
    record.lines.push(key);
    const value = (parsed as Record<string, unknown>)[key];
    if (!metadata && key !== 'metadata') {
      reject(`metadata must be the first line of every request, got '${key}'`, text);
      stopped = true;
      return;
    }
    const violation = schemaViolation(key as IntakeLineKind, value);
    if (violation) {
      reject(violation, text);
      if (key === 'metadata') stopped = true;
      return;
    }
    if (key === 'metadata') {
      // A second metadata line replaces the first for the events after it.
      metadata = value as Record<string, unknown>;
      return;
    }
    record.accepted++;
    stats.accepted++;
    store.add({
      kind: key as Exclude<IntakeLineKind, 'metadata'>,
      data: value as Record<string, unknown>,
      metadata: metadata as Record<string, unknown>,
      receivedAt: Date.now(),
    });
  };

  const onOversize = (lineNumber: number): void => {
    reject(`event exceeded the permitted size (${limits.maxEventSize} bytes), line ${lineNumber}`);
    if (!metadata) stopped = true;
  };

  try {
    let body: IncomingMessage | NodeJS.ReadWriteStream = req;
    if (decoder !== 'identity') {
      const decoded = decoder();
      // pipe() does not pass on a client that went away mid-body; without this the read would hang.
      req.on('error', (error) => decoded.emit('error', error));
      req.on('close', () => {
        if (!req.complete) decoded.emit('error', new Error('the client closed the connection mid-body'));
      });
      body = req.pipe(decoded);
    }
    await readLines(body, limits.maxEventSize, onLine, onOversize);
  } catch (error) {
    reject(`data read error: ${(error as Error).message}`);
  }
  if (!metadata && errorCount === 0)
    reject('metadata must be the first line of every request, got an empty body');
  if (errorCount === 0)
    return finish(202, req.url?.includes('verbose') ? { accepted: record.accepted } : undefined);
  return finish(400, { accepted: record.accepted, errors: record.errors });
}
