// The debug console: gdb-helper commands (lx-ps, lx-pstree, ...), gdb's bt / info threads / p,
// the $lx_ convenience functions, and plain C expressions handed to the machine's evaluator.

import { CONSOLE_COMMANDS, CONVENIENCE_FUNCTIONS } from '../../sim-core/debug/complete';
import { isObject, isTask, structType, type Expansion } from '../../sim-core/debug/fields';
import { bt, infoThreads, lxDmesg, lxListCheck, lxPs, lxPstree } from '../../sim-core/debug/lx';
import { describeValue } from '../../sim-core/debug/fields';
import { ListHead, list_entries } from '../../sim-core/kernel/list';
import type { EvalValue, Machine } from '../../sim-core/machine-types';

export interface ConsoleResult {
  result: string;
  type?: string;
  child?: Expansion;
}

export interface ConsoleContext {
  pid: number | undefined;
  frame: number;
}

/** gdb's spelling of the helpers, rewritten into what the C evaluator understands. */
export function rewriteHelpers(expr: string): string {
  return expr
    .replace(/\$lx_current\s*\(\s*\)/g, 'current')
    .replace(/\$lx_task_by_pid\s*\(/g, 'find_task_by_vpid(');
}

/** Splits `a, "b", c` at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let quote = '';
  for (const ch of s) {
    if (quote) { cur += ch; if (ch === quote) quote = ''; continue; }
    if (ch === '"' || ch === '\'') { quote = ch; cur += ch; continue; }
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function unquote(s: string): string {
  return s.replace(/^["']|["']$/g, '').trim();
}

/** Follows `->a.b` on a model object, the way the C evaluator would. */
function follow(value: unknown, chain: string): unknown {
  let v = value;
  const re = /\s*(->|\.)\s*([A-Za-z_][A-Za-z0-9_]*)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(chain)) !== null) {
    if (!isObject(v)) throw new Error(`cannot take '${m[2]}' of a non-struct value`);
    if (!(m[2] in v)) throw new Error(`there is no member named '${m[2]}'${structType(v) ? ` in struct ${structType(v)}` : ''}`);
    v = v[m[2]];
    pos = re.lastIndex;
  }
  if (chain.slice(pos).trim()) throw new Error(`cannot parse '${chain.slice(pos).trim()}'`);
  return v;
}

export class KprocConsole {
  constructor(private readonly m: Machine) {}

  private raw(expr: string, ctx: ConsoleContext): EvalValue {
    return this.m.evaluate(rewriteHelpers(expr), ctx.pid, ctx.frame);
  }

  /** The model object behind an expression, for helpers that need more than a formatted value. */
  objectOf(expr: string, ctx: ConsoleContext): unknown {
    const helper = /^\s*\$container_of\s*\(/.exec(expr);
    if (helper) return this.containerOf(expr, ctx);
    try {
      return this.fromEval(this.raw(expr, ctx));
    } catch (e) {
      // The evaluator may not hand out list heads and the like; walk the last members ourselves.
      const m = /^(.*?)((?:\s*(?:->|\.)\s*[A-Za-z_][A-Za-z0-9_]*)+)\s*$/.exec(expr);
      if (!m || !m[1].trim()) throw e;
      return follow(this.fromEval(this.raw(m[1], ctx)), m[2]);
    }
  }

  private fromEval(v: EvalValue): unknown {
    switch (v.kind) {
      case 'task': return v.task;
      case 'object': return v.value;
      default: return v.value;
    }
  }

  /** $container_of(ptr, "struct task_struct", "member"): the struct a list_head node lives in. */
  private containerOf(expr: string, ctx: ConsoleContext): unknown {
    const open = expr.indexOf('(');
    let depth = 0;
    let close = -1;
    for (let i = open; i < expr.length; i++) {
      if (expr[i] === '(') depth++;
      else if (expr[i] === ')' && --depth === 0) { close = i; break; }
    }
    if (close < 0) throw new Error('$container_of: missing )');
    const args = splitArgs(expr.slice(open + 1, close));
    if (args.length !== 3) throw new Error('$container_of takes three arguments: (ptr, "struct type", "member")');
    const ptr = this.objectOf(args[0], ctx);
    const type = unquote(args[1]).replace(/^struct\s+/, '');
    let owner: unknown;
    if (ptr instanceof ListHead) owner = ptr.owner;
    else if (isObject(ptr) && structType(ptr) === type) owner = ptr;
    else throw new Error(`$container_of: ${args[0]} is not a list_head`);
    if (owner === null) throw new Error(`$container_of: ${args[0]} is a list head, not an entry embedded in a struct ${type}`);
    if (structType(owner) !== type) throw new Error(`$container_of: the entry is embedded in a struct ${structType(owner) ?? '?'}, not ${type}`);
    return follow(owner, expr.slice(close + 1));
  }

  evaluate(input: string, ctx: ConsoleContext): ConsoleResult {
    const text = input.trim();
    const [word] = text.split(/\s+/, 1);
    const rest = text.slice(word.length).trim();
    switch (word) {
      case '': case 'help': return { result: this.help() };
      case 'lx-ps': return { result: lxPs(this.m) };
      case 'lx-pstree': return { result: lxPstree(this.m) };
      case 'lx-dmesg': return { result: lxDmesg(this.m) };
      case 'lx-list-check': return { result: this.listCheck(rest || 'init_task.tasks', ctx) };
      case 'bt': case 'backtrace': case 'where':
        if (ctx.pid === undefined) throw new Error('No task is selected.');
        return { result: bt(this.m, ctx.pid) };
      case 'info':
        if (/^threads$/.test(rest)) return { result: infoThreads(this.m, ctx.pid) };
        throw new Error(`Undefined info command: "${rest}". Try "info threads".`);
      case 'p': case 'print': case 'p/x': case 'print/x':
        if (!rest) throw new Error('p needs an expression, for example: p current->pid');
        return this.expression(rest, ctx, word.endsWith('/x'));
      default:
        return this.expression(text, ctx, false);
    }
  }

  private listCheck(arg: string, ctx: ConsoleContext): string {
    const head = this.objectOf(arg, ctx);
    if (!(head instanceof ListHead)) throw new Error(`lx-list-check: ${arg} is not a struct list_head`);
    return lxListCheck(head, arg);
  }

  private expression(expr: string, ctx: ConsoleContext, asHex: boolean): ConsoleResult {
    let e = expr;
    let deref = false;
    if (/^\*\s*\$/.test(e) || /^\*\s*\(/.test(e)) { deref = true; e = e.replace(/^\*\s*/, ''); }
    if (/\$container_of\s*\(/.test(e)) return this.present(this.objectOf(e, ctx), deref);
    const v = this.raw(e, ctx);
    if (v.kind === 'int' && asHex) return { result: `0x${(v.value >>> 0).toString(16)}`, type: 'int' };
    if (v.kind === 'task' || v.kind === 'object') {
      const shown = this.present(this.fromEval(v), deref);
      return { ...shown, result: deref ? shown.result : this.m.format(v) };
    }
    return { result: this.m.format(v), type: v.kind === 'string' ? 'char *' : 'int' };
  }

  /** A model object as a console value: a pointer that expands, or with `*` its fields inline. */
  private present(obj: unknown, deref: boolean): ConsoleResult {
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

  private help(): string {
    const lines = ['The console understands:'];
    for (const [c, d] of CONSOLE_COMMANDS) lines.push(`  ${c.padEnd(18)} ${d}`);
    for (const [c, d] of CONVENIENCE_FUNCTIONS) lines.push(`  ${c.padEnd(18)} ${d}`);
    lines.push('  and C expressions over the stopped task: current->real_parent->pid, find_task_by_vpid(5)->exit_state, nr_threads');
    return lines.join('\n');
  }
}
