// The debugger's one C expression evaluator: breakpoint conditions, logpoints, watches, hovers,
// the Variables pane's pointers and the debug console all read through it. It reads (never
// writes) kernel objects, frame locals, kernel globals and the catalog's constants, and follows
// list_heads with container_of the way the kernel's gdb helpers do.
import type { Expr } from '../lang/ast';
import { addInt, bits, bnot, divmod, Kind, mul, neg, norm, shift, subInt } from '../vm/int64';
import { literalValue } from '../vm/fold';
import { lookupConstant } from '../lang/builtins';
import { parse } from '../lang/parser';
import { ListHead, list_first_entry } from '../kernel/list';
import type { Kernel } from '../kernel/kernel';
import type { task_struct } from '../kernel/task';
import { NSEC_PER_JIFFY } from '../kernel/sched';
import { readExpression, type Image, type ReadResult, type UserMemory, type UserRegs, type VmHost } from '../vm';
import { pointerText } from './decode';
import { CFloat, floatText } from './cfloat';

/** A value while evaluating: numbers, strings, kernel objects, NULL. */
export type Raw = number | bigint | string | object | null;

export interface EvalScope {
  k: Kernel;
  current: task_struct | null;
  /** A local of the selected frame, or undefined when there is none of that name. */
  local(name: string): Raw | undefined;
}

const PREFIX = 'void __kproc_eval(void) { ';
const cache = new Map<string, Expr | string>();

/** Parses an expression once; later evaluations of the same text reuse the tree. */
export function parseExpression(text: string): Expr | string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const parsed = parse(`${PREFIX}${text}\n; }`);
  const err = parsed.diagnostics.find((d) => d.severity === 'error');
  let out: Expr | string;
  const fn = parsed.program.items[0];
  const first = fn && fn.kind === 'Function' ? fn.body?.body[0] : undefined;
  if (err) out = err.message;
  else if (!first || first.kind !== 'ExprStmt' || (fn.kind === 'Function' && (fn.body?.body.length ?? 0) > 2)) out = 'expected one expression';
  else out = first.expr;
  if (cache.size > 1000) cache.clear();
  cache.set(text, out);
  return out;
}

export class EvalError extends Error {}

function isRecord(v: Raw): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function toNumber(v: Raw, what: string): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v === null) return 0;
  if (typeof v === 'object') {
    const a = (v as { addr?: unknown }).addr;
    if (typeof a === 'number') return a;
    return 1;
  }
  throw new EvalError(`${what}: a string is not a number`);
}

function truthy(v: Raw): boolean {
  if (v === null) return false;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof CFloat) return v.value !== 0; // NaN is true, as in C
  return true;
}

function equal(a: Raw, b: Raw): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (isRecord(a) || isRecord(b)) {
    if (a === b) return true;
    if (a === null || b === null || a === 0 || b === 0) return false;
    return toNumber(a, '==') === toNumber(b, '==');
  }
  return a === b;
}

function field(obj: Raw, name: string): Raw {
  if (obj === null || obj === 0) throw new EvalError(`Cannot access memory at address 0x0 (reading ${name})`);
  if (!isRecord(obj)) throw new EvalError(`Attempt to extract a component of a value that is not a structure ('${name}').`);
  if (obj instanceof ListHead && (name === 'next' || name === 'prev')) return obj[name];
  if (!Object.prototype.hasOwnProperty.call(obj, name)) throw new EvalError(`There is no member named ${name}.`);
  const v = obj[name];
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'object') return v;
  throw new EvalError(`${name} cannot be shown`);
}

const WAIT_MACROS: Record<string, (s: number) => number> = {
  WIFEXITED: (s) => ((s & 0x7f) === 0 ? 1 : 0),
  WEXITSTATUS: (s) => (s >> 8) & 0xff,
  WIFSIGNALED: (s) => (((s & 0x7f) + 1) >> 1 > 0 && (s & 0x7f) !== 0x7f && (s & 0x7f) !== 0 ? 1 : 0),
  WTERMSIG: (s) => s & 0x7f,
  WIFSTOPPED: (s) => ((s & 0xff) === 0x7f ? 1 : 0),
  WSTOPSIG: (s) => (s >> 8) & 0xff,
  WCOREDUMP: (s) => (s & 0x80 ? 1 : 0),
  WIFCONTINUED: (s) => (s === 0xffff ? 1 : 0),
};

function call(e: Extract<Expr, { kind: 'Call' }>, s: EvalScope): Raw {
  if (e.callee.kind !== 'Ident') throw new EvalError('only named functions can be called');
  const name = e.callee.name;
  if (name === 'container_of' || name === 'list_entry') return containerOf(e.args, s);
  const args = e.args.map((a) => value(a, s));
  const n = (i: number): number => Number(toNumber(args[i] ?? 0, name));
  switch (name) {
    case 'find_task_by_vpid': case 'find_task_by_pid_ns': case 'pid_task': return s.k.find_task_by_vpid(n(0));
    case 'task_pid_nr': case 'task_pid_vnr': return (field(args[0] ?? null, 'pid') as number);
    case 'task_tgid_nr': case 'task_tgid_vnr': return (field(args[0] ?? null, 'tgid') as number);
    case 'get_current': return s.current;
    case 'thread_group_leader': { const t = args[0] ?? null; return field(t, 'group_leader') === t ? 1 : 0; }
    case 'list_empty': { const h = args[0]; return h instanceof ListHead ? (h.next === h ? 1 : 0) : 1; }
    case 'list_first_entry_or_null': return args[0] instanceof ListHead ? list_first_entry(args[0]) as Raw : null;
    case 'IS_ERR': return n(0) < 0 && n(0) >= -4095 ? 1 : 0;
    case 'PTR_ERR': return n(0);
    default: break;
  }
  const w = WAIT_MACROS[name];
  if (w) return w(n(0));
  throw new EvalError(`the debugger cannot call '${name}' (it may change state)`);
}

/** The name a type argument spells: `"struct task_struct"`, `struct task_struct` or `task_struct`. */
function typeArg(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === 'String') return e.value.replace(/^\s*struct\s+/, '').trim();
  if (e.kind === 'Ident') return e.name;
  return undefined;
}

/**
 * container_of(ptr, type, member), list_entry(ptr, type, member): the struct a list_head node is
 * embedded in. The type and member may be written as strings, as the gdb helper spells them.
 */
function containerOf(args: readonly Expr[], s: EvalScope): Raw {
  if (args.length !== 3) throw new EvalError('container_of takes three arguments: (ptr, "struct type", "member")');
  const ptr = value(args[0], s);
  const type = typeArg(args[1]);
  if (!type) throw new EvalError('container_of: name the type as a string, for example "struct task_struct"');
  let owner: unknown;
  if (ptr instanceof ListHead) owner = ptr.owner;
  else if (isRecord(ptr) && ptr.type === type) owner = ptr;
  else throw new EvalError('container_of: the pointer is not a list_head');
  if (owner === null) throw new EvalError(`container_of: it is a list head, not an entry embedded in a struct ${type}`);
  const ownerType = isRecord(owner as Raw) ? (owner as { type?: unknown }).type : undefined;
  if (ownerType !== type) throw new EvalError(`container_of: the entry is embedded in a struct ${typeof ownerType === 'string' ? ownerType : '?'}, not ${type}`);
  return owner as Raw;
}

function ident(name: string, s: EvalScope): Raw {
  const l = s.local(name);
  if (l !== undefined) return l;
  const k = s.k;
  switch (name) {
    case 'current': return s.current;
    case 'init_task': return k.init_task;
    case 'nr_threads': return k.nr_threads;
    case 'total_forks': return k.total_forks;
    case 'pid_max': return k.pid_max;
    case 'last_pid': return k.last_pid;
    case 'jiffies': return Math.floor(k.clock / NSEC_PER_JIFFY);
    case 'kthreadd_task': return k.kthreadd_task;
    default: break;
  }
  const c = lookupConstant(name);
  if (c && (typeof c.value === 'number' || typeof c.value === 'bigint')) return c.value;
  // gdb-style shorthand: a field of the stopped task (`pid == 4`, `comm`).
  if (s.current && Object.prototype.hasOwnProperty.call(s.current, name)) return field(s.current, name);
  throw new EvalError(`No symbol "${name}" in current context.`);
}

function binary(op: string, a: Raw, b: Raw): Raw {
  switch (op) {
    case '==': return equal(a, b) ? 1 : 0;
    case '!=': return equal(a, b) ? 0 : 1;
    default: break;
  }
  // As C computes in long on x86-64: exact, wrapping at 64 bits; a shift count outside 0..63
  // (undefined in C) is refused rather than masked.
  const x = toNumber(a, op), y = toNumber(b, op);
  if (op === '<<' || op === '>>') checkShiftCount(y);
  switch (op) {
    case '+': return addInt(x, y);
    case '-': return subInt(x, y);
    case '*': return mul(Kind.LONG, x, y);
    case '/': case '%': {
      const q = divmod(op === '/', Kind.LONG, x, y);
      if (typeof q === 'string') throw new EvalError(y === 0 ? 'Division by zero' : 'Integer overflow in division');
      return q;
    }
    case '<<': case '>>': return shift(op === '<<', Kind.LONG, x, y);
    case '&': return bits(0, x, y);
    case '|': return bits(1, x, y);
    case '^': return bits(2, x, y);
    case '<': return x < y ? 1 : 0;
    case '>': return x > y ? 1 : 0;
    case '<=': return x <= y ? 1 : 0;
    case '>=': return x >= y ? 1 : 0;
    default: throw new EvalError(`operator ${op} is not supported`);
  }
}

export function value(e: Expr, s: EvalScope): Raw {
  switch (e.kind) {
    case 'Number': { const v = literalValue(e.text); return v === null ? e.value : norm(v); }
    case 'Char': return e.value;
    case 'String': return e.value;
    case 'Ident': return ident(e.name, s);
    case 'Member': return field(value(e.object, s), e.name);
    case 'Index': {
      const o = value(e.object, s);
      const i = Number(toNumber(value(e.index, s), '[]'));
      if (Array.isArray(o)) { const v = o[i] as unknown; return v === undefined ? null : (v as Raw); }
      if (typeof o === 'string') return o.charCodeAt(i) || 0;
      throw new EvalError('cannot subscript something that is not an array');
    }
    case 'Call': return call(e, s);
    case 'Cast': return value(e.operand, s);
    case 'Unary': {
      const v = value(e.operand, s);
      switch (e.op) {
        case '-': return neg(toNumber(v, '-'));
        case '+': return toNumber(v, '+');
        case '!': return truthy(v) ? 0 : 1;
        case '~': return bnot(toNumber(v, '~'));
        case '&': case '*': return v;
        default: throw new EvalError('the debugger does not evaluate increments and decrements');
      }
    }
    case 'Binary': {
      if (e.op === '&&') return truthy(value(e.left, s)) && truthy(value(e.right, s)) ? 1 : 0;
      if (e.op === '||') return truthy(value(e.left, s)) || truthy(value(e.right, s)) ? 1 : 0;
      return binary(e.op, value(e.left, s), value(e.right, s));
    }
    case 'Conditional': return truthy(value(e.test, s)) ? value(e.consequent, s) : value(e.alternate, s);
    case 'Comma': value(e.left, s); return value(e.right, s);
    case 'Sizeof': throw new EvalError('sizeof is not supported by the debugger');
    case 'Assign': case 'Postfix': throw new EvalError('the debugger does not evaluate assignments');
    default: throw new EvalError('this expression cannot be evaluated');
  }
}

/** Calls that read the scenario's memory or decode values, evaluated in its frames. */
const USER_READ_CALLS: ReadonlySet<string> = new Set([
  'WIFEXITED', 'WEXITSTATUS', 'WIFSIGNALED', 'WTERMSIG', 'WCOREDUMP', 'WIFSTOPPED', 'WSTOPSIG', 'WIFCONTINUED',
  'strcmp', 'strncmp', 'strlen', 'atoi', 'atol', 'abs', 'labs', 'strerror', 'sigismember', 'IS_ERR', 'PTR_ERR', 'msecs_to_jiffies',
]);

/** Calls that read kernel objects (see call() above). */
const KERNEL_READ_CALLS: ReadonlySet<string> = new Set([
  'find_task_by_vpid', 'find_task_by_pid_ns', 'pid_task', 'task_pid_nr', 'task_pid_vnr', 'task_tgid_nr', 'task_tgid_vnr',
  'get_current', 'thread_group_leader', 'list_empty', 'list_first_entry_or_null', 'container_of', 'list_entry',
]);

/**
 * Why the debugger refuses to evaluate `e` (it would change state, or it needs the kernel when
 * there is none), or null. One rule for every frame: nothing the debugger evaluates writes.
 */
export function sideEffect(e: Expr, withKernel: boolean): string | null {
  switch (e.kind) {
    case 'Assign': return 'assignments';
    case 'Postfix': return 'increments and decrements';
    case 'Unary': return e.op === '++' || e.op === '--' ? 'increments and decrements' : sideEffect(e.operand, withKernel);
    case 'Call': {
      const name = e.callee.kind === 'Ident' ? e.callee.name : '';
      const ok = USER_READ_CALLS.has(name) || (withKernel && KERNEL_READ_CALLS.has(name));
      if (!ok) return withKernel ? `calls that may change state ('${name || 'a function pointer'}')` : 'calls that change state or need the kernel';
      for (const a of e.args) { const r = sideEffect(a, withKernel); if (r) return r; }
      return null;
    }
    case 'Binary': case 'Comma': return sideEffect(e.left, withKernel) ?? sideEffect(e.right, withKernel);
    case 'Conditional': return sideEffect(e.test, withKernel) ?? sideEffect(e.consequent, withKernel) ?? sideEffect(e.alternate, withKernel);
    case 'Member': return sideEffect(e.object, withKernel);
    case 'Index': return sideEffect(e.object, withKernel) ?? sideEffect(e.index, withKernel);
    case 'Cast': return sideEffect(e.operand, withKernel);
    case 'Ident': return !withKernel && (e.name === 'current' || e.name === 'jiffies') ? `'${e.name}' (it needs the kernel)` : null;
    default: return null;
  }
}

/**
 * A shift count C leaves undefined (negative, or at least the 64 bits of the widest operand) is
 * refused rather than computed: as a big integer, `1 << 1000000000` would take a second and 100 MB.
 */
function checkShiftCount(n: number | bigint): void {
  if (n < 0) throw new EvalError(`shift count is negative (${n})`);
  if (n >= 64) throw new EvalError(`shift count too large (${n} >= 64, the width of the operand)`);
}

/** Constant shift counts in the tree, checked before anything is evaluated or compiled. */
function checkShifts(e: unknown): void {
  if (typeof e !== 'object' || e === null) return;
  const n = e as { kind?: unknown; op?: unknown; right?: unknown };
  if (n.kind === 'Binary' && (n.op === '<<' || n.op === '>>')) {
    const r = n.right as Expr;
    if (r.kind === 'Number') checkShiftCount(r.value);
    else if (r.kind === 'Unary' && r.op === '-' && r.operand.kind === 'Number') checkShiftCount(-r.operand.value);
  }
  for (const v of Object.values(e)) if (typeof v === 'object') checkShifts(v);
}

/** Parses and checks an expression: the tree, or an EvalError saying what is wrong with it. */
export function checkedExpression(text: string, withKernel: boolean): Expr {
  // A breakpoint condition is read at every hit: parse and check each text once.
  const key = `${withKernel ? 'k' : 'u'}${text}`;
  let known = CHECKED.get(key);
  if (known === undefined) {
    known = parseChecked(text, withKernel);
    if (CHECKED.size >= CHECKED_MAX) CHECKED.clear();
    CHECKED.set(key, known);
  }
  if (typeof known === 'string') throw new EvalError(known);
  return known;
}

/** Parsed and checked expressions by text (an error message for a refused one). */
const CHECKED = new Map<string, Expr | string>();
const CHECKED_MAX = 256;

function parseChecked(text: string, withKernel: boolean): Expr | string {
  const e = parseExpression(rewriteHelpers(text));
  if (typeof e === 'string') return e;
  const effect = sideEffect(e, withKernel);
  if (effect) return `the debugger does not evaluate ${effect}`;
  try {
    checkShifts(e);
  } catch (err) {
    if (err instanceof EvalError) return err.message;
    throw err;
  }
  return e;
}

/**
 * Evaluates an expression over a scenario thread's frame `frame` alone (no kernel): its typed
 * locals, globals and #defines, read through the scenario's compiler. Never throws.
 */
export function evaluateUser(image: Image, regs: UserRegs, mem: UserMemory, host: VmHost | null, text: string, frame = 0): ReadResult {
  let e: Expr;
  try {
    e = checkedExpression(text, false);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  return readExpression(image, regs, mem, host, e, frame);
}

/** gdb's convenience functions, spelled as the C evaluator reads them. */
export function rewriteHelpers(expr: string): string {
  return expr
    .replace(/\$lx_current\s*\(\s*\)/g, 'current')
    .replace(/\$lx_task_by_pid\s*\(/g, 'find_task_by_vpid(')
    .replace(/\$container_of\s*\(/g, 'container_of(');
}

/** Evaluates `text` over kernel objects and a kernel frame's locals; throws an EvalError with a readable message. */
export function evaluateRaw(text: string, s: EvalScope): Raw {
  return value(checkedExpression(text, true), s);
}

export function truthyValue(v: Raw): boolean {
  return truthy(v);
}

/** How the console prints a value: numbers, quoted strings, typed pointers. */
export function formatRaw(v: Raw): string {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof CFloat) return floatText(v.value, v.type);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'NULL';
  const rec = v as { type?: unknown; addr?: unknown; pid?: unknown; comm?: unknown };
  if (rec.type === 'task_struct') return `${pointerText('task_struct', typeof rec.addr === 'number' ? rec.addr : null)} (pid ${String(rec.pid)}, "${String(rec.comm)}")`;
  if (v instanceof ListHead) return '(struct list_head)';
  const type = typeof rec.type === 'string' ? rec.type : Array.isArray(v) ? 'array' : 'struct';
  return typeof rec.addr === 'number' ? pointerText(type, rec.addr) : `(${type})`;
}

/** The C type of a value, as the console reports it. */
export function typeOfRaw(v: Raw): string {
  if (typeof v === 'number') return 'int';
  if (typeof v === 'bigint') return 'long';
  if (v instanceof CFloat) return v.type;
  if (typeof v === 'string') return 'char *';
  if (v === null) return 'void *';
  if (v instanceof ListHead) return 'struct list_head';
  const type = (v as { type?: unknown }).type;
  return typeof type === 'string' ? `struct ${type} *` : 'struct';
}
