// kernel/module/main.c and init/main.c: loading the scenario's module. Its module_init function
// runs the way `insmod` runs one: in the insmod process, inside finit_module -> do_init_module
// -> do_one_initcall. When init returns, insmod exits (1 if init failed), like the real tool.

import * as C from './consts';
import { ret0, nop, kfunc } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { __x64_sys_exit_group } from './exit';
import type { UserMemory } from '../vm/types';

interface FmL { initfn: string; ret: number }

export const __x64_sys_finit_module = kfunc<FmL>('__x64_sys_finit_module', 'kernel/module/main.c', `
/* insmod opens the .ko file and hands the descriptor to the kernel. */
SYSCALL_DEFINE3(finit_module, int, fd, const char __user *, uargs, int, flags)
{
	int err;

	err = may_init_module();                            @check
	if (err)
		return err;

	/* load_module: copy, relocate and link the module, then run its init. */
	return idempotent_init_module(f.file, uargs, flags); @load @ret
}
`, {
  // insmod runs as root (CAP_SYS_MODULE).
  check: nop,
  load: (k, t, f) => k.call(t, do_init_module, { initfn: f.locals.initfn, ret: 0 }),
  ret: (k, t, f) => {
    const err = f.ret;
    k.popFrame(t);
    if (err < 0) k.write(t, 2, `insmod: ERROR: could not insert module: ${C.ERRNO_NAMES[-err] ?? err}\n`);
    // insmod's main returns: exit_group with its status.
    k.call(t, __x64_sys_exit_group, { code: err < 0 ? 1 : 0 });
  },
}, ['initfn']);

export const do_init_module = kfunc<FmL>('do_init_module', 'kernel/module/main.c', `
/*
 * This is where the real work happens.
 *
 * Keep it uninlined to provide a reliable breakpoint target, e.g. for the gdb
 * helper command 'lx-symbols'.
 */
static noinline int do_init_module(struct module *mod)
{
	int ret = 0;

	/* Start the module */
	if (mod->init != NULL)
		ret = do_one_initcall(mod->init);               @init
	if (ret < 0) {                                      @check
		goto fail_free_freeinit;
	}
	if (ret > 0) {
		pr_warn("%s: '%s'->init suspiciously returned %d, it should "
			"follow 0/-E convention\\n"
			"%s: loading module anyway...\\n",
			__func__, mod->name, ret, __func__);
		dump_stack();
	}

	/* Now it's a first class citizen! */
	mod->state = MODULE_STATE_LIVE;
	return 0;                                           @ret

fail_free_freeinit:
	return ret;                                         @fail
}
`, {
  init: (k, t, f) => k.call(t, do_one_initcall, { initfn: f.locals.initfn, ret: 0 }),
  check: (k, t, f) => {
    f.locals.ret = f.ret;
    k.module_init_ret = f.ret;
    if (f.ret < 0) { k.jump(f, 'fail'); return; }
    if (f.ret > 0) {
      k.printk(t, `do_init_module: '${f.locals.initfn}'->init suspiciously returned ${f.ret}, it should follow 0/-E convention`, 4);
      k.printk(t, 'do_init_module: loading module anyway...', 4);
    }
  },
  ret: ret0,
  fail: (k, t, f) => k.ret(t, f.locals.ret),
}, ['ret']);

export const do_one_initcall = kfunc<FmL>('do_one_initcall', 'init/main.c', `
int __init_or_module do_one_initcall(initcall_t fn)
{
	int count = preempt_count();
	int ret;

	do_trace_initcall_start(fn);
	ret = fn();                                         @call
	do_trace_initcall_finish(fn, ret);

	if (preempt_count() != count) {                     @check
		sprintf(msgbuf, "preemption imbalance ");
		preempt_count_set(count);
	}
	return ret;                                         @ret
}
`, {
  call: (k, t, f) => {
    const mem = k.module_memory;
    const regs = mem ? k.user.threadRegs(mem, f.locals.initfn, 0) : null;
    if (!regs) { f.locals.ret = -C.ENOEXEC; f.ret = -C.ENOEXEC; return; }
    // The init function is scenario code, run in this task above this frame.
    t.thread.regs = regs;
    t.vm_base = t.stack.length;
    f.pc = f.fn.at.get('call') as number;
    f.at = f.pc;
  },
  check: (k, t, f) => {
    f.locals.ret = f.ret;
    if (t.thread_info.preempt_count !== 0) {
      k.printk(t, `initcall ${f.locals.initfn} returned with preemption imbalance`, 4);
      t.thread_info.preempt_count = 0;
    }
  },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['initfn', 'ret']);

/**
 * Boot of a module scenario: `t` is the insmod process (a child of init); the module's globals
 * live in `memory`, which every kernel thread of the module shares.
 */
export function load_module(k: Kernel, t: task_struct, initfn: string, memory: UserMemory): void {
  k.module_memory = memory;
  t.builtin = 'insmod';
  t.comm = 'insmod';
  t.vm_base = -1;
  k.call(t, __x64_sys_finit_module, { initfn, ret: 0 });
}
