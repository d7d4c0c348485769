import { describe, expect, it } from 'vitest';
import { parseContainerInfo } from '../../runtime/transport/container-info.js';
import { readSpecJson } from '../helpers/spec.js';

interface DiscoveryCase {
  files: Record<string, string[]>;
  containerId: string | null;
  podId: string | null;
}

const cases = readSpecJson<Record<string, DiscoveryCase>>('json-specs', 'container_metadata_discovery.json');

describe('parseContainerInfo: container_metadata_discovery.json', () => {
  it('has cases', () => {
    expect(Object.keys(cases).length).toBeGreaterThan(3);
  });
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const info = parseContainerInfo(
        c.files['/proc/self/cgroup']?.join('\n'),
        c.files['/proc/self/mountinfo']?.join('\n'),
      );
      expect(info.containerId ?? null).toBe(c.containerId);
      expect(info.podId ?? null).toBe(c.podId);
    });
  }
});
