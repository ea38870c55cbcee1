// A line-level control-flow graph of one displayed kernel function (kernel-style C: blocks, if/else,
// loops and loop macros, switch, goto and labels, return), and the question the line-sequence test
// asks of it: can execution go from one highlighted line to the next without another step line?

/** One statement (or a loop/if/switch head, a label, a closing brace) and the lines it covers. */
export interface CfgNode {
  id: number;
  kind: 'entry' | 'exit' | 'stmt' | 'cond' | 'loop' | 'switch' | 'case' | 'label' | 'goto' | 'return' | 'break' | 'continue' | 'close';
  /** First and last 0-based line of the function's text the node covers. */
  first: number;
  last: number;
  succ: number[];
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

  node(kind: CfgNode['kind'], first: number, last: number): number {
    this.nodes.push({ id: this.nodes.length, kind, first, last, succ: [] });
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
  private parens(): { open: Tok; close: Tok; inner: Tok[] } {
    const open = this.expect('(');
    const inner: Tok[] = [];
    let depth = 1;
    for (;;) {
      const t = this.next();
      if (t.t === '(' || t.t === '[' || t.t === '{') depth++;
      else if (t.t === ')' || t.t === ']' || t.t === '}') depth--;
      if (depth === 0) return { open, close: t, inner };
      inner.push(t);
    }
  }

  /** Tokens up to a depth-0 terminator (consumed); returns the last token. */
  private until(term: string): Tok {
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (depth === 0 && t.t === term) return t;
      if (t.t === '(' || t.t === '[' || t.t === '{') depth++;
      else if (t.t === ')' || t.t === ']' || t.t === '}') depth--;
      if (depth < 0) this.fail(`unbalanced '${t.t}'`, t);
    }
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
    for (const n of this.nodes) {
      for (let l = n.first; l >= 0 && l <= n.last; l++) {
        const list = byLine.get(l) ?? [];
        list.push(n.id);
        byLine.set(l, list);
      }
    }
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
    const c: Ctx = { kind: 'loop', breaks: [], continues: [], cases: [], hasDefault: false };
    this.ctx.push(c);
    const body = this.stmt();
    this.ctx.pop();
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
        const cond = this.node('cond', tk.line, p.close.line);
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
        const head = this.node('loop', tk.line, p.close.line);
        const f = this.loopBody(head, isTrue(p.inner));
        return { entry: head, outs: f.outs };
      }
      case 'for': {
        this.next();
        const p = this.parens();
        const head = this.node('loop', tk.line, p.close.line);
        const parts = splitSemis(p.inner);
        const f = this.loopBody(head, parts.length === 3 && (parts[1].length === 0 || isTrue(parts[1])));
        return { entry: head, outs: f.outs };
      }
      case 'do': {
        this.next();
        const c: Ctx = { kind: 'loop', breaks: [], continues: [], cases: [], hasDefault: false };
        this.ctx.push(c);
        const body = this.stmt();
        this.ctx.pop();
        const w = this.next();
        if (!/^while/.test(w.t)) this.fail(`expected 'while' after a do body, found '${w.t}'`, w);
        const p = this.parens();
        const semi = this.expect(';');
        const cond = this.node('loop', w.line, semi.line);
        this.link([...body.outs, ...c.continues], cond);
        this.link([cond], body.entry);
        return { entry: body.entry, outs: [...(isTrue(p.inner) ? [] : [cond]), ...c.breaks] };
      }
      case 'switch': {
        this.next();
        const p = this.parens();
        const head = this.node('switch', tk.line, p.close.line);
        const c: Ctx = { kind: 'switch', breaks: [], continues: [], cases: [], hasDefault: false };
        this.ctx.push(c);
        const body = this.stmt();
        this.ctx.pop();
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
        const head = this.node('loop', tk.line, p.close.line);
        const f = this.loopBody(head, false);
        return { entry: head, outs: f.outs };
      }
      this.i = save;
    }
    const end = this.until(';');
    const n = this.node('stmt', tk.line, end.line);
    return { entry: n, outs: [n] };
  }
}

function isTrue(inner: Tok[]): boolean {
  const s = inner.map((t) => t.t).join('');
  return s === '1' || s === 'true';
}

function splitSemis(inner: Tok[]): Tok[][] {
  const parts: Tok[][] = [[]];
  let depth = 0;
  for (const t of inner) {
    if (t.t === '(') depth++;
    else if (t.t === ')') depth--;
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
export function allowed(cfg: LineCfg, marked: ReadonlySet<number>, from: number | 'entry', to: number): boolean {
  if (from === to) return true;
  return search(cfg, marked, from, (n) => touches(n, to), to);
}

/** Can the activation end (return) from line `from` without passing another step line? */
export function canReturn(cfg: LineCfg, marked: ReadonlySet<number>, from: number): boolean {
  // The closing brace is the epilogue: a return passes it whether or not it is a step line.
  return search(cfg, marked, from, (n) => n.id === cfg.exit || n.id === cfg.close, -1);
}

function search(cfg: LineCfg, marked: ReadonlySet<number>, from: number | 'entry', goal: (n: CfgNode) => boolean, to: number): boolean {
  const start = from === 'entry' ? [cfg.entry] : cfg.byLine.get(from) ?? [];
  // State: node id * 2 + (1 once the path has left the from line).
  const seen = new Set<number>();
  const queue: number[] = start.map((id) => id * 2 + (from === 'entry' ? 1 : 0));
  for (const s of queue) seen.add(s);
  for (const s of start) if (goal(cfg.nodes[s])) return true;
  while (queue.length > 0) {
    const s = queue.shift() as number;
    const left = s & 1;
    for (const nid of cfg.nodes[s >> 1].succ) {
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
