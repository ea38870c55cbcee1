// Warnings a teacher would write in the margin, beyond what the checker reports: children nobody
// waits for, waits that cannot find a child, vfork children that do more than exec or _exit, and
// code that runs only when an exec failed.
import type { Diagnostic, Expr, FunctionDef, Program, Range, Stmt } from './ast';
import { lookupCall } from './builtins';
import { childBranches } from './branches';
import { hasRole, kernelFunctions, type SymbolIndex } from './symbols';
import { calleeName, childStmts, walkExpr, walkStmtExprs } from './walk';

const CREATE: ReadonlySet<string> = new Set(['fork', 'vfork', 'clone']);
const WAIT: ReadonlySet<string> = new Set(['wait', 'waitpid', 'wait3', 'wait4', 'waitid']);
const ENDS: ReadonlySet<string> = new Set(['_exit', 'exit', 'abort', 'pthread_exit']);
const isExec = (name: string | undefined): boolean => name !== undefined && lookupCall(name)?.returnsOnlyOnError === true;

interface CallSite { name: string; call: Extract<Expr, { kind: 'Call' }> }

function callsIn(s: Stmt, idents?: Set<string>): CallSite[] {
  const out: CallSite[] = [];
  walkStmtExprs(s, (e) => {
    const n = calleeName(e);
    if (n && e.kind === 'Call') out.push({ name: n, call: e });
    else if (idents && e.kind === 'Ident') idents.add(e.name);
  });
  return out;
}

/** A clone that makes a thread (CLONE_THREAD) creates no child to wait for. */
function makesThread(c: CallSite): boolean {
  let thread = false;
  if (c.call.args[2]) walkExpr(c.call.args[2], (e) => { if (e.kind === 'Ident' && e.name === 'CLONE_THREAD') thread = true; });
  return thread;
}

/** Groups functions connected through calls in either direction (callers wait for their helpers' children). */
function components(names: Iterable<string>, calls: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    let y = x;
    while (parent.get(y) !== r) { const next = parent.get(y) as string; parent.set(y, r); y = next; }
    return r;
  };
  for (const n of names) parent.set(n, n);
  for (const [f, callees] of calls) {
    for (const g of callees) if (parent.has(f) && parent.has(g)) parent.set(find(f), find(g));
  }
  const out = new Map<string, string>();
  for (const n of parent.keys()) out.set(n, find(n));
  return out;
}

function loopsAround(body: Stmt, offset: number): Stmt[] {
  const out: Stmt[] = [];
  const visit = (s: Stmt): void => {
    if (offset < s.range.start || offset > s.range.end) return;
    if (s.kind === 'While' || s.kind === 'DoWhile' || s.kind === 'For') out.push(s);
    for (const c of childStmts(s)) visit(c);
  };
  visit(body);
  return out;
}

export function teacherWarnings(program: Program, index: SymbolIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (range: Range, code: string, message: string, severity: Diagnostic['severity'] = 'warning'): void => {
    out.push({ range, severity, code, message });
  };
  const fns = program.items.filter((i): i is FunctionDef & { body: Stmt } => i.kind === 'Function' && i.body !== undefined);
  const sites = new Map<string, CallSite[]>();
  const idents = new Set<string>();
  for (const f of fns) sites.set(f.name, callsIn(f.body, idents));
  const all = [...sites.values()].flat();
  const kernelFns = kernelFunctions(program, index);

  // SIGCHLD ignored or SA_NOCLDWAIT: the kernel reaps children itself, so nobody needs to wait.
  const autoReap = idents.has('SA_NOCLDWAIT') || idents.has('SIG_IGN');
  const groups = components(sites.keys(), index.calls);
  const waitingGroups = new Set<string>();
  for (const [f, list] of sites) if (list.some((c) => WAIT.has(c.name))) waitingGroups.add(groups.get(f) as string);
  const creates = new Creates(sites, index);
  const isHandler = (name: string): boolean => { const s = index.global(name); return s !== undefined && hasRole(s, 'signalHandler'); };
  const handlerWaits = fns.some((f) => isHandler(f.name) && sites.get(f.name)?.some((c) => WAIT.has(c.name)));

  for (const f of fns) {
    if (kernelFns.has(f.name)) continue;
    const mine = sites.get(f.name) ?? [];
    const made = mine.filter((c) => CREATE.has(c.name) && !(c.name === 'clone' && makesThread(c)));
    if (made.length > 0 && !autoReap && !handlerWaits) {
      const waits = waitingGroups.has(groups.get(f.name) as string);
      if (!waits) {
        for (const c of made) {
          warn(c.call.range, 'never-waited',
            `nothing waits for the child of this ${c.name}(): when it exits it stays a zombie (EXIT_ZOMBIE) until '${f.name}''s process ends and the child is reparented and reaped; call wait() or waitpid()`);
        }
      }
    }
    const noCreatorAnywhere = !all.some((c) => CREATE.has(c.name));
    const isProgram = program.directives.some((d) => d.kind === 'Pragma' && d.key === 'program' && d.args[1]?.value === f.name);
    for (const w of mine.filter((c) => WAIT.has(c.name))) {
      if (noCreatorAnywhere && !isProgram) {
        warn(w.call.range, 'wait-no-child', `no child can exist here: nothing in this scenario creates one, so ${w.name}() fails with ECHILD`);
      } else if (f.name === 'main' && !isProgram) {
        const firstCreate = creates.firstIn(f.name);
        const inLoopWithCreate = loopsAround(f.body, w.call.range.start).some((l) => callsIn(l).some((c) => creates.call(c.name)));
        if ((firstCreate === undefined || firstCreate > w.call.range.start) && !inLoopWithCreate) {
          warn(w.call.range, 'wait-no-child', `no child exists yet at this point of main, so ${w.name}() fails at once with ECHILD`);
        }
      }
    }
    for (const b of childBranches(f)) checkChildBranch(b.creator, b.body, warn);
  }
  return out;
}

/** Which calls create a child, directly or through scenario functions; memoised per function. */
class Creates {
  private readonly memo = new Map<string, boolean>();
  constructor(private readonly sites: ReadonlyMap<string, CallSite[]>, private readonly index: SymbolIndex) {}

  call(name: string): boolean {
    return CREATE.has(name) || (this.sites.has(name) && this.fn(name));
  }

  private fn(name: string): boolean {
    const hit = this.memo.get(name);
    if (hit !== undefined) return hit;
    this.memo.set(name, false);
    let result = false;
    const seen = new Set<string>();
    const stack = [name];
    while (stack.length > 0 && !result) {
      const g = stack.pop() as string;
      if (seen.has(g)) continue;
      seen.add(g);
      if (this.memo.get(g) === true || this.sites.get(g)?.some((c) => CREATE.has(c.name))) result = true;
      stack.push(...(this.index.calls.get(g) ?? []));
    }
    this.memo.set(name, result);
    return result;
  }

  /** Offset of the first call in fn that can create a child. */
  firstIn(fn: string): number | undefined {
    let first: number | undefined;
    for (const c of this.sites.get(fn) ?? []) {
      if (this.call(c.name) && (first === undefined || c.call.range.start < first)) first = c.call.range.start;
    }
    return first;
  }
}

type Warn = (range: Range, code: string, message: string, severity?: Diagnostic['severity']) => void;

function topCall(s: Stmt): string | undefined {
  return s.kind === 'ExprStmt' ? calleeName(s.expr) : undefined;
}

function endsHere(s: Stmt): boolean {
  const n = topCall(s);
  return s.kind === 'Return' || s.kind === 'Break' || (n !== undefined && ENDS.has(n));
}

function checkChildBranch(creator: string, body: Stmt[], warn: Warn): void {
  const execAt = body.findIndex((s) => isExec(topCall(s)));
  if (creator === 'vfork') {
    body.forEach((s, i) => {
      const n = topCall(s);
      if (s.kind === 'Empty' || isExec(n) || n === '_exit') return;
      if (n === 'exit') {
        warn(s.range, 'vfork-child', 'a vfork child must leave with _exit, not exit: exit flushes the stdio buffers it shares with its parent');
      } else if (s.kind === 'Return') {
        warn(s.range, 'vfork-child', 'a vfork child must not return: it runs on its parent\'s stack, and the parent resumes in a frame the child has left');
      } else if (execAt < 0 || i < execAt) {
        warn(s.range, 'vfork-child', 'a vfork child borrows its parent\'s memory and stack until it calls execve or _exit; do nothing else here');
      }
    });
  }
  if (execAt < 0) return;
  const exec = topCall(body[execAt]) as string;
  const rest = body.slice(execAt + 1).filter((s) => s.kind !== 'Empty');
  if (!rest.some(endsHere)) {
    warn(body[execAt].range, 'exec-fallthrough',
      `if ${exec}() fails, the child carries on after this branch and runs its parent's code; end the branch with _exit(127)`);
  }
  const handles = rest.some((s) => { const n = topCall(s); return n === 'perror' || endsHere(s); });
  if (rest.length > 0 && !handles) {
    warn({ start: rest[0].range.start, end: rest[rest.length - 1].range.end }, 'after-exec',
      `this runs only if ${exec}() fails: a successful exec replaces the program and never comes back here`, 'info');
  }
}
