// Validation of intake v2 lines against the official JSON Schemas (draft-07, ajv 8).
// `log` lines have no schema upstream any more: any object is accepted, as APM Server does.
import { Ajv, type ValidateFunction } from 'ajv';
import errorSchema from './intake-v2-schemas/error.json' with { type: 'json' };
import metadataSchema from './intake-v2-schemas/metadata.json' with { type: 'json' };
import metricsetSchema from './intake-v2-schemas/metricset.json' with { type: 'json' };
import spanSchema from './intake-v2-schemas/span.json' with { type: 'json' };
import transactionSchema from './intake-v2-schemas/transaction.json' with { type: 'json' };

export type IntakeLineKind = 'metadata' | 'transaction' | 'span' | 'error' | 'metricset' | 'log';
export type IntakeEventKind = Exclude<IntakeLineKind, 'metadata'>;

const schemas = {
  metadata: metadataSchema,
  transaction: transactionSchema,
  span: spanSchema,
  error: errorSchema,
  metricset: metricsetSchema,
} as const;

export function isIntakeLineKind(key: string): key is IntakeLineKind {
  return key === 'log' || Object.hasOwn(schemas, key);
}

let validators: Map<IntakeLineKind, ValidateFunction> | undefined;

// Compiled on first use: compiling five schemas takes tens of milliseconds.
function validatorFor(kind: IntakeLineKind): ValidateFunction | undefined {
  if (!validators) {
    const ajv = new Ajv({ allowUnionTypes: true, strict: false, allErrors: false });
    validators = new Map();
    for (const [key, schema] of Object.entries(schemas))
      validators.set(key as IntakeLineKind, ajv.compile(schema));
  }
  return validators.get(kind);
}

/** The first schema violation as APM Server words it, or undefined when the object is valid. */
export function schemaViolation(kind: IntakeLineKind, value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `validation error: ${kind} must be an object`;
  }
  const validate = validatorFor(kind);
  if (!validate || validate(value)) return undefined;
  const first = validate.errors?.[0];
  const where = first?.instancePath ? `${kind}${first.instancePath}` : kind;
  return `validation error: ${where}: ${first?.message ?? 'invalid'}`;
}
