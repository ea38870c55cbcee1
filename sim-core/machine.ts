// The one entry point: boot() parses, checks and compiles a scenario and boots the simulated
// kernel on a KMachine (machine/kmachine.ts), which runs it until a stop and answers inspection.
import { checkInvariants as kernelInvariants } from './kernel/invariants';
import { analyze } from './lang/check';
import type { Diagnostic, Program } from './lang/ast';
import { compile, createMemory, execEntry, VmRegs } from './vm';
import type { BootOptions, BootResult, Machine, MachineSettings, FairPolicySetting } from './machine-types';
import { KMachine } from './machine/kmachine';

export { DEFAULT_MAX_STEPS, KMachine, MachineError } from './machine/kmachine';

/** Settings from `#pragma kproc KEY VALUE`, overridden by the caller's. */
export type Settings = Required<MachineSettings> & { sched: FairPolicySetting };

function settingsOf(program: Program, given: MachineSettings | undefined, sched: FairPolicySetting | undefined): Settings {
  const s: Settings = { pidMax: 32768, cpus: 1, nproc: 4096, uid: 1000, seed: 1, sched: 'eevdf' };
  const keys: Record<string, keyof MachineSettings> = { pid_max: 'pidMax', cpus: 'cpus', nproc: 'nproc', uid: 'uid', seed: 'seed' };
  for (const d of program.directives) {
    if (d.kind !== 'Pragma' || d.args.length !== 1) continue;
    const v = d.args[0].value;
    if (d.key === 'sched' && (v === 'cfs' || v === 'eevdf')) s.sched = v;
    else if (d.key in keys && typeof v === 'number') s[keys[d.key]] = v;
  }
  for (const [k, v] of Object.entries(given ?? {})) if (typeof v === 'number' && Number.isFinite(v)) s[k as keyof MachineSettings] = v;
  if (sched) s.sched = sched;
  return s;
}

function commOf(file: string): string {
  const base = file.replace(/\\/g, '/').slice(file.replace(/\\/g, '/').lastIndexOf('/') + 1);
  return base.replace(/\.[^.]*$/, '').slice(0, 15) || 'main';
}

export const boot = (opts: BootOptions): BootResult => {
  const { program, diagnostics } = analyze(opts.source);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const compiled = compile(program, opts.source);
  const all: Diagnostic[] = [...diagnostics, ...compiled.diagnostics];
  if (compiled.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: all };
  const image = compiled.image;
  const comm = commOf(opts.file);
  let memory, regs;
  if (image.fnIndex.has('main')) {
    const e = execEntry(image, 'main', [`./${comm}`]);
    if (!e) return { diagnostics: [...all, { range: { start: 0, end: 0 }, severity: 'error', message: 'main could not be started', code: 'boot' }] };
    memory = e.memory;
    regs = e.regs;
  } else if (image.moduleInit) {
    memory = createMemory(image);
    regs = new VmRegs(image, 0);
  } else {
    return { diagnostics: [...all, { range: { start: 0, end: 0 }, severity: 'error', message: 'the scenario has neither main() nor module_init()', code: 'boot' }] };
  }
  const machine = new KMachine(opts, image, settingsOf(program, opts.settings, opts.sched));
  const moduleInit = image.fnIndex.has('main') ? undefined : image.moduleInit;
  machine.start({ memory, regs, comm }, moduleInit);
  return moduleInit ? { machine, diagnostics: all, moduleInit } : { machine, diagnostics: all };
};

/** The kernel's invariants for a machine booted here (property tests call this after each step). */
export function checkInvariants(m: Machine): string[] {
  return m instanceof KMachine ? kernelInvariants(m.engine.k) : [];
}

