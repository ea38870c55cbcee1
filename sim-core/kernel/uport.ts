// What the kernel needs from user space (the VM) and from the machine that hosts it: returning
// from a system call, copying registers, loading a program, touching user memory.

import type { UserMemory, UserRegs, Value } from '../vm/types';
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
  /** copy_thread: the child's registers are a copy of the parent's, its pending call returns 0. */
  copyRegs(parent: task_struct, child: task_struct): UserRegs | null;
  /** Loads the program registered at `path`; null when there is none (ENOENT). */
  loadImage(path: string, argv: Value[]): ProgramImage | null;
  /** Registers to start `fn(arg)` on a new stack of `memory` (pthread_create, kthread). */
  threadRegs(memory: UserMemory, fn: string, arg: Value): UserRegs | null;
  /** put_user: stores into the task's address space; false when the address is bad. */
  putUser(t: task_struct, addr: number, value: Value): boolean;
  getUser(t: task_struct, addr: number): Value | undefined;
  /** Runs a scenario signal handler when t returns to user space. */
  pushSignalFrame(t: task_struct, handler: string, sig: number): void;
  /** A string argument (a literal or an address of characters). */
  readString(t: task_struct, v: Value): string;
}
