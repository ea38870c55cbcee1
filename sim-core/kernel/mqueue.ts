// POSIX message queues (ipc/mqueue.c), names and attributes: mq_open finds or makes a queue in
// the IPC namespace's mqueue file system and returns a descriptor on it (mqd_t is a file
// descriptor, close-on-exec), mq_unlink removes the name (the queue lives while it is open),
// mq_getsetattr reports mq_attr and sets O_NONBLOCK. Sending and receiving are mqueue-ops.ts.
import * as C from './consts';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { kaddr } from './task';
import { alloc_fd, alloc_file, fd_install, fdget, nofile, O_ACCMODE, O_CREAT, O_EXCL, O_NONBLOCK, O_RDWR, O_WRONLY, type file } from './file';
import type { inode } from './vfs';

const EEXIST = 17, EACCES = 13, EMFILE = 24, ENAMETOOLONG = 36;
/** The namespace's defaults and limits (mq_msg_default, mq_msgsize_default, mq_msg_max, mq_msgsize_max). */
export const DFLT_MSG = 10, DFLT_MSGSIZE = 8192, MSG_MAX = 10, MSGSIZE_MAX = 8192;
/** With CAP_SYS_RESOURCE: HARD_MSGMAX and HARD_MSGSIZEMAX. */
const HARD_MSGMAX = 65536, HARD_MSGSIZEMAX = 16 * 1024 * 1024;
export const MQ_PRIO_MAX = 32768;
const S_IFREG = 0o100000;
/** struct mq_attr cells: mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs (then four cells of padding). */
const MQ_FLAGS = 0, MQ_MAXMSG = 1, MQ_MSGSIZE = 2;

/** A message: its priority (m_type) and text. */
export interface mq_msg {
  m_type: number;
  text: string;
}

/** A task asleep in mq_timedsend or mq_timedreceive (struct ext_wait_queue). */
export interface ext_wait_queue {
  task: task_struct;
  /** SEND: the message it brings; RECV: the one a sender handed it. */
  msg: mq_msg | null;
  ready: boolean;
}

/** The queue behind an mqueue inode (struct mqueue_inode_info). */
export interface mqueue_inode_info {
  readonly type: 'mqueue_inode_info';
  name: string;
  mq_maxmsg: number;
  mq_msgsize: number;
  /** The messages, highest priority first and oldest first within one (the kernel's priority tree). */
  msgs: mq_msg[];
  /** e_wait_q[SEND] and e_wait_q[RECV]: sleepers in priority order, FIFO within one. */
  senders: ext_wait_queue[];
  receivers: ext_wait_queue[];
  qsize: number;
  inode: inode;
}

/** The IPC namespace's mqueue file system: the queues by name, and its inode numbers. */
export interface mq_namespace {
  names: Map<string, mqueue_inode_info>;
  next_ino: number;
}

export function newMqNamespace(): mq_namespace {
  return { names: new Map(), next_ino: 2 };
}

/** The queue of an mqueue descriptor, or null (EBADF: not open, or not a queue). */
export function mqueueOf(t: task_struct, fd: number): { filp: file; info: mqueue_inode_info } | null {
  const filp = fdget(t, fd);
  return filp && filp.f_op === 'mqueue' && filp.mq ? { filp, info: filp.mq } : null;
}

/** wq_add: a sleeper joins in priority order (a lower static_prio goes first), FIFO within one. */
export function wq_add(q: ext_wait_queue[], w: ext_wait_queue): void {
  let i = q.length;
  while (i > 0 && q[i - 1].task.static_prio > w.task.static_prio) i--;
  q.splice(i, 0, w);
}

/** msg_insert: after every message of the same or a higher priority. */
export function msg_insert(info: mqueue_inode_info, msg: mq_msg): void {
  let i = 0;
  while (i < info.msgs.length && info.msgs[i].m_type >= msg.m_type) i++;
  info.msgs.splice(i, 0, msg);
  info.qsize += msg.text.length;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

function mqueue_inode(k: Kernel, mode: number, uid: number): inode {
  const ns = k.mq_ns;
  return {
    type: 'inode', addr: kaddr(600), i_ino: ns.next_ino++, i_mode: S_IFREG | mode, i_uid: uid, i_nlink: 1, i_data: '',
    children: null, parent: null, i_rdev: '', i_pipe: null, proc: null, proc_path: null, i_mtime: k.clock, i_mapping: null,
  };
}

/**
 * do_mq_open(name, oflag, mode, attr): `name` is what follows the C library's leading '/'. A new
 * queue takes attr's mq_maxmsg and mq_msgsize (NULL: 10 and 8192); an existing one ignores attr.
 */
export function do_mq_open(k: Kernel, t: task_struct, name: string, oflag: number, mode: number, attr: number): number {
  if (name === '' || name.includes('/')) return -EACCES;
  if (name.length > 255) return -ENAMETOOLONG;
  const files = t.files;
  if (!files) return -EMFILE;
  let info = k.mq_ns.names.get(name);
  if (info && (oflag & O_CREAT) && (oflag & O_EXCL)) return -EEXIST;
  if (!info && !(oflag & O_CREAT)) return -C.ENOENT;
  if ((oflag & O_ACCMODE) === (O_RDWR | O_WRONLY)) return -C.EINVAL;
  if (!info) {
    let maxmsg = DFLT_MSG, msgsize = DFLT_MSGSIZE;
    if (attr !== 0) {
      const m = k.user.getUser(t, attr + MQ_MAXMSG), s = k.user.getUser(t, attr + MQ_MSGSIZE);
      if (m === undefined || s === undefined) return -C.EFAULT;
      maxmsg = num(m);
      msgsize = num(s);
      // mq_attr_ok: positive, and under the namespace's limits (the hard ones with CAP_SYS_RESOURCE).
      if (maxmsg <= 0 || msgsize <= 0) return -C.EINVAL;
      const privileged = t.cred.euid === 0;
      if (maxmsg > (privileged ? HARD_MSGMAX : MSG_MAX) || msgsize > (privileged ? HARD_MSGSIZEMAX : MSGSIZE_MAX)) return -C.EINVAL;
    }
    info = {
      type: 'mqueue_inode_info', name, mq_maxmsg: maxmsg, mq_msgsize: msgsize, msgs: [], senders: [], receivers: [], qsize: 0,
      inode: mqueue_inode(k, mode & 0o777 & ~0o022, t.cred.euid),
    };
    k.mq_ns.names.set(name, info);
  }
  // get_unused_fd_flags(O_CLOEXEC): an mqueue descriptor is always close-on-exec.
  const fd = alloc_fd(files, 0, nofile(t), true);
  if (fd < 0) return fd;
  const filp = alloc_file('mqueue', info.inode, oflag & (O_ACCMODE | O_NONBLOCK), `/${name}`);
  filp.mq = info;
  fd_install(files, fd, filp);
  return fd;
}

/** mq_unlink(name): the name goes; descriptors open on the queue keep it. */
export function sys_mq_unlink(k: Kernel, _t: task_struct, name: string): number {
  if (name === '' || name.includes('/')) return -EACCES;
  if (!k.mq_ns.names.delete(name)) return -C.ENOENT;
  return 0;
}

/** mq_getsetattr(mqdes, new, old): old gets the attributes; new sets O_NONBLOCK (other flags: EINVAL). */
export function sys_mq_getsetattr(k: Kernel, t: task_struct, mqdes: number, newp: number, oldp: number): number {
  let flags = 0;
  if (newp !== 0) {
    const v = k.user.getUser(t, newp + MQ_FLAGS);
    if (v === undefined) return -C.EFAULT;
    flags = num(v);
    if (flags & ~O_NONBLOCK) return -C.EINVAL;
  }
  const q = mqueueOf(t, mqdes);
  if (!q) return -C.EBADF;
  const { filp, info } = q;
  const old = [filp.f_flags & O_NONBLOCK, info.mq_maxmsg, info.mq_msgsize, info.msgs.length];
  if (newp !== 0) filp.f_flags = (filp.f_flags & ~O_NONBLOCK) | (flags & O_NONBLOCK);
  if (oldp !== 0) {
    for (let i = 0; i < old.length; i++) if (!k.user.putUser(t, oldp + i, old[i])) return -C.EFAULT;
    for (let i = old.length; i < 8; i++) if (!k.user.putUser(t, oldp + i, 0)) return -C.EFAULT;
  }
  return 0;
}
