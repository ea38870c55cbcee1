// POSIX message queues (ipc/mqueue.c), the calls that sleep: mq_timedsend waits while the queue
// holds mq_maxmsg messages, mq_timedreceive while it is empty (wq_sleep, until the absolute
// CLOCK_REALTIME deadline when one is given). A sender finding a receiver asleep hands it the
// message (pipelined_send); a receiver that makes room moves the first sleeping sender's message
// in (pipelined_receive). Messages come out highest priority first, oldest first within one.
import * as C from './consts';
import { kfunc, retCallee } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { copy_to_user } from './read_write';
import { FMODE_READ, FMODE_WRITE, O_NONBLOCK, type file } from './file';
import { MQ_PRIO_MAX, mqueueOf, msg_insert, wq_add, type ext_wait_queue, type mq_msg, type mqueue_inode_info } from './mqueue';

const EMSGSIZE = 90;

interface MqL {
  mqdes: number;
  /** send: the message's bytes; receive: unused. */
  text: string;
  /** receive: the user buffer, and where the priority goes (0: nowhere). */
  buf: number;
  prio_ptr: number;
  msg_len: number;
  msg_prio: number;
  /** The user's timespec (0: none) and the deadline it gives in ns (-1: none). */
  timeout: number;
  expire: number;
  filp: file | null;
  info: mqueue_inode_info | null;
  wait: ext_wait_queue | null;
  msg: mq_msg | null;
  ret: number;
}

export function mqLocals(mqdes: number, text: string, buf: number, msg_len: number, msg_prio: number, prio_ptr: number, timeout: number): MqL {
  return { mqdes, text, buf, prio_ptr, msg_len, msg_prio, timeout, expire: -1, filp: null, info: null, wait: null, msg: null, ret: 0 };
}

/** prepare_timeout: the deadline of a user timespec, or -EFAULT / -EINVAL. */
function prepare_timeout(k: Kernel, t: task_struct, p: number): number {
  const s = k.user.getUser(t, p), ns = k.user.getUser(t, p + 1);
  if (s === undefined || ns === undefined) return -C.EFAULT;
  const sec = Number(s), nsec = Number(ns);
  if (!(sec >= 0) || !(nsec >= 0) || nsec >= 1e9) return -C.EINVAL;
  return sec * 1e9 + nsec;
}

/** The sleep of wq_sleep: until woken, or the deadline. */
function wq_sleep(k: Kernel, t: task_struct, q: ext_wait_queue[], L: MqL): void {
  const w: ext_wait_queue = { task: t, msg: L.msg, ready: false };
  L.wait = w;
  wq_add(q, w);
  t.__state = C.TASK_INTERRUPTIBLE;
  if (L.expire >= 0) {
    if (k.clock >= L.expire) { t.__state = C.TASK_RUNNING; return; }
    k.sleepUntil(t, L.expire);
  } else k.schedule(t);
}

/** After wq_sleep: 0 when handed over, else -ERESTARTSYS, -ETIMEDOUT, or 1 to sleep again. */
function wq_woken(k: Kernel, t: task_struct, q: ext_wait_queue[], L: MqL): number {
  const w = L.wait as ext_wait_queue;
  t.__state = C.TASK_RUNNING;
  t.timeout_at = -1;
  if (w.ready) { L.wait = null; return 0; }
  let r = 1;
  if (k.signal_pending(t)) r = -C.ERESTARTSYS;
  else if (L.expire >= 0 && k.clock >= L.expire) r = -C.ETIMEDOUT;
  if (r !== 1) { const i = q.indexOf(w); if (i >= 0) q.splice(i, 1); L.wait = null; }
  return r;
}

/** The descriptor checks both calls make: an mqueue file open for `mode`. */
function lookup(k: Kernel, t: task_struct, f: { locals: MqL }, mode: number): boolean {
  const q = mqueueOf(t, f.locals.mqdes);
  if (!q || !(q.filp.f_mode & mode)) { k.ret(t, -C.EBADF); return false; }
  f.locals.filp = q.filp;
  f.locals.info = q.info;
  return true;
}

export const do_mq_timedsend = kfunc<MqL>('do_mq_timedsend', 'ipc/mqueue.c', `
static int do_mq_timedsend(mqd_t mqdes, const char __user *u_msg_ptr,
		size_t msg_len, unsigned int msg_prio,
		struct timespec64 *ts)
{
	struct fd f;
	struct mqueue_inode_info *info;
	struct ext_wait_queue wait;
	struct ext_wait_queue *receiver = NULL;
	struct msg_msg *msg_ptr;
	int ret;

	if (unlikely(msg_prio >= (unsigned long) MQ_PRIO_MAX)) @prio
		return -EINVAL;

	/* An mqueue descriptor open for writing, else EBADF. */
	f = fdget(mqdes);                                   @fdget
	info = MQUEUE_I(file_inode(f.file));

	if (unlikely(msg_len > info->attr.mq_msgsize)) {   @size
		ret = -EMSGSIZE;
		goto out_fput;
	}
	msg_ptr = load_msg(u_msg_ptr, msg_len);
	msg_ptr->m_ts = msg_len;
	msg_ptr->m_type = msg_prio;

	if (info->attr.mq_curmsgs == info->attr.mq_maxmsg) { @full
		if (f.file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
		} else {
			wait.task = current;
			wait.msg = (void *) msg_ptr;
			/* Sleep on e_wait_q[SEND] until a receiver takes our message in (or the deadline). */
			ret = wq_sleep(info, SEND, timeout, &wait); @sleep @woken
		}
	} else {
		receiver = wq_get_first_waiter(info, RECV); @send
		if (receiver) {
			pipelined_send(&wake_q, info, msg_ptr, receiver);
		} else {
			/* adds message to the queue */
			ret = msg_insert(msg_ptr, info);
			__do_notify(info);
		}
	}
out_fput:
	return ret;                                         @ret
}
`, {
  prio: (k, t, f) => { if (f.locals.msg_prio < 0 || f.locals.msg_prio >= MQ_PRIO_MAX) k.ret(t, -C.EINVAL); },
  fdget: (k, t, f) => { lookup(k, t, f, FMODE_WRITE); },
  size: (k, _t, f) => {
    const L = f.locals;
    if (L.msg_len > (L.info as mqueue_inode_info).mq_msgsize) { L.ret = -EMSGSIZE; k.jump(f, 'ret'); return; }
    L.msg = { m_type: L.msg_prio, text: L.text };
  },
  full: (k, _t, f) => {
    const L = f.locals, info = L.info as mqueue_inode_info;
    if (info.msgs.length < info.mq_maxmsg) { k.jump(f, 'send'); return; }
    if ((L.filp as file).f_flags & O_NONBLOCK) { L.ret = -C.EAGAIN; k.jump(f, 'ret'); }
  },
  sleep: (k, t, f) => wq_sleep(k, t, (f.locals.info as mqueue_inode_info).senders, f.locals),
  woken: (k, t, f) => {
    const r = wq_woken(k, t, (f.locals.info as mqueue_inode_info).senders, f.locals);
    if (r === 1) { k.jump(f, 'full'); return; }
    f.locals.ret = r;
    k.jump(f, 'ret');
  },
  send: (_k, _t, f) => {
    const L = f.locals, info = L.info as mqueue_inode_info, msg = L.msg as mq_msg;
    const receiver = info.receivers.shift();
    if (receiver) {
      // pipelined_send: the receiver has its message and wakes with it.
      receiver.msg = msg;
      receiver.ready = true;
      _k.try_to_wake_up(receiver.task, C.TASK_INTERRUPTIBLE, _t);
    } else msg_insert(info, msg);
    L.ret = 0;
  },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['mqdes', 'msg_len', 'msg_prio', 'ret']);

export const do_mq_timedreceive = kfunc<MqL>('do_mq_timedreceive', 'ipc/mqueue.c', `
static int do_mq_timedreceive(mqd_t mqdes, char __user *u_msg_ptr,
		size_t msg_len, unsigned int __user *u_msg_prio,
		struct timespec64 *ts)
{
	ssize_t ret;
	struct msg_msg *msg_ptr;
	struct fd f;
	struct mqueue_inode_info *info;
	struct ext_wait_queue wait;

	/* An mqueue descriptor open for reading, else EBADF. */
	f = fdget(mqdes);                                   @fdget
	info = MQUEUE_I(file_inode(f.file));

	if (unlikely(msg_len < info->attr.mq_msgsize)) {   @size
		ret = -EMSGSIZE;
		goto out_fput;
	}

	if (info->attr.mq_curmsgs == 0) {                   @empty
		if (f.file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
		} else {
			wait.task = current;
			/* Sleep on e_wait_q[RECV] until a sender hands us a message (or the deadline). */
			ret = wq_sleep(info, RECV, timeout, &wait); @sleep @woken
			msg_ptr = wait.msg;
		}
	} else {
		/* The highest priority's oldest message. */
		msg_ptr = msg_get(info);                        @get

		/* There is now free space in queue: a sleeping sender's message comes in. */
		pipelined_receive(&wake_q, info);
	}
	if (ret == 0) {
		ret = msg_ptr->m_ts;

		if ((u_msg_prio && put_user(msg_ptr->m_type, u_msg_prio)) || @copy
			store_msg(u_msg_ptr, msg_ptr, msg_ptr->m_ts)) {
			ret = -EFAULT;
		}
		free_msg(msg_ptr);
	}
out_fput:
	return ret;                                         @ret
}
`, {
  fdget: (k, t, f) => { lookup(k, t, f, FMODE_READ); },
  size: (k, _t, f) => {
    const L = f.locals;
    if (L.msg_len < (L.info as mqueue_inode_info).mq_msgsize) { L.ret = -EMSGSIZE; k.jump(f, 'ret'); }
  },
  empty: (k, _t, f) => {
    const L = f.locals, info = L.info as mqueue_inode_info;
    if (info.msgs.length > 0) { k.jump(f, 'get'); return; }
    if ((L.filp as file).f_flags & O_NONBLOCK) { L.ret = -C.EAGAIN; k.jump(f, 'ret'); }
  },
  sleep: (k, t, f) => wq_sleep(k, t, (f.locals.info as mqueue_inode_info).receivers, f.locals),
  woken: (k, t, f) => {
    const L = f.locals, w = L.wait;
    const r = wq_woken(k, t, (L.info as mqueue_inode_info).receivers, L);
    if (r === 1) { k.jump(f, 'empty'); return; }
    if (r < 0) { L.ret = r; k.jump(f, 'ret'); return; }
    L.msg = (w as ext_wait_queue).msg;
    k.jump(f, 'copy');
  },
  get: (k, t, f) => {
    const info = f.locals.info as mqueue_inode_info;
    const msg = info.msgs.shift() as mq_msg;
    info.qsize -= msg.text.length;
    f.locals.msg = msg;
    // pipelined_receive: the first sleeping sender's message takes the free slot.
    const sender = info.senders.shift();
    if (sender && sender.msg) {
      msg_insert(info, sender.msg);
      sender.ready = true;
      k.try_to_wake_up(sender.task, C.TASK_INTERRUPTIBLE, t);
    }
  },
  copy: (k, t, f) => {
    const L = f.locals, msg = L.msg as mq_msg;
    L.ret = msg.text.length;
    if ((L.prio_ptr !== 0 && !k.user.putUser(t, L.prio_ptr, msg.m_type)) || !copy_to_user(k, t, L.buf, msg.text)) L.ret = -C.EFAULT;
  },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['mqdes', 'msg_len', 'ret']);

/** The SYSCALL_DEFINE5 part both share: the timeout read first (prepare_timeout). */
function timeoutStep(k: Kernel, t: task_struct, f: { locals: MqL }): void {
  if (f.locals.timeout === 0) return;
  const e = prepare_timeout(k, t, f.locals.timeout);
  if (e < 0) { k.ret(t, e); return; }
  f.locals.expire = e;
}

export const __x64_sys_mq_timedsend = kfunc<MqL>('__x64_sys_mq_timedsend', 'ipc/mqueue.c', `
SYSCALL_DEFINE5(mq_timedsend, mqd_t, mqdes, const char __user *, u_msg_ptr,
		size_t, msg_len, unsigned int, msg_prio,
		const struct __kernel_timespec __user *, u_abs_timeout)
{
	struct timespec64 ts, *p = NULL;
	if (u_abs_timeout) {                                @timeout
		int res = prepare_timeout(u_abs_timeout, &ts);
		if (res)
			return res;
		p = &ts;
	}
	return do_mq_timedsend(mqdes, u_msg_ptr, msg_len, msg_prio, p); @call @ret
}
`, {
  timeout: timeoutStep,
  call: (k, t, f) => k.call(t, do_mq_timedsend, { ...f.locals }),
  ret: retCallee,
});

export const __x64_sys_mq_timedreceive = kfunc<MqL>('__x64_sys_mq_timedreceive', 'ipc/mqueue.c', `
SYSCALL_DEFINE5(mq_timedreceive, mqd_t, mqdes, char __user *, u_msg_ptr,
		size_t, msg_len, unsigned int __user *, u_msg_prio,
		const struct __kernel_timespec __user *, u_abs_timeout)
{
	struct timespec64 ts, *p = NULL;
	if (u_abs_timeout) {                                @timeout
		int res = prepare_timeout(u_abs_timeout, &ts);
		if (res)
			return res;
		p = &ts;
	}
	return do_mq_timedreceive(mqdes, u_msg_ptr, msg_len, u_msg_prio, p); @call @ret
}
`, {
  timeout: timeoutStep,
  call: (k, t, f) => k.call(t, do_mq_timedreceive, { ...f.locals }),
  ret: retCallee,
});
