// glibc's FILE (struct _IO_FILE) as it lies in the process's memory: one cell per member, in
// glibc's order, so fork copies a stream and its unflushed buffer with the rest of the address
// space. The three standard streams (_IO_2_1_stdin_ and friends), the stdin/stdout/stderr
// pointers and _IO_list_all are globals every program gets, placed after its own.
import type { Module } from './builder';
import type { Image } from './image';
import type { VmMemory } from './memory';
import type { CType } from './ctypes';
import type { Value } from './types';

/** Cell offsets of struct _IO_FILE's members (libio/bits/types/struct_FILE.h order). */
export const FILE_FIELDS: ReadonlyArray<[string, 'int' | 'ptr' | 'long' | 'char' | 'chain', number]> = [
  ['_flags', 'int', 0], ['_IO_read_ptr', 'ptr', 1], ['_IO_read_end', 'ptr', 2], ['_IO_read_base', 'ptr', 3],
  ['_IO_write_base', 'ptr', 4], ['_IO_write_ptr', 'ptr', 5], ['_IO_write_end', 'ptr', 6], ['_IO_buf_base', 'ptr', 7],
  ['_IO_buf_end', 'ptr', 8], ['_IO_save_base', 'ptr', 9], ['_IO_backup_base', 'ptr', 10], ['_IO_save_end', 'ptr', 11],
  ['_markers', 'ptr', 12], ['_chain', 'chain', 13], ['_fileno', 'int', 14], ['_flags2', 'int', 15], ['_old_offset', 'long', 16],
  ['_cur_column', 'int', 17], ['_vtable_offset', 'char', 18], ['_shortbuf', 'char', 19], ['_lock', 'ptr', 20],
  ['_offset', 'long', 21], ['_codecvt', 'ptr', 22], ['_wide_data', 'ptr', 23], ['_freeres_list', 'ptr', 24],
  ['_freeres_buf', 'ptr', 25], ['__pad5', 'long', 26], ['_mode', 'int', 27],
];
export const F_FLAGS = 0, F_READ_PTR = 1, F_READ_END = 2, F_READ_BASE = 3, F_WRITE_BASE = 4, F_WRITE_PTR = 5,
  F_WRITE_END = 6, F_BUF_BASE = 7, F_BUF_END = 8, F_CHAIN = 13, F_FILENO = 14, F_SHORTBUF = 19, F_MODE = 27;
/** _unused2[20] follows _mode: 48 cells, sizeof(FILE) 216 on x86-64. */
export const FILE_CELLS = 48, FILE_BYTES = 216;

// _flags bits (libio.h).
export const IO_MAGIC = 0xfbad0000, IO_USER_BUF = 0x1, IO_UNBUFFERED = 0x2, IO_NO_READS = 0x4, IO_NO_WRITES = 0x8,
  IO_EOF_SEEN = 0x10, IO_ERR_SEEN = 0x20, IO_LINKED = 0x80, IO_LINE_BUF = 0x200, IO_CURRENTLY_PUTTING = 0x800,
  IO_IS_FILEBUF = 0x2000;

/** The buffer size when fstat does not say better (BUFSIZ), a terminal's st_blksize, and a pipe's or file's. */
export const BUFSIZ = 8192, TTY_BLKSIZE = 1024, FILE_BLKSIZE = 4096;

/** _flags as a C int (the magic sets the sign bit). */
export function flagsInt(f: number): number {
  return f | 0;
}

/** The globals the C library adds, by name, in the order they are laid out. */
const STREAMS: ReadonlyArray<[string, number, number]> = [
  ['_IO_2_1_stdin_', 0, IO_MAGIC | IO_IS_FILEBUF | IO_LINKED | IO_NO_WRITES],
  ['_IO_2_1_stdout_', 1, IO_MAGIC | IO_IS_FILEBUF | IO_LINKED | IO_NO_READS],
  ['_IO_2_1_stderr_', 2, IO_MAGIC | IO_IS_FILEBUF | IO_LINKED | IO_NO_READS | IO_UNBUFFERED],
];

/**
 * Lays out the standard streams after the program's own globals: the three FILEs (chained
 * stderr -> stdout -> stdin from _IO_list_all, as glibc links them), then the stdin, stdout and
 * stderr pointers, which a program may reassign as glibc's may be.
 */
export function addStdioGlobals(m: Module, add: (name: string, t: CType) => number): void {
  const file = m.types.struct('_IO_FILE');
  const ptr: CType = { k: 'ptr', to: file };
  const at = STREAMS.map(([name, fd, flags]) => {
    const off = add(name, file);
    m.globalInit[off + F_FLAGS] = flagsInt(flags);
    m.globalInit[off + F_FILENO] = fd;
    return off;
  });
  m.globalInit[at[2] + F_CHAIN] = at[1];
  m.globalInit[at[1] + F_CHAIN] = at[0];
  m.globalInit[add('_IO_list_all', ptr)] = at[2];
  ['stdin', 'stdout', 'stderr'].forEach((name, i) => { m.globalInit[add(name, ptr)] = at[i]; });
}

export interface StdioAddrs {
  /** Addresses of the stdin, stdout and stderr pointer variables and of _IO_list_all. */
  stdin: number; stdout: number; stderr: number; listAll: number;
}

const cache = new WeakMap<Image, StdioAddrs | null>();

/** Where the image keeps the stream pointers (segment 0, so an offset is an address); null without them. */
export function stdioAddrs(image: Image): StdioAddrs | null {
  let a = cache.get(image);
  if (a !== undefined) return a;
  const g = (n: string): number => image.globals.find((x) => x.name === n)?.offset ?? -1;
  const [stdin, stdout, stderr, listAll] = [g('stdin'), g('stdout'), g('stderr'), g('_IO_list_all')];
  a = stdin < 0 || stdout < 0 || stderr < 0 || listAll < 0 ? null : { stdin, stdout, stderr, listAll };
  cache.set(image, a);
  return a;
}

/** The FILE a standard stream pointer holds now (stdout may have been reassigned); 0 without one. */
export function standardStream(image: Image, mem: VmMemory, which: 'stdin' | 'stdout' | 'stderr'): number {
  const a = stdioAddrs(image);
  if (a === null) return 0;
  const v = mem.load(a[which]);
  return typeof v === 'number' ? v : 0;
}

/** Every stream on _IO_list_all, newest first (bounded, so a corrupted chain cannot loop). */
export function allStreams(image: Image, mem: VmMemory): number[] {
  const a = stdioAddrs(image);
  if (a === null) return [];
  const out: number[] = [];
  let fp: Value | undefined = mem.load(a.listAll);
  while (typeof fp === 'number' && fp !== 0 && out.length < 4096 && !out.includes(fp)) {
    out.push(fp);
    fp = mem.load(fp + F_CHAIN);
  }
  return out;
}

export function cell(mem: VmMemory, fp: number, field: number): number {
  const v = mem.load(fp + field);
  return typeof v === 'number' ? v : 0;
}
