// The requests the demo sends to the shop, one after the other, as any HTTP client would.
import type { ExpectedTrace } from './expected-traces.js';

export interface WorkloadResult {
  line: string;
  ok: boolean;
  expectedStatus: number;
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
        expectedStatus: request.status,
      });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message;
      results.push({
        line: `${label} -> failed: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
        ok: false,
        expectedStatus: request.status,
      });
    }
  }
  return results;
}
