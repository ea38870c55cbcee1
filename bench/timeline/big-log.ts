// A large synthetic kernel event log for the timeline's scale test and benchmark: init forks
// `tasks` tasks (every tenth a thread of the task before it), the scheduler switches them on
// `cpus` CPUs, signals fly (each sent, then delivered at the receiver's next turn), then every
// task exits and is reaped. Deterministic.
import type { KEvent } from '../../sim-core/machine-types';

export interface BigLog {
  events: KEvent[];
  /** What was generated, counted while generating it. */
  counts: { processes: number; threads: number; forks: number; exits: number; zombies: number; reaps: number; signals: number; delivers: number; switches: number };
}

const CLONE_THREAD_FLAGS = 0x00010000 | 0x00000800 | 0x00000400 | 0x00000200 | 0x00000100; // THREAD|SIGHAND|FILES|FS|VM
const SIGCHLD = 17;

export function bigLog(tasks = 10_000, total = 1_000_000, cpus = 4): BigLog {
  const events: KEvent[] = [];
  const counts = { processes: 0, threads: 0, forks: 0, exits: 0, zombies: 0, reaps: 0, signals: 0, delivers: 0, switches: 0 };
  let time = 0, step = 0;
  // Plain literals with time and step first, as the kernel builds its events (spreading a helper's
  // object would give each event a slow dictionary shape).
  const tick = (): void => { time += 1000; step += 3; };
  const pidOf = (i: number): number => 100 + i;
  const isThread = (i: number): boolean => i % 10 === 9;
  for (let i = 0; i < tasks; i++) {
    const thread = isThread(i);
    tick();
    events.push({ time, step, kind: 'fork', parent: thread ? pidOf(i - 1) : 1, child: pidOf(i), flags: thread ? CLONE_THREAD_FLAGS : SIGCHLD, via: thread ? 'clone3' : 'fork' });
    counts.forks++;
    if (thread) counts.threads++; else counts.processes++;
  }
  const exitEvents = counts.threads * 2 + counts.processes * 4;
  const cur: number[] = new Array<number>(cpus).fill(0);
  let k = 0;
  while (events.length < total - exitEvents) {
    const cpu = k % cpus;
    const next = pidOf((k * 7919) % tasks);
    const r = k % 50;
    if (r === 0 && k > 0) {
      tick();
    events.push({ time, step, kind: 'signal_deliver', pid: pidOf(((k - 1) * 7919) % tasks), sig: 10, name: 'SIGUSR1', action: 'handler', handler: 'on_usr1' });
      counts.delivers++;
    } else if (r === 49) {
      tick();
    events.push({ time, step, kind: 'signal', from: 1, to: next, sig: 10, name: 'SIGUSR1', action: 'handler' });
      counts.signals++;
    } else if (r % 3 === 0) {
      tick();
    events.push({ time, step, kind: 'sched_wakeup', comm: 'task', pid: next, prio: 120, target_cpu: cpu });
    } else {
      const prev = cur[cpu];
      tick();
    events.push({ time, step, kind: 'sched_switch', cpu, prev_comm: prev ? 'task' : `swapper/${cpu}`, prev_pid: prev, prev_prio: 120, prev_state: k % 4 === 0 ? 'R' : 'S', next_comm: 'task', next_pid: next, next_prio: 120 });
      cur[cpu] = next;
      counts.switches++;
    }
    k++;
  }
  // Each group: its threads exit (and are released at once), then the leader exits and init reaps it.
  for (let i = 0; i < tasks; i++) {
    if (isThread(i)) continue;
    for (let j = i + 1; j < tasks && isThread(j); j++) {
      tick();
    events.push({ time, step, kind: 'exit', pid: pidOf(j), code: 0 });
      tick();
    events.push({ time, step, kind: 'reap', pid: pidOf(j), by: null, status: 0 });
      counts.exits++; counts.reaps++;
    }
    tick();
    events.push({ time, step, kind: 'exit', pid: pidOf(i), code: 0 });
    tick();
    events.push({ time, step, kind: 'signal', from: pidOf(i), to: 1, sig: SIGCHLD, name: 'SIGCHLD', action: 'handler' });
    tick();
    events.push({ time, step, kind: 'zombie', pid: pidOf(i), parent: 1 });
    tick();
    events.push({ time, step, kind: 'reap', pid: pidOf(i), by: 1, status: 0 });
    counts.exits++; counts.signals++; counts.zombies++; counts.reaps++;
  }
  return { events, counts };
}
