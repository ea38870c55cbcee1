// procfs: the /proc tree, made from the live kernel state each time it is looked up or read, as
// fs/proc builds its entries (fs/proc/root.c, base.c). The file system (open, read, getdents64)
// reaches it through proc_lookup; what each file holds is formatted as Linux 6.x formats it
// (proc-array.ts: stat and status).

import type { Kernel } from './kernel';
import { do_task_stat, group_threads, proc_pid_cmdline_read, proc_pid_status } from './proc-array';
import { find_task_by_pid_ns, task_active_pid_ns, task_pid_nr_ns, task_tgid_nr_ns } from './pidns';
import type { pid_namespace, task_struct } from './task';

/** One entry under /proc: a directory to list, a file to read, or a symbolic link. */
export type ProcNode =
  | { readonly kind: 'dir'; entries(): string[] }
  | { readonly kind: 'file'; read(): string }
  | { readonly kind: 'link'; target(): string };

/**
 * The files of a /proc/PID directory (tgid_base_stuff) and of /proc/PID/task/TID (tid_base_stuff)
 * the model has, in the tables' order, which is the order readdir gives them.
 */
const TGID_ENTRIES = ['task', 'status', 'comm', 'cmdline', 'stat'];
const TID_ENTRIES = ['status', 'comm', 'cmdline', 'stat'];
/** proc_root_init's files that the model can fill, in the order of proc's rbtree (shorter names first). */
const ROOT_FILES = ['uptime', 'loadavg'];
/** /proc/sys as far as the model has it: kernel/pid_max, the viewer's namespace's (per namespace since 6.14). */
const SYS_DIRS = ['sys'];

/** The root's own entries in the rbtree's order: shorter names first, then by bytes (pde_subdir_find). */
function rootEntries(): string[] {
  return [...SYS_DIRS, ...ROOT_FILES].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** The thread-group leaders visible in ns, by the numbers ns gives them (next_tgid's order). */
function visibleProcesses(k: Kernel, ns: pid_namespace): Array<[number, task_struct]> {
  const out: Array<[number, task_struct]> = [];
  for (const t of k.for_each_process()) {
    if (t.pid === 0) continue;
    const nr = task_tgid_nr_ns(t, ns);
    if (nr > 0) out.push([nr, t]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** A decimal number as a /proc name reads it (name_to_int): digits only, no leading zero. */
function name_to_int(name: string): number {
  return /^[1-9][0-9]{0,9}$/.test(name) ? Number(name) : -1;
}

/** /proc/uptime: seconds since boot and idle seconds summed over the CPUs, two decimals each. */
function uptime_proc_show(k: Kernel): string {
  const up = k.clock / 1e9;
  let busy = 0;
  for (const t of k.allTasks()) busy += t.se.sum_exec_runtime;
  const idle = Math.max(0, up * k.config.cpus - busy / 1e9);
  const two = (x: number): string => (Math.floor(x * 100) / 100).toFixed(2);
  return `${two(up)} ${two(idle)}\n`;
}

/**
 * /proc/loadavg. The load averages are sampled every 5 s of uptime (calc_global_load); a
 * scenario's virtual run is far shorter, so they read 0.00 as on a machine that just booted. Then
 * runnable tasks / all tasks (nr_running, nr_threads) and the last pid handed out.
 */
function loadavg_proc_show(k: Kernel, ns: pid_namespace): string {
  let running = 0;
  for (const t of k.allTasks()) if (t.__state === 0 && !t.exit_state && t.pid !== 0) running++;
  return `0.00 0.00 0.00 ${running}/${k.nr_threads} ${ns.last_pid}\n`;
}

/** The files of one task's directory: `whole` for /proc/PID (the thread group), else task/TID. */
function taskFile(k: Kernel, viewer: task_struct, ns: pid_namespace, task: task_struct, name: string, whole: boolean): ProcNode | null {
  switch (name) {
    case 'stat': return { kind: 'file', read: () => do_task_stat(k, viewer, ns, task, whole) };
    case 'status': return { kind: 'file', read: () => proc_pid_status(k, ns, task) };
    case 'cmdline': return { kind: 'file', read: () => proc_pid_cmdline_read(task) };
    case 'comm': return { kind: 'file', read: () => `${task.comm}\n` };
    default: return null;
  }
}

/** /proc/PID/task and below: the threads of the group, by the numbers ns gives them. */
function taskDir(k: Kernel, viewer: task_struct, ns: pid_namespace, leader: task_struct, rest: readonly string[]): ProcNode | null {
  const threads = group_threads(leader.group_leader).filter((t) => task_pid_nr_ns(t, ns) > 0);
  if (rest.length === 0) {
    return { kind: 'dir', entries: () => group_threads(leader.group_leader).map((t) => task_pid_nr_ns(t, ns)).filter((n) => n > 0).map(String) };
  }
  const tid = name_to_int(rest[0]);
  const thread = threads.find((t) => task_pid_nr_ns(t, ns) === tid);
  if (!thread) return null;
  if (rest.length === 1) return { kind: 'dir', entries: () => [...TID_ENTRIES] };
  if (rest.length > 2) return null;
  return taskFile(k, viewer, ns, thread, rest[1], false);
}

/**
 * Looks up a path below /proc (`[]` is /proc itself, `['self']`, `['3', 'status']`) as `viewer`
 * sees it, or null when there is no such entry (ENOENT). Every number is one of the viewer's pid
 * namespace (proc_pid_ns); a thread's number finds its directory too, though /proc lists only
 * thread-group leaders (proc_pid_lookup and next_tgid).
 */
export function proc_lookup(k: Kernel, viewer: task_struct, path: readonly string[]): ProcNode | null {
  const ns = task_active_pid_ns(viewer);
  if (path.length === 0) {
    return { kind: 'dir', entries: () => [...rootEntries(), 'self', 'thread-self', ...visibleProcesses(k, ns).map(([nr]) => String(nr))] };
  }
  const [first, ...rest] = path;
  if (first === 'self' || first === 'thread-self') {
    const tgid = task_tgid_nr_ns(viewer, ns);
    const target = first === 'self' ? String(tgid) : `${tgid}/task/${task_pid_nr_ns(viewer, ns)}`;
    // A path through the link goes on from where it points, as the path walk follows it.
    if (rest.length) return proc_lookup(k, viewer, [...target.split('/'), ...rest]);
    return { kind: 'link', target: () => target };
  }
  if (first === 'sys') {
    if (rest.length === 0) return { kind: 'dir', entries: () => ['kernel'] };
    if (rest[0] !== 'kernel') return null;
    if (rest.length === 1) return { kind: 'dir', entries: () => ['pid_max'] };
    if (rest.length === 2 && rest[1] === 'pid_max') return { kind: 'file', read: () => `${ns.pid_max}\n` };
    return null;
  }
  if (rest.length === 0 && first === 'uptime') return { kind: 'file', read: () => uptime_proc_show(k) };
  if (rest.length === 0 && first === 'loadavg') return { kind: 'file', read: () => loadavg_proc_show(k, ns) };
  const nr = name_to_int(first);
  const task = nr > 0 ? find_task_by_pid_ns(nr, ns) : null;
  if (!task || task.pid === 0) return null;
  if (rest.length === 0) return { kind: 'dir', entries: () => [...TGID_ENTRIES] };
  if (rest[0] === 'task') return taskDir(k, viewer, ns, task, rest.slice(1));
  if (rest.length > 1) return null;
  return taskFile(k, viewer, ns, task, rest[0], true);
}
