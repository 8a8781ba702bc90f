// CPU time of each thread of a child process, from Linux's /proc/PID/task/TID/stat, sampled while it
// runs (a thread's figures vanish when it exits, so the last reading of each is kept). The sweep suite
// uses it to show where `--jobs 2` loses against `--jobs 1`: Node names every thread "node", so the
// threads are told apart by role: the main thread (TID = PID), the pool's worker threads (the
// busiest others, one per job thread), and the rest (V8's compiler and GC helpers, libuv).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** CPU seconds of a process's threads by role. */
export interface ThreadCpu {
  main: number;
  /** The job threads, busiest first. */
  workers: number[];
  /** Every other thread together: V8's background compiler and GC threads, libuv's pool. */
  background: number;
}

let hz: number | null = null;

/**
 * Clock ticks a second for /proc's utime and stime (USER_HZ; 100 on Linux nearly everywhere), asked of
 * `getconf` once: not again while a timed child starts.
 */
function ticksPerSecond(): number {
  if (hz === null) {
    try {
      const got = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      hz = Number.isFinite(got) && got > 0 ? got : 100;
    } catch {
      hz = 100;
    }
  }
  return hz;
}

/** user + system clock ticks from the text of a /proc/.../stat file (fields 14 and 15). */
export function statTicks(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

/** Splits per-thread CPU seconds into roles: main is the thread whose id is the process's. */
export function threadRoles(cpu: ReadonlyMap<number, number>, pid: number, workers: number): ThreadCpu {
  const others = [...cpu].filter(([tid]) => tid !== pid).map(([, s]) => s);
  others.sort((a, b) => b - a);
  const busiest = others.slice(0, workers);
  const rest = others.slice(workers).reduce((s, v) => s + v, 0);
  return { main: cpu.get(pid) ?? 0, workers: busiest, background: rest };
}

/** Whether this machine has /proc thread statistics. */
export function canSampleThreads(): boolean {
  return process.platform === 'linux' && existsSync('/proc/self/task');
}

/**
 * Polls `pid`'s threads every `everyMs` until `stop()`, which returns each thread's last CPU seconds.
 * A thread's last up to `everyMs` of work before it exits is missed.
 */
export function sampleThreads(pid: number, everyMs = 50): { stop(): Map<number, number> } {
  const perSecond = ticksPerSecond();
  const last = new Map<number, number>();
  const read = () => {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      return; // exited
    }
    for (const tid of tids) {
      try {
        last.set(Number(tid), statTicks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')) / perSecond);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      return last;
    },
  };
}
