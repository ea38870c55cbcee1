// System V message queues (ipc/msg.c), the ids side: msgget finds or makes a queue by key,
// msgctl reports it (IPC_STAT), changes it (IPC_SET) or removes it (IPC_RMID: freeque wakes
// every sleeper with EIDRM). Sending and receiving, which sleep, are in msg-ops.ts.
import * as C from './consts';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { task_tgid_vnr } from './pidns';

export const EIDRM = 43, ENOMSG = 42, EEXIST = 17, EPERM = 1, ENOSPC = 28;
const IPC_PRIVATE = 0, IPC_CREAT = 0o1000, IPC_EXCL = 0o2000;
const IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2;
/** MSGMAX: the largest message; MSGMNB: a new queue's msg_qbytes; MSGMNI: queues per namespace. */
export const MSGMAX = 8192, MSGMNB = 16384, MSGMNI = 32000;
/** IPCMNI_SHIFT: an id is the slot plus the sequence number shifted by this much. */
const IPCMNI_SHIFT = 15;

/** A message (struct msg_msg): its type and text (m_ts is the text's length). */
export interface msg_msg {
  m_type: number;
  text: string;
}

/**
 * A receiver asleep in msgrcv (struct msg_receiver): what it waits for, and what a sender or
 * freeque hands it (r_msg: a message, or an error; null while it still waits, ERR_PTR(-EAGAIN)).
 */
export interface msg_receiver {
  r_tsk: task_struct;
  r_mode: number;
  r_msgtype: number;
  r_maxsize: number;
  r_msg: msg_msg | number | null;
}

/** A sender asleep in msgsnd for room (struct msg_sender): the size it needs. */
export interface msg_sender {
  tsk: task_struct;
  msgsz: number;
}

/** A queue (struct msg_queue): its ipc_perm part, counters, messages and sleepers. */
export interface msg_queue {
  id: number;
  key: number;
  mode: number;
  uid: number;
  gid: number;
  deleted: boolean;
  q_stime: number;
  q_rtime: number;
  q_ctime: number;
  q_cbytes: number;
  q_qnum: number;
  q_qbytes: number;
  q_lspid: number;
  q_lrpid: number;
  q_messages: msg_msg[];
  q_receivers: msg_receiver[];
  q_senders: msg_sender[];
}

/** The IPC namespace's queues by id (msg_ids), with the idr's cyclic cursor and sequence. */
export interface msg_ids {
  queues: Map<number, msg_queue>;
  seq: number;
  last_idx: number;
}

export function newMsgIds(): msg_ids {
  return { queues: new Map(), seq: 0, last_idx: -1 };
}

export function seconds(k: Kernel): number {
  return Math.floor(k.clock / 1e9);
}

/** msg_fits_inqueue: room for msgsz more bytes (and one more message) under msg_qbytes. */
export function msg_fits_inqueue(msq: msg_queue, msgsz: number): boolean {
  return msgsz + msq.q_cbytes <= msq.q_qbytes && 1 + msq.q_qnum <= msq.q_qbytes;
}

/**
 * ss_wakeup: senders whose message fits now wake to try again (kill: all of them, the queue is
 * gone); the others move to the tail of q_senders in their order. A woken sender leaves the list
 * itself (ss_del) when it runs.
 */
export function ss_wakeup(k: Kernel, msq: msg_queue, by: task_struct | null, kill: boolean): void {
  const woken: msg_sender[] = [], moved: msg_sender[] = [];
  for (const s of msq.q_senders) {
    if (kill || msg_fits_inqueue(msq, s.msgsz)) {
      woken.push(s);
      k.try_to_wake_up(s.tsk, C.TASK_INTERRUPTIBLE, by);
    } else moved.push(s);
  }
  msq.q_senders = [...woken, ...moved];
}

/** expunge_all: every sleeping receiver gets `res` (an error) and wakes. */
function expunge_all(k: Kernel, msq: msg_queue, res: number, by: task_struct | null): void {
  for (const r of msq.q_receivers) {
    r.r_msg = res;
    k.try_to_wake_up(r.r_tsk, C.TASK_INTERRUPTIBLE, by);
  }
  msq.q_receivers.length = 0;
}

/** freeque: the queue leaves the ids; sleepers wake to EIDRM; its messages are freed. */
export function freeque(k: Kernel, msq: msg_queue, by: task_struct | null): void {
  msq.deleted = true;
  k.msg_ids.queues.delete(msq.id);
  expunge_all(k, msq, -EIDRM, by);
  ss_wakeup(k, msq, by, true);
  msq.q_messages.length = 0;
  msq.q_qnum = 0;
  msq.q_cbytes = 0;
}

/** ipc_idr_alloc: the next slot after the last one given (idr_alloc_cyclic), the sequence bumped on wrap. */
function ipc_idr_alloc(ids: msg_ids): number {
  const used = new Set([...ids.queues.keys()].map((id) => id & ((1 << IPCMNI_SHIFT) - 1)));
  let idx = -1;
  for (let i = 1; i <= MSGMNI; i++) {
    const c = (ids.last_idx + i) % MSGMNI;
    if (!used.has(c)) { idx = c; break; }
  }
  if (idx < 0) return -1;
  if (idx <= ids.last_idx) ids.seq = (ids.seq + 1) % 65536;
  ids.last_idx = idx;
  return (ids.seq << IPCMNI_SHIFT) + idx;
}

/** ksys_msgget(key, msgflg): the id of the queue of `key` (IPC_PRIVATE: always a new one). */
export function ksys_msgget(k: Kernel, t: task_struct, key: number, msgflg: number): number {
  const ids = k.msg_ids;
  if (key !== IPC_PRIVATE) {
    for (const msq of ids.queues.values()) {
      if (msq.key !== key) continue;
      if ((msgflg & IPC_CREAT) && (msgflg & IPC_EXCL)) return -EEXIST;
      return msq.id;
    }
    if (!(msgflg & IPC_CREAT)) return -C.ENOENT;
  }
  // newque
  if (ids.queues.size >= MSGMNI) return -ENOSPC;
  const id = ipc_idr_alloc(ids);
  if (id < 0) return -ENOSPC;
  ids.queues.set(id, {
    id, key, mode: msgflg & 0o777, uid: t.cred.euid, gid: 0, deleted: false, q_stime: 0, q_rtime: 0, q_ctime: seconds(k),
    q_cbytes: 0, q_qnum: 0, q_qbytes: MSGMNB, q_lspid: 0, q_lrpid: 0, q_messages: [], q_receivers: [], q_senders: [],
  });
  return id;
}

/**
 * The cells of struct msqid_ds as ctypes.ts lays it out: the ipc_perm (7 cells), then msg_stime,
 * msg_rtime, msg_ctime, __msg_cbytes, msg_qnum, msg_qbytes, msg_lspid, msg_lrpid.
 */
function msqid_ds_cells(msq: msg_queue): number[] {
  const perm = [msq.key, msq.uid, msq.gid, msq.uid, msq.gid, msq.mode, msq.id >> IPCMNI_SHIFT];
  return [...perm, msq.q_stime, msq.q_rtime, msq.q_ctime, msq.q_cbytes, msq.q_qnum, msq.q_qbytes, msq.q_lspid, msq.q_lrpid];
}

const MSQID_DS_QBYTES = 12, MSQID_DS_MODE = 5, MSQID_DS_UID = 1, MSQID_DS_GID = 2;

function cellNum(k: Kernel, t: task_struct, addr: number): number | null {
  const v = k.user.getUser(t, addr);
  if (v === undefined) return null;
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

/** ksys_msgctl(msqid, cmd, buf): IPC_STAT, IPC_SET (msg_qbytes, owner, mode) and IPC_RMID. */
export function ksys_msgctl(k: Kernel, t: task_struct, msqid: number, cmd: number, buf: number): number {
  if (msqid < 0 || (cmd !== IPC_RMID && cmd !== IPC_STAT && cmd !== IPC_SET)) return -C.EINVAL;
  const msq = k.msg_ids.queues.get(msqid);
  if (!msq) return -C.EINVAL;
  if (cmd === IPC_STAT) {
    const cells = msqid_ds_cells(msq);
    for (let i = 0; i < cells.length; i++) if (!k.user.putUser(t, buf + i, cells[i])) return -C.EFAULT;
    return 0;
  }
  const privileged = t.cred.euid === 0;
  if (!privileged && t.cred.euid !== msq.uid) return -EPERM;
  if (cmd === IPC_RMID) {
    freeque(k, msq, t);
    return 0;
  }
  // IPC_SET: copy_msqid_from_user, then raising msg_qbytes past MSGMNB needs CAP_SYS_RESOURCE.
  const qbytes = cellNum(k, t, buf + MSQID_DS_QBYTES), mode = cellNum(k, t, buf + MSQID_DS_MODE);
  const uid = cellNum(k, t, buf + MSQID_DS_UID), gid = cellNum(k, t, buf + MSQID_DS_GID);
  if (qbytes === null || mode === null || uid === null || gid === null) return -C.EFAULT;
  if (qbytes > MSGMNB && !privileged) return -EPERM;
  msq.q_qbytes = qbytes;
  msq.uid = uid;
  msq.gid = gid;
  msq.mode = (msq.mode & ~0o777) | (mode & 0o777);
  msq.q_ctime = seconds(k);
  // Senders may fit now. Linux also wakes the receivers to look again (expunge_all with EAGAIN);
  // nothing new is queued, so they would only go back to sleep: they are left asleep here.
  ss_wakeup(k, msq, t, false);
  return 0;
}

/** The tgid of t as its own namespace sees it (ipc_update_pid keeps the struct pid). */
export function tgid(t: task_struct): number {
  return task_tgid_vnr(t, t);
}
