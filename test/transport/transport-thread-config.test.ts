// The transportThread switch: option, ELASTIC_APM_TRANSPORT_THREAD, and APM_WEAVER_TRANSPORT_THREAD (which wins),
// through the real resolver, and what createHttpTransport makes of it.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config.js';
import { HttpTransport } from '../../runtime/transport/http-transport.js';
import { createHttpTransport } from '../../runtime/transport/index.js';
import { WorkerTransport } from '../../runtime/transport/worker-transport.js';
import { recordingLogger } from './transport-fixtures.js';

describe('transportThread', () => {
  it("defaults to 'auto' (the worker where there are two CPUs or more)", () => {
    expect(resolveConfig({}, undefined, {}).config.transportThread).toBe('auto');
  });

  it('is read from the option, ELASTIC_APM_TRANSPORT_THREAD and APM_WEAVER_TRANSPORT_THREAD, in that order', () => {
    expect(resolveConfig({ transportThread: 'main' }, undefined, {}).config.transportThread).toBe('main');
    const elastic = { ELASTIC_APM_TRANSPORT_THREAD: 'main' };
    expect(resolveConfig({ transportThread: 'worker' }, undefined, elastic).config.transportThread).toBe(
      'main',
    );
    const both = { ELASTIC_APM_TRANSPORT_THREAD: 'main', APM_WEAVER_TRANSPORT_THREAD: ' Worker ' };
    expect(resolveConfig({}, undefined, both).config.transportThread).toBe('worker');
  });

  it('an unknown value is reported and ignored', () => {
    const { config, warnings } = resolveConfig({}, undefined, { APM_WEAVER_TRANSPORT_THREAD: 'both' });
    expect(config.transportThread).toBe('auto');
    expect(warnings).toEqual([
      'invalid value "both" for environment variable APM_WEAVER_TRANSPORT_THREAD (expected "auto", "worker" or "main"); ignored',
    ]);
  });

  it('chooses the transport createHttpTransport makes', async () => {
    const base = resolveConfig({ serverUrl: 'http://127.0.0.1:9' }, undefined, {}).config;
    const worker = createHttpTransport(base, recordingLogger());
    const main = createHttpTransport({ ...base, transportThread: 'main' }, recordingLogger());
    expect(worker).toBeInstanceOf(WorkerTransport);
    expect(main).toBeInstanceOf(HttpTransport);
    await Promise.all([worker.close(), main.close()]);
  });
});
