// Main-thread CPU time on Linux, precise per batch: the process's CPU time (process.cpuUsage(), which the kernel
// brings up to date when read) minus the CPU time of every other thread of the process (libuv's thread pool
// doing gzip, V8's GC helpers), read from /proc/<pid>/task/<tid>/schedstat. Those threads are idle at batch
// boundaries (the batch ends with the agent's flush), so their counters are current when read. Unlike
// event-loop active time this does not count time the main thread was preempted on a busy machine.
import { readdirSync, readFileSync } from 'node:fs';

const taskDir = `/proc/${process.pid}/task`;
const mainTid = String(process.pid);

function readable(): boolean {
  try {
    return Number.isFinite(
      Number(readFileSync(`${taskDir}/${mainTid}/schedstat`, 'latin1').split(' ', 1)[0]),
    );
  } catch {
    return false;
  }
}

/** False off Linux (no schedstat): callers fall back to event-loop active time. */
export const threadCpuAvailable = readable();

/** Nanoseconds of CPU used so far by all threads except the main one. */
export function otherThreadsCpuNs(): number {
  let sum = 0;
  for (const tid of readdirSync(taskDir)) {
    if (tid === mainTid) continue;
    try {
      sum += Number(readFileSync(`${taskDir}/${tid}/schedstat`, 'latin1').split(' ', 1)[0]);
    } catch {
      // the thread ended between readdir and read
    }
  }
  return sum;
}
