// The C library's message queue wrappers. System V: msgsnd sends the bytes of the caller's
// struct msgbuf (its long mtype, then msgsz bytes of mtext, however the student declared it),
// msgrcv has the kernel fill a scratch buffer with mtype and the text and puts them back into the
// struct (byte-image.ts); ftok makes a key from stat's st_ino and st_dev. POSIX (<mqueue.h>):
// glibc checks and drops a name's leading '/', mq_send and mq_receive are mq_timedsend and
// mq_timedreceive without a deadline, mq_getattr and mq_setattr are mq_getsetattr, mq_close is close.
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Trap, Value } from './types';
import { Done } from './libc-calls';
import { SEGMENT_SPAN } from './image';
import { cstring } from './cstring';
import { decodeBytes, encodeBytes, isByteCells } from './byte-image';
import { bytesOf, type CType } from './ctypes';

const EINVAL = 22, EFAULT = 14, ENOMEM = 12, EPERM = 1, EACCES = 13;
const O_CREAT = 0o100;
/** MSGMAX: no message is longer, so a scratch buffer needs no more. */
const MSGMAX = 8192;
/** Cells of struct stat as kernel/stat.ts fills them (st_dev first, st_ino second). */
const STAT_CELLS = 16;

/** The wrappers whose kernel answer the library turns into something else (resumeMsg). */
export const MSG_OPS: ReadonlySet<string> = new Set(['msgrcv', 'mq_receive', 'ftok', 'mq_unlink']);

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

function trap(line: number, name: string, args: Value[]): Trap {
  return { kind: 'syscall', name, args, line };
}

/** n bytes from addr: a typed object's x86-64 bytes, or char cells; null where not mapped. */
function bytesAt(mem: VmMemory, v: Value | undefined, n: number, t: CType | undefined): string | null {
  if (n <= 0) return '';
  if (typeof v === 'string') return v.slice(0, n).padEnd(n, '\0');
  if (typeof v !== 'number' || v === 0) return null;
  if (t) {
    const all = encodeBytes(mem, v, t, n);
    if (all !== null) return all;
    // A size past the object (sizeof the whole struct as msgsz): its own bytes, then zeros.
    const own = encodeBytes(mem, v, t, Math.min(n, bytesOf(t)));
    return own === null ? null : own.padEnd(n, '\0');
  }
  const cells = mem.cells(v, n);
  if (cells === null) return null;
  let s = '';
  for (const c of cells) s += String.fromCharCode(num(c) & 0xff);
  return s;
}

/**
 * Whether t is the textbook struct msgbuf: a long, then a char array. Its text is then read and
 * written as the characters from the cell after mtype for the whole size, as C code that
 * allocates `sizeof(long) + n` bytes for a `char mtext[1]` expects.
 */
function plainText(t: CType | undefined): boolean {
  if (!t || t.k !== 'struct' || !t.layout || t.layout.fields.length !== 2) return false;
  const [a, b] = t.layout.fields;
  return a.type.k === 'int' && a.type.bytes === 8 && b.offset === 1 && b.type.k === 'array' && isByteCells(b.type);
}

/** The signed 64-bit little-endian value of 8 bytes. */
function long64(bytes: string): number {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bytes.charCodeAt(i) & 0xff);
  return Number(BigInt.asIntN(64, v));
}

/** A name argument of mq_open and mq_unlink, or null for a bad address. */
function nameArg(mem: VmMemory, v: Value | undefined): string | null {
  if (typeof v === 'string') return v;
  return cstring(mem, v, 4096);
}

/** A scratch block of n cells for the kernel to fill; its address, or -1. */
function scratch(mem: VmMemory, n: number): number {
  const seg = mem.newBlock(n);
  return seg < 0 ? -1 : seg * SEGMENT_SPAN;
}

/** The system call a message queue wrapper makes, a Done when it has its answer already, or null for another name. */
export function startMsg(name: string, site: number, line: number, a: Value[], mem: VmMemory, r: VmRegs): Trap | Done | null {
  const bufType = r.image.sites[site]?.bufType;
  const fail = (e: number, ret: Value = -1): Done => { r.errno = e; return new Done(ret); };
  switch (name) {
    case 'msgsnd': {
      // get_user(mtype, &msgp->mtype), then load_msg of msgsz bytes after it.
      const n = num(a[2]);
      const len = Math.max(0, Math.min(n, MSGMAX));
      let bytes: string | null;
      if (plainText(bufType) && typeof a[1] === 'number') {
        const head = bytesAt(mem, a[1], 8, bufType), text = bytesAt(mem, a[1] + 1, len, undefined);
        bytes = head === null ? null : head + (text ?? bytesAt(mem, a[1], 8 + len, bufType)?.slice(8) ?? '');
      } else bytes = bytesAt(mem, a[1], 8 + len, bufType);
      if (bytes === null) return fail(EFAULT);
      return trap(line, 'msgsnd', [num(a[0]), bytes.slice(8), n, num(a[3]), long64(bytes.slice(0, 8))]);
    }
    case 'msgrcv': {
      const n = num(a[2]);
      if (n < 0) return trap(line, 'msgrcv', [num(a[0]), 0, n, num(a[3]), num(a[4])]);
      const tmp = scratch(mem, 8 + Math.min(n, MSGMAX));
      if (tmp < 0) return fail(ENOMEM);
      r.libc = { op: name, site, step: 0, v: [num(a[1]), tmp], next: null };
      return trap(line, 'msgrcv', [num(a[0]), tmp, n, num(a[3]), num(a[4])]);
    }
    case 'ftok': {
      const path = nameArg(mem, a[0]);
      if (path === null) return fail(EFAULT);
      const tmp = scratch(mem, STAT_CELLS);
      if (tmp < 0) return fail(ENOMEM);
      r.libc = { op: name, site, step: 0, v: [num(a[1]), tmp], next: null };
      return trap(line, 'newfstatat', [-100, path, tmp, 0]);
    }
    case 'mq_open': case 'mq_unlink': {
      const s = nameArg(mem, a[0]);
      if (s === null) return fail(EFAULT);
      if (!s.startsWith('/')) return fail(EINVAL);
      if (name === 'mq_unlink') {
        r.libc = { op: name, site, step: 0, v: [], next: null };
        return trap(line, 'mq_unlink', [s.slice(1)]);
      }
      // The mode and the attributes are read only with O_CREAT (variadic arguments then).
      const oflag = num(a[1]), creat = (oflag & O_CREAT) !== 0;
      return trap(line, 'mq_open', [s.slice(1), oflag, creat ? num(a[2]) : 0, creat ? num(a[3]) : 0]);
    }
    case 'mq_send': case 'mq_timedsend': {
      const n = num(a[2]);
      const bytes = bytesAt(mem, a[1], Math.max(0, n), bufType);
      if (bytes === null) return fail(EFAULT);
      return trap(line, 'mq_timedsend', [num(a[0]), bytes, n, num(a[3]), name === 'mq_timedsend' ? num(a[4]) : 0]);
    }
    case 'mq_receive': case 'mq_timedreceive': {
      const timeout = name === 'mq_timedreceive' ? num(a[4]) : 0;
      // Into a struct: through a scratch buffer whose bytes are then put into the objects.
      const n = num(a[2]);
      if (!bufType || n <= 0 || typeof a[1] !== 'number') return trap(line, 'mq_timedreceive', [num(a[0]), num(a[1]), n, num(a[3]), timeout]);
      const tmp = scratch(mem, n);
      if (tmp < 0) return fail(ENOMEM);
      r.libc = { op: 'mq_receive', site, step: 0, v: [a[1], tmp], next: null };
      return trap(line, 'mq_timedreceive', [num(a[0]), tmp, n, num(a[3]), timeout]);
    }
    case 'mq_close': return trap(line, 'close', [num(a[0])]);
    case 'mq_getattr': return trap(line, 'mq_getsetattr', [num(a[0]), 0, num(a[1])]);
    case 'mq_setattr': return trap(line, 'mq_getsetattr', [num(a[0]), num(a[1]), num(a[2])]);
    default: return null;
  }
}

/** Bytes the kernel left in char cells. */
function cellBytes(mem: VmMemory, addr: number, n: number): string {
  let s = '';
  for (const c of mem.cells(addr, n) ?? []) s += String.fromCharCode(num(c) & 0xff);
  return s;
}

/** The result of a wrapper in MSG_OPS once the kernel answered (errno set on failure). */
export function resumeMsg(r: VmRegs, mem: VmMemory, op: string, v: Value[], raw: number): Value {
  const fail = raw < 0 && raw >= -4095;
  const t = r.image.sites[r.libc?.site ?? -1]?.bufType;
  switch (op) {
    case 'msgrcv': case 'mq_receive': {
      const dest = num(v[0]), tmp = num(v[1]);
      const data = fail ? '' : cellBytes(mem, tmp, (op === 'msgrcv' ? 8 : 0) + raw);
      mem.freeBlock(tmp);
      if (fail) { r.errno = -raw; return -1; }
      const chars = (at: number, text: string): boolean => text.split('').every((c, i) => mem.store(at + i, (c.charCodeAt(0) << 24) >> 24));
      let ok = op === 'msgrcv' && plainText(t)
        ? decodeBytes(mem, dest, t as CType, data.slice(0, 8)) && chars(dest + 1, data.slice(8))
        : t ? decodeBytes(mem, dest, t, data) : chars(dest, data);
      // msgsz counted mtype too (sizeof the whole struct): what goes past the object is dropped.
      if (!ok && t) ok = decodeBytes(mem, dest, t, data.slice(0, bytesOf(t)));
      if (!ok) { r.errno = EFAULT; return -1; }
      return raw;
    }
    case 'ftok': {
      const tmp = num(v[1]);
      const dev = num(mem.load(tmp)), ino = num(mem.load(tmp + 1));
      mem.freeBlock(tmp);
      if (fail) { r.errno = -raw; return -1; }
      return ((ino & 0xffff) | ((dev & 0xff) << 16) | ((num(v[0]) & 0xff) << 24)) | 0;
    }
    case 'mq_unlink':
      // glibc reports EPERM from the kernel as EACCES.
      if (fail) { r.errno = -raw === EPERM ? EACCES : -raw; return -1; }
      return 0;
    default: return raw;
  }
}
