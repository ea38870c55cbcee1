// Reads the text just before the cursor to find what is being typed: the call and argument the
// cursor is in, a `#pragma kproc` line, a member access. It works on broken code, which the user
// is in the middle of writing, where the syntax tree has holes.

export interface CallContext {
  callee: string;
  /** Offset of the callee's first character. */
  calleeStart: number;
  /** 0-based index of the argument the cursor is in. */
  arg: number;
  /** Offset just after the opening parenthesis. */
  open: number;
}

const isId = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const SCAN_LIMIT = 4000;

/** The innermost call whose argument list holds offset, or undefined. */
export function callAt(text: string, offset: number): CallContext | undefined {
  let depth = 0;
  let arg = 0;
  const stop = Math.max(0, offset - SCAN_LIMIT);
  for (let i = offset - 1; i >= stop; i--) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) {
      // Skip back over a string or character literal on this line.
      let j = i - 1;
      while (j >= stop && text.charCodeAt(j) !== 10 && !(text.charCodeAt(j) === c && text.charCodeAt(j - 1) !== 92)) j--;
      if (j < stop || text.charCodeAt(j) === 10) return undefined;
      i = j;
    } else if (c === 41 || c === 93) depth++;
    else if (c === 40 || c === 91) {
      if (depth > 0) { depth--; continue; }
      if (c === 91) return undefined;
      let e = i;
      while (e > 0 && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
      let s = e;
      while (s > 0 && isId(text.charCodeAt(s - 1))) s--;
      if (s === e) return undefined;
      const callee = text.slice(s, e);
      if (/^(if|while|for|switch|return|sizeof)$/.test(callee)) return undefined;
      return { callee, calleeStart: s, arg, open: i + 1 };
    } else if (c === 44 && depth === 0) arg++;
    else if ((c === 59 || c === 123 || c === 125) && depth === 0) return undefined;
  }
  return undefined;
}

export type LineContext =
  | { kind: 'pragma-key'; prefix: string }
  | { kind: 'pragma-function'; prefix: string }
  | { kind: 'pragma-value' }
  | { kind: 'include'; prefix: string }
  | { kind: 'directive' }
  | { kind: 'comment' }
  | { kind: 'string' }
  | { kind: 'member'; object: string; arrow: boolean; prefix: string }
  | { kind: 'code'; prefix: string; afterPipe: string | undefined };

/** What the cursor is in, judged from its line (and, for block comments, the text before it). */
export function lineContext(text: string, lineStart: number, offset: number): LineContext {
  const line = text.slice(lineStart, offset);
  let m = /^\s*#\s*pragma\s+kproc\s+(\w*)$/.exec(line);
  if (m) return { kind: 'pragma-key', prefix: m[1] };
  m = /^\s*#\s*pragma\s+kproc\s+program\s+"[^"]*"\s+(\w*)$/.exec(line);
  if (m) return { kind: 'pragma-function', prefix: m[1] };
  if (/^\s*#\s*pragma\b/.test(line)) return { kind: 'pragma-value' };
  m = /^\s*#\s*include\s*[<"]([^>"]*)$/.exec(line);
  if (m) return { kind: 'include', prefix: m[1] };
  if (/^\s*#\s*\w*$/.test(line)) return { kind: 'directive' };
  if (inComment(text, lineStart, offset)) return { kind: 'comment' };
  if (inString(line)) return { kind: 'string' };
  m = /([A-Za-z_]\w*(?:\[[^\]]*\])?)\s*(\.|->)\s*(\w*)$/.exec(line);
  if (m) return { kind: 'member', object: m[1].replace(/\[.*$/, ''), arrow: m[2] === '->', prefix: m[3] };
  m = /(\w*)$/.exec(line);
  const prefix = m ? m[1] : '';
  const before = line.slice(0, line.length - prefix.length);
  const pipe = /([A-Za-z_]\w*)\s*\|\s*$/.exec(before);
  return { kind: 'code', prefix, afterPipe: pipe ? pipe[1] : /\|\s*$/.test(before) ? '' : undefined };
}

function inString(line: string): boolean {
  let open = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') { i++; continue; }
    if (c === '"') open = !open;
    if (!open && c === '/' && line[i + 1] === '/') return false;
  }
  return open;
}

function inComment(text: string, lineStart: number, offset: number): boolean {
  const line = text.slice(lineStart, offset);
  let open = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && !open) {
      const j = line.indexOf('"', i + 1);
      if (j < 0) return false;
      i = j;
    } else if (!open && line.startsWith('//', i)) return true;
    else if (!open && line.startsWith('/*', i)) { open = true; i++; } else if (open && line.startsWith('*/', i)) { open = false; i++; }
  }
  if (open) return true;
  // A block comment opened on an earlier line and not closed before the cursor.
  const back = lineStart > 0 ? text.lastIndexOf('/*', lineStart - 1) : -1;
  if (back < 0) return false;
  const close = text.indexOf('*/', back + 2);
  return close < 0 || close + 2 > offset;
}
