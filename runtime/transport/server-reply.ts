// Turns a non-2xx intake answer into one readable line with the server's own words.
// APM Server answers {"accepted":n,"errors":[{"message":"…","document":"…"}]} or {"error":"…"}.

const MAX_REASON_LENGTH = 500;

function messagesOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Record<string, unknown>;
  const out: string[] = [];
  if (typeof record.error === 'string') out.push(record.error);
  if (Array.isArray(record.errors)) {
    for (const item of record.errors) {
      const message = (item as Record<string, unknown> | null)?.message;
      if (typeof message === 'string') out.push(message);
    }
  }
  return out;
}

export function describeRejection(status: number, body: string): string {
  let detail = body.trim();
  try {
    const messages = messagesOf(JSON.parse(detail));
    if (messages.length > 0) detail = messages.join('; ');
  } catch {
    // not JSON: keep the text as the server sent it
  }
  if (detail.length > MAX_REASON_LENGTH) detail = `${detail.slice(0, MAX_REASON_LENGTH)}…`;
  return detail ? `APM Server answered ${status}: ${detail}` : `APM Server answered ${status}`;
}
