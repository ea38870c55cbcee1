// Pipes (fs/pipe.c): pipe_inode_info is a ring of 16 page-sized buffers; a reader sleeps in
// pipe_read on rd_wait until data comes or no writer is left (EOF), a writer sleeps in pipe_write
// on wr_wait while the ring is full, and a write with no reader left raises SIGPIPE and fails
// with EPIPE. Both ends are struct files on one inode; the last close of an end wakes the other.

import * as C from './consts';
import { kfunc, ret0 } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { kaddr } from './task';
import { add_wait_queue, remove_wait_queue } from './waitqueue';
import { alloc_fd, alloc_file, fd_install, nofile, O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_WRONLY, type file } from './file';
import { new_inode, S_IFIFO, type inode } from './vfs';
import { copy_to_user } from './read_write';

export const PAGE_SIZE = 4096;
/** PIPE_DEF_BUFFERS: a new pipe holds 16 pages (65,536 bytes). */
export const PIPE_DEF_BUFFERS = 16;

export interface pipe_buffer {
  /** The page's bytes not yet read (offset/len of the kernel's buffer, kept as the bytes). */
  data: string;
  offset: number;
  len: number;
}

export interface pipe_inode_info {
  readonly type: 'pipe_inode_info';
  addr: number;
  /** Slots written (head) and read (tail); the ring holds head - tail buffers. */
  head: number;
  tail: number;
  max_usage: number;
  ring_size: number;
  bufs: Array<pipe_buffer | null>;
  readers: number;
  writers: number;
  /** Open files on the pipe (both ends). */
  files: number;
  rd_wait: task_struct[];
  wr_wait: task_struct[];
  /** Bytes in the ring (what FIONREAD reports). Not a kernel field. */
  nr_bytes: number;
}

function pipe_empty(p: pipe_inode_info): boolean {
  return p.head === p.tail;
}

function pipe_full(p: pipe_inode_info): boolean {
  return p.head - p.tail >= p.max_usage;
}

export function alloc_pipe_info(): pipe_inode_info {
  return {
    type: 'pipe_inode_info', addr: kaddr(192), head: 0, tail: 0, max_usage: PIPE_DEF_BUFFERS, ring_size: PIPE_DEF_BUFFERS,
    bufs: new Array<pipe_buffer | null>(PIPE_DEF_BUFFERS).fill(null), readers: 1, writers: 1, files: 2, rd_wait: [], wr_wait: [],
    nr_bytes: 0,
  };
}

/** wake_up_interruptible on a pipe's queue, done at once (a close, not a step of its own). */
function wake_all(k: Kernel, q: task_struct[], by: task_struct | null): void {
  for (let i = 0; i < q.length; i++) k.try_to_wake_up(q[i], C.TASK_INTERRUPTIBLE, by);
}

/** pipe_release: one end closed; the other side's sleepers wake to see EOF or EPIPE. */
export function pipe_release(k: Kernel, f: file, by: task_struct | null): void {
  const p = f.pipe as pipe_inode_info;
  if (f.f_mode & 1) p.readers--;
  if (f.f_mode & 2) p.writers--;
  p.files--;
  if (p.readers === 0 || p.writers === 0) {
    wake_all(k, p.rd_wait, by);
    wake_all(k, p.wr_wait, by);
  }
}

interface WkL { q: task_struct[] }

export const wake_up_interruptible = kfunc<WkL>('wake_up_interruptible', 'kernel/sched/wait.c', `
/* wake_up_interruptible(x) is __wake_up(x, TASK_INTERRUPTIBLE, 1, NULL). */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode,
			int nr_exclusive, void *key)
{
	/* Each sleeper on the queue: try_to_wake_up(), back on a run queue. */
	__wake_up_common_lock(wq_head, mode, nr_exclusive, 0, key); @wake
}                                                       @ret
`, {
  wake: (k, t, f) => wake_all(k, f.locals.q, t),
  ret: ret0,
}, ['q']);

/** The locals pipe_read and pipe_write share: the file, the user buffer, what moved so far. */
export interface PipeIoL {
  filp: file;
  pipe: pipe_inode_info;
  /** read: the user buffer's address; write: unused. */
  buf: number;
  /** write: the bytes still to write. */
  text: string;
  total_len: number;
  ret: number;
  was_full: boolean;
  was_empty: boolean;
}

export function pipeIoLocals(filp: file, buf: number, text: string, total_len: number): PipeIoL {
  return { filp, pipe: filp.pipe as pipe_inode_info, buf, text, total_len, ret: 0, was_full: false, was_empty: false };
}

/** pipe_readable: data to read, or no writer left. */
function pipe_readable(p: pipe_inode_info): boolean {
  return !pipe_empty(p) || p.writers === 0;
}

export const pipe_read = kfunc<PipeIoL>('pipe_read', 'fs/pipe.c', `
static ssize_t
pipe_read(struct kiocb *iocb, struct iov_iter *to)
{
	size_t total_len = iov_iter_count(to);
	struct file *filp = iocb->ki_filp;
	struct pipe_inode_info *pipe = filp->private_data;
	bool was_full;
	ssize_t ret;

	/* Null read succeeds. */
	if (unlikely(total_len == 0))                       @null
		return 0;

	ret = 0;
	__pipe_lock(pipe);
	was_full = pipe_full(pipe->head, pipe->tail, pipe->max_usage); @lock

	for (;;) {
		/* Copy from the oldest buffers while there are bytes and room. */
		while (!pipe_empty(pipe->head, pipe->tail) && total_len) { @copy
			struct pipe_buffer *buf = &pipe->bufs[pipe->tail & mask];
			size_t chars = min(buf->len, total_len);

			copy_page_to_iter(buf->page, buf->offset, chars, to);
			ret += chars;
			total_len -= chars;
			buf->offset += chars;
			buf->len -= chars;
			if (!buf->len)
				pipe->tail++;
		}
		if (!total_len)                                 @full
			break;	/* common path: read succeeded */

		if (!pipe->writers)                             @writers
			break;	/* end of file */
		if (ret)                                        @got
			break;
		if (filp->f_flags & O_NONBLOCK) {               @nonblock
			ret = -EAGAIN;
			break;
		}
		__pipe_unlock(pipe);

		/* The writers may be waiting for the room this read made. */
		if (was_full)                                   @wake_writers
			wake_up_interruptible(&pipe->wr_wait);

		/* Sleep on rd_wait until there is data or no writer (TASK_INTERRUPTIBLE). */
		if (wait_event_interruptible_exclusive(pipe->rd_wait, pipe_readable(pipe)) < 0) @sleep @woken
			return -ERESTARTSYS;

		__pipe_lock(pipe);
		was_full = pipe_full(pipe->head, pipe->tail, pipe->max_usage); @relock
	}
	__pipe_unlock(pipe);

	if (was_full)                                       @wake
		wake_up_interruptible(&pipe->wr_wait);
	if (ret > 0)                                        @accessed
		file_accessed(filp);
	return ret;                                         @ret
}
`, {
  null: (k, t, f) => { if (f.locals.total_len === 0) k.ret(t, 0); },
  lock: (_k, _t, f) => { f.locals.was_full = pipe_full(f.locals.pipe); },
  copy: (k, t, f) => {
    const L = f.locals, p = L.pipe;
    let out = '';
    while (!pipe_empty(p) && L.total_len > 0) {
      const slot = p.tail & (p.ring_size - 1);
      const b = p.bufs[slot] as pipe_buffer;
      const chars = Math.min(b.len, L.total_len);
      out += b.data.slice(b.offset, b.offset + chars);
      b.offset += chars;
      b.len -= chars;
      L.total_len -= chars;
      if (b.len === 0) { p.bufs[slot] = null; p.tail++; }
    }
    if (out.length > 0) {
      if (!copy_to_user(k, t, L.buf + L.ret, out)) { if (L.ret === 0) L.ret = -C.EFAULT; L.total_len = 0; }
      else L.ret += out.length;
      p.nr_bytes -= out.length;
    }
  },
  full: (k, _t, f) => { if (f.locals.total_len === 0) k.jump(f, 'wake'); },
  writers: (k, _t, f) => { if (f.locals.pipe.writers === 0) k.jump(f, 'wake'); },
  got: (k, _t, f) => { if (f.locals.ret !== 0) k.jump(f, 'wake'); },
  nonblock: (k, _t, f) => {
    if (f.locals.filp.f_flags & O_NONBLOCK) { f.locals.ret = -C.EAGAIN; k.jump(f, 'wake'); }
  },
  wake_writers: (k, t, f) => {
    if (f.locals.was_full) { f.locals.was_full = false; k.call(t, wake_up_interruptible, { q: f.locals.pipe.wr_wait }); }
  },
  sleep: (k, t, f) => {
    const p = f.locals.pipe;
    // wait_event: the condition is tested again once queued; a wake-up in between is not lost.
    if (pipe_readable(p)) return;
    add_wait_queue(p.rd_wait, t);
    t.__state = C.TASK_INTERRUPTIBLE;
    k.schedule(t);
  },
  woken: (k, t, f) => {
    t.__state = C.TASK_RUNNING;
    remove_wait_queue(f.locals.pipe.rd_wait, t);
    if (!pipe_readable(f.locals.pipe) && k.signal_pending(t)) k.ret(t, -C.ERESTARTSYS);
  },
  relock: (k, _t, f) => { f.locals.was_full = pipe_full(f.locals.pipe); k.jump(f, 'copy'); },
  wake: (k, t, f) => {
    if (f.locals.was_full) k.call(t, wake_up_interruptible, { q: f.locals.pipe.wr_wait });
  },
  accessed: () => { /* atime: not modelled */ },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['total_len', 'ret', 'was_full', 'pipe']);

export const pipe_write = kfunc<PipeIoL>('pipe_write', 'fs/pipe.c', `
static ssize_t
pipe_write(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *filp = iocb->ki_filp;
	struct pipe_inode_info *pipe = filp->private_data;
	size_t total_len = iov_iter_count(from);
	bool was_empty = false;
	ssize_t ret = 0;

	/* Null write succeeds. */
	if (unlikely(total_len == 0))                       @null
		return 0;

	__pipe_lock(pipe);
	was_empty = pipe_empty(pipe->head, pipe->tail);    @lock

	for (;;) {
		if (!pipe->readers) {                           @readers
			send_sig(SIGPIPE, current, 0);
			if (!ret)
				ret = -EPIPE;
			break;
		}

		/* Fill the last page if the whole write fits, else new pages while the ring has room. */
		if (!pipe_full(pipe->head, pipe->tail, pipe->max_usage)) { @copy
			ret += copy_page_from_iter(page, 0, PAGE_SIZE, from);
			pipe->head = head + 1;
			if (!iov_iter_count(from))
				break;
		}

		if (!pipe_full(pipe->head, pipe->tail, pipe->max_usage)) @more
			continue;

		/* The ring is full: wait for a reader to make room. */
		if (filp->f_flags & O_NONBLOCK) {               @nonblock
			if (!ret)
				ret = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {                  @signal
			if (!ret)
				ret = -ERESTARTSYS;
			break;
		}

		__pipe_unlock(pipe);
		if (was_empty)                                  @wake_readers
			wake_up_interruptible(&pipe->rd_wait);

		/* Sleep on wr_wait until a reader makes room (TASK_INTERRUPTIBLE). */
		wait_event_interruptible_exclusive(pipe->wr_wait, pipe_writable(pipe)); @sleep

		__pipe_lock(pipe);
		was_empty = pipe_empty(pipe->head, pipe->tail); @relock
	}
	__pipe_unlock(pipe);

	/* Readers sleeping on an empty pipe have data now. */
	if (was_empty)                                      @wake
		wake_up_interruptible(&pipe->rd_wait);
	return ret;                                         @ret
}
`, {
  null: (k, t, f) => { if (f.locals.total_len === 0) k.ret(t, 0); },
  lock: (_k, _t, f) => { f.locals.was_empty = pipe_empty(f.locals.pipe); },
  readers: (k, t, f) => {
    const L = f.locals;
    if (L.pipe.readers > 0) return;
    k.send_signal(C.SIGPIPE, t, t, false);
    if (L.ret === 0) L.ret = -C.EPIPE;
    k.jump(f, 'wake');
  },
  copy: (k, _t, f) => {
    const L = f.locals, p = L.pipe;
    let text = L.text;
    // Merge into the last page when the whole rest fits in it (PIPE_BUF_FLAG_CAN_MERGE).
    if (!pipe_empty(p) && text.length > 0) {
      const last = p.bufs[(p.head - 1) & (p.ring_size - 1)] as pipe_buffer;
      if (last.offset + last.len + text.length <= PAGE_SIZE && text.length % PAGE_SIZE !== 0) {
        last.data = last.data.slice(last.offset, last.offset + last.len) + text;
        last.offset = 0;
        last.len = last.data.length;
        L.ret += text.length;
        p.nr_bytes += text.length;
        text = '';
      }
    }
    while (text.length > 0 && !pipe_full(p)) {
      const chunk = text.length <= PAGE_SIZE ? text : text.slice(0, PAGE_SIZE);
      text = text.length <= PAGE_SIZE ? '' : text.slice(PAGE_SIZE);
      p.bufs[p.head & (p.ring_size - 1)] = { data: chunk, offset: 0, len: chunk.length };
      p.head++;
      L.ret += chunk.length;
      p.nr_bytes += chunk.length;
    }
    L.text = text;
    if (text.length === 0) k.jump(f, 'wake');
  },
  more: (k, _t, f) => { if (!pipe_full(f.locals.pipe)) k.jump(f, 'readers'); },
  nonblock: (k, _t, f) => {
    if (f.locals.filp.f_flags & O_NONBLOCK) { if (f.locals.ret === 0) f.locals.ret = -C.EAGAIN; k.jump(f, 'wake'); }
  },
  signal: (k, t, f) => {
    if (k.signal_pending(t)) { if (f.locals.ret === 0) f.locals.ret = -C.ERESTARTSYS; k.jump(f, 'wake'); }
  },
  wake_readers: (k, t, f) => {
    if (f.locals.was_empty) { f.locals.was_empty = false; k.call(t, wake_up_interruptible, { q: f.locals.pipe.rd_wait }); }
  },
  sleep: (k, t, f) => {
    const p = f.locals.pipe;
    if (!pipe_full(p) || p.readers === 0) return;
    add_wait_queue(p.wr_wait, t);
    t.__state = C.TASK_INTERRUPTIBLE;
    k.schedule(t);
  },
  relock: (k, t, f) => {
    t.__state = C.TASK_RUNNING;
    remove_wait_queue(f.locals.pipe.wr_wait, t);
    f.locals.was_empty = pipe_empty(f.locals.pipe);
    k.jump(f, 'readers');
  },
  wake: (k, t, f) => {
    if (f.locals.was_empty && f.locals.ret > 0) k.call(t, wake_up_interruptible, { q: f.locals.pipe.rd_wait });
  },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['total_len', 'ret', 'was_empty', 'pipe']);

interface P2L { fildes: number; flags: number; error: number; fd: number[] }

export function pipe2Locals(fildes: number, flags: number): P2L {
  return { fildes, flags, error: 0, fd: [] };
}

/** create_pipe_files: one inode, a read end and a write end. */
function create_pipe_files(k: Kernel, flags: number): [file, file] {
  const ino: inode = new_inode(k, S_IFIFO | 0o600, 0, null);
  const p = alloc_pipe_info();
  ino.i_pipe = p;
  const nb = flags & O_NONBLOCK;
  const r = alloc_file('pipe', ino, O_RDONLY | nb, `pipe:[${ino.i_ino}]`);
  const w = alloc_file('pipe', ino, O_WRONLY | nb, `pipe:[${ino.i_ino}]`);
  r.pipe = p;
  w.pipe = p;
  return [r, w];
}

export const __x64_sys_pipe2 = kfunc<P2L>('__x64_sys_pipe2', 'fs/pipe.c', `
SYSCALL_DEFINE2(pipe2, int __user *, fildes, int, flags)
{
	struct file *files[2];
	int fd[2];
	int error;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE)) @flags
		return -EINVAL;

	/* A new pipe inode, its read end and its write end; two free descriptors. */
	error = __do_pipe_flags(fd, files, flags);          @create
	if (!error) {
		if (unlikely(copy_to_user(fildes, fd, sizeof(fd)))) { @copy
			fput(files[0]);
			fput(files[1]);
			put_unused_fd(fd[0]);
			put_unused_fd(fd[1]);
			error = -EFAULT;
		} else {
			fd_install(fd[0], files[0]);
			fd_install(fd[1], files[1]);                @install
		}
	}
	return error;                                       @ret
}
`, {
  flags: (k, t, f) => { if (f.locals.flags & ~(O_CLOEXEC | O_NONBLOCK | 0o40000)) k.ret(t, -C.EINVAL); },
  create: (k, t, f) => {
    const L = f.locals;
    const files = t.files;
    if (!files) { L.error = -C.EINVAL; k.jump(f, 'ret'); return; }
    const cloexec = (L.flags & O_CLOEXEC) !== 0;
    const end = nofile(t);
    const a = alloc_fd(files, 0, end, cloexec);
    if (a < 0) { L.error = a; k.jump(f, 'ret'); return; }
    files.fdt.fd[a] = null;
    const b = alloc_fd(files, a + 1, end, cloexec);
    if (b < 0) {
      files.fdt.fd[a] = null;
      if (a < files.next_fd) files.next_fd = a;
      L.error = b;
      k.jump(f, 'ret');
      return;
    }
    L.fd = [a, b];
  },
  copy: (k, t, f) => {
    const L = f.locals;
    if (k.user.putUser(t, L.fildes, L.fd[0]) && k.user.putUser(t, L.fildes + 1, L.fd[1])) return;
    const files = t.files;
    if (files) for (const fd of L.fd) { files.fdt.fd[fd] = null; if (fd < files.next_fd) files.next_fd = fd; }
    L.error = -C.EFAULT;
    k.jump(f, 'ret');
  },
  install: (k, t, f) => {
    const [r, w] = create_pipe_files(k, f.locals.flags);
    const files = t.files;
    if (!files) return;
    fd_install(files, f.locals.fd[0], r);
    fd_install(files, f.locals.fd[1], w);
  },
  ret: (k, t, f) => k.ret(t, f.locals.error),
}, ['fildes', 'flags', 'fd', 'error']);


