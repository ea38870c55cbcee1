// Kernel object addresses: every object gets its own pointer value, exact as a JS number, in the
// direct map (0xffff8880...), and the Variables view prints each one differently.
import assert from 'node:assert/strict';
import { describeStruct } from '../../sim-core/debug/fields';
import { hex } from '../../sim-core/debug/decode';
import { kaddr, PAGE_OFFSET } from '../../sim-core/kernel/task';
import { bootSource, FILE, kernelTask, runUntil } from '../machine/helpers';

describe('kernel: kaddr', () => {
  it('small neighbours get distinct addresses that survive the double', () => {
    const a = [kaddr(56), kaddr(184), kaddr(704), kaddr(1408), kaddr(9792), kaddr(56)];
    assert.equal(new Set(a.map(hex)).size, a.length);
    for (const x of a) {
      assert.ok(Number.isSafeInteger(x - PAGE_OFFSET), hex(x));
      // The number is the address it prints as: BigInt arithmetic gives the same text back.
      assert.equal(hex(x), `0x${(BigInt(PAGE_OFFSET) + BigInt(x - PAGE_OFFSET)).toString(16)}`);
      assert.match(hex(x), /^0xffff8880[0-9a-f]{8}$/);
    }
    for (let i = 1; i < a.length; i++) assert.ok(a[i] > a[i - 1]);
  });

  it('the Variables view shows each object of two tasks at its own address', () => {
    const m = bootSource();
    m.setLineBreakpoints(FILE, [{ line: 16 }]);
    const stop = runUntil(m, { kind: 'continue' });
    assert.equal(stop.reason, 'breakpoint');
    const shown: string[] = [];
    for (const pid of [3, 4]) {
      const t = kernelTask(m, pid);
      assert.ok(t);
      const fields = describeStruct('task_struct', t);
      for (const name of ['mm', 'files', 'fs', 'signal', 'sighand', 'cred']) {
        const f = fields.find((x) => x.name === name);
        assert.ok(f, name);
        assert.match(f.value, /^\(struct \w+ \*\) 0xffff8880[0-9a-f]{8}$/, `${pid} ${name}`);
        shown.push(f.value.replace(/^.* /, ''));
      }
      shown.push(hex(t.addr));
    }
    // A fork without CLONE_ flags copies every one of them: fourteen different pointers.
    assert.equal(new Set(shown).size, shown.length, shown.join(' '));
  });
});
