// The key a futex's sleepers queue under (kernel/futex/core.c get_futex_key), apart from the
// futex calls so that the kernel's own wake (mm_release's clear_child_tid) can use it.
import type { task_struct } from './task';

const FUTEX_PRIVATE_FLAG = 128;

/**
 * get_futex_key: a private futex (FUTEX_PRIVATE_FLAG, or a word in private memory) is keyed by
 * the address space and the address; a shared one in shared memory by the shared object and the
 * offset in it, so processes that map it at different addresses meet on the same queue.
 */
export function futex_key(t: task_struct, uaddr: number, op: number): string {
  const mm = t.mm;
  if ((op & FUTEX_PRIVATE_FLAG) === 0 && mm?.memory) {
    const shared = mm.memory.sharedKey(uaddr);
    if (shared !== null) return shared;
  }
  return `mm${mm?.addr ?? 0}+${uaddr}`;
}
