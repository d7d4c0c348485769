import { describe, expect, it } from 'vitest';
import { buildMetadata } from '../../runtime/transport/metadata.js';
import { AGENT_NAME, AGENT_VERSION } from '../../runtime/version.js';
import { assertValidIntake } from '../helpers/intake-schema.js';
import { testConfig } from './transport-fixtures.js';

describe('buildMetadata', () => {
  it('describes service, agent, runtime, process and system, valid by the schema', () => {
    const metadata = buildMetadata(
      testConfig({ serviceNodeName: 'node-1', globalLabels: { team: 'a', n: 1 } }),
      {
        container: {},
        env: {},
        hostname: 'Build-Host.Example.COM',
      },
    );
    assertValidIntake('metadata', metadata);
    expect(metadata).toMatchObject({
      service: {
        name: 'transport-test',
        version: '1.2.3',
        environment: 'test',
        node: { configured_name: 'node-1' },
        agent: { name: AGENT_NAME, version: AGENT_VERSION },
        language: { name: 'javascript' },
        runtime: { name: 'node', version: process.versions.node },
      },
      process: { pid: process.pid, ppid: process.ppid, argv: process.argv },
      system: {
        detected_hostname: 'build-host.example.com',
        architecture: process.arch,
        platform: process.platform,
      },
      labels: { team: 'a', n: 1 },
    });
    expect(metadata.system).not.toHaveProperty('configured_hostname');
    expect(metadata.system).not.toHaveProperty('container');
  });

  it('adds the configured hostname, container, Kubernetes facts and framework when known', () => {
    const metadata = buildMetadata(
      testConfig({ hostname: 'custom', frameworkName: 'express', frameworkVersion: '5.0.0' }),
      {
        container: { containerId: 'a'.repeat(64), podId: 'pod-from-cgroup' },
        env: { KUBERNETES_POD_NAME: 'web-1', KUBERNETES_NAMESPACE: 'prod', KUBERNETES_NODE_NAME: 'n1' },
        hostname: 'h',
      },
    );
    assertValidIntake('metadata', metadata);
    expect(metadata.system).toMatchObject({
      configured_hostname: 'custom',
      container: { id: 'a'.repeat(64) },
      kubernetes: { namespace: 'prod', node: { name: 'n1' }, pod: { name: 'web-1', uid: 'pod-from-cgroup' } },
    });
    expect(metadata.service).toMatchObject({ framework: { name: 'express', version: '5.0.0' } });
  });

  it('keeps the metadata valid when names break the schema rules', () => {
    const metadata = buildMetadata(
      testConfig({
        serviceName: 'my.service/(v2)',
        environment: 'e'.repeat(2000),
        globalLabels: { 'a.b*"c': 'x' },
      }),
      { container: {}, env: {} },
    );
    assertValidIntake('metadata', metadata);
    expect((metadata.service as { name: string }).name).toBe('my_service__v2_');
    expect((metadata.service as { environment: string }).environment).toHaveLength(1024);
    expect(metadata.labels).toEqual({ a_b__c: 'x' });
  });
});
