// The line-level control-flow graph the line-sequence test relies on: state-in/state-out tables on
// small kernel-style C functions, for what it must accept and, above all, what it must refuse.

import assert from 'node:assert/strict';
import { allowed, buildCfg, canReturn, cleanC, COPY_PROCESS_ORDER, ladderProblems, orderProblems, type LineCfg } from './linecfg';

/** A snippet with `@name` markers at line ends, as the kernel step tables write them. */
function fn(src: string): { cfg: LineCfg; marked: Set<number>; at: (label: string) => number } {
  const lines = src.replace(/^\n/, '').split('\n');
  const at = new Map<string, number>();
  const text = lines.map((l, i) => {
    const m = /(?:\s*@\w+)+\s*$/.exec(l);
    if (!m) return l;
    for (const x of m[0].matchAll(/@(\w+)/g)) at.set(x[1], i);
    return l.slice(0, m.index);
  }).join('\n');
  return {
    cfg: buildCfg(text, 'snippet'),
    marked: new Set(at.values()),
    at: (label) => {
      const l = at.get(label);
      if (l === undefined) throw new Error(`no marker @${label}`);
      return l;
    },
  };
}

type Row = [from: string, to: string, ok: boolean];

function table(src: string, rows: Row[]): void {
  const f = fn(src);
  for (const [from, to, ok] of rows) {
    const got = allowed(f.cfg, f.marked, from === 'entry' ? 'entry' : f.at(from), f.at(to));
    assert.equal(got, ok, `${from} -> ${to} should be ${ok ? 'allowed' : 'refused'}`);
  }
}

describe('line-level control-flow graph of displayed kernel C', () => {
  it('refuses the else branch after a return line, and anything after a return', () => {
    table(`
static int consider(struct wait_opts *wo, struct task_struct *p)
{
	if (exit_state == EXIT_ZOMBIE) {                @zombie
		if (!delay_group_leader(p))
			return wait_task_zombie(wo, p);         @reap
		wo->notask_error = 0;
	} else {
		wo->notask_error = 0;                       @alive
	}
	ret = wait_task_stopped(wo, ptrace, p);         @stopped
	return ret;                                     @ret
}`, [
      ['entry', 'zombie', true], ['zombie', 'reap', true], ['zombie', 'alive', true], ['zombie', 'stopped', true],
      ['reap', 'alive', false], ['reap', 'stopped', false], ['reap', 'ret', false], ['reap', 'reap', true],
      ['alive', 'stopped', true], ['stopped', 'ret', true], ['ret', 'stopped', false], ['entry', 'alive', false],
    ]);
  });

  it('accepts an if not taken skipping its body, and refuses going backwards without a loop', () => {
    table(`
void f(void)
{
	a();                                            @a
	if (x) {
		b();                                        @b
		c();
	}
	d();                                            @d
}                                                   @ret`, [
      ['a', 'b', true], ['a', 'd', true], ['b', 'd', true], ['d', 'ret', true],
      ['d', 'a', false], ['b', 'a', false], ['ret', 'd', false], ['entry', 'b', false], ['entry', 'a', true],
    ]);
  });

  it('follows loop back edges and refuses to skip a marked loop condition', () => {
    table(`
void f(void)
{
	while (!done) {                                 @cond
		a();                                        @a
		b();                                        @b
	}
	c();                                            @c
}`, [
      ['cond', 'a', true], ['a', 'b', true], ['b', 'cond', true], ['b', 'a', false], ['cond', 'c', true],
      ['b', 'c', false], ['a', 'cond', false],
    ]);
    table(`
void f(void)
{
	set_current_state(TASK_KILLABLE);               @sleep
	while (!completion_done(vfork))                 @check
		schedule();                                 @schedule
	child->vfork_done = NULL;                       @done
}`, [
      ['sleep', 'check', true], ['check', 'schedule', true], ['schedule', 'check', true], ['check', 'done', true],
      // The loop is the while line alone: set_current_state is not in it.
      ['schedule', 'sleep', false], ['schedule', 'done', false],
    ]);
  });

  it('do ... while, for (;;) and while (1) leave only through break, goto or return', () => {
    table(`
static long do_wait(struct wait_opts *wo)
{
	add_wait_queue(&q, &w);                         @queue
	do {
		set_current_state(TASK_INTERRUPTIBLE);      @state
		retval = __do_wait(wo);                     @scan
		if (retval != -ERESTARTSYS)                 @check
			break;
		if (signal_pending(current))
			break;
		schedule();                                 @schedule
	} while (1);

	__set_current_state(TASK_RUNNING);              @out
	return retval;
}`, [
      ['queue', 'state', true], ['schedule', 'state', true], ['check', 'out', true], ['check', 'schedule', true],
      ['scan', 'out', false], ['schedule', 'out', false], ['state', 'queue', false], ['out', 'state', false],
    ]);
    table(`
void f(void)
{
	for (;;) {
		a();                                        @a
		if (x)
			continue;
		b();                                        @b
	}
	c();                                            @c
}`, [['a', 'b', true], ['a', 'a', true], ['b', 'a', true], ['a', 'c', false], ['b', 'c', false]]);
    table(`
void wait(struct completion *x)
{
	do {
		__set_current_state(state);                 @state
		schedule();                                 @schedule
	} while (!x->done);                             @again
	x->done--;                                      @dec
}`, [['schedule', 'again', true], ['again', 'state', true], ['again', 'dec', true], ['schedule', 'dec', false], ['schedule', 'state', false]]);
    table(`
void f(void)
{
	do {
		a();                                        @a
		if (x)
			break;
		b();                                        @b
	} while (0);
	c();                                            @c
}`, [['a', 'b', true], ['a', 'c', true], ['b', 'c', true], ['b', 'a', false]]);
  });

  it('accepts a goto ladder falling through in reverse order and refuses what it must', () => {
    table(`
struct task_struct *copy_process(void)
{
	retval = copy_files(clone_flags, p);            @files
	if (retval)                                     @files_check
		goto bad_fork_cleanup_fs;
	retval = copy_mm(clone_flags, p);               @mm
	if (retval)                                     @mm_check
		goto bad_fork_cleanup_files;
	return p;                                       @ret

bad_fork_cleanup_files:
	exit_files(p);                                  @cleanup_files
bad_fork_cleanup_fs:
	exit_fs(p);                                     @cleanup_fs
unused_label:
	free(p);                                        @free
	return ERR_PTR(retval);                         @bad
}`, [
      ['mm_check', 'cleanup_files', true], ['files_check', 'cleanup_fs', true], ['cleanup_files', 'cleanup_fs', true],
      ['cleanup_fs', 'free', true], ['free', 'bad', true],
      // Not backwards, not into a ladder skipped by the goto, not from the success return.
      ['cleanup_fs', 'cleanup_files', false], ['files_check', 'cleanup_files', false], ['ret', 'cleanup_files', false],
      ['mm', 'cleanup_files', false], ['mm_check', 'cleanup_fs', false], ['mm_check', 'ret', true],
    ]);
    const f = fn(`
int f(void)
{
	a();                                            @a
	return 0;                                       @r
orphan:
	b();                                            @b
}`);
    assert.equal(allowed(f.cfg, f.marked, f.at('a'), f.at('b')), false, 'a label no goto targets is reached only by falling into it');
    assert.deepEqual([...f.cfg.gotoTargets], []);
    assert.ok(f.cfg.labels.has('orphan'));
  });

  it('switch: cases fall through until a break, a missing default skips the body', () => {
    table(`
long prctl(int option)
{
	switch (option) {                               @sw
	case PR_SET_NAME:
		a();                                        @a
	case PR_GET_NAME:
		b();                                        @b
		break;
	default:
		c();                                        @c
	}
	return error;                                   @ret
}`, [
      ['sw', 'a', true], ['sw', 'b', true], ['sw', 'c', true], ['a', 'b', true], ['b', 'ret', true], ['c', 'ret', true],
      ['a', 'c', false], ['b', 'c', false], ['sw', 'ret', false], ['a', 'ret', false],
    ]);
    table(`
void f(int x)
{
	switch (x) {                                    @sw
	case 1:
		a();                                        @a
		break;
	}
	for (;;) {
		switch (x) {
		case 2:
			break;
		}
		b();                                        @b
	}
}`, [['sw', 'b', true], ['a', 'b', true], ['b', 'b', true], ['sw', 'a', true]]);
  });

  it('reads multi-line statements, comments, strings and preprocessor lines', () => {
    table(`
int f(void)
{
	/* a comment with { braces, goto out; and a return */
	if (is_rlimit_overlimit(task_ucounts(p), UCOUNT_RLIMIT_NPROC,
				rlimit(RLIMIT_NPROC))) {                 @nproc
		// one more } in a comment
		pr_warn("{ not a block } %s;", "goto x;");
		goto bad;
	}
#ifdef CONFIG_NOTHING
	x = 1;
#endif
	status = (p->signal->flags & SIGNAL_GROUP_EXIT)
		? p->signal->group_exit_code : p->exit_code;  @status
	struct kernel_clone_args args = {
		.exit_signal = SIGCHLD,
	};
	return kernel_clone(&args);                     @call @ret
bad:
	return -EAGAIN;                                 @bad
}`, [
      ['entry', 'nproc', true], ['nproc', 'status', true], ['nproc', 'bad', true], ['status', 'call', true],
      ['status', 'bad', false], ['call', 'bad', false], ['entry', 'status', false],
    ]);
    const cleaned = cleanC('a /* x\ny */ b "s;{" // c\n#define X(a) \\\n({ y; })\n#if 0\n  z;');
    assert.deepEqual(cleaned.map((l) => l.trimEnd()), ['a', '     b 0', ' X(a)', '({ y; })', '', '  z;']);
  });

  it('one-line if with return, else-if chains and a label inside a loop', () => {
    table(`
int f(void)
{
	if (!mm) return 0;                              @check
	if (upid == -1)                                 @type
		type = PIDTYPE_MAX;
	else if (upid < 0)
		type = PIDTYPE_PGID;                        @pgid
	else if (upid == 0)                             @zero
		type = PIDTYPE_PGID;
	else
		type = PIDTYPE_PID;                         @pid
	for (;;) {
		if (x)                                      @x
			goto fatal;
		y();                                        @y
	fatal:
		z();                                        @z
	}
}`, [
      ['check', 'type', true], ['type', 'pgid', true], ['type', 'zero', true], ['type', 'pid', false],
      ['zero', 'pid', true], ['pgid', 'x', true], ['x', 'z', true], ['y', 'z', true], ['z', 'x', true],
      ['z', 'y', false], ['pgid', 'zero', false],
    ]);
  });

  it('loop macros are loops: list_for_each_entry, for_each_thread, do ... while_each_thread', () => {
    table(`
static long __do_wait(struct wait_opts *wo)
{
	tsk = current;                                  @init
	do {
		list_for_each_entry(p, &tsk->children, sibling) { @child
			retval = wait_consider_task(wo, 0, p);  @consider
			if (retval)                             @result
				return retval;
		}
		for_each_thread(p, t)
			flush(t);                               @flush
		if (wo->wo_flags & __WNOTHREAD)             @next_thread
			break;
	} while_each_thread(current, tsk);

notask:
	retval = wo->notask_error;                      @notask
	return retval;
}`, [
      ['init', 'child', true], ['child', 'consider', true], ['consider', 'result', true], ['result', 'child', true],
      ['child', 'flush', true], ['flush', 'flush', true], ['flush', 'next_thread', true], ['child', 'next_thread', true],
      ['next_thread', 'child', true], ['next_thread', 'notask', true], ['result', 'notask', false],
      ['result', 'consider', false], ['consider', 'child', false], ['init', 'consider', false],
    ]);
  });

  it('a macro with a statement-expression body', () => {
    table(`
#define kthread_run(threadfn, data, namefmt, ...)			   \\
({									   \\
	struct task_struct *__k						   \\
		= kthread_create(threadfn, data, namefmt, ## __VA_ARGS__); \\ @create
	if (!IS_ERR(__k))						   \\ @check
		wake_up_process(__k);					   \\ @wake
	__k;								   \\ @value
})`, [['entry', 'create', true], ['create', 'check', true], ['check', 'wake', true], ['check', 'value', true], ['wake', 'check', false]]);
  });

  it('follows only the branch a known condition takes', () => {
    const f = fn(`
pid_t kernel_clone(struct kernel_clone_args *args)
{
	wake_up_new_task(p);                            @wake
	if (clone_flags & CLONE_VFORK) {
		wait_for_vfork_done(p, &vfork);             @vfork_wait
	}
	while (timeout)
		timeout = schedule_timeout(timeout);        @sleep
	return nr;                                      @ret
}`);
    const conds = f.cfg.nodes.filter((n) => n.cond !== undefined).map((n) => n.cond);
    assert.deepEqual(conds, ['clone_flags & CLONE_VFORK', 'timeout']);
    const go = (from: string, to: string, vfork?: boolean, timeout?: boolean): boolean =>
      allowed(f.cfg, f.marked, f.at(from), f.at(to), (n) => (n.cond === 'timeout' ? timeout : vfork));
    assert.deepEqual([go('wake', 'vfork_wait', false), go('wake', 'vfork_wait', true), go('wake', 'vfork_wait')], [false, true, true]);
    assert.deepEqual([go('wake', 'ret', false, false), go('wake', 'ret', true, false), go('wake', 'ret', false, true)], [true, false, false]);
    assert.deepEqual([go('sleep', 'sleep', false, true), go('sleep', 'ret', false, false), go('sleep', 'ret', false, true), go('wake', 'sleep', false, true)], [true, true, false, true]);
  });

  it('knows where an activation may end', () => {
    const f = fn(`
int f(void)
{
	if (IS_ERR(p))                                  @check
		return PTR_ERR(p);
	nr = pid_vnr(pid);                              @nr
	wake_up_new_task(p);                            @wake
	return nr;                                      @ret
}                                                   @end`);
    const yes = (l: string): boolean => canReturn(f.cfg, f.marked, f.at(l));
    assert.deepEqual(['check', 'nr', 'wake', 'ret', 'end'].map(yes), [true, false, false, true, true]);
  });

  it('refuses text it cannot read, with the line', () => {
    assert.throws(() => buildCfg('int f(void)\n{\n\tif (x)\n\t\tgoto out;\n\treturn 0;\n}', 'f'), /f: line 4: goto out has no label/);
    assert.throws(() => buildCfg('int f(void)\n{\n\tif (x) {\n\t\treturn 0;\n', 'g'), /g: line \d+: .*end of the function/);
    assert.throws(() => buildCfg('int f(void)\n{\n\tbreak;\n}', 'h'), /h: line 3: 'break' outside a loop/);
  });

  describe('the order of key lines', () => {
    // copy_process as it was shown before: the RLIMIT_NPROC check ahead of copy_creds, a goto
    // to a label Linux does not use, the ladder in the wrong order and one rung missing.
    const wrong = `
struct task_struct *copy_process(struct kernel_clone_args *args)
{
	p = dup_task_struct(current, node);
	if (is_rlimit_overlimit(task_ucounts(p), UCOUNT_RLIMIT_NPROC, rlimit(RLIMIT_NPROC)))
		goto bad_fork_cleanup_count;
	retval = copy_creds(p, clone_flags);
	retval = sched_fork(clone_flags, p);
	retval = copy_files(clone_flags, p);
	retval = copy_fs(clone_flags, p);
	retval = copy_sighand(clone_flags, p);
	retval = copy_signal(clone_flags, p);
	retval = copy_mm(clone_flags, p);
	if (retval)
		goto bad_fork_cleanup_mm;
	retval = copy_thread(p, args);
	pid = alloc_pid(ns, NULL, 0);
	if (IS_ERR(pid))
		goto bad_fork_cleanup_thread;
	return p;
bad_fork_cleanup_count:
	/* bad_fork_cleanup_signal: comes first in Linux */
	dec_rlimit_ucounts(task_ucounts(p), UCOUNT_RLIMIT_NPROC, 1);
bad_fork_cleanup_thread:
	exit_thread(p);
bad_fork_cleanup_mm:
	mmput(p->mm);
bad_fork_free:
	return ERR_PTR(retval);
}`;
    const right = wrong
      .replace(/\tif \(is_rlimit[^\n]*\n\t\tgoto bad_fork_cleanup_count;\n(\tretval = copy_creds[^\n]*\n)/, '$1\tif (is_rlimit_overlimit(x))\n\t\tgoto bad_fork_cleanup_count;\n')
      .replace('goto bad_fork_cleanup_mm;', 'goto bad_fork_cleanup_signal;')
      .replace(/bad_fork_cleanup_count:\n[^]*bad_fork_free:/, 'bad_fork_cleanup_thread:\n\texit_thread(p);\nbad_fork_cleanup_signal:\n\tfree(p);\nbad_fork_cleanup_count:\n\tdec(p);\nbad_fork_free:');

    it('accepts copy_process in Linux 6.x order', () => {
      assert.deepEqual([...orderProblems('copy_process', right, COPY_PROCESS_ORDER), ...ladderProblems(right)], []);
    });

    it('refuses the RLIMIT_NPROC check before copy_creds, a wrong goto, a reversed or missing rung', () => {
      assert.deepEqual(orderProblems('copy_process', wrong, COPY_PROCESS_ORDER),
        ['copy_process: is_rlimit_overlimit() (line 5 of its text) is shown before copy_creds() (line 7); Linux 6.x runs it after']);
      assert.deepEqual(ladderProblems(wrong), [
        'copy_process: a failing copy_mm() jumps to bad_fork_cleanup_mm; Linux 6.x jumps to bad_fork_cleanup_signal',
        'copy_process: bad_fork_cleanup_count: is shown before bad_fork_cleanup_mm:; Linux 6.x falls through them in the other order',
        'copy_process: shows no bad_fork_cleanup_signal: label (a failing fork unwinds through it)',
      ]);
      assert.deepEqual(orderProblems('copy_process', null, COPY_PROCESS_ORDER), ['copy_process is not displayed']);
      const empty = orderProblems('copy_process', 'void copy_process(void)\n{\n}', COPY_PROCESS_ORDER);
      assert.equal(empty.length, 12);
      assert.ok(empty.every((p) => p.startsWith('copy_process: shows no ')), empty.join('; '));
    });
  });
});
