// The bytes x86-64 memory holds for typed data kept in cells: an int is one cell but four bytes,
// a struct's fields sit at their aligned byte offsets with padding between. read and write move
// bytes, so `write(fd, &n, sizeof n)` sends n's four little-endian bytes and `read(fd, &r,
// sizeof r)` puts a struct back together from them, as between two real processes; fwrite and
// fread of records do the same through a FILE.
import { alignOf, bytesOf, cellsOf, type CType } from './ctypes';
import type { VmMemory } from './memory';
import type { Value } from './types';
import { norm } from './int64';

/** Whether data of this type is one cell per byte already (char, void, a union laid out by bytes). */
export function isByteCells(t: CType): boolean {
  if (t.k === 'int') return t.bytes === 1 || t.le === true;
  if (t.k === 'void') return true;
  if (t.k === 'array') return isByteCells(t.of);
  if (t.k === 'struct') return t.layout !== null && t.layout.cells === t.layout.bytes;
  return false;
}

function big(v: Value | undefined): bigint {
  if (typeof v === 'bigint') return v;
  return typeof v === 'number' && Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
}

/** Byte offsets of a struct's fields (a union's all 0), by x86-64 alignment. */
export function fieldBytes(t: Extract<CType, { k: 'struct' }>): number[] {
  const fields = t.layout?.fields ?? [];
  const union = fields.length > 1 && fields.every((f) => f.offset === 0);
  let off = 0;
  return fields.map((f) => {
    if (union) return 0;
    const a = alignOf(f.type);
    off = Math.ceil(off / a) * a;
    const at = off;
    off += bytesOf(f.type);
    return at;
  });
}

/** Appends the bytes of one object of type t at addr to out; false where a cell is unmapped. */
function encodeAt(mem: VmMemory, addr: number, t: CType, out: number[]): boolean {
  if (isByteCells(t)) {
    const cells = mem.cells(addr, t.k === 'void' ? 1 : cellsOf(t));
    if (cells === null) return false;
    for (const c of cells) out.push(Number(big(c) & 0xffn));
    return true;
  }
  switch (t.k) {
    case 'array':
      for (let i = 0; i < t.n; i++) if (!encodeAt(mem, addr + i * cellsOf(t.of), t.of, out)) return false;
      return true;
    case 'struct': {
      if (!t.layout) return false;
      const bytes = new Array<number>(t.layout.bytes).fill(0);
      const offs = fieldBytes(t);
      const fields = t.layout.fields;
      // A union's members share their bytes: the first is the one written out.
      const count = fields.length > 1 && offs.every((o) => o === 0) ? 1 : fields.length;
      for (let i = 0; i < count; i++) {
        const part: number[] = [];
        if (!encodeAt(mem, addr + fields[i].offset, fields[i].type, part)) return false;
        for (let j = 0; j < part.length && offs[i] + j < bytes.length; j++) bytes[offs[i] + j] = part[j];
      }
      out.push(...bytes);
      return true;
    }
    default: {
      const c = mem.load(addr);
      if (c === undefined) return false;
      const n = bytesOf(t);
      if (t.k === 'float') {
        const dv = new DataView(new ArrayBuffer(8));
        if (n === 4) dv.setFloat32(0, typeof c === 'number' ? c : Number(c), true);
        else dv.setFloat64(0, typeof c === 'number' ? c : Number(c), true);
        for (let i = 0; i < n; i++) out.push(dv.getUint8(i));
        return true;
      }
      const v = BigInt.asUintN(64, big(c));
      for (let i = 0; i < n; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
      return true;
    }
  }
}

/** Stores one object of type t at addr from bytes[at...]. */
function decodeAt(mem: VmMemory, addr: number, t: CType, bytes: number[], at: number): boolean {
  if (isByteCells(t)) {
    const n = t.k === 'void' ? 1 : cellsOf(t);
    for (let i = 0; i < n; i++) if (!mem.store(addr + i, ((bytes[at + i] ?? 0) << 24) >> 24)) return false;
    return true;
  }
  switch (t.k) {
    case 'array': {
      const size = bytesOf(t.of);
      for (let i = 0; i < t.n; i++) if (!decodeAt(mem, addr + i * cellsOf(t.of), t.of, bytes, at + i * size)) return false;
      return true;
    }
    case 'struct': {
      if (!t.layout) return false;
      const offs = fieldBytes(t);
      const fields = t.layout.fields;
      const count = fields.length > 1 && offs.every((o) => o === 0) ? 1 : fields.length;
      for (let i = 0; i < count; i++) if (!decodeAt(mem, addr + fields[i].offset, fields[i].type, bytes, at + offs[i])) return false;
      return true;
    }
    default: {
      const n = bytesOf(t);
      if (t.k === 'float') {
        const dv = new DataView(new ArrayBuffer(8));
        for (let i = 0; i < n; i++) dv.setUint8(i, bytes[at + i] ?? 0);
        return mem.store(addr, n === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true));
      }
      let v = 0n;
      for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
      const signed = t.k === 'int' && !t.unsigned;
      return mem.store(addr, norm(signed ? BigInt.asIntN(n * 8, v) : BigInt.asUintN(n * 8, v)));
    }
  }
}

/** How many whole objects of type t cover n bytes. */
function objectsFor(t: CType, n: number): number {
  return Math.ceil(n / Math.max(1, bytesOf(t)));
}

/** The first n bytes of memory from addr, read as objects of type t; null where not mapped. */
export function encodeBytes(mem: VmMemory, addr: number, t: CType, n: number): string | null {
  const out: number[] = [];
  const step = cellsOf(t);
  for (let i = 0; i < objectsFor(t, n); i++) if (!encodeAt(mem, addr + i * step, t, out)) return null;
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(out[i] ?? 0);
  return s;
}

/**
 * Puts `data` (bytes) at byte `at` of the objects of type t from addr: the objects the bytes cover are read out,
 * overlaid and stored back, so a part of an int changes only those bytes of it. False where the
 * memory is not mapped.
 */
export function decodeBytes(mem: VmMemory, addr: number, t: CType, data: string, at = 0): boolean {
  if (data.length === 0) return true;
  const size = Math.max(1, bytesOf(t)), step = cellsOf(t);
  // The objects bytes at..at+length fall in, from the first to the last.
  const first = Math.floor(at / size), count = objectsFor(t, at + data.length) - first;
  const base = addr + first * step, skip = at - first * size;
  const bytes: number[] = [];
  for (let i = 0; i < count; i++) if (!encodeAt(mem, base + i * step, t, bytes)) return false;
  for (let i = 0; i < data.length; i++) bytes[skip + i] = data.charCodeAt(i) & 0xff;
  for (let i = 0; i < count; i++) if (!decodeAt(mem, base + i * step, t, bytes, i * size)) return false;
  return true;
}
