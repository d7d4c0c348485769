// The requests the demo sends to the shop, one after the other, as any HTTP client would.
import type { ExpectedTrace } from './expected-traces.js';

export interface WorkloadResult {
  line: string;
  ok: boolean;
}

export async function runWorkload(baseUrl: string, traces: ExpectedTrace[]): Promise<WorkloadResult[]> {
  const results: WorkloadResult[] = [];
  for (const { request } of traces) {
    const label = `${request.method} ${request.path}`;
    try {
      const response = await fetch(`${baseUrl}${request.path}`, { method: request.method });
      const body = (await response.text()).trim();
      results.push({
        line: `${label} -> ${response.status} ${body}`,
        ok: response.status === request.status,
      });
    } catch (error) {
      results.push({ line: `${label} -> failed: ${(error as Error).message}`, ok: false });
    }
  }
  return results;
}
