// Module code walking the kernel's own lists (tasks, children/sibling, thread_head) and its own
// list_heads: the walks follow the simulator's real lists, so their order is the kernel's.

import assert from 'node:assert/strict';
import { list_entries } from '../../sim-core/kernel/list';
import { main } from '../../sim-core/cli/main';
import { capture } from '../cli/capture';
import { bootSource, dmesgOf } from './vm-run';
import { runEngine } from './run-engine';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KH = ['linux/module.h', 'linux/kthread.h', 'linux/list.h', 'linux/slab.h', 'linux/spinlock.h', 'linux/delay.h', 'linux/sched/signal.h']
  .map((h) => `#include <${h}>`).join('\n');

/** Runs a module whose init is `body` (with `decls` before it) and returns its printk lines. */
function moduleLog(decls: string, body: string): { log: string[]; engine: ReturnType<typeof bootSource> } {
  const engine = bootSource(`${KH}\n${decls}\nstatic int __init t_init(void)\n{\n${body}\n    return 0;\n}\nmodule_init(t_init);\nMODULE_LICENSE("GPL");\n`);
  runEngine(engine, 1_000_000);
  return { log: dmesgOf(engine).split('\n'), engine };
}

const SLEEPER = 'static int sleeper(void *d) { while (!kthread_should_stop()) msleep(20); return 0; }';

describe('module code walks the kernel\'s lists', () => {
  it('for_each_process visits every process once, in the real task-list order, init_task left out', () => {
    const { log, engine } = moduleLog(SLEEPER, `
    struct task_struct *p, *a = kthread_run(sleeper, NULL, "a"), *b = kthread_run(sleeper, NULL, "b");
    msleep(1);
    for_each_process(p)
        pr_info("%d %s\\n", p->pid, p->comm);
    kthread_stop(a);
    kthread_stop(b);`);
    const walked = log.filter((l) => /^\d+ /.test(l));
    assert.deepEqual(walked, ['1 init', '2 kthreadd', '3 insmod', '4 a', '5 b']);
    // At the end the stopped threads and insmod are gone from the kernel's own list.
    assert.deepEqual(list_entries(engine.k.init_task.tasks).map((t) => t.pid), [1, 2]);
  });

  it('list_for_each over children is the children list, oldest first; a reaped child leaves it', () => {
    const { log } = moduleLog(SLEEPER, `
    struct task_struct *w[3], *c;
    struct list_head *pos;
    int i;
    for (i = 0; i < 3; i++) w[i] = kthread_run(sleeper, NULL, "w%d", i);
    msleep(1);
    kthread_stop(w[1]);
    list_for_each(pos, &w[0]->real_parent->children) {
        c = list_entry(pos, struct task_struct, sibling);
        pr_info("child %s of %s\\n", c->comm, c->parent->comm);
    }
    list_for_each_entry(c, &init_task.children, sibling)
        pr_info("boot child %d\\n", c->pid);
    kthread_stop(w[0]);
    kthread_stop(w[2]);`);
    assert.deepEqual(log.filter((l) => l.startsWith('child ')), ['child w0 of kthreadd', 'child w2 of kthreadd']);
    assert.deepEqual(log.filter((l) => l.startsWith('boot child')), ['boot child 1', 'boot child 2']);
  });

  it('chained pointers and embedded structures: parent, real_parent, se, signal, mm, stack, thread_info', () => {
    const { log } = moduleLog(SLEEPER, `
    struct task_struct *k = kthread_run(sleeper, NULL, "k");
    msleep(30);
    pr_info("me %d parent %d %s\\n", current->pid, current->parent->pid, current->real_parent->comm);
    pr_info("k parent %s grandparent %d\\n", k->real_parent->comm, k->real_parent->real_parent->pid);
    pr_info("mm %d %d stack %d\\n", current->mm != NULL, k->mm == NULL, k->stack != NULL);
    pr_info("threads %d leader %d\\n", current->signal->nr_threads, current->group_leader == current);
    pr_info("ran %d cpu %u %u\\n", k->se.sum_exec_runtime > 0, current_thread_info()->cpu, task_cpu(k));
    pr_info("flags %d\\n", (k->flags & PF_KTHREAD) != 0);
    kthread_stop(k);`);
    assert.ok(log.includes('me 3 parent 1 init'), log.join('\n'));
    assert.ok(log.includes('k parent kthreadd grandparent 0'));
    assert.ok(log.includes('mm 1 1 stack 1'));
    assert.ok(log.includes('threads 1 leader 1'));
    assert.ok(log.includes('ran 1 cpu 0 0'));
    assert.ok(log.includes('flags 1'));
  });

  it('next_task goes round the task list back to init_task; list_entry(task->tasks.next, ...) is the same', () => {
    const { log } = moduleLog('', `
    struct task_struct *p = &init_task, *q;
    int n = 0;
    do {
        q = list_entry(p->tasks.next, struct task_struct, tasks);
        p = next_task(p);
        n++;
        if (p != q) pr_info("differ\\n");
    } while (p != &init_task);
    pr_info("round %d %s %d\\n", n, init_task.comm, init_task.pid);
    pr_info("first %s\\n", list_first_entry(&init_task.tasks, struct task_struct, tasks)->comm);
    pr_info("last %s\\n", list_last_entry(&init_task.tasks, struct task_struct, tasks)->comm);`);
    assert.ok(log.includes('round 4 swapper/0 0'), log.join('\n'));
    assert.ok(!log.includes('differ'));
    assert.ok(log.includes('first init'));
    assert.ok(log.includes('last insmod'));
  });

  it('for_each_thread follows signal->thread_head', () => {
    const { log } = moduleLog('', `
    struct task_struct *t;
    for_each_thread(current, t)
        pr_info("thread %d of %d\\n", t->pid, t->tgid);`);
    assert.deepEqual(log.filter((l) => l.startsWith('thread')), ['thread 3 of 3']);
  });
});

describe('module code with its own list_heads', () => {
  const REC = 'struct rec { int v; struct list_head node; };\nstatic LIST_HEAD(recs);\nstatic DEFINE_SPINLOCK(recs_lock);\n'
    + 'static struct rec *mk(int v) { struct rec *r = kmalloc(sizeof(*r), GFP_KERNEL); r->v = v; return r; }';

  it('list_add pushes at the front, list_add_tail at the end; the entry walks see that order', () => {
    const { log } = moduleLog(REC, `
    struct rec *r, *n;
    unsigned long flags;
    spin_lock_irqsave(&recs_lock, flags);
    list_add_tail(&mk(2)->node, &recs);
    list_add_tail(&mk(3)->node, &recs);
    list_add(&mk(1)->node, &recs);
    spin_unlock_irqrestore(&recs_lock, flags);
    list_for_each_entry(r, &recs, node) pr_info("fwd %d\\n", r->v);
    list_for_each_entry_reverse(r, &recs, node) pr_info("rev %d\\n", r->v);
    pr_info("first %d last %d sizes %lu %lu\\n", list_first_entry(&recs, struct rec, node)->v,
            list_last_entry(&recs, struct rec, node)->v, sizeof(struct list_head), sizeof(struct rec));
    list_move_tail(&list_first_entry(&recs, struct rec, node)->node, &recs);
    list_for_each_entry(r, &recs, node) pr_info("moved %d\\n", r->v);
    list_for_each_entry_safe(r, n, &recs, node) { list_del(&r->node); kfree(r); }
    pr_info("empty %d\\n", list_empty(&recs));`);
    assert.deepEqual(log.filter((l) => l.startsWith('fwd')), ['fwd 1', 'fwd 2', 'fwd 3']);
    assert.deepEqual(log.filter((l) => l.startsWith('rev')), ['rev 3', 'rev 2', 'rev 1']);
    assert.ok(log.includes('first 1 last 3 sizes 16 24'), log.join('\n'));
    assert.deepEqual(log.filter((l) => l.startsWith('moved')), ['moved 2', 'moved 3', 'moved 1']);
    assert.ok(log.includes('empty 1'));
  });

  it('list_for_each_safe and list_del_init; INIT_LIST_HEAD empties a list head', () => {
    const { log } = moduleLog(REC, `
    struct list_head *pos, *tmp, local;
    struct rec *r = mk(5);
    INIT_LIST_HEAD(&local);
    pr_info("local empty %d\\n", list_empty(&local));
    list_add_tail(&r->node, &local);
    list_add_tail(&mk(6)->node, &local);
    pr_info("local empty %d last %d\\n", list_empty(&local), list_is_last(&r->node, &local));
    list_for_each_safe(pos, tmp, &local) {
        struct rec *e = list_entry(pos, struct rec, node);
        pr_info("take %d\\n", e->v);
        list_del_init(pos);
        pr_info("alone %d\\n", list_empty(pos));
    }
    pr_info("local empty %d\\n", list_empty(&local));`);
    assert.deepEqual(log.filter((l) => /^(local|take|alone)/.test(l)),
      ['local empty 1', 'local empty 0 last 0', 'take 5', 'alone 1', 'take 6', 'alone 1', 'local empty 1']);
  });

  it('a LIST_HEAD in a function is an empty list each time, even where an old frame left a linked one', () => {
    const { log } = moduleLog(`${REC}
static int fill(int v) { LIST_HEAD(tmp); list_add(&mk(v)->node, &tmp); return list_empty(&tmp); }
static int fresh(int v) { LIST_HEAD(tmp2); return list_empty(&tmp2) + v; }`, `
    static LIST_HEAD(kept);
    pr_info("fill %d fresh %d kept %d\\n", fill(1), fresh(0), list_empty(&kept));`);
    assert.ok(log.includes('fill 0 fresh 1 kept 1'), log.join('\n'));
  });

  it('list_del poisons the entry: its next is LIST_POISON1, and following it faults', () => {
    const { log, engine } = moduleLog(REC, `
    struct rec *r = mk(1);
    struct list_head *x;
    list_add(&r->node, &recs);
    list_del(&r->node);
    pr_info("poison %lx %lx\\n", (unsigned long)r->node.next, (unsigned long)r->node.prev);
    x = r->node.next;
    pr_info("unreached %p\\n", x->next);`);
    assert.ok(log.includes('poison dead000000000100 dead000000000122'), log.join('\n'));
    assert.ok(!log.some((l) => l.startsWith('unreached')));
    assert.equal(engine.k.module_init_ret, null, 'init never returned');
  });

  it('the kernel\'s own lists cannot be relinked by a module', () => {
    const { log } = moduleLog(REC, `
    struct rec *r = mk(1);
    list_add_tail(&r->node, &current->children);`);
    assert.ok(log.some((l) => /BUG: list_add_tail: the kernel's own lists .* read-only/.test(l)), log.join('\n'));
  });
});

describe('kproc run shows a module\'s printk lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'klist-'));
  const file = join(dir, 'hello.kproc');
  writeFileSync(file, `${KH}\nstatic int __init hi(void) { pr_info("hello from %s\\n", current->comm); return 0; }\nmodule_init(hi);\n`);

  it('as they come, without --dmesg', async () => {
    const io = capture();
    assert.equal(await main(['run', file], io), 0, io.stderr);
    assert.match(io.stdout, /^\[ +\d+\.\d{6}\] hello from insmod\n$/);
  });

  it('once with --dmesg (the whole log at the end), and as trace lines with --trace', async () => {
    const io = capture();
    assert.equal(await main(['run', '--dmesg', file], io), 0, io.stderr);
    assert.equal(io.stdout.match(/hello from insmod/g)?.length, 1);
    const tr = capture();
    assert.equal(await main(['run', '--trace', file], tr), 0, tr.stderr);
    assert.equal(tr.stdout.match(/hello from insmod/g)?.length, 1);
    assert.match(tr.stdout, /printk +hello from insmod/);
  });
});
