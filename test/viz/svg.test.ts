// The timeline SVG: a time axis that cuts long idle stretches, marks with hover text and arrows,
// the current moment, and a bounded element count when the log is large.
import { strict as assert } from 'node:assert';
import type { KEvent } from '../../sim-core/machine-types';
import { buildTimeline } from '../../sim-core/viz/model';
import { timelineSvg } from '../../sim-core/viz/svg';
import { axisBreaks, timeScale } from '../../sim-core/viz/scale';
import { bigLog } from '../../bench/timeline/big-log';
import { parseXml, walk, type XmlElement } from './check-exports';

type Body = KEvent extends infer E ? E extends KEvent ? Omit<E, 'time' | 'step'> : never : never;
function log(...items: Array<[number, Body]>): KEvent[] {
  return items.map(([us, body], i) => ({ ...body, time: us * 1000, step: i + 1 }) as KEvent);
}
const BOOT = [{ pid: 1, tgid: 1, comm: 'init', ppid: 0 }, { pid: 3, tgid: 3, comm: 'main', ppid: 1 }];

/** A child that sleeps a second between microseconds of work, as fork-wait does. */
const SLEEPER = log(
  [4, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
  [1_000_009, { kind: 'exit', pid: 4, code: 7 << 8 }],
  [1_000_009, { kind: 'zombie', pid: 4, parent: 3 }],
  [1_000_010, { kind: 'reap', pid: 4, by: 3, status: 7 << 8 }],
);

const elements = (root: XmlElement, name: string): XmlElement[] => [...walk(root)].filter((e) => e.name === name);
const titles = (root: XmlElement): string[] => elements(root, 'title').map((e) => e.text);

describe('timeline SVG', () => {
  it('cuts a long idle stretch out of the axis and says so', () => {
    const m = buildTimeline(SLEEPER, { now: 1_000_012_000, nowStep: 4, tasks: BOOT });
    const breaks = axisBreaks(m, 1000);
    assert.deepEqual(breaks, [{ from: 4000, to: 1_000_009_000 }]);
    const scale = timeScale(m.start, m.end, 1000, breaks);
    assert.ok(scale.x(4000) > 200, 'the first microseconds get room of their own');
    assert.ok(scale.x(1_000_009_000) - scale.x(4000) <= 16, 'the second of sleep is a narrow band');
    assert.equal(Math.round(scale.t(scale.x(2000))), 2000);
    const root = parseXml(timelineSvg(m));
    assert.ok(titles(root).some((t) => t.startsWith('nothing happens for 1000.005 ms')));
    assert.ok(elements(root, 'text').some((t) => t.text.includes('time axis is cut')));
  });

  it('a linear axis when nothing stands out', () => {
    const m = buildTimeline(log([100, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }], [200, { kind: 'exit', pid: 4, code: 0 }]), { now: 300000, nowStep: 2, tasks: BOOT });
    assert.deepEqual(axisBreaks(m, 1000), []);
    const scale = timeScale(m.start, m.end, 1000, []);
    assert.equal(scale.x(150000), 500);
    assert.ok(scale.ticks().length >= 3);
  });

  it('marks hover with the event and its kernel function; fork and reap have arrows; now is a line', () => {
    const m = buildTimeline(SLEEPER, { now: 1_000_010_000, nowStep: 4, tasks: BOOT });
    const root = parseXml(timelineSvg(m, { title: 'sleeper' }));
    const t = titles(root);
    assert.ok(t.some((x) => x.startsWith('fork of 3 at 0.004 ms (step 1): fork() created child 4') && x.endsWith('[kernel_clone]')), t.join('\n'));
    assert.ok(t.some((x) => x.startsWith('exit of 4 ') && x.includes('exit(7)') && x.endsWith('[do_exit]')));
    assert.ok(t.some((x) => x.startsWith('zombie of 4 ') && x.endsWith('[exit_notify]')));
    assert.ok(t.some((x) => x.startsWith('reap of 4 ') && x.endsWith('[release_task]')));
    assert.ok(t.includes('now: step 4, 1000.01 ms'));
    const arrows = elements(root, 'line').filter((l) => (l.attrs['marker-end'] ?? '').startsWith('url(#arrow-'));
    assert.deepEqual(arrows.map((a) => a.attrs['marker-end']).sort(), ['url(#arrow-fork)', 'url(#arrow-reap)']);
    assert.ok(elements(root, 'text').some((x) => x.text.includes('no sched_switch events')), 'says lanes show lifetimes only');
    assert.equal(elements(root, 'title')[0].text, 'Process timeline of sleeper');
  });

  it('stays bounded for 10,000 tasks: rows shared, rects and marks capped, the rest counted', function () {
    this.timeout(120000); // a hang guard only
    const { events } = bigLog(10_000, 200_000, 4);
    const last = events[events.length - 1];
    const m = buildTimeline(events, { now: last.time, nowStep: last.step });
    const root = parseXml(timelineSvg(m, { maxRows: 200, maxRects: 8000, maxMarks: 3000, maxArrows: 500 }));
    const all = [...walk(root)];
    const rects = all.filter((e) => e.name === 'rect').length;
    // State and CPU rects (with a little slack per row for rounding), row stripes, legend swatches.
    assert.ok(rects <= 8000 + 16 * 204 + 100 + 20, `${rects} rects`);
    const glyphs = all.filter((e) => e.name === 'g' && e.children.length === 2 && e.children[0].name === 'title' && /^(\d+ )?\w+ (of|marks)/.test(e.children[0].text));
    assert.ok(glyphs.length <= 3000, `${glyphs.length} marks drawn`);
    const arrows = all.filter((e) => e.name === 'line' && e.attrs['marker-end']);
    assert.ok(arrows.length <= 500, `${arrows.length} arrows`);
    const texts = all.filter((e) => e.name === 'text').map((e) => e.text);
    assert.ok(texts.includes('10001 tasks: 51 share each row.'), texts.filter((x) => x.includes('share')).join());
    assert.ok(texts.some((x) => /^\d+ more marks not drawn\.$/.test(x)));
    assert.ok(texts.some((x) => /^51 tasks \d+\.\.\d+$/.test(x)), 'a shared row names its pids');
  });
});
