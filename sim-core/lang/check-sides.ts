// Decides which scenario functions run in user space and which in the kernel, from the entry points
// and from every function a function calls or hands over (pthread_create, kthread_run, handlers).
import type { Diagnostic, Program, Range } from './ast';

export interface SideUse {
  /** Builtin call or constant name. */
  name: string;
  range: Range;
  side: 'user' | 'kernel';
  what: 'call' | 'constant';
}

export interface FunctionFacts {
  /** Scenario functions called or referenced by this one. */
  refs: Set<string>;
  /** Builtins with a fixed side that this function uses. */
  uses: SideUse[];
}

/** Breadth-first reach from the roots; the map holds, for each reached function, the root it came from. */
function reach(roots: string[], facts: ReadonlyMap<string, FunctionFacts>): Map<string, string> {
  const from = new Map<string, string>();
  const queue: string[] = [];
  for (const r of roots) if (facts.has(r) && !from.has(r)) { from.set(r, r); queue.push(r); }
  // An index walks the queue: shift() would move the whole array once per function.
  for (let head = 0; head < queue.length; head++) {
    const f = queue[head];
    for (const g of facts.get(f)?.refs ?? []) {
      if (facts.has(g) && !from.has(g)) { from.set(g, from.get(f) as string); queue.push(g); }
    }
  }
  return from;
}

export interface Roots {
  user: string[];
  kernel: string[];
}

export function findRoots(program: Program): Roots {
  const user: string[] = [];
  const kernel: string[] = [];
  for (const it of program.items) {
    if (it.kind === 'Function' && it.name === 'main' && it.body) user.push('main');
    if (it.kind === 'MacroDecl' && (it.name === 'module_init' || it.name === 'module_exit')) {
      const a = it.args[0];
      if (a?.kind === 'Ident') kernel.push(a.name);
    }
  }
  for (const d of program.directives) {
    if (d.kind === 'Pragma' && d.key === 'program' && typeof d.args[1]?.value === 'string') user.push(d.args[1].value);
  }
  return { user, kernel };
}

function via(fn: string, root: string | undefined, entry: string): string {
  return root === fn ? `it is ${entry}` : `it is reached from '${root}'`;
}

export function checkSides(roots: Roots, facts: ReadonlyMap<string, FunctionFacts>, out: Diagnostic[]): void {
  const user = reach(roots.user, facts);
  const kernel = reach(roots.kernel, facts);
  // A macro's expansion (for_each_process) makes several uses at one place: one error for it.
  const seen = new Set<string>();
  for (const [fn, f] of facts) {
    for (const u of f.uses) {
      const at = `${fn}:${u.range.start}:${u.range.end}`;
      if (seen.has(at)) continue;
      if ((u.side === 'kernel' && user.has(fn)) || (u.side === 'user' && u.what === 'call' && kernel.has(fn))) seen.add(at);
      if (u.side === 'kernel' && user.has(fn)) {
        out.push({ range: u.range, severity: 'error', code: 'wrong-side',
          message: `'${u.name}' exists only in the kernel, but '${fn}' runs in user space (${via(fn, user.get(fn), 'a user-space entry point')})` });
      } else if (u.side === 'user' && u.what === 'call' && kernel.has(fn)) {
        out.push({ range: u.range, severity: 'error', code: 'wrong-side',
          message: `'${u.name}' is a user-space call, but '${fn}' runs in the kernel (${via(fn, kernel.get(fn), 'a kernel entry point')})` });
      }
    }
  }
}
