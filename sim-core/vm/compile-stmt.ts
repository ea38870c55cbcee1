// Statements to bytecode: a STMT marker before each (the step points), loops with break and
// continue labels, switch as a compare chain with C's fallthrough, locals and their initialisers.
import type { Expr, Range, Stmt, VarDecl } from '../lang/ast';
import { cellsOf, decay, INT, promote, type CType } from './ctypes';
import { convertValue } from './fold';
import { CallCompiler } from './compile-call';
import type { Place } from './compile-expr';
import { Op } from './opcodes';
import { initListLength, initSlots, innerArrays, isZeroBraces } from './init-list';

interface Loop { brk: number; cont: number | null }

export class StmtCompiler extends CallCompiler {
  private readonly loops: Loop[] = [];
  private switches: Array<{ cases: Map<Stmt, number> }> = [];
  returnType: CType = INT;
  /** The function's labels (`goto` targets): code label, and where the first `goto` or the label is. */
  private readonly gotoLabels = new Map<string, { label: number; bound: boolean; at: Range }>();

  private gotoLabel(name: string, at: Range): { label: number; bound: boolean; at: Range } {
    let l = this.gotoLabels.get(name);
    if (!l) { l = { label: this.newLabel(), bound: false, at }; this.gotoLabels.set(name, l); }
    return l;
  }

  /** After the body: a `goto` to a label the function never defines is an error, as in C. */
  checkLabels(): void {
    for (const [name, l] of this.gotoLabels) if (!l.bound) this.m.error(l.at, `label '${name}' used but not defined`, 'vm-syntax');
  }

  stmt(s: Stmt): void {
    switch (s.kind) {
      case 'Block':
        this.pushScope();
        for (const b of s.body) this.stmt(b);
        this.popScope();
        return;
      case 'Empty': case 'ErrorStmt': return;
      case 'VarDecl': this.localDecl(s); return;
      case 'ExprStmt':
        this.marker(s.range);
        this.expr(s.expr, true);
        return;
      case 'If': {
        this.marker(head(s.range, s.test));
        const other = this.newLabel();
        this.cond(s.test, other);
        this.stmt(s.consequent);
        if (s.alternate) {
          const end = this.newLabel();
          this.jump(Op.JMP, end);
          this.bind(other);
          this.stmt(s.alternate);
          this.bind(end);
        } else this.bind(other);
        return;
      }
      case 'While': {
        const top = this.newLabel(), end = this.newLabel();
        this.bind(top);
        this.marker(head(s.range, s.test));
        this.cond(s.test, end);
        this.loop({ brk: end, cont: top }, s.body);
        this.jump(Op.JMP, top);
        this.bind(end);
        return;
      }
      case 'DoWhile': {
        const top = this.newLabel(), cont = this.newLabel(), end = this.newLabel();
        this.bind(top);
        this.loop({ brk: end, cont }, s.body);
        this.bind(cont);
        this.marker(s.test.range);
        this.expr(s.test);
        this.jump(Op.JNZ, top);
        this.bind(end);
        return;
      }
      case 'For': return this.forStmt(s);
      case 'Switch': return this.switchStmt(s);
      case 'Case': case 'Default': {
        const sw = this.switches[this.switches.length - 1];
        const label = sw?.cases.get(s);
        if (label === undefined) this.m.error(s.range, `'${s.kind === 'Case' ? 'case' : 'default'}' label not within a switch statement`, 'vm-syntax');
        else this.bind(label);
        return;
      }
      case 'Break': case 'Continue': {
        this.marker(s.range);
        const target = this.target(s.kind === 'Break');
        if (target === undefined) this.m.error(s.range, `${s.kind.toLowerCase()} statement not within a loop${s.kind === 'Break' ? ' or switch' : ''}`, 'vm-syntax');
        else this.jump(Op.JMP, target);
        return;
      }
      case 'Label': {
        // Frame cells are laid out for the whole function, so jumping into or out of blocks
        // needs no adjustment; a label only names a place in the code.
        const l = this.gotoLabel(s.name, s.nameRange);
        if (l.bound) this.m.error(s.nameRange, `duplicate label '${s.name}'`, 'vm-syntax');
        else { this.bind(l.label); l.bound = true; }
        return;
      }
      case 'Goto':
        this.marker(s.range);
        this.jump(Op.JMP, this.gotoLabel(s.label, s.labelRange).label);
        return;
      case 'Return': {
        this.marker(s.range);
        if (s.value) {
          const t = decay(this.expr(s.value));
          this.convert(t, this.returnType);
        } else this.emit(Op.PUSH, 0);
        this.emit(Op.RET);
        return;
      }
    }
  }

  private loop(l: Loop, body: Stmt): void {
    this.loops.push(l);
    this.stmt(body);
    this.loops.pop();
  }

  private target(isBreak: boolean): number | undefined {
    for (let i = this.loops.length - 1; i >= 0; i--) {
      const l = this.loops[i];
      if (isBreak) return l.brk;
      if (l.cont !== null) return l.cont;
    }
    return undefined;
  }

  private forStmt(s: Extract<Stmt, { kind: 'For' }>): void {
    const h = head(s.range, s.test ?? s.update ?? s.init?.range ?? null);
    const cont = this.newLabel(), test = this.newLabel(), end = this.newLabel();
    this.pushScope();
    this.marker(h);
    if (s.init) {
      if (s.init.kind === 'VarDecl') this.localDecl(s.init, false);
      else this.expr(s.init.expr, true);
    }
    this.jump(Op.JMP, test);
    this.bind(cont);
    this.marker(h);
    if (s.update) this.expr(s.update, true);
    this.bind(test);
    if (s.test) this.cond(s.test, end);
    this.loop({ brk: end, cont }, s.body);
    this.jump(Op.JMP, cont);
    this.bind(end);
    this.popScope();
  }

  private switchStmt(s: Extract<Stmt, { kind: 'Switch' }>): void {
    this.marker(head(s.range, s.test));
    const tmp = this.temp();
    // Case values convert to the promoted type of the controlling expression.
    const tt = promote(decay(this.expr(s.test)));
    if (tt.k === 'float') this.m.error(s.test.range, 'switch quantity not an integer', 'vm-type');
    this.emit(Op.STORELP, tmp);
    const cases = new Map<Stmt, number>();
    let dflt: number | undefined;
    const seen = new Map<number | bigint, Range>();
    for (const c of collectCases(s.body)) {
      const label = this.newLabel();
      cases.set(c, label);
      if (c.kind !== 'Case') { dflt = label; continue; }
      const f = this.foldInt(c.value);
      if (!f || typeof f.v === 'string') { this.m.error(c.value.range, 'case label does not reduce to an integer constant', 'vm-case'); continue; }
      const v = tt.k === 'int' ? convertValue(f.v, tt) : f.v;
      if (seen.has(v)) this.m.error(c.value.range, 'duplicate case value', 'vm-case');
      seen.set(v, c.value.range);
      this.emit(Op.LOADL, tmp);
      this.pushValue(v);
      this.emit(Op.EQ);
      this.jump(Op.JNZ, label);
    }
    const end = this.newLabel();
    this.jump(Op.JMP, dflt ?? end);
    this.switches.push({ cases });
    this.loops.push({ brk: end, cont: null });
    this.stmt(s.body);
    this.loops.pop();
    this.switches.pop();
    this.bind(end);
  }

  /** Local declarations: frame cells, zeroed or initialised at the point of declaration. */
  localDecl(d: VarDecl, mark = true): void {
    for (const dc of d.declarators) {
      let t = innerArrays(this.m, (x) => this.fold(x), this.m.types.resolve(d.type, dc.pointer), dc.dims);
      if (dc.arraySize !== undefined) {
        const n = dc.arraySize ? this.foldInt(dc.arraySize) : undefined;
        let len = n && typeof n.v === 'number' ? n.v : -1;
        if (len < 0 && dc.arraySize === null && dc.init?.kind === 'InitList') len = initListLength(this.m, (x) => this.fold(x), dc.init);
        if (len < 0 && dc.arraySize === null && dc.init?.kind === 'String') len = dc.init.value.length + 1;
        if (len < 0) { this.m.error(dc.arraySize ? dc.arraySize.range : dc.range, 'array size must be a constant', 'vm-array'); len = 1; }
        t = { k: 'array', of: t, n: len };
      }
      if (t.k === 'struct' && !t.layout) this.m.error(dc.range, `storage size of '${dc.name}' isn't known`, 'vm-type');
      if (t.k === 'void') this.m.error(dc.range, `variable '${dc.name}' declared void`, 'vm-type');
      if (d.storage === 'extern' && !dc.init) {
        // A block-scope extern declares the file-scope object of that name (made here when the
        // file declares none, as the library's environ); errno is the library's own.
        if (dc.name !== 'errno') this.declareStatic(dc.name, t, this.m.defineExtern(dc.name, t));
        continue;
      }
      if (d.storage === 'static') {
        // One object for the program's life, in the global segment, initialised before main (as
        // C's static storage is): its value is kept across calls, and fork copies it.
        this.declareStatic(dc.name, t, this.m.defineStatic(`${this.fnName}::${dc.name}`, t, dc.init));
        continue;
      }
      // The name is in scope in its own initialiser, as in C; the debugger shows it from here.
      const v = this.declare(dc.name, t, cellsOf(t));
      if (!dc.init) continue;
      if (mark) this.marker(dc.range);
      this.initialise({ k: 'local', off: v.offset, type: t }, dc.init);
    }
  }

  /** Stores an initialiser into a local place: scalars, arrays and structs (rest zeroed). */
  private initialise(p: Extract<Place, { k: 'local' }>, init: Expr): void {
    const t = p.type;
    if (t.k === 'array' && init.kind === 'String' && t.of.k === 'int') {
      for (let i = 0; i < t.n; i++) { this.emit(Op.PUSH, i < init.value.length ? Number(convertValue(init.value.charCodeAt(i), t.of)) : 0); this.emit(Op.STORELP, p.off + i); }
      return;
    }
    if (isZeroBraces(init, t)) {
      this.emit(Op.ADDRL, p.off);
      this.emit(Op.ZERO, cellsOf(t));
      return;
    }
    if (init.kind === 'InitList') {
      this.emit(Op.ADDRL, p.off);
      this.emit(Op.ZERO, cellsOf(t));
      for (const slot of initSlots(this.m, (x) => this.fold(x), t, init)) {
        this.initialise({ k: 'local', off: p.off + slot.offset, type: slot.type }, slot.item);
      }
      return;
    }
    if (t.k === 'struct') {
      this.emit(Op.ADDRL, p.off);
      this.expr(init);
      this.emit(Op.COPY, cellsOf(t));
      return;
    }
    const vt = decay(this.expr(init));
    this.convert(vt, t);
    this.emit(Op.STORELP, p.off);
  }
}

/** The range a statement marker covers for compound statements: the head up to the test. */
function head(r: Range, test: { range: Range } | Range | null): Range {
  if (!test) return r;
  const end = 'range' in test ? test.range.end : test.end;
  return { start: r.start, end: Math.min(r.end, end + 1) };
}

/** Case and default labels of one switch body, not descending into nested switches. */
function collectCases(s: Stmt, out: Stmt[] = []): Stmt[] {
  switch (s.kind) {
    case 'Case': case 'Default': out.push(s); break;
    case 'Block': for (const b of s.body) collectCases(b, out); break;
    case 'If': collectCases(s.consequent, out); if (s.alternate) collectCases(s.alternate, out); break;
    case 'While': case 'DoWhile': case 'For': collectCases(s.body, out); break;
    default: break;
  }
  return out;
}
