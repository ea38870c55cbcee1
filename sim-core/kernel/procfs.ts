// procfs: the /proc tree, made from the live kernel state each time it is looked up or read, as
// fs/proc builds its entries. The file system (open, read, getdents64) reaches it through
// proc_lookup; what each file holds is formatted as Linux 6.x formats it.

import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { task_tgid_vnr } from './pidns';

/** One entry under /proc: a directory to list, a file to read, or a symbolic link. */
export type ProcNode =
  | { readonly kind: 'dir'; entries(): string[] }
  | { readonly kind: 'file'; read(): string }
  | { readonly kind: 'link'; target(): string };

/** The thread-group leaders `viewer` can see, by the numbers its pid namespace gives them. */
function visibleProcesses(k: Kernel, viewer: task_struct): Map<number, task_struct> {
  const out = new Map<number, task_struct>();
  for (const t of k.for_each_process()) {
    if (t.pid === 0) continue;
    const nr = task_tgid_vnr(t, viewer);
    if (nr > 0) out.set(nr, t);
  }
  return out;
}

/**
 * Looks up a path below /proc (`[]` is /proc itself, `['self']`, `['3', 'status']`) as `viewer`
 * sees it, or null when there is no such entry (ENOENT).
 */
export function proc_lookup(k: Kernel, viewer: task_struct, path: readonly string[]): ProcNode | null {
  if (path.length === 0) {
    return { kind: 'dir', entries: () => [...[...visibleProcesses(k, viewer).keys()].sort((a, b) => a - b).map(String), 'self'] };
  }
  if (path[0] === 'self' && path.length === 1) {
    return { kind: 'link', target: () => String(task_tgid_vnr(viewer.group_leader, viewer)) };
  }
  return null;
}
