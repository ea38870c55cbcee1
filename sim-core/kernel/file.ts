// Open files and descriptor tables (include/linux/fs.h struct file, fdtable.h, fs/file.c): the
// reference-counted struct file, files_struct with its fdtable and close_on_exec bits, and the
// helpers fork, exit and exec use on them (dup_fd, put_files_struct, do_close_on_exec).

import { kaddr, type files_struct, type task_struct } from './task';
import type { Kernel } from './kernel';
import type { inode } from './vfs';
import type { pipe_inode_info } from './pipe';
import type { mqueue_inode_info } from './mqueue';
import { pipe_release } from './pipe';

/** open(2) flags (asm-generic/fcntl.h, x86-64). */
export const O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_EXCL = 0o200,
  O_NOCTTY = 0o400, O_TRUNC = 0o1000, O_APPEND = 0o2000, O_NONBLOCK = 0o4000, O_DIRECTORY = 0o200000,
  O_CLOEXEC = 0o2000000, O_LARGEFILE = 0o100000;
/** f_mode bits (include/linux/fs.h). */
export const FMODE_READ = 0x1, FMODE_WRITE = 0x2, FMODE_LSEEK = 0x4, FMODE_PREAD = 0x8, FMODE_PWRITE = 0x10;
/** fcntl commands and FD_CLOEXEC. */
export const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030, FD_CLOEXEC = 1;
/** NR_OPEN_DEFAULT: the slots of the fdtable embedded in files_struct (BITS_PER_LONG). */
export const NR_OPEN_DEFAULT = 64;
/** RLIMIT_NOFILE's default (soft 1024, hard 1048576 as systemd sets them). */
export const NOFILE_CUR = 1024, NOFILE_MAX = 1048576;
/** sysctl fs.nr_open: no fdtable grows beyond it. */
export const NR_OPEN = 1048576;

/** Which file operations a struct file uses (its f_op): what read and write reach. */
export type FileOps = 'regular' | 'directory' | 'null' | 'tty' | 'pipe' | 'proc' | 'mqueue';

export interface file {
  readonly type: 'file';
  addr: number;
  /** References: descriptors in every table that holds it (dup, fork) plus calls in progress. */
  f_count: number;
  f_flags: number;
  f_mode: number;
  f_pos: number;
  f_op: FileOps;
  f_inode: inode;
  /** The path it was opened by (d_path of f_path), as /proc/PID/fd shows it. */
  f_path: string;
  /** private_data of a pipe end. */
  pipe: pipe_inode_info | null;
  /** A terminal file: the machine output it writes to (1 stdout, 2 stderr). Not a kernel field. */
  tty_stream: number;
  /** A procfs file: its text, made when it was opened (seq_file's buffer). Not a kernel field. */
  seq: string | null;
  /** A POSIX message queue descriptor (mq_open): its queue (the mqueue inode's info). */
  mq?: mqueue_inode_info;
}

export interface fdtable {
  /** The size of fd[] as the kernel allocated it (a power of two, grown by expand_files). */
  max_fds: number;
  /** The open files by descriptor; only the used prefix is kept (the rest are NULL). */
  fd: Array<file | null>;
  /** close_on_exec bits, by descriptor. */
  close_on_exec: boolean[];
}

export function alloc_file(f_op: FileOps, ino: inode, flags: number, path: string): file {
  const acc = flags & O_ACCMODE;
  let mode = (acc === O_RDONLY || acc === O_RDWR ? FMODE_READ : 0) | (acc === O_WRONLY || acc === O_RDWR ? FMODE_WRITE : 0);
  if (f_op !== 'pipe' && f_op !== 'tty') mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
  return {
    type: 'file', addr: kaddr(232), f_count: 1, f_flags: flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC),
    f_mode: mode, f_pos: 0, f_op, f_inode: ino, f_path: path, pipe: null, tty_stream: 1, seq: null,
  };
}

export function newFdtable(): fdtable {
  return { max_fds: NR_OPEN_DEFAULT, fd: [], close_on_exec: [] };
}

/** get_file: one more reference. */
export function get_file(f: file): file {
  f.f_count++;
  return f;
}

/** fput: drops a reference; the last one releases the file (a pipe end wakes the other side). */
export function fput(k: Kernel, f: file, by: task_struct | null): void {
  if (--f.f_count > 0) return;
  if (f.pipe) pipe_release(k, f, by);
}

/** files_fdtable(files)->fd[fd], or null for a descriptor that is not open. */
export function files_lookup_fd(files: files_struct | null, fd: number): file | null {
  if (!files || !Number.isInteger(fd) || fd < 0) return null;
  return files.fdt.fd[fd] ?? null;
}

/** fdget: the open file of a descriptor of the current task, or null (EBADF). */
export function fdget(t: task_struct, fd: number): file | null {
  return files_lookup_fd(t.files, fd);
}

/** The soft RLIMIT_NOFILE of t's process: descriptors must stay below it. */
export function nofile(t: task_struct): number {
  return t.signal.rlim_nofile.rlim_cur < 0 ? NR_OPEN : Math.min(NR_OPEN, t.signal.rlim_nofile.rlim_cur);
}

/** expand_files: the table doubles until it holds descriptor nr. */
function expand_files(fdt: fdtable, nr: number): void {
  while (fdt.max_fds <= nr) fdt.max_fds *= 2;
}

/**
 * alloc_fd: the lowest free descriptor at or above `start`, below `end` (RLIMIT_NOFILE), or
 * -EMFILE. The slot is reserved (NULL) until fd_install.
 */
export function alloc_fd(files: files_struct, start: number, end: number, cloexec: boolean): number {
  const fdt = files.fdt;
  let fd = Math.max(start, start <= files.next_fd ? files.next_fd : start);
  while (fd < fdt.fd.length && fdt.fd[fd] !== null) fd++;
  if (fd >= end) return -24;
  expand_files(fdt, fd);
  while (fdt.fd.length <= fd) { fdt.fd.push(null); fdt.close_on_exec.push(false); }
  fdt.close_on_exec[fd] = cloexec;
  if (start <= files.next_fd) files.next_fd = fd + 1;
  return fd;
}

/** fd_install: the reserved slot takes the file (the caller's reference goes with it). */
export function fd_install(files: files_struct, fd: number, f: file): void {
  files.fdt.fd[fd] = f;
}

/** __put_unused_fd: the slot is free again; next_fd goes back to the lowest free one. */
function put_unused_fd(files: files_struct, fd: number): void {
  const fdt = files.fdt;
  fdt.fd[fd] = null;
  fdt.close_on_exec[fd] = false;
  if (fd < files.next_fd) files.next_fd = fd;
  while (fdt.fd.length > 0 && fdt.fd[fdt.fd.length - 1] === null) { fdt.fd.pop(); fdt.close_on_exec.pop(); }
}

/** file_close_fd + filp_close: removes the descriptor and drops its reference; null for EBADF. */
export function close_fd(k: Kernel, t: task_struct, fd: number): file | null {
  const files = t.files;
  const f = files_lookup_fd(files, fd);
  if (!files || !f) return null;
  put_unused_fd(files, fd);
  fput(k, f, t);
  return f;
}

/**
 * do_dup2: newfd takes oldfile (a file it held is closed). Returns newfd or -EBADF/-EMFILE.
 */
export function do_dup2(k: Kernel, t: task_struct, f: file, newfd: number, cloexec: boolean): number {
  const files = t.files as files_struct;
  if (newfd >= nofile(t)) return -9;
  const old = files.fdt.fd[newfd] ?? null;
  expand_files(files.fdt, newfd);
  while (files.fdt.fd.length <= newfd) { files.fdt.fd.push(null); files.fdt.close_on_exec.push(false); }
  files.fdt.fd[newfd] = get_file(f);
  files.fdt.close_on_exec[newfd] = cloexec;
  if (old) fput(k, old, t);
  return newfd;
}

/** A new files_struct (the swapper's init_files) with nothing open. */
export function newFilesStruct(): files_struct {
  return { type: 'files_struct', addr: kaddr(704), count: 1, fdt: newFdtable(), next_fd: 0 };
}

/** dup_fd: a copy of the table for fork; every open file gains a reference. */
export function dup_fd(old: files_struct): files_struct {
  const nf = newFilesStruct();
  const src = old.fdt;
  nf.fdt.max_fds = src.max_fds;
  nf.fdt.fd = src.fd.slice();
  nf.fdt.close_on_exec = src.close_on_exec.slice();
  for (const f of nf.fdt.fd) if (f) f.f_count++;
  nf.next_fd = old.next_fd;
  return nf;
}

/** put_files_struct: the last user closes every file (close_files). */
export function put_files_struct(k: Kernel, files: files_struct, by: task_struct | null): void {
  if (--files.count > 0) return;
  const fds = files.fdt.fd;
  for (let i = 0; i < fds.length; i++) {
    const f = fds[i];
    if (f) { fds[i] = null; fput(k, f, by); }
  }
  files.fdt.fd = [];
  files.fdt.close_on_exec = [];
  files.next_fd = 0;
}

/** do_close_on_exec: exec closes every descriptor with its close_on_exec bit set. */
export function do_close_on_exec(k: Kernel, t: task_struct): void {
  const files = t.files;
  if (!files) return;
  const bits = files.fdt.close_on_exec;
  for (let fd = bits.length - 1; fd >= 0; fd--) if (bits[fd]) close_fd(k, t, fd);
}
