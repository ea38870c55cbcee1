// Checker cases, one or more per diagnostic code, and the lecture's fork() example with no diagnostics.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { check } from '../../sim-core/lang/check';
import { parse } from '../../sim-core/lang/parser';

const USER_HEAD = '#include <stdio.h>\n#include <stdlib.h>\n#include <unistd.h>\n#include <sys/wait.h>\n#include <sys/types.h>\n';

/** The parser's and the checker's diagnostics (the teacher warnings are tested in teacher.test.ts). */
function diags(src: string): Array<{ code: string; message: string; text: string; severity: string }> {
  const r = parse(src);
  return [...r.diagnostics, ...check(r.program, src)].sort((a, b) => a.range.start - b.range.start).map((d) => ({ code: d.code, message: d.message, severity: d.severity, text: src.slice(d.range.start, d.range.end) }));
}
function codes(src: string): string[] {
  return diags(src).map((d) => d.code);
}
const inMain = (s: string): string => `${USER_HEAD}int main(void) {\n${s}\nreturn 0;\n}\n`;

describe('checker', () => {
  it('accepts the lecture\'s fork() example pasted with its includes', () => {
    const src = `${USER_HEAD}
int main(void)
{
    pid_t pid;
    int wstatus, ret;
    pid = fork(); /* create a child process */
    switch(pid) {
        case -1: /* fork error */
            perror("fork");
            return EXIT_FAILURE;
        case 0: /* pid = 0: new born child process */
            sleep(1);
            printf("I'm a child process!\\n");
            exit(99);
        default: /* pid = pid of child: parent process */
            printf("I'm the parent process! Your pid: %d\\n", pid);
            break;
    }
    ret = waitpid(pid, &wstatus, 0); /* A parent wait until child terminates */
    if(ret == -1)
        return EXIT_FAILURE;
    printf("Child exit status: %d\\n", WEXITSTATUS(wstatus));
    return EXIT_SUCCESS;
}
`;
    assert.deepEqual(diags(src), []);
  });

  it('accepts the shipped fork-wait example', () => {
    assert.deepEqual(diags(readFileSync('examples/fork-wait.kproc', 'utf8')), []);
  });

  it('accepts the producer/consumer kernel scenario', () => {
    const src = `#include <linux/kthread.h>
#include <linux/sched.h>
static struct task_struct *consumer_task;
struct event { long id; struct list_head list; };
LIST_HEAD(events);
DEFINE_SPINLOCK(list_lock);
static int consumer(void *data)
{
    while (!kthread_should_stop()) {
        set_current_state(TASK_INTERRUPTIBLE);
        spin_lock(&list_lock);
        if (list_empty(&events)) {
            spin_unlock(&list_lock);
            schedule();
            continue;
        }
        __set_current_state(TASK_RUNNING);
        struct event *ev = list_first_entry(&events, struct event, list);
        list_del(&ev->list);
        spin_unlock(&list_lock);
        pr_info("consumer %d got event %ld\\n", current->pid, ev->id);
        kfree(ev);
    }
    return 0;
}
static int __init demo_init(void)
{
    consumer_task = kthread_run(consumer, NULL, "consumer");
    for (long i = 1; i <= 3; i++) {
        spin_lock(&list_lock);
        struct event *ev = kmalloc(sizeof(*ev), GFP_KERNEL);
        ev->id = i;
        list_add_tail(&ev->list, &events);
        spin_unlock(&list_lock);
        wake_up_process(consumer_task);
        msleep(10);
    }
    printk(KERN_INFO "stopping %s\\n", consumer_task->comm);
    return kthread_stop(consumer_task);
}
module_init(demo_init);
MODULE_LICENSE("GPL");
`;
    assert.deepEqual(diags(src), []);
  });

  it('undefined-name: with C block scoping and suggestions', () => {
    const d = diags(inMain('int count = 1;\n{ int inner = 2; }\ncount = inner + cuont;\nfrok();'));
    assert.deepEqual(d.map((x) => [x.code, x.text]), [['undefined-name', 'inner'], ['undefined-name', 'cuont'], ['undefined-name', 'frok']]);
    assert.match(d[1].message, /did you mean 'count'/);
    assert.match(d[2].message, /implicit declaration of function 'frok'; did you mean 'fork'/);
  });

  it('unsupported: a Linux function the simulator does not model is named as such, not guessed at', () => {
    const d = diags(inMain('mkfifo("/tmp/f", 0600);\nsetns(0, 0);\nsigaltstack(NULL, NULL);\nwaitid(P_ALL, 0, 0, WEXITED);\nalarm(1);'));
    assert.deepEqual(d.filter((x) => x.code === 'unsupported').map((x) => x.text), ['mkfifo', 'setns', 'sigaltstack']);
    assert.match(d[0].message, /^'mkfifo' \(<sys\/stat\.h>\) is not supported by the simulator$/);
    assert.ok(d.every((x) => !/did you mean/.test(x.message)), d.map((x) => x.message).join('\n'));
    // A function of the file's own with such a name is just a function.
    assert.deepEqual(codes(`${USER_HEAD}int mkfifo(int *p) { return p[0]; }\nint main(void) { int a[2] = {1, 2}; return mkfifo(a); }\n`), []);
  });

  it('knows parameters, globals, defines, functions and loop variables', () => {
    assert.deepEqual(codes(`${USER_HEAD}#define N 3\nint total;\nint add(int a) { return a + total; }\nint main(void) { for (int i = 0; i < N; i++) total = add(i); return 0; }\n`), []);
    assert.deepEqual(codes(inMain('for (int i = 0; i < 2; i++) ;\ni = 3;')), ['undefined-name']);
  });

  it('unknown-constant: flag and signal families get the closest member', () => {
    const d = diags(inMain('kill(getpid(), SIGCHILD);\nclone(0, 0, CLONE_VMM | SIGCHLD, 0);\nwaitpid(-1, 0, WNOHNG);\nerrno = ECHLD;'));
    assert.deepEqual(d.map((x) => [x.code, x.text]), [
      ['unknown-constant', 'SIGCHILD'], ['unknown-constant', 'CLONE_VMM'], ['unknown-constant', 'WNOHNG'], ['unknown-constant', 'ECHLD']]);
    assert.match(d[0].message, /unknown signal 'SIGCHILD'; did you mean 'SIGCHLD'/);
    assert.match(d[1].message, /unknown clone flag 'CLONE_VMM'; did you mean 'CLONE_VM'/);
    assert.match(d[2].message, /'WNOHANG'/);
    assert.match(d[3].message, /'ECHILD'/);
  });

  it('accepts the process-group and session calls, getsid included, with their arities', () => {
    assert.deepEqual(codes(inMain('setpgid(0, 0);\npid_t s = setsid();\npid_t g = getpgid(0) + getpgrp();\npid_t sid = getsid(0);\nprintf("%d %d %d\\n", s, g, sid);')), []);
    const d = diags(inMain('getsid();\ngetsid(0, 1);\ngetsd(0);'));
    assert.deepEqual(d.map((x) => [x.code, x.text]), [['arg-count', 'getsid()'], ['arg-count', 'getsid(0, 1)'], ['undefined-name', 'getsd']]);
    assert.match(d[2].message, /did you mean 'getsid'/);
  });

  it('arg-count: an argument the parser could not read is not counted (only the syntax error shows)', () => {
    const d = diags(`${USER_HEAD}int twice(int x) { return 2 * x; }\nint main(void) {\nfork(;\ntwice(1, );\nreturn 0; }\n`);
    assert.ok(d.some((x) => x.code === 'syntax'));
    assert.deepEqual(d.filter((x) => x.code === 'arg-count'), []);
  });

  it('arg-count: builtin calls, macros and scenario functions', () => {
    const src = `${USER_HEAD}int twice(int x) { return 2 * x; }\nint main(void) { int s = 0;\nfork(1);\nwaitpid(-1, &s);\nWEXITSTATUS();\ntwice(1, 2);\nprintf();\nreturn twice(); }\n`;
    const d = diags(src);
    assert.deepEqual(d.map((x) => x.code), ['arg-count', 'arg-count', 'arg-count', 'arg-count', 'arg-count', 'arg-count']);
    assert.match(d[0].message, /too many arguments to 'fork': expected 0, got 1/);
    assert.match(d[1].message, /too few arguments to 'waitpid': expected 3, got 2/);
    assert.match(d[4].message, /expected at least 1/);
    assert.match(d[5].message, /too few arguments to function 'twice'/);
  });

  it('unreachable: after exit, _exit, return and break, but not after a case label or execl', () => {
    const d = diags(inMain(`if (fork() == 0) {\n  exit(0);\n  printf("never\\n");\n}\nswitch (1) { case 1: break; puts("x"); case 2: puts("y"); }\nexecl("/bin/true", "true", NULL);\nperror("execl");\nif (1) { _exit(1); } else { return 2; }\nputs("gone");`));
    assert.deepEqual(d.map((x) => [x.code, x.text]), [
      ['unreachable', 'printf("never\\n");'], ['unreachable', 'puts("x");'], ['unreachable', 'puts("gone");']]);
    assert.equal(d[0].severity, 'warning');
    assert.match(d[0].message, /after 'exit'/);
  });

  it('wrong-side: kernel calls in user code and user calls in kernel code', () => {
    const src = `#include <linux/kthread.h>\nint worker(void *d) { printf("hi\\n"); return 0; }\nint __init init(void) { kthread_run(worker, NULL, "w"); fork(); return 0; }\nmodule_init(init);\n` +
      `void *thr(void *a) { schedule(); return a; }\nint main(void) { pthread_t t; pthread_create(&t, NULL, thr, NULL); set_current_state(TASK_INTERRUPTIBLE); return 0; }\n`;
    const d = diags(src);
    assert.deepEqual(d.map((x) => [x.code, x.text]), [
      ['wrong-side', 'printf'], ['wrong-side', 'fork'], ['wrong-side', 'schedule'], ['wrong-side', 'set_current_state'], ['wrong-side', 'TASK_INTERRUPTIBLE']]);
    assert.match(d[0].message, /'worker' runs in the kernel \(it is reached from 'init'\)/);
    assert.match(d[2].message, /'thr' runs in user space \(it is reached from 'main'\)/);
  });

  it('pragma, pragma-range and unknown-pragma', () => {
    const d = diags(`#pragma kproc pid_max 100\n#pragma kproc cpus 65\n#pragma kproc cpus 2\n#pragma kproc nproc "many"\n#pragma kproc seed 1 2\n#pragma kproc pidmax 400\n#pragma kproc program "/bin/w" nosuch\n#pragma kproc program "bin/x" main\n${inMain('')}`);
    assert.deepEqual(d.map((x) => x.code), ['pragma-range', 'pragma-range', 'duplicate', 'pragma', 'pragma', 'unknown-pragma', 'undefined-name', 'pragma']);
    assert.match(d[0].message, /pid_max must be between 301 and 4194304 \(got 100\)/);
    assert.match(d[1].message, /cpus must be between 1 and 64/);
    assert.match(d[5].message, /did you mean 'pid_max'/);
    assert.deepEqual(codes(`#pragma kproc pid_max 4194304\n#pragma kproc uid 1000\n#pragma kproc seed 7\n#pragma kproc nproc 20\n#pragma kproc program "/bin/worker" worker\nint worker(void) { return 0; }\n${inMain('execl("/bin/worker", "worker", NULL);')}`), []);
  });

  it('exit-code: statuses outside 0..255', () => {
    const d = diags(`#define BIG 300\n${inMain('if (fork() == 0) exit(256);\nif (fork() == 0) _exit(-1);\nif (fork() == 0) exit(BIG);\nif (fork() == 0) exit(255);')}`);
    assert.deepEqual(d.map((x) => [x.code, x.text]), [['exit-code', '256'], ['exit-code', '-1'], ['exit-code', 'BIG']]);
    assert.match(d[0].message, /the parent sees 0/);
    assert.match(d[1].message, /the parent sees 255/);
    assert.deepEqual(codes(`${USER_HEAD}int main(void) { return 1000; }`), ['exit-code']);
  });

  it('duplicate: functions, globals, locals, structs, defines', () => {
    const d = diags(`#define A 1\n#define A 2\nstruct s { int x; };\nstruct s { int y; };\nint g;\nint g;\nint f(void);\nint f(void) { return 0; }\nint f(void) { return 1; }\nint fork(void) { return 0; }\n${inMain('int x; int x;')}`);
    assert.deepEqual(d.map((x) => [x.code, x.text]), [['duplicate', 'A'], ['duplicate', 's'], ['duplicate', 'g'], ['duplicate', 'f'], ['duplicate', 'fork'], ['duplicate', 'x']]);
  });

  it('unknown-field, member-access and unknown-type', () => {
    const d = diags(`${inMain('struct sigaction sa;\nsa.sa_handlr = SIG_IGN;\nstruct rlimit *r = 0;\nr.rlim_cur = 1;\nstruct nosuch n;')}`);
    assert.deepEqual(d.map((x) => [x.code, x.text]), [['unknown-field', 'sa_handlr'], ['member-access', 'r.rlim_cur'], ['unknown-type', 'struct nosuch']]);
    assert.match(d[0].message, /did you mean 'sa_handler'/);
    const k = diags('int __init i(void) { printk("%d", current->pidd); return 0; }\nmodule_init(i);\n');
    assert.deepEqual(k.map((x) => [x.code, x.text]), [['unknown-field', 'pidd']]);
  });

  it('unknown-program: exec of a path nothing provides', () => {
    const d = diags(inMain('execl("/bin/nosuch", "nosuch", NULL);\nexeclp("echo", "echo", "hi", NULL);'));
    assert.deepEqual(d.map((x) => [x.code, x.text]), [['unknown-program', '"/bin/nosuch"']]);
  });

  it('no-entry and unknown declaration macros', () => {
    assert.deepEqual(codes('int helper(void) { return 0; }\n'), ['no-entry']);
    const d = diags('int i(void) { return 0; }\nmodule_inti(i);\nmodule_init(nothing);\n');
    assert.deepEqual(d.map((x) => [x.code, x.text]), [['undefined-name', 'module_inti'], ['undefined-name', 'nothing']]);
    assert.match(d[0].message, /did you mean 'module_init'/);
  });
});
