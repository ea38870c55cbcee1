// The kernel's global state (init_task, the pid table, run queues, the clock, the logs) and the
// primitives step handlers use: call, return, jump, sleep and wake. Pure and deterministic.

import type { KEvent } from '../machine-types';
import { INIT_TASK_REF, type KRef, type MemoryBudget, type UserMemory, type Value } from '../vm/types';
import * as C from './consts';
import type { KFrame, KFunction } from './frame';
import { list_add_tail, list_empty, list_entries, ScenarioLists } from './list';
import { ENQUEUE_WAKEUP, RunQueue, schedTunables, type FairPolicy } from './rq';
import { newInitTask } from './objects';
import { NS_ZERO, type completion, type pid_namespace, type signal_struct, type task_struct } from './task';
import { newPidNamespace } from './pidns';
import type { UserPort } from './uport';
import { send_signal } from './signal';
import { PidBitmap, PidHash } from './pidhash';
import { TimerQueue } from './waitqueue';
import type { SchedStat } from './schedstat';
import type { tty_struct } from './tty';
import type { vfs_state } from './vfs';
import type { kobj_registry } from './kobj';


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
 * A popped frame lets go of its locals and the pointer it was handed: a frame that lived long
 * enough to be promoted by the garbage collector would otherwise keep young objects (the tasks
 * it pointed at, and everything they point at) alive through every minor collection until the
 * next full one. Nothing reads a frame after it is popped.
 */
function release(f: KFrame): void {
  f.locals = EMPTY_LOCALS;
  f.retp = null;
  f.into = null;
}
const EMPTY_LOCALS: object = Object.freeze({});
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

export class Kernel {
  readonly init_task: task_struct;
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
  /** Sleepers in futex_wait, by user address (pthread_join). */
  readonly futex_waiters = new Map<number, Set<task_struct>>();
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
    this.init_task = newInitTask(this);
    this.rq[0].idle = this.init_task;
    for (let cpu = 1; cpu < config.cpus; cpu++) this.rq[cpu].idle = this.init_task;
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
  private log(level: number, text: string): void {
    this.dmesg.push({ time: this.clock / 1e9, level, text });
    this.dmesgChars = dropOldest(this.dmesg, this.dmesgChars + text.length, LOG_BUF_LEN);
  }

  write(t: task_struct, fd: number, text: string): void {
    this.out.push({ pid: t.pid, fd, text });
    this.outChars = dropOldest(this.out, this.outChars + text.length, OUT_KEEP);
    this.emit({ time: NS_ZERO, step: 0, kind: 'output', pid: t.pid, fd, text });
  }

  // ---- step-table primitives -------------------------------------------------------------

  /**
   * Pushes a frame: the callee's first step runs next. The caller's pc has already advanced to
   * the step after the calling one, which is where the callee returns: the calling line's second
   * marker when the line itself consumes the result (`@call @resume`), else the next line.
   * `resume` names another step of the caller to return to instead.
   * With `into`, the caller's local of that name takes what the callee returns the moment it
   * returns (C's `p = callee(...)` or `retval = callee(...)`: the pointer for a local that holds
   * one, the number for a number local), so a debugger stopped at the step that consumes the
   * result already sees it.
   */
  call<L extends object>(t: task_struct, fn: KFunction<L>, locals: L, into: string | null = null, resume: string | null = null): void {
    const n = t.stack.length;
    // A call from scenario code (a kthread function's msleep) leaves the frame below it alone.
    if (n > 0 && n > t.vm_base) {
      const caller = t.stack[n - 1];
      // A frame's `into` is null except between such a call and its return (ret clears it).
      if (into !== null) caller.into = into;
      caller.at = caller.pc - 1;
      if (resume !== null) this.jump(caller, resume);
    }
    const f: KFrame<L> = { fn, pc: 0, locals, ret: 0, retp: null, into: null, at: 0 };
    t.stack.push(f as unknown as KFrame);
  }

  /**
   * Pops the current frame and hands `value` to the caller (or to user space). A call that
   * ends with an -ERESTART* code does not return to user space yet: signal delivery decides
   * whether it restarts or fails with EINTR (see signal_delivered in sigaction.ts).
   */
  ret(t: task_struct, value: number, ptr: object | null = null): void {
    const top = t.stack.pop();
    const n = t.stack.length;
    if (n > 0) {
      const f = t.stack[n - 1];
      f.ret = value;
      f.retp = ptr;
      if (f.into !== null) {
        const locals = f.locals as Record<string, unknown>;
        locals[f.into] = typeof locals[f.into] === 'number' ? value : ptr;
        f.into = null;
      }
    }
    if (top === undefined) return;
    const entry = top.fn.entry;
    release(top);
    if (n === t.vm_base && entry) this.returnToUser(t, value, ptr);
  }

  /** Pops the current frame without completing a user call (a successful execve, rt_sigreturn). */
  popFrame(t: task_struct): void {
    const top = t.stack.pop();
    if (top !== undefined) release(top);
    const n = t.stack.length;
    if (n > 0) t.stack[n - 1].into = null;
  }

  /** The value reaches the scenario code that made the call (or the interrupted call is kept). */
  returnToUser(t: task_struct, value: number, ptr: object | null = null): void {
    if (value === -C.ERESTARTSYS || value === -C.ERESTARTNOHAND || value === -C.ERESTART_RESTARTBLOCK || value === -C.ERESTARTNOINTR) {
      const nr = t.syscall_nr ?? { name: t.in_syscall, args: [] };
      t.restart = { code: -value, name: nr.name, args: nr.args, handler: false };
      return;
    }
    // Nothing to hand it to: a built-in program (init), or scenario code that has returned.
    if (!t.thread.regs) return;
    if (ptr && (ptr as { type?: string }).type === 'task_struct' && this.user.syscallReturnRef) {
      this.user.syscallReturnRef(t, this.taskRef(ptr as task_struct));
      return;
    }
    this.user.syscallReturn(t, value);
  }

  /** A struct task_struct * for scenario code. */
  taskRef(p: task_struct): KRef {
    // &init_task is a link-time constant in scenario code: its handle is INIT_TASK_REF.
    if (p === this.init_task) return INIT_TASK_REF;
    this.krefs.set(p.addr, p);
    return { kref: 'task', id: p.addr };
  }

  /** The task a handle from scenario code points at (null for NULL or a number that is no task). */
  taskOf(v: Value | undefined): task_struct | null {
    if (v && typeof v === 'object' && v.kref === 'task') return v.id === INIT_TASK_REF.id ? this.init_task : this.krefs.get(v.id) ?? null;
    return null;
  }

  /** The scenario function a function pointer designates (see UserPort.functionName). */
  functionName(v: Value | undefined): string | null {
    if (v === undefined) return null;
    if (this.user.functionName) return this.user.functionName(v);
    return typeof v === 'string' && v !== '' ? v : null;
  }

  /** The memory scenario code of t runs on: its mm's, or the module's for kernel threads. */
  memoryOf(t: task_struct): UserMemory | null {
    if (t.mm && t.mm.memory) return t.mm.memory;
    return t.flags & C.PF_KTHREAD || t.builtin === 'insmod' ? this.module_memory : null;
  }

  jump<L>(f: KFrame<L>, label: string): void {
    // A scan of a few interned strings beats a hash lookup here.
    const i = f.fn.labels.indexOf(label);
    if (i < 0) throw new Error(`${f.fn.name}: no step @${label}`);
    f.pc = i;
  }

  // ---- tasks and pids ---------------------------------------------------------------------

  find_task_by_vpid(nr: number): task_struct | null {
    return this.pid_hash.get(nr) ?? null;
  }

  for_each_process(): task_struct[] {
    return [this.init_task, ...list_entries(this.init_task.tasks)];
  }

  /** Every task, threads included, in pid order (what ps -eL lists). */
  allTasks(): task_struct[] {
    return [...this.pid_hash.values()].sort((a, b) => a.pid - b.pid);
  }

  /** list_add_tail_rcu(&p->tasks, &init_task.tasks) and attach_pid(p, PIDTYPE_TGID). */
  link_task(p: task_struct): void {
    if (p.pid !== p.tgid) return;
    list_add_tail(p.tasks, this.init_task.tasks);
    p.signal.pids[C.PIDTYPE_TGID] = p.tgid;
  }

  hasChildren(t: task_struct): boolean {
    return !list_empty(t.children);
  }

  currentOf(cpu: number): task_struct {
    return this.rq[cpu].curr ?? this.init_task;
  }

  // ---- sleeping and waking ----------------------------------------------------------------

  /**
   * try_to_wake_up: if p's state matches `state`, make it TASK_RUNNING and put it back on a run
   * queue. Returns true when it woke the task.
   */
  try_to_wake_up(p: task_struct, state: number, by: task_struct | null): boolean {
    if ((p.__state & state) === 0) return false;
    p.__state = C.TASK_RUNNING;
    this.timers.delete(p);
    if (!p.se.on_rq) {
      // ttwu_do_activate: enqueue_task (ENQUEUE_WAKEUP), then wakeup_preempt.
      const rq = this.rq[p.cpu];
      rq.enqueue_entity(p, ENQUEUE_WAKEUP);
      p.sched_info.last_queued = this.clock;
      rq.wakeup_preempt(p);
      this.emit({ time: NS_ZERO, step: 0, kind: 'wakeup', pid: p.pid, by: by ? by.pid : 0 });
      if (this.trace_sched) this.emit({ time: NS_ZERO, step: 0, kind: 'sched_wakeup', comm: p.comm, pid: p.pid, prio: p.prio, target_cpu: p.cpu });
    }
    return true;
  }

  signal_pending(t: task_struct): boolean {
    const a = t.pending.signal, b = t.signal.shared_pending.signal, m = t.blocked;
    return ((a[0] | b[0]) & ~m[0]) !== 0 || ((a[1] | b[1]) & ~m[1]) !== 0;
  }

  fatal_signal_pending(t: task_struct): boolean {
    return (t.pending.signal[0] & (1 << (C.SIGKILL - 1))) !== 0 || (t.signal.flags & C.SIGNAL_GROUP_EXIT) !== 0;
  }

  /**
   * The step called schedule(): a task whose __state is no longer TASK_RUNNING leaves its run
   * queue and stays off it until try_to_wake_up; its frame waits at the next step. A pending
   * signal cancels an interruptible sleep (signal_pending_state), as in __schedule.
   */
  schedule(t: task_struct): void {
    const st = t.__state;
    const rq = this.rq[t.cpu];
    if (st === C.TASK_RUNNING) {
      rq.need_resched = true;
      return;
    }
    if (((st & C.TASK_INTERRUPTIBLE) && this.signal_pending(t)) || ((st & C.TASK_WAKEKILL) && this.fatal_signal_pending(t))) {
      t.__state = C.TASK_RUNNING;
      return;
    }
    rq.dequeue(t);
    rq.need_resched = true;
  }

  /** Sleeps until the clock reaches `until` (schedule_timeout); the state must be set already. */
  sleepUntil(t: task_struct, until: number): void {
    t.timeout_at = until;
    this.timers.add(t);
    this.schedule(t);
    if (t.__state === C.TASK_RUNNING) this.timers.delete(t);
  }

  wake_up_process(p: task_struct, by: task_struct | null): boolean {
    return this.try_to_wake_up(p, C.TASK_NORMAL, by);
  }

  /** signal_wake_up: an interruptible (or, for fatal signals, killable or stopped) sleep ends. */
  signal_wake_up(t: task_struct, fatal: boolean): void {
    this.try_to_wake_up(t, C.TASK_INTERRUPTIBLE | (fatal ? C.TASK_WAKEKILL | C.__TASK_STOPPED : 0), null);
  }

  send_signal(sig: number, from: task_struct | null, to: task_struct, group: boolean): boolean {
    return send_signal(this, sig, from, to, group);
  }

  /** group_send_sig_info from the kernel itself (pdeath_signal). */
  send_signal_to_group(sig: number, from: task_struct | null, to: task_struct): boolean {
    return send_signal(this, sig, from, to, true);
  }

  /** __wake_up_parent: wakes the parent's threads sleeping in do_wait. */
  __wake_up_parent(parent: task_struct, child: task_struct): void {
    const q = parent.signal.wait_chldexit;
    for (let i = 0; i < q.length; i++) this.try_to_wake_up(q[i], C.TASK_INTERRUPTIBLE, child);
  }

  /** The pid namespace's child_reaper: init, pid 1 (the swapper before init exists). */
  child_reaper(): task_struct {
    return this.pid_hash.get(1) ?? this.init_task;
  }

  /** futex wake on a word (a thread's clear_child_tid: pthread_join sleepers); returns how many woke. */
  futex_wake(addr: number, t: task_struct): number {
    const ws = this.futex_waiters.get(addr);
    if (!ws) return 0;
    this.futex_waiters.delete(addr);
    // futex_wake_mark: each waiter is unqueued, then woken.
    for (const w of [...ws]) this.try_to_wake_up(w, C.TASK_NORMAL, t);
    return ws.size;
  }

  panic(message: string): void {
    if (this.panicked) return;
    this.panicked = message;
    this.log(0, `Kernel panic - not syncing: ${message}`);
    this.emit({ time: NS_ZERO, step: 0, kind: 'panic', message });
  }

  /** finish_task_switch for a TASK_DEAD task: drop the lazy mm and the scheduler's reference. */
  finish_task_dead(t: task_struct): void {
    if (t.active_mm && t.active_mm !== t.mm) {
      t.active_mm.mm_count--;
    }
    t.active_mm = null;
    t.thread.regs = null;
  }

  /** The task_struct went back to its slab (free_task). */
  freed(p: task_struct): void {
    // A self-reaping task is still running do_exit here; its stack goes in finish_task_dead.
    p.usage = 0;
  }

  /** Picks the CPU for a new task: the least loaded, ties broken by the seeded PRNG. */
  select_task_rq(parent: task_struct): number {
    if (this.rq.length === 1) return 0;
    // Only CPUs in the affinity mask the child inherits (cpus_mask) are candidates.
    const mask = parent.cpus_mask;
    let best = -1;
    let load = Infinity;
    const consider = (cpu: number): void => {
      if (((mask >> BigInt(cpu)) & 1n) === 0n) return;
      const l = this.rq[cpu].rq_nr_running();
      if (l < load) { best = cpu; load = l; }
    };
    consider(parent.cpu);
    for (const r of this.rq) consider(r.cpu);
    return best < 0 ? parent.cpu : best;
  }

  /**
   * trace_sched_switch: prev gave the CPU to next (either may be the idle task, swapper/N, pid
   * 0). prev_state is the letter of the state prev left in, R (plus + when preempted) for a
   * task still runnable.
   */
  trace_sched_switch(cpu: number, prev: task_struct | null, next: task_struct | null): void {
    const idle = `swapper/${cpu}`;
    const st = prev === null ? 'R' : prev.exit_state ? (prev.exit_state === C.EXIT_ZOMBIE ? 'Z' : 'X')
      : prev.__state === C.TASK_RUNNING ? (prev.se.on_rq ? 'R+' : 'R') : prev.__state & C.TASK_UNINTERRUPTIBLE ? 'D'
        : prev.__state & C.__TASK_STOPPED ? 'T' : prev.__state === C.TASK_DEAD ? 'X' : 'S';
    this.emit({
      time: NS_ZERO, step: 0, kind: 'sched_switch', cpu,
      prev_comm: prev ? prev.comm : idle, prev_pid: prev ? prev.pid : 0, prev_prio: prev ? prev.prio : C.DEFAULT_PRIO, prev_state: st,
      next_comm: next ? next.comm : idle, next_pid: next ? next.pid : 0, next_prio: next ? next.prio : C.DEFAULT_PRIO,
    });
  }
}
