// Validates `#pragma kproc KEY ARGS...` settings: known keys, argument count and type, ranges.
import type { Diagnostic, Pragma, Program } from './ast';
import { BUILTIN_PROGRAMS } from './builtins';
import { closest } from './suggest';

interface IntSetting { min: number; max: number; what: string }

/** Integer settings and their accepted ranges (pid_max as the kernel's sysctl accepts it). */
export const INT_SETTINGS: Readonly<Record<string, IntSetting>> = {
  pid_max: { min: 301, max: 4194304, what: 'the largest pid (kernel.pid_max)' },
  cpus: { min: 1, max: 64, what: 'the number of CPUs' },
  nproc: { min: 1, max: 4194304, what: 'RLIMIT_NPROC of the scenario\'s user' },
  uid: { min: 0, max: 4294967294, what: 'the user id the scenario runs as' },
  seed: { min: 0, max: 4294967295, what: 'the scheduler\'s seed' },
};
/** Word settings and the words each accepts. */
export const WORD_SETTINGS: Readonly<Record<string, { values: readonly string[]; what: string }>> = {
  sched: { values: ['eevdf', 'cfs'], what: 'the fair scheduling class: eevdf (Linux 6.6+) or cfs (up to 6.5)' },
};
export const PRAGMA_KEYS: readonly string[] = [...Object.keys(INT_SETTINGS), ...Object.keys(WORD_SETTINGS), 'program'];

export function checkPragmas(program: Program, definedFunctions: ReadonlySet<string>, out: Diagnostic[]): void {
  const seen = new Map<string, Pragma>();
  const paths = new Set<string>();
  const err = (range: Diagnostic['range'], message: string, code = 'pragma'): void => {
    out.push({ range, severity: 'error', message, code });
  };
  for (const d of program.directives) {
    if (d.kind !== 'Pragma') continue;
    const setting = INT_SETTINGS[d.key];
    if (setting) {
      if (seen.has(d.key)) {
        out.push({ range: d.keyRange, severity: 'warning', code: 'duplicate', message: `'#pragma kproc ${d.key}' is set twice; the last one wins` });
      }
      seen.set(d.key, d);
      if (d.args.length !== 1) {
        err(d.args[1]?.range ?? d.keyRange, `'#pragma kproc ${d.key}' takes one integer (${setting.what})`);
        continue;
      }
      const v = d.args[0].value;
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        err(d.args[0].range, `'#pragma kproc ${d.key}' needs an integer, not ${JSON.stringify(v)}`);
      } else if (v < setting.min || v > setting.max) {
        err(d.args[0].range, `${d.key} must be between ${setting.min} and ${setting.max} (got ${v})`, 'pragma-range');
      }
      continue;
    }
    const word = WORD_SETTINGS[d.key];
    if (word) {
      if (seen.has(d.key)) {
        out.push({ range: d.keyRange, severity: 'warning', code: 'duplicate', message: `'#pragma kproc ${d.key}' is set twice; the last one wins` });
      }
      seen.set(d.key, d);
      const v = d.args[0]?.value;
      if (d.args.length !== 1 || typeof v !== 'string' || !word.values.includes(v)) {
        err(d.args[1]?.range ?? d.args[0]?.range ?? d.keyRange, `'#pragma kproc ${d.key}' takes one of ${word.values.join(', ')} (${word.what})`);
      }
      continue;
    }
    if (d.key === 'program') {
      if (d.args.length !== 2) {
        err(d.args.length > 2 ? d.args[2].range : d.keyRange, '\'#pragma kproc program\' takes a path and a function: #pragma kproc program "/bin/worker" worker_main');
        continue;
      }
      const [path, fn] = d.args;
      if (typeof path.value !== 'string' || !path.value.startsWith('/')) {
        err(path.range, 'the program path must be an absolute path in quotes, like "/bin/worker"');
      } else if (paths.has(path.value)) {
        out.push({ range: path.range, severity: 'warning', code: 'duplicate', message: `program '${path.value}' is registered twice; the last one wins` });
      } else if (BUILTIN_PROGRAMS.has(path.value)) {
        out.push({ range: path.range, severity: 'warning', code: 'pragma', message: `'${path.value}' is a built-in program; this registration replaces it` });
      }
      if (typeof path.value === 'string') paths.add(path.value);
      if (typeof fn.value !== 'string') err(fn.range, 'expected the name of a function of this file');
      else if (!definedFunctions.has(fn.value)) {
        const s = closest(fn.value, definedFunctions);
        err(fn.range, `no function '${fn.value}' is defined in this file${s ? `; did you mean '${s}'?` : ''}`, 'undefined-name');
      }
      continue;
    }
    const s = closest(d.key, PRAGMA_KEYS);
    out.push({ range: d.keyRange, severity: 'warning', code: 'unknown-pragma',
      message: `unknown setting '${d.key}' in '#pragma kproc'${s ? `; did you mean '${s}'?` : ` (known: ${PRAGMA_KEYS.join(', ')})`}` });
  }
}
