// Small-integer codes for tokens (one per punctuator) and for the identifiers the parser cares about
// (keywords, type words), plus the identifier intern table that assigns them while lexing.

/** Token kinds. Every punctuator has its own kind, so the parser compares integers, never text. */
export const enum T {
  EOF = 0, Ident, Number, String, Char,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Semi, Comma, Dot, Question, Colon, Tilde, Hash,
  Plus, Minus, Star, Slash, Percent, Lt, Gt, Assign, Bang, Amp, Pipe, Caret,
  Arrow, PlusPlus, MinusMinus, Shl, Shr, Le, Ge, EqEq, NotEq, AndAnd, OrOr,
  PlusEq, MinusEq, StarEq, SlashEq, PercentEq, ShlEq, ShrEq, AmpEq, PipeEq, CaretEq, HashHash, Ellipsis,
}

/** The text of each punctuator kind, indexed by `T` (empty for the non-punctuator kinds). */
export const PUNCT_TEXT: readonly string[] = [
  '', '', '', '', '',
  '(', ')', '[', ']', '{', '}', ';', ',', '.', '?', ':', '~', '#',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '&', '|', '^',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^=', '##', '...',
];

/** Binary operator precedence by token kind (0: not a binary operator). */
export const BINARY_PREC: Readonly<Uint8Array> = (() => {
  const p = new Uint8Array(PUNCT_TEXT.length);
  const table: Array<[T, number]> = [[T.OrOr, 1], [T.AndAnd, 2], [T.Pipe, 3], [T.Caret, 4], [T.Amp, 5], [T.EqEq, 6],
    [T.NotEq, 6], [T.Lt, 7], [T.Gt, 7], [T.Le, 7], [T.Ge, 7], [T.Shl, 8], [T.Shr, 8], [T.Plus, 9], [T.Minus, 9],
    [T.Star, 10], [T.Slash, 10], [T.Percent, 10]];
  for (const [k, v] of table) p[k] = v;
  return p;
})();

export function isAssignOp(k: T): boolean {
  return k === T.Assign || (k >= T.PlusEq && k <= T.CaretEq);
}
export function isUnaryOp(k: T): boolean {
  return k === T.Minus || k === T.Plus || k === T.Bang || k === T.Tilde || k === T.Star || k === T.Amp
    || k === T.PlusPlus || k === T.MinusMinus;
}

/**
 * Identifier codes. 0 is an ordinary name; keywords run from `Else` up to the last qualifier;
 * `Attribute` and `TypedefName` are names with a meaning to the parser that are not keywords.
 */
export const enum K {
  None = 0,
  Else, If, While, Do, For, Switch, Case, Default, Break, Continue, Return, Goto,
  Sizeof, Struct, Union, Enum, Typedef, Static, Extern,
  Void, Char, Short, Int, Long, Signed, Unsigned, Float, Double,
  FirstQualifier = 40,
  Attribute = 100, TypedefName, Kproc,
}

/** Statement keywords (every keyword from `if` to `goto`; `else` is not one). */
export function isStmtKeyword(k: K): boolean { return k >= K.If && k <= K.Goto; }
export function isKeyword(k: K): boolean { return k !== K.None && k < K.Attribute; }
export function isBaseWord(k: K): boolean { return k >= K.Void && k <= K.Double; }
export function isQualifier(k: K): boolean { return k >= K.FirstQualifier && k < K.Attribute; }

const NAMED_KEYWORDS = ['else', 'if', 'while', 'do', 'for', 'switch', 'case', 'default', 'break', 'continue', 'return', 'goto',
  'sizeof', 'struct', 'union', 'enum', 'typedef', 'static', 'extern',
  'void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', 'float', 'double'];
export const QUALIFIER_WORDS: readonly string[] = ['const', 'volatile', 'inline', '__inline', '__inline__', 'register', 'auto',
  'restrict', '__restrict', '__init', '__exit', '__user', '__iomem', '__always_inline', 'noinline', '__maybe_unused',
  '__read_mostly', '__initdata', '__exitdata', '__must_check', '__noreturn', '_Noreturn'];

/** Type names the language knows without a typedef in the file. */
export const TYPEDEF_NAMES: ReadonlySet<string> = new Set([
  'pid_t', 'size_t', 'ssize_t', 'uid_t', 'gid_t', 'pthread_t', 'pthread_attr_t', 'sigset_t', 'siginfo_t',
  'sighandler_t', 'time_t', 'useconds_t', 'rlim_t', 'id_t', 'idtype_t', 'off_t', 'mode_t', 'FILE',
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t',
  'int8_t', 'int16_t', 'int32_t', 'int64_t', 'intptr_t', 'uintptr_t', 'spinlock_t', 'gfp_t', 'atomic_t',
  'bool', '_Bool', 'wait_queue_head_t', 'sig_atomic_t', 'clockid_t', 'cpu_set_t',
  'pthread_mutex_t', 'pthread_mutexattr_t', 'pthread_cond_t', 'pthread_condattr_t', 'sem_t', 'pthread_barrier_t',
  'pthread_barrierattr_t', 'pthread_once_t', 'pthread_rwlock_t', 'pthread_rwlockattr_t', 'DIR', 'div_t', 'ldiv_t', 'lldiv_t', 'sigval_t', 'jmp_buf', 'sigjmp_buf', 'dev_t', 'ino_t', 'nlink_t', 'blksize_t', 'blkcnt_t',
  'key_t', 'shmatt_t', 'mqd_t', 'msgqnum_t', 'msglen_t',
  'fd_set', 'nfds_t', 'pthread_key_t', 'pthread_spinlock_t',
]);

/** Every keyword of the language, as text. */
export const KEYWORDS: ReadonlySet<string> = new Set([...NAMED_KEYWORDS, ...QUALIFIER_WORDS]);

/** Character classes for ASCII: bit 1 starts an identifier, bit 2 continues one. */
export const CC: Readonly<Uint8Array> = (() => {
  const cc = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36) cc[c] = 3;
    else if (c >= 48 && c <= 57) cc[c] = 2;
  }
  return cc;
})();

/** FNV-1a step; the lexer hashes identifiers while it scans them. */
export function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 16777619);
}
export const HASH_SEED = -2128831035;

/**
 * Open-addressing table from identifier text to a small id, with one shared string per id and its
 * code. Looking a name up compares characters in place, so a name seen before costs no new string.
 */
export class InternTable {
  /** Strings by id, in the order they were first seen. */
  readonly names: string[];
  private readonly codes: number[];
  /** Hash slots holding id + 1 (0: empty), and the hash of the name in each slot. */
  private slots: Int32Array;
  private hashes: Int32Array;
  /** Code of the name returned by the last `intern`. */
  code: K = K.None;

  constructor(from?: InternTable) {
    if (from) {
      this.names = from.names.slice();
      this.codes = from.codes.slice();
      this.slots = from.slots.slice();
      this.hashes = from.hashes.slice();
    } else {
      this.names = [];
      this.codes = [];
      this.slots = new Int32Array(512);
      this.hashes = new Int32Array(512);
    }
  }

  /** The id of text[start, end), whose hash the caller computed with `hashStep`; sets `code`. */
  intern(text: string, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = end - start;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const id = slots[i] - 1;
      if (id < 0) break;
      if (this.hashes[i] === hash) {
        const k = this.names[id];
        if (k.length === len && sameText(k, text, start)) {
          this.code = this.codes[id];
          return id;
        }
      }
    }
    this.code = K.None;
    return this.add(text.slice(start, end), hash, K.None);
  }

  add(s: string, hash: number, code: K): number {
    const id = this.names.length;
    this.names.push(s);
    this.codes.push(code);
    if ((id + 1) * 2 > this.slots.length) this.grow();
    else this.place(id, hash);
    return id;
  }

  private place(id: number, hash: number): void {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = id + 1;
    this.hashes[i] = hash;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.hashes = new Int32Array(this.slots.length);
    for (let id = 0; id < this.names.length; id++) this.place(id, hashString(this.names[id]));
  }
}

function sameText(k: string, text: string, start: number): boolean {
  for (let j = 0; j < k.length; j++) if (k.charCodeAt(j) !== text.charCodeAt(start + j)) return false;
  return true;
}

export function hashString(s: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}

/** The keywords and known type names, copied into each lexer's table. */
export const KNOWN_NAMES: InternTable = (() => {
  const t = new InternTable();
  NAMED_KEYWORDS.forEach((w, i) => t.add(w, hashString(w), (K.Else + i) as K));
  QUALIFIER_WORDS.forEach((w, i) => t.add(w, hashString(w), (K.FirstQualifier + i) as K));
  t.add('__attribute__', hashString('__attribute__'), K.Attribute);
  for (const w of TYPEDEF_NAMES) t.add(w, hashString(w), K.TypedefName);
  t.add('kproc', hashString('kproc'), K.Kproc);
  return t;
})();
