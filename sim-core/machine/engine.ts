// The machine's CPU loop: boots init (pid 1) and kthreadd (pid 2) (boot.ts), then runs the current
// task of each CPU one step at a time (a kernel frame step, or user code up to its next trap).

import * as C from '../kernel/consts';
import { Kernel } from '../kernel/kernel';
import type { KernelConfig } from '../kernel/kernel-state';
import { list_empty, list_entries } from '../kernel/list';
import { get_signal } from '../kernel/signal';
import type { task_struct, user_struct } from '../kernel/task';
import type { UserPort } from '../kernel/uport';
import { BUDGET } from '../vm/run';
import type { Trap, Value } from '../vm/types';
import { nop, ret0, retCallee } from '../kernel/frame';
import { OutputMeter } from './output';
import { set_tty_writer } from '../kernel/read_write';
import { tty_wants_input } from '../kernel/tty';
import { RunState } from './run-state';
import { switch_account } from '../kernel/sched-switch';
import { canCarry, SchedPath, sw, tick as tickPath } from './sched-path';
import type { BootExtras, EngineEnd, RunUser, StopChecks } from './engine-types';
import { rest_init, type BootMain } from './boot';
import { do_syscall, user_fault } from './syscall-entry';
import { any_runnable, report_deadlock, run_timers, user_tasks_done } from './idle';

/** VM instructions a task runs in one step before the step ends (a timer tick's worth). */
const USER_BUDGET = 1000;
/**
 * Kernel steps one tick may run for a task. Kernel code runs on until it sleeps, asks to be
 * rescheduled or returns to user space (a voluntary-preemption kernel), so a whole fork or wait
 * path is one tick; a long kernel loop still gives the other CPUs and the timers their turn.
 */
const KERNEL_BATCH = 64;

const SLICE_END: EngineEnd = { reason: 'slice' };
const CHECK_STOP: EngineEnd = { reason: 'stop' };
const EXITED: EngineEnd = { reason: 'exited' };
const LIMIT: EngineEnd = { reason: 'limit' };
const INPUT: EngineEnd = { reason: 'input' };
const CLOCK: EngineEnd = { reason: 'clock' };

export class Engine extends RunState {
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
    super();
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
  boot(main: BootMain, opts: BootExtras = {}): task_struct {
    return rest_init(this.k, this.user, main, opts);
  }

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
    run_timers(k, !ran);
    return ran;
  }

  /** The tick and switch paths when a breakpoint is in them (see sched-path.ts). */
  private readonly sched = new SchedPath();

  /** After the tick: a task the tick asked to give up the CPU, now in user mode, is rescheduled at its next tick. */
  private preemptOnReturn(rq: Kernel['rq'][number], t: task_struct): void {
    if (rq.should_preempt() && t.stack.length <= Math.max(0, t.vm_base)) rq.need_resched = true;
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
    if (trap.kind === 'syscall') this.syscall(t, trap.name, trap.args);
    else if (trap.kind === 'fault') user_fault(this.k, t, trap.signal);
  }

  /** Enters the kernel for a call; calls answered on the spot complete at once. */
  syscall(t: task_struct, name: string, args: Value[]): void {
    do_syscall(this.k, this.output, t, name, args);
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
    return user_tasks_done(this.k);
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
      if (!any_runnable(k) && k.panicked === null && !this.finished()) {
        if (tty_wants_input(k)) return INPUT;
        return { reason: 'deadlock', sleeping: report_deadlock(k) };
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

  tasks(): task_struct[] {
    return [this.k.init_task, ...list_entries(this.k.init_task.tasks)];
  }
}
