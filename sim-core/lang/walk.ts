// Generic traversal of the scenario syntax tree: every expression and statement below a node, in
// source order, so features do not each repeat the shape of the AST.
import type { Expr, Stmt } from './ast';

/** Calls `visit` on e and every expression inside it, parents first. Recursion is bounded by the
 * parser's nesting limit; no arrays are built, since this runs over every node on every keystroke. */
export function walkExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.kind) {
    case 'Unary': case 'Postfix': case 'Cast': walkExpr(e.operand, visit); return;
    case 'Binary': case 'Comma': walkExpr(e.left, visit); walkExpr(e.right, visit); return;
    case 'Assign': walkExpr(e.target, visit); walkExpr(e.value, visit); return;
    case 'Conditional': walkExpr(e.test, visit); walkExpr(e.consequent, visit); walkExpr(e.alternate, visit); return;
    case 'Call': walkExpr(e.callee, visit); for (const a of e.args) walkExpr(a, visit); return;
    case 'Member': walkExpr(e.object, visit); return;
    case 'Index': walkExpr(e.object, visit); walkExpr(e.index, visit); return;
    case 'Sizeof': if (e.operand) walkExpr(e.operand, visit); return;
    case 'InitList':
      e.items.forEach((x, i) => { const at = e.indices?.[i]; if (at) walkExpr(at, visit); walkExpr(x, visit); });
      return;
    default: return;
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

/** Every expression under a statement, sub-statements included. */
export function walkStmtExprs(s: Stmt, visit: (e: Expr) => void): void {
  switch (s.kind) {
    case 'Block': for (const x of s.body) walkStmtExprs(x, visit); return;
    case 'ExprStmt': walkExpr(s.expr, visit); return;
    case 'VarDecl':
      for (const d of s.declarators) {
        if (d.arraySize) walkExpr(d.arraySize, visit);
        if (d.init) walkExpr(d.init, visit);
      }
      return;
    case 'If':
      walkExpr(s.test, visit); walkStmtExprs(s.consequent, visit);
      if (s.alternate) walkStmtExprs(s.alternate, visit);
      return;
    case 'While': case 'Switch': walkExpr(s.test, visit); walkStmtExprs(s.body, visit); return;
    case 'DoWhile': walkStmtExprs(s.body, visit); walkExpr(s.test, visit); return;
    case 'For':
      if (s.init) walkStmtExprs(s.init, visit);
      if (s.test) walkExpr(s.test, visit);
      if (s.update) walkExpr(s.update, visit);
      walkStmtExprs(s.body, visit);
      return;
    case 'Case': walkExpr(s.value, visit); return;
    case 'Return': if (s.value) walkExpr(s.value, visit); return;
    default: return;
  }
}

/** Name of a call's callee when it is a plain identifier. */
export function calleeName(e: Expr): string | undefined {
  return e.kind === 'Call' && e.callee.kind === 'Ident' ? e.callee.name : undefined;
}

export function contains(r: { start: number; end: number }, offset: number): boolean {
  return offset >= r.start && offset <= r.end;
}
