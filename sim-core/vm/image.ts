// The compiled form of a scenario: bytecode per function, the global segment's initial contents,
// the constant pool, call sites of library and kernel calls, and what the debugger needs to name
// locals and statements.
import type { Expr } from '../lang/ast';
import type { Convention } from '../lang/builtins-types';
import type { LineMap } from '../lang/linemap';
import type { CType, TypeTable } from './ctypes';
import type { Value } from './types';

/** Addresses: segment * SEGMENT_SPAN + offset. Segment 0 holds globals, then stacks and heap blocks. */
export const SEGMENT_SPAN = 0x1000000;
/** Globals start here so that small offsets from NULL (`p->field` with p == NULL) fault. */
export const GLOBAL_BASE = 0x10;
/** Function addresses, as a non-PIE x86-64 binary places .text; 0 and 1 stay SIG_DFL and SIG_IGN. */
export const TEXT_BASE = 0x401000;
export const TEXT_STRIDE = 16;
/** Largest stack segment in cells: deeper recursion faults like a stack overflow does. */
export const STACK_LIMIT = 1 << 20;

export interface LocalVar {
  name: string;
  type: CType;
  /** Cell offset from the frame base. */
  offset: number;
  /** Code range (pcs) where the name is in scope. */
  from: number;
  to: number;
  /** A `static` local: `offset` is in the global segment (its address), kept across calls and copied by fork. */
  isStatic?: boolean;
}

export interface StmtInfo {
  line: number;
  start: number;
  end: number;
}

export interface FnCode {
  name: string;
  index: number;
  code: number[];
  /**
   * The copy of `code` the dispatch loop reads opcodes from, with superinstructions (fuse.ts);
   * derived from `code`, never task state. Without it the loop dispatches on `code` itself.
   */
  fast?: number[];
  nparams: number;
  /** Cells a frame needs: parameters first, then every local and temporary. */
  frameSize: number;
  locals: LocalVar[];
  stmts: StmtInfo[];
  returnType: CType;
  line: number;
  /** Source offset of the definition. */
  start: number;
}

export interface GlobalVar {
  name: string;
  type: CType;
  /** Cell offset in segment 0. */
  offset: number;
}

/** A call the VM cannot finish alone: its libc name and how its result comes back. */
export interface CallSite {
  name: string;
  argc: number;
  convention: Convention;
  line: number;
  /** Element size for memset-like helpers: [bytes per element, cells per element]. */
  scale?: [number, number];
  /** read's, write's, fread's and fwrite's buffer when it is not bytes already (an int, a struct): its type. */
  bufType?: CType;
}

export interface Image {
  text: string;
  lines: LineMap;
  functions: FnCode[];
  fnIndex: ReadonlyMap<string, number>;
  globals: GlobalVar[];
  /** Contents of segment 0 after static initialisation. */
  globalInit: Value[];
  consts: Value[];
  sites: CallSite[];
  /** Registered programs: exec path -> function name (`#pragma kproc program`). */
  programs: ReadonlyMap<string, string>;
  /** module_init / module_exit functions of kernel-side scenarios. */
  moduleInit?: string;
  moduleExit?: string;
  types: TypeTable;
  /** Object-like #defines, for expressions the debug console evaluates. */
  defines: ReadonlyMap<string, Expr | undefined>;
}
