// fs/exec.c and fs/binfmt_elf.c: execve from the system call down to begin_new_exec, which makes
// the caller the only thread of its group, gives it a fresh mm and resets its signal handlers.
// de_thread and exec_mmap are in exec-thread.ts.

import { do_close_on_exec, dup_fd } from './file';
import * as C from './consts';
import { retCallee, ret0, nop, kfunc } from './frame';
import type { Kernel } from './kernel';
import { newMm, newSighand, set_sigaction } from './objects';
import { NS_ZERO, type mm_struct, type task_struct } from './task';
import type { ProgramImage } from './uport';
import type { Value } from '../vm/types';
import { de_thread, exec_mmap } from './exec-thread';
import { mm_free_memory } from './exit';
import { AT_FDCWD, inode_permission, path_lookupat, S_IFMT, S_IFREG } from './vfs';
import { load_script } from './binfmt-script';

interface ExecL {
  filename: string;
  argv: Value[];
  /** The environment strings (envp), copied like argv. */
  envp: Value[];
  image: ProgramImage | null;
  mm: mm_struct | null;
  retval: number;
  old_pid: number;
}

/**
 * do_open_execat's answer for a path no program is loaded from: the lookup's ENOENT or ENOTDIR,
 * EACCES for a directory or other non-regular file and for a file the caller may not execute
 * (root: one no one may execute), ENOEXEC for an executable file of no format the machine runs.
 */
function open_exec_error(k: Kernel, t: task_struct, filename: string): number {
  const nd = path_lookupat(k, t, AT_FDCWD, filename, true);
  if (typeof nd === 'number') return nd;
  const i = nd.inode;
  if (!i) return -C.ENOENT;
  if ((i.i_mode & S_IFMT) !== S_IFREG) return -C.EACCES;
  const may = t.cred.euid === 0 ? (i.i_mode & 0o111) !== 0 : inode_permission(t, i, 1);
  return may ? -C.ENOEXEC : -C.EACCES;
}

export function execLocals(filename: string, argv: Value[], envp: Value[] = []): ExecL {
  return { filename, argv, envp, image: null, mm: null, retval: 0, old_pid: 0 };
}

export const __x64_sys_execve = kfunc<ExecL>('__x64_sys_execve', 'fs/exec.c', `
/* execve, execv, execl, execvp and execlp all end here (through do_execve). */
SYSCALL_DEFINE3(execve,
		const char __user *, filename,
		const char __user *const __user *, argv,
		const char __user *const __user *, envp)
{
	return do_execveat_common(AT_FDCWD, getname(filename),
				  argv, envp, 0);                       @call @ret
}
`, {
  call: (k, t, f) => k.call(t, do_execveat_common, execLocals(f.locals.filename, f.locals.argv, f.locals.envp)),
  ret: (k, t, f) => {
    // On success there is nothing to return to: the old program is gone.
    if (f.ret === 0) { k.popFrame(t); t.restart = null; t.syscall_nr = null; return; }
    k.ret(t, f.ret);
  },
}, ['filename', 'argv']);

export const do_execveat_common = kfunc<ExecL>('do_execveat_common', 'fs/exec.c', `
static int do_execveat_common(int fd, struct filename *filename,
			      struct user_arg_ptr argv,
			      struct user_arg_ptr envp,
			      int flags)
{
	struct linux_binprm *bprm;
	int retval;

	/* A setuid() that went over RLIMIT_NPROC is refused here (PF_NPROC_EXCEEDED). */
	if ((current->flags & PF_NPROC_EXCEEDED) &&
	    is_rlimit_overlimit(current_ucounts(), UCOUNT_RLIMIT_NPROC, rlimit(RLIMIT_NPROC))) { @nproc
		retval = -EAGAIN;
		goto out_ret;
	}
	current->flags &= ~PF_NPROC_EXCEEDED;

	/* Opens the file (ENOENT when there is none) and allocates the new mm. */
	bprm = alloc_bprm(fd, filename, flags);             @alloc
	if (IS_ERR(bprm)) {
		retval = PTR_ERR(bprm);
		goto out_ret;
	}

	retval = count(argv, MAX_ARG_STRINGS);              @count
	bprm->argc = retval;
	retval = copy_strings(bprm->argc, argv, bprm);

	retval = bprm_execve(bprm);                         @execve
	free_bprm(bprm);
out_ret:
	putname(filename);
	return retval;                                      @ret
}
`, {
  nproc: (_k, t) => { t.flags &= ~C.PF_NPROC_EXCEEDED; },
  alloc: (k, _t, f) => {
    let image = k.user.loadImage(f.locals.filename, f.locals.argv, f.locals.envp);
    if (!image) {
      // Not a program: a #! script runs its interpreter (search_binary_handler's load_script).
      const script = load_script(k, _t, f.locals.filename, f.locals.argv, f.locals.envp);
      if (typeof script === 'number') { f.locals.retval = script; k.jump(f, 'ret'); return; }
      if (script !== null && !script.image) { f.locals.retval = open_exec_error(k, _t, script.interp); k.jump(f, 'ret'); return; }
      if (script !== null) { image = script.image; f.locals.argv = script.argv; }
    }
    if (!image) { f.locals.retval = open_exec_error(k, _t, f.locals.filename); k.jump(f, 'ret'); return; }
    f.locals.image = image;
    // copy_strings: the strings on the new stack; with no argv at all Linux 6.x puts one empty
    // string there (argc 1) rather than start a program with argc 0.
    const strings = (vs: Value[]): string[] => vs.map((v) => (typeof v === 'string' ? v : String(v)));
    const argv = f.locals.argv.length ? strings(f.locals.argv) : [''];
    f.locals.mm = newMm(kbasename(f.locals.filename), image.memory, argv, strings(f.locals.envp));
    image.memory.attach(k.mem_budget);
  },
  // The arguments were copied when the port loaded the image.
  count: nop,
  execve: (k, t, f) => k.call(t, bprm_execve, { ...f.locals }),
  ret: (k, t, f) => {
    const r = f.locals.retval !== 0 ? f.locals.retval : f.ret;
    if (r < 0 && f.locals.mm && f.locals.mm.mm_users > 0 && f.locals.mm !== t.mm) mm_free_memory(f.locals.mm);
    k.ret(t, r);
  },
}, ['filename', 'retval']);

export const bprm_execve = kfunc<ExecL>('bprm_execve', 'fs/exec.c', `
static int bprm_execve(struct linux_binprm *bprm)
{
	int retval;

	retval = prepare_bprm_creds(bprm);                  @creds
	if (retval)
		return retval;

	check_unsafe_exec(bprm);
	current->in_execve = 1;
	sched_exec();                                       @sched

	retval = exec_binprm(bprm);                         @binprm
	if (retval < 0)                                     @check
		goto out;

	/* execve succeeded */
	current->fs->in_exec = 0;
	current->in_execve = 0;
	return retval;                                      @ok

out:
	/*
	 * Past the point of no return the old program is gone: the task
	 * cannot go back to it, so it dies (SIGSEGV unless already dying).
	 */
	if (bprm->point_of_no_return && !fatal_signal_pending(current))
		force_fatal_sig(SIGSEGV);
	current->in_execve = 0;
	return retval;                                      @out
}
`, {
  // The new credentials are the old ones: no setuid programs here.
  creds: nop,
  // sched_exec: a good moment to move to another CPU; the model stays put.
  sched: nop,
  binprm: (k, t, f) => k.call(t, exec_binprm, { ...f.locals }),
  check: (k, _t, f) => { if (f.ret < 0) { f.locals.retval = f.ret; k.jump(f, 'out'); } },
  ok: ret0,
  out: (k, t, f) => k.ret(t, f.locals.retval),
}, ['retval']);

export const exec_binprm = kfunc<ExecL>('exec_binprm', 'fs/exec.c', `
static int exec_binprm(struct linux_binprm *bprm)
{
	pid_t old_pid, old_vpid;
	int ret;

	/* Need to fetch pid before load_binary changes it */
	old_pid = current->pid;                             @pid
	old_vpid = task_pid_nr_ns(current, task_active_pid_ns(current->parent));

	ret = search_binary_handler(bprm);                  @search
	if (ret < 0)                                        @check
		return ret;

	audit_bprm(bprm);
	trace_sched_process_exec(current, old_pid, bprm);   @trace
	ptrace_event(PTRACE_EVENT_EXEC, old_vpid);
	proc_exec_connector(current);
	return 0;                                           @ret
}
`, {
  pid: (_k, t, f) => { f.locals.old_pid = t.pid; },
  search: (k, t, f) => k.call(t, search_binary_handler, { ...f.locals }),
  check: (k, t, f) => { if (f.ret < 0) k.ret(t, f.ret); },
  trace: (k, t, f) => {
    const ev = { time: NS_ZERO, step: 0, kind: 'exec' as const, pid: t.pid, path: f.locals.filename, comm: t.comm };
    k.emit(f.locals.old_pid !== t.pid ? { ...ev, oldPid: f.locals.old_pid } : ev);
  },
  ret: ret0,
}, ['old_pid']);

export const search_binary_handler = kfunc<ExecL>('search_binary_handler', 'fs/exec.c', `
/* Tries each registered binary format (ELF, scripts, misc) until one accepts the file. */
static int search_binary_handler(struct linux_binprm *bprm)
{
	struct linux_binfmt *fmt;
	int retval;

	retval = prepare_binprm(bprm);                      @prepare
	if (retval < 0)
		return retval;

	retval = -ENOENT;
	list_for_each_entry(fmt, &formats, lh) {
		retval = fmt->load_binary(bprm);                @load
		if (bprm->point_of_no_return || (retval != -ENOEXEC)) @ret
			return retval;
	}
	return retval;
}
`, {
  // Reads the first bytes of the file into bprm->buf.
  prepare: nop,
  load: (k, t, f) => k.call(t, load_elf_binary, { ...f.locals }),
  ret: retCallee,
});

export const load_elf_binary = kfunc<ExecL>('load_elf_binary', 'fs/binfmt_elf.c', `
static int load_elf_binary(struct linux_binprm *bprm)
{
	struct elfhdr *elf_ex = (struct elfhdr *)bprm->buf;
	struct pt_regs *regs;
	int retval;

	retval = -ENOEXEC;
	/* First of all, some simple consistency checks */
	if (memcmp(elf_ex->e_ident, ELFMAG, SELFMAG) != 0)  @check
		goto out;

	/* Flush all traces of the currently running executable */
	retval = begin_new_exec(bprm);                      @begin
	if (retval)                                         @begin_check
		goto out;

	setup_new_exec(bprm);                               @setup

	/* Map the program's segments, its stack and arguments. */
	retval = setup_arg_pages(bprm, randomize_stack_top(STACK_TOP),
				 executable_stack);                     @map
	finalize_exec(bprm);
	regs = current_pt_regs();
	START_THREAD(elf_ex, regs, elf_entry, bprm->p);     @start
	retval = 0;
out:
	return retval;                                      @ret
}
`, {
  // Every program the port loads is a valid image.
  check: nop,
  begin: (k, t, f) => k.call(t, begin_new_exec, { ...f.locals }),
  begin_check: (k, _t, f) => { if (f.ret) { f.locals.retval = f.ret; k.jump(f, 'ret'); } },
  setup: (_k, t) => { t.thread.stack_segment = -1; },
  // The port built the new memory with the program's globals and stack.
  map: nop,
  start: (_k, t, f) => {
    const image = f.locals.image as ProgramImage;
    t.thread.regs = image.regs;
    f.locals.retval = 0;
  },
  ret: (k, t, f) => k.ret(t, f.locals.retval),
}, ['retval']);

export const begin_new_exec = kfunc<ExecL>('begin_new_exec', 'fs/exec.c', `
/*
 * The point of no return: from here a failure kills the task, because
 * the old program is being torn down.
 */
int begin_new_exec(struct linux_binprm * bprm)
{
	struct task_struct *me = current;
	int retval;

	/* Once we are committed compute the creds */
	retval = bprm_creds_from_file(bprm);                @creds
	bprm->point_of_no_return = true;

	/* Make this the only thread in the thread group. */
	retval = de_thread(me);                             @de_thread
	if (retval)                                         @de_thread_check
		goto out;

	/* Ensure the files table is not shared. */
	retval = unshare_files();                           @files

	/* Release all of the old mmap stuff */
	retval = exec_mmap(bprm->mm);                       @mmap
	bprm->mm = NULL;

	/* Make the signal table private. */
	retval = unshare_sighand(me);                       @sighand

	me->flags &= ~(PF_RANDOMIZE | PF_FORKNOEXEC |
					PF_NOFREEZE | PF_NO_SETAFFINITY);           @flags
	flush_thread();
	do_close_on_exec(me->files);

	/* The new name is the file's, not argv[0]: what ps and top show. */
	__set_task_comm(me, kbasename(bprm->filename), true); @comm

	/* Handlers point into the old program: back to SIG_DFL, SIG_IGN stays. */
	flush_signal_handlers(me, 0);                       @handlers

	commit_creds(bprm->cred);                           @commit
	bprm->cred = NULL;
	return 0;                                           @ret

out:
	return retval;                                      @out
}
`, {
  // No setuid bit: the credentials do not change.
  creds: nop,
  de_thread: (k, t) => k.call(t, de_thread, { tsk: t, leader: null }),
  de_thread_check: (k, _t, f) => { if (f.ret) { f.locals.retval = f.ret; k.jump(f, 'out'); } },
  files: (_k, t) => unshare_files(t),
  mmap: (k, t, f) => k.call(t, exec_mmap, { mm: f.locals.mm as mm_struct, old_mm: null, active_mm: null }),
  sighand: (_k, t) => unshare_sighand(t),
  flags: (k, t) => {
    t.flags &= ~(C.PF_FORKNOEXEC | C.PF_NOFREEZE | C.PF_NO_SETAFFINITY);
    do_close_on_exec(k, t);
  },
  comm: (_k, t, f) => __set_task_comm(t, kbasename(f.locals.filename)),
  handlers: (_k, t) => flush_signal_handlers(t, false),
  // The same credentials are committed again.
  commit: nop,
  ret: ret0,
  out: (k, t, f) => k.ret(t, f.locals.retval),
}, ['retval']);

/** The last component of a path (kbasename). */
export function kbasename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

/** __set_task_comm: comm holds at most TASK_COMM_LEN - 1 characters. */
export function __set_task_comm(t: task_struct, name: string): void {
  t.comm = name.slice(0, C.TASK_COMM_LEN - 1);
}

/** flush_signal_handlers: every handler becomes SIG_DFL unless it is SIG_IGN; flags and masks clear. */
export function flush_signal_handlers(t: task_struct, force_default: boolean): void {
  if (!t.sighand) return;
  const action = t.sighand.action;
  for (let i = 0; i < action.length; i++) {
    const ka = action[i];
    const handler = force_default || ka.handler !== C.SIG_IGN ? C.SIG_DFL : ka.handler;
    // Actions are shared copy-on-write (see newSighand): replace only the ones that change.
    if (ka.handler === handler && ka.flags === 0 && ka.mask === 0 && ka.raw === undefined) continue;
    set_sigaction(t.sighand, i + 1, { handler, flags: 0, mask: 0 });
  }
}

/** unshare_files: a files table shared with another process (CLONE_FILES) is copied. */
function unshare_files(t: task_struct): void {
  const old = t.files;
  if (!old || old.count <= 1) return;
  t.files = dup_fd(old);
  old.count--;
}

/** unshare_sighand: a handler table still shared (CLONE_SIGHAND without threads) is copied. */
function unshare_sighand(t: task_struct): void {
  const old = t.sighand;
  if (!old || old.count <= 1) return;
  old.count--;
  t.sighand = newSighand(old.action);
}

/** Reads an argv array (char *const argv[]) from user memory: pointers until NULL. */
export function readArgv(k: Kernel, t: task_struct, addr: Value | undefined): Value[] {
  // The C library's trap may carry the strings already read (an array).
  const a: unknown = addr;
  if (Array.isArray(a)) return a.map((x) => (typeof x === 'string' ? x : String(x)));
  if (typeof addr !== 'number' || addr === 0) return [];
  const out: Value[] = [];
  for (let i = 0; i < 256; i++) {
    const v = k.user.getUser(t, addr + i);
    if (v === undefined || v === 0) break;
    out.push(typeof v === 'string' ? v : k.user.readString(t, v));
  }
  return out;
}
