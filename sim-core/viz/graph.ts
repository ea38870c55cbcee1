// The process graph built from the timeline model: the tree of tasks at a moment (each one's
// parent then, its state then) or its history (reaped tasks kept but faded, the parent a task had
// before reparenting as a dashed edge), and its text forms: Mermaid flowchart and Graphviz DOT.
import { stateAt, type LaneState, type TimelineModel } from './model';
import { REAPED_COLOUR, STATE_COLOUR } from './palette';

export type NodeState = LaneState | 'reaped';

export interface GraphNode {
  /** Index of the task's lane in the model (unique even when a pid was reused). */
  lane: number;
  pid: number;
  tgid: number;
  comm: string;
  /** A thread other than its group's leader: it hangs from the leader. */
  thread: boolean;
  kthread: boolean;
  state: NodeState;
}

export interface GraphEdge {
  /** Lane indexes: parent (or thread group leader) first. */
  from: number;
  to: number;
  /** child: real_parent at the moment; thread: the task is a thread of `from`'s group;
   * original-parent: the parent it had before it was reparented (history only). */
  kind: 'child' | 'thread' | 'original-parent';
}

export interface ProcessGraph {
  time: number;
  step: number;
  /** True for the history (every task born so far, reaped ones too). */
  history: boolean;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface GraphMoment { time: number; step: number }

/** Each process lane's parent lane at the moment: the parent at birth, then each reparenting up to it. */
function parentsAt(model: TimelineModel, at: GraphMoment): Array<number | undefined> {
  const parent = model.lanes.map((l) => l.parentLane);
  for (const m of model.marks) {
    if (m.step > at.step) break;
    if (m.kind === 'reparent' && m.otherLane !== undefined) parent[m.lane] = m.otherLane;
  }
  return parent;
}

function bornBy(model: TimelineModel, i: number, at: GraphMoment): boolean {
  const l = model.lanes[i];
  return l.boot || (l.bornStep !== undefined ? l.bornStep <= at.step : l.born <= at.time);
}

function goneBy(model: TimelineModel, i: number, at: GraphMoment): boolean {
  const l = model.lanes[i];
  if (l.gone === undefined) return false;
  return l.goneStep !== undefined ? l.goneStep <= at.step : l.gone <= at.time;
}

function stateOf(model: TimelineModel, i: number, t: number): LaneState {
  const l = model.lanes[i];
  const s = stateAt(l, t);
  if (s !== undefined) return s;
  // Before its first span (born this very instant) or a lane with no length at all.
  const last = l.spans.length ? l.spans[t < l.spans[0].from ? 0 : l.spans.length - 1].state : undefined;
  return last ?? (model.sched ? 'runnable' : 'alive');
}

function build(model: TimelineModel, at: GraphMoment, history: boolean): ProcessGraph {
  const parents = parentsAt(model, at);
  const shown = new Uint8Array(model.lanes.length);
  const nodes: GraphNode[] = [];
  model.lanes.forEach((l, i) => {
    if (!bornBy(model, i, at)) return;
    const gone = goneBy(model, i, at);
    if (gone && !history) return;
    shown[i] = 1;
    nodes.push({ lane: i, pid: l.pid, tgid: l.tgid, comm: l.comm, thread: l.leaderLane !== i, kthread: l.kthread, state: gone ? 'reaped' : stateOf(model, i, at.time) });
  });
  const edges: GraphEdge[] = [];
  for (const n of nodes) {
    const l = model.lanes[n.lane];
    if (n.thread) {
      if (shown[l.leaderLane]) edges.push({ from: l.leaderLane, to: n.lane, kind: 'thread' });
      continue;
    }
    const p = parents[n.lane];
    if (p !== undefined && shown[p]) edges.push({ from: p, to: n.lane, kind: 'child' });
    if (history && l.parentLane !== undefined && l.parentLane !== p && shown[l.parentLane]) {
      edges.push({ from: l.parentLane, to: n.lane, kind: 'original-parent' });
    }
  }
  return { time: at.time, step: at.step, history, nodes, edges };
}

/** The tree of the tasks that exist at the moment (default: the model's now), with their parents and states then. */
export function processTreeAt(model: TimelineModel, at: GraphMoment = { time: model.now, step: model.nowStep }): ProcessGraph {
  return build(model, at, false);
}

/**
 * Every task born up to the moment (default: now), the reaped ones marked 'reaped'; each process
 * hangs from its parent at that moment and, when it was reparented, from its first parent too.
 */
export function processTreeHistory(model: TimelineModel, at: GraphMoment = { time: model.now, step: model.nowStep }): ProcessGraph {
  return build(model, at, true);
}

/** Virtual nanoseconds as milliseconds, to the nanosecond, without trailing zeros: 1000013000 -> "1000.013". */
export function formatMs(ns: number): string {
  const s = (ns / 1e6).toFixed(6);
  return s.replace(/\.?0+$/, '');
}

const STATE_WORD: Record<NodeState, string> = {
  running: 'running', runnable: 'runnable', sleeping: 'sleeping', 'disk-sleep': 'disk sleep',
  stopped: 'stopped', zombie: 'zombie', alive: 'alive', reaped: 'reaped',
};

function nodeLines(n: GraphNode): string[] {
  const name = n.kthread ? `[${n.comm}]` : n.comm;
  const what = n.thread ? `thread of ${n.tgid}, ${STATE_WORD[n.state]}` : STATE_WORD[n.state];
  return [`${n.pid} ${name}`, what];
}

function title(g: ProcessGraph): string {
  return `${g.history ? 'Process tree history up to' : 'Process tree at'} step ${g.step} (${formatMs(g.time)} ms)`;
}

/** Characters a name may hold that would end a label or be read as markup. */
function clean(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, '?');
}

/** Mermaid quoted-label text: quotes, #, &, <, > and ` as entity codes (#34; ...), which Mermaid decodes. */
export function mermaidText(s: string): string {
  return clean(s).replace(/[#"&<>`]/g, (c) => `#${c.charCodeAt(0)};`);
}

const MERMAID_CLASS: Record<NodeState, string> = {
  running: 'st_running', runnable: 'st_runnable', sleeping: 'st_sleeping', 'disk-sleep': 'st_disk_sleep',
  stopped: 'st_stopped', zombie: 'st_zombie', alive: 'st_alive', reaped: 'st_reaped',
};

function fillOf(state: NodeState): { fill: string; stroke: string; text: string } {
  if (state === 'reaped') return REAPED_COLOUR;
  const dark = state === 'disk-sleep' || state === 'zombie' || state === 'running';
  return { fill: STATE_COLOUR[state], stroke: '#333333', text: dark ? '#ffffff' : '#000000' };
}

/** The graph as a Mermaid flowchart (top-down): processes as boxes, threads rounded, reaped tasks faded. */
export function toMermaid(g: ProcessGraph): string {
  const out: string[] = ['flowchart TD'];
  out.push(`  %% ${mermaidText(title(g))}`);
  const used = new Set<NodeState>();
  for (const n of g.nodes) {
    const label = nodeLines(n).map(mermaidText).join('<br/>');
    out.push(n.thread ? `  t${n.lane}("${label}")` : `  t${n.lane}["${label}"]`);
    used.add(n.state);
  }
  for (const e of g.edges) {
    if (e.kind === 'child') out.push(`  t${e.from} --> t${e.to}`);
    else if (e.kind === 'thread') out.push(`  t${e.from} ---|"thread"| t${e.to}`);
    else out.push(`  t${e.from} -.->|"parent until reparented"| t${e.to}`);
  }
  for (const s of Object.keys(MERMAID_CLASS) as NodeState[]) {
    if (!used.has(s)) continue;
    const c = fillOf(s);
    const dash = s === 'reaped' ? ',stroke-dasharray:4 3' : '';
    out.push(`  classDef ${MERMAID_CLASS[s]} fill:${c.fill},stroke:${c.stroke},color:${c.text}${dash}`);
    const ids = g.nodes.filter((n) => n.state === s).map((n) => `t${n.lane}`);
    out.push(`  class ${ids.join(',')} ${MERMAID_CLASS[s]}`);
  }
  return `${out.join('\n')}\n`;
}

/** A DOT quoted string's contents: backslashes and quotes escaped (so \n and \l stay literal). */
export function dotText(s: string): string {
  return clean(s).replace(/[\\"]/g, (c) => `\\${c}`);
}

/** The graph in Graphviz DOT: processes as boxes, threads as ellipses, dashed edges to first parents, reaped tasks greyed. */
export function toDot(g: ProcessGraph): string {
  const out: string[] = [`digraph "process_tree" {`];
  out.push(`  graph [rankdir=TB, labelloc=t, fontname="monospace", label="${dotText(title(g))}"];`);
  out.push('  node [shape=box, style="rounded,filled", fontname="monospace", fontsize=10];');
  out.push('  edge [color="#555555", fontname="monospace", fontsize=9];');
  for (const n of g.nodes) {
    const c = fillOf(n.state);
    const label = nodeLines(n).map(dotText).join('\\n');
    const shape = n.thread ? ', shape=ellipse' : '';
    const style = n.state === 'reaped' ? ', style="rounded,filled,dashed"' : '';
    out.push(`  t${n.lane} [label="${label}"${shape}${style}, fillcolor="${c.fill}", color="${c.stroke}", fontcolor="${c.text}"];`);
  }
  for (const e of g.edges) {
    if (e.kind === 'child') out.push(`  t${e.from} -> t${e.to};`);
    else if (e.kind === 'thread') out.push(`  t${e.from} -> t${e.to} [style=dotted, arrowhead=none, label="thread"];`);
    else out.push(`  t${e.from} -> t${e.to} [style=dashed, color="#999999", label="parent until reparented"];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
