// Reading through a FILE: getchar/fgetc/getc, fgets, fread and scanf/fscanf take what the buffer
// holds (_IO_read_ptr up to _IO_read_end) and refill it with read(fd, buffer, count) when they
// need more (_IO_new_file_underflow): the first read sets the buffer up (isatty: a terminal's
// stdin is line-buffered), a read from a line-buffered stream first writes out stdout's pending
// text (so a prompt shows before the input is waited for), 0 bytes set the end-of-file flag and
// a failed read the error flag. ungetc puts one character back. getline and getdelim grow the
// caller's malloc'd line as glibc's getdelim does (120 bytes first, then at least double).
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';
import { Done } from './libc-calls';
import { Fault } from './libc-fault';
import { flushText } from './stdio-buffer';
import {
  cell, F_BUF_BASE, F_BUF_END, F_FILENO, F_FLAGS, F_READ_BASE, F_READ_END, F_READ_PTR, F_WRITE_BASE, F_WRITE_END, F_WRITE_PTR,
  IO_EOF_SEEN, IO_ERR_SEEN, IO_LINE_BUF, IO_LINKED, IO_NO_READS, IO_NO_WRITES, IO_UNBUFFERED, standardStream,
} from './stdio-file';
import { advance, begin, drain, FAILED, first, FP, OK, ONE, PHASE, setFlags, TEXT, trap, validStream, WFP } from './stdio-ops';
import { scan } from './stdio-scanf';
import { reallocBlock } from './libc-stdlib';
import { decodeBytes } from './byte-image';

const EBADF = 9, EINVAL = 22, ENOMEM = 12, EOF = -1;
/** getdelim's first line buffer when the caller gives none. */
const GETDELIM_FIRST = 120;

/** The input functions this module runs. */
export const GET_OPS: ReadonlySet<string> = new Set(['getchar', 'fgetc', 'getc', 'fgets', 'fread', 'scanf', 'fscanf', 'getdelim']);

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/** What the call's arguments are, kept in the op as JSON (numbers and strings). */
function argsOf(c: LibcCall): Value[] {
  return JSON.parse(String(c.v[TEXT])) as Value[];
}

/**
 * Starts an input function on fp; `args` are what it needs besides the stream (fgets: s, n;
 * fread: ptr, size, n; scanf: the format and the pointers; getdelim: lineptr, n, the delimiter).
 */
export function startGet(op: string, site: number, line: number, mem: VmMemory, r: VmRegs, fp: number, args: Value[]): Trap | Done | Fault {
  if (!validStream(mem, fp)) return new Fault('SIGSEGV', `${op}: ${fp === 0 ? 'NULL' : 'bad'} FILE pointer`);
  if (cell(mem, fp, F_FLAGS) & IO_NO_READS) {
    setFlags(mem, fp, IO_ERR_SEEN);
    r.errno = EBADF;
    return new Done(op === 'fgets' ? 0 : op === 'fread' ? 0 : EOF);
  }
  if (op === 'getdelim') {
    // glibc checks the pointers, then gives a missing or empty line a 120-byte block before reading.
    const lp = num(args[0]), np = num(args[1]);
    if (lp === 0 || np === 0) { r.errno = EINVAL; return new Done(-1); }
    const line0 = mem.load(lp), n0 = mem.load(np);
    if (line0 === undefined || n0 === undefined) return new Fault('SIGSEGV', 'getline: bad lineptr or n pointer');
    if (line0 === 0 || n0 === 0) {
      const block = reallocBlock(mem, r, 0, GETDELIM_FIRST);
      if (block instanceof Fault) return block;
      if (block === 0) { r.errno = ENOMEM; return new Done(-1); }
      mem.store(lp, block);
      mem.store(np, GETDELIM_FIRST);
    }
  }
  const plain = args.map((a) => (typeof a === 'bigint' ? Number(a) : a));
  return first(r, begin(r, op, site, ['get', fp, JSON.stringify(plain), 0, 0, EOF, 0, 'got', fp]), mem, line);
}

type Consumed = { done: Value; used: number } | { more: true; used: number };

/** What the function takes from `avail` (the buffered input); `end`: no more will come. */
function consume(c: LibcCall, mem: VmMemory, r: VmRegs, avail: string, end: boolean): Consumed {
  const a = argsOf(c);
  const v = c.v;
  switch (c.op) {
    case 'fgets': {
      // Up to n-1 characters, through the first newline; NULL at once at the end of the input.
      const s = num(a[0]), n = num(a[1]);
      if (n <= 0) return { done: 0, used: 0 };
      let copied = num(v[OK]), used = 0;
      while (copied < n - 1 && used < avail.length) {
        const ch = avail[used++];
        mem.store(s + copied++, (ch.charCodeAt(0) << 24) >> 24);
        if (ch === '\n') break;
      }
      v[OK] = copied;
      const full = copied >= n - 1 || avail[used - 1] === '\n';
      if (full || end) {
        if (copied === 0 && !full) return { done: 0, used };
        mem.store(s + copied, 0);
        return { done: s, used };
      }
      return { more: true, used };
    }
    case 'getdelim': {
      // What is buffered, through the delimiter, is appended to *lineptr, grown first when the
      // text and a NUL would not fit (to at least twice *n). -1 when the input ends before any.
      const lp = num(a[0]), np = num(a[1]), delim = String.fromCharCode(num(a[2]) & 0xff);
      const cur = num(v[OK]);
      if (avail.length === 0) {
        if (!end) return { more: true, used: 0 };
        if (cur === 0) return { done: EOF, used: 0 };
        mem.store(num(mem.load(lp)) + cur, 0);
        return { done: cur, used: 0 };
      }
      const at = avail.indexOf(delim);
      const len = at < 0 ? avail.length : at + 1;
      let size = num(mem.load(np)), buf = num(mem.load(lp));
      const needed = cur + len + 1;
      if (needed > size) {
        size = Math.max(needed, 2 * size);
        const grown = reallocBlock(mem, r, buf, size);
        if (grown instanceof Fault || grown === 0) { r.errno = ENOMEM; return { done: EOF, used: 0 }; }
        buf = num(grown);
        mem.store(lp, buf);
        mem.store(np, size);
      }
      for (let i = 0; i < len; i++) mem.store(buf + cur + i, (avail.charCodeAt(i) << 24) >> 24);
      v[OK] = cur + len;
      if (at >= 0 || end) { mem.store(buf + cur + len, 0); return { done: cur + len, used: len }; }
      return { more: true, used: len };
    }
    case 'fread': {
      const ptr = num(a[0]), size = num(a[1]), total = size * num(a[2]);
      let copied = num(v[OK]), used = 0;
      // Records of ints or structs are put together from their bytes (byte-image.ts).
      const typed = r.image.sites[c.site]?.bufType;
      if (typed) {
        used = Math.min(total - copied, avail.length);
        if (used > 0) decodeBytes(mem, ptr, typed, avail.slice(0, used), copied);
        copied += used;
      }
      while (copied < total && used < avail.length) mem.store(ptr + copied++, (avail.charCodeAt(used++) << 24) >> 24);
      v[OK] = copied;
      if (copied >= total || end) return { done: size > 0 ? Math.floor(copied / size) : 0, used };
      return { more: true, used };
    }
    case 'scanf': case 'fscanf': {
      const r = scan(String(a[0]), avail, end, a.slice(1), mem);
      if (r.kind === 'more') return { more: true, used: 0 };
      if (r.kind === 'fault') return { done: EOF, used: 0 };
      return { done: r.result, used: r.used };
    }
    default: // getchar, fgetc, getc
      if (avail.length > 0) return { done: avail.charCodeAt(0) & 0xff, used: 1 };
      return end ? { done: EOF, used: 0 } : { more: true, used: 0 };
  }
}

function readArea(mem: VmMemory, fp: number): string {
  const p = cell(mem, fp, F_READ_PTR), e = cell(mem, fp, F_READ_END);
  if (p === 0 || e <= p) return '';
  const cells = mem.cells(p, e - p) ?? [];
  let s = '';
  for (const x of cells) s += String.fromCharCode(typeof x === 'number' ? x & 0xff : 0);
  return s;
}

/** One round of an input function: it finishes, or needs a refill (a read, perhaps a flush first). */
export function getStep(r: VmRegs, c: LibcCall, mem: VmMemory, line: number): Done | null {
  const v = c.v;
  const fp = num(v[FP]);
  const flags = cell(mem, fp, F_FLAGS);
  const avail = readArea(mem, fp);
  const end = (flags & IO_EOF_SEEN) !== 0 || v[FAILED] === 1;
  const got = consume(c, mem, r, avail, end);
  mem.store(fp + F_READ_PTR, cell(mem, fp, F_READ_PTR) + got.used);
  if ('done' in got) {
    if (end && v[FAILED] !== 1 && got.done === EOF) setFlags(mem, fp, IO_EOF_SEEN);
    return new Done(got.done);
  }
  if (cell(mem, fp, F_BUF_BASE) === 0) { v[PHASE] = 'alloc'; return advance(r, c, mem, line); }
  // A line-buffered (or unbuffered) stream's refill first writes out stdout's line buffer.
  const out = standardStream(r.image, mem, 'stdout');
  if (flags & (IO_LINE_BUF | IO_UNBUFFERED) && out !== 0 && out !== fp && validStream(mem, out)
    && (cell(mem, out, F_FLAGS) & (IO_LINKED | IO_NO_WRITES | IO_LINE_BUF)) === (IO_LINKED | IO_LINE_BUF)) {
    const writes = flushText(mem, out);
    if (writes.length > 0) { v[PHASE] = 'write'; v[WFP] = out; v.push(...writes); return drain(r, c, mem, line); }
  }
  // What is left unread moves to the buffer's start; the read fills the rest.
  const base = cell(mem, fp, F_BUF_BASE), size = cell(mem, fp, F_BUF_END) - base;
  const left = readArea(mem, fp);
  for (let i = 0; i < left.length; i++) mem.store(base + i, (left.charCodeAt(i) << 24) >> 24);
  for (const f of [F_READ_BASE, F_READ_PTR, F_WRITE_BASE, F_WRITE_PTR, F_WRITE_END]) mem.store(fp + f, base);
  mem.store(fp + F_READ_END, base + left.length);
  if (left.length >= size) { v[FAILED] = 1; return getStep(r, c, mem, line); }
  v[PHASE] = 'read';
  c.next = trap(line, 'read', [cell(mem, fp, F_FILENO), base + left.length, size - left.length]);
  return null;
}

/** The read of a refill returned `raw` bytes (0: end of file, negative: an error). */
export function readDone(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, line: number): Done | null {
  const fp = num(c.v[FP]);
  if (raw === 0) setFlags(mem, fp, IO_EOF_SEEN);
  if (raw < 0) { setFlags(mem, fp, IO_ERR_SEEN); r.errno = -raw; c.v[FAILED] = 1; }
  else mem.store(fp + F_READ_END, cell(mem, fp, F_READ_END) + raw);
  c.v[PHASE] = 'got';
  c.v[ONE] = 0;
  return getStep(r, c, mem, line);
}

/** ungetc(c, fp): c goes back in front of what is buffered; EOF for EOF or when there is no room. */
export function ungetc(mem: VmMemory, ch: number, fp: number): Value | Fault {
  if (!validStream(mem, fp)) return new Fault('SIGSEGV', `ungetc: ${fp === 0 ? 'NULL' : 'bad'} FILE pointer`);
  if (ch === EOF) return EOF;
  const base = cell(mem, fp, F_BUF_BASE), p = cell(mem, fp, F_READ_PTR);
  const b = ch & 0xff;
  if (base !== 0 && p > base) {
    mem.store(p - 1, (b << 24) >> 24);
    mem.store(fp + F_READ_PTR, p - 1);
  } else {
    const left = readArea(mem, fp);
    if (base === 0 || left.length + 1 > cell(mem, fp, F_BUF_END) - base) return EOF;
    const text = String.fromCharCode(b) + left;
    for (let i = 0; i < text.length; i++) mem.store(base + i, (text.charCodeAt(i) << 24) >> 24);
    mem.store(fp + F_READ_BASE, base); mem.store(fp + F_READ_PTR, base); mem.store(fp + F_READ_END, base + text.length);
  }
  setFlags(mem, fp, 0, IO_EOF_SEEN);
  return b;
}
