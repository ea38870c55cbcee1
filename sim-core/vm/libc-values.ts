// A library function used as a value (`int (*cmp)(const char *, const char *) = strcmp;`, a
// table of them, a callback): the compiler gives the program a small function of its own for it,
// named `strcmp@libc`, that calls the library with its parameters and returns the result; the
// value is that function's text address, so calls through the pointer are ordinary CALLIs.
import type { Range } from '../lang/ast';
import { lookupCall } from '../lang/builtins';
import type { Module } from './builder';

/** Library names the compiler expands itself (or only as calls): they have no function to point at. */
const NOT_FUNCTIONS: ReadonlySet<string> = new Set(['offsetof', 'container_of', 'div', 'ldiv', 'lldiv', 'pthread_once',
  'va_start', 'va_arg', 'va_end']);

/** The name of the wrapper of library function `name`. */
export function wrapperName(name: string): string {
  return `${name}@libc`;
}

/**
 * The function index of the wrapper of `name`, made on first use (compile.ts compiles the wrappers
 * after the file's functions); undefined when `name` is no library function. A library name that
 * cannot be a value (a macro, a variadic function, kernel code's) is reported at `range`.
 */
export function libcValue(m: Module, name: string, range: Range): number | undefined {
  const info = lookupCall(name);
  if (!info) return undefined;
  const key = wrapperName(name);
  const known = m.fnIndex.get(key);
  if (known !== undefined) return known;
  let why = '';
  if (info.isMacro || NOT_FUNCTIONS.has(name)) why = 'is a macro, not a function';
  else if (info.maxArgs < 0) why = 'takes a variable number of arguments; the simulator can call it only directly';
  else if (info.side === 'kernel') why = 'is kernel code, not a C library function';
  if (why) {
    m.error(range, `'${name}' ${why}: it cannot be used as a function pointer here`, 'vm-unsupported');
    return undefined;
  }
  const index = m.wrapperBase + m.libcWrappers.length;
  m.libcWrappers.push({ name, range });
  m.fnIndex.set(key, index);
  return index;
}
