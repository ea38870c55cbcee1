// Going back in the fork example through the vscode API: the status bar's moment at each stop, a
// step then a step back to the fork() line (the child's thread gone), the Tasks view's "Run Back
// to When It Was Forked" and "Go to Step..." with a number.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { KprocExtensionApi } from '../../../extension/client/extension';
import { groupDigits, MOMENT_EVENT, type MomentBody } from '../../../sim-core/debug/moment';
import type { Moment } from '../../../sim-core/machine-types';
import { clearBreakpoints, exampleUri, extensionApi, sessionStarted, storeRow, waitFor } from './helpers';

interface DapThread { id: number; name: string }
interface DapFrame { id: number; name: string; line: number }

/** The moment event of the session's next stop (sent at every stop, unlike the task table). */
function nextMoment(session: vscode.DebugSession, ms = 30_000): Promise<MomentBody> {
  return waitFor('a kproc/moment event', ms, (done) => vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
    if (e.event === MOMENT_EVENT && e.session.id === session.id) done(e.body as MomentBody);
  }));
}

async function threads(session: vscode.DebugSession): Promise<number[]> {
  return ((await session.customRequest('threads')) as { threads: DapThread[] }).threads.map((t) => t.id);
}

async function top(session: vscode.DebugSession, threadId: number): Promise<DapFrame> {
  return ((await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as { stackFrames: DapFrame[] }).stackFrames[0];
}

describe('going back in the fork example', function () {
  this.timeout(90_000);
  let api: KprocExtensionApi;
  let session: vscode.DebugSession;
  let parent = 0;
  let forkLine = 0;

  before(async function () {
    // The scripted adapter of test/extension/mock does not go back.
    if (process.env.KPROC_MOCK_ADAPTER === '1') this.skip();
    api = await extensionApi();
    clearBreakpoints();
  });
  after(async () => {
    clearBreakpoints();
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
  });

  it('shows the stop\'s step in the status bar; a step then a step back returns to the fork() line, before the child', async () => {
    const uri = exampleUri('fork-wait.kproc');
    forkLine = fs.readFileSync(uri.fsPath, 'utf8').split('\n').findIndex((l) => /\bfork\s*\(\s*\)\s*;/.test(l)) + 1;
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(forkLine - 1, 0)))]);
    const started = sessionStarted();
    const ok = await vscode.debug.startDebugging(undefined, {
      type: 'kproc', request: 'launch', name: 'travel', program: uri.fsPath, stopOnEntry: false,
    });
    assert.ok(ok);
    session = await started;
    const atFork = await nextMoment(session);
    const before = await threads(session);
    for (const tid of before) if ((await top(session, tid))?.line === forkLine) parent = tid;
    assert.ok(parent > 0, `a thread stopped at line ${forkLine}`);
    assert.equal(api.moment.moment?.step, atFork.step);
    assert.match(api.moment.text, /^\$\(history\) step [\d,]+ · [\d.]+ (ns|µs|ms|s)$/);
    clearBreakpoints();

    let stop = nextMoment(session);
    await session.customRequest('next', { threadId: parent });
    const after = await stop;
    assert.ok(after.step > atFork.step);
    assert.ok((await top(session, parent)).line > forkLine, 'the parent is past fork()');
    const child = (await threads(session)).find((t) => !before.includes(t));
    assert.ok(child, 'fork() made a child thread');

    stop = nextMoment(session);
    await session.customRequest('stepBack', { threadId: parent });
    const back = await stop;
    assert.equal(back.travelled, 'back');
    assert.equal(back.frontier?.step, after.step);
    assert.equal((await top(session, parent)).line, forkLine);
    assert.ok(!(await threads(session)).includes(child), 'the child is gone before the fork');
    assert.match(api.moment.text, / \(past\)$/);
  });

  it('runs forward again, then back to when the child was forked from the Tasks view', async () => {
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('wait_task_zombie')]);
    const stop = nextMoment(session);
    await session.customRequest('continue', { threadId: parent });
    const zombie = await stop;
    const child = await storeRow(api, (r) => r.ppid === parent && r.state === 'Z');
    clearBreakpoints();
    const moved = nextMoment(session);
    const reached = await vscode.commands.executeCommand<Moment | undefined>('kproc.goto.back.fork', { row: child });
    assert.ok(reached && reached.step < zombie.step, `went back: ${JSON.stringify(reached)}`);
    assert.equal((await moved).step, reached.step);
    assert.ok((await threads(session)).includes(child.pid), 'the stop is right after the fork: the child exists');
    assert.match(api.moment.text, / \(past\)$/);
  });

  it('goes to a step number with Go to Step...', async () => {
    const now = api.moment.moment?.step ?? 0;
    const target = Math.floor(now / 2);
    assert.ok(target > 0, `now at step ${now}`);
    const moved = nextMoment(session);
    // Typed as the status bar shows steps, with thousands separators.
    const reached = await vscode.commands.executeCommand<Moment | undefined>('kproc.gotoStep', groupDigits(target));
    assert.equal(reached?.step, target);
    assert.equal((await moved).step, target);
    assert.match(api.moment.text, new RegExp(`step ${groupDigits(target)} · .* \\(past\\)$`));
  });
});
