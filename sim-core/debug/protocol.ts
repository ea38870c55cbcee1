// Plain data shared by the machine, the debug adapter and the extension's client: what inspection
// answers (scopes, variables, evaluation results), the task table rows of the 'kproc/tasks' event
// and request, and the data breakpoint ids. No imports: the client loads this module as it is.

/** One value as the Variables pane, a watch, a hover or the debug console shows it. */
export interface DebugVariable {
  name: string;
  value: string;
  type?: string;
  /** A handle for the children (pass it to variables()); 0 when the value has none. */
  ref: number;
  /** True when the value differs from the one shown under the same name at an earlier stop. */
  changed: boolean;
  /** The number of children when they are a list to page through with start/count. */
  indexed?: number;
  /** An expression that evaluates to this value (task_struct fields), for watches. */
  evaluateName?: string;
  /** Set when a data breakpoint can watch the value: the id to set it with. */
  dataId?: string;
}

export interface DebugScope {
  name: string;
  ref: number;
  /** 'locals' for the frame's own variables. */
  hint?: 'locals';
}

/** Where an expression is evaluated for: the debug console also runs commands (lx-ps, bt, ...). */
export type EvalContext = 'repl' | 'watch' | 'hover' | 'condition' | 'logpoint' | 'clipboard' | 'variables';

/** An evaluation: a value, or `error` (and the message as the value) when it could not be evaluated. */
export interface EvalResult extends DebugVariable {
  error?: string;
  /** The error is that the frame asked for belongs to an earlier stop. */
  stale?: true;
}

export interface CompletionItem {
  label: string;
  type: 'function' | 'field' | 'variable' | 'keyword' | 'value';
  detail?: string;
  /** 0-based column where the replaced text begins. */
  start: number;
  length: number;
}

/** What a data breakpoint on a name would watch, or why it cannot be set (dataId null). */
export interface DataTarget {
  dataId: string | null;
  description: string;
}

/** Data breakpoint ids: `task/<pid>/<field>`. */
export function dataId(pid: number, field: string): string {
  return `task/${pid}/${field}`;
}

export function parseDataId(id: string): { pid: number; field: string } | undefined {
  const m = /^task\/(\d+)\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(id);
  return m ? { pid: Number(m[1]), field: m[2] } : undefined;
}

/** One row of the 'kproc/tasks' event and request, as the Tasks, Zombies and Run queue views read it. */
export interface ViewTaskRow {
  pid: number;
  tgid: number;
  /** real_parent's tgid (0 for init and kthreadd). */
  ppid: number;
  comm: string;
  /** As `ps` prints it: R S D T t Z X I. */
  state: string;
  /** Kernel name: TASK_RUNNING, TASK_INTERRUPTIBLE, EXIT_ZOMBIE, TASK_NEW... */
  stateName: string;
  kthread: boolean;
  threadGroupLeader: boolean;
  exitCode?: number;
  exitSignal?: number;
  /** The machine step at which the task became a zombie. */
  zombieSinceStep?: number;
  /** Steps the zombie has waited for its parent's wait. */
  zombieSteps?: number;
  cpu?: number;
  vruntime?: number;
  onRunqueue: boolean;
  /** Its pid inside its own pid namespace, when that is not the initial one. */
  nsPid?: number;
  nice: number;
  /** What the task sleeps on, as ps's WCHAN column: `futex_wait 0x…` with the futex word's user address. */
  wchan?: string;
  /** Scheduling policy (SCHED_OTHER, SCHED_FIFO...), rt_priority, prio and the allowed CPUs. */
  policy?: string;
  rtPriority?: number;
  prio?: number;
  cpusAllowed?: string;
  /** Under EEVDF, while queued: the virtual deadline and whether the entity is eligible. */
  deadline?: number;
  eligible?: boolean;
}

/** The custom event the adapter sends before a stop when the task table changed, and the request's answer. */
export const TASKS_EVENT = 'kproc/tasks';

export interface TasksBody {
  tasks: ViewTaskRow[];
}

/** The custom request for every modelled kernel function, answered with KernelFunctionsBody. */
export const KERNEL_FUNCTIONS_REQUEST = 'kproc/kernelFunctions';

export interface KernelFunctionEntry {
  name: string;
  /** The displayed source that defines it, e.g. 'kernel/fork.c'. */
  file: string;
  /** 1-based, as editors count. */
  line: number;
}

export interface KernelFunctionsBody {
  functions: KernelFunctionEntry[];
}

/** The custom request the views send a signal with (as kill(2) from outside the scenario). */
export const SEND_SIGNAL_REQUEST = 'kproc/sendSignal';

export interface SendSignalArgs {
  pid: number;
  /** A key of SIGNALS_FROM_VIEWS. */
  signal: string;
}

/** The signals the views can send (SEND_SIGNAL_REQUEST), by name. */
export const SIGNALS_FROM_VIEWS: Readonly<Record<string, number>> = { SIGKILL: 9, SIGTERM: 15, SIGCONT: 18, SIGSTOP: 19 };

const SIGNAL_NAMES = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV',
  'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU',
  'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/** A signal's name as the views print it (x86-64 numbering; test/machine checks it against the kernel's). */
export function signalName(sig: number): string {
  return SIGNAL_NAMES[sig] ?? (sig >= 34 && sig <= 64 ? `SIGRTMIN+${sig - 34}` : `signal ${sig}`);
}

/**
 * The custom request for the Process Timeline's model (sim-core/viz/model.ts) of the run up to now;
 * with arguments {deltas: true, since}, a versioned answer: the delta from version `since` when the
 * adapter handed that one out last, else the whole model (extension/adapter/timeline.ts).
 */
export const TIMELINE_REQUEST = 'kproc/timeline';
