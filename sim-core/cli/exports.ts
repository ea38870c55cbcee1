// `kproc run --timeline FILE.svg --graph FILE.mmd|FILE.dot`: records the run's kernel events and,
// once it ends, writes the process timeline as SVG and the process tree's history as Mermaid or
// Graphviz DOT (the format follows the file's extension).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { KEvent, Machine } from '../machine-types';
import { processTreeHistory, toDot, toMermaid } from '../viz/graph';
import { buildTimeline, knownTask, type KnownTask } from '../viz/model';
import { timelineSvg } from '../viz/svg';
import { UsageError, type OptionSpec, type Parsed } from './args';
import type { CliIo } from './io';

export const EXPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'timeline', kind: 'string', value: 'FILE', help: 'write the process timeline to FILE as SVG at the end (lanes of task states, CPU rows, fork/exec/exit/reap marks); traces the scheduler for it' },
  { name: 'graph', kind: 'string', value: 'FILE', help: 'write the process tree\'s history to FILE at the end: Mermaid for FILE.mmd, Graphviz DOT for FILE.dot' },
];

export type GraphFormat = 'mermaid' | 'dot';

export interface ExportRequest {
  timeline?: string;
  graph?: { path: string; format: GraphFormat };
}

const GRAPH_FORMATS: Record<string, GraphFormat> = { '.mmd': 'mermaid', '.mermaid': 'mermaid', '.dot': 'dot', '.gv': 'dot' };

/** The folder a file is to be written in must exist (checked before the run, so a typo costs nothing). */
function writable(command: string, option: string, path: string): void {
  const dir = dirname(path);
  let ok = false;
  try { ok = existsSync(dir) && statSync(dir).isDirectory(); } catch { ok = false; }
  if (!ok) throw new UsageError(`${command}: --${option} ${path}: no such folder '${dir}'`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${command}: --${option} ${path}: is a folder`);
}

/** Reads --timeline and --graph from parsed options; a wrong extension is a usage error naming the ones accepted. */
export function exportRequest(command: string, p: Parsed): ExportRequest {
  const req: ExportRequest = {};
  const timeline = p.strings.get('timeline');
  if (timeline !== undefined) {
    if (extname(timeline).toLowerCase() !== '.svg') throw new UsageError(`${command}: --timeline writes SVG: the file name must end in .svg (got '${timeline}')`);
    writable(command, 'timeline', timeline);
    req.timeline = timeline;
  }
  const graph = p.strings.get('graph');
  if (graph !== undefined) {
    const format = GRAPH_FORMATS[extname(graph).toLowerCase()];
    if (!format) throw new UsageError(`${command}: --graph writes Mermaid (.mmd) or Graphviz DOT (.dot): cannot tell the format of '${graph}'`);
    writable(command, 'graph', graph);
    req.graph = { path: graph, format };
  }
  return req;
}

/** The scheduler's tracepoints, recorded for the timeline but printed only when --trace-sched asks. */
export function isSchedEvent(e: KEvent): boolean {
  return e.kind === 'sched_switch' || e.kind === 'sched_wakeup';
}

/** Collects a run's events for the exports, and the tasks there before it started. */
export class ExportRecorder {
  private readonly events: KEvent[] = [];
  private readonly tasks: KnownTask[];

  constructor(private readonly req: ExportRequest, machine: Machine) {
    this.tasks = machine.tasks().map(knownTask);
  }

  see(e: KEvent): void {
    this.events.push(e);
  }

  /** Writes the requested files; a file that cannot be written is reported on stderr and makes it return false. */
  write(file: string, machine: Machine, io: CliIo): boolean {
    const g = machine.globals();
    const model = buildTimeline(this.events, { now: g.clock, nowStep: g.steps, tasks: this.tasks });
    const outputs: Array<[string, () => string]> = [];
    if (this.req.timeline !== undefined) outputs.push([this.req.timeline, () => timelineSvg(model, { title: basename(file) })]);
    const graph = this.req.graph;
    if (graph) {
      outputs.push([graph.path, () => {
        const tree = processTreeHistory(model);
        return graph.format === 'dot' ? toDot(tree) : toMermaid(tree);
      }]);
    }
    let ok = true;
    for (const [path, text] of outputs) {
      const content = text();
      try {
        writeFileSync(path, content);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        io.err(`kproc run: cannot write ${path}: ${code ?? (e instanceof Error ? e.message : String(e))}\n`);
        ok = false;
      }
    }
    return ok;
  }
}

export function exportRecorder(req: ExportRequest, machine: Machine): ExportRecorder | null {
  return req.timeline === undefined && req.graph === undefined ? null : new ExportRecorder(req, machine);
}
