// Comparing what the real kernel and the simulator printed: the first line where the two part, and
// both outputs laid out side by side (a wide terminal) or one after the other, that line marked.

export interface Outputs {
  stdout: string;
  stderr: string;
}

export type Stream = 'stdout' | 'stderr';

/** Where the two outputs first part: the stream, the 1-based line, each side's line (null: ended). */
export interface Difference {
  stream: Stream;
  line: number;
  /** The line with its newline, if it has one; null when this side printed fewer lines. */
  real: string | null;
  simulated: string | null;
}

export const STREAMS: readonly Stream[] = ['stdout', 'stderr'];

/** Lines with their '\n' kept, so that a missing final newline is a difference too. */
export function outputLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The first line where the outputs differ (stdout first, then stderr), or undefined if none does. */
export function firstDifference(real: Outputs, simulated: Outputs): Difference | undefined {
  for (const stream of STREAMS) {
    const a = outputLines(real[stream]);
    const b = outputLines(simulated[stream]);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] !== b[i]) return { stream, line: i + 1, real: a[i] ?? null, simulated: b[i] ?? null };
    }
  }
  return undefined;
}

/** A line as the verdict quotes it: in quotes with escapes, so blanks, tabs and a lost newline show. */
export function quoteLine(line: string | null): string {
  if (line === null) return '(no such line: the output ends before it)';
  return line.endsWith('\n') ? JSON.stringify(line.slice(0, -1)) : `${JSON.stringify(line)} (no newline at the end)`;
}

/** One side of the report: its name, what ran and how it ended, and what it printed. */
export interface Column {
  name: string;
  detail: string;
  out: Outputs;
}

/** A line for display in a column: tabs expanded to 8, other control characters made visible. */
function displayed(line: string): string {
  let out = '';
  for (const ch of line.replace(/\n$/, '')) {
    if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** The streams worth showing: stdout always, stderr when either side wrote to it. */
function shownStreams(a: Column, b: Column): Stream[] {
  return STREAMS.filter((s) => s === 'stdout' || a.out[s] !== '' || b.out[s] !== '');
}

/** `>` before the line that differs first, a blank otherwise; then the line number. */
function gutter(stream: Stream, line: number, diff: Difference | undefined, digits: number): string {
  const mark = diff && diff.stream === stream && diff.line === line ? '>' : ' ';
  return `${mark}${String(line).padStart(digits)}  `;
}

/** The two outputs one after the other, each line numbered, the first difference marked on both. */
export function stackedReport(real: Column, simulated: Column, diff: Difference | undefined): string {
  const streams = shownStreams(real, simulated);
  let text = '';
  for (const col of [real, simulated]) {
    text += `== ${col.name}: ${col.detail}\n`;
    for (const stream of streams) {
      const lines = outputLines(col.out[stream]);
      const digits = Math.max(2, String(lines.length).length);
      if (streams.length > 1) text += `-- ${stream}${lines.length === 0 ? ' (empty)' : ''}\n`;
      else if (lines.length === 0) text += '   (printed nothing)\n';
      lines.forEach((l, i) => { text += `${gutter(stream, i + 1, diff, digits)}${displayed(l)}\n`; });
    }
  }
  return text;
}

/** Cuts a cell to its column, marking the cut with '~'. */
function cell(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}~`;
}

/** The two outputs in two columns of a `width`-wide terminal, line against line, first difference marked. */
export function sideBySideReport(real: Column, simulated: Column, diff: Difference | undefined, width: number): string {
  const streams = shownStreams(real, simulated);
  const rowsOf = (stream: Stream): number => Math.max(outputLines(real.out[stream]).length, outputLines(simulated.out[stream]).length);
  const digits = Math.max(2, ...streams.map((s) => String(rowsOf(s)).length));
  const prefix = digits + 3;
  const half = Math.max(8, Math.floor((width - prefix - 3) / 2));
  // The details in full above the table; the columns are headed by the names only.
  const nameWidth = Math.max(real.name.length, simulated.name.length);
  let text = `${real.name.padEnd(nameWidth)}  ${real.detail}\n${simulated.name.padEnd(nameWidth)}  ${simulated.detail}\n`;
  text += `${' '.repeat(prefix)}${cell(real.name, half)} | ${simulated.name}\n`;
  for (const stream of streams) {
    if (streams.length > 1) text += `${' '.repeat(prefix)}-- ${stream}\n`;
    const a = outputLines(real.out[stream]);
    const b = outputLines(simulated.out[stream]);
    for (let i = 0; i < rowsOf(stream); i++) {
      const left = a[i] === undefined ? '' : displayed(a[i]);
      const right = b[i] === undefined ? '' : displayed(b[i]);
      text += `${gutter(stream, i + 1, diff, digits)}${cell(left, half)} | ${cell(right, half).trimEnd()}\n`;
    }
    if (rowsOf(stream) === 0) text += `${' '.repeat(prefix)}(neither printed anything)\n`;
  }
  return text;
}
