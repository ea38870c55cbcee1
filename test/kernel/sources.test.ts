// The displayed kernel sources and the step tables cannot drift: every marker has a handler and
// back (checked when a function is defined), and each function's text defines it exactly once.

import assert from 'node:assert/strict';
import type { KFunction } from '../../sim-core/kernel/frame';
import { kfunc } from '../../sim-core/kernel/frame';
import * as fork from '../../sim-core/kernel/fork';
import * as copy from '../../sim-core/kernel/copy';
import * as exit from '../../sim-core/kernel/exit';
import * as notify from '../../sim-core/kernel/notify';
import * as release from '../../sim-core/kernel/release';
import * as wait from '../../sim-core/kernel/wait';
import * as waitTask from '../../sim-core/kernel/wait-task';
import * as waitid from '../../sim-core/kernel/waitid';
import * as itimer from '../../sim-core/kernel/itimer';
import * as sigwait from '../../sim-core/kernel/sigwait';
import * as signal from '../../sim-core/kernel/signal';
import * as sched from '../../sim-core/kernel/sched';
import * as exec from '../../sim-core/kernel/exec';
import * as execThread from '../../sim-core/kernel/exec-thread';
import * as sigaction from '../../sim-core/kernel/sigaction';
import * as sys from '../../sim-core/kernel/sys';
import * as kthread from '../../sim-core/kernel/kthread';
import * as kmodule from '../../sim-core/kernel/module';
import * as kcode from '../../sim-core/kernel/kcode';
import * as futex from '../../sim-core/kernel/futex';

function allKfuncs(): KFunction<object>[] {
  const out: KFunction<object>[] = [];
  for (const mod of [fork, copy, exit, notify, release, wait, waitTask, waitid, itimer, sigwait, signal, sched, exec, execThread, sigaction, sys, kthread, kmodule, kcode, futex]) {
    for (const v of Object.values(mod)) {
      if (v && typeof v === 'object' && 'handlers' in v && 'labels' in v) out.push(v as KFunction<object>);
    }
  }
  return out;
}

describe('kernel sources and step tables', () => {
  const fns = allKfuncs();

  it('finds the modelled functions', () => {
    const names = fns.map((f) => f.name);
    for (const n of ['kernel_clone', 'copy_process', 'do_exit', 'exit_notify', 'release_task', 'wait_task_zombie', 'kernel_waitid', 'alarm_setitimer', 'get_signal',
      'begin_new_exec', 'de_thread', 'exec_mmap', 'do_sigaction', 'kthreadd', 'kthread', 'kthread_stop', 'futex_wait', 'do_one_initcall']) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(new Set(names).size, names.length, 'duplicate kernel function names');
  });

  it('every function has one handler per marker and no marker left in its text', () => {
    for (const f of fns) {
      assert.equal(f.handlers.length, f.labels.length, f.name);
      assert.ok(!/@[A-Za-z_]+\s*$/m.test(f.text), `${f.name}: marker left in displayed text`);
    }
  });

  it('each displayed function defines its name exactly once', () => {
    for (const f of fns) {
      const sys = f.name.startsWith('__x64_sys_') ? f.name.slice('__x64_sys_'.length) : null;
      // A macro (kthread_run) is defined by its #define line.
      const def = sys ? new RegExp(`^SYSCALL_DEFINE\\d\\(${sys}\\b`, 'gm') : new RegExp(`^(?:#define |(?:[\\w ]+[ *])?)${f.name}\\(`, 'gm');
      const n = (f.text.match(def) ?? []).length;
      assert.equal(n, 1, `${f.name}: ${n} definitions`);
    }
  });

  it('rejects a marker without a handler and a handler without a marker', () => {
    assert.throws(() => kfunc('f', 'x.c', 'int f(void)\n{\n\treturn 0; @ret\n}', {}), /no handler/);
    assert.throws(() => kfunc('f', 'x.c', 'int f(void)\n{\n\treturn 0;\n}', { ret: () => undefined }), /no marker/);
  });
});
