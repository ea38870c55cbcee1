// What the checker tells about values without a full type system: whether an operand is a pointer
// or an integer (C refuses `"abc" - 1 & 1`), shift counts past the width, printf widths that write
// gigabytes, and how deep a #define's expansion goes.
import type { BinaryOp, Expr } from './ast';
import { walkExpr } from './walk';

/** What the checker knows of a value: a pointer, an integer, a double or float, or not known here. */
export type Cls = 'ptr' | 'int' | 'float' | '?';

/**
 * #defines one use may expand through (`A1` defined as `A2`, `A2` as `A3`...). The compiler expands
 * a use by walking each body in turn, so the chain is bounded as the parser bounds nesting.
 */
export const MAX_MACRO_DEPTH = 200;

/** Whether a type name (typedefs resolved) is one of the floating types. */
export function isFloatingName(name: string): boolean {
  return name === 'double' || name === 'float';
}

/** The format argument of the printf family. */
export const FORMAT_ARG: ReadonlyMap<string, number> = new Map([
  ['printf', 0], ['fprintf', 1], ['dprintf', 1], ['sprintf', 1], ['snprintf', 2], ['printk', 0], ['pr_info', 0], ['pr_err', 0],
]);

/** Widths above this (1 MB of output per conversion) are warned about. */
const MAX_FORMAT_WIDTH = 1 << 20;

/**
 * The class of `l op r`, or 'bad' when C refuses an operand there: a pointer in arithmetic other
 * than + and -, a floating value in %, a shift or a bitwise operator, or as a pointer's offset.
 */
export function binaryClass(op: BinaryOp, l: Cls, r: Cls): Cls | 'bad' {
  const float = l === 'float' || r === 'float';
  switch (op) {
    case '*': case '/':
      return l === 'ptr' || r === 'ptr' ? 'bad' : float ? 'float' : l === 'int' && r === 'int' ? 'int' : '?';
    case '%': case '&': case '|': case '^': case '<<': case '>>':
      return l === 'ptr' || r === 'ptr' || float ? 'bad' : 'int';
    case '+':
      if (l === 'ptr' && r === 'ptr') return 'bad';
      if (l === 'ptr' || r === 'ptr') return float ? 'bad' : 'ptr';
      return float ? 'float' : l === 'int' && r === 'int' ? 'int' : '?';
    case '-':
      if (l === 'ptr') return r === 'ptr' ? 'int' : r === 'float' ? 'bad' : 'ptr';
      if (r === 'ptr') return 'bad';
      return float ? 'float' : l === 'int' && r === 'int' ? 'int' : '?';
    default: return 'int';
  }
}

export function badOperandsMessage(op: BinaryOp, l: Cls, r: Cls): string {
  const what = (c: Cls): string => (c === 'ptr' ? 'a pointer' : c === 'float' ? 'a floating value' : 'an integer');
  return `invalid operands to binary ${op} (${what(l)} and ${what(r)})`;
}

/** gcc's -Wshift-count-negative and -Wshift-count-overflow for a shift by the constant n. */
export function shiftCountWarning(e: Extract<Expr, { kind: 'Binary' }>, n: number): string | undefined {
  const dir = e.op === '<<' ? 'left' : 'right';
  // An integer constant on the left without an L suffix is an int: 32 bits wide.
  const width = e.left.kind === 'Number' && !/l/i.test(e.left.text) && e.left.value <= 0x7fffffff ? 32 : 64;
  if (n < 0) return `${dir} shift count is negative`;
  if (n >= width) return `${dir} shift count >= width of type (${width} bits): the result is undefined`;
  return undefined;
}

/** A field width or precision so large that one conversion writes megabytes (`%2000000000d`). */
export function formatWidthWarning(format: string): string | undefined {
  if (!/\d{7}/.test(format)) return undefined;
  for (const m of format.matchAll(/%[-+ #0]*(\d*)(?:\.(\d*))?[hlLqjzt]*[a-zA-Z%]?/g)) {
    const n = Math.max(Number(m[1] || 0), Number(m[2] || 0));
    if (n <= MAX_FORMAT_WIDTH) continue;
    return `field width or precision ${m[1] || m[2]} in '${m[0]}' writes that many characters for one conversion${n > 0x7fffffff ? ' (more than INT_MAX: printf fails with EOVERFLOW)' : ''}`;
  }
  return undefined;
}

/**
 * gcc's -Wformat for what the checker knows of each argument: a floating conversion given an
 * integer, or an integer conversion given a double. On x86-64 a double travels in an SSE
 * register and an integer in a general one, so printf then reads some other value than the one
 * passed. `first` is the 1-based position of args[0] among the call's arguments.
 */
export function formatTypeWarnings(format: string, args: readonly Cls[], first: number): Array<{ arg: number; message: string }> {
  const out: Array<{ arg: number; message: string }> = [];
  let i = 0;
  for (const m of format.matchAll(/%([-+ #0]*)(\*|\d*)(?:\.(\*|\d*))?(hh|h|ll|l|L|q|j|z|t)?([a-zA-Z%])/g)) {
    if (m[5] === '%') continue;
    if (m[2] === '*') i++;
    if (m[3] === '*') i++;
    const c = args[i], conv = m[5];
    const floating = 'fFeEgGaA'.includes(conv), integer = 'diouxXc'.includes(conv);
    if (c === 'int' && floating) out.push({ arg: first + i, message: `format '${m[0]}' expects argument of type 'double', but argument ${first + i} has type 'int'` });
    if (c === 'float' && integer) out.push({ arg: first + i, message: `format '${m[0]}' expects an integer argument, but argument ${first + i} has type 'double'` });
    i++;
  }
  return out;
}

/**
 * Expansion depth of a macro (capped at MAX_MACRO_DEPTH + 1), computed without recursion since
 * chains can be thousands long; memo keeps every macro's depth for the next use.
 */
export function macroDepth(defines: ReadonlyMap<string, Expr | undefined>, memo: Map<string, number>, name: string): number {
  const known = memo.get(name);
  if (known !== undefined) return known;
  const refs = (n: string): string[] => {
    const out: string[] = [];
    const body = defines.get(n);
    if (body) walkExpr(body, (e) => { if (e.kind === 'Ident' && defines.has(e.name)) out.push(e.name); });
    return out;
  };
  const stack: Array<{ name: string; refs: string[]; next: number; deepest: number }> = [];
  const open = new Set<string>();
  const push = (n: string): void => { stack.push({ name: n, refs: refs(n), next: 0, deepest: 0 }); open.add(n); };
  push(name);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.refs.length) {
      const r = top.refs[top.next++];
      const d = memo.get(r);
      // A macro is not expanded inside its own expansion: a cycle adds nothing.
      if (d !== undefined) top.deepest = Math.max(top.deepest, d);
      else if (!open.has(r)) push(r);
      continue;
    }
    stack.pop();
    open.delete(top.name);
    const d = Math.min(top.deepest + 1, MAX_MACRO_DEPTH + 1);
    memo.set(top.name, d);
    if (stack.length > 0) stack[stack.length - 1].deepest = Math.max(stack[stack.length - 1].deepest, d);
  }
  return memo.get(name) ?? 1;
}
