// include/linux/list.h and sched/signal.h's walking macros, built as the trees their expansions
// make: list_entry and the *_entry helpers become container_of (the type carried by a sizeof,
// the member by a string), and for_each_process, list_for_each* and for_each_thread become the
// `for` statements the kernel's macros expand to. The parser calls these after reading the
// macro's arguments; a file's own #define of the same name wins (it is expanded as written).
import type { Expr, Range, Stmt, TypeRef } from './ast';

/** Macros that take a type or a member name and give an expression. */
export const LIST_EXPR_MACROS: ReadonlyMap<string, Array<'expr' | 'type' | 'member'>> = new Map([
  ['list_entry', ['expr', 'type', 'member']], ['container_of', ['expr', 'type', 'member']],
  ['list_first_entry', ['expr', 'type', 'member']], ['list_last_entry', ['expr', 'type', 'member']],
  ['list_first_entry_or_null', ['expr', 'type', 'member']],
  ['list_next_entry', ['expr', 'member']], ['list_prev_entry', ['expr', 'member']],
  ['list_entry_is_head', ['expr', 'expr', 'member']], ['next_task', ['expr']], ['current_thread_info', []],
  // <stddef.h>'s offsetof(type, member): a call whose type is carried by a sizeof, as container_of's.
  ['offsetof', ['type', 'member']],
]);

/** Macros that are the head of a loop: the statement after them is its body. */
export const LIST_LOOP_MACROS: ReadonlyMap<string, Array<'expr' | 'type' | 'member'>> = new Map([
  ['for_each_process', ['expr']], ['for_each_thread', ['expr', 'expr']],
  ['list_for_each', ['expr', 'expr']], ['list_for_each_prev', ['expr', 'expr']], ['list_for_each_safe', ['expr', 'expr', 'expr']],
  ['list_for_each_entry', ['expr', 'expr', 'member']], ['list_for_each_entry_reverse', ['expr', 'expr', 'member']],
  ['list_for_each_entry_safe', ['expr', 'expr', 'expr', 'member']],
]);

/** One argument as read: an expression, a type name, or a member name with its range. */
export type MacroArg = { expr: Expr } | { type: TypeRef } | { member: string; range: Range };

/** Builds the nodes of one expansion; every node spans the macro call. */
class Build {
  constructor(readonly r: Range) {}
  id(name: string): Expr { return { kind: 'Ident', name, range: this.r }; }
  arrow(o: Expr, name: string): Expr { return { kind: 'Member', object: o, name, nameRange: this.r, arrow: true, range: this.r }; }
  /** pos->member, the member name where it was written (so an unknown member is shown there). */
  arrowTo(o: Expr, m: { member: string; range: Range }): Expr { return { kind: 'Member', object: o, name: m.member, nameRange: m.range, arrow: true, range: this.r }; }
  dot(o: Expr, name: string): Expr { return { kind: 'Member', object: o, name, nameRange: this.r, arrow: false, range: this.r }; }
  addr(o: Expr): Expr { return { kind: 'Unary', op: '&', operand: o, range: this.r }; }
  assign(t: Expr, v: Expr): Expr { return { kind: 'Assign', op: '=', target: t, value: v, range: this.r }; }
  ne(a: Expr, b: Expr): Expr { return { kind: 'Binary', op: '!=', left: a, right: b, range: this.r }; }
  eq(a: Expr, b: Expr): Expr { return { kind: 'Binary', op: '==', left: a, right: b, range: this.r }; }
  comma(a: Expr, b: Expr): Expr { return { kind: 'Comma', left: a, right: b, range: this.r }; }
  /** container_of(ptr, type, member); `type` is a type name, or an expression whose type it is (typeof). */
  containerOf(ptr: Expr, type: TypeRef | Expr, m: { member: string; range: Range }): Expr {
    const carrier: Expr = 'kind' in type && type.kind !== 'Type'
      ? { kind: 'Sizeof', operand: type as Expr, range: this.r }
      : { kind: 'Sizeof', type: type as TypeRef, range: this.r };
    const call: Expr = { kind: 'Call', callee: this.id('container_of'), args: [ptr, carrier, { kind: 'String', value: m.member, range: m.range }], range: this.r };
    if ('kind' in type && type.kind === 'Type') return { kind: 'Cast', type: { ...type, pointer: type.pointer + 1 }, operand: call, range: this.r };
    return call;
  }
  /** typeof(*pos) for the entry macros: `*pos`, whose type sizeof reads without evaluating it. */
  deref(pos: Expr): Expr { return { kind: 'Unary', op: '*', operand: pos, range: this.r }; }
  nextEntry(pos: Expr, m: { member: string; range: Range }, dir: 'next' | 'prev' = 'next'): Expr {
    return this.containerOf(this.dot(this.arrowTo(pos, m), dir), this.deref(pos), m);
  }
}

function exprOf(a: MacroArg | undefined, r: Range): Expr {
  return a && 'expr' in a ? a.expr : { kind: 'ErrorExpr', range: r };
}

function memberOf(a: MacroArg | undefined, r: Range): { member: string; range: Range } {
  return a && 'member' in a ? a : { member: '', range: r };
}

/** The expression a list.h expression macro expands to. */
export function listExpr(name: string, args: MacroArg[], r: Range): Expr {
  const b = new Build(r);
  const e0 = exprOf(args[0], r);
  const type = args[1] && 'type' in args[1] ? args[1].type : null;
  const last = memberOf(args[args.length - 1], r);
  switch (name) {
    case 'offsetof': {
      const t = args[0] && 'type' in args[0] ? args[0].type : null;
      if (!t) return { kind: 'ErrorExpr', range: r };
      return { kind: 'Call', callee: b.id('offsetof'), args: [{ kind: 'Sizeof', type: t, range: r }, { kind: 'String', value: last.member, range: last.range }], range: r };
    }
    case 'list_entry': case 'container_of': return type ? b.containerOf(e0, type, last) : e0;
    case 'list_first_entry': return type ? b.containerOf(b.arrow(e0, 'next'), type, last) : e0;
    case 'list_last_entry': return type ? b.containerOf(b.arrow(e0, 'prev'), type, last) : e0;
    case 'list_first_entry_or_null': {
      if (!type) return e0;
      const empty: Expr = { kind: 'Call', callee: b.id('list_empty'), args: [e0], range: r };
      const zero: Expr = { kind: 'Number', value: 0, text: '0', range: r };
      return { kind: 'Conditional', test: empty, consequent: { kind: 'Cast', type: { ...type, pointer: type.pointer + 1 }, operand: zero, range: r }, alternate: b.containerOf(b.arrow(e0, 'next'), type, last), range: r };
    }
    case 'list_next_entry': return b.nextEntry(e0, last);
    case 'list_prev_entry': return b.nextEntry(e0, last, 'prev');
    case 'list_entry_is_head': return b.eq(b.addr(b.arrowTo(e0, last)), exprOf(args[1], r));
    // next_task(p): list_entry_rcu((p)->tasks.next, struct task_struct, tasks)
    case 'next_task': return b.containerOf(b.dot(b.arrow(e0, 'tasks'), 'next'), b.deref(e0), { member: 'tasks', range: r });
    // x86-64 6.x: thread_info is task_struct's first member, so this is (struct thread_info *)current.
    case 'current_thread_info': return b.addr(b.arrow(b.id('current'), 'thread_info'));
    default: return e0;
  }
}

/** The `for` statement a list.h or sched/signal.h loop macro expands to, around `body`. */
export function listLoop(name: string, args: MacroArg[], body: Stmt, r: Range): Stmt {
  const b = new Build(r);
  const e = (i: number): Expr => exprOf(args[i], r);
  const m = memberOf(args[args.length - 1], r);
  const loop = (init: Expr, test: Expr | undefined, update: Expr | undefined): Stmt => {
    const s: Stmt = { kind: 'For', init: { kind: 'ExprStmt', expr: init, range: r }, body, range: { start: r.start, end: body.range.end } };
    if (test) s.test = test;
    if (update) s.update = update;
    return s;
  };
  switch (name) {
    case 'for_each_process': {
      // for (p = &init_task; (p = next_task(p)) != &init_task; )
      const p = e(0);
      return loop(b.assign(p, b.addr(b.id('init_task'))), b.ne(b.assign(p, listExpr('next_task', [{ expr: p }], r)), b.addr(b.id('init_task'))), undefined);
    }
    case 'for_each_thread': {
      // list_for_each_entry_rcu(t, &(p)->signal->thread_head, thread_node)
      const head = b.addr(b.arrow(b.arrow(e(0), 'signal'), 'thread_head'));
      return listLoop('list_for_each_entry', [{ expr: e(1) }, { expr: head }, { member: 'thread_node', range: r }], body, r);
    }
    case 'list_for_each': case 'list_for_each_prev': {
      const dir = name === 'list_for_each' ? 'next' : 'prev';
      const pos = e(0), head = e(1);
      return loop(b.assign(pos, b.arrow(head, dir)), b.ne(pos, head), b.assign(pos, b.arrow(pos, dir)));
    }
    case 'list_for_each_safe': {
      const pos = e(0), n = e(1), head = e(2);
      return loop(b.comma(b.assign(pos, b.arrow(head, 'next')), b.assign(n, b.arrow(pos, 'next'))), b.ne(pos, head),
        b.comma(b.assign(pos, n), b.assign(n, b.arrow(pos, 'next'))));
    }
    case 'list_for_each_entry': case 'list_for_each_entry_reverse': {
      const dir = name === 'list_for_each_entry' ? 'next' : 'prev';
      const pos = e(0), head = e(1);
      return loop(b.assign(pos, b.containerOf(b.arrow(head, dir), b.deref(pos), m)),
        b.ne(b.addr(b.arrowTo(pos, m)), head), b.assign(pos, b.nextEntry(pos, m, dir)));
    }
    case 'list_for_each_entry_safe': {
      const pos = e(0), n = e(1), head = e(2);
      return loop(b.comma(b.assign(pos, b.containerOf(b.arrow(head, 'next'), b.deref(pos), m)), b.assign(n, b.nextEntry(pos, m))),
        b.ne(b.addr(b.arrowTo(pos, m)), head), b.comma(b.assign(pos, n), b.assign(n, b.nextEntry(n, m))));
    }
    default: return body;
  }
}
