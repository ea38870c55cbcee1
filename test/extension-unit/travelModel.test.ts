// Going back from the editor, without VS Code: the status bar's text, the goto requests the Tasks
// view's items and the "Go to Step..." box send, and the manifest entries that show them.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatMoment, formatVirtualTime, groupDigits, parseMomentBody } from '../../sim-core/debug/moment';
import { gotoInput, momentStatus, TRAVEL_ITEMS, travelArgs } from '../../extension/client/travelModel';

const root = path.resolve(__dirname, '../..');

describe('moment text', () => {
  it('groups digits and picks the time unit', () => {
    assert.equal(groupDigits(0), '0');
    assert.equal(groupDigits(999), '999');
    assert.equal(groupDigits(120000), '120,000');
    assert.equal(groupDigits(1234567), '1,234,567');
    assert.equal(formatVirtualTime(850), '850 ns');
    assert.equal(formatVirtualTime(12_500), '12.500 µs');
    assert.equal(formatVirtualTime(1_234_000), '1.234 ms');
    assert.equal(formatVirtualTime(2e9), '2.000 s');
    assert.equal(formatMoment({ step: 120000, time: 1_234_000 }), 'step 120,000 · 1.234 ms');
  });

  it('marks a moment before the frontier as the past, in the text and the tooltip', () => {
    const now = momentStatus({ step: 120000, time: 1_234_000 });
    assert.equal(now.text, '$(history) step 120,000 · 1.234 ms');
    assert.doesNotMatch(now.tooltip, /past/);
    const past = momentStatus({ step: 500, time: 4_000, frontier: { step: 120000, time: 1_234_000 }, travelled: 'back' });
    assert.equal(past.text, '$(history) step 500 · 4.000 µs (past)');
    assert.match(past.tooltip, /as far as step 120,000 · 1\.234 ms/);
    assert.match(past.tooltip, /Output printed after this moment is in the future/);
  });

  it('reads only well-formed event bodies', () => {
    assert.equal(parseMomentBody(undefined), undefined);
    assert.equal(parseMomentBody({ step: '3', time: 1 }), undefined);
    assert.deepEqual(parseMomentBody({ step: 3, time: 1, frontier: { step: 'x' }, travelled: 'sideways' }), { step: 3, time: 1 });
    assert.deepEqual(parseMomentBody({ step: 3, time: 1, frontier: { step: 9, time: 5 }, travelled: 'back' }),
      { step: 3, time: 1, frontier: { step: 9, time: 5 }, travelled: 'back' });
  });
});

describe('goto requests from the editor', () => {
  it('names a task event with its direction, and the signal only when one was picked', () => {
    const item = (command: string) => {
      const t = TRAVEL_ITEMS.find((i) => i.command === command);
      assert.ok(t, command);
      return t;
    };
    assert.deepEqual(travelArgs(item('kproc.goto.back.zombie'), 5), { target: 'zombie 5 back' });
    assert.deepEqual(travelArgs(item('kproc.goto.forward.reparent'), 7), { target: 'reparent 7 forward' });
    assert.deepEqual(travelArgs(item('kproc.goto.back.signal'), 4, 'SIGTERM'), { target: 'signal 4 SIGTERM back' });
    assert.deepEqual(travelArgs(item('kproc.goto.back.signal'), 4, 'any signal'), { target: 'signal 4 back' });
    assert.equal(item('kproc.goto.back.fork').title, 'Run Back to When It Was Forked');
    assert.equal(item('kproc.goto.forward.signal').title, 'Run Forward to When It Was Sent a Signal...');
  });

  it('reads the Go to Step box as a step number or a target', () => {
    assert.deepEqual(gotoInput(' 120,000 '), { step: 120000 });
    assert.deepEqual(gotoInput('1_000'), { step: 1000 });
    assert.deepEqual(gotoInput('zombie 5'), { target: 'zombie 5' });
    assert.deepEqual(gotoInput('-3'), { target: '-3' });
    assert.equal(gotoInput('   '), undefined);
  });

  it('puts every travel item in the task items\' context menu during a kproc session, and not in the palette', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { menus: Record<string, Array<{ command: string; when?: string }>>; commands: Array<{ command: string; title: string }> };
    };
    const menus = pkg.contributes.menus;
    for (const t of TRAVEL_ITEMS) {
      const entry = menus['view/item/context'].find((m) => m.command === t.command);
      assert.ok(entry?.when?.includes('viewItem =~ /^kprocTask/') && entry.when.includes('view == kproc.tasks') && entry.when.includes('debugType == kproc'), t.command);
      assert.equal(menus.commandPalette.find((m) => m.command === t.command)?.when, 'false');
      assert.equal(pkg.contributes.commands.find((c) => c.command === t.command)?.title, t.title);
    }
    assert.equal(menus.commandPalette.find((m) => m.command === 'kproc.gotoStep')?.when, 'debugType == kproc');
  });
});
