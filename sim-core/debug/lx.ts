// The console vocabulary of the kernel's gdb helpers (scripts/gdb/linux), over the machine:
// lx-ps, lx-pstree, lx-dmesg, lx-list-check, plus gdb's own bt and info threads.

import { ListHead } from '../kernel/list';
import type { FrameInfo, Machine, TaskRow } from '../machine-types';
import { dmesgStamp, hex } from './decode';

/** `TASK PID COMM` like lx-ps, with tgid, ppid and the state letter added. */
export function lxPs(m: Machine, addrOf: (pid: number) => number | undefined): string {
  const rows = m.tasks();
  const lines = [`${'TASK'.padEnd(18)} ${'PID'.padStart(6)} ${'TGID'.padStart(6)} ${'PPID'.padStart(6)} ST COMM`];
  for (const r of rows) {
    const a = addrOf(r.pid);
    const addr = a !== undefined ? hex(a) : '?';
    lines.push(`${addr.padEnd(18)} ${String(r.pid).padStart(6)} ${String(r.tgid).padStart(6)} ${String(r.ppid).padStart(6)} ${r.state.padEnd(2)} ${r.kthread ? `[${r.comm}]` : r.comm}`);
  }
  return lines.join('\n');
}

function pstreeLabel(r: TaskRow): string {
  if (r.kthread) return `[${r.comm}](${r.pid})`;
  if (r.threadGroupLeader !== r.pid) return `{${r.comm}}(${r.pid})`;
  return `${r.comm}(${r.pid})${r.state === 'Z' ? ' <defunct>' : ''}`;
}

/**
 * The process tree as `pstree -p` draws it, from real_parent; threads hang under their group
 * leader in braces. The real gdb helpers have no such command; it is the one students ask for.
 */
export function lxPstree(m: Machine): string {
  const rows = m.tasks();
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const kids = new Map<number, TaskRow[]>();
  const roots: TaskRow[] = [];
  for (const r of rows) {
    const up = r.threadGroupLeader !== r.pid ? r.threadGroupLeader : r.ppid;
    const parent = byPid.get(up);
    if (!parent || parent.pid === r.pid) { roots.push(r); continue; }
    const list = kids.get(parent.pid) ?? [];
    list.push(r);
    kids.set(parent.pid, list);
  }
  const out: string[] = [];
  const walk = (r: TaskRow, prefix: string, last: boolean, top: boolean): void => {
    out.push(top ? pstreeLabel(r) : `${prefix}${last ? '`-' : '|-'}${pstreeLabel(r)}`);
    const children = kids.get(r.pid) ?? [];
    const next = top ? '' : prefix + (last ? '  ' : '| ');
    children.forEach((c, i) => walk(c, next, i === children.length - 1, false));
  };
  roots.forEach((r) => walk(r, '', true, true));
  return out.join('\n');
}

export function lxDmesg(m: Machine): string {
  const lines = m.dmesg().map((l) => `${dmesgStamp(l.time)} ${l.text}`);
  return lines.length ? lines.join('\n') : '(the kernel log is empty)';
}

/** Walks a list_head checking next->prev == this and prev->next == this, as lx-list-check does. */
export function lxListCheck(head: ListHead<unknown>, what: string): string {
  let n = 0;
  let node: ListHead<unknown> = head;
  const seen = new Set<ListHead<unknown>>();
  do {
    if (node.next.prev !== node) return `list is corrupted: ${what} entry ${n}: next->prev != this`;
    if (node.prev.next !== node) return `list is corrupted: ${what} entry ${n}: prev->next != this`;
    if (seen.has(node)) return `list is corrupted: ${what} loops back at entry ${n} without reaching the head`;
    seen.add(node);
    node = node.next;
    if (node !== head) n++;
  } while (node !== head);
  return `list is consistent: ${n} ${n === 1 ? 'entry' : 'entries'} in ${what}`;
}

export function frameLine(i: number, f: FrameInfo): string {
  const args = f.locals.slice(0, 4).map((l) => `${l.name}=${l.value}`).join(', ');
  return `#${i}  ${f.name} (${args}) at ${f.file}:${f.line + 1}`;
}

export function bt(m: Machine, pid: number): string {
  const frames = m.stack(pid);
  if (!frames.length) return `task ${pid} has no frames (it has not run yet or has exited)`;
  return frames.map((f, i) => frameLine(i, f)).join('\n');
}

/** gdb's `info threads`: every task, the current one starred, with its top frame. */
export function infoThreads(m: Machine, current: number | undefined): string {
  const lines = ['  Id   Target Id                       Frame'];
  for (const r of m.tasks()) {
    const top = m.stack(r.pid)[0];
    const where = top ? `${top.name} () at ${top.file}:${top.line + 1}` : '(no frame)';
    const target = `Task ${r.pid} "${r.comm}" [${r.state}]`;
    lines.push(`${r.pid === current ? '*' : ' '} ${String(r.pid).padEnd(4)} ${target.padEnd(32)}${where}`);
  }
  return lines.join('\n');
}
