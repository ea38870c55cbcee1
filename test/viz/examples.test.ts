// The exports of every example, checked by parsing them: each example runs in-process with the
// scheduler traced; its timeline (with and without the sched events) becomes an SVG parsed as XML,
// and its process tree (at the end, its history, and at its middle mark) becomes DOT parsed by a DOT
// parser and Mermaid checked against the flowchart grammar the exporter writes.
import { strict as assert } from 'node:assert';
import { basename } from 'node:path';
import { exampleFiles } from '../fidelity/simulated';
import { processTreeAt, processTreeHistory, toDot, toMermaid, type ProcessGraph } from '../../sim-core/viz/graph';
import { buildTimeline, type TimelineModel } from '../../sim-core/viz/model';
import { timelineSvg } from '../../sim-core/viz/svg';
import { dotLabelLines, parseDotText, parseMermaid, parseXml, walk } from './check-exports';
import { runMachine } from './run-machine';

function checkSvg(model: TimelineModel, name: string): void {
  const svg = timelineSvg(model, { title: name });
  const root = parseXml(svg);
  assert.equal(root.name, 'svg');
  assert.equal(root.attrs.xmlns, 'http://www.w3.org/2000/svg');
  const all = [...walk(root)];
  const texts = all.filter((e) => e.name === 'text').map((e) => e.text);
  const titles = all.filter((e) => e.name === 'title').map((e) => e.text);
  // Every lane has its row, labelled with pid and name.
  for (const l of model.lanes) assert.ok(texts.some((t) => t.startsWith(`${l.pid} `) && t.includes(l.comm)), `${name}: no row for ${l.pid} ${l.comm}`);
  // Every mark kind present has a glyph whose hover text names its kernel function.
  for (const m of model.marks) {
    assert.ok(titles.some((t) => t.startsWith(`${m.kind} of ${m.pid} `) && t.includes(`[${m.fn}]`) || t.includes(`${m.kind} marks in this pixel`)), `${name}: no hover for ${m.kind} of ${m.pid}`);
  }
  if (model.sched) for (let c = 0; c < model.cpuCount; c++) assert.ok(texts.includes(`CPU ${c}`), `${name}: no row for CPU ${c}`);
  assert.ok(texts.some((t) => t.startsWith('fork: ')) && texts.some((t) => t.startsWith('reap: ')), `${name}: no legend`);
}

function checkGraph(g: ProcessGraph, name: string): void {
  const dot = parseDotText(toDot(g));
  const mmd = parseMermaid(toMermaid(g));
  assert.equal(dot.nodes.size, g.nodes.length, `${name}: DOT nodes`);
  assert.equal(mmd.nodes.size, g.nodes.length, `${name}: Mermaid nodes`);
  assert.equal(dot.edges.length, g.edges.length, `${name}: DOT edges`);
  assert.equal(mmd.edges.length, g.edges.length, `${name}: Mermaid edges`);
  for (const n of g.nodes) {
    const id = `t${n.lane}`;
    const head = `${n.pid} ${n.kthread ? `[${n.comm}]` : n.comm}`;
    assert.equal(dotLabelLines(dot.nodes.get(id)?.label ?? '')[0], head, `${name}: DOT label of ${id}`);
    assert.equal(mmd.nodes.get(id)?.lines[0], head, `${name}: Mermaid label of ${id}`);
    assert.equal(mmd.classOf.get(id), `st_${n.state.replace('-', '_')}`, `${name}: Mermaid class of ${id}`);
    if (n.state === 'reaped') assert.match(dot.nodes.get(id)?.style ?? '', /dashed/, `${name}: a reaped task is drawn dashed`);
  }
  g.edges.forEach((e, i) => {
    assert.equal(dot.edges[i].from, `t${e.from}`);
    assert.equal(dot.edges[i].to, `t${e.to}`);
    assert.equal(dot.edges[i].attrs.style === 'dashed', e.kind === 'original-parent');
    assert.equal(mmd.edges[i].kind === 'dotted', e.kind === 'original-parent');
  });
}

describe('timeline and graph exports of every example, parsed', function () {
  this.timeout(300000); // a hang guard: the CPU-bound examples run 100,000s of steps
  for (const file of exampleFiles()) {
    const name = basename(file);
    it(`${name}: SVG is XML with every lane and mark; DOT and Mermaid parse with every task`, () => {
      const run = runMachine(file, true);
      const opts = { now: run.now, nowStep: run.nowStep, tasks: run.tasks };
      const traced = buildTimeline(run.events, opts);
      assert.ok(traced.sched, `${name}: no sched_switch in a traced run`);
      const plain = buildTimeline(run.events.filter((e) => e.kind !== 'sched_switch' && e.kind !== 'sched_wakeup'), opts);
      assert.equal(plain.sched, false);
      assert.equal(plain.lanes.length, traced.lanes.length, `${name}: the sched events add no task`);
      assert.equal(plain.marks.length, traced.marks.length, `${name}: the sched events add no mark`);
      checkSvg(traced, name);
      checkSvg(plain, name);
      const history = processTreeHistory(traced);
      assert.equal(history.nodes.length, traced.lanes.length, `${name}: the history holds every task`);
      const reparented = traced.marks.filter((m) => m.kind === 'reparent' && m.otherLane !== undefined && traced.lanes[m.lane].parentLane !== undefined);
      if (reparented.length) assert.ok(history.edges.some((e) => e.kind === 'original-parent'), `${name}: reparenting shows as a dashed edge`);
      checkGraph(history, name);
      checkGraph(processTreeAt(traced), name);
      const mid = traced.marks[traced.marks.length >> 1];
      if (mid) checkGraph(processTreeAt(traced, { time: mid.time, step: mid.step }), name);
    });
  }
});
