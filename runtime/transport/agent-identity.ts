// The agent's own name and version, as sent in metadata and the User-Agent header.
// Temporary home until runtime/version.ts lands; then this module re-exports it.
export const AGENT_NAME = 'apm-weaver';
export const AGENT_VERSION = '0.1.0';
