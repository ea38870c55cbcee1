// System V message queues (ipc/msg.c), the calls that sleep: do_msgsnd waits on q_senders while
// the queue's bytes would pass msg_qbytes, do_msgrcv waits on q_receivers until a sender hands it
// a message of the type it asked for (pipelined_send) or freeque wakes it with EIDRM. The C
// library passes msgsnd the message as bytes (its mtype first) and msgrcv a scratch buffer that
// the kernel fills with the 8 bytes of mtype and the text.
import * as C from './consts';
import { kfunc, retCallee } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { copy_to_user } from './read_write';
import {
  EIDRM, ENOMSG, MSGMAX, msg_fits_inqueue, seconds, ss_wakeup, tgid,
  type msg_msg, type msg_queue, type msg_receiver, type msg_sender,
} from './msg';

const IPC_NOWAIT = 0o4000, MSG_NOERROR = 0o10000, MSG_EXCEPT = 0o20000;
const SEARCH_ANY = 1, SEARCH_EQUAL = 2, SEARCH_NOTEQUAL = 3, SEARCH_LESSEQUAL = 4;
const INT_MAX = 2147483647;

/** testmsg: whether msg answers a receiver's type in its search mode. */
function testmsg(msg: msg_msg, type: number, mode: number): boolean {
  switch (mode) {
    case SEARCH_ANY: return true;
    case SEARCH_LESSEQUAL: return msg.m_type <= type;
    case SEARCH_EQUAL: return msg.m_type === type;
    case SEARCH_NOTEQUAL: return msg.m_type !== type;
    default: return false;
  }
}

/** pipelined_send: a sleeping receiver that wants msg takes it at once (or E2BIG if it is too long). */
function pipelined_send(k: Kernel, t: task_struct, msq: msg_queue, msg: msg_msg): boolean {
  for (const msr of msq.q_receivers.slice()) {
    if (!testmsg(msg, msr.r_msgtype, msr.r_mode)) continue;
    msq.q_receivers.splice(msq.q_receivers.indexOf(msr), 1);
    k.try_to_wake_up(msr.r_tsk, C.TASK_INTERRUPTIBLE, t);
    if (msr.r_maxsize < msg.text.length) { msr.r_msg = -C.E2BIG; continue; }
    msq.q_lrpid = tgid(msr.r_tsk);
    msq.q_rtime = seconds(k);
    msr.r_msg = msg;
    return true;
  }
  return false;
}

/** find_msg: the first message of the type asked (SEARCH_LESSEQUAL: the first of the lowest type). */
function find_msg(msq: msg_queue, msgtyp: number, mode: number): msg_msg | null {
  let found: msg_msg | null = null;
  let type = msgtyp;
  for (const msg of msq.q_messages) {
    if (!testmsg(msg, type, mode)) continue;
    if (mode === SEARCH_LESSEQUAL && msg.m_type !== 1) { type = msg.m_type - 1; found = msg; } else return msg;
  }
  return found;
}

interface SndL {
  msqid: number;
  mtype: number;
  text: string;
  msgsz: number;
  msgflg: number;
  msq: msg_queue | null;
  sender: msg_sender | null;
  err: number;
}

export function msgsndLocals(msqid: number, mtype: number, text: string, msgsz: number, msgflg: number): SndL {
  return { msqid, mtype, text, msgsz, msgflg, msq: null, sender: null, err: 0 };
}

export const do_msgsnd = kfunc<SndL>('do_msgsnd', 'ipc/msg.c', `
static long do_msgsnd(int msqid, long mtype, void __user *mtext,
		size_t msgsz, int msgflg)
{
	struct msg_queue *msq;
	struct msg_msg *msg;
	int err;

	if (msgsz > ns->msg_ctlmax || (long) msgsz < 0 || msqid < 0) @check
		return -EINVAL;
	if (mtype < 1)                                      @mtype
		return -EINVAL;

	/* The text is copied in first (load_msg), then the queue looked up. */
	msg = load_msg(mtext, msgsz);
	msq = msq_obtain_object_check(ns, msqid);           @obtain
	if (IS_ERR(msq))
		return PTR_ERR(msq);

	for (;;) {
		struct msg_sender s;

		err = -EIDRM;
		if (!ipc_valid_object(&msq->q_perm))            @valid
			goto out_unlock0;

		if (msg_fits_inqueue(msq, msgsz))               @fits
			break;

		/* queue full, wait: */
		if (msgflg & IPC_NOWAIT) {                      @nowait
			err = -EAGAIN;
			goto out_unlock0;
		}

		/* Sleep on q_senders until a receiver makes room (or IPC_RMID). */
		ss_add(msq, &s, msgsz);
		schedule();                                     @sleep @woken

		/* raced with RMID? */
		if (!ipc_valid_object(&msq->q_perm)) {
			err = -EIDRM;
			goto out_unlock0;
		}
		ss_del(&s);
		if (signal_pending(current)) {
			err = -ERESTARTNOHAND;
			goto out_unlock0;
		}
	}

	ipc_update_pid(&msq->q_lspid, task_tgid(current));  @send
	msq->q_stime = ktime_get_real_seconds();

	/* A receiver asleep for this type takes it directly; else it joins the queue. */
	if (!pipelined_send(msq, msg, &wake_q)) {
		list_add_tail(&msg->m_list, &msq->q_messages);
		msq->q_cbytes += msgsz;
		msq->q_qnum++;
	}
	err = 0;
out_unlock0:
	return err;                                         @ret
}
`, {
  check: (k, t, f) => {
    const L = f.locals;
    if (L.msgsz > MSGMAX || L.msgsz < 0 || L.msqid < 0) k.ret(t, -C.EINVAL);
  },
  mtype: (k, t, f) => { if (f.locals.mtype < 1) k.ret(t, -C.EINVAL); },
  obtain: (k, t, f) => {
    const msq = k.msg_ids.queues.get(f.locals.msqid);
    if (!msq) { k.ret(t, -C.EINVAL); return; }
    f.locals.msq = msq;
  },
  valid: (k, _t, f) => {
    if ((f.locals.msq as msg_queue).deleted) { f.locals.err = -EIDRM; k.jump(f, 'ret'); }
  },
  fits: (k, _t, f) => {
    if (msg_fits_inqueue(f.locals.msq as msg_queue, f.locals.msgsz)) k.jump(f, 'send');
  },
  nowait: (k, _t, f) => {
    if (f.locals.msgflg & IPC_NOWAIT) { f.locals.err = -C.EAGAIN; k.jump(f, 'ret'); }
  },
  sleep: (k, t, f) => {
    const msq = f.locals.msq as msg_queue;
    const s: msg_sender = { tsk: t, msgsz: f.locals.msgsz };
    f.locals.sender = s;
    msq.q_senders.push(s);
    t.__state = C.TASK_INTERRUPTIBLE;
    k.schedule(t);
  },
  woken: (k, t, f) => {
    const L = f.locals, msq = L.msq as msg_queue;
    t.__state = C.TASK_RUNNING;
    const i = L.sender ? msq.q_senders.indexOf(L.sender) : -1;
    if (i >= 0) msq.q_senders.splice(i, 1);
    L.sender = null;
    if (msq.deleted) { L.err = -EIDRM; k.jump(f, 'ret'); return; }
    if (k.signal_pending(t)) { L.err = -C.ERESTARTNOHAND; k.jump(f, 'ret'); return; }
    k.jump(f, 'valid');
  },
  send: (k, t, f) => {
    const L = f.locals, msq = L.msq as msg_queue;
    msq.q_lspid = tgid(t);
    msq.q_stime = seconds(k);
    const msg: msg_msg = { m_type: L.mtype, text: L.text };
    if (!pipelined_send(k, t, msq, msg)) {
      msq.q_messages.push(msg);
      msq.q_cbytes += L.msgsz;
      msq.q_qnum++;
    }
    L.err = 0;
  },
  ret: (k, t, f) => k.ret(t, f.locals.err),
}, ['msqid', 'mtype', 'msgsz', 'msgflg', 'err']);

export const __x64_sys_msgsnd = kfunc<SndL>('__x64_sys_msgsnd', 'ipc/msg.c', `
SYSCALL_DEFINE4(msgsnd, int, msqid, struct msgbuf __user *, msgp, size_t, msgsz,
		int, msgflg)
{
	/* ksys_msgsnd: get_user(mtype, &msgp->mtype), then do_msgsnd. */
	return ksys_msgsnd(msqid, msgp, msgsz, msgflg);    @call @ret
}
`, {
  call: (k, t, f) => k.call(t, do_msgsnd, msgsndLocals(f.locals.msqid, f.locals.mtype, f.locals.text, f.locals.msgsz, f.locals.msgflg)),
  ret: retCallee,
});

interface RcvL {
  msqid: number;
  buf: number;
  bufsz: number;
  msgtyp: number;
  msgflg: number;
  mode: number;
  msq: msg_queue | null;
  msr: msg_receiver | null;
  msg: msg_msg | number | null;
}

export function msgrcvLocals(msqid: number, buf: number, bufsz: number, msgtyp: number, msgflg: number): RcvL {
  return { msqid, buf, bufsz, msgtyp, msgflg, mode: 0, msq: null, msr: null, msg: null };
}

/** do_msg_fill: mtype's 8 bytes and the text (cut to bufsz) to the user buffer; the bytes given. */
function do_msg_fill(k: Kernel, t: task_struct, buf: number, msg: msg_msg, bufsz: number): number {
  const n = Math.min(bufsz, msg.text.length);
  let v = BigInt.asUintN(64, BigInt(msg.m_type)), head = '';
  for (let i = 0; i < 8; i++) { head += String.fromCharCode(Number(v & 0xffn)); v >>= 8n; }
  return copy_to_user(k, t, buf, head + msg.text.slice(0, n)) ? n : -C.EFAULT;
}

export const do_msgrcv = kfunc<RcvL>('do_msgrcv', 'ipc/msg.c', `
static long do_msgrcv(int msqid, void __user *buf, size_t bufsz, long msgtyp, int msgflg,
	       long (*msg_handler)(void __user *, struct msg_msg *, size_t))
{
	int mode;
	struct msg_queue *msq;
	struct msg_msg *msg;

	if (msqid < 0 || (long) bufsz < 0)                  @check
		return -EINVAL;

	/* 0: any type; > 0: that type (MSG_EXCEPT: any other); < 0: the lowest <= -msgtyp. */
	mode = convert_mode(&msgtyp, msgflg);               @mode

	msq = msq_obtain_object_check(ns, msqid);           @obtain
	if (IS_ERR(msq))
		return PTR_ERR(msq);

	for (;;) {
		struct msg_receiver msr_d;

		msg = ERR_PTR(-EIDRM);
		if (!ipc_valid_object(&msq->q_perm))            @valid
			goto out_unlock0;

		msg = find_msg(msq, &msgtyp, mode);             @find
		if (!IS_ERR(msg)) {
			if ((bufsz < msg->m_ts) && !(msgflg & MSG_NOERROR)) {
				msg = ERR_PTR(-E2BIG);
				goto out_unlock0;
			}
			list_del(&msg->m_list);
			msq->q_qnum--;
			msq->q_rtime = ktime_get_real_seconds();
			ipc_update_pid(&msq->q_lrpid, task_tgid(current));
			msq->q_cbytes -= msg->m_ts;
			/* Senders waiting for room may fit now. */
			ss_wakeup(msq, &wake_q, false);
			goto out_unlock0;
		}

		/* No message waiting. Wait for a message */
		if (msgflg & IPC_NOWAIT) {                      @nowait
			msg = ERR_PTR(-ENOMSG);
			goto out_unlock0;
		}

		list_add_tail(&msr_d.r_list, &msq->q_receivers);
		msr_d.r_tsk = current;
		msr_d.r_msgtype = msgtyp;
		msr_d.r_mode = mode;
		msr_d.r_maxsize = (msgflg & MSG_NOERROR) ? INT_MAX : bufsz;
		WRITE_ONCE(msr_d.r_msg, ERR_PTR(-EAGAIN));
		__set_current_state(TASK_INTERRUPTIBLE);
		schedule();                                     @sleep @woken

		/* A sender (pipelined_send) or freeque set r_msg: a message, E2BIG or EIDRM. */
		msg = READ_ONCE(msr_d.r_msg);
		if (msg != ERR_PTR(-EAGAIN))
			goto out_unlock0;

		list_del(&msr_d.r_list);
		if (signal_pending(current)) {
			msg = ERR_PTR(-ERESTARTNOHAND);
			goto out_unlock0;
		}
	}
out_unlock0:
	if (IS_ERR(msg))                                    @out
		return PTR_ERR(msg);

	/* do_msg_fill: put_user(mtype), then the text cut to bufsz. */
	bufsz = msg_handler(buf, msg, bufsz);               @fill
	free_msg(msg);
	return bufsz;
}
`, {
  check: (k, t, f) => { if (f.locals.msqid < 0 || f.locals.bufsz < 0) k.ret(t, -C.EINVAL); },
  mode: (_k, _t, f) => {
    const L = f.locals;
    if (L.msgtyp === 0) L.mode = SEARCH_ANY;
    else if (L.msgtyp < 0) { L.mode = SEARCH_LESSEQUAL; L.msgtyp = L.msgtyp === -Infinity ? Infinity : -L.msgtyp; }
    else L.mode = L.msgflg & MSG_EXCEPT ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
  },
  obtain: (k, t, f) => {
    const msq = k.msg_ids.queues.get(f.locals.msqid);
    if (!msq) { k.ret(t, -C.EINVAL); return; }
    f.locals.msq = msq;
  },
  valid: (k, _t, f) => {
    if ((f.locals.msq as msg_queue).deleted) { f.locals.msg = -EIDRM; k.jump(f, 'out'); }
  },
  find: (k, t, f) => {
    const L = f.locals, msq = L.msq as msg_queue;
    const msg = find_msg(msq, L.msgtyp, L.mode);
    if (msg === null) return;
    if (L.bufsz < msg.text.length && !(L.msgflg & MSG_NOERROR)) { L.msg = -C.E2BIG; k.jump(f, 'out'); return; }
    msq.q_messages.splice(msq.q_messages.indexOf(msg), 1);
    msq.q_qnum--;
    msq.q_rtime = seconds(k);
    msq.q_lrpid = tgid(t);
    msq.q_cbytes -= msg.text.length;
    ss_wakeup(k, msq, t, false);
    L.msg = msg;
    k.jump(f, 'out');
  },
  nowait: (k, _t, f) => {
    if (f.locals.msgflg & IPC_NOWAIT) { f.locals.msg = -ENOMSG; k.jump(f, 'out'); }
  },
  sleep: (k, t, f) => {
    const L = f.locals;
    const msr: msg_receiver = {
      r_tsk: t, r_mode: L.mode, r_msgtype: L.msgtyp, r_maxsize: L.msgflg & MSG_NOERROR ? INT_MAX : L.bufsz, r_msg: null,
    };
    L.msr = msr;
    (L.msq as msg_queue).q_receivers.push(msr);
    t.__state = C.TASK_INTERRUPTIBLE;
    k.schedule(t);
  },
  woken: (k, t, f) => {
    const L = f.locals, msq = L.msq as msg_queue, msr = L.msr as msg_receiver;
    t.__state = C.TASK_RUNNING;
    L.msr = null;
    if (msr.r_msg !== null) { L.msg = msr.r_msg; k.jump(f, 'out'); return; }
    const i = msq.q_receivers.indexOf(msr);
    if (i >= 0) msq.q_receivers.splice(i, 1);
    if (k.signal_pending(t)) { L.msg = -C.ERESTARTNOHAND; k.jump(f, 'out'); return; }
    k.jump(f, 'valid');
  },
  out: (k, t, f) => { if (typeof f.locals.msg === 'number') k.ret(t, f.locals.msg); },
  fill: (k, t, f) => k.ret(t, do_msg_fill(k, t, f.locals.buf, f.locals.msg as msg_msg, f.locals.bufsz)),
}, ['msqid', 'bufsz', 'msgtyp', 'msgflg', 'mode']);

export const __x64_sys_msgrcv = kfunc<RcvL>('__x64_sys_msgrcv', 'ipc/msg.c', `
SYSCALL_DEFINE5(msgrcv, int, msqid, struct msgbuf __user *, msgp, size_t, msgsz,
		long, msgtyp, int, msgflg)
{
	return ksys_msgrcv(msqid, msgp, msgsz, msgtyp, msgflg); @call @ret
}
`, {
  call: (k, t, f) => k.call(t, do_msgrcv, msgrcvLocals(f.locals.msqid, f.locals.buf, f.locals.bufsz, f.locals.msgtyp, f.locals.msgflg)),
  ret: retCallee,
});
