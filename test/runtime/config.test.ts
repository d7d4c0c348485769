import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ClientOptions, camelKey, envName, resolveConfig } from '../../runtime/config.js';
import { Client, getClient, MemoryTransport } from '../../runtime/index.js';
import { testClient } from './helpers.js';

/** Resolves without the real environment, so the host's ELASTIC_APM_* variables cannot leak in. */
const resolve = (config?: ClientOptions, defaults?: ClientOptions, env: Record<string, string> = {}) =>
  resolveConfig(config, defaults, env);

describe('resolveConfig', () => {
  it('has Elastic defaults', () => {
    const { config, warnings } = resolve();
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      serviceName: 'unknown-apm-weaver-service',
      serverUrl: 'http://127.0.0.1:8200',
      active: true,
      transactionSampleRate: 1,
      transactionMaxSpans: 500,
      longFieldMaxLength: 10000,
      apiRequestTime: 10_000,
      apiRequestSize: 768 * 1024,
      serverTimeout: 30_000,
      verifyServerCert: true,
      logLevel: 'info',
    });
    expect(config.sanitizeFieldNames).toContain('*token*');
  });

  it('defaults < config < ELASTIC_APM_* environment', () => {
    const { config } = resolve(
      { serviceName: 'from-config', environment: 'staging' },
      { serviceName: 'from-defaults', serviceVersion: '1.2.3', environment: 'dev' },
      { ELASTIC_APM_ENVIRONMENT: 'production' },
    );
    expect(config.serviceName).toBe('from-config');
    expect(config.serviceVersion).toBe('1.2.3');
    expect(config.environment).toBe('production');
  });

  it('accepts the Python key form', () => {
    const { config, warnings } = resolve({
      SERVICE_NAME: 'py',
      transaction_max_spans: 3,
      API_REQUEST_TIME: '2s',
    });
    expect(warnings).toEqual([]);
    expect(config.serviceName).toBe('py');
    expect(config.transactionMaxSpans).toBe(3);
    expect(config.apiRequestTime).toBe(2000);
    expect(camelKey('SECRET_TOKEN')).toBe('secretToken');
    expect(envName('apiRequestSize')).toBe('ELASTIC_APM_API_REQUEST_SIZE');
  });

  it('parses Elastic durations, sizes, booleans, lists and mappings from the environment', () => {
    const { config, warnings } = resolve(
      {},
      {},
      {
        ELASTIC_APM_API_REQUEST_TIME: '500ms',
        ELASTIC_APM_SERVER_TIMEOUT: '1m',
        ELASTIC_APM_API_REQUEST_SIZE: '1MB',
        ELASTIC_APM_VERIFY_SERVER_CERT: 'FALSE',
        ELASTIC_APM_SANITIZE_FIELD_NAMES: ' a , *b* ,',
        ELASTIC_APM_GLOBAL_LABELS: 'team=core, region.name=eu',
        ELASTIC_APM_LOG_LEVEL: 'warn',
      },
    );
    expect(warnings).toEqual([]);
    expect(config.apiRequestTime).toBe(500);
    expect(config.serverTimeout).toBe(60_000);
    expect(config.apiRequestSize).toBe(1024 * 1024);
    expect(config.verifyServerCert).toBe(false);
    expect(config.sanitizeFieldNames).toEqual(['a', '*b*']);
    expect(config.globalLabels).toEqual({ team: 'core', region_name: 'eu' });
    expect(config.logLevel).toBe('warning');
  });

  it('rounds the sample rate half away from zero to 4 places', () => {
    const rate = (r: unknown) => resolve({ transactionSampleRate: r as number }).config.transactionSampleRate;
    expect(rate(0.55554)).toBe(0.5555);
    expect(rate(0.55555)).toBe(0.5556);
    expect(rate('0.00001')).toBe(0.0001);
    expect(rate(0)).toBe(0);
    expect(rate('1')).toBe(1);
  });

  it('warns about each invalid value with its key or variable and the value, and keeps the next source', () => {
    const { config, warnings } = resolve(
      {
        transactionSampleRate: 1.5,
        apiRequestSize: '12 parsecs',
        serverUrl: 'ftp://x',
        logLevel: 'loud',
        nope: 1,
      },
      { transactionSampleRate: 0.5 },
      {
        ELASTIC_APM_TRANSACTION_MAX_SPANS: 'many',
        ELASTIC_APM_ACTIVE: 'yes',
        ELASTIC_APM_API_REQUEST_TIME: '-3s',
      },
    );
    expect(config.transactionSampleRate).toBe(0.5);
    expect(config.apiRequestSize).toBe(768 * 1024);
    expect(config.serverUrl).toBe('http://127.0.0.1:8200');
    expect(config.transactionMaxSpans).toBe(500);
    expect(config.active).toBe(true);
    expect(config.apiRequestTime).toBe(10_000);
    const all = warnings.join('\n');
    expect(all).toContain('transactionSampleRate');
    expect(all).toContain('1.5');
    expect(all).toContain('"12 parsecs"');
    expect(all).toContain('"ftp://x"');
    expect(all).toContain('"loud"');
    expect(all).toContain('unknown configuration option nope');
    expect(all).toContain('ELASTIC_APM_TRANSACTION_MAX_SPANS');
    expect(all).toContain('"many"');
    expect(all).toContain('ELASTIC_APM_ACTIVE');
    expect(all).toContain('"-3s"');
    expect(warnings).toHaveLength(8);
  });

  it('sanitises the service name and falls back when nothing usable is left', () => {
    expect(resolve({ serviceName: 'my/service:1' }).config.serviceName).toBe('my_service_1');
    expect(resolve({ serviceName: '' }).config.serviceName).toBe('unknown-apm-weaver-service');
  });

  it('drops invalid global labels with a warning', () => {
    const { config, warnings } = resolve({ globalLabels: { ok: 1, 'a*b': true } });
    expect(config.globalLabels).toEqual({ ok: 1, a_b: true });
    expect(warnings).toEqual([]);
    const bad = resolve({ globalLabels: { x: {} } as never });
    expect(bad.warnings[0]).toContain('globalLabels');
  });

  it('never shows a secret in a warning', () => {
    const { warnings } = resolve({ secretToken: { token: 'hunter2' } as never });
    expect(warnings.join()).not.toContain('hunter2');
    expect(warnings.join()).toContain('secretToken');
  });
});

describe('Client configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('environment variables win over the constructor', () => {
    vi.stubEnv('ELASTIC_APM_SERVICE_NAME', 'env-service');
    const { client } = testClient({ serviceName: 'code-service' });
    expect(client.config.serviceName).toBe('env-service');
  });

  it('invalid configuration keeps the app running and is logged', () => {
    vi.stubEnv('ELASTIC_APM_TRANSACTION_SAMPLE_RATE', 'lots');
    const { client, warnings } = testClient({ transactionMaxSpans: 'x' as never });
    expect(client.config.transactionSampleRate).toBe(1);
    expect(
      warnings.some((w) => w.includes('ELASTIC_APM_TRANSACTION_SAMPLE_RATE') && w.includes('"lots"')),
    ).toBe(true);
    expect(warnings.some((w) => w.includes('transactionMaxSpans'))).toBe(true);
  });

  it('picks the transport: given > none when inactive or disableSend > HTTP', async () => {
    const memory = new MemoryTransport();
    expect(new Client({ transport: memory, disableSend: true }).transport).toBe(memory);
    expect(new Client({ disableSend: true }).transport).toBeUndefined();
    expect(new Client({ active: false }).transport).toBeUndefined();
    const http = new Client({ serverUrl: 'http://127.0.0.1:9' });
    expect(http.transport).toBeDefined();
    expect(http.transport).not.toBeInstanceOf(MemoryTransport);
    await http.close();
  });

  it('getClient() is the newest client; close() forgets it', async () => {
    const a = testClient().client;
    const b = testClient().client;
    expect(getClient()).toBe(b);
    await b.close();
    expect(getClient()).toBeUndefined();
    expect(a.isActive).toBe(true);
    expect(b.isActive).toBe(false);
  });

  it('an inactive client records nothing', () => {
    const { client, transport } = testClient({ active: false });
    expect(client.beginTransaction('x')).toBeUndefined();
    expect(client.captureException(new Error('x'))).toBeUndefined();
    expect(transport.events).toHaveLength(0);
  });
});
