// The stdio functions that may make system calls, as one state machine of libc-calls.ts's kind:
// a put (printf, puts, fputs, fputc, fwrite, perror...) first sets the stream's buffer up when it
// has none (_IO_file_doallocate: is the descriptor a terminal? ioctl TCGETS), then makes the
// writes stdio-buffer.ts plans; fflush, setvbuf and exit (_IO_cleanup) flush. A write that fails
// sets the stream's error flag; a short one is written on from where it stopped, as glibc does.
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';
import { Done } from './libc-calls';
import { Fault } from './libc-fault';
import { dropPending, flushText, putText } from './stdio-buffer';
import {
  allStreams, BUFSIZ, cell, F_BUF_BASE, F_BUF_END, F_FILENO, F_FLAGS, F_READ_BASE, F_READ_END, F_READ_PTR, F_SHORTBUF,
  F_WRITE_BASE, F_WRITE_END, F_WRITE_PTR, FILE_BLKSIZE, flagsInt, IO_ERR_SEEN, IO_LINE_BUF, IO_NO_WRITES, IO_UNBUFFERED,
  IO_USER_BUF, TTY_BLKSIZE,
} from './stdio-file';
import { MALLOC_COST } from './cost';
import { getStep, readDone } from './stdio-input';
import { closeStep, openDone } from './stdio-open';
import { seekDone, seekStep } from './stdio-seek';

const EBADF = 9;
const TCGETS = 0x5401;
/** Cells of the struct termios isatty's TCGETS fills in. */
const TERMIOS_CELLS = 36;
export const IOFBF = 0, IOLBF = 1, IONBF = 2;

/** The names this module runs (the op of a LibcCall). */
export const STDIO_OPS: ReadonlySet<string> = new Set(['printf', 'fprintf', 'vprintf', 'puts', 'fputs', 'fputc', 'putc',
  'putchar', 'perror', 'psignal', 'psiginfo', 'fwrite', 'fflush', 'setvbuf', 'setbuf', 'setlinebuf', 'exit',
  'getchar', 'fgetc', 'getc', 'fgets', 'fread', 'scanf', 'fscanf', 'getdelim', 'fopen', 'fdopen', 'fclose',
  'fseek', 'ftell', 'rewind', 'fseeko', 'ftello']);

// Slots of LibcCall.v: what to do, the stream, the text to put, how (a string, a character, a
// line), the results, the phase, the stream the queued writes belong to, and the queue of writes
// (strings) and streams still to flush (addresses).
export const KIND = 0, FP = 1, TEXT = 2, ONE = 3, OK = 4, FAIL = 5, FAILED = 6, PHASE = 7, WFP = 8, Q = 9;

export function trap(line: number, name: string, args: Value[]): Trap {
  return { kind: 'syscall', name, args, line };
}

/** A FILE pointer the library may work on: its _flags carry glibc's magic. */
export function validStream(mem: VmMemory, fp: number): boolean {
  const f = mem.load(fp + F_FLAGS);
  return fp !== 0 && typeof f === 'number' && (f & 0xffff0000) === (0xfbad0000 | 0);
}

export function setFlags(mem: VmMemory, fp: number, set: number, clear = 0): void {
  mem.store(fp + F_FLAGS, flagsInt((cell(mem, fp, F_FLAGS) | set) & ~clear));
}

/** _IO_setb: the stream's buffer is [base, base + size); USER_BUF when the library did not allocate it. */
function setb(mem: VmMemory, fp: number, base: number, size: number, user: boolean): void {
  const old = cell(mem, fp, F_BUF_BASE);
  if (old !== 0 && old !== fp + F_SHORTBUF && (cell(mem, fp, F_FLAGS) & IO_USER_BUF) === 0) mem.freeBlock(old);
  mem.store(fp + F_BUF_BASE, base);
  mem.store(fp + F_BUF_END, base + size);
  setFlags(mem, fp, user ? IO_USER_BUF : 0, user ? 0 : IO_USER_BUF);
  for (const f of [F_WRITE_BASE, F_WRITE_PTR, F_WRITE_END, F_READ_BASE, F_READ_PTR, F_READ_END]) mem.store(fp + f, base);
}

/** The buffer _IO_file_doallocate gives once it knows whether the descriptor is a terminal. */
function allocate(mem: VmMemory, r: VmRegs, fp: number, tty: boolean): void {
  const size = tty ? TTY_BLKSIZE : FILE_BLKSIZE;
  r.owed += MALLOC_COST;
  const seg = mem.newBlock(size);
  if (seg < 0) setb(mem, fp, fp + F_SHORTBUF, 1, true);
  else setb(mem, fp, seg * 0x1000000, size, false);
  if (tty) setFlags(mem, fp, IO_LINE_BUF);
}

export function begin(r: VmRegs, op: string, site: number, v: Value[]): LibcCall {
  const c: LibcCall = { op, site, step: 0, v, next: null };
  r.libc = c;
  return c;
}

/** The first system call of a started op, or its result when it needs none. */
export function first(r: VmRegs, c: LibcCall, mem: VmMemory, line: number): Trap | Done {
  const d = advance(r, c, mem, line);
  if (d !== null) { r.libc = null; return d; }
  const t = c.next as Trap;
  c.next = null;
  return t;
}

/** How a put goes in: a string (_IO_sputn), one character (putc), or a string then '\n' (puts). */
export type PutKind = 'str' | 'char' | 'line';

/**
 * Starts putting `text` on fp. `ok` is the result when every write succeeds, `fail` when one
 * fails (errno is the write's).
 */
export function startPut(op: string, site: number, line: number, mem: VmMemory, r: VmRegs, fp: number,
  text: string, kind: PutKind, ok: Value, fail: Value): Trap | Done | Fault {
  if (!validStream(mem, fp)) return new Fault('SIGSEGV', `${op}: ${fp === 0 ? 'NULL' : 'bad'} FILE pointer`);
  if (cell(mem, fp, F_FLAGS) & IO_NO_WRITES) {
    setFlags(mem, fp, IO_ERR_SEEN);
    r.errno = EBADF;
    return new Done(fail);
  }
  return first(r, begin(r, op, site, ['put', fp, text, kind, ok, fail, 0, 'alloc', fp]), mem, line);
}

/** Starts fflush(fp), or of every stream when fp is NULL; `exit` (with its status) flushes all and ends. */
export function startFlush(op: string, site: number, line: number, mem: VmMemory, r: VmRegs, streams: number[], status: Value): Trap | Done {
  return first(r, begin(r, op, site, [op === 'exit' ? 'exit' : 'flush', 0, '', 0, status, -1, 0, 'write', 0, ...streams]), mem, line);
}

/** setvbuf(fp, buf, mode, size). */
export function startSetvbuf(op: string, site: number, line: number, mem: VmMemory, r: VmRegs, a: Value[]): Trap | Done | Fault {
  const fp = typeof a[0] === 'number' ? a[0] : 0;
  if (!validStream(mem, fp)) return new Fault('SIGSEGV', `${op}: ${fp === 0 ? 'NULL' : 'bad'} FILE pointer`);
  const buf = typeof a[1] === 'number' ? a[1] : 0, mode = typeof a[2] === 'number' ? a[2] : -1;
  const size = typeof a[3] === 'number' ? a[3] : 0;
  switch (mode) {
    case IOFBF:
      setFlags(mem, fp, 0, IO_LINE_BUF | IO_UNBUFFERED);
      if (buf === 0) {
        // A buffer now, so that a terminal found later cannot turn line buffering back on.
        if (cell(mem, fp, F_BUF_BASE) !== 0) return new Done(0);
        return first(r, begin(r, op, site, ['setvbuf-alloc', fp, '', 0, 0, -1, 0, 'alloc', fp]), mem, line);
      }
      break;
    case IOLBF:
      setFlags(mem, fp, IO_LINE_BUF, IO_UNBUFFERED);
      if (buf === 0) return new Done(0);
      break;
    case IONBF:
      setFlags(mem, fp, IO_UNBUFFERED, IO_LINE_BUF);
      break;
    default: return new Done(-1);
  }
  // _IO_SETBUF: what is buffered is written out first (_IO_SYNC), then the new buffer is set.
  const user = mode === IONBF ? 0 : buf;
  return first(r, begin(r, op, site, ['setbuf', fp, '', 0, 0, -1, 0, 'write', fp, fp, `setb:${user}:${mode === IONBF ? 0 : size}`]), mem, line);
}

/**
 * Goes on with the op: allocation first when the stream needs a buffer, then the queue. Returns
 * the op's result when it is over, or null with its next system call in c.next.
 */
export function advance(r: VmRegs, c: LibcCall, mem: VmMemory, line: number): Done | null {
  const v = c.v;
  const fp = v[FP] as number;
  if (v[PHASE] === 'alloc') {
    if (cell(mem, fp, F_BUF_BASE) === 0) {
      if ((cell(mem, fp, F_FLAGS) & IO_UNBUFFERED) !== 0 && v[KIND] === 'put') setb(mem, fp, fp + F_SHORTBUF, 1, true);
      else {
        // _IO_file_doallocate: a character device that is a terminal makes the stream line-buffered.
        const seg = mem.newBlock(TERMIOS_CELLS);
        v[PHASE] = seg < 0 ? 'alloc-noscratch' : seg * 0x1000000;
        c.next = trap(line, 'ioctl', [cell(mem, fp, F_FILENO), TCGETS, seg < 0 ? 0 : seg * 0x1000000]);
        return null;
      }
    }
    return plan(r, c, mem, line);
  }
  return drain(r, c, mem, line);
}

/** The buffer is set up: the put is planned and its writes queued. */
function plan(r: VmRegs, c: LibcCall, mem: VmMemory, line: number): Done | null {
  const v = c.v;
  const fp = v[FP] as number;
  v[PHASE] = 'write';
  if (v[KIND] === 'setvbuf-alloc') { setFlags(mem, fp, 0, IO_LINE_BUF); return new Done(0); }
  if (v[KIND] === 'get') return getStep(r, c, mem, line);
  // puts is _IO_sputn of the string and then putc of its newline: both planned, in that order.
  const kind = v[ONE];
  v.push(...putText(mem, fp, String(v[TEXT]), kind === 'char'));
  if (kind === 'line') v.push(...putText(mem, fp, '\n', true));
  return drain(r, c, mem, line);
}

/** Issues the next queued write (a stream address in the queue is flushed in turn), or ends. */
export function drain(r: VmRegs, c: LibcCall, mem: VmMemory, line: number): Done | null {
  const v = c.v;
  for (;;) {
    if (v.length <= Q) return finish(r, c, mem, line);
    const head = v[Q];
    if (typeof head === 'string') {
      if (head.startsWith('setb:')) {
        const [, buf, size] = head.split(':').map(Number);
        const fp = v[FP] as number;
        if (buf === 0) setb(mem, fp, fp + F_SHORTBUF, 1, true);
        else setb(mem, fp, buf, size, true);
        v.splice(Q, 1);
        continue;
      }
      c.next = trap(line, 'write', [cell(mem, v[WFP] as number, F_FILENO), head]);
      return null;
    }
    // A stream to flush next (fflush(NULL), exit).
    const fp = typeof head === 'number' ? head : 0;
    v[FP] = fp;
    v[WFP] = fp;
    v.splice(Q, 1, ...(validStream(mem, fp) ? flushText(mem, fp) : []));
  }
}

function finish(r: VmRegs, c: LibcCall, mem: VmMemory, line: number): Done | null {
  const v = c.v;
  // A read that flushed stdout first goes on with its read; fclose closes after its flush.
  if (v[KIND] === 'get') return getStep(r, c, mem, line);
  if (v[KIND] === 'close') return closeStep(c, mem, line);
  if (v[KIND] === 'seek') return seekStep(c, mem, line);
  switch (v[KIND]) {
    case 'exit': c.next = trap(line, 'exit_group', [v[OK]]); return null;
    case 'put': return new Done(v[OK]);
    default: return new Done(v[FAILED] === 1 ? -1 : 0);
  }
}

/** The kernel answered the op's last call (ioctl, write, read, or an open's or close's). */
export function resumeStdio(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, line: number): Done | null {
  const v = c.v;
  const fp = v[FP] as number;
  const phase = v[PHASE];
  if (phase === 'read') return readDone(r, c, mem, raw, line);
  if (v[KIND] === 'seek' && phase === 'seeking') return seekDone(r, c, mem, raw);
  if (v[KIND] === 'open' || phase === 'closing' || phase === 'waiting') return openDone(r, c, mem, raw, line);
  if (phase !== 'write') {
    // isatty's answer: the buffer is allocated (its scratch termios freed).
    if (typeof phase === 'number') mem.freeBlock(phase);
    allocate(mem, r, fp, raw === 0);
    return plan(r, c, mem, line);
  }
  const head = String(v[Q]);
  const wfp = v[WFP] as number;
  if (raw < 0) {
    // new_do_write failed: the error flag is set and the buffer is emptied all the same.
    r.errno = -raw;
    setFlags(mem, wfp, IO_ERR_SEEN);
    dropPending(mem, wfp);
    if (v[KIND] === 'put') return new Done(v[FAIL]);
    // A read goes on after a failed flush of stdout; fflush and exit report EOF at the end.
    if (v[KIND] !== 'get') v[FAILED] = 1;
    while (v.length > Q && typeof v[Q] === 'string' && !String(v[Q]).startsWith('setb:')) v.splice(Q, 1);
    return drain(r, c, mem, line);
  }
  // _IO_new_file_write goes on after a short write.
  if (raw < head.length && raw > 0) v[Q] = head.slice(raw);
  else v.splice(Q, 1);
  return drain(r, c, mem, line);
}

/** exit's streams: every one with something buffered (glibc's _IO_flush_all walks them all). */
export function exitStreams(image: Parameters<typeof allStreams>[0], mem: VmMemory): number[] {
  return allStreams(image, mem).filter((fp) => cell(mem, fp, F_WRITE_PTR) > cell(mem, fp, F_WRITE_BASE));
}

export { BUFSIZ };
