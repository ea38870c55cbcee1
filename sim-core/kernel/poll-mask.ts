// What a file reports to poll and select (each file's f_op->poll, include/uapi/asm-generic/poll.h),
// and the poll table of a sleeping poller: the wait queues it joined (poll_wait) and leaves again
// (poll_freewait). Shared by poll (do_poll) and select (do_select) in select.ts.

import * as C from './consts';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { FMODE_READ, FMODE_WRITE, type file } from './file';
import type { pipe_inode_info } from './pipe';
import { tty_of } from './tty';
import { add_wait_queue, remove_wait_queue } from './waitqueue';

export const POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20,
  POLLRDNORM = 0x40, POLLRDBAND = 0x80, POLLWRNORM = 0x100, POLLWRBAND = 0x200;
/** DEFAULT_POLLMASK: a file without a poll of its own (a regular file) is always ready. */
const DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
/** What select counts as readable, writable and exceptional (fs/select.c). */
export const POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
export const POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
export const POLLEX_SET = POLLPRI;

/** One descriptor a poller watches: its file (null: not open) and the events it asks for. */
export interface poll_entry {
  fd: number;
  file: file | null;
  events: number;
}

/** pipe_poll: data to read, no writer left (HUP), room to write, no reader left (ERR). */
function pipe_poll(f: file): number {
  const p = f.pipe as pipe_inode_info;
  let mask = 0;
  if (f.f_mode & FMODE_READ) {
    if (p.head !== p.tail) mask |= POLLIN | POLLRDNORM;
    if (p.writers === 0) mask |= POLLHUP;
  }
  if (f.f_mode & FMODE_WRITE) {
    if (p.head - p.tail < p.max_usage) mask |= POLLOUT | POLLWRNORM;
    if (p.readers === 0) mask |= POLLERR;
  }
  return mask;
}

/** n_tty_poll: a whole line typed (or the end of input) is readable; the terminal takes writes. */
function tty_poll(k: Kernel): number {
  const tty = tty_of(k);
  let mask = POLLOUT | POLLWRNORM;
  if (tty.read_buf.indexOf('\n') >= 0 || tty.eof) mask |= POLLIN | POLLRDNORM;
  return mask;
}

/** vfs_poll: the file's readiness mask. */
export function vfs_poll(k: Kernel, f: file): number {
  if (f.f_op === 'pipe') return pipe_poll(f);
  if (f.f_op === 'tty') return tty_poll(k);
  return DEFAULT_POLLMASK;
}

/** The wait queues a file's poll registers on (poll_wait). */
function poll_queues(k: Kernel, f: file): task_struct[][] {
  if (f.f_op === 'pipe') {
    const p = f.pipe as pipe_inode_info, q: task_struct[][] = [];
    if (f.f_mode & FMODE_READ) q.push(p.rd_wait);
    if (f.f_mode & FMODE_WRITE) q.push(p.wr_wait);
    return q;
  }
  if (f.f_op === 'tty') return [tty_of(k).read_wait];
  return [];
}

/** The locals of a sleeping poller: the queues it is on, its expiry (-1: none), whether it ran out. */
export interface PollWaitL {
  entries: poll_entry[];
  queues: task_struct[][];
  /** Absolute expiry in ns; -1 for no timeout, 0 for a timeout of zero (never sleeps). */
  expire: number;
  timed_out: boolean;
}

/**
 * poll_schedule_timeout's first half: with the task on every file's queue (poll_wait), it
 * sleeps interruptibly until a wake-up or the expiry. `ready` tells whether an event came in
 * since the last scan (a wake-up that would have set pwq->triggered): then it does not sleep.
 */
export function poll_schedule(k: Kernel, t: task_struct, L: PollWaitL, ready: boolean): void {
  if (ready) return;
  for (const e of L.entries) {
    if (!e.file) continue;
    for (const q of poll_queues(k, e.file)) {
      add_wait_queue(q, t);
      if (L.queues.indexOf(q) < 0) L.queues.push(q);
    }
  }
  t.__state = C.TASK_INTERRUPTIBLE;
  if (L.expire < 0) k.schedule(t);
  else k.sleepUntil(t, L.expire);
}

/** Back from the sleep: off every queue (poll_freewait), the timer gone; timed_out once it expired. */
export function poll_woken(k: Kernel, t: task_struct, L: PollWaitL): void {
  t.__state = C.TASK_RUNNING;
  t.timeout_at = -1;
  k.timers.delete(t);
  for (const q of L.queues) remove_wait_queue(q, t);
  L.queues = [];
  if (L.expire >= 0 && k.clock >= L.expire) L.timed_out = true;
}
