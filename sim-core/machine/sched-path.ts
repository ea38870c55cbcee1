// The tick and the switch as steppable kernel paths. The engine runs both inline on every
// microsecond tick; when a debugger's breakpoint names one of their functions (or lies in one),
// it runs them here instead: as frames pushed on the stack of the task the CPU was running,
// above that task's own frames as an interrupt's would be, one step point each. The steps call
// the same run-queue parts as the inline path, and they count no steps, so both paths leave
// the same machine (schedule, numbers, event log).

import type { KFrame, KFunction } from '../kernel/frame';
import { nop, ret0, retCallee } from '../kernel/frame';
import type { Kernel } from '../kernel/kernel';
import type { task_struct } from '../kernel/task';
import * as tick from '../kernel/sched-tick';
import * as sw from '../kernel/sched-switch';
import { pick_eevdf } from '../kernel/fair';
import type { StopChecks } from './engine-types';

/** The functions of the tick and switch paths: a breakpoint in one makes the paths steppable. */
export const SCHED_PATH_FUNCTIONS: ReadonlySet<KFunction<object>> = new Set<KFunction<object>>([
  tick.sched_tick, tick.task_tick_fair, tick.entity_tick, tick.update_curr, tick.update_deadline, tick.check_preempt_tick, tick.task_tick_rt,
  sw.__schedule, sw.pick_next_task, sw.pick_next_task_fair, sw.context_switch, pick_eevdf,
] as unknown as KFunction<object>[]);

/**
 * What the interrupted frame below the path held, put back when the path returns: the result of
 * its last call, and the local a call into scenario code still has to fill (`into`, cleared
 * while the path runs so that the path's return does not fill it).
 */
interface Saved { ret: number; retp: object | null; at: number; into: string | null }

/** One path in progress on a CPU: whose stack carries it and the depth it returns to. */
export class SchedPath {
  /** 0: none, 1: the switch (__schedule), 2: the tick (sched_tick). */
  phase: 0 | 1 | 2 = 0;
  private task: task_struct | null = null;
  private base = 0;
  private saved: Saved | null = null;

  /** Pushes fn's frame on t's stack (without touching the frame below) and makes it the path. */
  begin<L extends object>(t: task_struct, phase: 1 | 2, fn: KFunction<L>, locals: L): void {
    const stack = t.stack;
    const n = stack.length;
    const below = n > 0 ? stack[n - 1] : null;
    this.saved = below === null ? null : { ret: below.ret, retp: below.retp, at: below.at, into: below.into };
    // The interrupted frame shows the line it was about to run while the path runs above it.
    if (below !== null) { below.into = null; below.at = below.pc; }
    this.task = t;
    this.base = n;
    this.phase = phase;
    const f: KFrame<L> = { fn, pc: 0, locals, ret: 0, retp: null, into: null, at: 0 };
    stack.push(f as unknown as KFrame);
  }

  /**
   * Runs the path's steps until its first frame returns (true) or a check stops before a step
   * (false; the next call runs that step first). With `checkFirst`, the step about to run is
   * looked at before it runs (the path was just begun).
   */
  run(k: Kernel, checks: StopChecks | null, checkFirst: boolean): boolean {
    const t = this.task as task_struct;
    const stack = t.stack;
    const calls = checks === null ? null : checks.callsTo;
    let depth = checkFirst ? this.base : stack.length;
    let look = checkFirst;
    for (;;) {
      if (look && checks !== null) {
        const n = stack.length;
        if ((calls === null || (n > depth && calls[stack[n - 1].fn.id] === 1)) && checks.kernel(t, depth)) return false;
      }
      look = true;
      depth = stack.length;
      const f = stack[depth - 1];
      const pc = f.pc;
      f.pc = pc + 1;
      const h = f.fn.handlers[pc];
      if (h === ret0) k.ret(t, 0);
      else if (h === retCallee) k.ret(t, f.ret);
      else if (h !== nop) h(k, t, f);
      if (stack.length <= this.base) {
        const s = this.saved;
        if (s !== null) {
          const below = stack[this.base - 1];
          below.ret = s.ret;
          below.retp = s.retp;
          below.at = s.at;
          below.into = s.into;
        }
        this.phase = 0;
        this.task = null;
        this.saved = null;
        return true;
      }
    }
  }
}

/** Whether the switch and tick paths can be stepped on task t's stack (a live task that is not the idle task). */
export function canCarry(k: Kernel, t: task_struct | null): t is task_struct {
  return t !== null && t.exit_state === 0 && k.pid_hash.get(t.pid) === t;
}

export { sw, tick };
