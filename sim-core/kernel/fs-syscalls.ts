// The file system calls of the x86-64 table (read, write, openat, close, pipe2, dup*, fcntl,
// lseek, chdir, getcwd, access...): the argument ABI of each, onto fs/*.c's functions here.

import type { Value } from '../vm/types';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { entry, type SyscallEntry } from './callentry';
import { __x64_sys_read, __x64_sys_write, readLocals, sys_lseek, writeLocals } from './read_write';
import { __x64_sys_pipe2, pipe2Locals } from './pipe';
import { sys_umask, sys_chdir, sys_close, sys_dup, sys_dup2, sys_dup3, sys_fcntl, sys_getcwd, sys_openat } from './open';
import { AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW } from './vfs';
import { ksys_ftruncate, sys_linkat } from './shmem';
import { __x64_sys_poll, __x64_sys_select, pollLocals, selectLocals } from './select';
import { sys_faccessat, sys_fchmod, sys_fchmodat, sys_fstat, sys_getdents64, sys_ioctl, sys_mkdirat, sys_newfstatat, sys_unlinkat } from './stat';

type Handler = (k: Kernel, t: task_struct, args: Value[]) => SyscallEntry | number;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

/** An int argument as the kernel takes it (the low 32 bits, signed). */
function int(v: Value | undefined): number {
  return typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : num(v) | 0;
}

/** An unsigned int argument (a descriptor as read and close take it): -1 becomes 4294967295. */
function uint(v: Value | undefined): number {
  return typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : num(v) >>> 0;
}

/** A path argument: a literal, or the address of its characters. */
function path(k: Kernel, t: task_struct, v: Value | undefined): string {
  return k.user.readString(t, v ?? '');
}

export const FS_SYSCALLS: ReadonlyArray<[string, Handler]> = [
  ['read', (_k, _t, a) => entry(__x64_sys_read, readLocals(uint(a[0]), num(a[1]), num(a[2])))],
  // write(fd, text): the C library passes the bytes it copied from the buffer.
  ['write', (k, t, a) => entry(__x64_sys_write, writeLocals(a.length > 1 ? uint(a[0]) : 1, k.user.readString(t, a[a.length - 1] ?? '')))],
  ['openat', (k, t, a) => sys_openat(k, t, int(a[0]), path(k, t, a[1]), int(a[2]), int(a[3]))],
  ['open', (k, t, a) => sys_openat(k, t, AT_FDCWD, path(k, t, a[0]), int(a[1]), int(a[2]))],
  ['creat', (k, t, a) => sys_openat(k, t, AT_FDCWD, path(k, t, a[0]), 0o1101, int(a[1]))],
  ['close', (k, t, a) => sys_close(k, t, uint(a[0]))],
  ['lseek', (_k, t, a) => sys_lseek(t, uint(a[0]), num(a[1]), uint(a[2]))],
  ['pipe2', (_k, _t, a) => entry(__x64_sys_pipe2, pipe2Locals(num(a[0]), int(a[1])))],
  ['pipe', (_k, _t, a) => entry(__x64_sys_pipe2, pipe2Locals(num(a[0]), 0))],
  // poll(ufds, nfds, timeout); a restarted one carries its end time after them.
  ['poll', (_k, _t, a) => entry(__x64_sys_poll, pollLocals(num(a[0]), uint(a[1]), int(a[2]), a.length > 3 ? num(a[3]) : undefined))],
  ['select', (_k, _t, a) => entry(__x64_sys_select, selectLocals(int(a[0]), num(a[1]), num(a[2]), num(a[3]), num(a[4])))],
  ['dup', (_k, t, a) => sys_dup(t, uint(a[0]))],
  ['dup2', (k, t, a) => sys_dup2(k, t, uint(a[0]), uint(a[1]))],
  ['dup3', (k, t, a) => sys_dup3(k, t, uint(a[0]), uint(a[1]), int(a[2]))],
  ['fcntl', (_k, t, a) => sys_fcntl(t, uint(a[0]), uint(a[1]), num(a[2]))],
  ['chdir', (k, t, a) => sys_chdir(k, t, path(k, t, a[0]))],
  ['getcwd', (k, t, a) => sys_getcwd(k, t, num(a[0]), num(a[1]))],
  ['newfstatat', (k, t, a) => sys_newfstatat(k, t, int(a[0]), path(k, t, a[1]), num(a[2]), int(a[3]))],
  ['stat', (k, t, a) => sys_newfstatat(k, t, AT_FDCWD, path(k, t, a[0]), num(a[1]), 0)],
  ['lstat', (k, t, a) => sys_newfstatat(k, t, AT_FDCWD, path(k, t, a[0]), num(a[1]), AT_SYMLINK_NOFOLLOW)],
  ['access', (k, t, a) => sys_faccessat(k, t, AT_FDCWD, path(k, t, a[0]), int(a[1]), 0)],
  ['faccessat', (k, t, a) => sys_faccessat(k, t, int(a[0]), path(k, t, a[1]), int(a[2]), 0)],
  ['faccessat2', (k, t, a) => sys_faccessat(k, t, int(a[0]), path(k, t, a[1]), int(a[2]), int(a[3]))],
  ['chmod', (k, t, a) => sys_fchmodat(k, t, AT_FDCWD, path(k, t, a[0]), num(a[1]))],
  ['fchmodat', (k, t, a) => sys_fchmodat(k, t, int(a[0]), path(k, t, a[1]), num(a[2]))],
  ['fchmod', (_k, t, a) => sys_fchmod(t, uint(a[0]), num(a[1]))],
  ['fstat', (k, t, a) => sys_fstat(k, t, uint(a[0]), num(a[1]))],
  ['getdents64', (k, t, a) => sys_getdents64(k, t, uint(a[0]), num(a[1]), uint(a[2]))],
  ['unlinkat', (k, t, a) => sys_unlinkat(k, t, int(a[0]), path(k, t, a[1]), int(a[2]))],
  ['unlink', (k, t, a) => sys_unlinkat(k, t, AT_FDCWD, path(k, t, a[0]), 0)],
  ['rmdir', (k, t, a) => sys_unlinkat(k, t, AT_FDCWD, path(k, t, a[0]), AT_REMOVEDIR)],
  ['mkdirat', (k, t, a) => sys_mkdirat(k, t, int(a[0]), path(k, t, a[1]), int(a[2]))],
  ['mkdir', (k, t, a) => sys_mkdirat(k, t, AT_FDCWD, path(k, t, a[0]), int(a[1]))],
  ['ftruncate', (k, t, a) => ksys_ftruncate(k, t, uint(a[0]), num(a[1]))],
  ['linkat', (k, t, a) => sys_linkat(k, t, int(a[0]), path(k, t, a[1]), int(a[2]), path(k, t, a[3]), int(a[4]))],
  ['link', (k, t, a) => sys_linkat(k, t, AT_FDCWD, path(k, t, a[0]), AT_FDCWD, path(k, t, a[1]), 0)],
  ['umask', (_k, t, a) => sys_umask(t, num(a[0]))],
  ['ioctl', (k, t, a) => sys_ioctl(k, t, uint(a[0]), uint(a[1]), num(a[2]))],
];
