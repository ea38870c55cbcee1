// Expressions to bytecode: C's integer rules (int wraps at 32 bits, long at 64, unsigned types
// modulo 2^32 and 2^64, the usual arithmetic conversions), pointer arithmetic in cells, lvalues
// as places, floating operands (compile-convert.ts), and constant folding of #defines.
import type { Expr, Range } from '../lang/ast';
import { arith, cellsOf, decay, FN, INT, isArithmetic, LONG, pointee, promote, typeName, ULONG, type CType } from './ctypes';
import { MAX_MACRO_DEPTH } from '../lang/check-values';
import { ConvertingBuilder } from './compile-convert';
import { TEXT_BASE, TEXT_STRIDE } from './image';
import { Conv, Op } from './opcodes';
import { floatOp, Kind, kindOf, type Folded } from './fold';
import { FOp } from './float';
import { INIT_TASK_REF } from './types';

export { MAX_EXPR_LEVELS } from './compile-fold';

/** Where an lvalue lives. For 'addr' the address has been pushed already. */
export type Place =
  | { k: 'local'; off: number; type: CType }
  | { k: 'global'; off: number; type: CType }
  | { k: 'addr'; type: CType }
  /** An integer member of a union laid out byte by byte (ctypes.ts): its address has been pushed. */
  | { k: 'bytes'; type: CType }
  | { k: 'errno'; type: CType };

export class ExprCompiler extends ConvertingBuilder {
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
    if (this.m.fnTypes.has(name)) this.m.error(range, `function '${name}' has no body in this file`, 'vm-undefined');
    else this.m.error(range, `'${name}' undeclared`, 'vm-undefined');
    this.emit(Op.PUSH, 0);
    return INT;
  }

  /**
   * One walk of e: the place of an lvalue (nothing loaded yet), or the value of anything else
   * (pushed). A member or subscript needs to know what its object is before it decides how to
   * reach it; asking for the object's type first and compiling it after would walk a chain like
   * `p->n->n->v` or `a[0][0][0]` twice per link, which doubles the work with every link.
   */
  private placeOrValue(e: Expr): { place: Place } | { type: CType } {
    switch (e.kind) {
      case 'Ident':
        if (this.isVariable(e.name)) return { place: this.place(e) };
        break;
      case 'Index': return { place: this.place(e) };
      case 'Member': {
        if (!e.arrow) {
          // A member of a kernel structure held by value (`p->se.vruntime`, `init_task.tasks`):
          // the structure's handle, then the field through the host.
          const ks = this.kernelStruct(e.object);
          if (!ks) return { place: this.place(e) };
          this.expr(e.object);
          return { type: this.kernelField(ks, e.name, e.nameRange) };
        }
        if (!this.enterLevel(e.range)) { this.emit(Op.PUSH, 0); return { type: INT }; }
        try {
          const s = pointee(decay(this.expr(e.object)));
          if (s && s.k === 'struct' && s.layout && s.layout.kernel) return { type: this.kernelField(s, e.name, e.nameRange) };
          return { place: this.field(s, e.name, e.nameRange, { k: 'addr', type: INT }) };
        } finally { this.level--; }
      }
      default: break;
    }
    return { type: this.expr(e) };
  }

  /** Kernel objects are read by the host, field by field: FIELD on the handle on top. */
  private kernelField(s: Extract<CType, { k: 'struct' }>, name: string, range: Range): CType {
    const f = s.layout?.fields.find((x) => x.name === name);
    this.emit(Op.FIELD, this.m.constant(name));
    if (!f) this.m.error(range, `'struct ${s.name}' has no member named '${name}'`, 'vm-field');
    return f ? f.type : INT;
  }

  /** Static types of kernel-structure chains, by node (each link of a chain asks for the one below). */
  private readonly kinds = new Map<Expr, CType | null>();

  /**
   * The kernel structure `e` designates by value (`init_task`, `p->children`, `e->list`), or null
   * when it is no kernel structure. Its value on the operand stack is its handle: what the host
   * gave for a member of a kernel object, or its address when it lives in scenario memory.
   */
  protected kernelStruct(e: Expr): Extract<CType, { k: 'struct' }> | null {
    if (e.kind !== 'Member' && e.kind !== 'Ident') return null;
    let t = this.kinds.get(e);
    if (t === undefined) { t = this.typeOf(e); this.kinds.set(e, t); }
    return t && t.k === 'struct' && t.layout?.kernel ? t : null;
  }

  /** Resolves an lvalue; for an 'addr' place its address is left on the stack. */
  place(e: Expr): Place {
    if (!this.enterLevel(e.range)) { this.emit(Op.PUSH, 0); return { k: 'addr', type: INT }; }
    try { return this.placeLevel(e); } finally { this.level--; }
  }

  private placeLevel(e: Expr): Place {
    switch (e.kind) {
      case 'Ident': {
        const v = this.lookupLocal(e.name);
        if (v) return { k: v.isStatic ? 'global' : 'local', off: v.offset, type: v.type };
        const g = this.m.globals.get(e.name);
        if (g) return { k: 'global', off: g.offset, type: g.type };
        if (e.name === 'errno') return { k: 'errno', type: INT };
        break;
      }
      case 'Unary':
        if (e.op === '*') {
          const t = decay(this.expr(e.operand));
          return { k: 'addr', type: pointee(t) ?? INT };
        }
        break;
      case 'Member': {
        if (e.arrow) {
          const t = decay(this.expr(e.object));
          const s = pointee(t);
          return this.field(s, e.name, e.nameRange, { k: 'addr', type: INT });
        }
        const base = this.place(e.object);
        return this.field(base.type, e.name, e.nameRange, base);
      }
      case 'Index': {
        const base = this.placeOrValue(e.object);
        if ('place' in base && base.place.type.k === 'array') {
          const p = base.place, of = base.place.type.of;
          const idx = this.fold(e.index);
          if (idx && typeof idx.v === 'number' && idx.t.k !== 'float') {
            if (p.k === 'local' || p.k === 'global') return { k: p.k, off: p.off + idx.v * cellsOf(of), type: of };
            this.addrOf(p, e.range);
            this.offsetBy(idx.v * cellsOf(of));
            return { k: 'addr', type: of };
          }
          this.addrOf(p, e.range);
          this.index(e.index);
          this.scale(cellsOf(of));
          this.emit(Op.ADD);
          return { k: 'addr', type: of };
        }
        const t = decay('place' in base ? this.loadPlace(base.place) : base.type);
        const el = pointee(t);
        if (!el) this.m.error(e.range, 'subscripted value is neither array nor pointer', 'vm-type');
        this.index(e.index);
        this.scale(el ? cellsOf(el) : 1);
        this.emit(Op.ADD);
        return { k: 'addr', type: el ?? INT };
      }
      default: break;
    }
    this.m.error(e.range, 'expression is not assignable (not an lvalue)', 'vm-lvalue');
    this.emit(Op.PUSH, 0);
    return { k: 'addr', type: INT };
  }

  /** A subscript's value: an integer, as C requires of it. */
  private index(e: Expr): void {
    if (this.expr(e).k === 'float') this.m.error(e.range, 'array subscript is not an integer', 'vm-type');
  }

  private field(s: CType | undefined, name: string, range: Range, base: Place): Place {
    if (!s || s.k !== 'struct' || !s.layout) {
      this.m.error(range, `request for member '${name}' in something that is not a known struct`, 'vm-field');
      return base.k === 'addr' ? base : { k: 'addr', type: INT };
    }
    const f = s.layout.fields.find((x) => x.name === name);
    if (!f) {
      this.m.error(range, `'struct ${s.name}' has no member named '${name}'`, 'vm-field');
      return { ...base, type: INT } as Place;
    }
    if (s.layout.kernel) this.m.error(range, `'struct ${s.name}' fields are read-only here`, 'vm-field');
    if (s.layout.overlap && !this.m.refusedUnions.has(s.name)) {
      this.m.refusedUnions.add(s.name);
      this.m.error(range, `union '${s.name}': ${s.layout.overlap}; such a union is not supported by the simulator`, 'vm-unsupported');
    }
    if (f.type.k === 'int' && f.type.le && f.type.bytes > 1) {
      // Kept as its bytes: loads and stores go through them, from the member's address.
      if (base.k === 'local' || base.k === 'global') this.addrOf(base, range);
      this.offsetBy(f.offset);
      return { k: 'bytes', type: f.type };
    }
    if (base.k === 'local' || base.k === 'global') return { k: base.k, off: base.off + f.offset, type: f.type };
    if (base.k === 'errno') return base;
    this.offsetBy(f.offset);
    return { k: 'addr', type: f.type };
  }

  private offsetBy(n: number): void {
    if (n !== 0) { this.emit(Op.PUSH, n); this.emit(Op.ADD); }
  }

  scale(n: number): void {
    if (n !== 1) { this.emit(Op.PUSH, n); this.emit(Op.MUL, Kind.LONG); }
  }

  /** Pushes the address of a place. */
  addrOf(p: Place, range: Range): void {
    if (p.k === 'local') this.emit(Op.ADDRL, p.off);
    else if (p.k === 'global') this.emit(Op.ADDRG, p.off);
    else if (p.k === 'errno') { this.m.error(range, 'the address of errno is not supported', 'vm-unsupported'); this.emit(Op.PUSH, 0); }
    else if (p.k === 'bytes') {
      this.m.error(range, `the address of a ${typeName(p.type)} member of a union whose members overlap byte by byte is not supported by the simulator (it keeps that member as its bytes)`, 'vm-unsupported');
    }
  }

  /** Loads a place's value; arrays and structs give their address instead (they decay). */
  loadPlace(p: Place): CType {
    if (p.type.k === 'array' || p.type.k === 'struct') {
      this.addrOf(p, { start: 0, end: 0 });
      return p.type;
    }
    switch (p.k) {
      case 'local': this.emit(Op.LOADL, p.off); this.byteRead(p.type); break;
      case 'global': this.emit(Op.LOADG, p.off); this.byteRead(p.type); break;
      case 'addr':
        this.loadThrough(p.type);
        break;
      case 'bytes': this.bytesCall('__le_load', p.type); break;
      case 'errno': this.emit(Op.LOAD_ERRNO); break;
    }
    return p.type;
  }

  /** [address(, value)] -> value: an integer kept as little-endian bytes, loaded or stored. */
  private bytesCall(name: '__le_load' | '__le_store', t: CType): void {
    this.emit(Op.PUSH, t.k === 'int' ? t.bytes : 4);
    this.emit(Op.PUSH, t.k === 'int' && t.unsigned ? 1 : 0);
    this.emit(Op.PURE, this.m.site(name, name === '__le_load' ? 3 : 4, 'direct', { start: 0, end: 0 }));
  }

  /**
   * LOAD of a `t` through a pointer. A string literal's bytes read as char (signed); through an
   * unsigned char pointer they read as unsigned char.
   */
  private loadThrough(t: CType): void {
    this.emit(Op.LOAD);
    if (t.k === 'int' && t.bytes === 1 && t.unsigned && t.name !== 'bool' && t.name !== '_Bool') this.emit(Op.CONV, Conv.U8);
    else this.byteRead(t);
  }

  /**
   * A pointer cast between integers of different sizes (`(unsigned char *)&x` for an int x):
   * reading through it would take the object's bytes, and the simulator's memory holds whole
   * values in cells, not bytes, so it is refused where it is written instead of reading wrong.
   */
  private checkReinterpret(from: CType, to: CType, range: Range): void {
    const a = pointee(from), b = pointee(to);
    if (!a || !b || a.k !== 'int' || b.k !== 'int' || a.bytes === b.bytes || a.le) return;
    this.m.error(range, `casting '${typeName(from)}' to '${typeName(to)}' reads the bytes of a ${a.bytes}-byte integer as ${b.bytes}-byte ones; the simulator's memory holds whole values, not bytes, so this is not supported (a union of the integer and an unsigned char array is)`, 'vm-unsupported');
  }

  /** A signed char of a union laid out byte by byte: the byte an integer member left reads signed. */
  private byteRead(t: CType): void {
    if (t.k === 'int' && t.le && t.bytes === 1) this.emit(Op.CONV, t.unsigned ? Conv.U8 : Conv.I8);
  }

  /** Stores the value on top into a place (an 'addr' place has its address below it). */
  storePlace(p: Place, keep: boolean): void {
    switch (p.k) {
      case 'local': this.emit(keep ? Op.STOREL : Op.STORELP, p.off); break;
      case 'global': this.emit(keep ? Op.STOREG : Op.STOREGP, p.off); break;
      case 'addr': this.emit(keep ? Op.STORE : Op.STOREP); break;
      case 'bytes': this.bytesCall('__le_store', p.type); if (!keep) this.emit(Op.POP); break;
      case 'errno': this.emit(Op.STORE_ERRNO); if (!keep) this.emit(Op.POP); break;
    }
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
        if (e.operand.kind === 'Ident' && !this.isVariable(e.operand.name) && this.m.fnIndex.has(e.operand.name)) return this.expr(e.operand);
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
