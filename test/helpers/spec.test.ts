import { describe, expect, it } from 'vitest';
import { intakeErrors } from './intake-schema.js';
import { readSpecJson } from './spec.js';

describe('spec helpers', () => {
  it('parses the W3C vectors after stripping comment lines', () => {
    const cases = readSpecJson<unknown[]>('json-specs', 'w3c_distributed_tracing.json');
    expect(cases.length).toBeGreaterThan(50);
  });
  it('rejects a span without required fields and accepts a minimal one', () => {
    expect(intakeErrors('span', { id: 'a' }).length).toBeGreaterThan(0);
    const span = { id: 'a', trace_id: 'b', parent_id: 'c', name: 'n', type: 't', duration: 1, timestamp: 1 };
    expect(intakeErrors('span', span)).toEqual([]);
  });
});
