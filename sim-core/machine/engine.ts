// The machine's CPU loop: boots init (pid 1) and kthreadd (pid 2), then runs the current task of
// each CPU one step at a time (a kernel frame step, or user code up to its next trap).

import * as C from '../kernel/consts';
import { Kernel, type KernelConfig } from '../kernel/kernel';
import { list_add_tail, list_empty, list_entries } from '../kernel/list';
import { blankTask, newCred, newFiles, newFs, newMm, newSighand, newSignal, set_sigaction } from '../kernel/objects';
import { get_signal } from '../kernel/signal';
import { syscallEntry } from '../kernel/syscalls';
import { start_kthreadd } from '../kernel/kthread';
import { next_real_timer, run_real_timers } from '../kernel/itimer';
import { load_module } from '../kernel/module';
import { NS_ZERO, type task_struct, type user_struct } from '../kernel/task';
import { newPid } from '../kernel/pidns';
import type { UserPort } from '../kernel/uport';
import { BUDGET } from '../vm/run';
import type { Trap, UserMemory, UserRegs, Value } from '../vm/types';
import { nop, ret0, retCallee } from '../kernel/frame';
import { OutputMeter } from './output';
import { ENQUEUE_INITIAL } from '../kernel/rq';
import { FMODE_WRITE } from '../kernel/file';
import { set_tty_writer } from '../kernel/read_write';
import { open_console, tty_init, tty_wants_input } from '../kernel/tty';
import { vfs_init } from '../kernel/vfs';
import { positionOf, type Position } from './position';
import { switch_account } from '../kernel/sched-switch';
import { canCarry, SchedPath, sw, tick as tickPath } from './sched-path';

/** VM instructions a task runs in one step before the step ends (a timer tick's worth). */
const USER_BUDGET = 1000;
/**
 * Kernel steps one tick may run for a task. Kernel code runs on until it sleeps, asks to be
 * rescheduled or returns to user space (a voluntary-preemption kernel), so a whole fork or wait
 * path is one tick; a long kernel loop still gives the other CPUs and the timers their turn.
 */
const KERNEL_BATCH = 64;

/**
 * Runs user code of a task until its next trap; `left()` is what remains of the budget at a
 * statement or call trap.
 */
export interface RunUser {
  run(t: task_struct, budget: number): Trap;
  left(): number;
}

/**
 * A debugger's checks, asked by the run loop. Each returns true to stop there: the tick is
 * suspended before the statement or step runs, and resumes at the next run().
 */
export interface StopChecks {
  /** At a 'statement' or 'call' trap (only those the port asks the VM for). */
  user(t: task_struct, trap: Trap): boolean;
  /**
   * Before a kernel step of t: between two steps of a batch and, after a tick, for the task each
   * CPU ran. `depthBefore` is t's kernel stack depth before the step that led here (a
   * deeper stack now means that step called a function).
   */
  kernel(t: task_struct, depthBefore: number): boolean;
  /** What changed or happened since the last look (data watches, event filters): after kernel(). */
  changed(): boolean;
  /**
   * When set, kernel() is asked between the steps of a batch and after a tick only after a step
   * that called a function whose id has a 1 here, and changed() is not asked (function
   * breakpoints with nothing else to check).
   */
  readonly callsTo: Uint8Array | null;
  /**
   * A breakpoint names or lies in a function of the tick or switch path (sched_tick,
   * update_curr, __schedule, pick_eevdf...): those paths then run as frames, one step point
   * each, instead of inline (see sched-path.ts).
   */
  readonly schedPath?: boolean;
  /** A task whose switches away alone run as frames (a Step Into in its kernel code); -1: none. */
  readonly switchPid?: number;
}

/** Why Engine.run returned. */
export type EngineEnd =
  /** The slice's steps are used; the run goes on at the next call. */
  | { reason: 'slice' }
  /** A check asked to stop. */
  | { reason: 'stop' }
  | { reason: 'exited' }
  /** k.steps reached the run's limit. */
  | { reason: 'limit' }
  | { reason: 'panic'; message: string }
  | { reason: 'deadlock'; sleeping: number[] }
  /** The run's output reached its limit (output.limit): the write that passed it was cut there. */
  | { reason: 'output'; pid: number }
  /** No task can run and one sleeps reading the interactive terminal: it waits for input. */
  | { reason: 'input' }
  /** With faultStops: a task's user code faulted; the signal is pending, not yet delivered. */
  | { reason: 'fault'; pid: number; signal: string; message: string; line: number }
  /** A tick boundary where the virtual clock is at or past clockLimit (a goto to a time). */
  | { reason: 'clock' };

const SLICE_END: EngineEnd = { reason: 'slice' };
const CHECK_STOP: EngineEnd = { reason: 'stop' };
const EXITED: EngineEnd = { reason: 'exited' };
const LIMIT: EngineEnd = { reason: 'limit' };
const INPUT: EngineEnd = { reason: 'input' };
const CLOCK: EngineEnd = { reason: 'clock' };

/** What boot sets up besides the first task: the module, the file system, the terminal's input. */
export interface BootExtras {
  moduleInit?: string;
  /** Paths exec can run (built-in programs and the scenario's), listed in the file system. */
  programs?: readonly string[];
  /** What the terminal holds as input; reads past it return 0 unless interactiveStdin. */
  stdin?: string;
  interactiveStdin?: boolean;
}

export class Engine {
  readonly k: Kernel;
  readonly user: user_struct;
  /** The trap each task is inside, for restarting an interrupted call. */
  private pendingTrap = new Map<task_struct, { name: string; args: Value[] }>();
  /** What tasks write (write, printk): streamed out by run() and bounded by its limit. */
  readonly output = new OutputMeter();
  /**
   * Stop after the tick in which a task's user code faults (the debugger's exception stop): the
   * fault's signal is queued and is delivered when the task next runs, so a continue lets the
   * task take it (and die of it) and the same fault never stops twice.
   */
  faultStops = false;
  private faulted: Extract<EngineEnd, { reason: 'fault' }> | null = null;
  /** The task a CPU is running a step of (null between steps): whom an internal error concerns. */
  current: task_struct | null = null;
  /**
   * run() ends ('clock') at the first tick boundary where k.clock is at or past this (Infinity:
   * never). The clock moves only at the end of a tick, so a boundary is where it can be crossed.
   */
  clockLimit = Infinity;

  constructor(config: KernelConfig, port: UserPort, private readonly userCode: RunUser) {
    this.k = new Kernel(config, port);
    this.user = { uid: config.uid, processes: 0 };
    // The terminal's output is the machine's: bounded by the output limit, an event per write.
    set_tty_writer(this.k, (t, stream, text) => {
      const out = this.output.pass(t.pid, text);
      this.k.write(t, stream, out);
      return out.length;
    });
  }

  /** rest_init: kernel_init becomes pid 1, kthreadd pid 2, both children of the swapper. */
  boot(main: { memory: UserMemory; regs: UserRegs; comm: string; argv?: readonly string[] }, opts: BootExtras = {}): task_struct {
    const k = this.k;
    vfs_init(k, opts.programs ?? []);
    tty_init(k, opts.stdin ?? '', opts.interactiveStdin === true);
    const root: user_struct = { uid: 0, processes: 0 };
    const init = this.bootTask(k.init_task, 'init', root, 'init');
    init.signal.flags |= C.SIGNAL_UNKILLABLE;
    // Like tini or systemd, init catches SIGCHLD so that its pause() ends when a child dies.
    const initSighand = init.sighand as NonNullable<task_struct['sighand']>;
    set_sigaction(initSighand, C.SIGCHLD, { ...initSighand.action[C.SIGCHLD - 1], handler: 'reap_children' });
    const kthreadd = this.bootTask(k.init_task, 'kthreadd', root, 'kthreadd');
    kthreadd.flags |= C.PF_KTHREAD;
    kthreadd.mm = kthreadd.active_mm = null;
    k.kthreadd_task = kthreadd;
    start_kthreadd(k, kthreadd);
    const mainTask = this.bootTask(init, main.comm, this.user, '');
    mainTask.mm = mainTask.active_mm = newMm(main.comm, main.memory, main.argv ?? [`./${main.comm}`]);
    main.memory.attach(k.mem_budget);
    mainTask.thread.regs = main.regs;
    mainTask.signal.rlim_nproc = { rlim_cur: k.config.nproc, rlim_max: k.config.nproc };
    // Descriptors 0, 1 and 2 on the terminal, as the shell that started it left them.
    open_console(k, mainTask);
    // A module scenario: pid 3 is an insmod running the module_init function in finit_module.
    if (opts.moduleInit) load_module(k, mainTask, opts.moduleInit, main.memory);
    return mainTask;
  }

  private bootTask(parent: task_struct, comm: string, user: user_struct, builtin: string): task_struct {
    const k = this.k;
    const t = blankTask(newSignal(C.RLIM_INFINITY), newCred(user));
    user.processes++;
    t.comm = comm;
    t.builtin = builtin;
    t.sighand = newSighand();
    t.files = newFiles();
    t.fs = newFs();
    t.pid = t.tgid = k.last_pid + 1;
    k.last_pid = t.pid;
    k.pid_idr.add(t.pid);
    k.init_pid_ns.pid_allocated++;
    t.thread_pid = newPid(k.init_pid_ns, [t.pid]);
    t.nsproxy = parent.nsproxy;
    t.nsproxy.count++;
    t.real_parent = t.parent = parent;
    t.exit_signal = C.SIGCHLD;
    t.start_time = k.clock;
    list_add_tail(t.sibling, parent.children);
    list_add_tail(t.thread_node, t.signal.thread_head);
    k.link_task(t);
    k.pid_hash.set(t.pid, t);
    k.nr_threads++;
    // The boot tasks start level at min_vruntime; EEVDF gives each its first deadline (half a
    // request, as for any new task).
    const rq = k.rq[0];
    t.se.vruntime = rq.min_vruntime;
    rq.enqueue_entity(t, rq.eevdf ? ENQUEUE_INITIAL : 0);
    return t;
  }

  /** The task each CPU ran in the last tick (null: idle), for the debugger's checks. */
  private readonly ran: Array<task_struct | null> = [];
  /** Kernel stack depth of that task before its step (a deeper stack after it means a call). */
  private readonly depthBefore: number[] = [];
  /** The checks of the current run() (null: none, the fast path). */
  private checks: StopChecks | null = null;
  /** Set when a check asked to stop during the current tick. */
  private checkStopped = false;
  /**
   * Steps the caller still allows: each tick() takes one, and each further kernel step of a batch
   * one more; a batch that finds none left is suspended (the caller's slice is used up).
   */
  private budget = Infinity;
  /** CPU whose step is suspended at a user or kernel point (-1: none), and what is left of it. */
  private suspendedCpu = -1;
  private suspendedKernel = false;
  private suspendedBudget = 0;
  private suspendedRan = false;
  /**
   * Where the check being asked stands within the tick (set only when there are checks): phase 0
   * inside a CPU's step, 1 after the whole tick; the CPU; a kernel or a user point; and what is
   * left of the step's budget (user instructions, or kernel steps of the batch). With k.steps it
   * names the moment exactly, whichever checks are on (see position()).
   */
  private atPhase = 0;
  private atCpu = 0;
  private atKernel = false;
  private atLeft = 0;
  /** The CPU whose after-tick check stopped the run (-1: none since the last tick began). */
  private stoppedAfter = -1;

  /**
   * One tick: every CPU runs its current task for one step. Returns false when all are idle.
   * A tick suspended by a check (or by the budget) resumes where it stopped, so stops never
   * change the schedule.
   */
  tick(): boolean {
    const k = this.k;
    let ran = false;
    let first = 0;
    this.stoppedAfter = -1;
    if (this.suspendedCpu >= 0) { first = this.suspendedCpu; ran = this.suspendedRan; } else k.steps++;
    for (let cpu = first; cpu < k.rq.length; cpu++) {
      const rq = k.rq[cpu];
      let t: task_struct | null;
      let done: boolean;
      const sched = this.sched.phase;
      if (cpu === this.suspendedCpu && sched === 0) {
        this.suspendedCpu = -1;
        t = this.ran[cpu] as task_struct;
        this.current = t;
        if (this.suspendedKernel) {
          // The step the batch stopped before is a step point of its own.
          k.steps++;
          done = this.kernelSteps(t, cpu, this.suspendedBudget);
        } else {
          done = this.userStep(t, cpu, this.suspendedBudget);
        }
      } else if (sched === 2) {
        // A stepped tick stopped inside: it goes on from there.
        this.suspendedCpu = -1;
        t = this.ran[cpu] as task_struct;
        if (!this.sched.run(k, this.checks, false)) return this.suspendSched(cpu, ran);
        this.preemptOnReturn(rq, t);
        if (k.panicked) break;
        continue;
      } else {
        t = rq.curr;
        if (sched === 1) {
          // A stepped switch stopped inside: it goes on from there.
          this.suspendedCpu = -1;
          if (!this.sched.run(k, this.checks, false)) return this.suspendSched(cpu, ran);
          t = rq.curr;
        } else if (!t || rq.need_resched || !t.se.on_rq) {
          const prev = t;
          const c = this.checks;
          if (c !== null && (c.schedPath === true || (prev !== null && c.switchPid === prev.pid)) && canCarry(k, prev)) {
            this.sched.begin(prev, 1, sw.__schedule, sw.scheduleLocals(rq));
            if (!this.sched.run(k, this.checks, true)) return this.suspendSched(cpu, ran);
            t = rq.curr;
          } else {
            t = rq.pick_next();
            if (prev !== t) switch_account(k, cpu, prev, t);
          }
        }
        this.ran[cpu] = t;
        if (!t) continue;
        this.current = t;
        done = this.stepTask(t, cpu);
      }
      ran = true;
      this.current = null;
      if (!done) { this.suspendedCpu = cpu; this.suspendedRan = ran; return ran; }
      if (this.checks !== null && this.checks.schedPath === true && canCarry(k, t)) {
        this.sched.begin(t, 2, tickPath.sched_tick, tickPath.schedTickLocals(rq, C.NS_PER_STEP));
        if (!this.sched.run(k, this.checks, true)) return this.suspendSched(cpu, ran);
      } else {
        rq.entity_tick(C.NS_PER_STEP);
      }
      this.preemptOnReturn(rq, t);
      if (k.panicked) break;
    }
    k.clock += C.NS_PER_STEP;
    this.runTimers(!ran);
    return ran;
  }

  /** The tick and switch paths when a breakpoint is in them (see sched-path.ts). */
  private readonly sched = new SchedPath();

  /** A check stopped inside a stepped tick or switch: the tick resumes there. */
  private suspendSched(cpu: number, ran: boolean): boolean {
    this.checkStopped = true;
    this.suspendedCpu = cpu;
    this.suspendedRan = ran;
    return ran;
  }

  /** After the tick: a task the tick asked to give up the CPU, now in user mode, is rescheduled at its next tick. */
  private preemptOnReturn(rq: Kernel['rq'][number], t: task_struct): void {
    if (rq.should_preempt() && t.stack.length <= Math.max(0, t.vm_base)) rq.need_resched = true;
  }

  private runTimers(idle: boolean): void {
    const k = this.k;
    if (k.timers.size === 0 && k.real_timers.length === 0) return;
    let next = next_real_timer(k);
    for (const t of k.timers) if (t.timeout_at < next) next = t.timeout_at;
    if (idle && next > k.clock && next < Infinity) k.clock = next;
    run_real_timers(k);
    for (const t of [...k.timers]) {
      if (t.timeout_at > k.clock) continue;
      // An hrtimer fires once: a task that is no longer in the sleep it armed (stopped by
      // SIGSTOP meanwhile, say) is not woken, and the expired timer is gone all the same.
      k.timers.delete(t);
      k.try_to_wake_up(t, C.TASK_NORMAL, null);
    }
  }

  /**
   * One step of task t: a kernel frame step, signal delivery, or user code to its next trap.
   * Returns false when userHook suspended the step at a statement.
   */
  stepTask(t: task_struct, cpu: number): boolean {
    const k = this.k;
    const n = t.stack.length;
    this.depthBefore[cpu] = n;
    if (n > 0 && (t.vm_base < 0 || n > t.vm_base)) return this.kernelSteps(t, cpu, KERNEL_BATCH);
    if (k.signal_pending(t) || t.signal.flags & C.SIGNAL_GROUP_EXIT) {
      k.call(t, get_signal, { signr: 0, handler: 0, info: null, why: 0 });
      return true;
    }
    const restart = this.pendingTrap.size === 0 ? undefined : this.pendingTrap.get(t);
    if (restart) {
      this.pendingTrap.delete(t);
      this.syscall(t, restart.name, restart.args);
      return true;
    }
    // init reaps in a loop while it has children (a zombie reparented to it included), else pauses.
    if (t.builtin === 'init') { this.syscall(t, list_empty(t.children) ? 'pause' : 'wait4', [-1, 0, C.__WALL]); return true; }
    if (t.builtin === 'kthreadd') { t.__state = C.TASK_INTERRUPTIBLE; k.schedule(t); return true; }
    return this.userStep(t, cpu, USER_BUDGET);
  }

  /**
   * A system call that entered a kernel path runs it in the same tick, as the syscall
   * instruction goes straight into the kernel; the entry is a point for the debugger and the
   * budget like any further step. Calls answered on the spot end the step here.
   */
  private enterKernel(t: task_struct, cpu: number): boolean {
    const n = t.stack.length;
    const rq = this.k.rq[cpu];
    if (n === 0 || (t.vm_base >= 0 && n <= t.vm_base) || rq.need_resched || rq.curr !== t || !t.se.on_rq || this.k.panicked !== null) return true;
    const checks = this.checks;
    if (checks !== null) this.at(0, cpu, true, KERNEL_BATCH);
    if (checks !== null && (checks.callsTo === null || checks.callsTo[t.stack[n - 1].fn.id] === 1) && (checks.kernel(t, this.depthBefore[cpu]) || checks.changed())) {
      this.checkStopped = true;
      return this.suspendKernel(KERNEL_BATCH);
    }
    if (this.budget <= 0) return this.suspendKernel(KERNEL_BATCH);
    this.budget--;
    this.k.steps++;
    return this.kernelSteps(t, cpu, KERNEL_BATCH);
  }

  /**
   * Runs up to `left` kernel steps of t, one step point each, while t stays in the kernel, on its
   * CPU and runnable, and nothing asked for a reschedule. Between steps a check may suspend the
   * tick (returns false), and the caller's budget may run out (the same).
   */
  private kernelSteps(t: task_struct, cpu: number, left: number): boolean {
    const k = this.k;
    const rq = k.rq[cpu];
    const stack = t.stack;
    const checks = this.checks;
    const calls = checks === null ? null : checks.callsTo;
    // The caller's budget lives in a local while the batch runs (nothing a step calls reads it).
    let budget = this.budget;
    let depth = stack.length;
    for (;;) {
      const f = stack[depth - 1];
      const pc = f.pc;
      f.pc = pc + 1;
      const h = f.fn.handlers[pc];
      if (h === ret0) k.ret(t, 0);
      else if (h === retCallee) k.ret(t, f.ret);
      else if (h !== nop) h(k, t, f);
      const n = stack.length;
      // depthBefore[cpu] (the depth before the last step) is written only where it is read next.
      if (--left <= 0 || n === 0 || (t.vm_base >= 0 && n <= t.vm_base) || rq.need_resched || rq.curr !== t || !t.se.on_rq || k.panicked !== null) {
        this.depthBefore[cpu] = depth;
        this.budget = budget;
        return true;
      }
      // The batch goes on: the next step is a point of its own for the debugger and the budget.
      if (checks !== null && (calls === null || (n > depth && calls[stack[n - 1].fn.id] === 1))) {
        this.depthBefore[cpu] = depth;
        this.at(0, cpu, true, left);
        if (checks.kernel(t, depth) || checks.changed()) { this.budget = budget; this.checkStopped = true; return this.suspendKernel(left); }
      }
      if (budget <= 0) {
        this.depthBefore[cpu] = depth;
        this.budget = budget;
        return this.suspendKernel(left);
      }
      budget--;
      k.steps++;
      depth = n;
    }
  }

  private suspendKernel(left: number): false {
    this.suspendedKernel = true;
    this.suspendedBudget = left;
    return false;
  }


  /**
   * Runs user code to its next kernel trap. Statement and call traps (asked for by the debugger)
   * do not end the step and cost nothing of their own: the slice goes on with what the VM left
   * of its budget, so a debugger looking at statements never changes the schedule.
   */
  private userStep(t: task_struct, cpu: number, budget: number): boolean {
    let left = budget;
    const user = this.userCode;
    for (;;) {
      const trap = user.run(t, left);
      // The slice's instructions are used up: nothing to handle, and the task stays in user mode.
      if (trap === BUDGET) return true;
      if (trap.kind !== 'statement' && trap.kind !== 'call') {
        this.handleTrap(t, trap);
        if (trap.kind === 'fault' && this.faultStops && this.faulted === null) {
          this.faulted = { reason: 'fault', pid: t.pid, signal: trap.signal, message: trap.message, line: trap.line };
        }
        return this.enterKernel(t, cpu);
      }
      left = user.left();
      if (this.checks !== null) this.at(0, cpu, false, left);
      if (this.checks !== null && this.checks.user(t, trap)) {
        this.checkStopped = true;
        this.suspendedKernel = false;
        this.suspendedBudget = left;
        return false;
      }
      if (left <= 0) return true;
    }
  }

  handleTrap(t: task_struct, trap: Trap): void {
    switch (trap.kind) {
      case 'syscall': this.syscall(t, trap.name, trap.args); break;
      case 'fault': {
        const sig = trap.signal === 'SIGSEGV' ? C.SIGSEGV : trap.signal === 'SIGFPE' ? C.SIGFPE : C.SIGILL;
        this.k.send_signal(sig, null, t, false);
        break;
      }
      default: break;
    }
  }

  /** Enters the kernel for a call; calls answered on the spot complete at once. */
  syscall(t: task_struct, name: string, args: Value[]): void {
    const k = this.k;
    t.in_syscall = name;
    if (name === 'write') {
      const fd = args.length > 1 && typeof args[0] === 'number' ? args[0] : 1;
      // A write to the terminal is answered here, at once (printf's path); any other file (a
      // pipe, a file, a closed descriptor) takes the kernel's path, __x64_sys_write.
      const files = t.files;
      const f = files === null ? null : files.fdt.fd[fd] ?? null;
      if (files === null || (f !== null && f.f_op === 'tty' && (f.f_mode & FMODE_WRITE) !== 0)) {
        const text = this.output.pass(t.pid, k.user.readString(t, args[args.length - 1] ?? ''));
        k.write(t, f === null ? fd : f.tty_stream, text);
        // write returns the bytes written (printf's own count replaces it, see pendingRet).
        k.user.syscallReturn(t, text.length);
        return;
      }
    }
    if (name === 'printk') {
      k.printk(t, this.output.pass(t.pid, k.user.readString(t, args[0] ?? '')));
      k.user.syscallReturn(t, 0);
      return;
    }
    const e = syscallEntry(k, t, name, args);
    if (e === null) { k.returnToUser(t, -C.ENOSYS); return; }
    if (typeof e === 'number') { k.returnToUser(t, e); return; }
    k.call(t, e.fn, e.locals);
  }

  /**
   * Called by the port when a call returned -ERESTARTSYS: run it again after signal delivery.
   * The call is the task's own syscall_nr (orig_ax), so no table keeps exited tasks alive.
   */
  restartLater(t: task_struct): void {
    const tr = t.syscall_nr;
    if (tr) this.pendingTrap.set(t, tr);
  }

  /** No user task is left: everything the scenario started has exited and been reaped. */
  finished(): boolean {
    for (const t of this.k.pid_hash.values()) {
      if (t.pid > 2 && !(t.flags & C.PF_KTHREAD)) return false;
    }
    return true;
  }

  /**
   * The run loop, the only one (the machine's run(), tests and benchmarks all come here): ticks
   * until `slice` step points have run, a check stops, the scenario ends, nothing can run, the
   * kernel panics, or k.steps reaches `limit` (exactly, even inside a batch of kernel steps).
   * Events stay in k.events for the caller to take. With `checks`, the debugger looks at every
   * point it asks for; a stop suspends the tick there and the next call resumes it.
   */
  run(slice: number, limit: number, checks: StopChecks | null = null): EngineEnd {
    const k = this.k;
    this.checks = checks;
    this.checkStopped = false;
    // The slice counts step points: a tick, and each further kernel step a tick runs. It never
    // reaches past the limit, so a batch of kernel steps stops there too.
    this.budget = Math.max(1, Math.min(slice, limit - k.steps));
    const out = this.output;
    out.sinceRun = 0;
    while (this.budget > 0) {
      if (out.fullPid !== 0) return { reason: 'output', pid: out.fullPid };
      // A fault held back by a check's stop in the same tick.
      if (this.faulted !== null && this.suspendedCpu < 0) return this.takeFault();
      if (this.suspendedCpu < 0) {
        if (k.panicked !== null) return { reason: 'panic', message: k.panicked };
        if (this.finished()) return EXITED;
        if (k.clock >= this.clockLimit) return CLOCK;
      }
      if (k.steps >= limit) return LIMIT;
      this.budget--;
      this.tick();
      // The output limit ends the run at the write that reached it.
      if (out.fullPid !== 0) return { reason: 'output', pid: out.fullPid };
      if (this.checkStopped) { this.checkStopped = false; return CHECK_STOP; }
      // A fault stops after its tick (a check that stopped in the same tick goes first).
      if (this.faulted !== null && this.suspendedCpu < 0) return this.takeFault();
      // A batch of kernel steps that used up the slice: the tick resumes on the next call.
      if (this.suspendedCpu >= 0) break;
      if (checks !== null && this.afterTick(checks)) return CHECK_STOP;
      if (!this.anyRunnable() && k.panicked === null && !this.finished()) {
        if (tty_wants_input(k)) return INPUT;
        return { reason: 'deadlock', sleeping: this.deadlock() };
      }
      // Enough output for the caller to write on: hand it out now.
      if (out.flushDue()) break;
    }
    return SLICE_END;
  }

  private takeFault(): EngineEnd {
    const f = this.faulted as Extract<EngineEnd, { reason: 'fault' }>;
    this.faulted = null;
    return f;
  }

  /** The checks after a whole tick: each CPU's task at its next kernel step, then the tick's changes. */
  private afterTick(checks: StopChecks): boolean {
    const k = this.k;
    const calls = checks.callsTo;
    for (let cpu = 0; cpu < k.rq.length; cpu++) {
      const t = this.ran[cpu];
      if (!t) continue;
      if (calls !== null) {
        // Function breakpoints alone: only a kernel frame pushed in this tick can stop, and only
        // one of a function they name.
        const n = t.stack.length;
        if (n <= this.depthBefore[cpu] || (t.vm_base >= 0 && n <= t.vm_base) || calls[t.stack[n - 1].fn.id] !== 1) continue;
      }
      this.at(1, cpu, true, 0);
      if (checks.kernel(t, this.depthBefore[cpu])) { this.stoppedAfter = cpu; return true; }
    }
    this.at(1, k.rq.length, true, 0);
    if (calls === null && checks.changed()) { this.stoppedAfter = k.rq.length; return true; }
    return false;
  }

  private at(phase: number, cpu: number, kernel: boolean, left: number): void {
    this.atPhase = phase;
    this.atCpu = cpu;
    this.atKernel = kernel;
    this.atLeft = left;
  }

  /** The moment of the check being asked now (for checks that record where they are). */
  checkPosition(): Position {
    return positionOf(this.k.steps, this.atPhase, this.atCpu, this.atKernel, this.atLeft);
  }

  /**
   * The moment the machine stands at between two runs: inside a tick suspended at a check or by
   * the budget, after a tick's check that stopped, or at a tick boundary. The same moment always
   * gets the same position, whatever checks were on when it was reached.
   */
  position(): Position {
    const steps = this.k.steps;
    if (this.suspendedCpu >= 0) return positionOf(steps, 0, this.suspendedCpu, this.suspendedKernel, this.suspendedBudget);
    if (this.stoppedAfter >= 0) return positionOf(steps, 1, this.stoppedAfter, true, 0);
    return positionOf(steps, 2, 0, true, 0);
  }

  private anyRunnable(): boolean {
    const k = this.k;
    if (k.timers.size > 0 || k.real_timers.length > 0) return true;
    for (let cpu = 0; cpu < k.rq.length; cpu++) {
      const rq = k.rq[cpu];
      if ((rq.curr !== null && rq.curr.se.on_rq) || rq.timeline.length > 0 || rq.rt.rt_nr_running > 0) return true;
    }
    return false;
  }

  /** Records the deadlock event; returns the sleeping user tasks' pids. */
  private deadlock(): number[] {
    const k = this.k;
    const sleeping: number[] = [];
    for (const t of k.pid_hash.values()) if (t.pid > 2 && !(t.flags & C.PF_KTHREAD) && !t.exit_state) sleeping.push(t.pid);
    sleeping.sort((a, b) => a - b);
    k.emit({ time: NS_ZERO, step: 0, kind: 'deadlock', sleeping });
    return sleeping;
  }

  tasks(): task_struct[] {
    return [this.k.init_task, ...list_entries(this.k.init_task.tasks)];
  }
}
