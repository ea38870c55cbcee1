// Expressions to bytecode: C's integer rules (int wraps at 32 bits, long at 64, unsigned types
// modulo 2^32 and 2^64, the usual arithmetic conversions), pointer arithmetic in cells, lvalues
// as places (compile-expr-place.ts), floating operands (compile-convert.ts), and constant folding
// of #defines.
import type { Expr, Range } from '../lang/ast';
import { arith, cellsOf, decay, FN, INT, isArithmetic, LONG, pointee, promote, typeName, ULONG, type CType } from './ctypes';
import { MAX_MACRO_DEPTH } from '../lang/check-values';
import { PlaceCompiler, type Place } from './compile-expr-place';
import { TEXT_BASE, TEXT_STRIDE } from './image';
import { Op } from './opcodes';
import { floatOp, Kind, kindOf, type Folded } from './fold';
import { FOp } from './float';
import { INIT_TASK_REF } from './types';
import { libcValue } from './libc-values';
import { lookupCall } from '../lang/builtins';

export { MAX_EXPR_LEVELS } from './compile-fold';

export type { Place } from './compile-expr-place';

export class ExprCompiler extends PlaceCompiler {
  /** Compiles e leaving its rvalue on the operand stack (nothing when discard). */
  override expr(e: Expr, discard = false): CType {
    if (!this.enterLevel(e.range)) {
      if (!discard) this.emit(Op.PUSH, 0);
      return INT;
    }
    try { return this.exprLevel(e, discard); } finally { this.level--; }
  }

  private exprLevel(e: Expr, discard: boolean): CType {
    const f = e.kind === 'Number' || e.kind === 'Binary' || e.kind === 'Unary' || e.kind === 'Ident'
      || e.kind === 'Conditional' || e.kind === 'Sizeof' || e.kind === 'Cast' || e.kind === 'String' || e.kind === 'Char'
      ? this.fold(e) : undefined;
    if (f) {
      if (!discard) this.pushValue(f.v);
      return f.t;
    }
    const t = this.exprInner(e, discard);
    return t;
  }

  private exprInner(e: Expr, discard: boolean): CType {
    switch (e.kind) {
      case 'Assign': return this.assign(e, discard);
      case 'Postfix': return this.incdec(e.operand, e.op === '++' ? 1 : -1, true, discard);
      case 'Unary':
        if (e.op === '++' || e.op === '--') return this.incdec(e.operand, e.op === '++' ? 1 : -1, false, discard);
        break;
      case 'Call': return this.call(e, discard);
      case 'Comma': this.expr(e.left, true); return this.expr(e.right, discard);
      default: break;
    }
    const t = this.rvalue(e);
    if (discard) this.emit(Op.POP);
    return t;
  }

  /** Hook for calls; compile-call.ts supplies it. */
  call(e: Extract<Expr, { kind: 'Call' }>, discard: boolean): CType {
    this.m.error(e.range, 'calls are not supported here');
    if (!discard) this.emit(Op.PUSH, 0);
    return INT;
  }

  private rvalue(e: Expr): CType {
    switch (e.kind) {
      case 'Number': case 'Char': case 'String': {
        const f = this.foldNode(e) as Folded;
        this.pushValue(f.v);
        return f.t;
      }
      case 'Ident': return this.ident(e.name, e.range);
      case 'Unary': return this.unary(e);
      case 'Binary': return this.binary(e);
      case 'Conditional': {
        const other = this.newLabel(), first = this.newLabel(), end = this.newLabel();
        this.cond(e.test, other);
        const t1 = decay(this.expr(e.consequent));
        this.jump(Op.JMP, first);
        this.bind(other);
        const t2 = decay(this.expr(e.alternate));
        if (!isArithmetic(t1) || !isArithmetic(t2)) {
          this.bind(first);
          this.bind(end);
          return t1.k === 'int' ? t2 : t1;
        }
        // Both arms convert to their common type (`c ? -1 : 0u` is 4294967295); the first arm's
        // conversion, when it needs one, sits after the second arm.
        const t = arith(promote(t1), promote(t2));
        this.convert(promote(t2), t);
        const c1 = this.conversions(promote(t1), t);
        if (c1.length > 0) {
          this.jump(Op.JMP, end);
          this.bind(first);
          for (const c of c1) this.emit(Op.CONV, c);
        } else this.bind(first);
        this.bind(end);
        return t;
      }
      case 'Member': case 'Index': {
        const r = this.placeOrValue(e);
        return 'place' in r ? this.loadPlace(r.place) : r.type;
      }
      case 'Cast': {
        const from = this.expr(e.operand);
        const to = this.m.types.resolve(e.type);
        if (to.k === 'void') return to;
        this.checkReinterpret(decay(from), to, e.range);
        this.convert(decay(from), to);
        return to;
      }
      case 'Sizeof': {
        this.pushValue(this.sizeOf(e));
        return ULONG;
      }
      case 'InitList':
        this.m.error(e.range, 'a brace-enclosed initializer is only allowed in a declaration');
        this.emit(Op.PUSH, 0);
        return INT;
      case 'ErrorExpr':
        this.emit(Op.PUSH, 0);
        return INT;
      default: return this.exprInner(e, false);
    }
  }

  private ident(name: string, range: Range): CType {
    const v = this.lookupLocal(name);
    if (v) return this.loadPlace({ k: v.isStatic ? 'global' : 'local', off: v.offset, type: v.type });
    const g = this.m.globals.get(name);
    if (g) return this.loadPlace({ k: 'global', off: g.offset, type: g.type });
    const fi = this.m.fnIndex.get(name);
    if (fi !== undefined) {
      this.pushValue(TEXT_BASE + fi * TEXT_STRIDE);
      return FN;
    }
    if (this.m.defines.has(name) && !this.expanding.has(name)) {
      const d = this.m.defines.get(name);
      if (!d) { this.emit(Op.PUSH, 0); return INT; }
      if (this.expanding.size >= MAX_MACRO_DEPTH) {
        this.m.error(range, `macro expansion too deep: '${name}' expands through more than ${MAX_MACRO_DEPTH} nested #defines`, 'too-deep');
        this.emit(Op.PUSH, 0);
        return INT;
      }
      this.expanding.add(name);
      try { return this.expr(d); } finally { this.expanding.delete(name); }
    }
    if (name === 'errno') { this.emit(Op.LOAD_ERRNO); return INT; }
    if (name === 'init_task') { this.emit(Op.PUSHK, this.m.constant(INIT_TASK_REF)); return this.m.types.struct('task_struct'); }
    if (name === 'current' || name === 'jiffies') {
      const cur = name === 'current';
      this.emit(Op.SYS, this.m.site(cur ? 'get_current' : 'jiffies', 0, 'direct', range));
      return cur ? { k: 'ptr', to: this.m.types.struct('task_struct') } : ULONG;
    }
    // (A prototype of a library function, without a body here, still names the library's.)
    const wrapper = libcValue(this.m, name, range);
    if (wrapper !== undefined) {
      this.pushValue(TEXT_BASE + wrapper * TEXT_STRIDE);
      return FN;
    }
    // A library name libcValue refused has its own error; anything else is unknown.
    if (!lookupCall(name)) this.m.error(range, this.m.fnTypes.has(name) ? `function '${name}' has no body in this file` : `'${name}' undeclared`, 'vm-undefined');
    this.emit(Op.PUSH, 0);
    return INT;
  }

  /** Compiles a condition and jumps to `falseLabel` when it is false. */
  cond(e: Expr, falseLabel: number): void {
    if (e.kind === 'Binary' && e.op === '&&') {
      this.cond(e.left, falseLabel);
      this.cond(e.right, falseLabel);
      return;
    }
    if (e.kind === 'Binary' && e.op === '<' && !this.fold(e)) {
      const l = decay(this.expr(e.left));
      const r = decay(this.expr(e.right));
      this.compareOperands(l, r);
      this.jump(Op.LTJZ, falseLabel);
      return;
    }
    this.expr(e);
    this.jump(Op.JZ, falseLabel);
  }

  private unary(e: Extract<Expr, { kind: 'Unary' }>): CType {
    switch (e.op) {
      case '&': {
        // &f is f: a function of the file, or of the library (which ident wraps).
        if (e.operand.kind === 'Ident' && !this.isVariable(e.operand.name) && (this.m.fnIndex.has(e.operand.name)
          || (lookupCall(e.operand.name) && !this.m.defines.has(e.operand.name)))) return this.expr(e.operand);
        // &init_task, &p->children, &e->list: a kernel structure's value is already its handle.
        const ks = this.kernelStruct(e.operand);
        if (ks) { this.expr(e.operand); return { k: 'ptr', to: ks }; }
        const p = this.place(e.operand);
        this.addrOf(p, e.range);
        return { k: 'ptr', to: p.type };
      }
      case '*': {
        const t = decay(this.expr(e.operand));
        if (t.k === 'fn' || (t.k === 'ptr' && t.to.k === 'fn')) return t;
        const el = pointee(t);
        if (!el || el.k === 'void') {
          this.m.error(e.range, `cannot dereference a value of type '${typeName(t)}'`, 'vm-type');
          return INT;
        }
        if (el.k === 'struct' || el.k === 'array') return el;
        this.loadThrough(el);
        return el;
      }
      case '!': this.expr(e.operand); this.emit(Op.LNOT); return INT;
      case '-': case '~': {
        const t = promote(decay(this.expr(e.operand)));
        if (t.k === 'float') {
          if (e.op === '~') this.m.error(e.range, "wrong type argument to bit-complement: '~' needs an integer, not a floating value", 'vm-type');
          else this.emit(Op.FOP, FOp.NEG);
          return t;
        }
        this.emit(e.op === '-' ? Op.NEG : Op.BNOT);
        this.wrap(t);
        return t;
      }
      case '+': return promote(decay(this.expr(e.operand)));
      default: return this.incdec(e.operand, e.op === '++' ? 1 : -1, false, false);
    }
  }

  private binary(e: Extract<Expr, { kind: 'Binary' }>): CType {
    if (e.op === '&&' || e.op === '||') {
      const short = this.newLabel(), end = this.newLabel();
      this.expr(e.left);
      this.jump(e.op === '&&' ? Op.JZ : Op.JNZ, short);
      this.expr(e.right);
      this.emit(Op.LNOT); this.emit(Op.LNOT);
      this.jump(Op.JMP, end);
      this.bind(short);
      this.emit(Op.PUSH, e.op === '&&' ? 0 : 1);
      this.bind(end);
      return INT;
    }
    const l = decay(this.expr(e.left));
    const r = decay(this.expr(e.right));
    return this.arithmetic(e.op, l, r, e.range);
  }

  /** Emits a binary operator on the two values on top; returns the result type. */
  arithmetic(op: string, l: CType, r: CType, range: Range): CType {
    if (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') this.compareOperands(l, r);
    switch (op) {
      case '==': this.emit(Op.EQ); return INT;
      case '!=': this.emit(Op.NE); return INT;
      case '<': this.emit(Op.LT); return INT;
      case '<=': this.emit(Op.LE); return INT;
      case '>': this.emit(Op.GT); return INT;
      case '>=': this.emit(Op.GE); return INT;
      default: break;
    }
    if (l.k === 'float' || r.k === 'float') return this.floatArithmetic(op, l, r, range);
    const lp = l.k === 'ptr', rp = r.k === 'ptr';
    if ((op === '+' || op === '-') && (lp || rp)) {
      if (lp && rp && op === '-') {
        this.emit(Op.SUB);
        const n = cellsOf(pointee(l) ?? INT);
        if (n !== 1) { this.emit(Op.PUSH, n); this.emit(Op.DIV, Kind.LONG); }
        return LONG;
      }
      if (lp && !rp) {
        this.scale(cellsOf(pointee(l) ?? INT));
        this.emit(op === '+' ? Op.ADD : Op.SUB);
        return l;
      }
      if (op === '+') {
        // int + pointer: scale the int, which sits below the pointer.
        const tmp = this.temp();
        this.emit(Op.STORELP, tmp);
        this.scale(cellsOf(pointee(r) ?? INT));
        this.emit(Op.LOADL, tmp);
        this.emit(Op.ADD);
        return r;
      }
      this.m.error(range, 'invalid operands to binary -', 'vm-type');
      this.emit(Op.SUB);
      return LONG;
    }
    const t = op === '<<' || op === '>>' ? promote(l) : arith(promote(l), promote(r));
    const k = kindOf(t);
    switch (op) {
      case '+': this.emit(Op.ADD); this.wrap(t); break;
      case '-': this.emit(Op.SUB); this.wrap(t); break;
      case '*': this.emit(Op.MUL, k); break;
      case '/': this.emit(Op.DIV, k); break;
      case '%': this.emit(Op.MOD, k); break;
      case '<<': this.emit(Op.SHL, k); break;
      case '>>': this.emit(Op.SHR, k); break;
      case '&': this.emit(Op.AND); this.wrap(t); break;
      case '|': this.emit(Op.OR); this.wrap(t); break;
      case '^': this.emit(Op.XOR); this.wrap(t); break;
      default: this.m.error(range, `operator '${op}' is not supported`);
    }
    return t;
  }

  private assign(e: Extract<Expr, { kind: 'Assign' }>, discard: boolean): CType {
    const p = this.place(e.target);
    if (p.type.k === 'struct' || p.type.k === 'array') {
      if (e.op !== '=' || p.type.k === 'array') {
        this.m.error(e.range, p.type.k === 'array' ? 'assignment to an array is not allowed' : 'invalid operands for a struct', 'vm-type');
      }
      this.addrOf(p, e.range);
      this.expr(e.value);
      this.emit(Op.COPY, cellsOf(p.type));
      if (!discard) this.emit(Op.PUSH, 0);
      return p.type;
    }
    if (e.op === '=') {
      const vt = decay(this.expr(e.value));
      this.convert(vt, p.type);
    } else {
      if (p.k === 'addr' || p.k === 'bytes') this.emit(Op.DUP);
      this.loadPlace(p);
      const vt = decay(this.expr(e.value));
      const rt = this.arithmetic(e.op.slice(0, -1), decay(p.type), vt, e.range);
      this.convert(rt, p.type);
    }
    this.storePlace(p, !discard);
    return p.type;
  }

  private incdec(target: Expr, delta: number, postfix: boolean, discard: boolean): CType {
    const p = this.place(target);
    const t = p.type;
    if (t.k === 'float') return this.incdecFloat(p, delta, postfix, discard);
    const step = t.k === 'ptr' ? delta * cellsOf(t.to) : delta;
    if (p.k === 'local' && discard && t.k === 'int' && t.bytes === 4 && !t.unsigned) {
      this.emit(Op.INCL, p.off, step);
      return t;
    }
    if (p.k === 'addr' || p.k === 'bytes') {
      this.emit(Op.DUP);
      if (p.k === 'bytes') this.loadPlace(p);
      else this.emit(Op.LOAD);
      const tmp = postfix && !discard ? this.temp() : -1;
      if (tmp >= 0) this.emit(Op.STOREL, tmp);
      this.emit(Op.PUSH, step);
      this.emit(Op.ADD);
      this.convert(LONG, t);
      this.storePlace(p, !discard && !postfix);
      if (tmp >= 0) this.emit(Op.LOADL, tmp);
      return t;
    }
    this.loadPlace(p);
    if (postfix && !discard) this.emit(Op.DUP);
    this.emit(Op.PUSH, step);
    this.emit(Op.ADD);
    this.convert(LONG, t);
    this.storePlace(p, !discard && !postfix);
    return t;
  }

  /** `x++` and the others on a double or float: x + 1.0 rounded to x's type. */
  private incdecFloat(p: Place, delta: number, postfix: boolean, discard: boolean): CType {
    const t = p.type;
    if (p.k === 'addr') this.emit(Op.DUP);
    this.loadPlace(p);
    const tmp = postfix && !discard ? this.temp() : -1;
    if (tmp >= 0) this.emit(Op.STOREL, tmp);
    this.emit(Op.PUSH, delta);
    this.emit(Op.FOP, floatOp('+', t) ?? FOp.ADD);
    this.storePlace(p, !discard && !postfix);
    if (tmp >= 0) this.emit(Op.LOADL, tmp);
    return t;
  }
}
