// Every kind of breakpoint the session keeps: line (scenario and kernel sources), function,
// kernel-event filters, data watches and logpoints (the machine prints those itself). The book
// remembers the requests so that a restart can set them again on the new machine.

import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { isEventFilterId } from '../../sim-core/debug/events';
import { hitConditionMet } from '../../sim-core/machine/breakpoints';
import { dataId, parseDataId, type KernelFunctionEntry } from '../../sim-core/debug/protocol';
import type { BreakpointResult, EventFilterId, Machine } from '../../sim-core/machine-types';
import type { KernelFiles } from './kernelFiles';
import { checkItems } from './validate';

type LineConv = (line: number) => number;

/** A kernel function with its definition, as the KERNEL_FUNCTIONS_REQUEST answers it. */
export type KernelFunctionInfo = KernelFunctionEntry;

export class BreakpointBook {
  private m?: Machine;
  private kfiles?: KernelFiles;
  private noDebug = false;
  private readonly lineReqs = new Map<string, DebugProtocol.SetBreakpointsArguments>();
  private fnReq?: DebugProtocol.SetFunctionBreakpointsArguments;
  private filterReq?: DebugProtocol.SetExceptionBreakpointsArguments;
  private dataReq?: DebugProtocol.SetDataBreakpointsArguments;
  private watched = new Set<string>();
  private fnList?: KernelFunctionInfo[];

  attach(m: Machine, kfiles: KernelFiles, noDebug: boolean): void {
    this.m = m;
    this.kfiles = kfiles;
    this.noDebug = noDebug;
    this.fnList = undefined;
    this.watched.clear();
  }

  /** Sets every remembered request again, on a freshly booted machine. */
  reapply(toMachine: LineConv, toClient: LineConv): void {
    for (const req of this.lineReqs.values()) this.setLines(req, toMachine, toClient);
    if (this.fnReq) this.setFunctions(this.fnReq, toClient);
    if (this.filterReq) this.setFilters(this.filterReq);
    if (this.dataReq) this.setData(this.dataReq);
  }

  private machine(): Machine {
    if (!this.m) throw new Error('No scenario is running: send launch first.');
    return this.m;
  }

  /** The machine's name for a client path: the scenario file or a displayed kernel source. */
  private target(p: string): string | undefined {
    const m = this.machine();
    if (path.resolve(p) === path.resolve(m.file)) return m.file;
    return this.kfiles?.relative(p);
  }

  setLines(args: DebugProtocol.SetBreakpointsArguments, toMachine: LineConv, toClient: LineConv): DebugProtocol.Breakpoint[] {
    const m = this.machine();
    const bps: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const bad = checkItems(bps, 'breakpoints', { line: 'integer', column: 'integer?', condition: 'string?', hitCondition: 'string?', logMessage: 'string?' });
    if (bad) throw new Error(`'setBreakpoints': ${bad}`);
    const p = args.source.path;
    const unverified = (message: string): DebugProtocol.Breakpoint[] => bps.map((b) => ({ verified: false, line: b.line, message }));
    if (typeof p !== 'string' || !p) return unverified('Only breakpoints in files are supported (the scenario or a displayed kernel source).');
    this.lineReqs.set(path.resolve(p), { ...args, breakpoints: bps.map((b) => ({ ...b })) });
    if (this.noDebug) return unverified('Breakpoints are ignored when the scenario runs without debugging.');
    const file = this.target(p);
    if (!file) return unverified(`${path.basename(p)} is neither this scenario (${path.basename(m.file)}) nor one of the displayed kernel sources.`);
    return withHitConditions(bps, (ok) => m.setLineBreakpoints(file, ok.map((b) => ({
      line: toMachine(b.line), condition: b.condition || undefined, hitCondition: b.hitCondition || undefined, logMessage: b.logMessage || undefined,
    }))), (r, b) => toDap(r, toClient, args.source, b.line), (b, message) => ({ verified: false, line: b.line, source: args.source, message }));
  }

  setFunctions(args: DebugProtocol.SetFunctionBreakpointsArguments, toClient: LineConv): DebugProtocol.Breakpoint[] {
    const m = this.machine();
    const bad = checkItems(args.breakpoints, 'breakpoints', { name: 'string', condition: 'string?', hitCondition: 'string?' });
    if (bad) throw new Error(`'setFunctionBreakpoints': ${bad}`);
    this.fnReq = { breakpoints: args.breakpoints.map((b) => ({ ...b })) };
    if (this.noDebug) return args.breakpoints.map(() => ({ verified: false, message: 'Breakpoints are ignored when the scenario runs without debugging.' }));
    const fns = new Map(this.kernelFunctionList().map((f) => [f.name, f]));
    return withHitConditions(args.breakpoints, (ok) => m.setFunctionBreakpoints(ok.map((b) => ({
      name: b.name.trim(), condition: b.condition || undefined, hitCondition: b.hitCondition || undefined,
    }))), (r, b) => {
      const bp = toDap(r, toClient);
      const kf = fns.get(b.name.trim());
      if (kf && r.verified && this.kfiles) {
        bp.source = this.kfiles.source(kf.file);
        bp.line ??= kf.line;
      }
      return bp;
    }, (_b, message) => ({ verified: false, message }));
  }

  setFilters(args: DebugProtocol.SetExceptionBreakpointsArguments): DebugProtocol.Breakpoint[] {
    const m = this.machine();
    const ids = args.filters.map(String);
    this.filterReq = { filters: ids };
    const valid = ids.filter(isEventFilterId) as EventFilterId[];
    if (!this.noDebug) m.setEventFilters(valid);
    return ids.map((f) => (isEventFilterId(f) ? { verified: !this.noDebug } : { verified: false, message: `Unknown kernel event filter '${f}'.` }));
  }

  setData(args: DebugProtocol.SetDataBreakpointsArguments): DebugProtocol.Breakpoint[] {
    const m = this.machine();
    const bad = checkItems(args.breakpoints, 'breakpoints', { dataId: 'string', accessType: 'string?', condition: 'string?', hitCondition: 'string?' });
    if (bad) throw new Error(`'setDataBreakpoints': ${bad}`);
    this.dataReq = { breakpoints: args.breakpoints.map((b) => ({ ...b })) };
    const parsed = args.breakpoints.map((b) => parseDataId(b.dataId));
    const watches = parsed.filter((x) => x !== undefined);
    const results = this.noDebug ? [] : m.setDataWatches(watches);
    this.watched = new Set();
    let j = 0;
    return parsed.map((x, i) => {
      if (!x) return { verified: false, message: `Unknown data breakpoint '${args.breakpoints[i].dataId}'.` };
      const r = results[j++];
      if (!r) return { verified: false, message: 'Breakpoints are ignored when the scenario runs without debugging.' };
      if (r.verified) this.watched.add(dataId(x.pid, x.field));
      return toDap(r, (l) => l + 1);
    });
  }

  watchedKeys(): ReadonlySet<string> {
    return this.watched;
  }

  /** Every modelled kernel function with the line of its definition in the displayed source. */
  kernelFunctionList(): KernelFunctionInfo[] {
    this.fnList ??= this.machine().kernelFunctionLocations().map((f) => ({ name: f.name, file: f.file, line: f.line + 1 }));
    return this.fnList;
  }
}

/**
 * Sets the breakpoints whose hit condition is understood and refuses the others, each with its
 * reason, in the order asked (a hit condition the machine cannot read would stop at every hit).
 */
function withHitConditions<T extends { hitCondition?: string }>(
  items: readonly T[], set: (ok: T[]) => BreakpointResult[],
  done: (r: BreakpointResult, item: T) => DebugProtocol.Breakpoint, refused: (item: T, message: string) => DebugProtocol.Breakpoint,
): DebugProtocol.Breakpoint[] {
  const problems = items.map((b) => {
    const met = hitConditionMet(b.hitCondition, 0);
    return typeof met === 'string' ? met.charAt(0).toUpperCase() + met.slice(1) : undefined;
  });
  const results = set(items.filter((_b, i) => problems[i] === undefined));
  let j = 0;
  return items.map((b, i) => {
    const why = problems[i];
    return why === undefined ? done(results[j++], b) : refused(b, why);
  });
}

function toDap(r: BreakpointResult, toClient: LineConv, source?: DebugProtocol.Source, requested?: number): DebugProtocol.Breakpoint {
  const bp: DebugProtocol.Breakpoint = { id: r.id, verified: r.verified };
  if (r.line !== undefined) bp.line = toClient(r.line);
  else if (requested !== undefined) bp.line = requested;
  if (r.message) bp.message = r.message;
  if (source) bp.source = source;
  return bp;
}
