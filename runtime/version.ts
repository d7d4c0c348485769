// The agent's identity on the wire (metadata.service.agent, User-Agent).
// AGENT_VERSION is kept equal to package.json's version by test/runtime/version.test.ts:
// reading package.json at run time would break once the runtime is bundled.
export const AGENT_NAME = 'apm-weaver';
export const AGENT_VERSION = '0.1.0';
