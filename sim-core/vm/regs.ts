// UserRegs of the VM: the frame stack, program counter, operand stack, errno and the call that
// waits for the kernel. All plain numbers and arrays, so copy_thread is a shallow array copy.
import type { Image } from './image';
import { cellArray } from './memory';
import type { Trap, UserRegs, Value } from './types';

/**
 * A C library function that makes more than one system call, or works on the kernel's result
 * (execvp's PATH walk, pthread_join's futex loop, sleep's remaining time): which one, where it
 * is, and the values it keeps between its calls. Plain data, copied with the registers.
 */
export interface LibcCall {
  /** The wrapper (its libc name). */
  op: string;
  /** The call site it serves: pending again while each of its system calls runs. */
  site: number;
  /** How many system calls it has made so far. */
  step: number;
  /** Values kept between its calls (addresses, ids, a path list). */
  v: Value[];
  /** The next system call, issued when the thread runs again; null while one runs. */
  next: Trap | null;
}

/** What a signal frame saves of the interrupted context (the kernel's rt_sigframe, in short). */
export interface SavedContext {
  fn: number;
  pc: number;
  bp: number;
  sp: number;
  stmt: number;
  stack: Value[];
  frames: number[];
  pending: number;
  pendingRet: number | null;
  libc: LibcCall | null;
  signo: number;
}

/** Words per saved caller frame in `frames`: fn, pc, bp, sp, stmt. */
export const FRAME_WORDS = 5;

export class VmRegs implements UserRegs {
  /** Index of the running function, or -1 when the thread has not started or has ended. */
  fn = -1;
  pc = 0;
  /** Absolute address of the current frame's first cell, and of the first free stack cell. */
  bp = 0;
  sp = 0;
  /** Index of the current statement in the function's statement table. */
  stmt = -1;
  stack: Value[] = cellArray();
  /** Saved caller frames, FRAME_WORDS numbers each, innermost last. */
  frames: number[] = [];
  errno = 0;
  /** Call site waiting for completeCall, or -1. */
  pending = -1;
  /** Result the C library reports instead of the kernel's (printf's character count). */
  pendingRet: number | null = null;
  /** True once the outermost function returned (its exit trap has been issued). */
  ended = false;
  /** Trap name when the outermost function returns: exit_group for main, exit for a thread. */
  onReturn: 'exit_group' | 'exit' = 'exit_group';
  sigframes: SavedContext[] = [];
  /** A C library function between two of its system calls, or null. */
  libc: LibcCall | null = null;
  /** The thread pointer (glibc's THREAD_SELF, set by CLONE_SETTLS): the thread's descriptor, or 0. */
  self = 0;
  /**
   * The thread's own id as the C library knows it without a system call (glibc keeps it in the
   * descriptor: THREAD_GETMEM(THREAD_SELF, tid)); a mutex records it as its owner.
   */
  tid = 0;
  /**
   * Instructions the thread still owes for library work already done (cost.ts): paid from the
   * budget of its next runs before anything else runs. A fork's child owes nothing.
   */
  owed = 0;
  /**
   * The function this thread stands at the entry of (pc 0) has made its 'call' trap, so the next
   * run executes it. Entries the kernel makes (main, a signal handler, a thread's or a program's
   * start) trap like a CALL does, so a function breakpoint stops there too.
   */
  entered = false;

  constructor(readonly image: Image, readonly stackSeg: number) {}

  get line(): number {
    if (this.fn < 0) return -1;
    const s = this.image.functions[this.fn].stmts[this.stmt];
    return s ? s.line : this.image.functions[this.fn].line;
  }

  clone(): VmRegs {
    const r = new VmRegs(this.image, this.stackSeg);
    r.fn = this.fn; r.pc = this.pc; r.bp = this.bp; r.sp = this.sp; r.stmt = this.stmt;
    r.stack = this.stack.slice();
    r.frames = this.frames.slice();
    r.errno = this.errno;
    r.pending = this.pending;
    r.pendingRet = this.pendingRet;
    r.ended = this.ended;
    r.onReturn = this.onReturn;
    r.self = this.self;
    r.tid = this.tid;
    if (this.libc !== null) r.libc = copyLibc(this.libc);
    if (this.sigframes.length > 0) {
      r.sigframes = this.sigframes.map((c) => ({ ...c, stack: c.stack.slice(), frames: c.frames.slice(), libc: c.libc && copyLibc(c.libc) }));
    }
    return r;
  }
}

export function copyLibc(c: LibcCall): LibcCall {
  return { op: c.op, site: c.site, step: c.step, v: c.v.slice(), next: c.next && (c.next.kind === 'syscall' ? { ...c.next, args: c.next.args.slice() } : c.next) };
}
