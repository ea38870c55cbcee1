// A fault in user code (stopOnFault, the debugger's exception stop) stops on the faulting line of
// the faulting task, with the signal named; continuing delivers the signal and the task dies of it
// without a second stop. An internal error names the task that ran and ends the machine.
import { strict as assert } from 'node:assert';
import { KMachine, MachineError } from '../../sim-core/machine';
import type { KEvent } from '../../sim-core/machine-types';
import { bootSource, runUntil } from './helpers';

const CHILD_SEGV = [
  '#include <stdio.h>', //            0
  '#include <stdlib.h>', //           1
  '#include <unistd.h>', //           2
  '#include <sys/wait.h>', //         3
  'int main(void)', //                4
  '{', //                             5
  '    int status = 0;', //           6
  '    if (fork() == 0) {', //        7
  '        int *p = NULL;', //        8
  '        *p = 42;', //              9
  '        _exit(0);', //            10
  '    }', //                        11
  '    wait(&status);', //           12
  '    printf("%d\\n", WTERMSIG(status));', // 13
  '    int z = 0;', //               14
  '    return 10 / z;', //           15
  '}', //                            16
  '',
].join('\n');

describe('machine: fault stops', () => {
  it('stops on the faulting line of the faulting task, then the task dies of the signal', () => {
    const m = bootSource(CHILD_SEGV, undefined, { stopOnFault: true });
    const events: KEvent[] = [];
    const s = runUntil(m, { kind: 'continue' }, events);
    assert.equal(s.reason, 'fault');
    assert.equal(s.pid, 4, 'the child, not pid 1 or the parent');
    assert.equal(s.signal, 'SIGSEGV');
    assert.match(s.message ?? '', /^pid 4 \(fork-wait\) received SIGSEGV, Segmentation fault/);
    assert.equal(m.stack(4)[0].line, 9);
    // The signal is pending, not delivered yet: the child has not exited.
    assert.ok(!events.some((e) => e.kind === 'exit'));
    const s2 = runUntil(m, { kind: 'continue' }, events);
    // The parent's division by zero is the next stop, on its own line; the child died of SIGSEGV.
    assert.equal(s2.reason, 'fault');
    assert.equal(s2.pid, 3);
    assert.equal(s2.signal, 'SIGFPE');
    assert.equal(m.stack(3)[0].line, 15);
    assert.ok(events.some((e) => e.kind === 'exit' && e.pid === 4 && (e.code & 0x7f) === 11));
    const s3 = runUntil(m, { kind: 'continue' }, events);
    assert.equal(s3.reason, 'exited');
    assert.equal(m.exitStatus().exitCode, 128 + 8);
  });

  it('does not stop on faults unless asked (the CLI runs straight on)', () => {
    const m = bootSource(CHILD_SEGV);
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'exited');
  });

  it('an internal error names the running task, ends the machine and is not met again', () => {
    const m = bootSource(CHILD_SEGV) as KMachine;
    // Run to the child's birth, then break its registers so the VM throws while it runs.
    let child = undefined;
    for (let i = 0; i < 1000 && !child; i++) { m.run(1); child = m.engine.k.pid_hash.get(4); }
    assert.ok(child);
    // A function index the image does not have: the VM's dispatch throws a TypeError.
    (child.thread.regs as unknown as { fn: number }).fn = 9999;
    let err: unknown;
    try {
      for (let i = 0; i < 1000; i++) m.run(100);
    } catch (e) { err = e; }
    assert.ok(err instanceof MachineError, String(err));
    assert.equal(err.pid, 4);
    assert.equal(err.name, 'TypeError');
    const again = m.run();
    assert.equal(again.reason, 'panic');
    assert.equal(again.pid, 4);
    assert.match(again.message ?? '', /internal error in the simulator while pid 4/);
    assert.equal(m.exitStatus().finished, true);
  });
});
