// C types as the compiler tracks them: enough to scale pointer arithmetic by cells, wrap int
// arithmetic, lay out structs and answer sizeof with the x86-64 byte sizes.
import type { TypeRef } from '../lang/ast';
import { lookupStruct } from '../lang/builtins';
import { FILE_BYTES, FILE_CELLS, FILE_FIELDS } from './stdio-file';

export interface FieldLayout {
  name: string;
  type: CType;
  /** Cell offset from the start of the struct. */
  offset: number;
}

export interface StructLayout {
  name: string;
  fields: FieldLayout[];
  /** Size in cells. */
  cells: number;
  /** sizeof in bytes (x86-64). */
  bytes: number;
  /** A kernel object reached through a KRef (task_struct): fields are read by the host. */
  kernel: boolean;
  /** _Alignof when the cells do not show it (a library type whose real members are wider). */
  align?: number;
  /**
   * Why this union's members cannot overlap byte by byte in cells (a pointer or a struct beside
   * a narrower member): its members are then refused where they are used.
   */
  overlap?: string;
}

export type CType =
  /** le: a member of a union laid out byte by byte, kept as `bytes` cells of its little-endian bytes. */
  | { k: 'int'; bytes: 1 | 2 | 4 | 8; unsigned: boolean; name: string; le?: true }
  /** IEEE binary64 (double) or binary32 (float); values are JS numbers (see vm/float.ts). */
  | { k: 'float'; bytes: 4 | 8; name: 'float' | 'double' }
  | { k: 'void' }
  | { k: 'ptr'; to: CType }
  | { k: 'array'; of: CType; n: number }
  | { k: 'struct'; name: string; layout: StructLayout | null }
  /** A function designator (`worker` without a call): decays to its text address. */
  | { k: 'fn' };

export const INT: CType = { k: 'int', bytes: 4, unsigned: false, name: 'int' };
export const UINT: CType = { k: 'int', bytes: 4, unsigned: true, name: 'unsigned int' };
export const LONG: CType = { k: 'int', bytes: 8, unsigned: false, name: 'long' };
export const ULONG: CType = { k: 'int', bytes: 8, unsigned: true, name: 'unsigned long' };
/** Cells of a jmp_buf's saved registers (glibc's eight longs) and of the operand stack it keeps. */
export const JB_REGS = 8, JB_OPERANDS = 16;
export const CHAR: CType = { k: 'int', bytes: 1, unsigned: false, name: 'char' };
export const DOUBLE: CType = { k: 'float', bytes: 8, name: 'double' };
export const FLOAT: CType = { k: 'float', bytes: 4, name: 'float' };
export const VOID: CType = { k: 'void' };
export const CHAR_PTR: CType = { k: 'ptr', to: CHAR };
export const VOID_PTR: CType = { k: 'ptr', to: VOID };
export const FN: CType = { k: 'fn' };

function int(bytes: 1 | 2 | 4 | 8, unsigned: boolean, name: string): CType {
  return { k: 'int', bytes, unsigned, name };
}

/** Kernel structures scenario code reaches through the host, with their sizeof on x86-64 6.x. */
const KERNEL_STRUCTS: ReadonlyArray<[string, number]> = [['task_struct', 9792], ['list_head', 16], ['thread_info', 24],
  ['sched_entity', 256], ['signal_struct', 1136], ['mm_struct', 1344]];

/** Typedefs of the C library and the kernel, by what they are on x86-64. */
const TYPEDEFS: Readonly<Record<string, CType>> = {
  pid_t: int(4, false, 'pid_t'), uid_t: int(4, true, 'uid_t'), gid_t: int(4, true, 'gid_t'), id_t: int(4, true, 'id_t'),
  idtype_t: int(4, false, 'idtype_t'), size_t: int(8, true, 'size_t'), ssize_t: int(8, false, 'ssize_t'),
  pthread_t: int(8, true, 'pthread_t'), time_t: int(8, false, 'time_t'), useconds_t: int(4, true, 'useconds_t'),
  // rlim_t is unsigned in C; kept signed so RLIM_INFINITY (-1, all bits set) round-trips exactly.
  rlim_t: int(8, false, 'rlim_t'), off_t: int(8, false, 'off_t'), mode_t: int(4, true, 'mode_t'),
  // One cell holding the signal bitmask (bit signo-1), as the kernel's sigset_t word does.
  sigset_t: int(8, true, 'sigset_t'),
  // glibc: typedef int sig_atomic_t (an int is read and written in one instruction); clockid_t is int.
  sig_atomic_t: int(4, false, 'sig_atomic_t'), clockid_t: int(4, false, 'clockid_t'),
  sighandler_t: { k: 'ptr', to: VOID },
  u8: int(1, true, 'u8'), u16: int(2, true, 'u16'), u32: int(4, true, 'u32'), u64: int(8, true, 'u64'),
  s8: int(1, false, 's8'), s16: int(2, false, 's16'), s32: int(4, false, 's32'), s64: int(8, false, 's64'),
  uint8_t: int(1, true, 'uint8_t'), uint16_t: int(2, true, 'uint16_t'), uint32_t: int(4, true, 'uint32_t'),
  uint64_t: int(8, true, 'uint64_t'), int8_t: int(1, false, 'int8_t'), int16_t: int(2, false, 'int16_t'),
  int32_t: int(4, false, 'int32_t'), int64_t: int(8, false, 'int64_t'), intptr_t: int(8, false, 'intptr_t'),
  uintptr_t: int(8, true, 'uintptr_t'), spinlock_t: int(4, false, 'spinlock_t'), gfp_t: int(4, true, 'gfp_t'),
  atomic_t: int(4, false, 'atomic_t'), bool: int(1, true, 'bool'), _Bool: int(1, true, '_Bool'),
  wait_queue_head_t: int(8, false, 'wait_queue_head_t'), FILE: { k: 'struct', name: 'FILE', layout: null },
  siginfo_t: { k: 'struct', name: 'siginfo_t', layout: null },
  DIR: { k: 'struct', name: 'DIR', layout: null },
  dev_t: int(8, true, 'dev_t'), ino_t: int(8, true, 'ino_t'), nlink_t: int(8, true, 'nlink_t'), blksize_t: int(8, false, 'blksize_t'),
  blkcnt_t: int(8, false, 'blkcnt_t'),
  key_t: int(4, false, 'key_t'), shmatt_t: int(8, true, 'shmatt_t'),
  mqd_t: int(4, false, 'mqd_t'), msgqnum_t: int(8, true, 'msgqnum_t'), msglen_t: int(8, true, 'msglen_t'),
  // pthread_once_t is an int: PTHREAD_ONCE_INIT (0), in progress (1), done (2).
  pthread_once_t: int(4, false, 'pthread_once_t'),
  // poll's count of pollfds; a thread-specific data key (an index); a spin lock (an int, 0 free).
  nfds_t: int(8, true, 'nfds_t'), pthread_key_t: int(4, true, 'pthread_key_t'), pthread_spinlock_t: int(4, false, 'pthread_spinlock_t'),
};

/**
 * <pthread.h> and <semaphore.h> types that are structs (unions in glibc) under a typedef name:
 * their layouts are below, with glibc's sizeof on x86-64 and its names for the words the C
 * library works on (the futex words among them).
 */
const STRUCT_TYPEDEFS: ReadonlySet<string> = new Set(['siginfo_t', 'sigval_t', 'cpu_set_t', 'div_t', 'ldiv_t', 'lldiv_t', 'pthread_attr_t', 'pthread_mutex_t', 'pthread_mutexattr_t',
  'pthread_cond_t', 'pthread_condattr_t', 'sem_t', 'pthread_barrier_t', 'pthread_barrierattr_t', 'pthread_rwlock_t', 'pthread_rwlockattr_t', 'fd_set']);

/** Integer base types spelled with C keywords: 'unsigned long', 'short', 'long long int'. */
function keywordType(name: string): CType | undefined {
  if (name === 'double') return DOUBLE;
  if (name === 'float') return FLOAT;
  const words = name.split(/\s+/);
  const known = new Set(['unsigned', 'signed', 'char', 'short', 'int', 'long']);
  if (!words.every((w) => known.has(w))) return undefined;
  const unsigned = words.includes('unsigned');
  if (words.includes('char')) return int(1, unsigned, name);
  if (words.includes('short')) return int(2, unsigned, name);
  if (words.includes('long')) return int(8, unsigned, name);
  return int(4, unsigned, name);
}

export function cellsOf(t: CType): number {
  switch (t.k) {
    case 'array': return t.n * cellsOf(t.of);
    case 'struct': return t.layout ? Math.max(1, t.layout.cells) : 1;
    default: return 1;
  }
}

/** A char array (one cell per byte already) or a char. */
function byteCells(t: CType): boolean {
  return (t.k === 'int' && t.bytes === 1) || (t.k === 'array' && t.of.k === 'int' && t.of.bytes === 1);
}

/**
 * A union whose members differ in size must overlap them byte by byte (an int read back through
 * `unsigned char b[4]` gives its little-endian bytes). When every member is an integer or a char
 * array, the union is laid out one cell per byte and its wider integers are kept as their bytes
 * (`le`); a pointer or a struct cannot be split into bytes, so such a union records why.
 */
function overlapBytes(layout: StructLayout): void {
  // The width of each member's integers; a pointer or a struct counts only beside a char or a
  // short (`union { int i; char *s; }`, read as the member last written, keeps its cells).
  const width = (t: CType): number => (t.k === 'int' ? t.bytes : t.k === 'array' && t.of.k === 'int' ? t.of.bytes : 0);
  const bytesView = layout.fields.some((f) => width(f.type) === 1 || width(f.type) === 2);
  const counted = layout.fields.filter((f) => width(f.type) > 0 || bytesView);
  if (new Set(counted.map((f) => width(f.type))).size < 2) return;
  const odd = layout.fields.find((f) => f.type.k !== 'int' && !byteCells(f.type));
  if (odd) {
    // Beside wider integers only, it keeps whole cells (each member read as it was written).
    if (!bytesView) return;
    layout.overlap = `member '${odd.name}' (${typeName(odd.type)}) would share bytes with members of another size, and the simulator keeps it in whole cells, not as bytes`;
    return;
  }
  layout.cells = layout.bytes;
  // Every byte cell may have been written through another member: reads of a char convert it.
  for (const f of layout.fields) {
    if (f.type.k === 'int') f.type = { ...f.type, le: true };
    else if (f.type.k === 'array' && f.type.of.k === 'int') f.type = { ...f.type, of: { ...f.type.of, le: true } };
  }
}

export function bytesOf(t: CType): number {
  switch (t.k) {
    case 'int': case 'float': return t.bytes;
    case 'void': return 1;
    case 'ptr': case 'fn': return 8;
    case 'array': return t.n * bytesOf(t.of);
    case 'struct': return t.layout ? t.layout.bytes : 8;
  }
}

export function alignOf(t: CType): number {
  switch (t.k) {
    case 'int': case 'float': return t.bytes;
    case 'array': return alignOf(t.of);
    case 'struct': return t.layout ? t.layout.align ?? Math.min(8, Math.max(1, ...t.layout.fields.map((f) => alignOf(f.type)))) : 8;
    default: return 8;
  }
}

export function isInt(t: CType): t is Extract<CType, { k: 'int' }> { return t.k === 'int'; }
export function isPointerLike(t: CType): boolean { return t.k === 'ptr' || t.k === 'array' || t.k === 'fn'; }
export function isScalar(t: CType): boolean { return t.k === 'int' || t.k === 'float' || t.k === 'ptr' || t.k === 'fn'; }
export function isFloating(t: CType): t is Extract<CType, { k: 'float' }> { return t.k === 'float'; }
/** Arithmetic types: the integers and the two floating types. */
export function isArithmetic(t: CType): boolean { return t.k === 'int' || t.k === 'float'; }

/** The element type a pointer or array designates (for `*p`, `p[i]`, scaling). */
export function pointee(t: CType): CType | undefined {
  return t.k === 'ptr' ? t.to : t.k === 'array' ? t.of : undefined;
}

/** Arrays decay to pointers to their first element; functions to their address. */
export function decay(t: CType): CType {
  return t.k === 'array' ? { k: 'ptr', to: t.of } : t.k === 'fn' ? VOID_PTR : t;
}

/**
 * The type C's usual arithmetic conversions give two operands: double if either is double, else
 * float if either is float, else the integer rules below.
 */
export function arith(a: CType, b: CType): CType {
  if (a.k === 'float' || b.k === 'float') return (a.k === 'float' && a.bytes === 8) || (b.k === 'float' && b.bytes === 8) ? DOUBLE : FLOAT;
  const ab = a.k === 'int' ? a.bytes : 8, bb = b.k === 'int' ? b.bytes : 8;
  const au = a.k === 'int' && a.unsigned, bu = b.k === 'int' && b.unsigned;
  if (ab === 8 || bb === 8) return (ab === 8 && au) || (bb === 8 && bu) ? ULONG : LONG;
  return au && ab === 4 || bu && bb === 4 ? UINT : INT;
}

/** Integer promotion: char, short and bool operate as int. */
export function promote(t: CType): CType {
  return t.k === 'int' && t.bytes < 4 ? INT : t;
}

export function typeName(t: CType): string {
  switch (t.k) {
    case 'int': case 'float': return t.name;
    case 'void': return 'void';
    case 'ptr': return t.to.k === 'fn' ? 'void (*)()' : `${typeName(t.to)} *`;
    case 'array': { // C's spelling: int [3][4] for three rows of four
      let dims = '';
      let e: CType = t;
      for (; e.k === 'array'; e = e.of) dims += `[${e.n}]`;
      return `${typeName(e)} ${dims}`;
    }
    case 'struct': return t.name.startsWith('struct ') || !t.layout ? t.name : `struct ${t.name}`;
    case 'fn': return 'function';
  }
}

/** Layouts of structs the file defines, plus the catalog's. */
export class TypeTable {
  private readonly layouts = new Map<string, StructLayout>();
  /**
   * One type object per struct tag, its layout filled in when the definition is read: a field
   * `struct node *next` names its own struct before the layout exists (a linked list), and the
   * pointer must reach the finished layout.
   */
  private readonly tags = new Map<string, Extract<CType, { k: 'struct' }>>();

  constructor() {
    // glibc's struct sigaction keeps sa_handler and sa_sigaction in one union: they share a cell.
    this.builtin('sigaction', [['sa_handler', VOID_PTR, 0], ['sa_sigaction', VOID_PTR, 0], ['sa_mask', TYPEDEFS.sigset_t, 1],
      ['sa_flags', INT, 2]], 152);
    this.builtin('rlimit', [['rlim_cur', TYPEDEFS.rlim_t, 0], ['rlim_max', TYPEDEFS.rlim_t, 1]], 16);
    this.builtin('timespec', [['tv_sec', LONG, 0], ['tv_nsec', LONG, 1]], 16);
    this.builtin('timeval', [['tv_sec', LONG, 0], ['tv_usec', LONG, 1]], 16);
    this.builtin('sched_param', [['sched_priority', INT, 0]], 4);
    // glibc's cpu_set_t: 1024 bits in unsigned longs, CPU n in bit n % 64 of word n / 64.
    this.builtin('cpu_set_t', [['__bits', { k: 'array', of: ULONG, n: 16 }, 0]], 128, 8);
    // fd_set (select): FD_SETSIZE 1024 bits in longs, descriptor n in bit n % 64 of word n / 64.
    this.builtin('fd_set', [['__fds_bits', { k: 'array', of: LONG, n: 16 }, 0]], 128, 8);
    // struct pollfd: the descriptor, the events asked for, the events poll found.
    this.builtin('pollfd', [['fd', INT, 0], ['events', int(2, false, 'short'), 1], ['revents', int(2, false, 'short'), 2]], 8, 4);
    // struct rusage: two timevals, then fourteen longs (ru_maxrss ... ru_nivcsw); 144 bytes.
    const longs = ['ru_maxrss', 'ru_ixrss', 'ru_idrss', 'ru_isrss', 'ru_minflt', 'ru_majflt', 'ru_nswap', 'ru_inblock', 'ru_oublock',
      'ru_msgsnd', 'ru_msgrcv', 'ru_nsignals', 'ru_nvcsw', 'ru_nivcsw'];
    this.builtin('rusage', [['ru_utime', this.struct('timeval'), 0], ['ru_stime', this.struct('timeval'), 2],
      ...longs.map((n, i): [string, CType, number] => [n, LONG, 4 + i])], 144);
    this.builtin('itimerval', [['it_interval', this.struct('timeval'), 0], ['it_value', this.struct('timeval'), 2]], 32);
    // The fields of siginfo_t that waitid fills in (glibc names; real layout is a union).
    // union sigval (sigqueue's value): an int or a pointer in the same 8 bytes.
    this.builtin('sigval', [['sival_int', INT, 0], ['sival_ptr', VOID_PTR, 0]], 8, 8);
    this.builtin('sigval_t', [['sival_int', INT, 0], ['sival_ptr', VOID_PTR, 0]], 8, 8);
    // si_value (with its shorthands si_int and si_ptr) lies where si_status does: byte 24.
    this.builtin('siginfo_t', [['si_signo', INT, 0], ['si_errno', INT, 1], ['si_code', INT, 2], ['si_pid', INT, 3],
      ['si_uid', UINT, 4], ['si_status', INT, 5], ['si_value', this.struct('sigval'), 5], ['si_int', INT, 5], ['si_ptr', VOID_PTR, 5]], 128);
    // <stdlib.h>'s div results: the quotient, then the remainder.
    this.builtin('div_t', [['quot', INT, 0], ['rem', INT, 1]], 8);
    this.builtin('ldiv_t', [['quot', LONG, 0], ['rem', LONG, 1]], 16);
    this.builtin('lldiv_t', [['quot', int(8, false, 'long long'), 0], ['rem', int(8, false, 'long long'), 1]], 16);
    this.builtinSync();
    this.builtinFile();
    // struct __jmp_buf_tag (200 bytes): the saved registers, whether the mask was saved, the mask;
    // past glibc's words, the operand stack the jump puts back (sim-core/vm/libc-jmp.ts).
    this.builtin('__jmp_buf_tag', [['__jmpbuf', { k: 'array', of: LONG, n: JB_REGS }, 0], ['__mask_was_saved', INT, JB_REGS],
      ['__saved_mask', TYPEDEFS.sigset_t, JB_REGS + 1], ['__operands', { k: 'array', of: LONG, n: JB_OPERANDS }, JB_REGS + 2]], 200, 8);
    // struct stat (x86-64 glibc's order) and struct dirent (vm/libc-fd.ts, kernel/stat.ts fill them).
    this.builtin('stat', [['st_dev', TYPEDEFS.dev_t, 0], ['st_ino', TYPEDEFS.ino_t, 1], ['st_nlink', TYPEDEFS.nlink_t, 2],
      ['st_mode', TYPEDEFS.mode_t, 3], ['st_uid', TYPEDEFS.uid_t, 4], ['st_gid', TYPEDEFS.gid_t, 5], ['st_rdev', TYPEDEFS.dev_t, 6],
      ['st_size', TYPEDEFS.off_t, 7], ['st_blksize', TYPEDEFS.blksize_t, 8], ['st_blocks', TYPEDEFS.blkcnt_t, 9],
      ['st_atime', TYPEDEFS.time_t, 10], ['st_mtime', TYPEDEFS.time_t, 11], ['st_ctime', TYPEDEFS.time_t, 12]], 144);
    // struct ipc_perm and struct shmid_ds (kernel/shm.ts fills them for shmctl IPC_STAT).
    const ushort: CType = { k: 'int', bytes: 2, unsigned: true, name: 'unsigned short' };
    this.builtin('ipc_perm', [['__key', TYPEDEFS.key_t, 0], ['uid', TYPEDEFS.uid_t, 1], ['gid', TYPEDEFS.gid_t, 2], ['cuid', TYPEDEFS.uid_t, 3],
      ['cgid', TYPEDEFS.gid_t, 4], ['mode', ushort, 5], ['__seq', ushort, 6]], 48, 8);
    this.builtin('shmid_ds', [['shm_perm', this.struct('ipc_perm'), 0], ['shm_segsz', TYPEDEFS.size_t, 7], ['shm_atime', TYPEDEFS.time_t, 8],
      ['shm_dtime', TYPEDEFS.time_t, 9], ['shm_ctime', TYPEDEFS.time_t, 10], ['shm_cpid', TYPEDEFS.pid_t, 11], ['shm_lpid', TYPEDEFS.pid_t, 12],
      ['shm_nattch', TYPEDEFS.shmatt_t, 13]], 112);
    // struct msqid_ds (kernel/msg.ts fills it for msgctl IPC_STAT) and struct mq_attr (kernel/mqueue.ts).
    this.builtin('msqid_ds', [['msg_perm', this.struct('ipc_perm'), 0], ['msg_stime', TYPEDEFS.time_t, 7], ['msg_rtime', TYPEDEFS.time_t, 8],
      ['msg_ctime', TYPEDEFS.time_t, 9], ['__msg_cbytes', ULONG, 10], ['msg_qnum', TYPEDEFS.msgqnum_t, 11], ['msg_qbytes', TYPEDEFS.msglen_t, 12],
      ['msg_lspid', TYPEDEFS.pid_t, 13], ['msg_lrpid', TYPEDEFS.pid_t, 14]], 120);
    this.builtin('mq_attr', [['mq_flags', LONG, 0], ['mq_maxmsg', LONG, 1], ['mq_msgsize', LONG, 2], ['mq_curmsgs', LONG, 3],
      ['__pad', { k: 'array', of: LONG, n: 4 }, 4]], 64);
    this.builtin('dirent', [['d_ino', TYPEDEFS.ino_t, 0], ['d_off', TYPEDEFS.off_t, 1], ['d_reclen', { k: 'int', bytes: 2, unsigned: true, name: 'unsigned short' }, 2],
      ['d_type', { k: 'int', bytes: 1, unsigned: true, name: 'unsigned char' }, 3], ['d_name', { k: 'array', of: CHAR, n: 256 }, 4]], 280);
    // Kernel structures: their fields are read by the host. A list_head embedded in a scenario
    // struct takes one cell and its real 16 bytes; the links themselves live in the kernel model.
    for (const [name, bytes] of KERNEL_STRUCTS) {
      const info = lookupStruct(name);
      if (!info) continue;
      const fields = info.fields.map((f, i): FieldLayout => ({ name: f.name, offset: i, type: this.fieldType(f.type) }));
      const layout: StructLayout = { name, fields, cells: 1, bytes, kernel: true, align: 8 };
      this.layouts.set(name, layout);
      // Fields of the ones before may already name this one (task_struct's se, signal).
      const t = this.tags.get(name);
      if (t) t.layout = layout;
    }
  }

  /** glibc's struct _IO_FILE (FILE), laid out by vm/stdio-file.ts: sizeof 216. */
  private builtinFile(): void {
    const file = this.struct('_IO_FILE');
    const kinds: Record<string, CType> = {
      int: INT, ptr: CHAR_PTR, long: LONG, char: CHAR, chain: { k: 'ptr', to: file },
    };
    const fields: Array<[string, CType, number]> = FILE_FIELDS.map(([n, k, o]) => [n, kinds[k], o]);
    fields.push(['_unused2', { k: 'array', of: CHAR, n: 20 }, FILE_CELLS - 20]);
    this.builtin('_IO_FILE', fields, FILE_BYTES, 8);
    (file as { layout: StructLayout | null }).layout = this.layouts.get('_IO_FILE') ?? null;
  }

  /** The synchronisation types of the C library (vm/libc-sync.ts works on their cells). */
  private builtinSync(): void {
    this.builtin('pthread_attr_t', [['__detachstate', INT, 0], ['__stacksize', ULONG, 1]], 56);
    // struct __pthread_mutex_s: __lock is the futex word (0 free, 1 locked, 2 locked with waiters).
    this.builtin('pthread_mutex_t', [['__lock', INT, 0], ['__count', UINT, 1], ['__owner', INT, 2], ['__nusers', UINT, 3],
      ['__kind', INT, 4]], 40, 8);
    this.builtin('pthread_mutexattr_t', [['__kind', INT, 0]], 4);
    // A sequence counter the waiters sleep on (__futex), how many wait (__nwaiters), the attribute bits (__wrefs).
    this.builtin('pthread_cond_t', [['__futex', UINT, 0], ['__nwaiters', UINT, 1], ['__wrefs', UINT, 2]], 48, 8);
    this.builtin('pthread_condattr_t', [['__value', INT, 0]], 4);
    // struct new_sem: the count is the futex word; nwaiters says whether sem_post must wake.
    this.builtin('sem_t', [['value', UINT, 0], ['nwaiters', UINT, 1], ['private', INT, 2]], 32, 8);
    // struct pthread_barrier: arrivals this round, the round (the futex word), the count, and the
    // futex flag (FUTEX_PRIVATE_FLAG, or 0 when process-shared).
    this.builtin('pthread_barrier_t', [['in', UINT, 0], ['current_round', UINT, 1], ['count', UINT, 2], ['shared', INT, 3]], 32, 8);
    this.builtin('pthread_barrierattr_t', [['__pshared', INT, 0]], 4);
    // Readers holding it, the writer's tid, the sequence word waiters sleep on, how many sleep.
    this.builtin('pthread_rwlock_t', [['__readers', UINT, 0], ['__cur_writer', INT, 1], ['__wrphase_futex', UINT, 2], ['__nwaiters', UINT, 3]], 56, 8);
    this.builtin('pthread_rwlockattr_t', [['__lockkind', INT, 0]], 8);
  }

  private fieldType(t: string): CType {
    const st = /^struct (\w+)( \*)?$/.exec(t);
    if (st) return st[2] ? { k: 'ptr', to: this.struct(st[1]) } : this.struct(st[1]);
    if (t.includes('*')) return VOID_PTR;
    if (t.startsWith('char [')) return CHAR_PTR;
    return keywordType(t) ?? TYPEDEFS[t] ?? INT;
  }

  private builtin(name: string, fields: Array<[string, CType, number]>, bytes: number, align?: number): void {
    const cells = Math.max(...fields.map((f) => f[2] + cellsOf(f[1])));
    const layout: StructLayout = { name, fields: fields.map(([n, type, offset]) => ({ name: n, type, offset })), cells, bytes, kernel: false };
    if (align !== undefined) layout.align = align;
    this.layouts.set(name, layout);
  }

  /**
   * Lays out a struct the file defines; fields in order, one cell per scalar. A union's members
   * all start at cell 0 and byte 0: it spans its largest member.
   */
  define(name: string, fields: Array<{ name: string; type: CType }>, union = false): StructLayout {
    let cells = 0, bytes = 0, align = 1;
    const out: FieldLayout[] = [];
    for (const field of fields) {
      // A struct member of a struct not yet defined (itself included) is incomplete: the compiler
      // reports it, and the member keeps a detached type so no layout ever contains itself.
      const f = field.type.k === 'struct' && !field.type.layout ? { ...field, type: { ...field.type } } : field;
      const a = alignOf(f.type);
      align = Math.max(align, a);
      if (union) {
        bytes = Math.max(bytes, bytesOf(f.type));
        out.push({ name: f.name, type: f.type, offset: 0 });
        cells = Math.max(cells, cellsOf(f.type));
        continue;
      }
      bytes = Math.ceil(bytes / a) * a + bytesOf(f.type);
      out.push({ name: f.name, type: f.type, offset: cells });
      cells += cellsOf(f.type);
    }
    const layout: StructLayout = { name, fields: out, cells, bytes: Math.ceil(bytes / align) * align, kernel: false };
    if (union) overlapBytes(layout);
    this.layouts.set(name, layout);
    const t = this.tags.get(name);
    if (t) t.layout = layout;
    return layout;
  }

  struct(name: string): CType {
    const tag = name.startsWith('struct ') ? name.slice(7) : name;
    let t = this.tags.get(tag);
    if (!t) {
      t = { k: 'struct', name: tag, layout: this.layouts.get(tag) ?? null };
      this.tags.set(tag, t);
    }
    if (!t.layout) t.layout = this.layouts.get(tag) ?? null;
    return t;
  }

  /** Resolves a written type; undefined names fall back to int (the checker reports them). */
  resolve(ref: TypeRef, extraPointer = 0): CType {
    let base: CType;
    const n = ref.name;
    if (n === 'void') base = VOID;
    else if (n.startsWith('struct ') || n.startsWith('union ')) base = this.struct(n.replace(/^union /, ''));
    else if (n.startsWith('enum ')) base = INT;
    else if (STRUCT_TYPEDEFS.has(n)) base = this.struct(n);
    else if (n === 'FILE') base = this.struct('_IO_FILE');
    // glibc: typedef struct __jmp_buf_tag jmp_buf[1] (sigjmp_buf the same), so env decays to a pointer.
    else if (n === 'jmp_buf' || n === 'sigjmp_buf') base = { k: 'array', of: this.struct('__jmp_buf_tag'), n: 1 };
    else base = keywordType(n) ?? TYPEDEFS[n] ?? INT;
    let t = base;
    for (let i = 0; i < ref.pointer + extraPointer; i++) t = { k: 'ptr', to: t };
    return t;
  }
}
