// Generic traversal of the scenario syntax tree: every expression and statement below a node, in
// source order, so features do not each repeat the shape of the AST.
import type { Expr, Stmt } from '../../../sim-core/lang';

/** Direct sub-expressions of an expression, in source order. */
export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case 'Unary': case 'Postfix': return [e.operand];
    case 'Binary': return [e.left, e.right];
    case 'Assign': return [e.target, e.value];
    case 'Conditional': return [e.test, e.consequent, e.alternate];
    case 'Call': return [e.callee, ...e.args];
    case 'Member': return [e.object];
    case 'Index': return [e.object, e.index];
    case 'Cast': return [e.operand];
    case 'Sizeof': return e.operand ? [e.operand] : [];
    case 'InitList': return e.items;
    case 'Comma': return [e.left, e.right];
    default: return [];
  }
}

/** Calls `visit` on e and every expression inside it, parents first. */
export function walkExpr(e: Expr, visit: (e: Expr) => void): void {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop() as Expr;
    visit(x);
    const kids = childExprs(x);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** Direct sub-statements of a statement. */
export function childStmts(s: Stmt): Stmt[] {
  switch (s.kind) {
    case 'Block': return s.body;
    case 'If': return s.alternate ? [s.consequent, s.alternate] : [s.consequent];
    case 'While': case 'DoWhile': case 'Switch': return [s.body];
    case 'For': return s.init ? [s.init, s.body] : [s.body];
    default: return [];
  }
}

/** Expressions held directly by a statement (not by its sub-statements). */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.kind) {
    case 'ExprStmt': return [s.expr];
    case 'VarDecl': {
      const out: Expr[] = [];
      for (const d of s.declarators) {
        if (d.arraySize) out.push(d.arraySize);
        if (d.init) out.push(d.init);
      }
      return out;
    }
    case 'If': case 'While': case 'Switch': case 'DoWhile': return [s.test];
    case 'For': return [s.test, s.update].filter((x): x is Expr => x !== undefined);
    case 'Case': return [s.value];
    case 'Return': return s.value ? [s.value] : [];
    default: return [];
  }
}

/** Every expression under a statement, sub-statements included. */
export function walkStmtExprs(s: Stmt, visit: (e: Expr) => void): void {
  for (const e of stmtExprs(s)) walkExpr(e, visit);
  for (const c of childStmts(s)) walkStmtExprs(c, visit);
}

/** Name of a call's callee when it is a plain identifier. */
export function calleeName(e: Expr): string | undefined {
  return e.kind === 'Call' && e.callee.kind === 'Ident' ? e.callee.name : undefined;
}

export function contains(r: { start: number; end: number }, offset: number): boolean {
  return offset >= r.start && offset <= r.end;
}
