// setjmp and longjmp in the VM: the jump back through frames and out of signal frames, the value
// setjmp returns the second time, sigsetjmp's mask through rt_sigprocmask, the debugger's call
// stack after the jump, and a jump to a function that has returned.
import { strict as assert } from 'node:assert';
import { completeCall, frames, functionAddress, pushSignalFrame } from '../../sim-core/vm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulated } from '../fidelity/simulated';
import { output, start, step } from './helpers';

const HEAD = '#include <stdio.h>\n#include <setjmp.h>\n#include <signal.h>\n#include <unistd.h>\n';

describe('vm: setjmp and longjmp', () => {
  it('longjmp returns to setjmp through the frames between, with its value (1 for 0)', () => {
    const { out, status } = output(`${HEAD}jmp_buf env;
int down(int n) { if (n == 0) longjmp(env, 7); return down(n - 1) + 1; }
int main(void) {
  volatile int rounds = 0;
  int r = setjmp(env);
  rounds++;
  printf("r=%d rounds=%d\\n", r, rounds);
  if (r == 0) down(5);
  if (r == 7) longjmp(env, 0);
  return sizeof(jmp_buf) + r;
}`);
    assert.equal(out, 'r=0 rounds=1\nr=7 rounds=2\nr=1 rounds=3\n');
    assert.equal(status, 201);
  });

  it('the caller\'s expression around the call is kept: the jump lands in the middle of it', () => {
    const { out } = output(`${HEAD}jmp_buf env;
int twice(int x) { return 2 * x; }
void go(void) { longjmp(env, 4); }
int main(void) {
  int v = 100 + twice(setjmp(env));
  printf("%d\\n", v);
  if (v == 100) go();
  return 0;
}`);
    assert.equal(out, '100\n108\n');
  });

  it('sigsetjmp(env, 1) reads the mask with rt_sigprocmask and siglongjmp sets it back before the jump', () => {
    const s = start(`${HEAD}sigjmp_buf env;
void f(void) { siglongjmp(env, 3); }
int main(void) { int r = sigsetjmp(env, 1); if (r == 0) f(); return r; }`);
    let t = step(s);
    assert.equal(t.kind === 'syscall' ? t.name : t.kind, 'rt_sigprocmask');
    const args = t.kind === 'syscall' ? t.args : [];
    assert.deepEqual([args[0], args[1], args[3]], [0, 0, 8]);
    // The kernel writes the old mask (SIGUSR1 blocked) into env->__saved_mask.
    s.mem.store(args[2] as number, 2 ** 9);
    completeCall(s.regs, s.mem, 0);
    t = step(s);
    assert.equal(t.kind === 'syscall' ? t.name : t.kind, 'rt_sigprocmask');
    const back = t.kind === 'syscall' ? t.args : [];
    assert.deepEqual([back[0], s.mem.load(back[1] as number), back[2]], [2, 2 ** 9, 0]);
    completeCall(s.regs, s.mem, 0);
    t = step(s);
    assert.deepEqual(t.kind === 'syscall' ? [t.name, t.args[0]] : t.kind, ['exit_group', 3]);
  });

  it('a handler that longjmps drops its signal frame; the debugger\'s stack is the setjmp caller\'s again', () => {
    const s = start(`${HEAD}jmp_buf env;
void on_sig(int sig) { longjmp(env, sig); }
int wait_here(void) { return pause(); }
int main(void) {
  int r = setjmp(env);
  if (r == 0) wait_here();
  getpid();
  return r;
}`);
    let t = step(s);
    assert.equal(t.kind === 'syscall' ? t.name : t.kind, 'pause');
    assert.deepEqual(frames(s.image, s.regs, s.mem).map((f) => f.function), ['wait_here', 'main']);
    completeCall(s.regs, s.mem, -4);
    pushSignalFrame(s.image, s.regs, s.mem, functionAddress(s.image, 'on_sig') as number, 10);
    t = step(s);
    assert.equal(t.kind === 'syscall' ? t.name : t.kind, 'getpid');
    assert.equal(s.regs.sigframes.length, 0);
    // One frame: main, on the line of the call it makes now.
    assert.deepEqual(frames(s.image, s.regs, s.mem).map((f) => [f.function, f.line]), [['main', t.kind === 'syscall' ? t.line : -1]]);
    completeCall(s.regs, s.mem, 3);
    t = step(s);
    assert.deepEqual(t.kind === 'syscall' ? [t.name, t.args[0]] : t.kind, ['exit_group', 10]);
  });

  it('a jump to a function that has returned is a SIGSEGV', () => {
    const s = start(`${HEAD}jmp_buf env;
void mark(void) { setjmp(env); }
int main(void) { mark(); longjmp(env, 1); return 0; }`);
    const t = step(s);
    assert.equal(t.kind, 'fault');
    assert.match(t.kind === 'fault' ? `${t.signal} ${t.message}` : '', /SIGSEGV longjmp: the function that called setjmp has returned/);
  });

  it('on the machine: handlers left by siglongjmp again and again, then one that returns, with the mask of each step', async function () {
    this.timeout(60000);
    const dir = mkdtempSync(join(tmpdir(), 'kproc-jmp-'));
    try {
      const file = join(dir, 'jmp.kproc');
      writeFileSync(file, `${HEAD}#include <stdlib.h>
sigjmp_buf env;
volatile int returned = 0;
void leave(int sig) { siglongjmp(env, sig); }
void stay(int sig) { returned = sig; }
int blocked(int sig) { sigset_t s; sigprocmask(SIG_BLOCK, NULL, &s); return sigismember(&s, sig); }
int main(void) {
  signal(SIGUSR1, leave); signal(SIGUSR2, stay);
  for (int i = 0; i < 3; i++) {
    int r = sigsetjmp(env, i != 1);
    if (r == 0) { raise(SIGUSR1); return 1; }
    printf("%d: %d blocked %d\\n", i, r, blocked(SIGUSR1));
    if (i == 1) { sigset_t s; sigemptyset(&s); sigprocmask(SIG_SETMASK, &s, NULL); }
  }
  raise(SIGUSR2);
  printf("returned %d, blocked %d %d\\n", returned, blocked(SIGUSR1), blocked(SIGUSR2));
  return 0;
}`);
      const r = await runSimulated(file);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '0: 10 blocked 0\n1: 10 blocked 1\n2: 10 blocked 0\nreturned 12, blocked 0 0\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
