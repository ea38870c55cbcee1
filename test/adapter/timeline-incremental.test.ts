// The adapter's timeline as the log grows: real runs of the examples, stopped in random chunks
// (and sent back in time, and restarted), give at every stop the model buildTimeline makes from
// every event at once, and the versioned deltas, applied by a client that holds the last answer,
// give that model too.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { boot } from '../../sim-core/machine';
import type { KEvent, Machine } from '../../sim-core/machine-types';
import { buildTimeline, knownTask, type KnownTask, type TimelineModel } from '../../sim-core/viz/model';
import { TimelineLog, type TimelineAnswer } from '../../extension/adapter/timeline';
import { applyTimelineDelta } from '../../extension/client/timelineDelta';
import { runMachine } from '../viz/run-machine';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = ['fork-wait.kproc', 'exec-multithreaded.kproc', 'orphan.kproc', 'stop-continue.kproc', 'leader-exits-first.kproc', 'subreaper.kproc', 'mini-shell.kproc'];

/**
 * One thing done between two stops: run some steps, go back to an earlier step, send a signal
 * from outside (after going back, it forgets the future seen), restart, or the client losing its
 * copy (a reloaded page).
 */
type Action = { run: number } | { back: number } | { signal: number; sig: number } | { restart: true } | { lose: true };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 400 }).map((run) => ({ run })) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((back) => ({ back })) },
  { weight: 2, arbitrary: fc.record({ signal: fc.double({ min: 0, max: 1, noNaN: true }), sig: fc.constantFrom(9, 15, 19, 18) }) },
  { weight: 1, arbitrary: fc.constant({ restart: true as const }) },
  { weight: 1, arbitrary: fc.constant({ lose: true as const }) },
);

/** A session's record of a machine: what the adapter keeps, and the events it saw for checking. */
class Session {
  machine!: Machine;
  tasks: KnownTask[] = [];
  events: KEvent[] = [];
  /** Every event the stops handed out, output too (what history().events counts). */
  handed: KEvent[] = [];
  readonly log = new TimelineLog();
  /** The client's copy of the last versioned answer (JSON both ways, as over DAP). */
  held: { version: number; model: TimelineModel } | undefined;
  /** Signals sent behind the furthest moment (each cut the future). */
  cuts = 0;

  constructor(private readonly file: string) { this.start(); }

  start(): void {
    const { machine, diagnostics } = boot({ file: this.file, source: fs.readFileSync(this.file, 'utf8'), traceSched: true, stdin: '' });
    if (!machine) throw new Error(`${this.file}: ${diagnostics.map((d) => d.message).join('; ')}`);
    this.machine = machine;
    this.tasks = machine.tasks().map(knownTask);
    this.events = [];
    this.handed = [];
    this.log.reset(machine);
  }

  /** Does `before` (a travel), then runs up to `budget` steps to a stop, recording its events. */
  stop(before: () => void, budget = 100_000): void {
    before();
    const s = this.machine.run(budget);
    if (s.reason === 'input') this.machine.input(null);
    this.log.record(s.events);
    for (const e of s.events) this.handed.push(e);
    this.events = this.handed.filter((e) => e.kind !== 'output' && e.kind !== 'printk' && e.kind !== 'log');
    const h = this.machine.history(), now = this.machine.moment();
    if (h.frontier.step === now.step && h.frontier.time === now.time) assert.equal(h.events, this.handed.length, 'at the furthest moment, every event emitted was handed out');
  }

  /** A signal from outside, as the adapter sends one from the views: the record cut where the machine cuts its future. */
  signal(at: number, sig: number): void {
    const m = this.machine;
    const live = m.tasks().filter((t) => t.pid > 2 && t.state !== 'Z');
    if (!live.length) return;
    const upTo = m.history().events ?? NaN;
    const cut = this.log.beforeChange(m);
    if (m.sendSignal(live[Math.floor(at * live.length) % live.length].pid, sig) !== 0) return;
    cut();
    if (upTo < this.handed.length) { this.handed.length = upTo; this.cuts++; }
  }

  /** The log's model, its versioned answer applied to the client's copy, and buildTimeline's, all alike. */
  check(what: string): void {
    const now = this.machine.moment();
    const expected = buildTimeline(this.events, { now: now.time, nowStep: now.step, tasks: this.tasks, sched: true });
    assert.deepEqual(this.log.model(this.machine), expected, `${what}: the model`);
    const a = JSON.parse(JSON.stringify(this.log.answer(this.machine, this.held?.version))) as TimelineAnswer;
    if ('delta' in a) {
      assert.ok(this.held && a.base === this.held.version, `${what}: a delta from the version held`);
      applyTimelineDelta(this.held.model, a.delta);
      this.held.version = a.version;
    } else {
      this.held = { version: a.version, model: a.model };
    }
    assert.deepEqual(this.held.model, JSON.parse(JSON.stringify(expected)), `${what}: the client's copy`);
  }
}

describe('TimelineLog as the run grows (property)', function () {
  this.timeout(240_000);

  for (const name of EXAMPLES) {
    it(`${name}: at every stop, in random chunks, back in time and restarted, the model is buildTimeline's of every event`, () => {
      const file = path.join(ROOT, 'examples', name);
      let deltas = 0, cuts = 0;
      fc.assert(fc.property(fc.array(action, { minLength: 1, maxLength: 30 }), (actions) => {
        const s = new Session(file);
        s.stop(() => undefined, 200);
        s.check('the first stop');
        actions.forEach((a, i) => {
          if ('lose' in a) { s.held = undefined; return; }
          if ('restart' in a) s.start();
          if ('signal' in a) s.signal(a.signal, a.sig);
          const m = s.machine;
          s.stop(() => {
            if ('back' in a) m.goto({ kind: 'step', step: Math.floor(m.moment().step * a.back) });
          }, 'run' in a ? a.run : 100_000);
          const before = s.held?.version;
          s.check(`after ${JSON.stringify(actions.slice(0, i + 1))}`);
          if (before !== undefined && s.held && s.held.version !== before) deltas++;
        });
        cuts += s.cuts;
      }), { numRuns: 20, seed: 18 });
      assert.ok(deltas > 0, 'some answers were deltas');
      assert.ok(cuts > 0, 'some signals were sent after going back');
    });
  }

  it('every example\'s whole log cut anywhere (between events of one instant too) gives buildTimeline\'s model and deltas', () => {
    for (const name of fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.kproc')).sort()) {
      const run = runMachine(path.join(ROOT, 'examples', name), true);
      const kept = run.events.filter((e) => e.kind !== 'output' && e.kind !== 'printk' && e.kind !== 'log');
      const n = run.events.length;
      fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (cuts, wait) => {
        const at = { step: 0, time: 0 };
        const machine = { moment: () => ({ ...at }), tasks: () => run.tasks } as unknown as Machine;
        const log = new TimelineLog();
        log.reset(machine);
        let held: { version: number; model: TimelineModel } | undefined;
        let from = 0, seen = 0;
        for (const cut of [...cuts.sort((x, y) => x - y), n]) {
          const chunk = run.events.slice(from, cut);
          from = cut;
          log.record(chunk);
          seen += chunk.filter((e) => e.kind !== 'output' && e.kind !== 'printk' && e.kind !== 'log').length;
          const last = run.events[cut - 1];
          if (last) { at.step = last.step; at.time = last.time + wait * 1000; }
          const expected = buildTimeline(kept.slice(0, seen), { now: at.time, nowStep: at.step, tasks: run.tasks, sched: true });
          assert.deepEqual(log.model(machine), expected, `${name} cut at ${cut}`);
          const a = JSON.parse(JSON.stringify(log.answer(machine, held?.version))) as TimelineAnswer;
          if ('delta' in a) { assert.ok(held); applyTimelineDelta(held.model, a.delta); held.version = a.version; }
          else held = { version: a.version, model: a.model };
          assert.deepEqual(held.model, JSON.parse(JSON.stringify(expected)), `${name} cut at ${cut}: the client's copy`);
        }
      }), { numRuns: 6, seed: 18 });
    }
  });

  it('a client holding an older version, or another log\'s, gets the whole model', () => {
    const s = new Session(path.join(ROOT, 'examples', 'fork-wait.kproc'));
    s.stop(() => undefined, 500);
    const first = s.log.answer(s.machine);
    assert.ok('model' in first);
    s.stop(() => undefined, 500);
    const second = s.log.answer(s.machine, first.version);
    s.stop(() => undefined, 500);
    assert.ok('model' in s.log.answer(s.machine, first.version), 'an older version than the last');
    const other = new Session(path.join(ROOT, 'examples', 'fork-wait.kproc'));
    other.stop(() => undefined);
    assert.ok('model' in other.log.answer(other.machine, second.version), 'a version of another log');
  });
});
