// Lvalues as places for the expression compiler: where a variable, member, subscript or
// dereference lives (a local or global cell, an address on the stack, a byte-kept union member,
// errno), loading and storing through it, and the fields of kernel structures read by the host.
import type { Expr, Range } from '../lang/ast';
import { cellsOf, decay, INT, pointee, typeName, type CType } from './ctypes';
import { ConvertingBuilder } from './compile-convert';
import { Conv, Op } from './opcodes';
import { Kind } from './fold';

/** Where an lvalue lives. For 'addr' the address has been pushed already. */
export type Place =
  | { k: 'local'; off: number; type: CType }
  | { k: 'global'; off: number; type: CType }
  | { k: 'addr'; type: CType }
  /** An integer member of a union laid out byte by byte (ctypes.ts): its address has been pushed. */
  | { k: 'bytes'; type: CType }
  | { k: 'errno'; type: CType };

export abstract class PlaceCompiler extends ConvertingBuilder {
  /**
   * One walk of e: the place of an lvalue (nothing loaded yet), or the value of anything else
   * (pushed). A member or subscript needs to know what its object is before it decides how to
   * reach it; asking for the object's type first and compiling it after would walk a chain like
   * `p->n->n->v` or `a[0][0][0]` twice per link, which doubles the work with every link.
   */
  protected placeOrValue(e: Expr): { place: Place } | { type: CType } {
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
        // A member of a struct a call returns (`div(a, b).quot`, `make_point().x`): the value
        // of a struct is its address, read before anything else can reuse the memory.
        if (e.object.kind === 'Call') {
          const t = this.expr(e.object);
          return this.field(t, e.name, e.nameRange, { k: 'addr', type: t });
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
  protected loadThrough(t: CType): void {
    this.emit(Op.LOAD);
    if (t.k === 'int' && t.bytes === 1 && t.unsigned && t.name !== 'bool' && t.name !== '_Bool') this.emit(Op.CONV, Conv.U8);
    else this.byteRead(t);
  }

  /**
   * A pointer cast between integers of different sizes (`(unsigned char *)&x` for an int x):
   * reading through it would take the object's bytes, and the simulator's memory holds whole
   * values in cells, not bytes, so it is refused where it is written instead of reading wrong.
   */
  protected checkReinterpret(from: CType, to: CType, range: Range): void {
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
}
