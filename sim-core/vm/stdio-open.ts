// Streams the program opens and closes: fopen (a FILE from malloc, then openat; "a" also seeks
// to the end, as _IO_file_open does), fdopen (fcntl F_GETFL checks the descriptor), fclose
// (flush, close, unlink from _IO_list_all, free). A new stream goes at the head of _IO_list_all,
// so exit and fflush(NULL) flush it first.
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';
import { SEGMENT_SPAN } from './image';
import { Done } from './libc-calls';
import { Fault } from './libc-fault';
import { MALLOC_COST } from './cost';
import { flushText } from './stdio-buffer';
import {
  cell, F_BUF_BASE, F_CHAIN, F_FILENO, F_FLAGS, F_SHORTBUF, FILE_CELLS, flagsInt, IO_IS_FILEBUF, IO_LINKED, IO_MAGIC,
  IO_NO_READS, IO_NO_WRITES, IO_USER_BUF, stdioAddrs,
} from './stdio-file';
import { begin, FAILED, first, FP, KIND, OK, ONE, PHASE, TEXT, trap, validStream } from './stdio-ops';

const EINTR = 4, EINVAL = 22, ENOMEM = 12;
const IO_TIED_PUT_GET = 0x400, F_READ_PTR = 1, F_BUF_END = 8;
const O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200, O_APPEND = 0x400, O_CLOEXEC = 0x80000;
const AT_FDCWD = -100, F_GETFL = 3, SEEK_END = 2, O_ACCMODE = 3;
const IO_IS_APPENDING = 0x1000;

/** fopen's mode string as open flags and the FILE's _flags; null when it is not a mode. */
function parseMode(mode: string): { oflags: number; flags: number } | null {
  const rw = mode.slice(1).includes('+');
  let oflags: number, flags = IO_MAGIC | IO_IS_FILEBUF | IO_LINKED;
  switch (mode[0]) {
    case 'r': oflags = rw ? O_RDWR : 0; if (!rw) flags |= IO_NO_WRITES; break;
    case 'w': oflags = (rw ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC; if (!rw) flags |= IO_NO_READS; break;
    case 'a': oflags = (rw ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND; flags |= IO_IS_APPENDING; if (!rw) flags |= IO_NO_READS; break;
    default: return null;
  }
  if (mode.includes('x')) oflags |= O_EXCL;
  if (mode.includes('e')) oflags |= O_CLOEXEC;
  return { oflags, flags };
}

/** A fresh FILE block (malloc'd, as glibc's locked_FILE is); 0 when memory is exhausted. */
export function newFile(mem: VmMemory, r: VmRegs): number {
  r.owed += MALLOC_COST;
  const seg = mem.newBlock(FILE_CELLS);
  return seg < 0 ? 0 : seg * SEGMENT_SPAN;
}

/** fopen(path, mode) and fdopen(fd, mode). */
export function startOpen(op: 'fopen' | 'fdopen', site: number, line: number, mem: VmMemory, r: VmRegs, target: Value, mode: string): Trap | Done {
  const m = parseMode(mode);
  if (m === null) { r.errno = EINVAL; return new Done(0); }
  const fp = newFile(mem, r);
  if (fp === 0) { r.errno = ENOMEM; return new Done(0); }
  begin(r, op, site, ['open', fp, op === 'fdopen' ? `fdopen:${typeof target === 'number' ? target : -1}` : op, m.flags, 0, 0, 0, 'opening', fp]);
  return op === 'fopen' ? trap(line, 'openat', [AT_FDCWD, target, m.oflags, 0o666]) : trap(line, 'fcntl', [target, F_GETFL]);
}

/**
 * A FILE made on descriptor fd with the given _flags, put at the head of _IO_list_all (as
 * _IO_new_file_init_internal links it in): fopen's, fdopen's and popen's streams.
 */
export function linkStream(mem: VmMemory, r: VmRegs, fp: number, fd: number, flags: number): void {
  mem.store(fp + F_FLAGS, flagsInt(flags));
  mem.store(fp + F_FILENO, fd);
  const a = stdioAddrs(r.image);
  if (a) {
    mem.store(fp + F_CHAIN, mem.load(a.listAll) ?? 0);
    mem.store(a.listAll, fp);
  }
}

/** The _flags of a stream popen makes: it reads the command's output ("r") or writes its input. */
export function popenFlags(reading: boolean): number {
  return IO_MAGIC | IO_IS_FILEBUF | IO_LINKED | (reading ? IO_NO_WRITES : IO_NO_READS);
}

/**
 * fclose(fp), and pclose(fp), which in glibc is the same function: what is buffered is written,
 * then the descriptor is closed. A stream popen made closes through _IO_new_proc_close: it leaves
 * the popen chain, its descriptor is closed, and its shell is waited for (again while EINTR); the
 * result is then the wait status.
 */
export function startClose(site: number, line: number, mem: VmMemory, r: VmRegs, fp: number): Trap | Done | Fault {
  if (!validStream(mem, fp)) return new Fault('SIGSEGV', `fclose: ${fp === 0 ? 'NULL' : 'bad'} FILE pointer`);
  const writes = (cell(mem, fp, F_FLAGS) & IO_NO_WRITES) ? [] : flushText(mem, fp);
  const i = mem.libc.popen.findIndex((p) => p.stream === fp);
  const pid = i < 0 ? 0 : mem.libc.popen[i].pid;
  if (i >= 0) mem.libc.popen.splice(i, 1);
  return first(r, begin(r, 'fclose', site, ['close', fp, '', pid, 0, -1, 0, 'write', fp, ...writes]), mem, line);
}

/** The open's system call answered (openat, fcntl, lseek, close). */
export function openDone(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, line: number): Done | null {
  const v = c.v;
  const fp = v[FP] as number;
  if (v[PHASE] === 'waiting') return procWaited(r, c, mem, raw, line);
  if (v[KIND] === 'close') return closeDone(r, c, mem, raw, line);
  if (v[PHASE] === 'seeking') return new Done(fp);
  if (raw < 0) { r.errno = -raw; mem.freeBlock(fp); return new Done(0); }
  let flags = v[ONE] as number;
  const fdopen = String(v[TEXT]).startsWith('fdopen:');
  const fd = fdopen ? Number(String(v[TEXT]).slice(7)) : raw;
  if (fdopen) {
    // The descriptor must allow what the mode asks for.
    const acc = raw & O_ACCMODE;
    if ((!(flags & IO_NO_READS) && acc === O_WRONLY) || (!(flags & IO_NO_WRITES) && acc === 0)) { r.errno = EINVAL; mem.freeBlock(fp); return new Done(0); }
    if (raw & O_APPEND) flags |= IO_IS_APPENDING;
  }
  linkStream(mem, r, fp, fd, flags);
  if (!fdopen && (flags & (IO_IS_APPENDING | IO_NO_READS)) === (IO_IS_APPENDING | IO_NO_READS)) {
    v[PHASE] = 'seeking';
    c.next = trap(line, 'lseek', [fd, 0, SEEK_END]);
    return null;
  }
  return new Done(fp);
}

/** After fclose's flush: close(fd), then the stream leaves the list and is freed. */
export function closeStep(c: LibcCall, mem: VmMemory, line: number): null {
  c.v[PHASE] = 'closing';
  c.next = trap(line, 'close', [cell(mem, c.v[FP] as number, F_FILENO)]);
  return null;
}

function closeDone(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, line: number): Done | null {
  const fp = c.v[FP] as number;
  const failed = c.v[FAILED] === 1 || raw < 0;
  if (raw < 0) r.errno = -raw;
  const pid = c.v[ONE] as number;
  if (pid > 0 && raw >= 0) {
    // _IO_new_proc_close: the descriptor is closed, now waitpid(pid, &wstatus, 0).
    const seg = mem.newBlock(1);
    c.v[OK] = seg < 0 ? 0 : seg * SEGMENT_SPAN;
    c.v[PHASE] = 'waiting';
    c.next = trap(line, 'wait4', [pid, c.v[OK], 0, 0]);
    return null;
  }
  c.v[FAILED] = failed ? 1 : 0;
  return released(r, mem, fp, failed ? -1 : 0);
}

/** The shell behind a popen stream was waited for: the stream is released, the result is the status. */
function procWaited(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, line: number): Done | null {
  const ws = c.v[OK] as number;
  if (raw === -EINTR) { c.next = trap(line, 'wait4', [c.v[ONE] as number, ws, 0, 0]); return null; }
  const st = ws === 0 ? 0 : cell(mem, ws, 0);
  if (ws !== 0) mem.freeBlock(ws);
  if (raw < 0) { r.errno = -raw; return released(r, mem, c.v[FP] as number, -1); }
  // _IO_file_close_it: the close's status when it is not 0, else the flush's.
  return released(r, mem, c.v[FP] as number, st !== 0 ? st : c.v[FAILED] === 1 ? -1 : 0);
}

/** The closed stream leaves _IO_list_all and its buffer and block are freed; `result` is fclose's. */
function released(r: VmRegs, mem: VmMemory, fp: number, result: number): Done {
  const a = stdioAddrs(r.image);
  if (a) {
    // _IO_un_link: the stream leaves _IO_list_all.
    let prev = a.listAll;
    for (let at = mem.load(prev), n = 0; typeof at === 'number' && at !== 0 && n < 4096; at = mem.load(prev), n++) {
      if (at === fp) { mem.store(prev, mem.load(fp + F_CHAIN) ?? 0); break; }
      prev = at + F_CHAIN;
    }
  }
  const buf = cell(mem, fp, F_BUF_BASE);
  if (buf !== 0 && buf !== fp + F_SHORTBUF && !(cell(mem, fp, F_FLAGS) & IO_USER_BUF)) mem.freeBlock(buf);
  // _IO_file_close_it leaves a closed stream that reads and writes nothing, on descriptor -1;
  // one from fopen is freed, the standard streams (static in the library) stay so.
  mem.store(fp + F_FLAGS, flagsInt(IO_MAGIC | IO_IS_FILEBUF | IO_NO_READS | IO_NO_WRITES | IO_TIED_PUT_GET));
  mem.store(fp + F_FILENO, -1);
  for (let f = F_READ_PTR; f <= F_BUF_END; f++) mem.store(fp + f, 0);
  mem.freeBlock(fp);
  return new Done(result);
}
