// The kernel: init_task on top of its global state (kernel-state.ts: the pid table, run queues,
// the clock, the logs) and the primitives step handlers use: call, return, jump, sleep and wake.
// Pure and deterministic.

import { INIT_TASK_REF, type KRef, type UserMemory, type Value } from '../vm/types';
import * as C from './consts';
import type { KFrame, KFunction } from './frame';
import { list_add_tail, list_empty, list_entries } from './list';
import { ENQUEUE_WAKEUP } from './rq';
import { newInitTask } from './objects';
import { NS_ZERO, type task_struct } from './task';
import type { UserPort } from './uport';
import { send_signal } from './signal';
import { KernelState, type KernelConfig } from './kernel-state';
import { futex_key } from './futex-key';

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

export class Kernel extends KernelState {
  readonly init_task: task_struct;

  constructor(config: KernelConfig, user: UserPort) {
    super(config, user);
    this.init_task = newInitTask(this);
    this.rq[0].idle = this.init_task;
    for (let cpu = 1; cpu < config.cpus; cpu++) this.rq[cpu].idle = this.init_task;
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
    const key = futex_key(t, addr, 0);
    const ws = this.futex_waiters.get(key);
    if (!ws) return 0;
    this.futex_waiters.delete(key);
    // futex_wake_mark: each waiter is unqueued, then woken.
    for (const w of [...ws.keys()]) this.try_to_wake_up(w, C.TASK_NORMAL, t);
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
