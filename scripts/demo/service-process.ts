// Runs the built demo shop as a child process pointed at the local intake, and makes sure it never
// outlives the demo: a graceful SIGTERM (the shop flushes its events), then SIGKILL, and a last
// synchronous kill when the demo process exits for any reason.
import { type ChildProcess, spawn } from 'node:child_process';

export interface ServiceProcess {
  url: string;
  pid: number;
  /** Everything the shop wrote to stderr (its agent logs problems there). */
  stderr(): string;
  /** Stops the shop: SIGTERM, then SIGKILL after `graceMs`. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface ServiceOptions {
  file: string;
  intakeUrl: string;
  startTimeoutMs?: number;
}

function killOnExit(child: ChildProcess): () => void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  return () => process.off('exit', kill);
}

export async function startService(options: ServiceOptions): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', options.file], {
    // The shop inherits the user's ELASTIC_APM_* settings, except where to send: the local intake.
    // Events go out every 500 ms, so the page fills in while the shop keeps running (--keep).
    env: {
      ELASTIC_APM_API_REQUEST_TIME: '500ms',
      ...process.env,
      ELASTIC_APM_SERVER_URL: options.intakeUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = killOnExit(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      forget();
      resolve(code);
    });
  });

  const url = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail('did not start listening'), options.startTimeoutMs ?? 10_000);
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the demo shop ${why}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    child.once('error', (error) => fail(`could not be started (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited early (${signal ?? `code ${code}`})`));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"listening"'));
      if (line === undefined || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { listening: string }).listening);
    });
  });

  return {
    url,
    pid: child.pid ?? -1,
    stderr: () => stderr,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
