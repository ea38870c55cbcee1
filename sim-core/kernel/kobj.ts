// Kernel objects as scenario kernel code reads them: task_struct and the structures it embeds or
// points to (se, thread_info, signal, mm), the kernel's own lists walked node by node through
// their real list_heads (tasks, children/sibling, thread_head/thread_node), and container_of.
// A handle (KRef) names an object by kind and kernel address; the list_heads of scenario memory
// are numbers (their address) and live in k.klists (list.ts).

import type { Kernel } from './kernel';
import type { ListHead } from './list';
import type { mm_struct, signal_struct, task_struct } from './task';
import type { KRef, Value } from '../vm/types';

/** include/linux/poison.h (POISON_POINTER_DELTA is 0xdead000000000000 on x86-64). */
export const LIST_POISON1 = 0xdead000000000100n;
export const LIST_POISON2 = 0xdead000000000122n;

/** The list_heads embedded in task_struct, and the structure each kind of handle lives in. */
const TASK_LISTS = ['tasks', 'children', 'sibling', 'thread_node'] as const;
type TaskList = typeof TASK_LISTS[number];
const CONTAINER: Readonly<Record<string, string>> = {
  'list:tasks': 'task_struct', 'list:children': 'task_struct', 'list:sibling': 'task_struct',
  'list:thread_node': 'task_struct', se: 'task_struct', thread_info: 'task_struct', 'list:thread_head': 'signal_struct',
};

/** Objects met through handles, by kernel address (the tasks are in k.krefs). */
export interface kobj_registry { signals: Map<number, signal_struct>; mms: Map<number, mm_struct> }

function registry(k: Kernel): kobj_registry {
  let r = k.kobj;
  if (r === null) { r = { signals: new Map(), mms: new Map() }; k.kobj = r; }
  return r;
}

function taskRef(k: Kernel, p: task_struct | null): Value {
  return p ? k.taskRef(p) : 0;
}

/** The handle of the list_head `m` embedded in task p (&p->m). */
function taskListRef(k: Kernel, p: task_struct, m: TaskList): KRef {
  return { kref: `list:${m}`, id: k.taskRef(p).id };
}

function signalRef(k: Kernel, sig: signal_struct): KRef {
  registry(k).signals.set(sig.addr, sig);
  return { kref: 'signal', id: sig.addr };
}

/** The handle of a node of one of the kernel's lists: which object holds it, as which member. */
function nodeRef(k: Kernel, n: ListHead<task_struct>): KRef | null {
  const q = n.owner;
  if (q) {
    for (const m of TASK_LISTS) if (q[m] === n) return taskListRef(k, q, m);
    return null;
  }
  // A list head (children, thread_head): its holder is found among the tasks that could hold it.
  for (const p of [...k.for_each_process(), ...k.allTasks()]) {
    if (p.children === n) return taskListRef(k, p, 'children');
    if (p.signal.thread_head === n) { signalRef(k, p.signal); return { kref: 'list:thread_head', id: p.signal.addr }; }
  }
  return null;
}

/** The kernel list node a list handle names, or null. */
function listNode(k: Kernel, ref: KRef): ListHead<task_struct> | null {
  if (ref.kref === 'list:thread_head') return registry(k).signals.get(ref.id)?.thread_head ?? null;
  const m = ref.kref.slice(5);
  const p = k.taskOf({ kref: 'task', id: ref.id });
  return p && (TASK_LISTS as readonly string[]).includes(m) ? p[m as TaskList] : null;
}

function listField(k: Kernel, ref: KRef, field: string): Value {
  const n = listNode(k, ref);
  if (!n || (field !== 'next' && field !== 'prev')) return 0;
  return nodeRef(k, field === 'next' ? n.next : n.prev) ?? 0;
}

/** next/prev of a list_head in scenario memory. */
function scenarioListField(k: Kernel, addr: number, field: string): Value {
  if (field !== 'next' && field !== 'prev') return 0;
  if (k.klists.poisoned(addr)) return field === 'next' ? LIST_POISON1 : LIST_POISON2;
  const n = k.klists.node(addr);
  return (field === 'next' ? n.next.owner : n.prev.owner) ?? 0;
}

/**
 * container_of(ptr, struct `type`, member) for a kernel structure. When ptr really is that
 * member of such a structure the result is the structure's handle; otherwise (a walk that reached
 * its list head) it is a handle that only gives `member` back, as C's pointer arithmetic would.
 */
function containerOf(k: Kernel, ref: KRef | number, type: string, member: string): Value {
  if (typeof ref === 'object') {
    const kind = ref.kref === `list:${member}` || ref.kref === member ? ref.kref : '';
    if (kind && CONTAINER[kind] === type) {
      if (type === 'signal_struct') return { kref: 'signal', id: ref.id };
      return taskRef(k, k.taskOf({ kref: 'task', id: ref.id }));
    }
    if (ref.kref.startsWith('entry:')) return ref;
  }
  return { kref: `entry:${member}`, id: typeof ref === 'number' ? ref : ref.id, of: ref };
}

function taskField(k: Kernel, p: task_struct, field: string): Value {
  switch (field) {
    case 'pid': return p.pid;
    case 'tgid': return p.tgid;
    case 'comm': return p.comm;
    case '__state': return p.__state;
    case 'exit_state': return p.exit_state;
    case 'exit_code': return p.exit_code;
    case 'exit_signal': return p.exit_signal;
    case 'pdeath_signal': return p.pdeath_signal;
    case 'flags': return p.flags;
    case 'prio': return p.prio;
    case 'static_prio': return p.static_prio;
    case 'normal_prio': return p.normal_prio;
    case 'on_cpu': return p.on_cpu ? 1 : 0;
    case 'utime': return p.utime;
    case 'stime': return p.stime;
    case 'nvcsw': return p.nvcsw;
    case 'nivcsw': return p.nivcsw;
    case 'start_time': return p.start_time;
    case 'real_parent': return taskRef(k, p.real_parent);
    case 'parent': return taskRef(k, p.parent);
    case 'group_leader': return taskRef(k, p.group_leader);
    case 'thread_info': case 'se': return { kref: field, id: k.taskRef(p).id };
    // The kernel stack is freed with the task (put_task_stack); the handle stands for its address.
    case 'stack': return p.usage > 0 ? { kref: 'stack', id: k.taskRef(p).id } : 0;
    case 'tasks': case 'children': case 'sibling': case 'thread_node': return taskListRef(k, p, field);
    case 'signal': return signalRef(k, p.signal);
    case 'mm': case 'active_mm': {
      const mm = p[field];
      if (!mm) return 0;
      registry(k).mms.set(mm.addr, mm);
      return { kref: 'mm', id: mm.addr };
    }
    default: return 0;
  }
}

/** VmHost.readField for scenario kernel code. */
export function kobj_field(k: Kernel, ref: KRef | number, field: string): Value {
  if (field.startsWith('container_of ')) {
    const [type, member] = field.slice(13).split('.');
    return containerOf(k, ref, type, member);
  }
  if (typeof ref === 'number') return scenarioListField(k, ref, field);
  if (ref.kref.startsWith('entry:')) return field === ref.kref.slice(6) ? ref.of ?? 0 : 0;
  if (ref.kref.startsWith('list:')) return listField(k, ref, field);
  if (ref.kref === 'signal') {
    const sig = registry(k).signals.get(ref.id);
    if (!sig) return 0;
    switch (field) {
      case 'nr_threads': return sig.nr_threads;
      case 'group_exit_code': return sig.group_exit_code;
      case 'flags': return sig.flags;
      case 'thread_head': return { kref: 'list:thread_head', id: sig.addr };
      default: return 0;
    }
  }
  if (ref.kref === 'mm') {
    const mm = registry(k).mms.get(ref.id);
    return mm && (field === 'mm_users' || field === 'mm_count') ? mm[field] : 0;
  }
  const p = k.taskOf({ kref: 'task', id: ref.id });
  if (!p) return 0;
  if (ref.kref === 'task') return taskField(k, p, field);
  if (ref.kref === 'se') {
    switch (field) {
      case 'vruntime': return p.se.vruntime;
      case 'deadline': return p.se.deadline;
      case 'sum_exec_runtime': return p.se.sum_exec_runtime;
      case 'exec_start': return p.se.exec_start;
      case 'slice': return p.se.slice;
      case 'on_rq': return p.se.on_rq ? 1 : 0;
      default: return 0;
    }
  }
  if (ref.kref === 'thread_info') {
    switch (field) {
      case 'flags': return p.thread_info.flags;
      case 'syscall_work': return p.thread_info.syscall_work;
      case 'cpu': return p.cpu;
      default: return 0;
    }
  }
  return 0;
}

/** The address of a scenario list_head argument, or null for anything else (a kernel list, NULL, a poison value). */
function scenarioList(v: Value | undefined): number | null {
  return typeof v === 'number' && v > 0 && Number.isSafeInteger(v) ? v : null;
}

/** What x86-64 reports when code follows a pointer that is no address (a poisoned link). */
function gpf(addr: bigint): string {
  return `general protection fault, probably for non-canonical address 0x${addr.toString(16)}`;
}

/**
 * list.h's operations on the list_heads of scenario memory. Returns the call's value, or a
 * message when an argument is not such a list_head (NULL, or one of the kernel's own lists,
 * which a module may read but not relink), or null for a name that is not one of them.
 */
export function scenarioListOp(k: Kernel, name: string, args: Value[]): number | string | null {
  const ops = ['INIT_LIST_HEAD', 'list_add', 'list_add_tail', 'list_del', 'list_del_init', 'list_empty', 'list_move', 'list_move_tail', 'list_is_last'];
  if (!ops.includes(name)) return null;
  // Questions about the kernel's own lists are answered from them.
  if ((name === 'list_empty' || name === 'list_is_last') && typeof args[0] === 'object') {
    const n = listNode(k, args[0]);
    const h = name === 'list_empty' ? n : typeof args[1] === 'object' ? listNode(k, args[1]) : null;
    if (n && h) return name === 'list_empty' ? (n.next === n ? 1 : 0) : (n.next === h ? 1 : 0);
  }
  const a = scenarioList(args[0]);
  const need = name === 'INIT_LIST_HEAD' || name === 'list_del' || name === 'list_del_init' || name === 'list_empty' ? 1 : 2;
  const b = need === 2 ? scenarioList(args[1]) : 0;
  if (a === null || b === null) {
    const bad = a === null ? args[0] : args[1];
    if (typeof bad === 'object') return `${name}: the kernel's own lists (tasks, children, thread lists) are read-only to a module`;
    const v = typeof bad === 'number' || typeof bad === 'bigint' ? BigInt(bad) : 0n;
    return v === 0n ? `kernel NULL pointer dereference in ${name}` : gpf(v);
  }
  const L = k.klists;
  // Unlinking an entry list_del already poisoned writes through LIST_POISON1 (next->prev).
  if (L.poisoned(a) && (name === 'list_del' || name === 'list_del_init' || name === 'list_move' || name === 'list_move_tail')) {
    return gpf(LIST_POISON1 + 8n);
  }
  switch (name) {
    case 'INIT_LIST_HEAD': L.init(a); return 0;
    case 'list_empty': return !L.poisoned(a) && L.node(a).next === L.node(a) ? 1 : 0;
    case 'list_is_last': return L.node(a).next === L.node(b as number) ? 1 : 0;
    case 'list_del': L.del(a); return 0;
    case 'list_del_init': L.del(a); L.init(a); return 0;
    default: break;
  }
  // list_add, list_add_tail, list_move, list_move_tail: the entry leaves its list first (a move),
  // or is linked as it is (an add, which in C must not be on a list: its old links are overwritten).
  const n = L.node(a), head = L.node(b as number);
  if (name === 'list_move' || name === 'list_move_tail') { L.del(a); }
  L.relinked(a);
  if (name === 'list_add' || name === 'list_move') {
    n.next = head.next; n.prev = head; head.next.prev = n; head.next = n;
  } else {
    n.next = head; n.prev = head.prev; head.prev.next = n; head.prev = n;
  }
  return 0;
}

/** The kernel object a handle stands for, for the debugger to show (null for none). */
export function kobj_target(k: Kernel, ref: KRef): object | null {
  if (ref.kref === 'task') return k.taskOf(ref);
  if (ref.kref.startsWith('list:')) return listNode(k, ref);
  if (ref.kref === 'signal') return registry(k).signals.get(ref.id) ?? null;
  if (ref.kref === 'mm') return registry(k).mms.get(ref.id) ?? null;
  const p = k.taskOf({ kref: 'task', id: ref.id });
  if (!p) return null;
  if (ref.kref === 'se') return p.se;
  if (ref.kref === 'thread_info') return p.thread_info;
  if (ref.kref === 'stack') return p.stack;
  return null;
}

/** A handle as a frame's locals list shows it: its type, and what it is. */
export function kobj_text(ref: KRef): string {
  const at = `0x${ref.id.toString(16)}`;
  if (ref.kref === 'task') return `(struct task_struct *) task ${ref.id}`;
  if (ref.kref.startsWith('list:')) return `(struct list_head *) &${ref.kref === 'list:thread_head' ? 'signal' : 'task'} ${at} ->${ref.kref.slice(5)}`;
  if (ref.kref.startsWith('entry:')) return `(void *) container_of a list head, not an entry (only ->${ref.kref.slice(6)} leads back)`;
  const type: Record<string, string> = { se: 'struct sched_entity', thread_info: 'struct thread_info', signal: 'struct signal_struct', mm: 'struct mm_struct', stack: 'void' };
  return `(${type[ref.kref] ?? 'void'} *) ${ref.kref} of ${at}`;
}
