// Inspection as the machine answers it, state in and plain values out: scopes, variables paged by
// start and count, `changed` between stops, evaluation (errors are values, never exceptions), the
// console's commands, data breakpoint targets, and handles that die when the machine runs.
import assert from 'node:assert/strict';
import type { DebugVariable, Machine } from '../../sim-core/machine-types';
import { bootSource, FILE, runUntil } from './helpers';

/** A value survives JSON unchanged when it holds no kernel object, function or cycle. */
function assertPlain(v: unknown): void {
  assert.deepEqual(JSON.parse(JSON.stringify(v)), v);
}

function named(vars: DebugVariable[], name: string): DebugVariable {
  const v = vars.find((x) => x.name === name);
  assert.ok(v, `${name} in ${vars.map((x) => x.name).join(', ')}`);
  return v;
}

function atCopyProcess(): Machine {
  const m = bootSource();
  m.setFunctionBreakpoints([{ name: 'copy_process' }]);
  assert.equal(runUntil(m, { kind: 'continue' }).reason, 'function breakpoint');
  return m;
}

describe('machine: inspection contract', () => {
  it('gives a kernel frame three scopes whose variables are plain values', () => {
    const m = atCopyProcess();
    const top = m.stack(3)[0];
    assert.equal(top.name, 'copy_process');
    const scopes = m.scopes(top.id);
    assert.deepEqual(scopes.map((s) => s.name), ['Locals (copy_process)', 'current (task_struct)', 'Kernel globals']);
    assert.equal(scopes[0].hint, 'locals');
    assert.equal(new Set(scopes.map((s) => s.ref)).size, 3);
    const locals = m.variables(scopes[0].ref);
    assert.deepEqual(locals.map((v) => v.name), ['clone_flags', 'p', 'retval']);
    assert.deepEqual(named(locals, 'p'), { name: 'p', value: 'NULL', ref: 0, changed: false });
    const current = m.variables(scopes[1].ref);
    assert.equal(named(current, 'pid').value, '3');
    assert.equal(named(current, '__state').value, 'TASK_RUNNING (0x0)');
    assert.equal(named(current, '__state').dataId, 'task/3/__state');
    assert.equal(named(current, '__state').evaluateName, '$lx_task_by_pid(3)->__state');
    const parent = named(current, 'real_parent');
    assert.ok(parent.ref > 0);
    assert.equal(named(m.variables(parent.ref), 'pid').value, '1');
    const globals = m.variables(scopes[2].ref);
    assert.deepEqual(globals.slice(0, 3).map((v) => v.name), ['current', 'init_task', 'nr_threads']);
    for (const v of [...locals, ...current, ...globals]) assertPlain(v);
  });

  it('marks a value changed at the stop where it differs from the previous one, and only there', () => {
    const m = bootSource();
    m.setLineBreakpoints(FILE, [{ line: 13 }]);
    assert.equal(runUntil(m, { kind: 'continue' }).pid, 3);
    m.setLineBreakpoints(FILE, []);
    const childAt = (): DebugVariable => named(m.variables(m.scopes(m.stack(3)[0].id)[0].ref), 'child');
    const before = childAt();
    assert.equal(before.changed, false, 'nothing to compare with at the first stop');
    assert.equal(runUntil(m, { kind: 'step', pid: 3, action: 'over', granularity: 'statement' }).reason, 'step');
    const after = childAt();
    assert.notEqual(after.value, before.value);
    assert.equal(after.changed, true);
    assert.equal(childAt().changed, true, 'asking again at the same stop gives the same answer');
    assert.equal(runUntil(m, { kind: 'step', pid: 3, action: 'over', granularity: 'statement' }).reason, 'step');
    const later = childAt();
    assert.equal(later.value, after.value);
    assert.equal(later.changed, false);
  });

  it('pages a list with start and count, and filters named and indexed children', () => {
    const m = atCopyProcess();
    const all = m.evaluate('init_task.tasks', undefined, 'repl');
    assert.equal(all.error, undefined);
    assert.ok(all.ref > 0);
    const every = m.variables(all.ref);
    assert.deepEqual(every.map((v) => v.name), ['[0]', '[1]', '[2]']);
    assert.match(every[2].value, /\(pid 3, "fork-wait"\)$/);
    const page = m.variables(all.ref, 1, 1);
    assert.deepEqual(page.map((v) => [v.name, v.value]), [['[1]', every[1].value]]);
    assert.deepEqual(m.variables(all.ref, 2, 10).map((v) => v.name), ['[2]']);
    assert.deepEqual(m.variables(all.ref, 5, 2), []);
    assert.deepEqual(m.variables(all.ref, 0, 0, 'named'), []);
    const current = m.scopes(m.stack(3)[0].id)[1].ref;
    assert.deepEqual(m.variables(current, 0, 0, 'indexed'), []);
  });

  it('returns an error value for malformed or unknown expressions, never an exception', () => {
    const m = atCopyProcess();
    for (const [expr, message] of [
      ['current->', /expected/i], ['((1', /expected/i], ['no_such_symbol + 1', /No symbol "no_such_symbol"/],
      ['current->no_such_field', /no member named no_such_field/], ['1 / 0', /Division by zero/],
      ['clone_flags = 1', /assignments/], ['find_task_by_vpid(99)->pid', /Cannot access memory/],
    ] as const) {
      const r = m.evaluate(expr, m.stack(3)[0].id, 'watch');
      assert.match(r.error ?? '', message, expr);
      assert.equal(r.ref, 0);
      assertPlain(r);
    }
    const stale = m.evaluate('pid', 987654);
    assert.match(stale.error ?? '', /Frame 987654 does not exist/);
    assert.equal(stale.stale, true, 'a frame of no stop is said to be stale');
    assert.equal(m.evaluate('no_such_symbol', m.stack(3)[0].id).stale, undefined);
    assert.match(m.evaluate('lx-list-check current->pid', undefined, 'repl').error ?? '', /not a struct list_head/);
    assert.match(m.evaluate('info registers', undefined, 'repl').error ?? '', /Undefined info command/);
  });

  it('evaluates in the frame asked for: kernel locals, the scenario\'s variables, and the kernel\'s names', () => {
    const m = atCopyProcess();
    const [cp, , , main] = m.stack(3);
    assert.equal(m.evaluate('clone_flags & CLONE_THREAD', cp.id).value, '0');
    assert.equal(m.evaluate('status', main.id).value, '0');
    assert.match(m.evaluate('status', cp.id).error ?? '', /No symbol "status"/);
    assert.equal(m.evaluate('current->real_parent->pid', cp.id).value, '1');
    assert.equal(m.evaluate('$lx_current()->pid').value, '3');
    assert.equal(m.evaluate('$lx_task_by_pid(1)->comm').value, '"init"');
    const task = m.evaluate('$lx_task_by_pid(3)');
    assert.match(task.value, /^\(struct task_struct \*\) 0xffff[0-9a-f]+ \(pid 3, "fork-wait"\)$/);
    assert.ok(task.ref > 0);
    assert.equal(named(m.variables(task.ref), 'comm').value, '"fork-wait"');
  });

  it('runs the console\'s commands and follows list_heads with container_of', () => {
    const m = atCopyProcess();
    const repl = (e: string): string => {
      const r = m.evaluate(e, undefined, 'repl');
      assert.equal(r.error, undefined, `${e}: ${r.error}`);
      return r.value;
    };
    assert.match(repl('lx-ps'), /TASK\s+PID\s+TGID\s+PPID ST COMM\n0xffff\S+\s+1\s+1\s+0 S\s+init/);
    assert.match(repl('lx-pstree'), /init\(1\)\n`-fork-wait\(3\)/);
    assert.match(repl('lx-list-check init_task.children'), /consistent: 2 entries/);
    assert.equal(repl('$container_of(init_task.children.next, "struct task_struct", "sibling")->pid'), '1');
    assert.equal(repl('container_of(init_task.children.prev, "struct task_struct", "sibling")->comm'), '"kthreadd"');
    assert.match(m.evaluate('container_of(init_task.children, "struct task_struct", "sibling")').error ?? '', /list head, not an entry/);
    assert.match(repl('bt'), /^#0  copy_process \(/);
    assert.match(repl('info threads'), /\* 3\s+Task 3 "fork-wait"/);
    assert.equal(repl('p/x 255'), '0xff');
    const deref = m.evaluate('*$lx_task_by_pid(3)', undefined, 'repl');
    assert.match(deref.value, /^\{pid = 3, tgid = 3, comm = "fork-wait", \.\.\.\}$/);
    assert.ok(deref.ref > 0);
  });

  it('names what a data breakpoint would watch, from a handle or an expression', () => {
    const m = atCopyProcess();
    const current = m.scopes(m.stack(3)[0].id)[1].ref;
    assert.deepEqual(m.dataTarget('exit_state', current), { dataId: 'task/3/exit_state', description: 'task 3 (fork-wait): exit_state' });
    assert.equal(m.dataTarget('$lx_task_by_pid(1)->__state').dataId, 'task/1/__state');
    assert.equal(m.dataTarget('children', current).dataId, null);
    assert.equal(m.dataTarget('nonsense').dataId, null);
  });

  it('completes console commands, helpers and task_struct fields', () => {
    const m = atCopyProcess();
    assert.deepEqual(m.completions('lx-p', 4).map((c) => c.label).sort(), ['lx-ps', 'lx-pstree']);
    const f = m.completions('current->real_p', 15);
    assert.deepEqual(f.map((c) => [c.label, c.start, c.length]), [['real_parent', 9, 6]]);
  });

  it('refuses frames and handles from before the machine ran again', () => {
    const m = atCopyProcess();
    const frame = m.stack(3)[0].id;
    const ref = m.scopes(frame)[1].ref;
    m.setFunctionBreakpoints([]);
    runUntil(m, { kind: 'step', pid: 3, action: 'out', granularity: 'kernel' });
    assert.throws(() => m.scopes(frame), /Frame \d+ does not exist/);
    assert.throws(() => m.variables(ref), /Variable reference \d+ does not exist/);
    assert.ok(m.stack(3)[0].id > frame, 'new ids, never reused');
  });

  it('conditions and logpoint-style evaluation use the same evaluator, helpers included', () => {
    const m = bootSource();
    m.setLineBreakpoints(FILE, [{ line: 15, condition: '$lx_current()->pid != 3 && child == 0' }]);
    const s = runUntil(m, { kind: 'continue' });
    assert.deepEqual([s.reason, s.pid], ['breakpoint', 4]);
    assert.equal(m.evaluate('child', undefined, 'logpoint').value, '0');
  });
});
