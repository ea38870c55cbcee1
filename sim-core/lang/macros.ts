// Function-like macros (`#define MAX(a, b) ((a) > (b) ? (a) : (b))`), expanded on text as the C
// preprocessor does: arguments are macro-expanded and substituted as written (no parentheses are
// added), `#x` makes a string literal, `a ## b` pastes, and a macro is not expanded inside itself.
import { MAX_MACRO_DEPTH } from './check-values';
import { lexRange, T } from './lexer';

export interface FnMacro {
  name: string;
  params: string[];
  /** The replacement text, as written after the parameter list. */
  body: string;
}

/** Expansions longer than this are refused (a macro doubling its argument 30 times is not C one writes). */
export const MAX_EXPANSION = 100_000;

export class MacroError extends Error {}

interface Tok { kind: T; text: string; start: number; end: number }

function tokensOf(text: string): Tok[] {
  const { tokens } = lexRange(text, 0, text.length);
  const out: Tok[] = [];
  for (let i = 0; i < tokens.length && tokens.kind[i] !== T.EOF; i++) out.push({ kind: tokens.kind[i], text: text.slice(tokens.start[i], tokens.end[i]), start: tokens.start[i], end: tokens.end[i] });
  return out;
}

/**
 * The arguments of a call starting at the `(` at index `open`: each as written (whitespace runs
 * made one space, as `#` sees them), and the index after `)`.
 */
function splitArgs(text: string, toks: readonly Tok[], open: number): { args: string[]; next: number } | null {
  const args: string[] = [];
  let first = -1, last = -1;
  let depth = 0;
  const arg = (): string => (first < 0 ? '' : text.slice(toks[first].start, toks[last].end).replace(/\s+/g, ' '));
  for (let i = open + 1; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === T.LParen || t.kind === T.LBracket || t.kind === T.LBrace) depth++;
    else if ((t.kind === T.RParen || t.kind === T.RBracket || t.kind === T.RBrace) && depth > 0) depth--;
    else if (t.kind === T.RParen) { args.push(arg()); return { args, next: i + 1 }; }
    else if (t.kind === T.Comma && depth === 0) { args.push(arg()); first = -1; continue; }
    if (first < 0) first = i;
    last = i;
  }
  return null;
}

function stringify(arg: string): string {
  return `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Checks the argument count the way gcc words it; throws MacroError. */
function checkArity(m: FnMacro, args: string[]): string[] {
  const given = args.length === 1 && args[0] === '' && m.params.length === 0 ? [] : args;
  if (given.length < m.params.length) throw new MacroError(`macro '${m.name}' requires ${m.params.length} arguments, but only ${given.length} given`);
  if (given.length > m.params.length) throw new MacroError(`macro '${m.name}' passed ${given.length} arguments, but takes just ${m.params.length}`);
  return given;
}

/** One macro's replacement for these arguments, then rescanned with the macro disabled. */
function substitute(m: FnMacro, rawArgs: string[], macros: ReadonlyMap<string, FnMacro>, disabled: ReadonlySet<string>): string {
  const args = checkArity(m, rawArgs);
  const body = tokensOf(m.body);
  const out: string[] = [];
  const param = (t: Tok | undefined): number => (t && t.kind === T.Ident ? m.params.indexOf(t.text) : -1);
  for (let i = 0; i < body.length; i++) {
    const t = body[i];
    if (t.kind === T.Hash && param(body[i + 1]) >= 0) { out.push(stringify(args[param(body[i + 1])])); i++; continue; }
    if (t.kind === T.HashHash) continue;
    const p = param(t);
    const pasted = body[i - 1]?.kind === T.HashHash || body[i + 1]?.kind === T.HashHash;
    const text = p < 0 ? t.text : pasted ? args[p] : expandText(args[p], macros, disabled);
    if (body[i - 1]?.kind === T.HashHash && out.length) out[out.length - 1] += text;
    else out.push(text);
  }
  const inner = new Set(disabled);
  inner.add(m.name);
  return expandText(out.join(' '), macros, inner);
}

/**
 * Expands every call of a function-like macro in `text`. Throws MacroError for a wrong argument
 * count, an unterminated call, expansions nested past MAX_MACRO_DEPTH or longer than MAX_EXPANSION.
 */
export function expandText(text: string, macros: ReadonlyMap<string, FnMacro>, disabled: ReadonlySet<string> = new Set()): string {
  if (disabled.size >= MAX_MACRO_DEPTH) throw new MacroError(`macro expansion nested more than ${MAX_MACRO_DEPTH} levels deep`);
  const toks = tokensOf(text);
  const out: string[] = [];
  let size = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const m = t.kind === T.Ident && !disabled.has(t.text) ? macros.get(t.text) : undefined;
    let piece = t.text;
    if (m && toks[i + 1]?.kind === T.LParen) {
      const call = splitArgs(text, toks, i + 1);
      if (!call) throw new MacroError(`unterminated argument list invoking macro '${m.name}'`);
      piece = substitute(m, call.args, macros, disabled);
      i = call.next - 1;
    }
    size += piece.length + 1;
    if (size > MAX_EXPANSION) throw new MacroError(`the expansion of a macro is longer than ${MAX_EXPANSION} characters`);
    out.push(piece);
  }
  return out.join(' ');
}
