// The one definition of the 'kproc' launch options and of the extension's settings: the typed
// interface the client reads, and the JSON schema that package.json must contain (a unit test
// compares them, so a field cannot be added on one side only).

import type { FairPolicySetting, Granularity, MachineSettings } from '../../sim-core/machine-types';

/** Machine settings a scenario runs with (also settable with `#pragma kproc` in the file). */
export type KprocMachineSettings = MachineSettings;

/** The attributes of a 'kproc' launch configuration. */
export interface KprocLaunchArguments extends KprocMachineSettings {
  type: 'kproc';
  request: 'launch';
  name: string;
  program: string;
  stopOnEntry?: boolean;
  args?: KprocMachineSettings;
  stepGranularity?: Granularity;
  maxSteps?: number;
  trace?: boolean;
  noDebug?: boolean;
  stdin?: string;
  history?: number;
  sched?: FairPolicySetting;
}

/** A JSON schema subset: what launch.json IntelliSense and the settings editor understand. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  enum?: unknown[];
  enumDescriptions?: string[];
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  required?: string[];
  scope?: string;
}

const settingsProperties: Record<keyof KprocMachineSettings, JsonSchema> = {
  pidMax: {
    type: 'integer', minimum: 301, maximum: 4194304, default: 32768,
    description: 'Value of /proc/sys/kernel/pid_max: the largest pid alloc_pid hands out before wrapping (fork fails with EAGAIN when no pid is free).',
  },
  cpus: {
    type: 'integer', minimum: 1, maximum: 64, default: 1,
    description: 'Number of simulated CPUs, each with its own CFS run queue.',
  },
  nproc: {
    type: 'integer', minimum: 1, default: 4096,
    description: 'RLIMIT_NPROC of the scenario\'s user: copy_process fails with EAGAIN beyond this many tasks.',
  },
  uid: {
    type: 'integer', minimum: 0, default: 1000,
    description: 'The scenario user\'s uid. 0 makes it root, which RLIMIT_NPROC does not limit.',
  },
  seed: {
    type: 'integer', minimum: 0, default: 1,
    description: 'Seed for the choices the kernel leaves open (which runnable task wakes first when ties occur). The same seed gives the same run.',
  },
};

/** `configurationAttributes.launch` of the 'kproc' debugger in package.json. */
export const launchAttributes: JsonSchema = {
  required: ['program'],
  properties: {
    program: {
      type: 'string', default: '${file}',
      description: 'Absolute path of the .kproc scenario to run.',
    },
    stopOnEntry: {
      type: 'boolean', default: true,
      description: 'Stop at the first statement of init\'s main before anything runs.',
    },
    args: {
      type: 'object', default: {}, additionalProperties: false,
      description: 'Machine settings for this run; they override the extension settings and the scenario\'s #pragma kproc lines.',
      properties: settingsProperties,
    },
    ...settingsProperties,
    stepGranularity: {
      type: 'string', enum: ['statement', 'kernel'], default: 'statement',
      enumDescriptions: [
        'Step over, into and out of scenario statements; system calls run as one step.',
        'Step into system calls and through the kernel functions they reach (kernel_clone, copy_process, do_exit...).',
      ],
      description: 'How far "Step Into" goes.',
    },
    maxSteps: {
      type: 'integer', minimum: 1, default: 1000000,
      description: 'Step budget: a runaway scenario stops with a named reason when it is used up.',
    },
    trace: {
      type: 'boolean', default: false,
      description: 'Log every Debug Adapter Protocol message to the Debug Console.',
    },
    history: {
      type: 'integer', minimum: 0, maximum: 1048576, default: 256,
      description: 'Memory for the run\'s history, in MiB, that Step Back, Reverse Continue and "Go to" use (0: the run cannot go back). Old checkpoints are thinned to stay within it: going far back then costs more re-execution, but every moment stays reachable.',
    },
    stdin: {
      type: 'string', default: '${workspaceFolder}/input.txt',
      description: 'Path of a file whose text is the scenario\'s standard input (its terminal); reads then see end of file. A relative path is taken from the scenario\'s folder. Without it the terminal is interactive: a task reading it stops the run, and a line typed in the Debug Console is sent to it (^D alone ends the input).',
    },
    sched: {
      type: 'string', enum: ['eevdf', 'cfs'], default: 'eevdf',
      enumDescriptions: [
        'EEVDF, the fair class of Linux 6.6 and later: virtual deadlines, lag and eligibility (pick_eevdf).',
        'CFS, the fair class of Linux 2.6.23 to 6.5: the smallest vruntime runs (__pick_first_entity, check_preempt_tick).',
      ],
      description: 'The fair scheduling class; overrides the scenario\'s #pragma kproc sched.',
    },
  },
};

/** The launch configuration F5 uses when there is no launch.json, and the one it writes. */
export function defaultLaunchConfig(program = '${file}'): KprocLaunchArguments {
  return { type: 'kproc', request: 'launch', name: 'Debug scenario', program, stopOnEntry: true };
}

/**
 * What F5 starts when there is no launch.json: only the program, so that every other option
 * comes from the settings (kproc.stopOnEntry, kproc.stepIntoKernel...).
 */
export function noLaunchJsonConfig(program: string): Partial<KprocLaunchArguments> {
  return { type: 'kproc', request: 'launch', name: 'Debug scenario', program };
}

/** Settings under the `kproc.` prefix, as contributed in package.json. */
export interface KprocSettings {
  stepIntoKernel: boolean;
  pidMax: number;
  cpus: number;
  nproc: number;
  seed: number;
  stopOnEntry: boolean;
  debugAdapter: 'inline' | 'process';
}

export const settingsSchema: Record<`kproc.${keyof KprocSettings}`, JsonSchema> = {
  'kproc.stepIntoKernel': {
    type: 'boolean', default: false, scope: 'resource',
    description: 'Step Into enters system calls and kernel functions (stepGranularity "kernel") when a launch configuration does not say otherwise.',
  },
  'kproc.pidMax': { ...settingsProperties.pidMax, scope: 'resource' },
  'kproc.cpus': { ...settingsProperties.cpus, scope: 'resource' },
  'kproc.nproc': { ...settingsProperties.nproc, scope: 'resource' },
  'kproc.seed': { ...settingsProperties.seed, scope: 'resource' },
  'kproc.stopOnEntry': {
    type: 'boolean', default: true, scope: 'resource',
    description: 'Stop at the first statement when debugging without a launch.json.',
  },
  'kproc.debugAdapter': {
    type: 'string', enum: ['inline', 'process'], default: 'inline', scope: 'window',
    enumDescriptions: [
      'Run the debug adapter inside the extension host: nothing to start, quickest.',
      'Run the debug adapter as its own Node process speaking DAP over stdio (dist/adapter.js).',
    ],
    description: 'Where the kproc debug adapter runs.',
  },
};

/**
 * Fills what a launch configuration leaves out from the settings, so F5 with no launch.json and a
 * hand-written launch.json behave alike. Explicit values always win.
 */
export function resolveLaunchConfig(
  config: Partial<KprocLaunchArguments>, settings: KprocSettings, activeFile: string | undefined,
): KprocLaunchArguments | undefined {
  const program = config.program ?? activeFile;
  if (!program) return undefined;
  const args: KprocMachineSettings = {
    pidMax: config.pidMax ?? settings.pidMax,
    cpus: config.cpus ?? settings.cpus,
    nproc: config.nproc ?? settings.nproc,
    seed: config.seed ?? settings.seed,
    ...config.args,
  };
  return {
    ...config,
    type: 'kproc',
    request: 'launch',
    name: config.name ?? 'Debug scenario',
    program,
    stopOnEntry: config.stopOnEntry ?? (config.noDebug ? false : settings.stopOnEntry),
    stepGranularity: config.stepGranularity ?? (settings.stepIntoKernel ? 'kernel' : 'statement'),
    args,
    ...args,
  };
}
