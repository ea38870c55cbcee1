// The builtins catalog: spot checks of real Linux x86-64 values and consistency of every entry.
import { strict as assert } from 'node:assert';
import {
  CALLS, CONSTANT_TABLE, lookupCall, lookupConstant, signalName, signalNumber, errnoName, lookupStruct,
  constantsInGroup, FAMILY_PREFIXES,
} from '../../sim-core/lang/builtins';

describe('builtins catalog', () => {
  const values: Array<[string, number]> = [
    ['CLONE_VM', 0x100], ['CLONE_VFORK', 0x4000], ['CLONE_THREAD', 0x10000], ['CLONE_NEWPID', 0x20000000],
    ['CLONE_SIGHAND', 0x800], ['CLONE_CHILD_CLEARTID', 0x200000], ['CLONE_IO', 0x80000000],
    ['SIGCHLD', 17], ['SIGKILL', 9], ['SIGSTOP', 19], ['SIGCONT', 18], ['SIGUSR1', 10], ['SIGSYS', 31], ['SIGPWR', 30],
    ['ECHILD', 10], ['EAGAIN', 11], ['ESRCH', 3], ['EINTR', 4], ['EINVAL', 22], ['ENOSYS', 38], ['ERANGE', 34],
    ['WNOHANG', 1], ['WUNTRACED', 2], ['WCONTINUED', 8], ['WEXITED', 4], ['WNOWAIT', 0x1000000], ['__WALL', 0x40000000],
    ['P_PID', 1], ['P_ALL', 0], ['P_PGID', 2], ['SIG_DFL', 0], ['SIG_IGN', 1], ['SIG_ERR', -1],
    ['SA_NOCLDWAIT', 2], ['SA_RESTART', 0x10000000], ['SA_RESETHAND', 0x80000000], ['SIG_SETMASK', 2],
    ['PR_SET_CHILD_SUBREAPER', 36], ['PR_SET_PDEATHSIG', 1], ['PR_SET_NAME', 15], ['RLIMIT_NPROC', 6],
    ['TASK_RUNNING', 0], ['TASK_UNINTERRUPTIBLE', 2], ['EXIT_ZOMBIE', 32], ['EXIT_DEAD', 16], ['TASK_DEAD', 0x80],
    ['TASK_NEW', 0x800], ['TASK_KILLABLE', 0x102], ['TASK_STOPPED', 0x104], ['TASK_IDLE', 0x402],
    ['PF_EXITING', 4], ['PF_KTHREAD', 0x200000], ['PF_FORKNOEXEC', 0x40], ['PF_SIGNALED', 0x400],
    ['HZ', 1000], ['EXIT_FAILURE', 1], ['GFP_KERNEL', 0xcc0],
  ];
  for (const [name, value] of values) {
    it(`${name} = ${value}`, () => assert.equal(lookupConstant(name)?.value, value));
  }

  it('composite task states equal their definitions', () => {
    const v = (n: string): number => lookupConstant(n)?.value as number;
    assert.equal(v('TASK_KILLABLE'), v('TASK_WAKEKILL') | v('TASK_UNINTERRUPTIBLE'));
    assert.equal(v('TASK_STOPPED'), v('TASK_WAKEKILL') | v('__TASK_STOPPED'));
    assert.equal(v('TASK_IDLE'), v('TASK_UNINTERRUPTIBLE') | v('TASK_NOLOAD'));
  });

  it('printk levels are the kernel strings', () => {
    assert.equal(lookupConstant('KERN_INFO')?.value, '\x016');
    assert.equal(lookupConstant('KERN_ERR')?.value, '\x013');
  });

  it('signal and errno names round-trip', () => {
    assert.equal(signalNumber('SIGTERM'), 15);
    assert.equal(signalName(17), 'SIGCHLD');
    assert.equal(signalName(6), 'SIGABRT');
    assert.equal(errnoName(10), 'ECHILD');
    assert.equal(errnoName(11), 'EAGAIN');
  });

  it('every call has a consistent arity, side and header', () => {
    for (const c of CALLS.values()) {
      assert.ok(c.doc.length > 5, c.name);
      assert.ok(c.header.startsWith('<'), c.name);
      assert.ok(c.maxArgs === -1 || c.maxArgs >= c.minArgs, c.name);
      if (c.convention === 'none') assert.equal(c.returns, 'void', c.name);
    }
  });

  it('describes the kernel path of fork with Linux 6.x names', () => {
    assert.deepEqual(lookupCall('fork')?.kernelPath, ['__x64_sys_fork', 'kernel_clone', 'copy_process', 'wake_up_new_task']);
    assert.equal(lookupCall('pthread_create')?.convention, 'direct');
    assert.equal(lookupCall('waitpid')?.convention, 'syscall');
    assert.equal(lookupCall('WEXITSTATUS')?.isMacro, true);
    assert.equal(lookupCall('kthread_run')?.side, 'kernel');
    assert.equal(lookupCall('exit')?.noreturn, true);
    assert.equal(lookupCall('execl')?.returnsOnlyOnError, true);
  });

  it('knows the issue\'s user and kernel calls', () => {
    const names = ['fork', 'vfork', 'clone', 'execl', 'execv', 'execve', 'exit', '_exit', 'wait', 'waitpid', 'wait4',
      'waitid', 'WIFSIGNALED', 'WTERMSIG', 'WIFSTOPPED', 'kill', 'signal', 'sigaction', 'pause', 'sleep', 'usleep',
      'getpid', 'getppid', 'gettid', 'pthread_create', 'pthread_join', 'pthread_exit', 'prctl', 'setrlimit', 'nice',
      'sched_yield', 'printf', 'perror', 'kthread_create', 'kthread_stop', 'kthread_should_stop', 'wake_up_process',
      'set_current_state', 'schedule', 'schedule_timeout', 'printk', 'msleep', 'spin_lock', 'spin_unlock',
      'list_empty', 'list_add_tail', 'list_del', 'list_entry', 'for_each_process', 'list_for_each_entry_safe', 'get_current', 'find_task_by_vpid', 'send_sig', 'do_exit'];
    for (const n of names) assert.ok(CALLS.has(n), n);
  });

  it('has struct layouts and task_struct fields', () => {
    assert.deepEqual(lookupStruct('struct rlimit')?.fields.map((f) => f.name), ['rlim_cur', 'rlim_max']);
    const ts = lookupStruct('task_struct')?.fields.map((f) => f.name) ?? [];
    for (const f of ['pid', 'tgid', 'comm', '__state', 'exit_state', 'exit_code', 'flags', 'real_parent', 'parent', 'group_leader']) {
      assert.ok(ts.includes(f), f);
    }
  });

  it('every constant of a family matches that family\'s prefix', () => {
    for (const fam of FAMILY_PREFIXES) {
      for (const g of fam.groups) {
        const members = constantsInGroup(g).filter((c) => fam.prefix.test(c.name));
        assert.ok(members.length > 0, `${fam.what} has members`);
      }
    }
    assert.ok(CONSTANT_TABLE.size > 200);
  });
});
