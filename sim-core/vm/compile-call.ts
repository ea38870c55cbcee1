// Calls: scenario functions (CALL), calls through function pointers (CALLI), library helpers the
// VM evaluates itself (PURE) and everything that needs the kernel (SYS, a trap).
import type { Expr } from '../lang/ast';
import { lookupCall } from '../lang/builtins';
import type { Convention } from '../lang/builtins-types';
import { bytesOf, cellsOf, CHAR_PTR, decay, INT, LONG, pointee, VOID_PTR, type CType } from './ctypes';
import { ExprCompiler } from './compile-expr';
import { Op } from './opcodes';

/** Library helpers evaluated inside the VM, without the kernel. */
export const PURE_CALLS: ReadonlySet<string> = new Set([
  'WIFEXITED', 'WEXITSTATUS', 'WIFSIGNALED', 'WTERMSIG', 'WCOREDUMP', 'WIFSTOPPED', 'WSTOPSIG', 'WIFCONTINUED',
  'strcmp', 'strncmp', 'strlen', 'atoi', 'atol', 'abs', 'labs', 'strerror',
  'sigemptyset', 'sigfillset', 'sigaddset', 'sigdelset', 'sigismember',
  'memset', 'malloc', 'calloc', 'free', 'kmalloc', 'kzalloc', 'kfree', 'fflush',
  'IS_ERR', 'PTR_ERR', 'ERR_PTR', 'msecs_to_jiffies',
  // <string.h>, sprintf and <stdlib.h> (libc-string.ts, libc-stdlib.ts).
  'strcpy', 'strncpy', 'strcat', 'strncat', 'strchr', 'strrchr', 'strstr', 'strspn', 'strcspn', 'strdup', 'strndup',
  'strtok', 'memcpy', 'memmove', 'memcmp', 'sprintf', 'snprintf',
  'strtol', 'strtoul', 'strtoll', 'strtoull', 'atoll', 'realloc', 'rand', 'srand', 'getenv', 'setenv', 'unsetenv',
  'atexit', 'strsignal',
  // <sys/stat.h>'s file-type macros (libc-fd.ts).
  'S_ISDIR', 'S_ISREG', 'S_ISCHR', 'S_ISFIFO', 'S_ISLNK',
]);

/** Calls the catalog does not list but real programs use; how their result comes back. */
const EXTRA_CALLS: Readonly<Record<string, Convention>> = {
  putchar: 'direct', nanosleep: 'syscall', geteuid: 'syscall', getgid: 'syscall', getegid: 'syscall',
  strncmp: 'direct', labs: 'direct', atol: 'direct', calloc: 'direct', ERR_PTR: 'direct', getrusage: 'syscall',
  fprintf: 'direct', dprintf: 'direct', _Exit: 'none', execle: 'syscall',
};

function returnType(name: string, declared: string | undefined): CType {
  if (!declared) return INT;
  if (declared === 'void') return INT;
  if (declared.includes('task_struct')) return { k: 'ptr', to: { k: 'struct', name: 'task_struct', layout: null } };
  if (declared.includes('char *')) return CHAR_PTR;
  if (declared.includes('*') || declared === 'sighandler_t') return VOID_PTR;
  if (declared.includes('struct dirent')) return { k: 'ptr', to: { k: 'struct', name: 'dirent', layout: null } };
  if (/long|size_t|pthread_t|off_t/.test(declared)) return LONG;
  return name === 'sleep' || name === 'alarm' ? { k: 'int', bytes: 4, unsigned: true, name: 'unsigned int' } : INT;
}

export class CallCompiler extends ExprCompiler {
  override call(e: Extract<Expr, { kind: 'Call' }>, discard: boolean): CType {
    const t = this.callValue(e);
    if (discard) this.emit(Op.POP);
    return t;
  }

  private callValue(e: Extract<Expr, { kind: 'Call' }>): CType {
    const c = e.callee;
    if (c.kind === 'Ident' && !this.isVariable(c.name)) {
      const fi = this.m.fnIndex.get(c.name);
      if (fi !== undefined) return this.direct(e, c.name, fi);
      if (c.name === 'pthread_once' && e.args.length === 2 && !this.m.defines.has(c.name)) return this.once(e);
      if (!this.m.defines.has(c.name)) return this.builtin(e, c.name);
    }
    // Through a pointer: the text address goes below the arguments.
    const ft = decay(this.expr(c));
    for (const a of e.args) this.expr(a);
    this.emit(Op.CALLI, e.args.length);
    const p = pointee(ft);
    return p && p.k === 'ptr' ? p : LONG;
  }

  private direct(e: Extract<Expr, { kind: 'Call' }>, name: string, fi: number): CType {
    const params = this.m.fnParams.get(name) ?? [];
    if (e.args.length !== params.length) {
      this.m.error(e.range, `too ${e.args.length < params.length ? 'few' : 'many'} arguments to function '${name}'`, 'vm-args');
    }
    for (let i = 0; i < params.length; i++) {
      const a = e.args[i];
      if (!a) { this.emit(Op.PUSH, 0); continue; }
      const t = decay(this.expr(a));
      this.convert(t, params[i]);
    }
    for (let i = params.length; i < e.args.length; i++) this.expr(e.args[i], true);
    this.emit(Op.CALL, fi, params.length);
    return this.m.fnTypes.get(name) ?? INT;
  }

  /**
   * pthread_once(once, routine): the C library calls routine itself, so the call expands to its
   * two halves around a call through the pointer (libc-sync.ts): `if (enter(once)) { routine();
   * done(once); }` and 0. enter sleeps while another thread runs the routine.
   */
  private once(e: Extract<Expr, { kind: 'Call' }>): CType {
    const skip = this.newLabel();
    this.expr(e.args[0]);
    this.emit(Op.SYS, this.m.site('__pthread_once_enter', 1, 'direct', e.range));
    this.jump(Op.JZ, skip);
    this.expr(e.args[1]);
    this.emit(Op.CALLI, 0);
    this.emit(Op.POP);
    this.expr(e.args[0]);
    this.emit(Op.SYS, this.m.site('__pthread_once_done', 1, 'direct', e.range));
    this.emit(Op.POP);
    this.bind(skip);
    this.emit(Op.PUSH, 0);
    return INT;
  }

  private builtin(e: Extract<Expr, { kind: 'Call' }>, name: string): CType {
    const info = lookupCall(name);
    const extra = EXTRA_CALLS[name];
    if (!info && extra === undefined) {
      this.m.error(e.callee.range, `implicit declaration of function '${name}'`, 'vm-undefined');
    }
    let scale: [number, number] | undefined;
    for (let i = 0; i < e.args.length; i++) {
      const t = this.expr(e.args[i]);
      if (i === 0 && (name === 'memset' || name === 'memcpy' || name === 'memmove' || name === 'memcmp' || name === 'qsort')) {
        const el = pointee(decay(t)) ?? INT;
        scale = [Math.max(1, bytesOf(el)), cellsOf(el)];
      }
    }
    const conv: Convention = info ? info.convention : extra ?? 'syscall';
    const site = this.m.site(name, e.args.length, conv, e.range, scale);
    this.emit(PURE_CALLS.has(name) ? Op.PURE : Op.SYS, site);
    if (name === 'current' || name === 'get_current' || name === 'kthread_run' || name === 'kthread_create' || name === 'find_task_by_vpid') {
      return { k: 'ptr', to: this.m.types.struct('task_struct') };
    }
    if (name === 'malloc' || name === 'calloc' || name === 'realloc' || name === 'kmalloc' || name === 'kzalloc') return VOID_PTR;
    return returnType(name, info?.returns);
  }
}
