// The two signal tracepoints as real Linux fires them: signal_generate ('signal') when a signal is
// sent, in the sender, and signal_deliver ('signal_deliver') when get_signal() in the receiving
// thread dequeues it (or finds its group dying: SIGKILL). Each event is recorded with the task
// that was running and the kernel function at the top of its stack when it was emitted.
import { strict as assert } from 'node:assert';
import { recordEvents, type Seen } from './event-recorder';
import { runEngine } from './run-engine';
import { bootSource, HEADERS } from './vm-run';
import * as C from '../../sim-core/kernel/consts';
import type { Engine } from '../../sim-core/machine/engine';

/** Runs `main`'s body (after `prelude`) to the end, recording each event with its emitter. */
function trace(prelude: string, body: string): { seen: Seen[]; engine: Engine } {
  const engine = bootSource(`${HEADERS}\n#include <string.h>\n${prelude}\nint main(void)\n{\n${body}\n}\n`);
  const seen = recordEvents(engine);
  const end = runEngine(engine, 2_000_000);
  assert.equal(end.reason, 'exited', `the scenario did not run to its end: ${end.reason}`);
  return { seen, engine };
}

const sent = (s: Seen[], sig: number): Seen[] => s.filter((x) => x.ev.kind === 'signal' && x.ev.sig === sig);
const delivered = (s: Seen[], sig: number): Seen[] => s.filter((x) => x.ev.kind === 'signal_deliver' && x.ev.sig === sig);
const printed = (s: Seen[], text: string): number => s.findIndex((x) => x.ev.kind === 'output' && x.ev.text.includes(text));

const HANDLER = 'void on_usr1(int sig)\n{\n    printf("handled %d\\n", sig);\n}\n';

/** A child that installs on_usr1 (or `disposition`) and pauses; the parent signals it once. */
function childGets(disposition: string, sig: string, childBody = '        pause();\n'): string {
  return `    pid_t child = fork();\n    if (child == 0) {\n        signal(SIGUSR1, ${disposition});\n${childBody}        exit(0);\n    }\n`
    + `    sleep(1);\n    kill(child, ${sig});\n    waitpid(child, NULL, 0);\n    return 0;`;
}

describe('signal delivery: the signal_deliver tracepoint in get_signal', () => {
  it('a handled signal: generated in the sender, then delivered once by get_signal in the receiver, naming the handler', () => {
    const { seen } = trace(HANDLER, childGets('on_usr1', 'SIGUSR1'));
    const gen = sent(seen, C.SIGUSR1);
    const del = delivered(seen, C.SIGUSR1);
    assert.equal(gen.length, 1);
    assert.equal(del.length, 1);
    const g = gen[0].ev, d = del[0].ev;
    assert.ok(g.kind === 'signal' && d.kind === 'signal_deliver');
    assert.equal(gen[0].pid, g.from, 'generated in the sender');
    assert.equal(gen[0].fn, '__x64_sys_kill');
    assert.equal(del[0].pid, g.to, 'delivered in the receiver');
    assert.equal(d.pid, g.to);
    assert.equal(del[0].fn, 'get_signal');
    assert.deepEqual([d.action, d.handler], ['handler', 'on_usr1']);
    assert.ok(seen.indexOf(del[0]) > seen.indexOf(gen[0]), 'delivered after it was generated');
    assert.ok(printed(seen, 'handled 10') > seen.indexOf(del[0]), 'the handler runs after the delivery');
  });

  it('a blocked signal is delivered only once sigprocmask unblocks it', () => {
    const body = '    sigset_t set;\n    sigemptyset(&set);\n    sigaddset(&set, SIGUSR1);\n    sigprocmask(SIG_BLOCK, &set, NULL);\n'
      + '    signal(SIGUSR1, on_usr1);\n    kill(getpid(), SIGUSR1);\n    printf("unblocking\\n");\n'
      + '    sigprocmask(SIG_UNBLOCK, &set, NULL);\n    printf("after\\n");\n    return 0;';
    const { seen } = trace(HANDLER, body);
    const gen = seen.indexOf(sent(seen, C.SIGUSR1)[0]);
    const del = delivered(seen, C.SIGUSR1);
    assert.equal(del.length, 1);
    const at = seen.indexOf(del[0]);
    assert.ok(gen >= 0 && gen < printed(seen, 'unblocking'));
    assert.ok(at > printed(seen, 'unblocking'), 'not delivered while blocked');
    assert.ok(at < printed(seen, 'handled 10') && printed(seen, 'handled 10') < printed(seen, 'after'));
    assert.equal(del[0].fn, 'get_signal');
  });

  it('SIGKILL, and a fatal signal with no handler, are delivered as SIGKILL: the group exit', () => {
    for (const [sig, name] of [[C.SIGKILL, 'SIGKILL'], [C.SIGTERM, 'SIGTERM']] as const) {
      const { seen } = trace('', childGets('SIG_DFL', name));
      const g = sent(seen, sig);
      assert.equal(g.length, 1, name);
      const child = g[0].ev.kind === 'signal' ? g[0].ev.to : -1;
      // complete_signal turned a fatal signal into the group exit; get_signal traces SIGKILL.
      const del = seen.filter((x) => x.ev.kind === 'signal_deliver' && x.ev.pid === child);
      assert.equal(del.length, 1, name);
      const d = del[0].ev;
      assert.ok(d.kind === 'signal_deliver');
      assert.deepEqual([d.sig, d.action, del[0].pid, del[0].fn], [C.SIGKILL, 'terminate', child, 'get_signal'], name);
      const exit = seen.findIndex((x) => x.ev.kind === 'exit' && x.ev.pid === child);
      assert.ok(seen.indexOf(g[0]) < seen.indexOf(del[0]) && seen.indexOf(del[0]) < exit, name);
    }
  });

  it('a signal ignored when it is sent is dropped: generated, never delivered', () => {
    const { seen } = trace('', childGets('SIG_IGN', 'SIGUSR1', '        sleep(2);\n'));
    const g = sent(seen, C.SIGUSR1);
    assert.equal(g.length, 1);
    assert.ok(g[0].ev.kind === 'signal' && g[0].ev.action === 'ignore');
    assert.equal(delivered(seen, C.SIGUSR1).length, 0);
  });

  it('a blocked signal is queued even when ignored, and delivered with the action ignore once unblocked', () => {
    const body = '    sigset_t set;\n    sigemptyset(&set);\n    sigaddset(&set, SIGUSR1);\n    sigprocmask(SIG_BLOCK, &set, NULL);\n'
      + '    signal(SIGUSR1, SIG_IGN);\n    signal(SIGURG, SIG_IGN);\n    kill(getpid(), SIGUSR1);\n    kill(getpid(), SIGURG);\n'
      + '    sigprocmask(SIG_UNBLOCK, &set, NULL);\n    printf("survived\\n");\n    return 0;';
    const { seen } = trace('', body);
    const del = delivered(seen, C.SIGUSR1);
    assert.equal(del.length, 1, 'blocked signals are never ignored at send: it was queued');
    assert.ok(del[0].ev.kind === 'signal_deliver' && del[0].ev.action === 'ignore');
    assert.equal(sent(seen, C.SIGURG).length, 1);
    assert.equal(delivered(seen, C.SIGURG).length, 0, 'SIGURG was not blocked: dropped when sent');
    assert.ok(printed(seen, 'survived') > seen.indexOf(del[0]));
  });

  it('a job-control stop is delivered with the action stop; SIGCONT with SIG_DFL is never queued', () => {
    const body = '    pid_t child = fork();\n    if (child == 0) {\n        for (;;) pause();\n    }\n'
      + '    sleep(1);\n    kill(child, SIGSTOP);\n    waitpid(child, NULL, WUNTRACED);\n    kill(child, SIGCONT);\n'
      + '    waitpid(child, NULL, WCONTINUED);\n    printf("continued\\n");\n    kill(child, SIGKILL);\n    waitpid(child, NULL, 0);\n    return 0;';
    const { seen } = trace('', body);
    const stop = delivered(seen, C.SIGSTOP);
    assert.equal(stop.length, 1);
    assert.ok(stop[0].ev.kind === 'signal_deliver' && stop[0].ev.action === 'stop');
    const cont = sent(seen, C.SIGCONT);
    assert.equal(cont.length, 1);
    assert.ok(cont[0].ev.kind === 'signal' && cont[0].ev.action === 'continue');
    assert.ok(printed(seen, 'continued') > 0, 'the child was continued');
    assert.equal(delivered(seen, C.SIGCONT).length, 0, 'sig_handler_ignored: SIG_DFL SIGCONT is dropped at generation');
  });
});
