// A line-level control-flow graph of one displayed kernel function (kernel-style C: blocks, if/else,
// loops and loop macros, switch, goto and labels, return), and the question the line-sequence test
// asks of it: can execution go from one highlighted line to the next without another step line?
// Also the order of key lines (calls, labels, gotos) compared with Linux 6.x's.

/** One statement (or a loop/if/switch head, a label, a closing brace) and the lines it covers. */
export interface CfgNode {
  id: number;
  kind: 'entry' | 'exit' | 'stmt' | 'cond' | 'loop' | 'switch' | 'case' | 'label' | 'goto' | 'return' | 'break' | 'continue' | 'close';
  /** First and last 0-based line of the function's text the node covers. */
  first: number;
  last: number;
  /** For an if or a while, for or do ... while: successor 0 when it holds, 1 when it does not. */
  succ: number[];
  /** The condition of an if or a loop, as written (tokens joined by spaces). */
  cond?: string;
}

export interface LineCfg {
  nodes: CfgNode[];
  entry: number;
  exit: number;
  /** The function body's closing brace: the epilogue every return passes. */
  close: number;
  /** Node ids covering each line. */
  byLine: Map<number, number[]>;
  /** Label name -> its node, and the labels some goto targets. */
  labels: Map<string, number>;
  gotoTargets: Set<string>;
}

interface Tok { t: string; line: number }
interface Frag { entry: number; outs: number[] }
interface Ctx { kind: 'loop' | 'switch'; breaks: number[]; continues: number[]; cases: number[]; hasDefault: boolean }

const LOOP_MACRO = /for_each|while_each/;

/** Comments, string and character literals blanked (newlines kept), preprocessor lines dropped. */
export function cleanC(text: string): string[] {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i], d = text[i + 1];
    if (c === '/' && d === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '/' && d === '/') {
      while (i < text.length && text[i] !== '\n') { out += ' '; i++; }
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      const closed = j < text.length && text[j] === c;
      out += '0' + ' '.repeat(Math.max(0, (closed ? j : j - 1) - i));
      i = closed ? j + 1 : j;
    } else { out += c; i++; }
  }
  return out.split('\n').map((l) => {
    let s = l.replace(/\\\s*$/, '');
    if (/^\s*#\s*define\b/.test(s)) s = s.replace(/#\s*define/, '');
    else if (/^\s*#/.test(s)) s = '';
    return s;
  });
}

const TOKEN = /[A-Za-z_]\w*|\d[\w.]*|->|\+\+|--|&&|\|\||<<=?|>>=?|[<>=!+\-*/&|^%]=|\S/g;

function tokenize(lines: string[]): Tok[] {
  const toks: Tok[] = [];
  lines.forEach((l, line) => { for (const m of l.matchAll(TOKEN)) toks.push({ t: m[0], line }); });
  return toks;
}

class Builder {
  readonly nodes: CfgNode[] = [];
  private i = 0;
  private readonly ctx: Ctx[] = [];
  private readonly returns: number[] = [];
  private readonly gotos: Array<[number, string, number]> = [];
  readonly labels = new Map<string, number>();

  constructor(private readonly toks: Tok[], private readonly name: string) {}

  node(kind: CfgNode['kind'], first: number, last: number, cond?: string): number {
    this.nodes.push({ id: this.nodes.length, kind, first, last, succ: [], cond });
    return this.nodes.length - 1;
  }

  link(from: number[], to: number): void {
    for (const f of from) if (!this.nodes[f].succ.includes(to)) this.nodes[f].succ.push(to);
  }

  private fail(msg: string, tok?: Tok): never {
    const at = tok ?? this.toks[Math.min(this.i, this.toks.length - 1)];
    throw new Error(`${this.name}: line ${at ? at.line + 1 : '?'}: ${msg}`);
  }

  private peek(k = 0): Tok | undefined { return this.toks[this.i + k]; }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) this.fail('unexpected end of the function');
    return t;
  }

  private expect(t: string): Tok {
    const tok = this.next();
    if (tok.t !== t) this.fail(`expected '${t}', found '${tok.t}'`, tok);
    return tok;
  }

  /** Consumes a balanced (...) group; returns its tokens without the outer parentheses. */
  private parens(): { close: Tok; inner: Tok[] } {
    this.expect('(');
    const inner: Tok[] = [];
    for (let depth = 1; ;) {
      const t = this.next();
      depth += nesting(t);
      if (depth === 0) return { close: t, inner };
      inner.push(t);
    }
  }

  /** Tokens up to a depth-0 terminator (consumed); returns the last token. */
  private until(term: string): Tok {
    for (let depth = 0; ;) {
      const t = this.next();
      if (depth === 0 && t.t === term) return t;
      depth += nesting(t);
      if (depth < 0) this.fail(`unbalanced '${t.t}'`, t);
    }
  }

  /** Parses one statement as the body of a loop or a switch, with its break/continue context. */
  private inside(kind: Ctx['kind']): [Frag, Ctx] {
    const c: Ctx = { kind, breaks: [], continues: [], cases: [], hasDefault: false };
    this.ctx.push(c);
    const body = this.stmt();
    this.ctx.pop();
    return [body, c];
  }

  /** The whole function: header up to the body's first brace, then the body. */
  build(): LineCfg {
    const entry = this.node('entry', -1, -1);
    const exit = this.node('exit', -1, -1);
    while (this.peek() && this.peek()?.t !== '{') this.i++;
    if (!this.peek()) this.fail('no function body');
    const body = this.block();
    const close = body.outs[0];
    this.nodes[close].kind = 'close';
    this.link([entry], body.entry);
    this.link(body.outs, exit);
    this.link(this.returns, close);
    const gotoTargets = new Set<string>();
    for (const [n, label, line] of this.gotos) {
      const target = this.labels.get(label);
      if (target === undefined) throw new Error(`${this.name}: line ${line + 1}: goto ${label} has no label`);
      gotoTargets.add(label);
      this.link([n], target);
    }
    const byLine = new Map<number, number[]>();
    for (const n of this.nodes) for (let l = n.first; l >= 0 && l <= n.last; l++) byLine.set(l, [...(byLine.get(l) ?? []), n.id]);
    return { nodes: this.nodes, entry, exit, close, byLine, labels: this.labels, gotoTargets };
  }

  /** `{ stmt* }`: the statements in sequence, then a node for the closing brace. */
  private block(): Frag {
    this.expect('{');
    let entry = -1;
    let outs: number[] = [];
    while (this.peek() && this.peek()?.t !== '}') {
      const f = this.stmt();
      if (entry < 0) entry = f.entry;
      else this.link(outs, f.entry);
      outs = f.outs;
    }
    const rb = this.expect('}');
    const close = this.node('close', rb.line, rb.line);
    if (entry < 0) entry = close;
    else this.link(outs, close);
    return { entry, outs: [close] };
  }

  /** The body of a loop whose head (condition) is `head`: back edges to it, breaks leave. */
  private loopBody(head: number, infinite: boolean): Frag {
    const [body, c] = this.inside('loop');
    this.link([head], body.entry);
    this.link([...body.outs, ...c.continues], head);
    return { entry: head, outs: [...(infinite ? [] : [head]), ...c.breaks] };
  }

  private stmt(): Frag {
    const tk = this.peek() as Tok;
    const nx = this.peek(1);
    switch (tk.t) {
      case '{': return this.block();
      case ';': { this.next(); const n = this.node('stmt', tk.line, tk.line); return { entry: n, outs: [n] }; }
      case 'if': {
        this.next();
        const p = this.parens();
        const cond = this.node('cond', tk.line, p.close.line, text(p.inner));
        const then = this.stmt();
        this.link([cond], then.entry);
        if (this.peek()?.t === 'else') {
          this.next();
          const other = this.stmt();
          this.link([cond], other.entry);
          return { entry: cond, outs: [...then.outs, ...other.outs] };
        }
        return { entry: cond, outs: [...then.outs, cond] };
      }
      case 'while': {
        this.next();
        const p = this.parens();
        return this.loopBody(this.node('loop', tk.line, p.close.line, text(p.inner)), isTrue(p.inner));
      }
      case 'for': {
        this.next();
        const p = this.parens();
        const parts = splitSemis(p.inner);
        const cond = parts.length === 3 && parts[1].length > 0 ? text(parts[1]) : undefined;
        return this.loopBody(this.node('loop', tk.line, p.close.line, cond), parts.length === 3 && (cond === undefined || isTrue(parts[1])));
      }
      case 'do': {
        this.next();
        const [body, c] = this.inside('loop');
        const w = this.next();
        if (!/^while/.test(w.t)) this.fail(`expected 'while' after a do body, found '${w.t}'`, w);
        const p = this.parens();
        const semi = this.expect(';');
        const cond = this.node('loop', w.line, semi.line, w.t === 'while' ? text(p.inner) : undefined);
        this.link([...body.outs, ...c.continues], cond);
        // do { ... } while (0), the macro idiom, runs its body once.
        if (text(p.inner) !== '0') this.link([cond], body.entry);
        return { entry: body.entry, outs: [...(isTrue(p.inner) ? [] : [cond]), ...c.breaks] };
      }
      case 'switch': {
        this.next();
        const p = this.parens();
        const head = this.node('switch', tk.line, p.close.line);
        const [body, c] = this.inside('switch');
        for (const k of c.cases) this.link([head], k);
        if (c.cases.length === 0) this.link([head], body.entry);
        return { entry: head, outs: [...body.outs, ...c.breaks, ...(c.hasDefault ? [] : [head])] };
      }
      case 'case': case 'default': {
        if (tk.t === 'default' && nx?.t !== ':') break;
        this.next();
        const end = this.until(':');
        const n = this.node('case', tk.line, end.line);
        const sw = [...this.ctx].reverse().find((c) => c.kind === 'switch');
        if (!sw) this.fail(`'${tk.t}' outside a switch`, tk);
        sw.cases.push(n);
        if (tk.t === 'default') sw.hasDefault = true;
        return { entry: n, outs: [n] };
      }
      case 'return': {
        this.next();
        const end = this.until(';');
        const n = this.node('return', tk.line, end.line);
        this.returns.push(n);
        return { entry: n, outs: [] };
      }
      case 'goto': {
        this.next();
        const label = this.next();
        const end = this.expect(';');
        const n = this.node('goto', tk.line, end.line);
        this.gotos.push([n, label.t, tk.line]);
        return { entry: n, outs: [] };
      }
      case 'break': case 'continue': {
        this.next();
        const end = this.expect(';');
        const n = this.node(tk.t, tk.line, end.line);
        const c = [...this.ctx].reverse().find((x) => tk.t === 'break' || x.kind === 'loop');
        if (!c) this.fail(`'${tk.t}' outside a loop`, tk);
        (tk.t === 'break' ? c.breaks : c.continues).push(n);
        return { entry: n, outs: [] };
      }
      default: break;
    }
    if (/^[A-Za-z_]\w*$/.test(tk.t) && nx?.t === ':' && this.peek(2)?.t !== ':') {
      this.next(); this.next();
      const n = this.node('label', tk.line, tk.line);
      if (this.labels.has(tk.t)) this.fail(`label ${tk.t} defined twice`, tk);
      this.labels.set(tk.t, n);
      return { entry: n, outs: [n] };
    }
    if (/^[A-Za-z_]\w*$/.test(tk.t) && nx?.t === '(') {
      // A loop macro: list_for_each_entry(...) { ... }, for_each_thread(p, t) stmt.
      const save = this.i;
      this.next();
      const p = this.parens();
      const after = this.peek();
      if (after && (after.t === '{' || (LOOP_MACRO.test(tk.t) && after.t !== ';'))) {
        return this.loopBody(this.node('loop', tk.line, p.close.line), false);
      }
      this.i = save;
    }
    const end = this.until(';');
    const n = this.node('stmt', tk.line, end.line);
    return { entry: n, outs: [n] };
  }
}

function nesting(t: Tok): number {
  return t.t === '(' || t.t === '[' || t.t === '{' ? 1 : t.t === ')' || t.t === ']' || t.t === '}' ? -1 : 0;
}

function text(toks: Tok[]): string {
  return toks.map((t) => t.t).join(' ');
}

function isTrue(inner: Tok[]): boolean {
  const s = inner.map((t) => t.t).join('');
  return s === '1' || s === 'true';
}

function splitSemis(inner: Tok[]): Tok[][] {
  const parts: Tok[][] = [[]];
  let depth = 0;
  for (const t of inner) {
    depth += nesting(t);
    if (t.t === ';' && depth === 0) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts;
}

/** Builds the graph of one function's displayed text (markers already stripped). */
export function buildCfg(text: string, name = 'function'): LineCfg {
  return new Builder(tokenize(cleanC(text)), name).build();
}

function touches(n: CfgNode, line: number): boolean {
  return line >= n.first && line <= n.last;
}

/**
 * Is there a path from line `from` (or the function's entry) to line `to` that passes through no
 * other step line? A path may leave `from` through the other statements on its own line (the
 * `return` of `if (x) return y;`), but never comes back to it: that would be a step not shown.
 * The same line twice is allowed (a call resumes on its own line to take the result).
 */
export function allowed(cfg: LineCfg, marked: ReadonlySet<number>, from: number | 'entry', to: number, decide?: Decide): boolean {
  if (from === to) return true;
  return search(cfg, marked, from, (n) => touches(n, to), to, decide);
}

/**
 * What a condition node evaluates to where the move is looked at: true, false, or undefined when it
 * cannot be known (then both branches stay open).
 */
export type Decide = (n: CfgNode) => boolean | undefined;

/** Can the activation end (return) from line `from` without passing another step line? */
export function canReturn(cfg: LineCfg, marked: ReadonlySet<number>, from: number): boolean {
  // The closing brace is the epilogue: a return passes it whether or not it is a step line.
  return search(cfg, marked, from, (n) => n.id === cfg.exit || n.id === cfg.close, -1);
}

function search(cfg: LineCfg, marked: ReadonlySet<number>, from: number | 'entry', goal: (n: CfgNode) => boolean, to: number, decide?: Decide): boolean {
  const start = from === 'entry' ? [cfg.entry] : cfg.byLine.get(from) ?? [];
  // State: node id * 2 + (1 once the path has left the from line).
  const queue: number[] = start.map((id) => id * 2 + (from === 'entry' ? 1 : 0));
  const seen = new Set<number>(queue);
  for (const s of start) if (goal(cfg.nodes[s])) return true;
  while (queue.length > 0) {
    const s = queue.shift() as number;
    const left = s & 1;
    const node = cfg.nodes[s >> 1];
    const known = decide && node.cond !== undefined && node.succ.length === 2 ? decide(node) : undefined;
    const next = known === undefined ? node.succ : [node.succ[known ? 0 : 1]];
    for (const nid of next) {
      const n = cfg.nodes[nid];
      if (goal(n)) return true;
      const onFrom = from !== 'entry' && touches(n, from);
      if (onFrom && left) continue;
      if (!onFrom && stepLine(n, marked, to)) continue;
      const st = nid * 2 + (onFrom ? 0 : 1);
      if (!seen.has(st)) { seen.add(st); queue.push(st); }
    }
  }
  return false;
}

/** Does the node cover a step line (other than the goal line)? */
function stepLine(n: CfgNode, marked: ReadonlySet<number>, to: number): boolean {
  for (let l = n.first; l >= 0 && l <= n.last; l++) if (l !== to && marked.has(l)) return true;
  return false;
}

// ---- the order of key lines ------------------------------------------------------------------

/** A line of a displayed function, found by a pattern, and whether the model must show it. */
export type Key = [what: string, re: RegExp, required: boolean];

/** Where each key is in a function's text (comments left out), and what is out of order or missing. */
export function orderProblems(name: string, text: string | null, keys: Key[]): string[] {
  if (text === null) return [`${name} is not displayed`];
  const lines = cleanC(text);
  const out: string[] = [];
  let prev = -1;
  let prevWhat = '';
  for (const [what, re, required] of keys) {
    const at = lines.findIndex((l) => re.test(l));
    if (at < 0) {
      if (required) out.push(`${name}: shows no ${what}`);
      continue;
    }
    if (at <= prev) out.push(`${name}: ${what} (line ${at + 1} of its text) is shown before ${prevWhat} (line ${prev + 1}); Linux 6.x runs it after`);
    else { prev = at; prevWhat = what; }
  }
  return out;
}

export const call = (fn: string, required = true): Key => [`${fn}()`, new RegExp(`\\b${fn}\\(`), required];

/** The key lines of copy_process in Linux 6.x's order (kernel/fork.c). */
export const COPY_PROCESS_ORDER: Key[] = [
  call('dup_task_struct'), call('copy_creds'), call('is_rlimit_overlimit'), call('sched_fork'), call('copy_semundo', false),
  call('copy_files'), call('copy_fs'), call('copy_sighand'), call('copy_signal'), call('copy_mm'), call('copy_namespaces', false),
  call('copy_io', false), call('copy_thread'), call('alloc_pid'), ['p->pid = pid_nr(pid)', /p->pid\s*=\s*pid_nr\(pid\)/, false],
  ['the choice of real_parent', /clone_flags\s*&\s*\(CLONE_PARENT\s*\|\s*CLONE_THREAD\)/, false],
  ['attach_pid(p, PIDTYPE_PID)', /attach_pid\(p,\s*PIDTYPE_PID\)/, false], ['return p', /\breturn p;/, true],
];

/** copy_process's cleanup labels in Linux 6.x's order, and the label each failing call jumps to. */
const LADDER = ['cancel_cgroup', 'put_pidfd', 'free_pid', 'cleanup_thread', 'cleanup_io', 'cleanup_namespaces', 'cleanup_mm',
  'cleanup_signal', 'cleanup_sighand', 'cleanup_fs', 'cleanup_files', 'cleanup_semundo', 'cleanup_security', 'cleanup_audit',
  'cleanup_perf', 'cleanup_policy', 'cleanup_delayacct', 'cleanup_count', 'free'].map((l) => `bad_fork_${l}`).concat('fork_out');
/** [call, label, whether the model must show it (the failures it can have)]. */
const GOTO_AFTER: ReadonlyArray<[call: string, label: string, required: boolean]> = [
  ['copy_creds', 'bad_fork_free', false], ['is_rlimit_overlimit', 'bad_fork_cleanup_count', true], ['sched_fork', 'bad_fork_cleanup_policy', false],
  ['copy_semundo', 'bad_fork_cleanup_security', false], ['copy_files', 'bad_fork_cleanup_semundo', false], ['copy_fs', 'bad_fork_cleanup_files', false],
  ['copy_sighand', 'bad_fork_cleanup_fs', false], ['copy_signal', 'bad_fork_cleanup_sighand', false], ['copy_mm', 'bad_fork_cleanup_signal', true],
  ['copy_namespaces', 'bad_fork_cleanup_mm', false], ['copy_io', 'bad_fork_cleanup_namespaces', false], ['copy_thread', 'bad_fork_cleanup_io', false],
  ['alloc_pid', 'bad_fork_cleanup_thread', true],
];

/** Each call's failure jumps where Linux's does: the first goto after it, before the next call. */
export function ladderProblems(text: string | null): string[] {
  if (text === null) return ['copy_process is not displayed'];
  const lines = cleanC(text);
  const out: string[] = [];
  const lineOf = (c: string): number => lines.findIndex((l) => new RegExp(`\\b${c}\\(`).test(l));
  const ret = lines.findIndex((l) => /\breturn p;/.test(l));
  const calls = GOTO_AFTER.map(([c]) => lineOf(c)).filter((l) => l >= 0).sort((a, b) => a - b);
  for (const [c, label, required] of GOTO_AFTER) {
    const at = lineOf(c);
    if (at < 0) continue;
    const end = [...calls.filter((l) => l > at), ret >= 0 ? ret : lines.length][0];
    const jump = lines.slice(at, end).map((l) => /\bgoto\s+(\w+)\s*;/.exec(l)?.[1]).find((l) => l !== undefined);
    if (jump === undefined ? required : jump !== label) out.push(`copy_process: a failing ${c}() ${jump ? `jumps to ${jump}` : 'shows no goto'}; Linux 6.x jumps to ${label}`);
  }
  const labels = LADDER.map((l) => [l, lines.findIndex((x) => new RegExp(`^\\s*${l}:`).test(x))] as const).filter(([, at]) => at >= 0);
  for (let i = 1; i < labels.length; i++) {
    if (labels[i][1] < labels[i - 1][1]) out.push(`copy_process: ${labels[i][0]}: is shown before ${labels[i - 1][0]}:; Linux 6.x falls through them in the other order`);
  }
  if (labels.length > 0 && ret >= 0 && labels[0][1] < ret) out.push(`copy_process: ${labels[0][0]}: is shown before the success path's return p`);
  for (const l of ['bad_fork_cleanup_thread', 'bad_fork_cleanup_signal', 'bad_fork_cleanup_count', 'bad_fork_free']) {
    if (!labels.some(([x]) => x === l)) out.push(`copy_process: shows no ${l}: label (a failing fork unwinds through it)`);
  }
  return out;
}
