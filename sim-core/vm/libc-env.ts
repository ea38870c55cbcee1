// The environment as glibc keeps it: `environ`, an array of pointers ended by NULL, to
// "NAME=value" strings. execve lays both out on the new program's stack after argv (as Linux
// does); getenv returns a pointer into the string, which the program may write; setenv makes a
// new string and, for a new name, a new array; putenv puts the caller's own string in (no copy:
// a later change to it changes the environment); unsetenv moves the later pointers down. A program
// that declares `extern char **environ;` reads and sets the same variable the library uses.
import { add } from './alu';
import { cellCost } from './cost';
import { cstring } from './cstring';
import type { Image } from './image';
import { SEGMENT_SPAN } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Value } from './types';

const EINVAL = 22, ENOMEM = 12;
/** The longest environment string read, and the most entries walked (a guard on a broken array). */
const MAX_STRING = 1 << 20, MAX_ENTRIES = 1 << 16;

/** The names under which a program may declare the library's variable (unistd.h, glibc). */
const ENVIRON_NAMES = ['environ', '__environ'];

/** Where the program's own `environ` variable is, or 0 when it declares none. */
export function environGlobal(image: Image): number {
  for (const g of image.globals) if (ENVIRON_NAMES.includes(g.name)) return g.offset;
  return 0;
}

/** The current value of environ (a char ** address, or 0). */
export function getEnviron(mem: VmMemory): Value {
  const at = mem.libc.environAt;
  return at !== 0 ? mem.load(at) ?? 0 : mem.libc.environ;
}

function setEnviron(mem: VmMemory, v: Value): void {
  mem.libc.environ = v;
  if (mem.libc.environAt !== 0) mem.store(mem.libc.environAt, v);
}

/**
 * Lays out envp on a new program's main stack (the cells after argv's NULL): the pointer array,
 * then each string's characters. Returns the array's address, which environ and main's third
 * parameter hold.
 */
export function layoutEnvironment(mem: VmMemory, image: Image, cells: Value[], seg: number, envp: readonly string[]): number {
  const base = seg * SEGMENT_SPAN;
  // An empty environment is the NULL that ends argv: one cell serves as both ends.
  const array = envp.length === 0 && cells.length > 0 && cells[cells.length - 1] === 0 ? cells.length - 1 : cells.length;
  if (array === cells.length) for (let i = 0; i <= envp.length; i++) cells.push(0);
  envp.forEach((e, i) => {
    cells[array + i] = base + cells.length;
    for (let j = 0; j < e.length; j++) cells.push(e.charCodeAt(j) & 0xff);
    cells.push(0);
  });
  mem.libc.environAt = environGlobal(image);
  setEnviron(mem, base + array);
  return base + array;
}

interface Entry { slot: number; str: Value; text: string }

/** The entries of environ in order (a string literal or character cells each). */
function entries(mem: VmMemory): Entry[] {
  const env = getEnviron(mem);
  const out: Entry[] = [];
  if (typeof env !== 'number' || env === 0) return out;
  for (let i = 0; i < MAX_ENTRIES; i++) {
    const str = mem.load(env + i);
    if (str === undefined || str === 0) break;
    out.push({ slot: env + i, str, text: cstring(mem, str, MAX_STRING) ?? '' });
  }
  return out;
}

/** A C string "text" in a new heap block; 0 when memory is exhausted. */
function newString(mem: VmMemory, text: string): number {
  const seg = mem.newBlock(text.length + 1);
  if (seg < 0) return 0;
  const a = seg * SEGMENT_SPAN;
  for (let i = 0; i < text.length; i++) mem.store(a + i, text.charCodeAt(i) & 0xff);
  mem.store(a + text.length, 0);
  return a;
}

/** getenv, setenv, putenv and unsetenv; the C result (errno set for -1), or null for another name. */
export function envCall(fn: string, a: Value[], mem: VmMemory, regs: VmRegs): Value | null {
  if (fn !== 'getenv' && fn !== 'setenv' && fn !== 'unsetenv' && fn !== 'putenv') return null;
  if (fn === 'putenv') return putenv(a[0] ?? 0, mem, regs);
  const name = cstring(mem, a[0], MAX_STRING);
  const list = entries(mem);
  regs.owed += cellCost(list.reduce((n, e) => n + Math.min(e.text.length, (name ?? '').length + 1), 0));
  const at = name === null ? -1 : list.findIndex((e) => e.text.startsWith(`${name}=`));
  if (fn === 'getenv') {
    // A pointer just past the '=' of the string itself: the program may write through it.
    return name === null || at < 0 ? 0 : add(list[at].str, name.length + 1);
  }
  if (name === null || name === '' || name.includes('=')) { regs.errno = EINVAL; return -1; }
  if (fn === 'unsetenv') {
    // Every NAME= entry goes; the pointers after each move down over it.
    const keep = list.filter((e) => !e.text.startsWith(`${name}=`));
    if (keep.length === list.length) return 0;
    keep.forEach((e, i) => mem.store(list[i].slot, e.str));
    mem.store(list[keep.length].slot, 0);
    return 0;
  }
  if (at >= 0 && typeof a[2] === 'number' && a[2] === 0) return 0;
  const str = newString(mem, `${name}=${cstring(mem, a[1], MAX_STRING) ?? ''}`);
  if (str === 0) { regs.errno = ENOMEM; return -1; }
  const r = addToEnviron(mem, regs, list, at, str);
  if (r < 0) mem.freeBlock(str);
  return r;
}

/**
 * putenv(string): "NAME=value" goes into environ as the pointer given (replacing NAME's entry or
 * added in a new array); a string without '=' unsets that name. 0, or -1 with ENOMEM.
 */
function putenv(string: Value, mem: VmMemory, regs: VmRegs): Value {
  const text = cstring(mem, string, MAX_STRING);
  if (text === null) return 0;
  const eq = text.indexOf('=');
  const list = entries(mem);
  if (eq < 0) {
    envCall('unsetenv', [string], mem, regs);
    return 0;
  }
  const prefix = text.slice(0, eq + 1);
  regs.owed += cellCost(list.reduce((n, e) => n + Math.min(e.text.length, prefix.length), 0));
  return addToEnviron(mem, regs, list, list.findIndex((e) => e.text.startsWith(prefix)), string);
}

/** __add_to_environ: str replaces entry `at`, or (at < 0) ends a new array one longer. */
function addToEnviron(mem: VmMemory, regs: VmRegs, list: Entry[], at: number, str: Value): number {
  if (at >= 0) { mem.store(list[at].slot, str); return 0; }
  // A new name: a new array, one longer (glibc reallocs the one it made before, if environ is it).
  const seg = mem.newBlock(list.length + 2);
  if (seg < 0) { regs.errno = ENOMEM; return -1; }
  const array = seg * SEGMENT_SPAN;
  list.forEach((e, i) => mem.store(array + i, e.str));
  mem.store(array + list.length, str);
  mem.store(array + list.length + 1, 0);
  const old = getEnviron(mem);
  if (typeof old === 'number' && old !== 0 && old === mem.libc.environBlock) mem.freeBlock(old);
  mem.libc.environBlock = array;
  setEnviron(mem, array);
  return 0;
}

/** getenv's answer as a string, for the library's own use (execvp's PATH); null when unset. */
export function envValue(mem: VmMemory, name: string): string | null {
  for (const e of entries(mem)) if (e.text.startsWith(`${name}=`)) return e.text.slice(name.length + 1);
  return null;
}
