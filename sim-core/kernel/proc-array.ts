// fs/proc/array.c and the parts of fs/proc/task_mmu.c it calls: /proc/PID/stat (do_task_stat) and
// /proc/PID/status (proc_pid_status), line for line and field for field as Linux 6.x prints them,
// from the task as it is now. What the model has no notion of is printed as Linux prints it for a
// fresh process on a common x86-64 configuration (see "Fixed values" in docs/kernel-model.md).

import * as C from './consts';
import type { Kernel } from './kernel';
import { task_cputime_adjusted, thread_group_cputime_adjusted } from './cputime';
import { list_entries } from './list';
import { pid_nr_ns, task_pid_nr_ns, task_tgid_nr_ns } from './pidns';
import type { files_struct, mm_struct, pid_namespace, task_struct } from './task';

/** USER_HZ: clock ticks per second of the times /proc reports. */
export const USER_HZ = 100;
const PAGE_SIZE = 4096;
/** Bytes of one cell of scenario memory (an int, long or pointer). */
const CELL_BYTES = 8;
/** fs_struct umask of every task: init's 0022, which nothing in the model changes. */
const DEFAULT_UMASK = 0o022;
/** RLIM_INFINITY as /proc prints an unsigned long (rsslim). */
const RLIM_INFINITY_UL = '18446744073709551615';
/** CAP_FULL_SET with CAP_LAST_CAP 40 (CAP_CHECKPOINT_RESTORE): bits 0 to 40. */
const CAP_FULL_SET = '000001ffffffffff';
const CAP_EMPTY = '0000000000000000';
/** MAX_NUMNODES of the distributions' x86-64 kernels (NODES_SHIFT 10): 1024 bits in 32 words. */
const MAX_NUMNODES_WORDS = 32;
/**
 * A small gcc-built PIE loaded with ASLR off (as `setarch -R` runs it): where the code, data
 * and heap start and where the stack tops out. The model has no ELF image to take them from.
 */
const LAYOUT = {
  start_code: 0x555555555000, end_code: 0x555555555199, start_data: 0x555555557df0, end_data: 0x555555558010,
  start_brk: 0x555555559000, stack_top: 0x7ffffffff000,
};

/** task_state_array: the letter and word of each reported state. */
const TASK_STATE_ARRAY = [
  'R (running)', 'S (sleeping)', 'D (disk sleep)', 'T (stopped)', 't (tracing stop)', 'X (dead)', 'Z (zombie)', 'P (parked)', 'I (idle)',
];
const TASK_REPORT = C.TASK_INTERRUPTIBLE | C.TASK_UNINTERRUPTIBLE | C.__TASK_STOPPED | C.__TASK_TRACED | C.EXIT_DEAD | C.EXIT_ZOMBIE | C.TASK_PARKED;
const TASK_REPORT_IDLE = TASK_REPORT + 1;

/** fls: the 1-based index of the highest set bit, 0 for 0. */
function fls(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}

/** task_state_index: __state and exit_state folded into one index of task_state_array. */
export function task_state_index(t: task_struct): number {
  let state = (t.__state | t.exit_state) & TASK_REPORT;
  if ((t.__state & C.TASK_IDLE) === C.TASK_IDLE) state = TASK_REPORT_IDLE;
  return fls(state);
}

export function get_task_state(t: task_struct): string {
  return TASK_STATE_ARRAY[task_state_index(t)];
}

/** task_pgrp_nr_ns / task_session_nr_ns: a group or session number (kept as a level-0 number) as ns sees it. */
function pid_type_nr_ns(k: Kernel, t: task_struct, type: number, ns: pid_namespace): number {
  const nr = t.signal.pids[type];
  if (nr === 0 || ns.level === 0) return nr;
  const leader = k.pid_hash.get(nr);
  return leader ? pid_nr_ns(leader.thread_pid, ns) : 0;
}

/** ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS): root, or the same user as the task. */
function ptrace_may_access(viewer: task_struct, t: task_struct): boolean {
  return viewer.cred.euid === 0 || (viewer.cred.uid === t.real_cred.uid && viewer.cred.euid === t.real_cred.euid);
}

/** The live mm of a task (get_task_mm): none for kernel threads and once exit_mm ran. */
function get_task_mm(t: task_struct): mm_struct | null {
  return t.flags & C.PF_KTHREAD ? null : t.mm;
}

/** Pages the address space maps: its cells of scenario memory, rounded up to whole pages. */
function mm_pages(k: Kernel, t: task_struct): number {
  const mem = k.memoryOf(t);
  return mem ? Math.ceil((mem.size() * CELL_BYTES) / PAGE_SIZE) : 0;
}

/** fdtable->max_fds: 64 in the embedded table, then as expand_files grew it (file.ts). */
export function fdtable_max_fds(files: files_struct | null): number {
  return files ? files.fdt.max_fds : 0;
}

/** Threads of t's group that have not been released yet, leader first. */
export function group_threads(t: task_struct): task_struct[] {
  return list_entries(t.signal.thread_head);
}

const nsec_to_clock_t = (ns: number): number => Math.floor(ns / (1e9 / USER_HZ));

/** A sigset (two 32-bit words) as render_sigset_t prints it: 16 hex digits, highest signal first. */
function render_sigset(set: readonly number[]): string {
  return (set[1] >>> 0).toString(16).padStart(8, '0') + (set[0] >>> 0).toString(16).padStart(8, '0');
}

/** collect_sigign_sigcatch: the signals set to SIG_IGN, and those with a handler. */
function collect_sigign_sigcatch(t: task_struct): { ign: number[]; catch: number[] } {
  const ign = [0, 0], cat = [0, 0];
  const action = t.sighand?.action ?? [];
  for (let i = 0; i < action.length; i++) {
    const h = action[i].handler;
    const word = i >> 5, bit = 1 << (i & 31);
    if (h === C.SIG_IGN) ign[word] = (ign[word] | bit) >>> 0;
    else if (h !== C.SIG_DFL) cat[word] = (cat[word] | bit) >>> 0;
  }
  return { ign, catch: cat };
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
}

/** The user's queued signals (ucounts' UCOUNT_RLIMIT_SIGPENDING): one per pending bit, private and shared. */
function user_sigpending(k: Kernel, t: task_struct): number {
  let n = 0;
  for (const p of k.for_each_process()) {
    if (p.real_cred.user !== t.real_cred.user) continue;
    n += popcount(p.signal.shared_pending.signal[0]) + popcount(p.signal.shared_pending.signal[1]);
    for (const th of group_threads(p)) n += popcount(th.pending.signal[0]) + popcount(th.pending.signal[1]);
  }
  return n;
}

/** Bytes of a string in UTF-8. */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) { const c = ch.codePointAt(0) ?? 0; n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }
  return n;
}

/** Bytes a list of strings takes on the stack, each with its NUL. */
const stringBytes = (xs: readonly string[]): number => xs.reduce((n, s) => n + utf8Length(s) + 1, 0);

/** arg_start..env_end: argv then envp, below the file name and the 8 zero bytes at the stack's top. */
function arg_env(mm: mm_struct): [number, number, number, number] {
  const env_end = LAYOUT.stack_top - 8 - (utf8Length(mm.exe) + 1);
  const env_start = env_end - stringBytes(mm.envp);
  const arg_start = env_start - stringBytes(mm.argv);
  return [arg_start, env_start, env_start, env_end];
}

/** Pairs of the auxiliary vector create_elf_tables puts on an x86-64 stack, AT_NULL included. */
const AUXV_PAIRS = 22;

/**
 * mm->start_stack: where argc lies, below the argv and envp pointers and the auxiliary vector,
 * which sit below the 16 random bytes of AT_RANDOM and the "x86_64" platform string under the
 * argument strings (create_elf_tables), aligned to 16 bytes.
 */
function start_stack(mm: mm_struct): number {
  const below = Math.floor((arg_env(mm)[0] - 7 - 16) / 16) * 16;
  const words = 1 + mm.argv.length + 1 + mm.envp.length + 1 + 2 * AUXV_PAIRS;
  return Math.floor((below - words * 8) / 16) * 16;
}

/** do_task_stat: one line of 52 fields. `whole` is /proc/PID/stat (the thread group), else task/TID/stat. */
export function do_task_stat(k: Kernel, viewer: task_struct, ns: pid_namespace, task: task_struct, whole: boolean): string {
  const permitted = ptrace_may_access(viewer, task);
  const mm = get_task_mm(task);
  const sig = task.signal;
  const state = get_task_state(task)[0];
  const pages = mm ? mm_pages(k, task) : 0;
  const vsize = pages * PAGE_SIZE;
  let num_threads = 0, ppid = 0, pgid = -1, sid = -1;
  let sigign = [0, 0], sigcatch = [0, 0];
  let exit_code = task.exit_code;
  // lock_task_sighand: a task released by release_task has no sighand left.
  if (task.sighand) {
    num_threads = sig.nr_threads;
    ({ ign: sigign, catch: sigcatch } = collect_sigign_sigcatch(task));
    if (whole && sig.flags & (C.SIGNAL_GROUP_EXIT | C.SIGNAL_STOP_STOPPED)) exit_code = sig.group_exit_code;
    sid = pid_type_nr_ns(k, task, C.PIDTYPE_SID, ns);
    ppid = task.real_parent ? task_tgid_nr_ns(task.real_parent, ns) : 0;
    pgid = pid_type_nr_ns(k, task, C.PIDTYPE_PGID, ns);
  }
  const wchan = permitted && (!whole || num_threads < 2) ? Number(task.__state !== C.TASK_RUNNING) : 0;
  const { utime, stime } = whole ? thread_group_cputime_adjusted(task) : task_cputime_adjusted(task);
  const priority = task.prio - C.MAX_RT_PRIO;
  const nice = task.static_prio - C.DEFAULT_PRIO;
  const start_time = nsec_to_clock_t(task.start_time);
  const code = (v: number): number => (mm ? (permitted ? v : 1) : 0);
  const fields: Array<number | string> = [
    pid_nr_ns(task.thread_pid, ns), `(${task.comm.slice(0, 64)})`, state, ppid, pgid, sid,
    // tty_nr, tpgid: the scenario's terminal is not a controlling tty (signal->tty is NULL).
    0, -1,
    task.flags >>> 0,
    // min_flt, cmin_flt, maj_flt, cmaj_flt: the model takes no page faults.
    0, 0, 0, 0,
    nsec_to_clock_t(utime), nsec_to_clock_t(stime),
    nsec_to_clock_t(sig.cutime), nsec_to_clock_t(sig.cstime),
    priority, nice, num_threads, 0, start_time, vsize, mm ? pages : 0, RLIM_INFINITY_UL,
    code(LAYOUT.start_code), code(LAYOUT.end_code), permitted && mm ? start_stack(mm) : 0,
    // kstkesp, kstkeip: zeroed unless the task is exiting or dumping core (no registers to show).
    0, 0,
    (task.pending.signal[0] & 0x7fffffff) >>> 0, (task.blocked[0] & 0x7fffffff) >>> 0,
    (sigign[0] & 0x7fffffff) >>> 0, (sigcatch[0] & 0x7fffffff) >>> 0,
    wchan, 0, 0, task.exit_signal, task.cpu,
    // rt_priority, policy (SCHED_NORMAL: the model has no other class), delayacct_blkio_ticks, gtime, cgtime.
    0, 0, 0, 0, 0,
  ];
  if (mm && permitted) {
    const [arg_start, arg_end, env_start, env_end] = arg_env(mm);
    fields.push(LAYOUT.start_data, LAYOUT.end_data, LAYOUT.start_brk, arg_start, arg_end, env_start, env_end);
  } else {
    fields.push(0, 0, 0, 0, 0, 0, 0);
  }
  fields.push(permitted ? exit_code : 0);
  return `${fields.join(' ')}\n`;
}

/** proc_task_name with escaping (status's Name): a backslash and a newline are escaped. */
function escapedName(comm: string): string {
  return comm.slice(0, 64).replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** SEQ_PUT_DEC: a task_mem line, the value in kB right-aligned in 8 columns. */
const kB = (name: string, v: number): string => `${name}:\t${String(v).padStart(8)} kB\n`;

/** task_mem (fs/proc/task_mmu.c): the Vm* and Rss* lines. The model's memory is all anonymous data. */
function task_mem(k: Kernel, t: task_struct): string {
  const total = mm_pages(k, t) * (PAGE_SIZE / 1024);
  return kB('VmPeak', total) + kB('VmSize', total) + kB('VmLck', 0) + kB('VmPin', 0) + kB('VmHWM', total) + kB('VmRSS', total) +
    kB('RssAnon', total) + kB('RssFile', 0) + kB('RssShmem', 0) + kB('VmData', total) + kB('VmStk', 0) + kB('VmExe', 0) +
    kB('VmLib', 0) + kB('VmPTE', 0) + kB('VmSwap', 0) + `HugetlbPages:\t${String(0).padStart(8)} kB\n`;
}

/** %*pb of a cpumask of nbits bits, all set: 32-bit words in hex, most significant first, comma-separated. */
function cpumask_full(nbits: number): string {
  const words: string[] = [];
  for (let bit = 0; bit < nbits; bit += 32) {
    const n = Math.min(32, nbits - bit);
    const v = n === 32 ? 0xffffffff : (1 << n) - 1;
    words.unshift((v >>> 0).toString(16).padStart(bit + 32 >= nbits ? Math.ceil(n / 4) : 8, '0'));
  }
  return words.join(',');
}

/** proc_pid_status: /proc/PID/status (and task/TID/status) as `viewer`, in the order Linux 6.x prints it. */
export function proc_pid_status(k: Kernel, ns: pid_namespace, task: task_struct): string {
  const mm = get_task_mm(task);
  const cred = task.real_cred;
  const gid = cred.uid; // The model has no groups: each user's primary group has its uid's number.
  const levels: pid_namespace[] = [];
  for (let g = ns.level; g <= task.thread_pid.level; g++) levels.push(task.thread_pid.numbers[g].ns);
  const nsLine = (name: string, nr: (n: pid_namespace) => number): string => `${name}:${levels.map((n) => `\t${nr(n)}`).join('')}\n`;
  let s = `Name:\t${escapedName(task.comm)}\n`;
  if (task.fs) s += `Umask:\t${DEFAULT_UMASK.toString(8).padStart(4, '0')}\n`;
  s += `State:\t${get_task_state(task)}\n`;
  s += `Tgid:\t${task_tgid_nr_ns(task, ns)}\nNgid:\t0\nPid:\t${pid_nr_ns(task.thread_pid, ns)}\n`;
  s += `PPid:\t${task.real_parent && task.sighand ? task_tgid_nr_ns(task.real_parent, ns) : 0}\nTracerPid:\t0\n`;
  s += `Uid:\t${cred.uid}\t${cred.euid}\t${cred.euid}\t${cred.euid}\nGid:\t${gid}\t${gid}\t${gid}\t${gid}\n`;
  s += `FDSize:\t${fdtable_max_fds(task.files)}\nGroups:\t \n`;
  s += nsLine('NStgid', (n) => task_tgid_nr_ns(task, n)) + nsLine('NSpid', (n) => task_pid_nr_ns(task, n));
  s += nsLine('NSpgid', (n) => pid_type_nr_ns(k, task, C.PIDTYPE_PGID, n)) + nsLine('NSsid', (n) => pid_type_nr_ns(k, task, C.PIDTYPE_SID, n));
  s += `Kthread:\t${task.flags & C.PF_KTHREAD ? 1 : 0}\n`;
  if (mm) {
    s += task_mem(k, task);
    s += 'CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\n';
  }
  const { ign, catch: cat } = task.sighand ? collect_sigign_sigcatch(task) : { ign: [0, 0], catch: [0, 0] };
  s += `Threads:\t${task.sighand ? task.signal.nr_threads : 0}\n`;
  s += `SigQ:\t${task.sighand ? user_sigpending(k, task) : 0}/${task.sighand ? k.config.nproc : 0}\n`;
  s += `SigPnd:\t${render_sigset(task.pending.signal)}\nShdPnd:\t${render_sigset(task.signal.shared_pending.signal)}\n`;
  s += `SigBlk:\t${render_sigset(task.blocked)}\nSigIgn:\t${render_sigset(ign)}\nSigCgt:\t${render_sigset(cat)}\n`;
  const root = cred.euid === 0;
  s += `CapInh:\t${CAP_EMPTY}\nCapPrm:\t${root ? CAP_FULL_SET : CAP_EMPTY}\nCapEff:\t${root ? CAP_FULL_SET : CAP_EMPTY}\n`;
  s += `CapBnd:\t${CAP_FULL_SET}\nCapAmb:\t${CAP_EMPTY}\n`;
  s += 'NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n';
  s += 'Speculation_Store_Bypass:\tthread vulnerable\nSpeculationIndirectBranch:\tconditional enabled\n';
  const cpus = k.config.cpus;
  s += `Cpus_allowed:\t${cpumask_full(cpus)}\nCpus_allowed_list:\t${cpus === 1 ? '0' : `0-${cpus - 1}`}\n`;
  s += `Mems_allowed:\t${[...Array<string>(MAX_NUMNODES_WORDS - 1).fill('00000000'), '00000001'].join(',')}\nMems_allowed_list:\t0\n`;
  s += `voluntary_ctxt_switches:\t${task.nvcsw}\nnonvoluntary_ctxt_switches:\t${task.nivcsw}\n`;
  return s;
}

/** proc_pid_cmdline_read: the argument strings, each ended by a NUL; nothing without an mm. */
export function proc_pid_cmdline_read(task: task_struct): string {
  const mm = get_task_mm(task);
  return mm ? mm.argv.map((a) => `${a}\0`).join('') : '';
}
