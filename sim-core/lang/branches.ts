// Finds the child's side of a fork or vfork: the statements that run where the call returned 0
// (`if (pid == 0)`, `if (!pid)`, the else of `if (pid > 0)`, `case 0:` of `switch (pid)`).
import type { Expr, FunctionDef, Range, Stmt } from './ast';
import { calleeName, childStmts } from './walk';

export interface ChildBranch {
  /** 'fork' or 'vfork'. */
  creator: string;
  /** The creating call. */
  call: Range;
  /** The statements the child runs, in order. */
  body: Stmt[];
  /** The branch statement (for ranges in messages). */
  range: Range;
}

function isZero(e: Expr): boolean {
  return e.kind === 'Number' && e.value === 0;
}

/** What a test says about `x` (a variable name, or the creating call itself written inline). */
function childSide(test: Expr, isHandle: (e: Expr) => boolean): 'then' | 'else' | undefined {
  if (test.kind === 'Unary' && test.op === '!' && isHandle(test.operand)) return 'then';
  if (isHandle(test)) return 'else';
  if (test.kind !== 'Binary') return undefined;
  const [h, z] = isHandle(test.left) ? [test.left, test.right] : isHandle(test.right) ? [test.right, test.left] : [undefined, undefined];
  if (!h || !z || !isZero(z)) return undefined;
  if (test.op === '==') return 'then';
  if (test.op === '!=') return 'else';
  // `pid > 0` (or `0 < pid`) is the parent; its else holds the child and the error case.
  if ((test.op === '>' && h === test.left) || (test.op === '<' && h === test.right)) return 'else';
  return undefined;
}

/** Statements of a switch body from `case 0:` to the next case label or break. */
function caseZero(body: Stmt): Stmt[] | undefined {
  if (body.kind !== 'Block') return undefined;
  const i = body.body.findIndex((s) => s.kind === 'Case' && isZero(s.value));
  if (i < 0) return undefined;
  const out: Stmt[] = [];
  for (const s of body.body.slice(i + 1)) {
    if (s.kind === 'Case' || s.kind === 'Default' || s.kind === 'Break') break;
    out.push(s);
  }
  return out;
}

function asList(s: Stmt): Stmt[] {
  return s.kind === 'Block' ? s.body : [s];
}

const CREATORS: ReadonlySet<string> = new Set(['fork', 'vfork']);

/** Every child branch of a function, for handles assigned from fork/vfork and for inline calls. */
export function childBranches(fn: FunctionDef): ChildBranch[] {
  const out: ChildBranch[] = [];
  /** Latest creating call assigned to each variable, in source order. */
  const handles = new Map<string, { creator: string; call: Range }>();
  const creatorOf = (e: Expr): { creator: string; call: Range } | undefined => {
    let x = e;
    if (x.kind === 'Assign' && x.op === '=') x = x.value;
    const n = calleeName(x);
    return n && CREATORS.has(n) ? { creator: n, call: x.range } : undefined;
  };
  const visit = (s: Stmt): void => {
    if (s.kind === 'VarDecl') {
      for (const d of s.declarators) { const c = d.init && creatorOf(d.init); if (c) handles.set(d.name, c); }
    } else if (s.kind === 'ExprStmt' && s.expr.kind === 'Assign' && s.expr.target.kind === 'Ident') {
      const c = creatorOf(s.expr.value);
      if (c) handles.set(s.expr.target.name, c);
    }
    if (s.kind === 'If' || s.kind === 'Switch') {
      let found: { creator: string; call: Range } | undefined;
      const isHandle = (e: Expr): boolean => {
        const inline = creatorOf(e);
        if (inline) { found = inline; return true; }
        if (e.kind === 'Ident' && handles.has(e.name)) { found = handles.get(e.name); return true; }
        return false;
      };
      if (s.kind === 'If') {
        const side = childSide(s.test, isHandle);
        const branch = side === 'then' ? s.consequent : side === 'else' ? s.alternate : undefined;
        if (found && branch) out.push({ creator: found.creator, call: found.call, body: asList(branch), range: branch.range });
      } else if (isHandle(s.test) && found) {
        const body = caseZero(s.body);
        if (body) out.push({ creator: found.creator, call: found.call, body, range: s.body.range });
      }
    }
    for (const c of childStmts(s)) visit(c);
  };
  if (fn.body) visit(fn.body);
  return out;
}
