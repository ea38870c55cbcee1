// The first kernel frame of a call from scenario code (a system call, or a kernel function that
// scenario kernel code calls): the function and its locals.
import type { KFunction } from './frame';

export interface SyscallEntry {
  fn: KFunction<object>;
  locals: object;
}

export function entry<L extends object>(fn: KFunction<L>, locals: L): SyscallEntry {
  return { fn: fn as unknown as KFunction<object>, locals };
}
