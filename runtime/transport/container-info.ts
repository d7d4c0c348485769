// Container and Kubernetes pod ids for the metadata's `system` block (AGENT-RULES §14), read from
// /proc/self/cgroup, with /proc/self/mountinfo as the fallback under cgroup v2, where the cgroup
// path is often just "/". Cases: ../shared/spec/json-specs/container_metadata_discovery.json.
import { nodeFs } from '../lazy-builtins.js';

export interface ContainerInfo {
  containerId?: string;
  podId?: string;
}

// A docker/containerd/cri-o id (64 hex) or an AWS ECS task id (32 hex, dash, digits).
const CONTAINER_ID = /^(?:[0-9a-f]{64}|[0-9a-f]{32}-[0-9]+)$/i;
// The pod directory of a cgroup path: `pod<uid>` (cgroupfs) or `kubepods-…-pod<uid>.slice` (systemd).
const POD_DIR = /(?:^pod|-pod)([0-9a-f_-]+?)(?:\.slice)?$/i;
// Under cgroup v2 the container's own files are bind-mounted from its directory on the host.
const MOUNTED_CONTAINER_DIR = /\/(?:containers|sandboxes)\/([0-9a-f]{64})\//i;
const MOUNTED_POD_DIR = /\/kubelet\/pods\/([0-9a-f-]{36})\//i;

/** `crio-<id>.scope` → `<id>`: systemd names the unit after the runtime. */
function unitIdOf(segment: string): string {
  if (!segment.endsWith('.scope')) return segment;
  const unit = segment.slice(0, -'.scope'.length);
  return unit.slice(unit.lastIndexOf('-') + 1);
}

function fromCgroup(cgroup: string): ContainerInfo {
  for (const line of cgroup.split('\n')) {
    // hierarchy-id:controllers:path; the path may itself contain colons.
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const path = line.slice(second + 1).trim();
    const segments = path.split('/').filter(Boolean);
    const last = segments[segments.length - 1];
    if (last === undefined) continue;
    const containerId = unitIdOf(last);
    if (!CONTAINER_ID.test(containerId)) continue;
    const info: ContainerInfo = { containerId };
    const podMatch = POD_DIR.exec(segments[segments.length - 2] ?? '');
    if (podMatch?.[1] && segments.some((s) => s.startsWith('kubepods'))) {
      info.podId = podMatch[1].replace(/_/g, '-');
    }
    return info;
  }
  return {};
}

function fromMountinfo(mountinfo: string): ContainerInfo {
  const info: ContainerInfo = {};
  for (const line of mountinfo.split('\n')) {
    // Only the mount of /etc/hostname names this container's directory (other mounts may be shared).
    const fields = line.split(' ');
    if (fields[4] !== '/etc/hostname') continue;
    const id = MOUNTED_CONTAINER_DIR.exec(fields[3] ?? '')?.[1];
    if (id) info.containerId = id;
  }
  if (info.containerId) {
    const pod = MOUNTED_POD_DIR.exec(mountinfo)?.[1];
    if (pod) info.podId = pod;
  }
  return info;
}

/** Pure parser, fed file contents (undefined when a file is missing). */
export function parseContainerInfo(cgroup: string | undefined, mountinfo: string | undefined): ContainerInfo {
  const fromCgroupFile = cgroup ? fromCgroup(cgroup) : {};
  if (fromCgroupFile.containerId) return fromCgroupFile;
  return mountinfo ? fromMountinfo(mountinfo) : {};
}

function readOptional(path: string): string | undefined {
  try {
    return nodeFs().readFileSync(path, 'utf8');
  } catch {
    return undefined; // not Linux, or not allowed: no container metadata
  }
}

/** Reads this process's container info once; never throws. */
export function readContainerInfo(): ContainerInfo {
  if (process.platform !== 'linux') return {};
  return parseContainerInfo(readOptional('/proc/self/cgroup'), readOptional('/proc/self/mountinfo'));
}
