// The official Node agent (elastic-apm-node, a devDependency) reporting into the local intake:
// every request it makes must be accepted, every line valid by the schemas.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';

let intake: LocalIntake;
beforeAll(async () => {
  intake = await startLocalIntake();
});
afterAll(() => intake.close());

async function runApp(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const app = await runProcess(
    process.execPath,
    [join(repoRoot, 'test/transport/fixtures/elastic-apm-node-app.cjs')],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      timeoutMs: 25_000,
    },
  );
  if (app.timedOut) throw new Error(`elastic-apm-node app did not exit:\n${app.output}`);
  return app;
}

it('accepts everything elastic-apm-node sends', async () => {
  const { code, output } = await runApp({
    ELASTIC_APM_SERVER_URL: intake.url,
    ELASTIC_APM_SERVICE_NAME: 'elastic-apm-node-into-intake',
    ELASTIC_APM_SERVICE_VERSION: '1.0.0',
    ELASTIC_APM_ENVIRONMENT: 'test',
    ELASTIC_APM_CENTRAL_CONFIG: 'false',
    ELASTIC_APM_CLOUD_PROVIDER: 'none',
    ELASTIC_APM_METRICS_INTERVAL: '1s',
    ELASTIC_APM_CAPTURE_EXCEPTIONS: 'false',
    ELASTIC_APM_LOG_LEVEL: 'warning',
    ELASTIC_APM_GLOBAL_LABELS: 'team=apm,tier=1',
  });
  expect(code, output).toBe(0);
  // elastic-apm-node logs intake failures at warning level and above: there must be none. One line is
  // the agent's own race, not the intake's doing: its metrics timer writing into its already-ended
  // client stream at exit ("write after end" from readable-stream, no request involved).
  const agentRace = /APM Server transport error: Error: write after end/;
  const lines = output.split('\n').filter((line) => line.trim() !== '' && !agentRace.test(line));
  expect(lines).toEqual(['app done']);

  const requests = intake.requests();
  expect(requests.length).toBeGreaterThan(0);
  for (const request of requests) {
    expect(request.errors, JSON.stringify(request.errors)).toEqual([]);
    expect(request.status).toBe(202);
    expect(request.lines[0]).toBe('metadata');
    expect(request.headers['user-agent']).toMatch(
      /^apm-agent-nodejs\/[^ ]+ \(elastic-apm-node-into-intake 1\.0\.0\)$/,
    );
  }
  expect(intake.stats.rejected).toBe(0);
  const kinds = new Set(intake.events().map((e) => e.kind));
  expect(kinds).toEqual(new Set(['transaction', 'span', 'error', 'metricset']));
  expect(intake.dataOf('transaction').length).toBeGreaterThanOrEqual(3);
  expect(intake.dataOf('error')).toHaveLength(2);
  expect(intake.events()[0]?.metadata).toMatchObject({
    service: { name: 'elastic-apm-node-into-intake', agent: { name: 'nodejs' } },
    labels: { team: 'apm', tier: '1' },
  });
});
