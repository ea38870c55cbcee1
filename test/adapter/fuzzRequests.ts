// Random and malformed DAP requests, from a seeded generator so a failure can be replayed.

import type { DebugClient } from '@vscode/debugadapter-testsupport';

/** Every request DAP defines or the adapter adds, but disconnect (which ends the adapter), and some it does not know. */
export const COMMANDS = [
  'threads', 'stackTrace', 'scopes', 'variables', 'evaluate', 'completions', 'next', 'stepIn', 'stepOut', 'continue',
  'pause', 'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints', 'setDataBreakpoints',
  'dataBreakpointInfo', 'exceptionInfo', 'source', 'launch', 'initialize', 'configurationDone', 'kproc/tasks',
  'kproc/sendSignal', 'kproc/kernelFunctions', 'kproc/goto', 'setVariable', 'stepBack', 'goto', 'readMemory', 'bogus', '',
  'reverseContinue', 'gotoTargets', 'setExpression', 'restartFrame', 'stepInTargets', 'terminateThreads', 'loadedSources',
  'writeMemory', 'disassemble', 'cancel', 'breakpointLocations', 'setInstructionBreakpoints', 'attach', 'modules',
  'terminate', 'restart', '__proto__', 'constructor', 'toString',
];

export const FIELDS = ['threadId', 'frameId', 'variablesReference', 'expression', 'text', 'column', 'source', 'breakpoints',
  'filters', 'name', 'dataId', 'pid', 'signal', 'program', 'start', 'count', 'levels', 'startFrame', 'context',
  'condition', 'hitCondition', 'uid', 'seed', 'pidMax', 'cpus', 'maxSteps', 'args', 'arguments', 'value', '__proto__',
  'target', 'step', 'granularity', 'history'];

export class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s ^= this.s << 13; this.s >>>= 0;
    this.s ^= this.s >>> 17;
    this.s ^= this.s << 5; this.s >>>= 0;
    return this.s;
  }
  int(n: number): number { return this.next() % n; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
}

function junk(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 1 ? 7 : 9)) {
    case 0: return r.int(10) - 2;
    case 1: return r.int(1 << 30);
    case 2: return r.pick(['', 'x', 'lx-ps', 'lx-goto start', 'zombie 4', 'lx-goto step 3', 'current->pid', '$lx_task_by_pid(', '{', 'SIGKILL', '/no/file', 'p (', '\u0000']);
    case 3: return r.int(2) === 0;
    case 4: return null;
    case 5: return undefined;
    case 6: return -1.5;
    case 7: return Array.from({ length: r.int(4) }, () => junk(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) o[r.pick(FIELDS)] = junk(r, depth + 1);
      return o;
    }
  }
}

/** Sends `n` requests; returns how many were answered with success and with an error. */
export async function fuzz(dc: DebugClient, n: number, seed: number): Promise<{ ok: number; failed: number }> {
  const r = new Rng(seed);
  let ok = 0;
  let failed = 0;
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < n; i++) {
    const cmd = r.pick(COMMANDS);
    const args = r.int(5) === 0 ? junk(r) : Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(FIELDS), junk(r)]));
    pending.push(dc.send(cmd, args).then(() => { ok++; }, () => { failed++; }));
    if (pending.length >= 50) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return { ok, failed };
}
