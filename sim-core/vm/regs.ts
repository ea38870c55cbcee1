// UserRegs of the VM: the frame stack, program counter, operand stack, errno and the call that
// waits for the kernel. All plain numbers and arrays, so copy_thread is a shallow array copy.
import type { Image } from './image';
import { cellArray } from './memory';
import type { UserRegs, Value } from './types';

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
    if (this.sigframes.length > 0) {
      r.sigframes = this.sigframes.map((c) => ({ ...c, stack: c.stack.slice(), frames: c.frames.slice() }));
    }
    return r;
  }
}
