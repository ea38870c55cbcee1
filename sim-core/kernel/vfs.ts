// The in-memory file system (fs/namei.c, fs/inode.c, a ramfs-like tree): `/` with /tmp writable,
// /dev/null and /dev/tty, /bin with the programs exec can run, and /proc mounted through
// proc_lookup. Path walks resolve against the task's fs_struct (pwd) or a directory descriptor.

import { kaddr, type task_struct } from './task';
import type { Kernel } from './kernel';
import type { pipe_inode_info } from './pipe';
import { proc_lookup, type ProcNode } from './procfs';
import { fdget } from './file';
import type { SharedCells } from '../vm/memory';

/** i_mode file types (include/uapi/linux/stat.h). */
export const S_IFMT = 0o170000, S_IFDIR = 0o040000, S_IFREG = 0o100000, S_IFCHR = 0o020000, S_IFIFO = 0o010000,
  S_IFLNK = 0o120000;
/** AT_FDCWD and the *at flags. */
export const AT_FDCWD = -100, AT_REMOVEDIR = 0x200, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
export const ENOENT = 2, EBADF = 9, EACCES = 13, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
  ENAMETOOLONG = 36, ENOTEMPTY = 39, ELOOP = 40, EBUSY = 16, EPERM = 1;

export interface inode {
  readonly type: 'inode';
  addr: number;
  i_ino: number;
  i_mode: number;
  i_uid: number;
  i_nlink: number;
  /** A regular file's bytes (character codes 0..255). */
  i_data: string;
  /** A directory's entries, by name (null for other inodes and procfs directories). */
  children: Map<string, inode> | null;
  /** The directory holding it ('..'); the root is its own. */
  parent: inode | null;
  /** A character device: which one. */
  i_rdev: '' | 'null' | 'tty';
  i_pipe: pipe_inode_info | null;
  /** A procfs inode: the entry and its path below /proc. */
  proc: ProcNode | null;
  proc_path: readonly string[] | null;
  /**
   * The page cache of a regular file once mmap has mapped it (shmem.ts): from then on the file's
   * contents are these cells (one byte each for read and write), i_data only its length.
   */
  i_mapping: SharedCells | null;
  /** When it was made (virtual ns since the Epoch the machine boots at): atime, mtime, ctime. */
  i_mtime: number;
}

export interface vfs_state { root: inode; next_ino: number; programs: readonly string[] }

export function new_inode(k: Kernel, mode: number, uid: number, parent: inode | null): inode {
  const s = k.vfs;
  const ino = s !== null ? s.next_ino++ : 1;
  const dir = (mode & S_IFMT) === S_IFDIR;
  return {
    type: 'inode', addr: kaddr(600), i_ino: ino, i_mode: mode, i_uid: uid, i_nlink: dir ? 2 : 1, i_data: '',
    children: dir ? new Map() : null, parent, i_rdev: '', i_pipe: null, proc: null, proc_path: null,
    i_mapping: null, i_mtime: k.clock,
  };
}

function mkdirIn(k: Kernel, dir: inode, name: string, mode: number): inode {
  const ex = dir.children?.get(name);
  if (ex) return ex;
  const d = new_inode(k, S_IFDIR | mode, 0, dir);
  (dir.children as Map<string, inode>).set(name, d);
  dir.i_nlink++;
  return d;
}

/** The tree at boot: /, /bin, /dev (null, tty, shm), /proc, /tmp, with a file for each program. */
function boot_tree(k: Kernel, programs: readonly string[]): vfs_state {
  const s: vfs_state = { root: null as unknown as inode, next_ino: 2, programs };
  k.vfs = s;
  const root = new_inode(k, S_IFDIR | 0o755, 0, null);
  root.i_ino = 2;
  root.parent = root;
  s.root = root;
  mkdirIn(k, root, 'bin', 0o755);
  const dev = mkdirIn(k, root, 'dev', 0o755);
  for (const name of ['null', 'tty'] as const) {
    const c = new_inode(k, S_IFCHR | 0o666, 0, dev);
    c.i_rdev = name;
    (dev.children as Map<string, inode>).set(name, c);
  }
  // /dev/shm: the tmpfs where shm_open and sem_open keep their objects (world-writable, sticky).
  mkdirIn(k, dev, 'shm', 0o1777);
  const proc = mkdirIn(k, root, 'proc', 0o555);
  proc.children = null;
  proc.proc_path = [];
  proc.proc = proc_lookup(k, k.init_task, []);
  mkdirIn(k, root, 'tmp', 0o1777);
  for (const p of programs) {
    const parts = p.split('/').filter((x) => x !== '');
    if (parts.length === 0) continue;
    let d: inode | null = root;
    for (const c of parts.slice(0, -1)) {
      const next: inode | undefined = d.children?.get(c);
      // A component that is a file (or /proc) cannot hold the program: it is not listed.
      if ((next && !next.children) || !d.children) { d = null; break; }
      d = mkdirIn(k, d, c, 0o755);
    }
    const name = parts[parts.length - 1];
    if (d && d.children && !d.children.has(name)) d.children.set(name, new_inode(k, S_IFREG | 0o755, 0, d));
  }
  return s;
}

/** Mounts the tree (at boot): `programs` are the paths exec can run, shown in /bin and beside. */
export function vfs_init(k: Kernel, programs: readonly string[]): void {
  boot_tree(k, programs);
}

function state(k: Kernel): vfs_state {
  return k.vfs ?? boot_tree(k, []);
}

export function vfs_root(k: Kernel): inode {
  return state(k).root;
}

/** A procfs entry as an inode (made at each lookup, as proc_pid_make_inode does). */
function proc_inode(k: Kernel, node: ProcNode, path: readonly string[], parent: inode): inode {
  const mode = node.kind === 'dir' ? S_IFDIR | 0o555 : node.kind === 'link' ? S_IFLNK | 0o777 : S_IFREG | 0o444;
  const i = new_inode(k, mode, 0, parent);
  i.children = null;
  i.proc = node;
  i.proc_path = path;
  // Stable numbers for the same path, as procfs derives them from the pid.
  let h = 0x1000;
  for (const c of path.join('/')) h = (h * 31 + c.charCodeAt(0)) % 0x7fffffff;
  i.i_ino = 4026531840 + (h % 0xfffff);
  return i;
}

export function is_dir(i: inode): boolean {
  return (i.i_mode & S_IFMT) === S_IFDIR;
}

/** lookup in one directory: the entry `name`, or null. */
function lookup_one(k: Kernel, t: task_struct, dir: inode, name: string): inode | null {
  if (name === '.') return dir;
  if (name === '..') return dir.parent ?? dir;
  if (dir.children) return dir.children.get(name) ?? null;
  if (dir.proc_path) {
    const path = [...dir.proc_path, name];
    const node = proc_lookup(k, t, path);
    return node ? proc_inode(k, node, path, dir) : null;
  }
  return null;
}

/** The names in a directory (readdir), without '.' and '..'. */
export function dir_entries(k: Kernel, t: task_struct, dir: inode): Array<[string, inode]> {
  if (dir.children) return [...dir.children.entries()];
  // A procfs directory is listed as the reader sees it (its pid namespace), when it is read.
  const node = dir.proc_path ? proc_lookup(k, t, dir.proc_path) : null;
  if (dir.proc_path && node && node.kind === 'dir') {
    const out: Array<[string, inode]> = [];
    for (const name of node.entries()) {
      const i = lookup_one(k, t, dir, name);
      if (i) out.push([name, i]);
    }
    return out;
  }
  return [];
}

/** The absolute path of a directory inode (d_path), for getcwd. */
export function d_path(k: Kernel, i: inode): string {
  const root = state(k).root;
  const parts: string[] = [];
  let cur = i;
  for (let n = 0; cur !== root && n < 4096; n++) {
    const p = cur.parent;
    if (!p) break;
    let name = '';
    if (p.children) { for (const [nm, c] of p.children) if (c === cur) { name = nm; break; } }
    else if (cur.proc_path) name = cur.proc_path[cur.proc_path.length - 1] ?? '';
    if (name === '') break;
    parts.unshift(name);
    cur = p;
  }
  return `/${parts.join('/')}`;
}

/** What a walk found: the last component's inode (null when missing) and its directory. */
export interface nameidata { inode: inode | null; parent: inode; name: string }

/** The directory a relative path starts from: the task's pwd or an open directory. */
function start_dir(k: Kernel, t: task_struct, dirfd: number): inode | number {
  if (dirfd === AT_FDCWD) {
    const pwd = t.fs ? t.fs.pwd : '/';
    const r = walk(k, t, vfs_root(k), pwd, true, 0);
    return typeof r === 'number' || !r.inode ? vfs_root(k) : r.inode;
  }
  const f = fdget(t, dirfd);
  if (!f) return -EBADF;
  return is_dir(f.f_inode) ? f.f_inode : -ENOTDIR;
}

function may_exec(t: task_struct, i: inode): boolean {
  return t.cred.euid === 0 || (i.i_uid === t.cred.euid ? (i.i_mode & 0o100) !== 0 : (i.i_mode & 0o001) !== 0);
}

/** inode_permission: `mask` 4 read, 2 write, for t's effective uid (root passes). */
export function inode_permission(t: task_struct, i: inode, mask: number): boolean {
  if (t.cred.euid === 0) return true;
  const bits = i.i_uid === t.cred.euid ? (i.i_mode >> 6) & 7 : i.i_mode & 7;
  return (bits & mask) === mask;
}

function walk(k: Kernel, t: task_struct, start: inode, path: string, follow: boolean, depth: number): nameidata | number {
  if (depth > 40) return -ELOOP;
  const comps = path.split('/').filter((c) => c !== '');
  let dir = path.startsWith('/') ? vfs_root(k) : start;
  if (comps.length === 0) return { inode: dir, parent: dir.parent ?? dir, name: '.' };
  for (let i = 0; i < comps.length; i++) {
    const name = comps[i];
    if (name.length > 255) return -ENAMETOOLONG;
    if (!is_dir(dir)) return -ENOTDIR;
    if (!may_exec(t, dir)) return -EACCES;
    const last = i === comps.length - 1;
    const next = lookup_one(k, t, dir, name);
    if (!next) return last ? { inode: null, parent: dir, name } : -ENOENT;
    if (next.proc && next.proc.kind === 'link' && (!last || follow)) {
      const target = next.proc.target();
      const rest = comps.slice(i + 1).join('/');
      return walk(k, t, dir, rest ? `${target}/${rest}` : target, follow, depth + 1);
    }
    if (last) return { inode: next, parent: dir, name };
    dir = next;
  }
  return -ENOENT;
}

/** path_lookupat: resolves `path` from dirfd (AT_FDCWD: the pwd) for t; -errno on failure. */
export function path_lookupat(k: Kernel, t: task_struct, dirfd: number, path: string, follow = true): nameidata | number {
  if (path === '') return -ENOENT;
  if (path.length >= 4096) return -ENAMETOOLONG;
  const start = path.startsWith('/') ? vfs_root(k) : start_dir(k, t, dirfd);
  if (typeof start === 'number') return start;
  return walk(k, t, start, path, follow, 0);
}

/** The i_size stat reports: a regular file's bytes, a directory's entries as ramfs counts them. */
export function i_size(i: inode): number {
  if ((i.i_mode & S_IFMT) === S_IFREG) return i.proc ? 0 : i.i_data.length;
  if ((i.i_mode & S_IFMT) === S_IFDIR) return i.proc_path ? 0 : 4096;
  if ((i.i_mode & S_IFMT) === S_IFLNK && i.proc && i.proc.kind === 'link') return i.proc.target().length;
  return 0;
}
