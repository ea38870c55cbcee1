// <string.h> and the string side of <stdio.h> and <stdlib.h> as glibc does them on x86-64:
// copying, searching and splitting C strings in character cells, sprintf and snprintf, memcpy,
// memmove and memcmp, strdup. Each charges the cells it reads and writes (cost.ts).
import type { CallSite } from './image';
import { SEGMENT_SPAN } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Value } from './types';
import { cellCost, MALLOC_COST } from './cost';
import { cstring, cstrlen } from './cstring';
import { formatCounted } from './printf';
import { Fault } from './libc-fault';

const ENOMEM = 12, EOVERFLOW = 75;
/** The longest string one call reads (as libc.ts's readString). */
const MAX_STRING = 1 << 28;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/** A size_t count: a value past 2^53 (a bigint) or below 0 (a huge size_t) is more than any buffer. */
function count(v: Value | undefined): number {
  if (typeof v === 'bigint') return Infinity;
  const n = num(v);
  return n < 0 ? Infinity : n;
}

/** A pointer k characters on: an address, or the rest of a string literal. */
export function ptrAdd(v: Value | undefined, k: number): Value {
  if (typeof v === 'string') return v.slice(k);
  return num(v) + k;
}

/** The string at v, or a Fault naming the call when v is NULL or unmapped. */
function str(mem: VmMemory, v: Value | undefined, fn: string): string | Fault {
  if (v === 0 || v === undefined) return new Fault('SIGSEGV', `${fn}: NULL pointer dereference`);
  if (typeof v !== 'string' && cstrlen(mem, v) < 0) return new Fault('SIGSEGV', `${fn}: bad pointer`);
  return cstring(mem, v, MAX_STRING) ?? '';
}

/** Stores the characters of text at dst (as signed chars), then a NUL when `nul`. */
function put(mem: VmMemory, dst: Value | undefined, text: string, nul: boolean, fn: string): Fault | null {
  if (typeof dst === 'string') return new Fault('SIGSEGV', `${fn}: write to a string literal (read-only memory)`);
  const d = num(dst);
  if (d === 0) return new Fault('SIGSEGV', `${fn}: NULL pointer dereference`);
  for (let i = 0; i < text.length; i++) {
    if (!mem.store(d + i, ((text.charCodeAt(i) & 0xff) << 24) >> 24)) return new Fault('SIGSEGV', `${fn}: write past the end of the buffer`);
  }
  if (nul && !mem.store(d + text.length, 0)) return new Fault('SIGSEGV', `${fn}: write past the end of the buffer`);
  return null;
}

/** A new heap block holding text and a NUL (strdup), or 0 with ENOMEM. */
function dup(mem: VmMemory, regs: VmRegs, text: string): Value {
  regs.owed += MALLOC_COST;
  const seg = mem.newBlock(text.length + 1);
  if (seg < 0) { regs.errno = ENOMEM; return 0; }
  const a = seg * SEGMENT_SPAN;
  put(mem, a, text, true, 'strdup');
  return a;
}

/** Characters of set (strspn, strcspn, strtok), as a lookup. */
function charSet(s: string): Set<string> {
  return new Set(s.split(''));
}

/** One token from start (strtok_r's work): skip delimiters, cut at the next one with a NUL. */
function nextToken(mem: VmMemory, regs: VmRegs, start: Value, delimArg: Value | undefined, fn: string): { token: Value; rest: Value } | Fault {
  const s = str(mem, start, fn), delim = str(mem, delimArg, fn);
  if (s instanceof Fault) return s;
  if (delim instanceof Fault) return delim;
  const ds = charSet(delim);
  let i = 0;
  while (i < s.length && ds.has(s[i])) i++;
  if (i === s.length) { regs.owed += cellCost(i + 1); return { token: 0, rest: ptrAdd(start, i) }; }
  let j = i;
  while (j < s.length && !ds.has(s[j])) j++;
  regs.owed += cellCost(j + 1 + delim.length);
  if (j === s.length) return { token: ptrAdd(start, i), rest: ptrAdd(start, j) };
  const f = put(mem, ptrAdd(start, j), '', true, fn);
  if (f) return f;
  return { token: ptrAdd(start, i), rest: ptrAdd(start, j + 1) };
}

/** memcpy's and memcmp's count in cells: n bytes of the pointee type (site.scale). */
function cellsFor(site: CallSite, n: number): number {
  const [bytes, cells] = site.scale ?? [1, 1];
  return Math.ceil(n / bytes) * cells;
}

/** The bytes of a cell in memory order (little-endian) as memcmp sees them. */
function cellBytes(v: Value | undefined, width: number): number[] {
  const out: number[] = [];
  let x = typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt(typeof v === 'number' ? Math.trunc(v) : 0);
  for (let i = 0; i < width; i++) { out.push(Number(BigInt.asUintN(8, x))); x >>= 8n; }
  return out;
}

/** The string functions; undefined when `site.name` is not one of them. */
export function stringCall(site: CallSite, a: Value[], mem: VmMemory, regs: VmRegs): Value | Fault | undefined {
  const fn = site.name;
  switch (fn) {
    case 'strcpy': case 'strcat': {
      const src = str(mem, a[1], fn);
      if (src instanceof Fault) return src;
      let at = 0;
      if (fn === 'strcat') { const d = str(mem, a[0], fn); if (d instanceof Fault) return d; at = d.length; }
      regs.owed += cellCost(at + 2 * src.length + 1);
      return put(mem, ptrAdd(a[0], at), src, true, fn) ?? a[0] ?? 0;
    }
    case 'strncpy': {
      // At most n characters; a shorter source is padded with NULs up to n, a longer one is not terminated.
      // A count past any buffer pads until the write faults (at most MAX_STRING characters are tried).
      const n = Math.min(count(a[2]), MAX_STRING);
      const src = str(mem, a[1], fn);
      if (src instanceof Fault) return src;
      const t = src.slice(0, n);
      regs.owed += cellCost(t.length + n);
      return put(mem, a[0], t + '\0'.repeat(n - t.length), false, fn) ?? a[0] ?? 0;
    }
    case 'strncat': {
      // At most n characters of src after dst's, then always a NUL.
      const d = str(mem, a[0], fn), src = str(mem, a[1], fn);
      if (d instanceof Fault) return d;
      if (src instanceof Fault) return src;
      const t = src.slice(0, count(a[2]));
      regs.owed += cellCost(d.length + 2 * t.length + 1);
      return put(mem, ptrAdd(a[0], d.length), t, true, fn) ?? a[0] ?? 0;
    }
    case 'strchr': case 'strrchr': {
      const s = str(mem, a[0], fn);
      if (s instanceof Fault) return s;
      const c = String.fromCharCode(num(a[1]) & 0xff);
      regs.owed += cellCost(s.length + 1);
      // The terminating NUL is part of the string: strchr(s, 0) points at it.
      const i = c === '\0' ? s.length : fn === 'strchr' ? s.indexOf(c) : s.lastIndexOf(c);
      return i < 0 ? 0 : ptrAdd(a[0], i);
    }
    case 'strpbrk': {
      // The first character of s that is in accept, or NULL.
      const t = str(mem, a[0], fn), set = str(mem, a[1], fn);
      if (t instanceof Fault) return t;
      if (set instanceof Fault) return set;
      const cs = charSet(set);
      let i = 0;
      while (i < t.length && !cs.has(t[i])) i++;
      regs.owed += cellCost(i + 1 + set.length);
      return i < t.length ? ptrAdd(a[0], i) : 0;
    }
    case 'strcasecmp': case 'strncasecmp': {
      // Byte by byte as unsigned chars folded to lower case; the first difference, as glibc returns it.
      const x = str(mem, a[0], fn), y = str(mem, a[1], fn);
      if (x instanceof Fault) return x;
      if (y instanceof Fault) return y;
      const n = fn === 'strncasecmp' ? count(a[2]) : Infinity;
      const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
      for (let i = 0; i < n; i++) {
        const cx = i < x.length ? lower(x.charCodeAt(i) & 0xff) : 0, cy = i < y.length ? lower(y.charCodeAt(i) & 0xff) : 0;
        if (cx !== cy || cx === 0) { regs.owed += cellCost(i + 1); return cx - cy; }
      }
      return 0;
    }
    case 'strnlen': {
      // At most maxlen characters are looked at: a buffer without a NUL is fine if it is that long.
      const max = Math.min(count(a[1]), MAX_STRING);
      if (a[0] === 0 || a[0] === undefined) return max === 0 ? 0 : new Fault('SIGSEGV', 'strnlen: NULL pointer dereference');
      if (typeof a[0] === 'string') return Math.min(a[0].length, max);
      let i = 0;
      for (; i < max; i++) {
        const c = mem.load(num(a[0]) + i);
        if (c === undefined) return new Fault('SIGSEGV', 'strnlen: read past the end of the buffer');
        if (c === 0) break;
      }
      regs.owed += cellCost(i + 1);
      return i;
    }
    case 'memchr': {
      // The first of n bytes equal to (unsigned char)c, or NULL.
      const n = Math.min(count(a[2]), MAX_STRING);
      const c = num(a[1]) & 0xff;
      for (let i = 0; i < n; i++) {
        const v = typeof a[0] === 'string' ? (i < a[0].length ? a[0].charCodeAt(i) : 0) : mem.load(num(a[0]) + i);
        if (v === undefined) return new Fault('SIGSEGV', 'memchr: read past the end of the buffer');
        if ((Number(v) & 0xff) === c) { regs.owed += cellCost(i + 1); return ptrAdd(a[0], i); }
      }
      regs.owed += cellCost(n);
      return 0;
    }
    case 'strstr': {
      const h = str(mem, a[0], fn), n = str(mem, a[1], fn);
      if (h instanceof Fault) return h;
      if (n instanceof Fault) return n;
      const i = h.indexOf(n);
      regs.owed += cellCost((i < 0 ? h.length : i + n.length) + n.length);
      return i < 0 ? 0 : ptrAdd(a[0], i);
    }
    case 'strspn': case 'strcspn': {
      const s = str(mem, a[0], fn), set = str(mem, a[1], fn);
      if (s instanceof Fault) return s;
      if (set instanceof Fault) return set;
      const cs = charSet(set);
      let i = 0;
      while (i < s.length && cs.has(s[i]) === (fn === 'strspn')) i++;
      regs.owed += cellCost(i + 1 + set.length);
      return i;
    }
    case 'strdup': case 'strndup': {
      const s = str(mem, a[0], fn);
      if (s instanceof Fault) return s;
      const t = fn === 'strndup' ? s.slice(0, count(a[1])) : s;
      regs.owed += cellCost(2 * t.length + 1);
      return dup(mem, regs, t);
    }
    case 'strtok': case 'strtok_r': {
      // glibc's strtok_r; strtok keeps its position in the process's static `olds`, strtok_r in *saveptr.
      const st = mem.libc;
      const reentrant = fn === 'strtok_r';
      const save = num(a[2]);
      if (reentrant && (save === 0 || mem.load(save) === undefined)) return new Fault('SIGSEGV', 'strtok_r: bad saveptr');
      const saved = reentrant ? mem.load(save) ?? 0 : st.strtok;
      const start = a[0] === 0 || a[0] === undefined ? saved : a[0];
      if (start === 0 || start === undefined) return reentrant ? new Fault('SIGSEGV', 'strtok_r: NULL string and NULL *saveptr') : 0;
      const r = nextToken(mem, regs, start, a[1], fn);
      if (r instanceof Fault) return r;
      if (reentrant) mem.store(save, r.rest); else st.strtok = r.rest;
      return r.token;
    }
    case 'memcpy': case 'memmove': {
      const n = cellsFor(site, count(a[2]));
      if (n <= 0) return a[0] ?? 0;
      if (n > MAX_STRING) return new Fault('SIGSEGV', `${fn}: a count of ${String(a[2])} bytes runs past the end of the buffer`);
      if (typeof a[0] === 'string') return new Fault('SIGSEGV', `${fn}: write to a string literal (read-only memory)`);
      const src: Value[] | null = typeof a[1] === 'string'
        ? Array.from({ length: n }, (_, i) => (i < (a[1] as string).length ? ((a[1] as string).charCodeAt(i) << 24) >> 24 : 0))
        : mem.cells(num(a[1]), n);
      if (src === null) return new Fault('SIGSEGV', `${fn}: bad source pointer`);
      regs.owed += cellCost(2 * n);
      // The source cells are read out first, so overlapping ranges copy as memmove does.
      for (let i = 0; i < n; i++) if (!mem.store(num(a[0]) + i, src[i])) return new Fault('SIGSEGV', `${fn}: bad destination pointer`);
      return a[0] ?? 0;
    }
    case 'memcmp': {
      const nb = count(a[2]);
      const [bytes, cells] = site.scale ?? [1, 1];
      const n = cellsFor(site, nb);
      if (n <= 0) return 0;
      if (n > MAX_STRING) return new Fault('SIGSEGV', `memcmp: a count of ${String(a[2])} bytes runs past the end of the buffers`);
      const read = (v: Value | undefined): Value[] | null => typeof v === 'string'
        ? Array.from({ length: n }, (_, i) => (i < v.length ? v.charCodeAt(i) : 0)) : mem.cells(num(v), n);
      const x = read(a[0]), y = read(a[1]);
      if (x === null || y === null) return new Fault('SIGSEGV', 'memcmp: bad pointer');
      const width = Math.max(1, Math.floor(bytes / cells));
      let left = nb;
      for (let i = 0; i < n && left > 0; i++) {
        const bx = cellBytes(x[i], width), by = cellBytes(y[i], width);
        for (let k = 0; k < width && left > 0; k++, left--) {
          if (bx[k] !== by[k]) { regs.owed += cellCost(i + 1); return bx[k] - by[k]; }
        }
      }
      regs.owed += cellCost(n);
      return 0;
    }
    case 'sprintf': case 'snprintf': {
      // snprintf writes at most size-1 characters and a NUL, and returns the length it would have
      // written; sprintf writes it all.
      const sized = fn === 'snprintf';
      const f = str(mem, a[sized ? 2 : 1], fn);
      if (f instanceof Fault) return f;
      const size = sized ? count(a[1]) : Infinity;
      const limit = sized ? Math.max(0, Math.min(size - 1, MAX_STRING)) : MAX_STRING;
      const r = formatCounted(f, a.slice(sized ? 3 : 2), (v) => cstring(mem, v, MAX_STRING), limit);
      regs.owed += cellCost(r.length);
      if (r.overflow) { regs.errno = EOVERFLOW; return -1; }
      if (size > 0) { const fault = put(mem, a[0], r.text, true, fn); if (fault) return fault; }
      regs.owed += cellCost(r.text.length + 1);
      return r.length;
    }
    default: return undefined;
  }
}
