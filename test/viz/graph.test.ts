// The process graph: the tree at a moment (parents and states then), its history (first parents
// dashed, reaped tasks faded), escaped labels in Mermaid and DOT, and the checkers themselves
// rejecting what is not well formed.
import { strict as assert } from 'node:assert';
import { mermaidText, processTreeAt, processTreeHistory, toDot, toMermaid } from '../../sim-core/viz/graph';
import { buildTimeline } from '../../sim-core/viz/model';
import { timelineSvg } from '../../sim-core/viz/svg';
import { dotLabelLines, parseDotText, parseMermaid, parseXml, walk } from './check-exports';
import { BOOT, log, ORPHAN } from './orphan-log';


const pidsOf = (lanes: number[], model: ReturnType<typeof buildTimeline>): number[] => lanes.map((i) => model.lanes[i].pid);

describe('process graph', () => {
  const model = buildTimeline(ORPHAN, { now: 9000, nowStep: 80, tasks: BOOT });

  it('the tree at a moment has the parents and states of that moment', () => {
    const before = processTreeAt(model, { time: 4000, step: 35 });
    const edges = (g: typeof before): string[] => g.edges.map((e) => `${model.lanes[e.from].pid}${e.kind === 'thread' ? '~' : '>'}${model.lanes[e.to].pid}`);
    assert.deepEqual(edges(before), ['1>3', '3>4', '4>5', '5~6']);
    assert.deepEqual(before.nodes.map((n) => `${n.pid}:${n.state}`), ['1:alive', '2:alive', '3:alive', '4:alive', '5:alive', '6:alive']);
    const after = processTreeAt(model, { time: 5000, step: 65 });
    assert.deepEqual(edges(after), ['1>3', '3>4', '1>5', '5~6'], 'reparented to init');
    assert.equal(after.nodes.find((n) => n.pid === 4)?.state, 'zombie');
    const end = processTreeAt(model);
    assert.deepEqual(end.nodes.map((n) => n.pid), [1, 2, 3, 5, 6], 'the reaped task is gone');
    assert.equal(end.nodes.find((n) => n.pid === 6)?.thread, true);
    const early = processTreeAt(model, { time: 1000, step: 10 });
    assert.deepEqual(early.nodes.map((n) => n.pid), [1, 2, 3, 4], 'tasks not yet forked are not there');
  });

  it('the history keeps reaped tasks, marked, and the first parent of a reparented task as its own edge', () => {
    const h = processTreeHistory(model);
    assert.equal(h.nodes.find((n) => n.pid === 4)?.state, 'reaped');
    const kinds = h.edges.map((e) => `${model.lanes[e.from].pid}-${model.lanes[e.to].pid}:${e.kind}`);
    assert.deepEqual(kinds, ['1-3:child', '3-4:child', '1-5:child', '4-5:original-parent', '5-6:thread']);
    assert.deepEqual(pidsOf(h.nodes.map((n) => n.lane), model), [1, 2, 3, 4, 5, 6]);
  });

  it('Mermaid: dashed edge for the first parent, faded class for the reaped, threads rounded', () => {
    const text = toMermaid(processTreeHistory(model));
    const m = parseMermaid(text);
    const id = (pid: number): string => `t${model.lanes.findIndex((l) => l.pid === pid)}`;
    assert.deepEqual(m.edges.find((e) => e.kind === 'dotted'), { from: id(4), to: id(5), kind: 'dotted', label: 'parent until reparented' });
    assert.equal(m.classOf.get(id(4)), 'st_reaped');
    assert.match(text, /classDef st_reaped fill:#eeeeee,stroke:#bbbbbb,color:#999999,stroke-dasharray:4 3/);
    assert.equal(m.nodes.get(id(6))?.shape, 'round');
    assert.deepEqual(m.nodes.get(id(2))?.lines, ['2 [kthreadd]', 'alive']);
  });

  it('DOT: dashed grey edge for the first parent, dashed grey node for the reaped', () => {
    const d = parseDotText(toDot(processTreeHistory(model)));
    const id = (pid: number): string => `t${model.lanes.findIndex((l) => l.pid === pid)}`;
    const first = d.edges.find((e) => e.attrs.style === 'dashed');
    assert.deepEqual([first?.from, first?.to], [id(4), id(5)]);
    assert.equal(d.nodes.get(id(4))?.fontcolor, '#999999');
    assert.match(d.nodes.get(id(4))?.style ?? '', /dashed/);
    assert.deepEqual(dotLabelLines(d.nodes.get(id(4))?.label ?? ''), ['4 main', 'reaped']);
  });

  it('escapes names that hold quotes, markup, #, backslashes and control characters, in all three exports', () => {
    const nasty = 'a"b<c>&d#1;e`f\\ng\nh';
    const events = log(
      [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [2, { kind: 'exec', pid: 4, path: `/bin/${nasty}`, comm: nasty }],
    );
    const m = buildTimeline(events, { now: 3000, nowStep: 20, tasks: BOOT });
    const g = processTreeAt(m);
    const shown = nasty.replace('\n', '?');
    const mm = parseMermaid(toMermaid(g));
    assert.equal(mm.nodes.get('t3')?.lines[0], `4 ${shown}`);
    const d = parseDotText(toDot(g));
    assert.equal(dotLabelLines(d.nodes.get('t3')?.label ?? '')[0], `4 ${shown}`);
    const root = parseXml(timelineSvg(m, { title: nasty }));
    const texts = [...walk(root)].filter((e) => e.name === 'text').map((e) => e.text);
    assert.ok(texts.includes(`4 ${shown}`), 'the lane label, unescaped by the XML parser, is the name');
    assert.equal(mermaidText('#quot;'), '#35;quot;', 'a name that looks like an entity code stays itself');
  });

  it('the checkers reject what is not well formed', () => {
    assert.throws(() => parseMermaid('flowchart TD\n  t0["a"b"]\n'), /not in the flowchart grammar/);
    assert.throws(() => parseMermaid('flowchart TD\n  t0["a"]\n  t0 --> t1\n'), /undefined node t1/);
    assert.throws(() => parseMermaid('flowchart TD\n  t0["a"]\n  class t0 st_x\n'), /no classDef/);
    assert.throws(() => parseMermaid('graph LR\n'), /top-down flowchart/);
    assert.throws(() => parseDotText('digraph g { t0 [label="a"b"]; }'));
    assert.throws(() => parseDotText('digraph g { t0 -> ; }'));
    assert.throws(() => parseXml('<svg><text>a & b</text></svg>'));
    assert.throws(() => parseXml('<svg><g></svg>'));
  });
});
