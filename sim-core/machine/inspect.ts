// What the debugger reads of a stopped machine: task rows as ps shows them, call stacks across the
// syscall boundary (kernel frames, then the scenario's), and the kernel's globals.
import { floatText, floatType } from '../debug/cfloat';
import { kobj_text } from '../kernel/kobj';
import { kernelCatalog } from './sources';
import * as C from '../kernel/consts';
import type { KFrame } from '../kernel/frame';
import type { Kernel } from '../kernel/kernel';
import type { task_struct } from '../kernel/task';
import { describeValue } from '../debug/fields';
import { frames as vmFrames, userlandFileOf, VmRegs, type Image } from '../vm';
import { FRAME_WORDS } from '../vm/regs';
import type { FrameInfo, KernelGlobals, TaskRow } from '../machine-types';
import { policyName } from '../kernel/rt';

/** The state letter `ps` prints (fs/proc/array.c task_state_array) and the kernel's name. */
export function stateOf(t: task_struct): [string, string] {
  if (t.exit_state === C.EXIT_ZOMBIE) return ['Z', 'EXIT_ZOMBIE'];
  if (t.exit_state === C.EXIT_DEAD) return ['X', 'EXIT_DEAD'];
  const s = t.__state;
  if (s === C.TASK_RUNNING) return ['R', 'TASK_RUNNING'];
  if (s === C.TASK_NEW) return ['R', 'TASK_NEW'];
  if (s === C.TASK_DEAD) return ['X', 'TASK_DEAD'];
  if ((s & C.TASK_IDLE) === C.TASK_IDLE) return ['I', 'TASK_IDLE'];
  if (s & C.__TASK_STOPPED) return ['T', s & C.TASK_WAKEKILL ? 'TASK_STOPPED' : '__TASK_STOPPED'];
  if (s & C.__TASK_TRACED) return ['t', 'TASK_TRACED'];
  if (s & C.TASK_UNINTERRUPTIBLE) return ['D', s & C.TASK_WAKEKILL ? 'TASK_KILLABLE' : 'TASK_UNINTERRUPTIBLE'];
  if (s & C.TASK_INTERRUPTIBLE) return ['S', 'TASK_INTERRUPTIBLE'];
  return ['R', `0x${s.toString(16)}`];
}

export function taskRow(k: Kernel, t: task_struct): TaskRow {
  const [state, stateName] = stateOf(t);
  const rq = k.rq[t.cpu];
  const tp = t.thread_pid;
  const row: TaskRow = {
    pid: t.pid, tgid: t.tgid, ppid: t.real_parent && t.real_parent !== k.init_task ? t.real_parent.tgid : 0,
    comm: t.comm, state, stateName, flags: t.flags, kthread: (t.flags & C.PF_KTHREAD) !== 0,
    threadGroupLeader: t.group_leader.pid, exitCode: t.exit_code, exitSignal: t.exit_signal,
    zombieSinceStep: t.exit_state === C.EXIT_ZOMBIE ? t.zombie_since : undefined,
    cpu: t.cpu, vruntime: t.se.vruntime, onRunqueue: t.se.on_rq, nice: t.static_prio - C.DEFAULT_PRIO,
    running: rq !== undefined && rq.curr === t && t.on_cpu,
    futex: futexOf(k, t),
    ...(rq !== undefined && rq.eevdf && t.se.on_rq && !t.rt.on_rq ? { deadline: t.se.deadline, eligible: rq.entity_eligible(t) } : {}),
    policy: policyName(t.policy), rtPriority: t.rt_priority, prio: t.prio, cpusAllowed: cpuList(t.cpus_mask, k.rq.length),
  };
  if (tp.level > 0) row.nsPid = tp.numbers[tp.level].nr;
  const wchan = fileWchan(t);
  if (wchan !== undefined) row.wchan = wchan;
  return row;
}

/**
 * The file operations (and message queue calls) a task sleeps in, by the name ps shows as its wait channel (poll's sleep
 * is inlined into do_sys_poll in a built kernel, so that is what its wait channel reads).
 */
const FILE_WAITS: ReadonlyMap<string, string> = new Map([['pipe_read', 'pipe_read'], ['pipe_write', 'pipe_write'],
  ['n_tty_read', 'n_tty_read'], ['do_poll', 'do_sys_poll'], ['do_select', 'do_select'],
  ['do_msgrcv', 'do_msgrcv'], ['do_msgsnd', 'do_msgsnd'], ['do_mq_timedreceive', 'do_mq_timedreceive'], ['do_mq_timedsend', 'do_mq_timedsend']]);

/** pipe_read, pipe_write, n_tty_read, do_sys_poll, do_select or a message queue call when t sleeps in one of them. */
function fileWchan(t: task_struct): string | undefined {
  if (!(t.__state & (C.TASK_INTERRUPTIBLE | C.TASK_UNINTERRUPTIBLE)) || t.stack.length === 0) return undefined;
  return FILE_WAITS.get(t.stack[t.stack.length - 1].fn.name);
}

/** The futex word t is queued on (its wait channel), if any. */
function futexOf(k: Kernel, t: task_struct): number | undefined {
  if (k.futex_waiters.size === 0) return undefined;
  for (const ws of k.futex_waiters.values()) {
    const addr = ws.get(t);
    if (addr !== undefined) return addr;
  }
  return undefined;
}

/** The line a kernel frame is at: the next step for the top frame, the call for the others. */
export function frameLine(f: KFrame, top: boolean): number {
  const lines = f.fn.lines;
  if (lines.length === 0) return f.fn.defLine;
  const i = top ? f.pc : f.at;
  return lines[Math.max(0, Math.min(lines.length - 1, i))];
}

function kernelFrame(f: KFrame, top: boolean, id: number): FrameInfo {
  const locals = f.fn.shown.map((name) => {
    const v = (f.locals as Record<string, unknown>)[name];
    return { name, value: describeValue('', name, v).value };
  });
  return { id, name: f.fn.name, kind: 'kernel', file: f.fn.file, line: frameLine(f, top), locals };
}

/** A scenario local as the Variables view shows it: a double or float as gdb prints it. */
function localText(name: string, type: string, v: number | bigint | string): string {
  const ft = floatType(type);
  return ft && typeof v === 'number' ? floatText(v, ft) : describeValue('', name, v).value;
}

/** The displayed path of a built-in program's source file (shown beside the kernel sources). */
export function userlandPath(file: string): string {
  return `userland/${file}`;
}

/**
 * Where the scenario code of a task lives: the scenario file, a built-in program's source file
 * (userland/sh.c...), or for any other image the program's path.
 */
export function userFrames(t: task_struct, mem: ReturnType<Kernel['memoryOf']>, image: Image, file: string, idOf: (i: number) => number): FrameInfo[] {
  const regs = t.thread.regs;
  if (!(regs instanceof VmRegs) || !mem || regs.fn < 0) return [];
  const builtin = regs.image === image ? undefined : userlandFileOf(regs.image);
  const where = regs.image === image ? file : builtin !== undefined ? userlandPath(builtin) : (t.mm ? t.mm.exe : t.comm);
  return vmFrames(regs.image, regs, mem).map((f, i) => ({
    id: idOf(i), name: f.function, kind: 'user' as const, file: where, line: f.line,
    locals: f.locals.map((l) => ({ name: l.name, value: l.value === undefined ? '<unmapped>' : typeof l.value === 'object' ? kobj_text(l.value) : localText(l.name, l.type, l.value) })),
  }));
}

/**
 * Kernel frames above the scenario code (top first), the scenario's frames, then the kernel frames
 * below; `idOf(index)` names each frame for the requests that refer to it.
 */
export function stackOf(k: Kernel, t: task_struct, image: Image, file: string, idOf: (index: number) => number): FrameInfo[] {
  // A kernel frame's line is a line of its displayed file once the files are assembled (once per process).
  kernelCatalog();
  const out: FrameInfo[] = [];
  const n = t.stack.length;
  const base = t.vm_base < 0 ? n : t.vm_base;
  for (let i = n - 1; i >= base; i--) out.push(kernelFrame(t.stack[i], i === n - 1, idOf(out.length)));
  if (t.vm_base >= 0 && !t.exit_state) {
    const at = out.length;
    out.push(...userFrames(t, k.memoryOf(t), image, file, (i) => idOf(at + i)));
  }
  // With no scenario code on the stack (a kernel thread), the last frame is the top one.
  for (let i = Math.min(base, n) - 1; i >= 0; i--) out.push(kernelFrame(t.stack[i], t.vm_base < 0 && i === n - 1, idOf(out.length)));
  return out;
}

export function globalsOf(k: Kernel): KernelGlobals {
  return {
    nr_threads: k.nr_threads, total_forks: k.total_forks, pid_max: k.pid_max, last_pid: k.last_pid, nr_cpus: k.rq.length,
    runqueues: k.rq.map((rq) => ({
      cpu: rq.cpu, curr: rq.curr ? rq.curr.pid : 0, min_vruntime: rq.min_vruntime, nr_running: rq.nr_running(),
      queued: [...(rq.curr && rq.curr.se.on_rq ? [rq.curr] : []), ...rq.timeline].sort((a, b) => a.se.vruntime - b.se.vruntime).map((p) => p.pid),
    })),
    clock: k.clock, steps: k.steps,
  };
}

/** Depth of the scenario's call stack (frames, counting what signal frames interrupted). */
export function userDepth(t: task_struct): number {
  const r = t.thread.regs;
  if (!(r instanceof VmRegs) || r.fn < 0) return 0;
  let d = r.frames.length / FRAME_WORDS + 1;
  for (const c of r.sigframes) d += c.frames.length / FRAME_WORDS + 1;
  return d;
}

/** A CPU mask as a list with ranges ("0-2,5"), within the machine's CPUs. */
export function cpuList(mask: bigint, ncpus: number): string {
  const parts: string[] = [];
  for (let cpu = 0; cpu < ncpus; cpu++) {
    if (((mask >> BigInt(cpu)) & 1n) === 0n) continue;
    let end = cpu;
    while (end + 1 < ncpus && ((mask >> BigInt(end + 1)) & 1n) === 1n) end++;
    parts.push(end === cpu ? String(cpu) : `${cpu}-${end}`);
    cpu = end;
  }
  return parts.join(',');
}
