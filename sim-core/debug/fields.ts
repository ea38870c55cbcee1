// Describes kernel objects field by field, as a debugger's Variables pane shows them: kernel field
// names, decoded values, pointers that expand to their target, lists that expand to their members.

import * as C from '../kernel/consts';
import { policyName } from '../kernel/rt';
import { ListHead, list_entries } from '../kernel/list';
import type { task_struct } from '../kernel/task';
import {
  bitNames, decodeExitState, decodeFlags, decodeSignal, decodeSigset, decodeState, decodeWaitStatus, hex, pointerText,
} from './decode';

/** What a variable expands to. */
export type Expansion =
  | { kind: 'struct'; type: string; obj: object }
  | { kind: 'list'; type: string; items: readonly unknown[]; names?: readonly string[] };

export interface FieldView {
  name: string;
  value: string;
  type?: string;
  child?: Expansion;
  /** Set on task_struct fields a data breakpoint can watch. */
  watch?: { pid: number; field: string };
}

/** Fields of our objects that are bookkeeping of the model, not fields of the kernel's struct. */
const HIDDEN: Record<string, ReadonlySet<string>> = {
  // restart, syscall_nr and sigframes stand for saved registers (pt_regs, the user stack), not fields.
  task_struct: new Set(['type', 'addr', 'zombie_since', 'in_syscall', 'timeout_at', 'vm_base', 'builtin', 'restart', 'syscall_nr', 'sigframes']),
  // info stands for the sigqueue list: the siginfo of each pending signal, by number.
  sigpending: new Set(['type', 'addr', 'info']),
  // idr and the pid hash are the namespace's tables (shown by number through each task's thread_pid).
  pid_namespace: new Set(['type', 'addr', 'idr', 'hash']),
  default: new Set(['type', 'addr']),
};

/** The struct a pointer field points to, so that NULL still prints with its type. */
const POINTER_TYPES: Record<string, string> = {
  real_parent: 'task_struct', parent: 'task_struct', group_leader: 'task_struct', group_exec_task: 'task_struct',
  mm: 'mm_struct', active_mm: 'mm_struct', files: 'files_struct', fs: 'fs_struct', signal: 'signal_struct', fdt: 'fdtable',
  sighand: 'sighand_struct', real_cred: 'cred', cred: 'cred', vfork_done: 'completion', worker_private: 'kthread',
  curr: 'task_struct', idle: 'task_struct', creator: 'task_struct', result: 'task_struct',
  thread_pid: 'pid', nsproxy: 'nsproxy', pid_ns_for_children: 'pid_namespace', child_reaper: 'task_struct',
};

/** Embedded structs (not pointers), by field name. */
const EMBEDDED_TYPES: Record<string, string> = {
  se: 'sched_entity', rt: 'sched_rt_entity', load: 'load_weight', thread_info: 'thread_info', thread: 'thread_struct', rlim_nproc: 'rlimit', user: 'user_struct',
  pending: 'sigpending', shared_pending: 'sigpending', exited: 'completion', real_timer: 'hrtimer',
  sched_info: 'sched_info', rlim_nofile: 'rlimit',
};

const SIGNAL_FLAG_NAMES: Array<[number, string]> = [
  [C.SIGNAL_STOP_STOPPED, 'SIGNAL_STOP_STOPPED'], [C.SIGNAL_STOP_CONTINUED, 'SIGNAL_STOP_CONTINUED'],
  [C.SIGNAL_GROUP_EXIT, 'SIGNAL_GROUP_EXIT'], [C.SIGNAL_CLD_STOPPED, 'SIGNAL_CLD_STOPPED'],
  [C.SIGNAL_CLD_CONTINUED, 'SIGNAL_CLD_CONTINUED'], [C.SIGNAL_UNKILLABLE, 'SIGNAL_UNKILLABLE'],
];

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export function isTask(v: unknown): v is task_struct {
  return isObject(v) && v.type === 'task_struct';
}

/** The kernel struct name of an object of the model, or undefined for plain data. */
export function structType(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  return typeof v.type === 'string' ? v.type : undefined;
}

/** `3 "child"`: how a task is named next to its pointer in lists. */
export function taskTag(t: task_struct): string {
  return `pid ${t.pid}, "${t.comm}"`;
}

export function taskPointer(t: task_struct | null): string {
  return pointerText('task_struct', t ? t.addr : null);
}

function addrOf(v: Record<string, unknown>): number | null {
  return typeof v.addr === 'number' ? v.addr : null;
}

/** Formats one number by what the field means in the kernel. */
function decodeNumber(owner: string, name: string, n: number): string {
  if (owner === 'task_struct') {
    switch (name) {
      case '__state': return decodeState(n);
      case 'exit_state': return decodeExitState(n);
      case 'flags': return decodeFlags(n);
      case 'exit_code': return decodeWaitStatus(n);
      case 'exit_signal': case 'pdeath_signal': return decodeSignal(n);
      case 'policy': return `${policyName(n)} (${n})`;
      default: break;
    }
  }
  if (owner === 'signal_struct' && name === 'flags') {
    return n === 0 ? '0x0' : `${bitNames(n, SIGNAL_FLAG_NAMES).join(' | ')} (${hex(n)})`;
  }
  if (owner === 'signal_struct' && name === 'group_stop_sig') return decodeSignal(n);
  if (name === 'addr' || name.endsWith('_tid')) return hex(n);
  return String(n);
}

const ACCMODE = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'];
const STATUS_FLAGS: Array<[number, string]> = [[0o2000, 'O_APPEND'], [0o4000, 'O_NONBLOCK'], [0o100000, 'O_LARGEFILE']];

/** What an open file is, by its path (a pipe end says which). */
function fileName(f: Record<string, unknown>): string {
  const path = typeof f.f_path === 'string' ? f.f_path : '?';
  if (f.f_op !== 'pipe') return path;
  return `${path} ${(Number(f.f_mode) & 1) !== 0 ? 'read' : 'write'} end`;
}

/** pid:fd of every descriptor on a file, as noteFileHolders found them at this stop. */
const HOLDERS = new WeakMap<object, string[]>();

/** Records which task holds which file on which descriptor (a table shared by threads once). */
export function noteFileHolders(tasks: readonly task_struct[]): void {
  const seen = new Set<object>();
  for (const t of tasks) {
    const files = t.files;
    if (!files || seen.has(files) || t.exit_state) continue;
    seen.add(files);
    files.fdt.fd.forEach((f, fd) => {
      if (!f) return;
      const list = HOLDERS.get(f) ?? [];
      if (!seen.has(f)) { list.length = 0; seen.add(f); }
      list.push(`${t.tgid}:${fd}`);
      HOLDERS.set(f, list);
    });
  }
}

/** One open file: what it is, its flags, position and references (and a pipe's ends). */
export function fileSummary(f: Record<string, unknown>): string {
  const flags = Number(f.f_flags) | 0;
  const names = [ACCMODE[flags & 3], ...bitNames(flags & ~3, STATUS_FLAGS)];
  const parts = [fileName(f), names.join('|')];
  if (f.f_op !== 'pipe' && f.f_op !== 'tty') parts.push(`f_pos ${String(f.f_pos)}`);
  parts.push(`f_count ${String(f.f_count)}`);
  const holders = HOLDERS.get(f);
  if (holders && holders.length > 0) parts.push(`held as ${holders.join(' ')} (pid:fd)`);
  const p = f.pipe;
  if (isObject(p)) parts.push(`${String(p.nr_bytes)} bytes queued, ${String(p.readers)} readers, ${String(p.writers)} writers`);
  return parts.join(', ');
}

/** One value as a field of `owner`, named `name`. */
export function describeValue(owner: string, name: string, v: unknown): FieldView {
  if (v === null || v === undefined) {
    const t = owner === 'pid_namespace' && name === 'parent' ? 'pid_namespace' : POINTER_TYPES[name];
    return { name, value: t ? pointerText(t, null) : 'NULL', type: t ? `struct ${t} *` : undefined };
  }
  if (typeof v === 'number') return { name, value: decodeNumber(owner, name, v), type: 'int' };
  if (typeof v === 'boolean') return { name, value: v ? 'true' : 'false', type: 'bool' };
  if (typeof v === 'string') return { name, value: JSON.stringify(v), type: 'char *' };
  // cpus_mask: the bitmap of a struct cpumask, bit n for CPU n.
  if (typeof v === 'bigint' && name === 'cpus_mask') return { name, value: `0x${v.toString(16)}`, type: 'struct cpumask' };
  if (typeof v === 'bigint') return { name, value: v.toString(), type: 'long' };
  if (typeof v === 'function') return { name, value: '<function>' };
  if (!isObject(v)) return { name, value: String(v) };

  if (v instanceof ListHead) {
    const items = list_entries(v as ListHead<unknown>);
    return {
      name, value: `(struct list_head) ${items.length} ${items.length === 1 ? 'entry' : 'entries'}`, type: 'struct list_head',
      child: { kind: 'list', type: 'list_head', items },
    };
  }
  if (v instanceof Set) {
    const items = [...(v as Set<unknown>)];
    return { name, value: `${items.length} ${items.length === 1 ? 'waiter' : 'waiters'}`, child: items.length ? { kind: 'list', type: 'set', items } : undefined };
  }
  if (v instanceof Map) {
    const entries = [...(v as Map<unknown, unknown>)];
    return {
      name, value: `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`,
      child: entries.length ? { kind: 'list', type: 'map', items: entries.map((e) => e[1]), names: entries.map((e) => `[${String(e[0])}]`) } : undefined,
    };
  }
  if (Array.isArray(v) && name === 'fd' && v.every((f) => f === null || structType(f) === 'file')) {
    // files->fdt->fd[]: each open descriptor with what it is (see fileSummary).
    const open = v.map((f, i) => [i, f] as const).filter(([, f]) => f !== null);
    return {
      name, value: `${open.length} open: ${open.map(([i, f]) => `${i} ${fileName(f as Record<string, unknown>)}`).join(', ') || 'none'}`, type: `struct file *[${v.length}]`,
      child: open.length ? { kind: 'list', type: 'file', items: open.map(([, f]) => f), names: open.map(([i]) => `[${i}]`) } : undefined,
    };
  }
  if (Array.isArray(v) && name === 'close_on_exec' && v.every((b) => typeof b === 'boolean')) {
    const set = v.map((b, i) => (b ? i : -1)).filter((i) => i >= 0);
    return { name, value: set.length ? `{${set.join(', ')}}` : '{}', type: 'unsigned long *' };
  }
  if (structType(v) === 'file' && owner === 'element') {
    return { name, value: fileSummary(v as Record<string, unknown>), type: 'struct file *', child: { kind: 'struct', type: 'file', obj: v } };
  }
  if (Array.isArray(v) && owner === 'pid' && name === 'numbers') {
    // struct upid numbers[level + 1]: the pid in each namespace, the initial one first.
    const nrs = v.map((u) => (isObject(u) && typeof u.nr === 'number' ? u.nr : 0));
    return {
      name, value: nrs.map((nr, i) => `[${i}] ${nr}`).join(', '), type: `struct upid[${v.length}]`,
      child: { kind: 'list', type: 'upid', items: v, names: v.map((_, i) => `[${i}]`) },
    };
  }
  if (isObject(v) && typeof v.nr === 'number' && structType(v.ns) === 'pid_namespace') {
    const ns = v.ns as Record<string, unknown>;
    return { name, value: `{nr = ${v.nr}, ns = level ${String(ns.level)}}`, type: 'struct upid', child: { kind: 'struct', type: 'upid', obj: v } };
  }
  if (Array.isArray(v)) {
    if ((name === 'signal' || name === 'blocked' || name === 'saved_sigmask' || name === 'real_blocked') && v.every((x) => typeof x === 'number')) {
      return { name, value: decodeSigset(v as number[]), type: 'sigset_t' };
    }
    if (name === 'action') {
      return {
        name, value: `[${v.length}]`, type: 'struct k_sigaction[]',
        child: { kind: 'list', type: 'k_sigaction', items: v, names: v.map((_, i) => `[${C.signame(i + 1)}]`) },
      };
    }
    if (name === 'stack') {
      const frames = v.filter(isObject);
      const names = frames.map((f) => (isObject(f.fn) && typeof f.fn.name === 'string' ? f.fn.name : '?'));
      return {
        name, value: names.length ? [...names].reverse().join(' < ') : '(empty)', type: 'kernel stack',
        child: frames.length ? { kind: 'list', type: 'frame', items: frames, names: names.map((n, i) => `[${i}] ${n}`) } : undefined,
      };
    }
    return { name, value: `[${v.length}]`, child: v.length ? { kind: 'list', type: 'array', items: v } : undefined };
  }
  const st = structType(v);
  if (st) {
    const value = st === 'task_struct' ? taskPointer(v as unknown as task_struct) : pointerText(st, addrOf(v));
    return { name, value, type: `struct ${st} *`, child: { kind: 'struct', type: st, obj: v } };
  }
  if (isObject(v.fn) && typeof v.pc === 'number') {
    const fnName = typeof v.fn.name === 'string' ? v.fn.name : '?';
    return { name, value: `${fnName} (step ${v.pc})`, child: isObject(v.locals) ? { kind: 'struct', type: 'locals', obj: v.locals } : undefined };
  }
  // A member the tables do not list is named after its field, as the kernel names most (sched_info).
  const emb = EMBEDDED_TYPES[name] ?? POINTER_TYPES[name] ?? name;
  if (name === 'memory') return { name, value: '(scenario memory)' };
  if (emb === 'thread_struct') return { name, value: '{...}', type: 'struct thread_struct', child: { kind: 'struct', type: emb, obj: { stack_segment: v.stack_segment } } };
  return { name, value: '{...}', type: `struct ${emb}`, child: { kind: 'struct', type: emb, obj: v } };
}

/** The fields of a struct in declaration order, without the model's bookkeeping. */
export function describeStruct(type: string, obj: object): FieldView[] {
  const hidden = HIDDEN[type] ?? HIDDEN.default;
  const rec = obj as Record<string, unknown>;
  const out: FieldView[] = [];
  for (const key of Object.keys(rec)) {
    if (hidden.has(key)) continue;
    const v = rec[key];
    if (typeof v === 'function') continue;
    const f = describeValue(type, key, v);
    if (type === 'task_struct' && !(v instanceof ListHead) && !Array.isArray(v)) f.watch = { pid: (obj as task_struct).pid, field: key };
    out.push(f);
  }
  return out;
}

/** One member of an expanded list: tasks print as their pointer plus pid and comm. */
export function describeElement(name: string, item: unknown): FieldView {
  if (isTask(item)) {
    return { name, value: `${taskPointer(item)} (${taskTag(item)})`, type: 'struct task_struct *', child: { kind: 'struct', type: 'task_struct', obj: item } };
  }
  return describeValue('element', name, item);
}
