// Brace initialisers: where each item of `{ ... }` goes in the object it initialises, by C's
// rules for positional items and designators (`[2] = 5`, `.b = 2`): a designator moves the
// position, the next positional item follows it, and whatever no item names stays zero.
import type { Expr } from '../lang/ast';
import type { Module } from './builder';
import { cellsOf, type CType } from './ctypes';
import type { Folded } from './fold';

type InitList = Extract<Expr, { kind: 'InitList' }>;

export interface InitSlot {
  /** Cell offset from the start of the object. */
  offset: number;
  type: CType;
  item: Expr;
}

/**
 * The static initializers <pthread.h> defines as brace lists of zeros: as the initialiser of a
 * struct they mean `{ 0 }` (every cell zero), not a value to copy.
 */
const ZERO_BRACES: ReadonlySet<string> = new Set(['PTHREAD_MUTEX_INITIALIZER', 'PTHREAD_COND_INITIALIZER', 'PTHREAD_RWLOCK_INITIALIZER']);

export function isZeroBraces(e: Expr, t: CType): boolean {
  return t.k === 'struct' && e.kind === 'Ident' && ZERO_BRACES.has(e.name);
}

/** The constant folder of the compiler in use (an array designator is a constant expression). */
export type Fold = (e: Expr) => Folded | undefined;

/** The index an array designator names, or an error and undefined. */
function designatedIndex(m: Module, fold: Fold, at: Expr, n: number | undefined): number | undefined {
  const f = fold(at);
  if (!f || f.t.k === 'float' || typeof f.v !== 'number' || !Number.isInteger(f.v)) {
    m.error(at.range, 'nonconstant array index in initializer', 'vm-init');
    return undefined;
  }
  if (f.v < 0 || (n !== undefined && f.v >= n)) {
    m.error(at.range, 'array index in initializer exceeds array bounds', 'vm-init');
    return undefined;
  }
  return f.v;
}

/** The length an unsized array (`int a[] = {...}`) takes from its initialiser: one past the last element. */
export function initListLength(m: Module, fold: Fold, init: InitList): number {
  let pos = 0, len = 0;
  init.items.forEach((_, i) => {
    const at = init.indices?.[i];
    if (at) { const k = designatedIndex(m, fold, at, undefined); if (k !== undefined) pos = k; }
    len = Math.max(len, ++pos);
  });
  return len;
}

/** Every item of init with the place it initialises in an object of type t; errors for what does not fit. */
export function initSlots(m: Module, fold: Fold, t: CType, init: InitList): InitSlot[] {
  const out: InitSlot[] = [];
  const named = (i: number): { name: string; range: Expr['range'] } | null => init.fields?.[i] ?? null;
  if (t.k === 'array') {
    const size = cellsOf(t.of);
    let pos = 0, excess = false;
    init.items.forEach((item, i) => {
      const at = init.indices?.[i];
      const f = named(i);
      if (f) { m.error(f.range, `field name not in record or union initializer`, 'vm-init'); return; }
      if (at) {
        const k = designatedIndex(m, fold, at, t.n);
        if (k === undefined) return;
        pos = k;
      }
      if (pos >= t.n) {
        if (!excess) m.error(item.range, 'excess elements in array initializer', 'vm-init');
        excess = true;
        return;
      }
      out.push({ offset: pos * size, type: t.of, item });
      pos++;
    });
    return out;
  }
  if (t.k === 'struct' && t.layout) {
    const all = t.layout.fields;
    // Members of a union share a cell (glibc's sa_handler and sa_sigaction): positional items take the first.
    const members = all.filter((f, i) => all.findIndex((g) => g.offset === f.offset) === i);
    let pos = 0;
    init.items.forEach((item, i) => {
      const f = named(i);
      const at = init.indices?.[i];
      if (at) { m.error(at.range, 'array index in non-array initializer', 'vm-init'); return; }
      if (f) {
        const field = all.find((x) => x.name === f.name);
        if (!field) { m.error(f.range, `unknown field '${f.name}' specified in initializer`, 'vm-init'); return; }
        out.push({ offset: field.offset, type: field.type, item });
        pos = members.findIndex((x) => x.offset === field.offset) + 1;
        return;
      }
      const field = members[pos++];
      if (!field) { m.error(item.range, 'excess elements in struct initializer', 'vm-init'); return; }
      out.push({ offset: field.offset, type: field.type, item });
    });
    return out;
  }
  // A scalar in braces (`int x = {1};`): the first item, as C allows.
  const first = init.items[0];
  if (first && (init.indices?.[0] || named(0))) m.error(first.range, 'designator in a scalar initializer', 'vm-init');
  else if (first) out.push({ offset: 0, type: t, item: first });
  return out;
}

/**
 * `T a[2][3][4]`: the element type of the outermost array, built from the sizes after the first
 * (`dims`, innermost last) around T.
 */
export function innerArrays(m: Module, fold: Fold, t: CType, dims: readonly Expr[] | undefined): CType {
  if (!dims) return t;
  for (let i = dims.length - 1; i >= 0; i--) {
    const f = fold(dims[i]);
    const n = f && f.t.k !== 'float' && typeof f.v === 'number' && Number.isInteger(f.v) && f.v > 0 ? f.v : 0;
    if (n === 0) m.error(dims[i].range, 'array size must be a positive constant', 'vm-array');
    t = { k: 'array', of: t, n: Math.max(1, n) };
  }
  return t;
}
