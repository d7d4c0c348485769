import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaViolation } from '../../server/intake-schemas.js';
import { repoRoot, specPath } from '../helpers/spec.js';

describe('vendored intake v2 schemas', () => {
  for (const name of ['metadata', 'transaction', 'span', 'error', 'metricset']) {
    // Same JSON, not same bytes: a formatter may re-indent the shipped copy.
    it(`${name}.json says what ../shared/spec says`, () => {
      const shipped = JSON.parse(
        readFileSync(`${repoRoot}/server/intake-v2-schemas/${name}.json`, 'utf8'),
      ) as unknown;
      expect(shipped).toEqual(JSON.parse(readFileSync(specPath('intake-v2', `${name}.json`), 'utf8')));
    });
  }

  it('names the first violation', () => {
    expect(schemaViolation('span', { id: 'x' })).toMatch(/^validation error: span/);
    expect(schemaViolation('metadata', [])).toBe('validation error: metadata must be an object');
    expect(schemaViolation('log', { message: 'anything goes' })).toBeUndefined();
  });
});
