// C strings in user memory as the string functions walk them: straight over a segment's cells
// (no copy, no length cap), so strlen or strcmp over a long string does work in proportion to the
// characters it reads, and the caller charges exactly that (cost.ts).
import { GLOBAL_BASE, SEGMENT_SPAN } from './image';
import type { VmMemory } from './memory';
import type { Value } from './types';

/**
 * A cursor over the C string at an address: character cells up to a 0 cell, the end of the block
 * or a cell holding a string literal (the literal's characters are the rest of the string).
 */
export class CChars {
  private seg: Value[] | null = null;
  private off = 0;
  private lit: string | null = null;
  private litBase = 0;
  /** False when the pointer is NULL or not mapped (reading it faults). */
  readonly mapped: boolean;

  constructor(mem: VmMemory, v: Value | undefined) {
    if (typeof v === 'string') { this.lit = v; this.mapped = true; return; }
    if (typeof v !== 'number' || !(v > 0) || v !== Math.floor(v)) { this.mapped = false; return; }
    const s = Math.floor(v / SEGMENT_SPAN);
    const seg = mem.segs[s];
    const off = v - s * SEGMENT_SPAN;
    this.mapped = !!seg && off < seg.length && !(s === 0 && off < GLOBAL_BASE);
    if (this.mapped) { this.seg = seg as Value[]; this.off = off; }
  }

  /** The i-th character (0 at and past the end); i only grows from one call to the next. */
  at(i: number): number {
    if (this.lit !== null) {
      const j = i - this.litBase;
      return j < this.lit.length ? this.lit.charCodeAt(j) & 0xff : 0;
    }
    const seg = this.seg;
    if (seg === null) return 0;
    const c = seg[this.off + i];
    if (typeof c === 'number') return c === 0 ? 0 : (c & 0xff) || 0x100;
    if (typeof c === 'string') { this.lit = c; this.litBase = i; return this.at(i); }
    return 0;
  }
}

/** strlen: the characters before the end of the string, or -1 when the pointer faults. */
export function cstrlen(mem: VmMemory, v: Value | undefined): number {
  if (typeof v === 'string') return v.length;
  if (typeof v !== 'number' || !(v > 0) || v !== Math.floor(v)) return -1;
  const s = Math.floor(v / SEGMENT_SPAN);
  const seg = mem.segs[s];
  const off = v - s * SEGMENT_SPAN;
  if (!seg || off >= seg.length || (s === 0 && off < GLOBAL_BASE)) return -1;
  // A heap block of numbers only: the first 0 cell, found natively.
  if (mem.numbersOnly(s)) {
    const z = seg.indexOf(0, off);
    return (z < 0 ? seg.length : z) - off;
  }
  // Straight over the cells (CChars.at's rules: 0 ends it, a literal cell adds its characters).
  const n = seg.length;
  for (let i = off; i < n; i++) {
    const c = seg[i];
    if (typeof c === 'number') { if (c === 0) return i - off; continue; }
    return typeof c === 'string' ? i - off + c.length : i - off;
  }
  return n - off;
}

/**
 * strcmp / strncmp (n characters at most): the difference of the first differing characters as
 * unsigned char, and how many characters were read. null when a pointer faults.
 */
export function cstrcmp(mem: VmMemory, a: Value | undefined, b: Value | undefined, n: number): { result: number; read: number } | null {
  const x = new CChars(mem, a), y = new CChars(mem, b);
  if (!x.mapped || !y.mapped) return null;
  for (let i = 0; i < n; i++) {
    const cx = x.at(i) & 0xff, cy = y.at(i) & 0xff;
    const endX = x.at(i) === 0, endY = y.at(i) === 0;
    if (cx !== cy || endX !== endY) return { result: cx - cy, read: i + 1 };
    if (endX) return { result: 0, read: i + 1 };
  }
  return { result: 0, read: n };
}

/**
 * The C string at v as text, at most `max` characters: a literal cell, or character cells up to
 * a 0 cell (a cell holding a literal adds the literal), built a chunk at a time. '' when v is
 * not mapped (as a read of nothing), null for NULL.
 */
export function cstring(mem: VmMemory, v: Value | undefined, max: number): string | null {
  if (typeof v === 'string') return v.length > max ? v.slice(0, max) : v;
  if (typeof v !== 'number' || v === 0) return null;
  if (!(v > 0) || v !== Math.floor(v)) return '';
  const s = Math.floor(v / SEGMENT_SPAN);
  const seg = mem.segs[s];
  const off = v - s * SEGMENT_SPAN;
  if (!seg || (s === 0 && off < GLOBAL_BASE)) return '';
  let out = '';
  const codes: number[] = [];
  const end = Math.min(seg.length, off + max);
  for (let i = off; i < end; i++) {
    const c = seg[i];
    if (typeof c === 'number' && c !== 0) {
      codes.push(c & 0xff);
      if (codes.length === 8192) { out += String.fromCharCode(...codes); codes.length = 0; }
      continue;
    }
    if (typeof c === 'string') { out += String.fromCharCode(...codes) + c; codes.length = 0; }
    break;
  }
  if (codes.length > 0) out += String.fromCharCode(...codes);
  return out.length > max ? out.slice(0, max) : out;
}
