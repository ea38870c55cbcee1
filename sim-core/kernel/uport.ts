// What the kernel needs from user space (the VM) and from the machine that hosts it: returning
// from a system call, copying registers, loading a program, touching user memory.

import type { KRef, UserMemory, UserRegs, Value } from '../vm/types';
import type { task_struct } from './task';

export interface ProgramImage {
  memory: UserMemory;
  regs: UserRegs;
  /** Name for comm (the basename of the path). */
  comm: string;
}

export interface UserPort {
  /** The outermost kernel frame returned: hand `value` to the user code as the call's result. */
  syscallReturn(t: task_struct, value: number): void;
  /**
   * The call returns a kernel pointer (kthread_run, kthread_create, get_current): hand scenario
   * code a handle. When absent, the kernel passes the task's pid through syscallReturn.
   */
  syscallReturnRef?(t: task_struct, ref: KRef): void;
  /**
   * The name of the scenario function a value designates (a function pointer: a text address
   * or a name), for handlers and thread start routines; null when it names no function.
   * When absent, strings are taken as names and numbers are not functions.
   */
  functionName?(v: Value): string | null;
  /** copy_thread: the child's registers are a copy of the parent's, its pending call returns 0. */
  copyRegs(parent: task_struct, child: task_struct): UserRegs | null;
  /** Loads the program registered at `path` with argv and the environment envp; null when there is none (ENOENT). */
  loadImage(path: string, argv: Value[], envp?: Value[]): ProgramImage | null;
  /**
   * Registers to start `fn(arg)` on a new stack of `memory` (a thread, a clone()d function, a
   * kthread); `tls` is the thread pointer CLONE_SETTLS gives it (0: none).
   */
  threadRegs(memory: UserMemory, fn: string, arg: Value, tls?: number): UserRegs | null;
  /** put_user: stores into the task's address space; false when the address is bad. */
  putUser(t: task_struct, addr: number, value: Value): boolean;
  getUser(t: task_struct, addr: number): Value | undefined;
  /** copy_to_user of bytes (char cells) at once; when absent the kernel stores them one by one. */
  copyToUser?(t: task_struct, addr: number, bytes: string): boolean;
  /**
   * Runs a scenario signal handler when t returns to user space: the VM saves the interrupted
   * state (the signal frame) and traps 'rt_sigreturn' when the handler returns. A handler inside
   * the C library ('__libc_' names) may have nothing to do: false then, as if it returned at once.
   */
  pushSignalFrame(t: task_struct, handler: string, sig: number, info: number[] | null): void | boolean;
  /** rt_sigreturn: the VM restores the context the newest signal frame saved; false if none. */
  sigreturn?(t: task_struct): boolean;
  /** Signal frames the user context holds (fewer than the kernel knows once longjmp left a handler); -1: unknown. */
  sigframeDepth?(t: task_struct): number;
  /** A string argument (a literal or an address of characters). */
  readString(t: task_struct, v: Value): string;
}
