// The order in which gcc -O0 on x86-64 evaluates a call's arguments (C leaves it unspecified, but
// gcc's is fixed): right to left, except that an argument which is a plain local variable held in
// a register (one whose address is never taken, passed without a conversion) is read only when the
// call is made, after every other argument. So `f(i++, i)` passes 0 and 1, `f(g++, g)` with g a
// global passes 0 and 0, and `printf("%d %d", rand(), rand())` prints the second number first.
import type { Expr, Stmt } from '../lang/ast';
import { walkExpr, walkStmtExprs } from '../lang/walk';
import type { CType } from './ctypes';

/**
 * How one argument takes part in the order: a constant (no order), a register read at the call
 * ('reg'), an argument with side effects ('eff'), or a read of memory at its place ('read').
 */
export type ArgKind = 'const' | 'reg' | 'eff' | 'read';

/** Names whose address a function takes (`&x`): gcc keeps those in memory, not in registers. */
export function addressTaken(body: Stmt): Set<string> {
  const names = new Set<string>();
  walkStmtExprs(body, (e) => {
    if (e.kind === 'Unary' && e.op === '&' && e.operand.kind === 'Ident') names.add(e.operand.name);
  });
  return names;
}

/** Whether evaluating e can change anything (a call, an assignment, ++ or --). */
export function hasEffects(e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === 'Call' || x.kind === 'Assign' || x.kind === 'Postfix' || (x.kind === 'Unary' && (x.op === '++' || x.op === '--'))) found = true;
  });
  return found;
}

/** Two scalar types between which a conversion is nothing (gcc drops it and keeps the register). */
export function sameRegisterType(a: CType, b: CType): boolean {
  if (a.k === 'ptr' && b.k === 'ptr') return true;
  return a.k === 'int' && b.k === 'int' && a.bytes === b.bytes && a.unsigned === b.unsigned && a.bytes >= 4;
}

/**
 * Whether evaluating the arguments left to right gives what gcc's order gives: it does unless an
 * argument with side effects should come before another argument that gcc evaluates after it.
 */
export function leftToRightIsExact(kinds: readonly ArgKind[]): boolean {
  for (let a = 0; a < kinds.length; a++) {
    for (let b = a + 1; b < kinds.length; b++) {
      const ka = kinds[a], kb = kinds[b];
      const evalA = ka === 'eff' || ka === 'read', evalB = kb === 'eff' || kb === 'read';
      // gcc: b before a when both are evaluated in place, or when a is a register read.
      if (evalA && evalB && (ka === 'eff' || kb === 'eff')) return false;
      if (ka === 'reg' && kb === 'eff') return false;
    }
  }
  return true;
}
