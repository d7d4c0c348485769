// Destination and service target for exit spans (AGENT-RULES section 8; cases in
// ../shared/spec/json-specs/service_resource_inference.json). Values the user set win.
import type { SpanContext } from '../span.js';
import { effectivePort } from './url.js';

/** What inference reads from a span. */
export interface ExitSpanFacts {
  exit: boolean;
  type: string;
  subtype?: string | undefined;
  context?: SpanContext | undefined;
}

export interface ServiceTarget {
  type?: string;
  name?: string;
}

/** context.service.target: type = subtype || type; name from db instance, queue name or HTTP host:port. */
export function inferServiceTarget(span: ExitSpanFacts): ServiceTarget | undefined {
  if (!span.exit) return undefined;
  const given = span.context?.service?.target;
  if (given !== undefined && (given.type !== undefined || given.name !== undefined)) return { ...given };
  const target: ServiceTarget = { type: span.subtype || span.type };
  const name = targetName(span);
  if (name !== undefined) target.name = name;
  return target;
}

function targetName(span: ExitSpanFacts): string | undefined {
  const context = span.context;
  const instance = context?.db?.instance;
  if (typeof instance === 'string' && instance !== '') return instance;
  const queue = (context?.message as { queue?: { name?: unknown } } | undefined)?.queue?.name;
  if (typeof queue === 'string' && queue !== '') return queue;
  if (span.type === 'external' || span.subtype === 'http') return hostAndPort(context?.http?.url);
  return undefined;
}

/** `host:port` of a URL, with the scheme's default port when it names none. */
export function hostAndPort(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    const port = effectivePort(parsed);
    return port === undefined ? parsed.host : `${parsed.hostname}:${port}`;
  } catch {
    return undefined;
  }
}

/** The deprecated, still required destination.service.resource, inferred from the target. */
export function inferResource(span: ExitSpanFacts, target: ServiceTarget | undefined): string | undefined {
  if (target === undefined) return undefined;
  const { type, name } = target;
  if (name === undefined || name === '') return type;
  if (type === undefined || type === '') return name;
  if (span.type === 'external') return name;
  return `${type}/${name}`;
}
