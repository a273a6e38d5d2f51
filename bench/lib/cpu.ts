// CPU time of this machine's processes, from /proc (Linux): what a bench's figure cost each of
// them, where a profile's wall-clock samples would count a process preempted as busy.
import { readFileSync, readdirSync } from 'node:fs';

const CLOCK_TICKS = 100;

/** A process's CPU seconds so far (user + system), or NaN when it is gone or there is no /proc. */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** The pids whose command name starts with `name` (`beam` for RabbitMQ's Erlang VM). */
export function pidsNamed(name: string): number[] {
  try {
    return readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/comm`, 'utf8').startsWith(name);
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/** Each group's processes and their CPU seconds at one moment. */
export type CpuSnapshot = Map<string, Map<number, number>>;

export function cpuSnapshot(groups: Record<string, number[]>): CpuSnapshot {
  return new Map(Object.entries(groups).map(([group, pids]) => [group, new Map(pids.map((pid) => [pid, cpuSecondsOf(pid)]))]));
}

/**
 * CPU seconds per group of processes between two snapshots. A process that appears in between
 * counts whole; one that ended is lost (its last seconds too), so groups should be long-lived.
 */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const spent: Record<string, number> = {};
  for (const [group, pids] of after) {
    let seconds = 0;
    for (const [pid, now] of pids) {
      const then = before.get(group)?.get(pid) ?? 0;
      if (Number.isFinite(now) && Number.isFinite(then)) seconds += now - then;
    }
    spent[group] = seconds;
  }
  return spent;
}
