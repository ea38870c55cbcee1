// The debug console: the kernel gdb helpers' commands (lx-ps, lx-pstree, lx-dmesg, lx-list-check),
// lx-goto (checked here, carried out by the debug session), gdb's bt, info threads and p, and C
// expressions, all read through the one C evaluator.

import { ListHead, list_entries } from '../kernel/list';
import { big } from '../vm/int64';
import type { Machine } from '../machine-types';
import { CONSOLE_COMMANDS, CONVENIENCE_FUNCTIONS } from './complete';
import { formatRaw, type Raw } from './evaluate';
import { CFloat, floatText } from './cfloat';
import { toLong } from '../vm/float';
import { describeValue, isObject, isTask, type Expansion } from './fields';
import { describeGotoTarget, parseGotoCommand } from './goto';
import { bt, infoThreads, lxDmesg, lxListCheck, lxPs, lxPstree } from './lx';

export interface ConsoleResult {
  result: string;
  type?: string;
  child?: Expansion;
}

/** What the console needs of the stopped machine. */
export interface ConsoleHost {
  readonly machine: Machine;
  /** Evaluates a C expression in the selected task and frame; throws with a readable message. */
  evaluate(expr: string): Raw;
  /** The kernel address of a task_struct, for lx-ps. */
  taskAddr(pid: number): number | undefined;
  /** The selected task. */
  readonly pid: number | undefined;
}

/** Runs one console line: a command, or an expression to print. Throws with a readable message. */
export function runConsole(input: string, host: ConsoleHost): ConsoleResult {
  const text = input.trim();
  const [word] = text.split(/\s+/, 1);
  const rest = text.slice(word.length).trim();
  const m = host.machine;
  switch (word) {
    case '': case 'help': return { result: help() };
    case 'lx-ps': return { result: lxPs(m, (pid) => host.taskAddr(pid)) };
    case 'lx-pstree': return { result: lxPstree(m) };
    case 'lx-dmesg': return { result: lxDmesg(m) };
    case 'lx-list-check': {
      const arg = rest || 'init_task.tasks';
      const head = host.evaluate(arg);
      if (!(head instanceof ListHead)) throw new Error(`lx-list-check: ${arg} is not a struct list_head`);
      return { result: lxListCheck(head, arg) };
    }
    case 'lx-goto': {
      // Travelling runs the machine, which only the debug session does (it takes lx-goto before
      // the console sees it); here the moment is checked and the console says so.
      const r = parseGotoCommand(text) ?? { error: 'lx-goto: expected a moment' };
      if ('error' in r) throw new Error(r.error);
      throw new Error(`lx-goto: going to ${describeGotoTarget(r.target)} is done by the debug session, not by evaluating an expression`);
    }
    case 'bt': case 'backtrace': case 'where':
      if (host.pid === undefined) throw new Error('No task is selected.');
      return { result: bt(m, host.pid) };
    case 'info':
      if (/^threads$/.test(rest)) return { result: infoThreads(m, host.pid) };
      throw new Error(`Undefined info command: "${rest}". Try "info threads".`);
    case 'p': case 'print': case 'p/x': case 'print/x':
      if (!rest) throw new Error('p needs an expression, for example: p current->pid');
      return expression(rest, host, word.endsWith('/x'));
    default:
      return expression(text, host, false);
  }
}

/** An expression's value; `*` before a helper or a parenthesised pointer shows the struct itself. */
export function expression(expr: string, host: ConsoleHost, asHex: boolean): ConsoleResult {
  let e = expr;
  let deref = false;
  if (/^\*\s*\$/.test(e) || /^\*\s*\(/.test(e)) { deref = true; e = e.replace(/^\*\s*/, ''); }
  const v = host.evaluate(e);
  if (typeof v === 'number' || typeof v === 'bigint') {
    // An int shows its 32 bits in hex, a wider value its 64 (p/x of -1 is 0xffffffff, of LONG_MIN 0x8000000000000000).
    const int = typeof v === 'number' && (v | 0) === v;
    const hex = int ? (v >>> 0).toString(16) : BigInt.asUintN(64, big(v)).toString(16);
    return { result: asHex ? `0x${hex}` : String(v), type: int ? 'int' : 'long' };
  }
  if (typeof v === 'string') return { result: JSON.stringify(v), type: 'char *' };
  // p/x of a double shows the integer it converts to, as gdb does.
  if (v instanceof CFloat) return { result: asHex ? `0x${BigInt.asUintN(64, big(toLong(v.value))).toString(16)}` : floatText(v.value, v.type), type: v.type };
  const shown = present(v, deref);
  return deref ? shown : { ...shown, result: formatRaw(v) };
}

/** A kernel object as a console value: a pointer that expands, or with `*` its fields inline. */
function present(obj: unknown, deref: boolean): ConsoleResult {
  const f = describeValue('eval', 'value', obj);
  if (deref && isTask(obj)) {
    return { result: `{pid = ${obj.pid}, tgid = ${obj.tgid}, comm = "${obj.comm}", ...}`, type: 'struct task_struct', child: f.child };
  }
  if (deref && isObject(obj) && !(obj instanceof ListHead)) return { result: '{...}', type: f.type?.replace(/ \*$/, ''), child: f.child };
  if (obj instanceof ListHead) {
    return { result: f.value, type: 'struct list_head', child: { kind: 'list', type: 'list_head', items: list_entries(obj) } };
  }
  return { result: f.value, type: f.type, child: f.child };
}

function help(): string {
  const lines = ['The console understands:'];
  for (const [c, d] of CONSOLE_COMMANDS) lines.push(`  ${c.padEnd(18)} ${d}`);
  for (const [c, d] of CONVENIENCE_FUNCTIONS) lines.push(`  ${c.padEnd(18)} ${d}`);
  lines.push('  and C expressions over the stopped task: current->real_parent->pid, find_task_by_vpid(5)->exit_state, nr_threads');
  return lines.join('\n');
}
