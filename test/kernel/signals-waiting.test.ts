// Signals and waiting as Linux 6.x does them, in the simulator alone (the same scenarios are
// compared with the real kernel in test/fidelity/cases, which needs root): group exit codes,
// waits from any thread, orphaned process groups, stopped tasks, waitid's siginfo, alarm and the
// rt_sig* calls; and the system calls each new C library function makes.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine } from './run-engine';
import { bootSource, HEADERS, outputOf, runSource } from './vm-run';
import type { Engine } from '../../sim-core/machine/engine';
import * as C from '../../sim-core/kernel/consts';
import { send_signal, sigismember } from '../../sim-core/kernel/signal';

const CASES = join(__dirname, '../fidelity/cases');

/** What a case prints in the simulator (each line was checked against Linux 6.18). */
function caseOutput(name: string): string {
  const r = runSource(readFileSync(join(CASES, name), 'utf8'), { file: name }, 5_000_000);
  assert.equal(r.reason, 'exited', `${name} did not run to its end: ${r.reason}\n${r.out}`);
  return r.out;
}

describe('signals and waiting as Linux 6.x', () => {
  it('a group whose leader left first reports its last thread\'s exit code', () => {
    assert.equal(caseOutput('leader-exit-code.kproc'), 'exited 1, status 5\n');
  });

  it('a thread waits for the children its group leader forked', () => {
    assert.match(caseOutput('thread-waits.kproc'), /^thread: waitpid\(-1\) found the child, status 9\n/);
  });

  it('waitpid(INT_MIN) is ESRCH, even with children', () => {
    assert.match(caseOutput('wait-int-min.kproc'), /^waitpid\(INT_MIN\) = -1, errno ESRCH\n/);
  });

  it('an orphaned group ignores terminal stop signals, and one left orphaned while stopped gets SIGHUP and SIGCONT', () => {
    assert.match(caseOutput('orphan-tstp.kproc'), /^after SIGTSTP\/SIGTTIN\/SIGTTOU: child ran on and exited\nstatus 4, same child 1\nSIGSTOP: stopped 1 by signal 19\n/);
    assert.match(caseOutput('orphaned-stopped.kproc'), /member: running again, SIGHUP seen 1\n/);
  });

  it('a stopped process keeps SIGTERM pending until SIGCONT; SIGKILL kills it at once', () => {
    assert.equal(caseOutput('stopped-term.kproc'), 'stopped 1\nafter SIGTERM while stopped: waitpid 0, still there\n'
      + 'after SIGCONT: killed by signal 15\nSIGKILL while stopped: killed by signal 9\n');
  });

  it('waitid fills siginfo_t for exits, stops, continues and kills, and zeroes it when WNOHANG finds nothing', () => {
    const out = caseOutput('waitid.kproc');
    assert.match(out, /^WNOHANG, still running: ret 0, si_signo 0, si_code 0, si_pid 0, si_uid 0, si_status 0\n/m);
    assert.match(out, /^WNOWAIT: ret 0, si_signo 17, si_code CLD_EXITED, si_pid child, si_uid 1000, si_status 42\n/m);
    assert.match(out, /^P_ALL after WNOWAIT: ret 0, si_signo 17, si_code CLD_EXITED, si_pid child/m);
    assert.match(out, /^P_PGID 0, WSTOPPED: .*si_code CLD_STOPPED, si_pid child, si_uid 1000, si_status 19\n/m);
    assert.match(out, /^WCONTINUED: .*si_code CLD_CONTINUED, .*si_status 18\n/m);
    assert.match(out, /^killed: .*si_code CLD_KILLED, .*si_status 15\n/m);
    assert.match(out, /^P_PID 0: ret -1, EINVAL 1\n/m);
  });

  it('alarm rings at its virtual-time deadline: sleep returns what is left, pause fails with EINTR, SIGALRM kills by default', () => {
    const out = caseOutput('alarm.kproc');
    assert.match(out, /^first alarm returns 0\nsleep\(5\) cut short: about 3 s left, handler saw 14\npause: -1, EINTR 1, handler saw 14\n/);
    assert.match(out, /replacing a 10 s alarm: 10 left\nalarm\(0\) cancels the 3 s one: 3 left\nafter sleep\(4\) no alarm rang: 0\n/);
    assert.match(out, /child with the default action: killed by signal 14\nchild: alarms are not inherited: 0\nparent: its own alarm still has 30 s\n$/);
  });

  it('setitimer\'s interval re-arms the timer after each SIGALRM until it is disarmed', () => {
    assert.match(caseOutput('setitimer.kproc'), /after 3 ticks: old interval 100000 us, disarmed now\nticks 3\ngetitimer: 0 s 0 us left\n$/);
  });

  it('an SA_SIGINFO handler sees who sent the signal and why', () => {
    const out = caseOutput('siginfo-handler.kproc');
    assert.match(out, /^child exited: signo 17, si_code CLD_EXITED, si_pid right, si_uid 1000, si_status 7\n/);
    assert.match(out, /child stopped: signo 17, si_code CLD_STOPPED, si_pid right, si_uid 1000, si_status 19\n/);
    assert.match(out, /kill\(getpid\(\), SIGUSR1\): signo 10, si_code SI_USER, si_pid right/);
    assert.match(out, /raise\(SIGUSR1\): signo 10, si_code SI_TKILL, si_pid right/);
  });

  it('sigpending, sigwaitinfo, sigtimedwait, sigwait and sigsuspend', () => {
    assert.equal(caseOutput('sigwait.kproc'), [
      'pending: SIGUSR1 1, SIGUSR2 0', 'sigwaitinfo: 10, si_code SI_USER, si_pid mine 1', 'pending after: SIGUSR1 0',
      'after raise: 12, si_code SI_USER', 'sigtimedwait with nothing sent: -1, EAGAIN 1', 'sigtimedwait, child sends: 10, from the child 1',
      'sigwait: 0, sig 12', 'sigsuspend: -1, EINTR 1, handler ran 12', 'mask restored: SIGUSR2 still blocked 1', '',
    ].join('\n'));
  });

  it('a signal for a group in the middle of dying is dropped, SIGKILL too (prepare_signal)', () => {
    const e = bootSource(`${HEADERS}\nint main(void)\n{\n    pause();\n    return 0;\n}\n`);
    runEngine(e, 2000);
    const t = e.k.find_task_by_vpid(3);
    assert.ok(t && !t.exit_state);
    t.signal.flags = C.SIGNAL_GROUP_EXIT;
    assert.equal(send_signal(e.k, C.SIGKILL, null, t, true), false);
    assert.equal(sigismember(t.signal.shared_pending.signal, C.SIGKILL), false);
    t.signal.flags = 0;
    assert.equal(send_signal(e.k, C.SIGKILL, null, t, true), true);
  });

  it('kill(-1), killpg, tgkill and tkill', () => {
    assert.equal(caseOutput('kill-variants.kproc'), [
      'kill(-1, SIGTERM) = 0', 'first child: killed by 15', 'second child: killed by 15', 'killpg = 0',
      'child in its own group: killed by 10', 'killpg(-5) = -1, EINVAL 1', 'tgkill(me, me, 0) = 0',
      'tgkill to no such thread = -1, ESRCH 1', 'tkill(me, 0) = 0', 'tkill(0) = -1, EINVAL 1', '',
    ].join('\n'));
  });
});

interface Call { name: string; entry: string }

/** Boots main's body and records main's system calls and the kernel function each entered. */
function trace(body: string, prelude = ''): { e: Engine; calls: Call[] } {
  const e = bootSource(`${HEADERS}\n#include <sys/time.h>\n${prelude}\nint main(void)\n{\n${body}\n}\n`);
  const calls: Call[] = [];
  const enter = e.syscall.bind(e);
  e.syscall = (t, name, args) => {
    const depth = t.stack.length;
    enter(t, name, args);
    if (t.pid === 3) calls.push({ name, entry: t.stack.length > depth ? t.stack[depth].fn.name : '' });
  };
  return { e, calls };
}

describe('the C library functions of signals and waiting, and their system calls', () => {
  it('waitid, alarm, setitimer, getitimer, sigpending, sigtimedwait, killpg and syscall(SYS_tkill) enter their kernel paths', () => {
    const { e, calls } = trace(`siginfo_t si;
    sigset_t set;
    struct itimerval it;
    struct timespec ts;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    ts.tv_sec = 0; ts.tv_nsec = 1000;
    waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
    alarm(0);
    getitimer(ITIMER_REAL, &it);
    setitimer(ITIMER_REAL, &it, 0);
    sigpending(&set);
    sigtimedwait(&set, &si, &ts);
    killpg(getpgrp(), 0);
    syscall(SYS_tkill, getpid(), 0);
    return 0;`, '#include <sys/syscall.h>');
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.deepEqual(calls.filter((c) => c.name !== 'getpgrp' && c.name !== 'getpid' && c.name !== 'exit_group').map((c) => `${c.name} ${c.entry}`), [
      'waitid __x64_sys_waitid', 'alarm __x64_sys_alarm', 'getitimer __x64_sys_getitimer', 'setitimer __x64_sys_setitimer',
      'rt_sigpending __x64_sys_rt_sigpending', 'rt_sigtimedwait __x64_sys_rt_sigtimedwait', 'kill __x64_sys_kill', 'tkill __x64_sys_tkill',
    ]);
    assert.equal(outputOf(e), '');
  });

  it('sigwait calls rt_sigtimedwait again after a handler ended it with EINTR', () => {
    const { e, calls } = trace(`sigset_t set, none;
    int sig = 0;
    sigemptyset(&none);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, 0);
    signal(SIGUSR2, on_usr2);
    if (fork() == 0) { usleep(1000); kill(getppid(), SIGUSR2); usleep(1000); kill(getppid(), SIGUSR1); _exit(0); }
    sigwait(&set, &sig);
    printf("sigwait %d after %d\\n", sig, got);
    return 0;`, 'volatile int got;\nvoid on_usr2(int s) { got = s; }');
    assert.equal(runEngine(e, 1_000_000).reason, 'exited');
    // SIGUSR2's handler ends the first rt_sigtimedwait with EINTR; glibc's sigwait calls it again.
    assert.equal(calls.filter((c) => c.name === 'rt_sigtimedwait').length, 2);
    assert.equal(outputOf(e), 'sigwait 10 after 12\n');
  });
});
