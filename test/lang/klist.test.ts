// list.h and sched/signal.h macros in the language: the trees their expansions make, the types
// and members the checker holds them to, and what the compiler does with kernel structures.

import assert from 'node:assert/strict';
import { parse } from '../../sim-core/lang/parser';
import { analyze } from '../../sim-core/lang';
import { compile } from '../../sim-core/vm';
import type { Expr, Stmt } from '../../sim-core/lang/ast';

const HEAD = '#include <linux/module.h>\n#include <linux/list.h>\n#include <linux/sched/signal.h>\n#include <linux/slab.h>\n'
  + 'struct rec { int v; struct list_head node; };\nstatic LIST_HEAD(recs);\n';

function moduleSource(body: string): string {
  return `${HEAD}static int __init t_init(void)\n{\n    struct task_struct *p, *q;\n    struct rec *r, *n;\n    struct list_head *pos, *tmp;\n${body}\n    return 0;\n}\nmodule_init(t_init);\n`;
}

/** Errors of the checker, then (when it has none) of the compiler. */
function errors(src: string): string[] {
  const { program, diagnostics } = analyze(src);
  const checked = diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  if (checked.length) return checked;
  return compile(program, src).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

function firstStatement(body: string): Stmt {
  const { program } = parse(moduleSource(body));
  const fn = program.items.find((i) => i.kind === 'Function' && i.name === 't_init');
  assert.ok(fn && fn.kind === 'Function' && fn.body);
  const s = fn.body.body.find((x) => x.kind !== 'VarDecl');
  assert.ok(s);
  return s;
}

describe('list.h loop macros', () => {
  it('for_each_process(p) is for (p = &init_task; (p = next_task(p)) != &init_task; )', () => {
    const s = firstStatement('    for_each_process(p) pr_info("%d", p->pid);');
    assert.equal(s.kind, 'For');
    if (s.kind !== 'For') return;
    assert.equal(s.update, undefined);
    const init = s.init?.kind === 'ExprStmt' ? s.init.expr : undefined;
    assert.ok(init?.kind === 'Assign' && init.value.kind === 'Unary' && init.value.op === '&');
    const test = s.test as Expr;
    assert.ok(test.kind === 'Binary' && test.op === '!=' && test.left.kind === 'Assign');
    assert.equal(s.body.kind, 'ExprStmt');
  });

  it('the entry walks take the member where it is written and the type from the cursor', () => {
    for (const body of ['list_for_each_entry(r, &recs, node) pr_info("%d", r->v);',
      'list_for_each_entry_safe(r, n, &recs, node) { list_del(&r->node); kfree(r); }',
      'list_for_each_entry_reverse(p, &current->children, sibling) pr_info("%d", p->pid);',
      'list_for_each(pos, &current->children) pr_info("%d", list_entry(pos, struct task_struct, sibling)->pid);',
      'list_for_each_safe(pos, tmp, &recs) list_del(pos);',
      'list_for_each_prev(pos, &init_task.tasks) pr_info("x");',
      'for_each_thread(current, q) pr_info("%d", q->pid);']) {
      assert.deepEqual(errors(moduleSource(`    ${body}`)), [], body);
    }
  });

  it('a file\'s own #define of a macro name wins over the built-in one', () => {
    const src = `#define list_entry(a, b) ((a) + (b))\n${moduleSource('    pr_info("%d", list_entry(1, 2));')}`;
    assert.deepEqual(errors(src), []);
  });
});

describe('list.h expression macros', () => {
  it('list_entry, container_of, list_first_entry, list_last_entry and next_task have the entry type', () => {
    assert.deepEqual(errors(moduleSource(`
    p = list_entry(current->children.next, struct task_struct, sibling);
    q = container_of(current->tasks.next, struct task_struct, tasks);
    r = list_first_entry(&recs, struct rec, node);
    r = list_last_entry(&recs, struct rec, node);
    r = list_first_entry_or_null(&recs, struct rec, node);
    r = list_next_entry(r, node);
    pr_info("%s %d %d", next_task(p)->comm, list_entry_is_head(r, &recs, node), current_thread_info()->cpu);`)), []);
  });

  it('a misspelt member, a missing type or a wrong argument count is one located error', () => {
    const cases: Array<[string, RegExp]> = [
      ['p = list_entry(pos, struct task_struct, sibbling);', /'struct task_struct' has no field named 'sibbling'; did you mean 'sibling'\?/],
      ['p = list_entry(pos, sibling);', /'list_entry' needs a type name here/],
      ['list_for_each_entry(r, &recs, nodes) pr_info("x");', /'struct rec' has no field named 'nodes'; did you mean 'node'\?/],
      ['for_each_process(p, q) pr_info("x");', /'for_each_process' takes 1 argument/],
      ['r = list_entry(pos, struct nosuch, node);', /incomplete type 'struct nosuch'/],
    ];
    for (const [body, re] of cases) {
      const errs = errors(moduleSource(`    ${body}`));
      assert.equal(errs.length, 1, `${body}: ${errs.join(' | ')}`);
      assert.match(errs[0], re);
    }
  });
});

describe('kernel structures in the checker and the compiler', () => {
  it('task_struct members of the lecture are known, chained through pointers and embedded structs', () => {
    assert.deepEqual(errors(moduleSource(`
    pr_info("%d %s %d %lu %d %u %d %d", current->parent->pid, current->real_parent->comm, current->mm == NULL,
            current->se.vruntime, current->signal->nr_threads, current->__state, current->stack != NULL,
            current->thread_info.cpu);
    pr_info("%lu %lu", sizeof(struct list_head), sizeof(struct rec));`)), []);
  });

  it('writing a kernel structure\'s field is refused by the checker, with what to use', () => {
    const errs = errors(moduleSource('    current->__state = TASK_INTERRUPTIBLE;'));
    assert.equal(errs.length, 1);
    assert.match(errs[0], /'__state' of 'struct task_struct' is read-only in scenario code; use set_current_state/);
    assert.match(errors(moduleSource('    current->pid++;'))[0], /'pid' of 'struct task_struct' is read-only/);
    assert.match(errors(moduleSource('    recs.next = 0;'))[0], /'next' of 'struct list_head' is read-only/);
  });

  it('6.x has no thread_info->task and no task_struct->cpu: both are unknown fields', () => {
    assert.match(errors(moduleSource('    pr_info("%d", current_thread_info()->task->pid);'))[0], /'struct thread_info' has no field named 'task'/);
    assert.match(errors(moduleSource('    pr_info("%d", current->cpu);'))[0], /'struct task_struct' has no field named 'cpu'/);
  });

  it('a kernel walk in user code is one wrong-side error, not one per name of its expansion', () => {
    const src = '#include <stdio.h>\n#include <linux/sched/signal.h>\nint main(void)\n{\n    struct task_struct *p;\n'
      + '    for_each_process(p)\n        printf("%d\\n", p->pid);\n    return 0;\n}\n';
    const errs = analyze(src).diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errs.length, 1, errs.map((d) => d.message).join(' | '));
    assert.equal(errs[0].code, 'wrong-side');
    assert.match(errs[0].message, /exists only in the kernel, but 'main' runs in user space/);
  });

  it('static LIST_HEAD and static DEFINE_SPINLOCK declare their variables', () => {
    const src = `${HEAD}static DEFINE_SPINLOCK(lk);\nstatic int __init t(void) { unsigned long f; spin_lock_irqsave(&lk, f); spin_unlock_irqrestore(&lk, f); return list_empty(&recs); }\nmodule_init(t);\n`;
    assert.deepEqual(errors(src), []);
  });
});
