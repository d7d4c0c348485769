// Validates intake v2 events against the official schemas (ajv 8, draft-07, allowUnionTypes).
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { specPath } from './spec.js';

export type IntakeKind = 'metadata' | 'transaction' | 'span' | 'error' | 'metricset';
const kinds: IntakeKind[] = ['metadata', 'transaction', 'span', 'error', 'metricset'];

const ajv = new Ajv({ allowUnionTypes: true, strict: false, allErrors: true });
const validators = new Map<IntakeKind, ValidateFunction>();
for (const kind of kinds) {
  const schema = JSON.parse(readFileSync(specPath('intake-v2', `${kind}.json`), 'utf8')) as object;
  validators.set(kind, ajv.compile(schema));
}

/** Returns the schema errors for one event as readable strings ([] when valid). */
export function intakeErrors(kind: IntakeKind, event: unknown): string[] {
  const validate = validators.get(kind);
  if (!validate) return [`unknown event kind ${kind}`];
  if (validate(event)) return [];
  return (validate.errors ?? []).map((e) => `${kind}${e.instancePath} ${e.message ?? ''}`);
}

/** Throws with every schema error when the event is not valid intake v2. */
export function assertValidIntake(kind: IntakeKind, event: unknown): void {
  const errors = intakeErrors(kind, event);
  if (errors.length > 0) {
    throw new Error(`invalid ${kind} event:\n  ${errors.join('\n  ')}\n${JSON.stringify(event, null, 2)}`);
  }
}
