// read, write and lseek (fs/read_write.c): the descriptor's file, its f_mode checked, then the
// file's own operation: pipe_read/pipe_write and n_tty_read are kernel paths of their own (they
// may sleep); a regular file, /dev/null and a procfs file are copied at once at f_pos.

import * as C from './consts';
import { kfunc, type StepHandler } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { fdget, FMODE_READ, FMODE_WRITE, O_APPEND, type file } from './file';
import { pipe_read, pipe_write, pipeIoLocals } from './pipe';
import { n_tty_read, nttyReadLocals } from './tty';
import { i_size } from './vfs';
import { i_bytes, shmem_write } from './shmem';

export const ESPIPE = 29, EISDIR = 21;
export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;
/** MAX_RW_COUNT: one read or write moves at most INT_MAX rounded down to a page. */
const MAX_RW_COUNT = 0x7ffff000;

/** copy_to_user of bytes into t's memory; false when the range is not mapped (EFAULT). */
export function copy_to_user(k: Kernel, t: task_struct, addr: number, bytes: string): boolean {
  if (k.user.copyToUser) return k.user.copyToUser(t, addr, bytes);
  for (let i = 0; i < bytes.length; i++) {
    if (!k.user.putUser(t, addr + i, (bytes.charCodeAt(i) << 24) >> 24)) return false;
  }
  return true;
}

/** A file read at once: a regular file, /dev/null, a procfs file; -errno for a directory. */
function read_now(k: Kernel, t: task_struct, f: file, buf: number, count: number): number {
  if (f.f_op === 'directory') return -EISDIR;
  if (f.f_op === 'null') return 0;
  const data = f.f_op === 'proc' ? f.seq ?? '' : i_bytes(f.f_inode);
  if (f.f_pos >= data.length || count === 0) return 0;
  const out = data.slice(f.f_pos, f.f_pos + count);
  if (!copy_to_user(k, t, buf, out)) return -C.EFAULT;
  f.f_pos += out.length;
  return out.length;
}

/** A file written at once: a regular file at f_pos (at its end with O_APPEND), /dev/null. */
export function write_now(f: file, text: string): number {
  if (f.f_op === 'null') return text.length;
  if (f.f_op === 'proc') return -C.EINVAL;
  const ino = f.f_inode;
  if (f.f_flags & O_APPEND) f.f_pos = ino.i_data.length;
  const d = ino.i_data;
  const pos = f.f_pos;
  ino.i_data = (pos > d.length ? d + '\0'.repeat(pos - d.length) : d.slice(0, pos)) + text + d.slice(pos + text.length);
  shmem_write(ino, pos, text);
  f.f_pos = pos + text.length;
  return text.length;
}

interface RdL { fd: number; buf: number; count: number; file: file | null }

/**
 * The two steps read and write open with: fdget_pos (-EBADF for a descriptor not open) and the
 * f_mode check (-EBADF for a file not open for reading or writing, as `access` says).
 */
function fdgetSteps<L extends { fd: number; file: file | null }>(access: 'read' | 'write'): { fdget: StepHandler<L>; mode: StepHandler<L> } {
  return {
    fdget: (k, t, f) => {
      const file = fdget(t, f.locals.fd);
      if (!file) { k.ret(t, -C.EBADF); return; }
      f.locals.file = file;
    },
    mode: (k, t, f) => {
      // Read at the step: file.ts and this file import each other, so no constant at load time.
      const mode = access === 'read' ? FMODE_READ : FMODE_WRITE;
      if (!((f.locals.file as file).f_mode & mode)) k.ret(t, -C.EBADF);
    },
  };
}

export function readLocals(fd: number, buf: number, count: number): RdL {
  return { fd, buf, count: Math.min(count, MAX_RW_COUNT), file: null };
}

export const __x64_sys_read = kfunc<RdL>('__x64_sys_read', 'fs/read_write.c', `
SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
{
	struct fd f = fdget_pos(fd);
	ssize_t ret = -EBADF;

	if (!fd_file(f))                                    @fdget
		return -EBADF;
	if (!(fd_file(f)->f_mode & FMODE_READ))             @mode
		return -EBADF;

	/* vfs_read: the file's read (pipe_read, n_tty_read) or a copy from its pages. */
	ret = vfs_read(fd_file(f), buf, count, &pos);       @read @done
	fdput_pos(f);
	return ret;
}
`, {
  ...fdgetSteps<RdL>('read'),
  read: (k, t, f) => {
    const L = f.locals, file = L.file as file;
    if (L.count < 0) { f.ret = -C.EINVAL; return; }
    if (file.f_op === 'pipe') { k.call(t, pipe_read, pipeIoLocals(file, L.buf, '', L.count)); return; }
    if (file.f_op === 'tty') { k.call(t, n_tty_read, nttyReadLocals(file, L.buf, L.count)); return; }
    f.ret = read_now(k, t, file, L.buf, L.count);
  },
  done: (k, t, f) => k.ret(t, f.ret),
}, ['fd', 'count', 'file']);

interface WrL { fd: number; text: string; file: file | null }

export function writeLocals(fd: number, text: string): WrL {
  return { fd, text: text.length > MAX_RW_COUNT ? text.slice(0, MAX_RW_COUNT) : text, file: null };
}

/** What the machine's terminal does with a write: the engine passes it to the output. */
export type TtyWriter = (t: task_struct, stream: number, text: string) => number;

const TTY_WRITERS = new WeakMap<Kernel, TtyWriter>();

/** The machine's terminal output (set when the engine is made). */
export function set_tty_writer(k: Kernel, w: TtyWriter): void {
  TTY_WRITERS.set(k, w);
}

function tty_write(k: Kernel, t: task_struct, stream: number, text: string): number {
  const w = TTY_WRITERS.get(k);
  return w ? w(t, stream, text) : text.length;
}

export const __x64_sys_write = kfunc<WrL>('__x64_sys_write', 'fs/read_write.c', `
SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf,
		size_t, count)
{
	struct fd f = fdget_pos(fd);
	ssize_t ret = -EBADF;

	if (!fd_file(f))                                    @fdget
		return -EBADF;
	if (!(fd_file(f)->f_mode & FMODE_WRITE))            @mode
		return -EBADF;

	/* vfs_write: the file's write (pipe_write, the terminal) or a copy into its pages. */
	ret = vfs_write(fd_file(f), buf, count, &pos);      @write @done
	fdput_pos(f);
	return ret;
}
`, {
  ...fdgetSteps<WrL>('write'),
  write: (k, t, f) => {
    const L = f.locals, file = L.file as file;
    if (file.f_op === 'pipe') { k.call(t, pipe_write, pipeIoLocals(file, 0, L.text, L.text.length)); return; }
    if (file.f_op === 'tty') { f.ret = tty_write(k, t, file.tty_stream, L.text); return; }
    if (file.f_op === 'directory') { f.ret = -EISDIR; return; }
    f.ret = write_now(file, L.text);
  },
  done: (k, t, f) => k.ret(t, f.ret),
}, ['fd', 'file']);

/** lseek(fd, offset, whence): the new f_pos, -ESPIPE on a pipe or terminal, -EINVAL below 0. */
export function sys_lseek(t: task_struct, fd: number, offset: number, whence: number): number {
  const f = fdget(t, fd);
  if (!f) return -C.EBADF;
  if (f.f_op === 'pipe' || f.f_op === 'tty') return -ESPIPE;
  if (f.f_op === 'null') return 0;
  let pos: number;
  if (whence === SEEK_SET) pos = offset;
  else if (whence === SEEK_CUR) pos = f.f_pos + offset;
  else if (whence === SEEK_END) pos = (f.f_op === 'proc' ? 0 : i_size(f.f_inode)) + offset;
  else return -C.EINVAL;
  if (pos < 0 || !Number.isSafeInteger(pos)) return -C.EINVAL;
  f.f_pos = pos;
  return pos;
}
