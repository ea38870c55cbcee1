// The kernel's global state: the pid tables, run queues, clock, timers, the logs and what tasks
// wrote, the events since the last look; Kernel (kernel.ts) adds init_task and the primitives.

import type { KEvent } from '../machine-types';
import type { MemoryBudget, UserMemory, Value } from '../vm/types';
import { ScenarioLists } from './list';
import { RunQueue, schedTunables, type FairPolicy } from './rq';
import { NS_ZERO, type completion, type pid_namespace, type signal_struct, type task_struct } from './task';
import { newPidNamespace } from './pidns';
import type { UserPort } from './uport';
import { PidBitmap, PidHash } from './pidhash';
import { TimerQueue } from './waitqueue';
import type { SchedStat } from './schedstat';
import type { tty_struct } from './tty';
import type { vfs_state } from './vfs';
import type { kobj_registry } from './kobj';
import { newShmIds, type shm_ids } from './shm';
import { newMsgIds, type msg_ids } from './msg';
import { newMqNamespace, type mq_namespace } from './mqueue';

export interface KernelConfig {
  pidMax: number;
  cpus: number;
  nproc: number;
  uid: number;
  seed: number;
  /** The fair class's policy: 'eevdf' (Linux 6.6+, the default) or 'cfs' (2.6.23 to 6.5). */
  sched?: FairPolicy;
}

/** A request on kthread_create_list (kernel/kthread.c struct kthread_create_info). */
export interface kthread_create_info {
  threadfn: string;
  data: Value;
  full_name: string;
  /** The task that asked, sleeping on `done` until kthreadd has created the thread. */
  creator: task_struct;
  result: task_struct | null;
  /** Negative errno when kernel_thread failed (ERR_PTR). */
  error: number;
  done: completion | null;
}

/**
 * Cells of user memory the machine has, like its RAM: 16M (a cell holds one int, long or pointer;
 * in the simulator's own heap each takes 8 bytes), far beyond what a teaching scenario needs.
 */
export const USER_MEMORY_CELLS = 1 << 24;
/** The kernel log buffer's size in characters (CONFIG_LOG_BUF_SHIFT 18). */
export const LOG_BUF_LEN = 1 << 18;
/** Characters of task output the machine keeps for output() (a long run streams the rest as events). */
export const OUT_KEEP = 1 << 20;

/**
 * Drops the oldest entries of a log once its text passes `keep` characters, down to 3/4 of it
 * (so the cost is spread over many appends); returns the characters left.
 */
function dropOldest(log: Array<{ text: string }>, chars: number, keep: number): number {
  if (chars <= keep) return chars;
  let n = 0;
  let left = chars;
  while (n < log.length - 1 && left > (keep * 3) / 4) left -= log[n++].text.length;
  log.splice(0, n);
  return left;
}

/** The kernel's data, and the logging every part of it does. */
export class KernelState {
  /** The pid hash: pid number -> task (one struct pid per number, PIDTYPE_PID). */
  readonly pid_hash = new PidHash();
  /** The pid namespace's IDR: numbers allocated (tasks, zombies, and pids in flight). */
  readonly pid_idr = new PidBitmap();
  /** The initial pid namespace (level 0): its tables are pid_hash and pid_idr. */
  readonly init_pid_ns: pid_namespace;
  /** The initial namespace's pid_max (each namespace has its own from Linux 6.14 on). */
  get pid_max(): number { return this.init_pid_ns.pid_max; }
  set pid_max(v: number) { this.init_pid_ns.pid_max = v; }
  /** idr_next of the initial pid namespace: where the cyclic allocator starts its next search. */
  get last_pid(): number { return this.init_pid_ns.last_pid; }
  set last_pid(v: number) { this.init_pid_ns.last_pid = v; }
  nr_threads = 0;
  total_forks = 0;
  readonly rq: RunQueue[] = [];
  /** Virtual clock in nanoseconds. */
  clock = NS_ZERO;
  /** The user memory all address spaces share (see MemoryBudget): 16M cells. */
  readonly mem_budget: MemoryBudget = { used: 0, limit: USER_MEMORY_CELLS };
  steps = 0;
  /** Events since the machine last handed them out (it takes the array and leaves a new one). */
  events: KEvent[] = [];
  /** Events emitted since boot: the last one in `events` is number event_seq. */
  event_seq = 0;
  /** The kernel log buffer: the newest LOG_BUF_LEN characters of it, as dmesg shows it. */
  readonly dmesg: Array<{ time: number; level: number; text: string }> = [];
  /** What tasks wrote: the newest OUT_KEEP characters (every write is also an 'output' event). */
  readonly out: Array<{ pid: number; fd: number; text: string }> = [];
  private dmesgChars = 0;
  private outChars = 0;
  readonly kthread_create_list: kthread_create_info[] = [];
  kthreadd_task: task_struct | null = null;
  /** Tasks in schedule_timeout / msleep / nanosleep, woken by the timer when the clock passes. */
  readonly timers = new TimerQueue();
  /** Thread groups whose ITIMER_REAL is armed (alarm, setitimer): see itimer.ts. */
  readonly real_timers: signal_struct[] = [];
  /** System V shared memory segments of the (one) IPC namespace (shm.ts). */
  readonly shm_ids: shm_ids = newShmIds();
  /** System V message queues of the IPC namespace (msg.ts). */
  readonly msg_ids: msg_ids = newMsgIds();
  /** The IPC namespace's POSIX message queues by name (mqueue.ts). */
  readonly mq_ns: mq_namespace = newMqNamespace();
  /**
   * Futex sleepers by key (futex_key: the mm and address of a private futex, the shared object
   * and offset of a shared one), each with the address it passed, in the order they queued.
   */
  readonly futex_waiters = new Map<string, Map<task_struct, number>>();
  /**
   * The module's memory: scenario kernel code (module_init and every kthread function) runs on
   * these globals, as a real module's data lives in kernel memory that all kthreads see.
   */
  module_memory: UserMemory | null = null;
  /** The module init function's return value once do_one_initcall has it (null: not yet). */
  module_init_ret: number | null = null;
  /** Tasks copy_process is building: they hold references before they are hashed. */
  readonly forking: task_struct[] = [];
  /** Task handles given to scenario code (struct task_struct *), by KRef id (the task's addr). */
  readonly krefs = new Map<number, task_struct>();
  /** Spin locks of scenario kernel code, by address: the holder. */
  readonly spinlocks = new Map<number, task_struct>();
  /** The list_heads of scenario kernel code, by address (list.ts). */
  readonly klists = new ScenarioLists(() => this.module_memory);
  panicked: string | null = null;
  /** The scenario's main task, and its wait status once it has exited (the run's exit status). */
  main_pid = 0;
  main_status: number | undefined = undefined;
  /** Set by a handler whose step is an event the machine may stop on. */
  lastEvent: KEvent | null = null;
  /** With `kproc run --sched-stats`: the statistics of each task as release_task freed it. */
  sched_stats: SchedStat[] | null = null;
  /** The sched_switch and sched_wakeup tracepoints are enabled (see trace_sched_switch). */
  trace_sched = false;
  /** cpumask_any_and_distribute's per-CPU distribute_cpu_mask_prev (one machine-wide here). */
  distribute_cpu_mask_prev = 0;
  /** The terminal (tty.ts), the file tree (vfs.ts), objects met through handles (kobj.ts). */
  tty: tty_struct | null = null;
  vfs: vfs_state | null = null;
  kobj: kobj_registry | null = null;
  private prng: number;

  constructor(readonly config: KernelConfig, readonly user: UserPort) {
    this.init_pid_ns = newPidNamespace(null, config.pidMax, this.pid_idr, this.pid_hash);
    this.prng = (config.seed >>> 0) || 1;
    const tunables = schedTunables(config.sched ?? 'eevdf', config.cpus);
    for (let cpu = 0; cpu < config.cpus; cpu++) this.rq.push(new RunQueue(cpu, tunables));
  }

  /** Deterministic xorshift32, for choices the kernel leaves open. */
  random(n: number): number {
    let x = this.prng;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.prng = x;
    return x % n;
  }

  /**
   * Records an event. Call sites write `time: NS_ZERO, step: 0` first in the literal and this stamps
   * them: an event is then born with its final shape (adding fields later would grow each one).
   */
  emit(e: KEvent): KEvent {
    e.time = this.clock;
    e.step = this.steps;
    this.event_seq++;
    this.events.push(e);
    this.lastEvent = e;
    return e;
  }

  printk(t: task_struct, text: string, level = 6): void {
    let lvl = level;
    let msg = text;
    const m = /^\x01?<?([0-7])>?/.exec(text);
    if (text.startsWith('\x01') && m) { lvl = Number(m[1]); msg = text.slice(2); }
    msg = msg.replace(/\n$/, '');
    this.log(lvl, msg);
    this.emit({ time: NS_ZERO, step: 0, kind: 'printk', pid: t.pid, text: msg });
  }

  /** Appends to the log buffer, which drops its oldest lines when full, as the kernel's does. */
  protected log(level: number, text: string): void {
    this.dmesg.push({ time: this.clock / 1e9, level, text });
    this.dmesgChars = dropOldest(this.dmesg, this.dmesgChars + text.length, LOG_BUF_LEN);
  }

  write(t: task_struct, fd: number, text: string): void {
    this.out.push({ pid: t.pid, fd, text });
    this.outChars = dropOldest(this.out, this.outChars + text.length, OUT_KEEP);
    this.emit({ time: NS_ZERO, step: 0, kind: 'output', pid: t.pid, fd, text });
  }
}
