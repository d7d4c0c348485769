// The `metadata` line that opens every intake request (AGENT-RULES §14): service, process, system
// (with container and Kubernetes ids) and global labels. Built once per transport, for its first request:
// node:os and node:crypto load then, not when the runtime is imported (see lazy-builtins.ts).
import type { AgentConfig, Logger } from '../config-types.js';
import { nodeCrypto, nodeOs } from '../lazy-builtins.js';
import { AGENT_NAME, AGENT_VERSION } from '../version.js';
import { type ContainerInfo, readContainerInfo } from './container-info.js';
import { encodeLine } from './encode.js';

const KEYWORD_MAX = 1024;
// service.name must match ^[a-zA-Z0-9 _-]+$ or the server rejects the whole request.
const INVALID_SERVICE_NAME_CHAR = /[^a-zA-Z0-9 _-]/g;

function keyword(value: string): string {
  return value.length > KEYWORD_MAX ? value.slice(0, KEYWORD_MAX) : value;
}

function optionalKeyword(value: string | undefined): string | undefined {
  return value ? keyword(value) : undefined;
}

export function serviceNameForIntake(name: string): string {
  const cleaned = keyword(name.replace(INVALID_SERVICE_NAME_CHAR, '_'));
  return cleaned.length > 0 ? cleaned : 'unknown-nodejs-service';
}

/** Kubernetes facts: the downward API variables (KUBERNETES_*) first, then what the cgroup told. */
function kubernetesOf(container: ContainerInfo, env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
  const podName = env.KUBERNETES_POD_NAME;
  const podUid = env.KUBERNETES_POD_UID ?? container.podId;
  const nodeName = env.KUBERNETES_NODE_NAME;
  const namespace = env.KUBERNETES_NAMESPACE;
  if (!podName && !podUid && !nodeName && !namespace) return undefined;
  const kubernetes: Record<string, unknown> = {};
  if (namespace) kubernetes.namespace = keyword(namespace);
  if (nodeName) kubernetes.node = { name: keyword(nodeName) };
  if (podName || podUid) {
    const pod: Record<string, string> = {};
    if (podName) pod.name = keyword(podName);
    if (podUid) pod.uid = keyword(podUid);
    kubernetes.pod = pod;
  }
  return kubernetes;
}

function labelsOf(
  globalLabels: AgentConfig['globalLabels'],
): Record<string, string | number | boolean> | undefined {
  const entries = Object.entries(globalLabels ?? {});
  if (entries.length === 0) return undefined;
  const labels: Record<string, string | number | boolean> = {};
  for (const [key, value] of entries) {
    // Label keys may not contain `.`, `*` or `"` (AGENT-RULES §11); values are keywords.
    labels[key.replace(/[.*"]/g, '_')] = typeof value === 'string' ? keyword(value) : value;
  }
  return labels;
}

export interface MetadataSources {
  container?: ContainerInfo;
  env?: NodeJS.ProcessEnv;
  hostname?: string;
}

/** The metadata object (without the `{"metadata":…}` wrapper). */
export function buildMetadata(config: AgentConfig, sources: MetadataSources = {}): Record<string, unknown> {
  const container = sources.container ?? readContainerInfo();
  const env = sources.env ?? process.env;
  const service: Record<string, unknown> = {
    name: serviceNameForIntake(config.serviceName),
    agent: { name: AGENT_NAME, version: AGENT_VERSION, ephemeral_id: nodeCrypto().randomUUID() },
    language: { name: 'javascript' },
    runtime: { name: 'node', version: process.versions.node },
  };
  const version = optionalKeyword(config.serviceVersion);
  if (version) service.version = version;
  const environment = optionalKeyword(config.environment);
  if (environment) service.environment = environment;
  const nodeName = optionalKeyword(config.serviceNodeName);
  if (nodeName) service.node = { configured_name: nodeName };
  if (config.frameworkName) {
    service.framework = {
      name: keyword(config.frameworkName),
      version: optionalKeyword(config.frameworkVersion) ?? null,
    };
  }

  const os = nodeOs();
  const system: Record<string, unknown> = {
    detected_hostname: keyword((sources.hostname ?? os.hostname()).toLowerCase()),
    architecture: os.arch(),
    platform: os.platform(),
  };
  const configuredHostname = optionalKeyword(config.hostname);
  if (configuredHostname) system.configured_hostname = configuredHostname;
  if (container.containerId) system.container = { id: container.containerId };
  const kubernetes = kubernetesOf(container, env);
  if (kubernetes) system.kubernetes = kubernetes;

  const metadata: Record<string, unknown> = {
    service,
    process: {
      pid: process.pid,
      ppid: process.ppid,
      title: keyword(process.title),
      argv: process.argv,
    },
    system,
  };
  const labels = labelsOf(config.globalLabels);
  if (labels) metadata.labels = labels;
  return metadata;
}

/**
 * The metadata line every request opens with, encoded: `given` (the transport worker gets it built on the
 * application thread) or built here. Building never fails a request: on an error it is logged, and the line names an
 * unknown service, which APM Server still takes.
 */
export function metadataLine(
  config: AgentConfig,
  given: Record<string, unknown> | undefined,
  logger: Logger,
): Buffer {
  let metadata: Record<string, unknown>;
  try {
    metadata = given ?? buildMetadata(config);
  } catch (error) {
    logger.error(`cannot build metadata: ${(error as Error).message}`);
    metadata = {
      service: { name: 'unknown-nodejs-service', agent: { name: AGENT_NAME, version: 'unknown' } },
    };
  }
  return Buffer.from(encodeLine('metadata', metadata), 'utf8');
}
