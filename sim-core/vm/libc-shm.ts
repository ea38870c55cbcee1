// POSIX shared memory and named semaphores as glibc (2.34 and later) builds them on files in
// /dev/shm: shm_open and shm_unlink are open and unlink of /dev/shm/NAME; sem_open maps the file
// /dev/shm/sem.NAME (a sem_t shared between every process that maps it), making it under a
// temporary name (written with the initial sem_t, then mapped) and publishing it with link so
// no one sees it half made; sem_close unmaps it once its last open in the process is closed;
// sem_unlink removes the name.
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';
import { cstring } from './cstring';
import { SEGMENT_SPAN } from './image';

const EINVAL = 22, ENOENT = 2, EEXIST = 17, EISDIR = 21, EPERM = 1, EACCES = 13, ENAMETOOLONG = 36, ENOMEM = 12;
const AT_FDCWD = -100, O_ACCMODE = 3, O_RDWR = 2, O_CREAT = 0o100, O_EXCL = 0o200, O_NOFOLLOW = 0o400000, O_CLOEXEC = 0o2000000;
const PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, SEM_VALUE_MAX = 2147483647;
/** SEM_FAILED: ((sem_t *) 0). */
const SEM_FAILED = 0;
/** sizeof(sem_t) on x86-64, the size of the file and of the mapping. */
const SEM_BYTES = 32;
/** Cells of sem_t (libc-sync.ts): the count, the sleepers, the futex flag (0: shared). */
const S_VALUE = 0, S_NWAITERS = 1, S_PRIVATE = 2;
/** Cells of struct stat (kernel/stat.ts) and the one st_ino is in. */
const STAT_CELLS = 13, ST_INO = 1;
/** sem_open's tries at a free temporary name (NRETRIES), and the name's size (struct shmdir_name). */
const NRETRIES = 50, SHMDIR = '/dev/shm/', SHMDIR_NAME = 10 + 4 + 255 + 1;
const MAX_NAME = 4096;

export const SHM_OPS: ReadonlySet<string> = new Set(['shm_open', 'shm_unlink', 'sem_open', 'sem_close', 'sem_unlink']);

/** sem_open's values between its calls (c.v). */
const V_PHASE = 0, V_NAME = 1, V_PATH = 2, V_OFLAG = 3, V_MODE = 4, V_VALUE = 5, V_FD = 6, V_MADE = 7, V_TMP = 8,
  V_STAT = 9, V_TRIES = 10, V_RESULT = 11, V_ERR = 12;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

function trap(line: number, name: string, args: Value[]): Trap {
  return { kind: 'syscall', name, args, line };
}

/**
 * __shm_get_name: the file of a POSIX IPC name (leading slashes dropped, "sem." before a
 * semaphore's), or an error number: EINVAL for an empty name or one with another slash,
 * ENAMETOOLONG when it does not fit glibc's buffer.
 */
export function shm_get_name(name: string, sem: boolean): string | number {
  const bare = name.replace(/^\/+/, '');
  const path = SHMDIR + (sem ? 'sem.' : '') + bare;
  if (bare.length === 0 || bare.includes('/')) return EINVAL;
  if (path.length + 1 > SHMDIR_NAME) return ENAMETOOLONG;
  return path;
}

/** The result of a call that ends before the kernel: errno, and the value. */
export class ShmDone {
  constructor(readonly value: Value) {}
}

/** A temporary name for a semaphore being made (mktemp's six letters, here not random). */
function tmpName(name: string, tries: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let h = 5381 + tries * 7919;
  for (const ch of name) h = (h * 33 + ch.charCodeAt(0)) >>> 0;
  let out = '';
  for (let i = 0; i < 6; i++) { out += chars[h % chars.length]; h = Math.floor(h / chars.length) + (i + 1) * 104729; }
  return `${SHMDIR}${out}`;
}

/**
 * The bytes of a new sem_t as __new_sem_open_init lays it out on x86-64: the count in the low
 * half of a 64-bit word (the sleepers in the high half, none), private 0 (shared), padding.
 */
function semImage(value: number): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += String.fromCharCode((value >>> (8 * i)) & 0xff);
  return out + '\0'.repeat(SEM_BYTES - 4);
}

/** Starts one of SHM_OPS: its first system call, or its result when it needs none. */
export function startShm(name: string, site: number, line: number, a: Value[], mem: VmMemory, r: VmRegs): Trap | ShmDone | null {
  if (!SHM_OPS.has(name)) return null;
  const begin = (v: Value[]): void => { r.libc = { op: name, site, step: 0, v, next: null }; };
  const fail = (err: number, value: Value): ShmDone => { r.errno = err; return new ShmDone(value); };
  if (name === 'sem_close') {
    const sem = num(a[0]);
    const sems = mem.libc.sems;
    const i = sems.findIndex((m) => m.addr === sem);
    if (i < 0) return fail(EINVAL, -1);
    if (--sems[i].refs > 0) return new ShmDone(0);
    sems.splice(i, 1);
    begin([]);
    return trap(line, 'munmap', [sem, SEM_BYTES]);
  }
  const str = cstring(mem, a[0], MAX_NAME) ?? '';
  const path = shm_get_name(str, name.startsWith('sem'));
  if (name === 'shm_open') {
    if (typeof path === 'number') return fail(path, -1);
    begin([]);
    return trap(line, 'openat', [AT_FDCWD, path, num(a[1]) | O_NOFOLLOW | O_CLOEXEC, num(a[2])]);
  }
  // The unlinks report a name that cannot be one as missing.
  if (name === 'sem_unlink' || name === 'shm_unlink') {
    if (typeof path === 'number') return fail(ENOENT, -1);
    begin([]);
    return trap(line, 'unlinkat', [AT_FDCWD, path, 0]);
  }
  // sem_open(name, oflag[, mode, value]).
  if (typeof path === 'number') return fail(EINVAL, SEM_FAILED);
  const oflag = num(a[1]);
  const create = (oflag & O_CREAT) !== 0;
  const v: Value[] = ['', str, path, oflag, create ? num(a[2]) : 0, create ? num(a[3]) : 0, -1, 0, '', 0, 0, SEM_FAILED, 0];
  begin(v);
  if (create && (oflag & O_EXCL)) {
    const t = tryCreate(r, r.libc as LibcCall, line);
    return t instanceof ShmDone ? (r.libc = null, t) : t;
  }
  return openExisting(r.libc as LibcCall, line);
}

/** The first try: the name as it is, for reading and writing. */
function openExisting(c: LibcCall, line: number): Trap {
  c.v[V_PHASE] = 'open';
  const flags = (num(c.v[V_OFLAG]) & ~(O_CREAT | O_ACCMODE)) | O_NOFOLLOW | O_RDWR;
  return trap(line, 'openat', [AT_FDCWD, c.v[V_PATH], flags, 0]);
}

/** try_create: a value above SEM_VALUE_MAX is EINVAL; otherwise a new file under a temporary name. */
function tryCreate(r: VmRegs, c: LibcCall, line: number): Trap | ShmDone {
  if (num(c.v[V_VALUE]) >>> 0 > SEM_VALUE_MAX) { r.errno = EINVAL; return new ShmDone(SEM_FAILED); }
  c.v[V_PHASE] = 'tmp';
  c.v[V_TMP] = tmpName(String(c.v[V_NAME]), num(c.v[V_TRIES]));
  return trap(line, 'openat', [AT_FDCWD, c.v[V_TMP], O_RDWR | O_CREAT | O_EXCL, num(c.v[V_MODE])]);
}

/** __sem_check_add_mapping, first half: the file's inode, to find a mapping made already. */
function checkAdd(r: VmRegs, c: LibcCall, mem: VmMemory, line: number): Trap | null {
  const seg = mem.newBlock(STAT_CELLS);
  if (seg < 0) { r.errno = ENOMEM; return finish(c, line); }
  c.v[V_STAT] = seg * SEGMENT_SPAN;
  c.v[V_PHASE] = 'fstat';
  return trap(line, 'fstat', [c.v[V_FD], c.v[V_STAT]]);
}

/** The end of sem_open: the temporary name goes (when one was made), then the descriptor. */
function finish(c: LibcCall, line: number): Trap {
  if (c.v[V_TMP] !== '') {
    c.v[V_PHASE] = 'unlink-tmp';
    const tmp = c.v[V_TMP];
    c.v[V_TMP] = '';
    return trap(line, 'unlinkat', [AT_FDCWD, tmp, 0]);
  }
  c.v[V_PHASE] = 'close';
  return trap(line, 'close', [c.v[V_FD]]);
}

/**
 * The kernel answered one call of r.libc: the function's result, or null with its next call in
 * c.next.
 */
export function resumeShm(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, line: number): Value | null {
  const failed = raw < 0 && raw >= -4095;
  const go = (t: Trap | ShmDone | null): Value | null => {
    if (t instanceof ShmDone) return t.value;
    c.next = t;
    return null;
  };
  switch (c.op) {
    case 'sem_close': return 0;
    case 'shm_open': case 'shm_unlink': case 'sem_unlink': {
      if (!failed) return raw;
      const err = -raw;
      // shm_open: a directory is not an object (EINVAL); the unlinks report EPERM as EACCES.
      r.errno = c.op === 'shm_open' ? (err === EISDIR ? EINVAL : err) : err === EPERM ? EACCES : err;
      return -1;
    }
    default: break;
  }
  const v = c.v;
  const err = failed ? -raw : 0;
  switch (v[V_PHASE]) {
    case 'open':
      if (failed) {
        if ((num(v[V_OFLAG]) & O_CREAT) && err === ENOENT) return go(tryCreate(r, c, line));
        r.errno = err;
        return SEM_FAILED;
      }
      v[V_FD] = raw;
      return go(checkAdd(r, c, mem, line));
    case 'tmp':
      if (failed) {
        if (err === EEXIST && num(v[V_TRIES]) + 1 < NRETRIES) { v[V_TRIES] = num(v[V_TRIES]) + 1; return go(tryCreate(r, c, line)); }
        r.errno = err;
        return SEM_FAILED;
      }
      v[V_FD] = raw;
      // The initial sem_t goes into the file with write (__new_sem_open_init's bytes).
      v[V_PHASE] = 'size';
      return go(trap(line, 'write', [raw, semImage(num(v[V_VALUE]))]));
    case 'size':
      if (raw !== SEM_BYTES) { if (failed) r.errno = err; return go(finish(c, line)); }
      v[V_PHASE] = 'map';
      return go(trap(line, 'mmap', [0, SEM_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, v[V_FD], 0]));
    case 'map':
      if (failed) { r.errno = err; return go(finish(c, line)); }
      v[V_MADE] = raw;
      // The file's bytes become cells one byte each; the sem_t's cells are its fields (ctypes.ts).
      mem.store(raw + S_VALUE, num(v[V_VALUE]) >>> 0);
      mem.store(raw + S_NWAITERS, 0);
      mem.store(raw + S_PRIVATE, 0);
      v[V_PHASE] = 'link';
      return go(trap(line, 'linkat', [AT_FDCWD, v[V_TMP], AT_FDCWD, v[V_PATH], 0]));
    case 'link':
      if (!failed) return go(checkAdd(r, c, mem, line));
      // Taken meanwhile: the mapping goes; without O_EXCL the existing one is opened instead.
      v[V_ERR] = err;
      v[V_PHASE] = 'link-undo';
      return go(trap(line, 'munmap', [v[V_MADE], SEM_BYTES]));
    case 'link-undo':
      v[V_MADE] = 0;
      if (!(num(v[V_OFLAG]) & O_EXCL) && num(v[V_ERR]) === EEXIST) {
        v[V_PHASE] = 'retry-unlink';
        return go(trap(line, 'unlinkat', [AT_FDCWD, v[V_TMP], 0]));
      }
      r.errno = num(v[V_ERR]);
      return go(finish(c, line));
    case 'retry-unlink':
      v[V_TMP] = '';
      v[V_PHASE] = 'retry-close';
      return go(trap(line, 'close', [v[V_FD]]));
    case 'retry-close':
      v[V_FD] = -1;
      return go(openExisting(c, line));
    case 'fstat': {
      const st = num(v[V_STAT]);
      const ino = num(mem.load(st + ST_INO));
      mem.freeBlock(st);
      if (failed) { r.errno = err; return go(finish(c, line)); }
      const sems = mem.libc.sems;
      const name = String(v[V_NAME]);
      const had = sems.find((m) => m.name === name && m.ino === ino);
      if (had) {
        had.refs++;
        v[V_RESULT] = had.addr;
        if (num(v[V_MADE]) !== 0) {
          v[V_PHASE] = 'drop';
          return go(trap(line, 'munmap', [v[V_MADE], SEM_BYTES]));
        }
        return go(finish(c, line));
      }
      if (num(v[V_MADE]) !== 0) {
        sems.push({ name, ino, addr: num(v[V_MADE]), refs: 1 });
        v[V_RESULT] = v[V_MADE];
        return go(finish(c, line));
      }
      v[V_PHASE] = 'map-existing';
      v[V_ERR] = ino;
      return go(trap(line, 'mmap', [0, SEM_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, v[V_FD], 0]));
    }
    case 'map-existing':
      if (failed) r.errno = err;
      else {
        mem.libc.sems.push({ name: String(v[V_NAME]), ino: num(v[V_ERR]), addr: raw, refs: 1 });
        v[V_RESULT] = raw;
      }
      return go(finish(c, line));
    case 'drop':
      return go(finish(c, line));
    case 'unlink-tmp':
      v[V_PHASE] = 'close';
      return go(trap(line, 'close', [v[V_FD]]));
    // The descriptor is closed without disturbing errno: the result stands.
    default:
      return v[V_RESULT];
  }
}
