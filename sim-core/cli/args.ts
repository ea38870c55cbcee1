// Command-line options: each command declares its options once (name, kind, range, help line), and
// this module parses them with Node's util.parseArgs, checks integers and ranges, and writes the
// command's --help text from the same table, so the parser and the help cannot disagree.
import { parseArgs } from 'node:util';

export interface OptionSpec {
  /** Long name without the dashes: `max-steps`. */
  name: string;
  kind: 'flag' | 'integer' | 'string';
  short?: string;
  /** Placeholder of the value in the help text: `N`, `FILE`. */
  value?: string;
  min?: number;
  max?: number;
  help: string;
}

/** A mistake on the command line: reported as one `kproc: ...` line, exit status 2. */
export class UsageError extends Error {}

export interface Parsed {
  flags: Set<string>;
  integers: Map<string, number>;
  strings: Map<string, string>;
  positionals: string[];
}

/** Every command accepts --help. */
export const HELP_OPTION: OptionSpec = { name: 'help', kind: 'flag', short: 'h', help: 'show this help and exit' };

function quoted(message: string): string {
  return /'([^']+)'/.exec(message)?.[1] ?? '';
}

/** Parses args against specs; throws UsageError naming the offending option. */
export function parseOptions(command: string, specs: readonly OptionSpec[], args: string[]): Parsed {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = {};
  for (const s of [...specs, HELP_OPTION]) {
    options[s.name] = s.short ? { type: s.kind === 'flag' ? 'boolean' : 'string', short: s.short } : { type: s.kind === 'flag' ? 'boolean' : 'string' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = e instanceof Error ? e.message : String(e);
    const see = `(see kproc ${command} --help)`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${command}: unknown option '${quoted(message)}' ${see}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = quoted(message).replace(/ <value>$/, '');
      const spec = specs.find((s) => `--${s.name}` === name || `-${s.short}` === name);
      if (message.includes('does not take')) throw new UsageError(`${command}: ${name} takes no value ${see}`);
      throw new UsageError(`${command}: ${name} needs ${spec ? describeValue(spec) : 'a value'} ${see}`);
    }
    throw new UsageError(`${command}: ${message.split('\n')[0]} ${see}`);
  }
  const out: Parsed = { flags: new Set(), integers: new Map(), strings: new Map(), positionals: parsed.positionals };
  for (const [name, v] of Object.entries(parsed.values)) {
    const spec = [...specs, HELP_OPTION].find((s) => s.name === name);
    if (!spec || v === undefined) continue;
    if (spec.kind === 'flag') { if (v === true) out.flags.add(name); continue; }
    if (spec.kind === 'string') {
      if (String(v) === '') throw new UsageError(`${command}: --${spec.name} needs ${describeValue(spec)}`);
      out.strings.set(name, String(v));
      continue;
    }
    out.integers.set(name, integer(command, spec, String(v)));
  }
  return out;
}

function describeValue(s: OptionSpec): string {
  if (s.kind === 'string') { const what = (s.value ?? 'value').toLowerCase(); return `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} name`; }
  if (s.min !== undefined && s.max !== undefined) return `an integer from ${s.min} to ${s.max}`;
  if (s.min === 1) return 'a positive integer';
  return 'a non-negative integer';
}

function integer(command: string, s: OptionSpec, text: string): number {
  const n = Number(text);
  const min = s.min ?? 0;
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < min || (s.max !== undefined && n > s.max)) {
    throw new UsageError(`${command}: --${s.name} needs ${describeValue(s)}, not '${text}'`);
  }
  return n;
}

/** The --help text of a command: usage line, what it does, and its options from the same table. */
export function helpText(usage: string, description: string, specs: readonly OptionSpec[], footer = ''): string {
  const rows = [...specs, HELP_OPTION].map((s) => {
    const names = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.value ? ` ${s.value}` : ''}`;
    return [names, s.help] as const;
  });
  const width = Math.max(...rows.map(([n]) => n.length));
  const lines = rows.map(([n, h]) => `  ${n.padEnd(width)}  ${h}`);
  return `usage: ${usage}\n\n${description}\n\noptions:\n${lines.join('\n')}\n${footer ? `\n${footer}` : ''}`;
}
