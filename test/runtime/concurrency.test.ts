import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runWithin } from '../../runtime/context.js';
import {
  beginTransaction,
  defineSpan,
  endTransaction,
  getTransactionId,
  wovenCall,
} from '../../runtime/index.js';
import { expectAllValid, isolated, testClient } from './helpers.js';

describe('concurrent transactions', () => {
  it("interleaved async transactions never see each other's spans", async () => {
    const { transport } = testClient();
    const step = defineSpan('step');
    async function job(name: string, delays: number[]) {
      beginTransaction('job');
      const txId = getTransactionId();
      for (const delay of delays) {
        await wovenCall(step, async () => {
          await sleep(delay);
          expect(getTransactionId()).toBe(txId);
        });
        expect(getTransactionId()).toBe(txId);
      }
      endTransaction(name);
    }
    await isolated(() =>
      Promise.all([
        runWithin(undefined, () => job('a', [5, 1, 3, 1])),
        runWithin(undefined, () => job('b', [1, 4, 1, 2])),
        runWithin(undefined, () => job('c', [2, 2, 2, 2])),
      ]),
    );
    expect(transport.transactions).toHaveLength(3);
    for (const tx of transport.transactions) {
      const spans = transport.spans.filter((s) => s.transaction_id === tx.id);
      expect(spans).toHaveLength(4);
      expect(spans.every((s) => s.parent_id === tx.id && s.trace_id === tx.trace_id)).toBe(true);
      expect(tx.span_count).toEqual({ started: 4, dropped: 0 });
    }
    expectAllValid(transport);
  });

  it('async functions that begin transactions without an explicit scope keep them apart too', async () => {
    const { transport } = testClient();
    const step = defineSpan('step');
    const seen = new Map<string, Set<string | undefined>>();
    async function job(name: string) {
      beginTransaction('job');
      const ids = new Set<string | undefined>();
      seen.set(name, ids);
      for (let i = 0; i < 3; i++) {
        await wovenCall(step, async () => {
          await sleep(1 + ((i + name.length) % 3));
          ids.add(getTransactionId());
        });
      }
      endTransaction(name);
    }
    await isolated(() => Promise.all([job('one'), job('three')]));
    expect(seen.get('one')?.size).toBe(1);
    expect(seen.get('three')?.size).toBe(1);
    expect([...(seen.get('one') ?? [])][0]).not.toBe([...(seen.get('three') ?? [])][0]);
    expect(transport.spans).toHaveLength(6);
  });
});
