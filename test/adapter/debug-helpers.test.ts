// The protocol-free helpers in sim-core/debug: decoders, list checks, completions, as tables.

import * as assert from 'node:assert/strict';
import { complete } from '../../sim-core/debug/complete';
import {
  decodeCloneFlags, decodeExitState, decodeFlags, decodeSignal, decodeSigset, decodeState, decodeWaitStatus, dmesgStamp, hex,
} from '../../sim-core/debug/decode';
import { describeStruct } from '../../sim-core/debug/fields';
import { lxListCheck } from '../../sim-core/debug/lx';
import * as C from '../../sim-core/kernel/consts';
import { list_add_tail, ListHead } from '../../sim-core/kernel/list';
import { blankTask, newCred, newSignal } from '../../sim-core/kernel/objects';

describe('sim-core/debug decoders', () => {
  it('prints task states by their header names', () => {
    const table: Array<[number, string]> = [
      [C.TASK_RUNNING, 'TASK_RUNNING (0x0)'],
      [C.TASK_INTERRUPTIBLE, 'TASK_INTERRUPTIBLE (0x1)'],
      [C.TASK_UNINTERRUPTIBLE, 'TASK_UNINTERRUPTIBLE (0x2)'],
      [C.TASK_KILLABLE, 'TASK_KILLABLE (0x102)'],
      [C.TASK_STOPPED, 'TASK_STOPPED (0x104)'],
      [C.TASK_NEW, 'TASK_NEW (0x800)'],
      [C.TASK_DEAD, 'TASK_DEAD (0x80)'],
      [C.TASK_NEW | C.TASK_UNINTERRUPTIBLE, 'TASK_UNINTERRUPTIBLE | TASK_NEW (0x802)'],
    ];
    for (const [v, s] of table) assert.equal(decodeState(v), s);
    assert.equal(decodeExitState(0), '0');
    assert.equal(decodeExitState(C.EXIT_ZOMBIE), 'EXIT_ZOMBIE (0x20)');
  });

  it('prints flags, clone flags, signals and wait statuses', () => {
    assert.equal(decodeFlags(C.PF_EXITING | C.PF_FORKNOEXEC), 'PF_EXITING | PF_FORKNOEXEC (0x44)');
    assert.equal(decodeFlags(0), '0x0');
    assert.equal(decodeFlags(C.PF_KTHREAD | 0x1), 'PF_KTHREAD | 0x1 (0x200001)');
    assert.equal(decodeCloneFlags(C.CLONE_VM | C.CLONE_VFORK | C.SIGCHLD), 'CLONE_VM | CLONE_VFORK | SIGCHLD (0x4111)');
    assert.equal(decodeSignal(C.SIGCHLD), 'SIGCHLD (17)');
    assert.equal(decodeSignal(-1), '-1');
    assert.equal(decodeSigset([(1 << (C.SIGCHLD - 1)) | (1 << (C.SIGUSR1 - 1)), 0]), '{SIGUSR1, SIGCHLD}');
    assert.equal(decodeWaitStatus(7 << 8), '0x700 (exited with code 7)');
    assert.equal(decodeWaitStatus(C.SIGKILL), '9 (killed by SIGKILL)');
    assert.equal(decodeWaitStatus((C.SIGSTOP << 8) | 0x7f), '0x137f (stopped by SIGSTOP)');
    assert.equal(hex(0xffff888000100000), '0xffff888000100000');
  });

  it('stamps kernel log lines as dmesg does', () => {
    assert.equal(dmesgStamp(0.000123), '[    0.000123]');
    assert.equal(dmesgStamp(12.5), '[   12.500000]');
  });

  it('shows task_struct fields with kernel names and no model bookkeeping', () => {
    const t = blankTask(newSignal(10), newCred({ uid: 1000, processes: 1 }));
    t.pid = 7;
    t.__state = C.TASK_INTERRUPTIBLE;
    t.flags = C.PF_EXITING | C.PF_FORKNOEXEC;
    const f = new Map(describeStruct('task_struct', t).map((x) => [x.name, x]));
    assert.equal(f.get('__state')?.value, 'TASK_INTERRUPTIBLE (0x1)');
    assert.equal(f.get('flags')?.value, 'PF_EXITING | PF_FORKNOEXEC (0x44)');
    assert.equal(f.get('real_parent')?.value, '(struct task_struct *) 0x0');
    assert.equal(f.get('children')?.value, '(struct list_head) 0 entries');
    assert.deepEqual(f.get('__state')?.watch, { pid: 7, field: '__state' });
    for (const hidden of ['type', 'addr', 'zombie_since', 'vm_base', 'builtin', 'sigframes']) assert.ok(!f.has(hidden), hidden);
  });

  it('lx-list-check finds a broken back link', () => {
    const head = new ListHead<string>(null);
    const a = new ListHead<string>('a');
    const b = new ListHead<string>('b');
    list_add_tail(a, head);
    list_add_tail(b, head);
    assert.equal(lxListCheck(head, 'l'), 'list is consistent: 2 entries in l');
    b.prev = head;
    assert.match(lxListCheck(head, 'l'), /corrupted: l entry 1: next->prev != this/);
  });

  it('completes commands at the line start, fields after ->, and helpers', () => {
    const scope = { names: ['current', 'child'], fields: ['pid', 'real_parent', 'parent'], functions: ['copy_process'] };
    assert.deepEqual(complete('lx-d', 4, scope).items.map((i) => [i.label, i.start]), [['lx-dmesg', 0]]);
    assert.deepEqual(complete('info t', 6, scope).items.map((i) => i.label), ['info threads']);
    assert.deepEqual(complete('current->pa', 11, scope), { start: 9, items: [{ label: 'parent', type: 'field' }] });
    assert.deepEqual(complete('p ch', 4, scope).items.map((i) => i.label), ['child']);
    assert.deepEqual(complete('p co', 4, scope).items.map((i) => i.label), ['copy_process']);
    assert.ok(!complete('p lx', 4, scope).items.some((i) => i.label.startsWith('lx-')), 'commands only at the start');
  });
});
