// The scenario's terminal (drivers/tty/n_tty.c, tty_io.c): /dev/tty, opened as descriptors 0, 1
// and 2 of the first process. What is written to it is the machine's output (stdout for a file
// opened as descriptor 1, stderr as 2); what is read comes from the terminal's input, a line at a
// time as the canonical line discipline hands it out, sleeping in n_tty_read while none is typed.

import * as C from './consts';
import { kfunc } from './frame';
import type { Kernel } from './kernel';
import { kaddr, type files_struct, type task_struct } from './task';
import { add_wait_queue, remove_wait_queue } from './waitqueue';
import { alloc_file, O_LARGEFILE, O_NONBLOCK, O_RDWR, type file } from './file';
import { path_lookupat, AT_FDCWD } from './vfs';
import { copy_to_user } from './read_write';

export interface tty_struct {
  readonly type: 'tty_struct';
  addr: number;
  name: string;
  /** Typed input not yet read (n_tty_data's read_buf). */
  read_buf: string;
  /** Input has ended (end of the given text, or Ctrl-D at the interactive terminal). */
  eof: boolean;
  /** Interactive: past its text a reader sleeps for more (the machine stops with 'input'). */
  interactive: boolean;
  /** Readers sleeping in n_tty_read (tty->read_wait). */
  read_wait: task_struct[];
}

/** The machine's terminal (made on first use: no input, end of file at once). */
export function tty_of(k: Kernel): tty_struct {
  let tty = k.tty;
  if (tty === null) {
    tty = { type: 'tty_struct', addr: kaddr(1024), name: 'pts/0', read_buf: '', eof: true, interactive: false, read_wait: [] };
    k.tty = tty;
  }
  return tty;
}

/** Boot: what the terminal holds as input, and whether more may be typed after it. */
export function tty_init(k: Kernel, stdin: string, interactive: boolean): void {
  const tty = tty_of(k);
  tty.read_buf = stdin;
  tty.interactive = interactive;
  tty.eof = !interactive;
}

/** Typed input reaches the terminal (null: Ctrl-D, the end of input); sleeping readers wake. */
export function tty_input(k: Kernel, text: string | null): void {
  const tty = tty_of(k);
  if (text === null) tty.eof = true;
  else tty.read_buf += text;
  for (const t of [...tty.read_wait]) k.try_to_wake_up(t, C.TASK_INTERRUPTIBLE, null);
}

/** A reader sleeps on the interactive terminal with nothing typed: the machine asks for input. */
export function tty_wants_input(k: Kernel): boolean {
  const tty = k.tty;
  return tty !== null && tty.interactive && !tty.eof && tty.read_wait.length > 0;
}

/** A struct file on /dev/tty (tty_open), writing to machine output stream 1 or 2. */
export function tty_file(k: Kernel, t: task_struct, flags: number, stream: number): file {
  const nd = path_lookupat(k, t, AT_FDCWD, '/dev/tty');
  const ino = typeof nd === 'number' || !nd.inode ? null : nd.inode;
  if (!ino) throw new Error('/dev/tty is missing');
  const f = alloc_file('tty', ino, flags, '/dev/pts/0');
  f.tty_stream = stream;
  return f;
}

/** The first process's descriptors 0, 1 and 2 on the terminal (as a login shell has them). */
export function open_console(k: Kernel, t: task_struct): void {
  const files = t.files as files_struct;
  for (let fd = 0; fd < 3; fd++) {
    files.fdt.fd[fd] = tty_file(k, t, O_RDWR | O_LARGEFILE, fd === 2 ? 2 : 1);
    files.fdt.close_on_exec[fd] = false;
  }
  files.next_fd = 3;
}

interface TtyL { file: file; buf: number; nr: number; ret: number }

export function nttyReadLocals(file: file, buf: number, nr: number): TtyL {
  return { file, buf, nr, ret: 0 };
}

export const n_tty_read = kfunc<TtyL>('n_tty_read', 'drivers/tty/n_tty.c', `
static ssize_t n_tty_read(struct tty_struct *tty, struct file *file, u8 *kbuf,
			  size_t nr, void **cookie, unsigned long offset)
{
	struct n_tty_data *ldata = tty->disc_data;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	ssize_t retval = 0;

	add_wait_queue(&tty->read_wait, &wait);
	while (nr) {
		/* Canonical mode: a whole line, up to its newline, or what fits. */
		if (input_available_p(tty, 0)) {                @avail
			canon_copy_from_read_buf(tty, &kbuf, &nr);
			break;
		}
		/* Ctrl-D on an empty line, or the end of the input: end of file. */
		if (test_bit(TTY_OTHER_CLOSED, &tty->flags))    @eof
			break;
		if (tty_hung_up_p(file))
			break;
		if (file->f_flags & O_NONBLOCK) {               @nonblock
			retval = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {                  @signal
			retval = -ERESTARTSYS;
			break;
		}
		/* Nothing typed yet: sleep until input arrives (TASK_INTERRUPTIBLE). */
		wait_woken(&wait, TASK_INTERRUPTIBLE, timeout); @sleep
	}
	remove_wait_queue(&tty->read_wait, &wait);          @remove

	if (kbuf - kbuf_start)
		retval = kbuf - kbuf_start;
	return retval;                                      @ret
}
`, {
  avail: (k, t, f) => {
    const tty = tty_of(k);
    const L = f.locals;
    if (L.nr <= 0) { k.jump(f, 'remove'); return; }
    if (tty.read_buf.length === 0) return;
    const nl = tty.read_buf.indexOf('\n');
    const n = Math.min(L.nr, nl < 0 ? tty.read_buf.length : nl + 1);
    const out = tty.read_buf.slice(0, n);
    if (!copy_to_user(k, t, L.buf, out)) { L.ret = -C.EFAULT; k.jump(f, 'remove'); return; }
    tty.read_buf = tty.read_buf.slice(n);
    L.ret = n;
    k.jump(f, 'remove');
  },
  eof: (k, _t, f) => { if (tty_of(k).eof) k.jump(f, 'remove'); },
  nonblock: (k, _t, f) => { if (f.locals.file.f_flags & O_NONBLOCK) { f.locals.ret = -C.EAGAIN; k.jump(f, 'remove'); } },
  signal: (k, t, f) => { if (k.signal_pending(t)) { f.locals.ret = -C.ERESTARTSYS; k.jump(f, 'remove'); } },
  sleep: (k, t, f) => {
    const tty = tty_of(k);
    k.jump(f, 'avail');
    if (tty.read_buf.length > 0 || tty.eof) return;
    add_wait_queue(tty.read_wait, t);
    t.__state = C.TASK_INTERRUPTIBLE;
    k.schedule(t);
  },
  remove: (k, t) => { remove_wait_queue(tty_of(k).read_wait, t); },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['nr', 'ret']);
