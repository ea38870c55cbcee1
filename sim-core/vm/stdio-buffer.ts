// How glibc's libio puts output into a FILE's buffer (fileops.c: _IO_new_file_xsputn,
// _IO_new_file_overflow, _IO_default_xsputn, new_do_write): which write system calls a put
// makes, and what stays in the buffer. The buffer is the FILE's cells in user memory; the
// model works on its contents as a string and writes the new state back.
import type { VmMemory } from './memory';
import {
  cell, F_BUF_BASE, F_BUF_END, F_FLAGS, F_MODE, F_READ_BASE, F_READ_END, F_READ_PTR, F_WRITE_BASE, F_WRITE_END, F_WRITE_PTR,
  flagsInt, IO_CURRENTLY_PUTTING, IO_LINE_BUF, IO_UNBUFFERED,
} from './stdio-file';

/** A stream's write side as the model sees it. */
interface PutState {
  /** The text between _IO_write_base and _IO_write_ptr. */
  pending: string;
  size: number;
  line: boolean;
  unbuf: boolean;
  putting: boolean;
  /** The system calls made, in order. */
  writes: string[];
  /** True once a write emptied the buffer (the whole pending text must be stored again). */
  flushed: boolean;
}

/** The buffered text of a stream (_IO_write_base up to _IO_write_ptr). */
export function pendingText(mem: VmMemory, fp: number): string {
  const base = cell(mem, fp, F_WRITE_BASE), ptr = cell(mem, fp, F_WRITE_PTR);
  if (base === 0 || ptr <= base) return '';
  const cells = mem.cells(base, ptr - base);
  if (cells === null) return '';
  let s = '';
  for (const c of cells) s += String.fromCharCode(typeof c === 'number' ? c & 0xff : 0);
  return s;
}

function load(mem: VmMemory, fp: number): PutState {
  const flags = cell(mem, fp, F_FLAGS);
  return {
    pending: pendingText(mem, fp),
    size: Math.max(1, cell(mem, fp, F_BUF_END) - cell(mem, fp, F_BUF_BASE)),
    line: (flags & IO_LINE_BUF) !== 0,
    unbuf: (flags & IO_UNBUFFERED) !== 0,
    putting: (flags & IO_CURRENTLY_PUTTING) !== 0 && cell(mem, fp, F_WRITE_BASE) !== 0,
    writes: [],
    flushed: false,
  };
}

/** new_do_write: one write of `data` (the pointers go back to the start of the buffer). */
function doWrite(s: PutState, data: string): void {
  if (data.length > 0) s.writes.push(data);
  s.pending = '';
  s.flushed = true;
}

/** Room _IO_write_end leaves: none on a line-buffered or unbuffered stream (every put overflows). */
function room(s: PutState): number {
  return !s.putting || s.line || s.unbuf ? 0 : s.size - s.pending.length;
}

/** _IO_new_file_overflow(f, ch); ch null is EOF (flush what is buffered). */
function overflow(s: PutState, ch: string | null): void {
  s.putting = true;
  if (ch === null) { if (s.pending.length > 0) doWrite(s, s.pending); return; }
  if (s.pending.length >= s.size) doWrite(s, s.pending);
  s.pending += ch;
  if (s.unbuf || (s.line && ch === '\n')) doWrite(s, s.pending);
}

/** _IO_default_xsputn: what fits goes in; each character past it goes through overflow. */
function defaultPut(s: PutState, text: string): void {
  let i = 0;
  for (;;) {
    const r = Math.min(room(s), text.length - i);
    if (r > 0) { s.pending += text.slice(i, i + r); i += r; }
    if (i >= text.length) return;
    overflow(s, text[i++]);
  }
}

/** _IO_new_file_xsputn. */
function xsputn(s: PutState, text: string): void {
  const n = text.length;
  if (n === 0) return;
  let count = 0, mustFlush = false;
  if (s.line && s.putting) {
    count = s.size - s.pending.length;
    if (count >= n) {
      const nl = text.lastIndexOf('\n');
      if (nl >= 0) { count = nl + 1; mustFlush = true; }
    }
  } else count = room(s);
  let rest = text;
  if (count > 0) {
    const c = Math.min(count, n);
    s.pending += text.slice(0, c);
    rest = text.slice(c);
  }
  if (rest.length === 0 && !mustFlush) return;
  overflow(s, null);
  const direct = rest.length - (s.size >= 128 ? rest.length % s.size : 0);
  if (direct > 0) doWrite(s, rest.slice(0, direct));
  if (direct < rest.length) defaultPut(s, rest.slice(direct));
}

/**
 * Puts `text` (a string put, or one character when `char`) into the stream, whose buffer is set
 * up already, and stores the state glibc leaves after the writes succeed. Returns the writes to
 * make, in order.
 */
export function putText(mem: VmMemory, fp: number, text: string, char: boolean): string[] {
  const s = load(mem, fp);
  const before = s.pending.length;
  if (char) {
    if (room(s) > 0) s.pending += text;
    else overflow(s, text);
  } else xsputn(s, text);
  store(mem, fp, s, before);
  return s.writes;
}

/** _IO_do_flush: the buffered text, written out (the buffer is empty afterwards). */
export function flushText(mem: VmMemory, fp: number): string[] {
  const s = load(mem, fp);
  if (s.pending.length === 0) return [];
  doWrite(s, s.pending);
  store(mem, fp, s, 0);
  return s.writes;
}

/** Writes the model's state back into the FILE: flags, the pointers and the buffered characters. */
function store(mem: VmMemory, fp: number, s: PutState, before: number): void {
  const base = cell(mem, fp, F_BUF_BASE);
  let flags = cell(mem, fp, F_FLAGS);
  if (s.putting && (flags & IO_CURRENTLY_PUTTING) === 0) {
    flags |= IO_CURRENTLY_PUTTING;
    mem.store(fp + F_FLAGS, flagsInt(flags));
    // Switching to writing: the read pointers all meet at the start of the buffer.
    mem.store(fp + F_READ_BASE, base); mem.store(fp + F_READ_PTR, base); mem.store(fp + F_READ_END, base);
  }
  if (cell(mem, fp, F_MODE) === 0) mem.store(fp + F_MODE, -1);
  const from = s.flushed ? 0 : before;
  for (let i = from; i < s.pending.length; i++) mem.store(base + i, (s.pending.charCodeAt(i) << 24) >> 24);
  mem.store(fp + F_WRITE_BASE, base);
  mem.store(fp + F_WRITE_PTR, base + s.pending.length);
  // A line-buffered or unbuffered stream keeps _IO_write_end at the buffer's start: every put overflows.
  const end = s.line || s.unbuf ? base : cell(mem, fp, F_BUF_END);
  mem.store(fp + F_WRITE_END, end);
}

/** After a failed write glibc has emptied the buffer all the same (new_do_write resets the pointers). */
export function dropPending(mem: VmMemory, fp: number): void {
  const base = cell(mem, fp, F_BUF_BASE);
  mem.store(fp + F_WRITE_PTR, base);
  mem.store(fp + F_WRITE_BASE, base);
}
