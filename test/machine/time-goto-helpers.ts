// The reference a goto to a virtual time is checked against: a fresh machine ticked straight from
// its boot to the first tick boundary whose clock is at or past the time, and what the debugger
// sees of a machine at a moment, as plain data.
import { boot, KMachine } from '../../sim-core/machine';
import type { BootOptions, KEvent, Machine, Stop } from '../../sim-core/machine-types';

/**
 * Everything the debugger can see at a moment (tasks, top frames with their variables, globals,
 * output, dmesg), as plain data. Kernel addresses come from one counter shared by every machine
 * of the process: to compare two machines, `renameKaddrs` names them in order of first mention
 * (a replay of the same machine keeps its very addresses, so it compares them as they are).
 */
export function captureMoment(m: Machine, opts: { renameKaddrs?: boolean; kids?: boolean } = { renameKaddrs: true }): string {
  const tasks = m.tasks();
  const frames = tasks.map((t) => {
    let stack;
    try { stack = m.stack(t.pid); } catch { return { pid: t.pid, stack: null }; }
    const top = stack.slice(0, 2).map((f) => ({
      name: f.name, kind: f.kind, file: f.file, line: f.line, locals: f.locals,
      scopes: m.scopes(f.id).map((s) => ({
        name: s.name,
        vars: s.ref ? m.variables(s.ref).map((v) => (opts.kids ? { name: v.name, value: v.value, type: v.type, kids: v.ref !== 0 } : { name: v.name, value: v.value, type: v.type })) : [],
      })),
    }));
    return { pid: t.pid, depth: stack.length, top };
  });
  const text = JSON.stringify({ moment: m.moment(), tasks, frames, globals: m.globals(), output: m.output(), dmesg: m.dmesg() });
  if (!opts.renameKaddrs) return text;
  const names = new Map<string, string>();
  return text.replace(/0xffff8880[0-9a-f]{8}/g, (a) => {
    let n = names.get(a);
    if (n === undefined) { n = `<kaddr ${names.size}>`; names.set(a, n); }
    return n;
  });
}

/** Runs to the next stop that is not a yield (or one slice of `budget` steps), gathering its events. */
export function drive(m: Machine, log: KEvent[], budget?: number): Stop {
  for (;;) {
    const s = m.run(budget);
    log.push(...s.events);
    if (s.reason !== 'yield' || budget !== undefined) return s;
  }
}

/** A straight run to a time: the machine there, the clock at the tick boundary before it, and whether the run ended first. */
export interface StraightRun {
  machine: Machine;
  /** The clock at the previous tick boundary (-Infinity when the run stands at its boot). */
  before: number;
  ended: boolean;
}

/**
 * Boots `opts` with no history and ticks its engine one whole tick at a time, from the boot,
 * until the clock is at or past `time` (or no user task is left, or `maxTicks` ticks ran).
 */
export function straightToTime(opts: BootOptions, time: number, maxTicks = 2_000_000): StraightRun {
  const { machine, diagnostics } = boot({ ...opts, historyBytes: 0, stopOnEntry: false });
  if (!(machine instanceof KMachine)) throw new Error(`boot failed: ${diagnostics.map((d) => d.message).join('; ')}`);
  const e = machine.engine;
  let before = -Infinity;
  for (let n = 0; e.k.clock < time && !e.finished() && e.k.panicked === null; n++) {
    if (n >= maxTicks) throw new Error(`no tick reached ${time} ns in ${maxTicks} ticks`);
    before = e.k.clock;
    e.tick();
  }
  return { machine, before, ended: e.k.clock < time };
}

/** The clocks at each tick boundary of a straight run of `opts` from its boot to its end (at most maxTicks). */
export function tickClocks(opts: BootOptions, maxTicks = 2_000_000): number[] {
  const { machine } = boot({ ...opts, historyBytes: 0, stopOnEntry: false });
  if (!(machine instanceof KMachine)) throw new Error('boot failed');
  const e = machine.engine;
  const out = [e.k.clock];
  for (let n = 0; n < maxTicks && !e.finished() && e.k.panicked === null; n++) {
    e.tick();
    out.push(e.k.clock);
  }
  return out;
}
