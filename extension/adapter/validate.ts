// Checks the shape of incoming requests before any handler sees them, so that a malformed request
// gets an error response that says what is wrong instead of a stack trace, and names the requests
// the adapter does not carry out.

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
/** A trailing '?' marks an optional field. */
type Spec = Record<string, `${Kind}` | `${Kind}?`>;

const SETTINGS: Spec = { pidMax: 'integer?', cpus: 'integer?', nproc: 'integer?', seed: 'integer?', uid: 'integer?' };

const SCHEMAS: Record<string, Spec> = {
  initialize: { adapterID: 'string?', linesStartAt1: 'boolean?', columnsStartAt1: 'boolean?', pathFormat: 'string?' },
  launch: {
    program: 'string', stopOnEntry: 'boolean?', args: 'object?', stepGranularity: 'string?', maxSteps: 'integer?',
    noDebug: 'boolean?', trace: 'boolean?', history: 'integer?', ...SETTINGS,
  },
  restart: { arguments: 'object?' },
  disconnect: { restart: 'boolean?', terminateDebuggee: 'boolean?' },
  terminate: { restart: 'boolean?' },
  setBreakpoints: { source: 'object', breakpoints: 'array?', lines: 'array?' },
  setFunctionBreakpoints: { breakpoints: 'array' },
  setExceptionBreakpoints: { filters: 'array', filterOptions: 'array?' },
  setDataBreakpoints: { breakpoints: 'array' },
  dataBreakpointInfo: { name: 'string', variablesReference: 'integer?', frameId: 'integer?' },
  continue: { threadId: 'integer' },
  next: { threadId: 'integer', granularity: 'string?' },
  stepIn: { threadId: 'integer', granularity: 'string?' },
  stepOut: { threadId: 'integer', granularity: 'string?' },
  stepBack: { threadId: 'integer', granularity: 'string?' },
  reverseContinue: { threadId: 'integer' },
  pause: { threadId: 'integer' },
  stackTrace: { threadId: 'integer', startFrame: 'integer?', levels: 'integer?' },
  scopes: { frameId: 'integer' },
  variables: { variablesReference: 'integer', filter: 'string?', start: 'integer?', count: 'integer?' },
  evaluate: { expression: 'string', frameId: 'integer?', context: 'string?' },
  completions: { text: 'string', column: 'integer', frameId: 'integer?', line: 'integer?' },
  exceptionInfo: { threadId: 'integer' },
  source: { sourceReference: 'integer', source: 'object?' },
  'kproc/sendSignal': { pid: 'integer', signal: 'string' },
  'kproc/goto': { target: 'string?', step: 'integer?' },
};

/** Requests DAP defines that this adapter does not carry out (its capabilities do not claim them), and why. */
const UNSUPPORTED = new Map<string, string>([
  ['restartFrame', 'going back is by step back, reverse continue or lx-goto; a frame cannot be run again alone'],
  ['goto', 'jumping to another line is not supported: it would skip or repeat kernel work'],
  ['gotoTargets', 'jumping to another line is not supported: it would skip or repeat kernel work'],
  ['setVariable', 'variables are read-only: the debugger shows the machine, it does not change it'],
  ['setExpression', 'expressions are read-only: the debugger shows the machine, it does not change it'],
  ['stepInTargets', 'step in goes into the next call, kernel entry included'],
  ['terminateThreads', 'send a signal to a task from the Tasks view instead'],
  ['attach', 'the adapter runs scenarios it launches; use a launch configuration'],
  ['loadedSources', 'the sources are the scenario and the displayed kernel files'],
  ['modules', 'the simulator has no loadable modules'],
  ['readMemory', 'the simulated memory is shown as variables, not as raw bytes'],
  ['writeMemory', 'the simulated memory is read-only to the debugger'],
  ['disassemble', 'scenarios run as C statements, not machine instructions'],
  ['setInstructionBreakpoints', 'scenarios run as C statements, not machine instructions'],
  ['breakpointLocations', 'breakpoints move to the next statement when they are set'],
  ['cancel', 'requests are answered at once, so there is nothing to cancel'],
]);
/** Why a request DAP defines is not carried out here, or undefined when it is. */
export function unsupportedRequest(command: string): string | undefined {
  return UNSUPPORTED.get(command);
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number' && Number.isInteger(v)) return 'integer';
  return typeof v;
}

function matches(v: unknown, kind: Kind): boolean {
  const k = kindOf(v);
  if (kind === 'number') return k === 'integer' || k === 'number';
  return k === kind;
}

/** Returns a readable complaint about `args` for `command`, or undefined when they are fine. */
export function checkArguments(command: string, args: unknown): string | undefined {
  const spec = Object.prototype.hasOwnProperty.call(SCHEMAS, command) ? SCHEMAS[command] : undefined;
  if (!spec) return undefined;
  const required = Object.values(spec).some((k) => !k.endsWith('?'));
  if (args === undefined || args === null) return required ? `'${command}' needs arguments` : undefined;
  if (kindOf(args) !== 'object') return `'${command}' arguments must be an object, not ${kindOf(args)}`;
  const rec = args as Record<string, unknown>;
  for (const [field, want] of Object.entries(spec)) {
    const optional = want.endsWith('?');
    const kind = want.replace('?', '') as Kind;
    const v = rec[field];
    if (v === undefined) {
      if (!optional) return `'${command}' needs '${field}' (${kind})`;
      continue;
    }
    if (!matches(v, kind)) return `'${command}': '${field}' must be ${kind === 'integer' ? 'an integer' : `a ${kind}`}, not ${kindOf(v)}`;
  }
  if (command === 'launch' && rec.args !== undefined) return checkSettings(rec.args as Record<string, unknown>);
  // A restart with new launch arguments is checked as that launch.
  if (command === 'restart' && rec.arguments !== undefined) {
    const bad = checkArguments('launch', rec.arguments);
    if (bad) return `'restart': its launch arguments are wrong: ${bad}`;
  }
  return undefined;
}

function checkSettings(s: Record<string, unknown>): string | undefined {
  for (const [field, want] of Object.entries(SETTINGS)) {
    const v = s[field];
    if (v !== undefined && !matches(v, want.replace('?', '') as Kind)) return `'launch': 'args.${field}' must be an integer, not ${kindOf(v)}`;
  }
  return undefined;
}

/** A breakpoint list's elements: objects with the listed fields. */
export function checkItems(items: readonly unknown[], what: string, spec: Spec): string | undefined {
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (kindOf(it) !== 'object') return `${what}[${i}] must be an object, not ${kindOf(it)}`;
    const rec = it as Record<string, unknown>;
    for (const [field, want] of Object.entries(spec)) {
      const v = rec[field];
      const optional = want.endsWith('?');
      if (v === undefined) {
        if (!optional) return `${what}[${i}] needs '${field}'`;
        continue;
      }
      if (!matches(v, want.replace('?', '') as Kind)) return `${what}[${i}].${field} must be ${want.replace('?', '')}, not ${kindOf(v)}`;
    }
  }
  return undefined;
}
