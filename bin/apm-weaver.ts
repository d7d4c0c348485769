#!/usr/bin/env node
// The `apm-weaver` command. One subcommand for now: `serve`.
import { runServe, SERVE_USAGE, UsageError } from './serve-command.js';

const USAGE = `Usage: apm-weaver <command> [options]

Commands:
  serve    local Elastic APM intake with a trace waterfall page and terminal output

${SERVE_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'serve') {
    process.stderr.write(`apm-weaver: unknown command "${command}"\n\n${USAGE}\n`);
    return 1;
  }
  await runServe(rest);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`apm-weaver: ${error.message}\nRun "apm-weaver serve --help" for usage.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(
        `apm-weaver: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
