// Calls: scenario functions (CALL), calls through function pointers (CALLI), library helpers the
// VM evaluates itself (PURE) and everything that needs the kernel (SYS, a trap).
import type { Expr } from '../lang/ast';
import { walkExpr as walk } from '../lang/walk';
import { lookupCall } from '../lang/builtins';
import type { Convention } from '../lang/builtins-types';
import { bytesOf, cellsOf, CHAR_PTR, decay, DOUBLE, FLOAT, INT, LONG, pointee, typeName, VOID_PTR, type CType } from './ctypes';
import { leftToRightIsExact, hasEffects, sameRegisterType, type ArgKind } from './arg-order';
import { ExprCompiler } from './compile-expr';
import { Op } from './opcodes';
import { MATH_CALLS } from './libc-math';
import { isByteCells } from './byte-image';
import { CTYPE_CALLS } from './libc-ctype';

/** Library helpers evaluated inside the VM, without the kernel. */
export const PURE_CALLS: ReadonlySet<string> = new Set([
  'WIFEXITED', 'WEXITSTATUS', 'WIFSIGNALED', 'WTERMSIG', 'WCOREDUMP', 'WIFSTOPPED', 'WSTOPSIG', 'WIFCONTINUED',
  'strcmp', 'strncmp', 'strlen', 'atoi', 'atol', 'abs', 'labs', 'llabs', 'getpagesize', 'strerror', 'pthread_equal',
  'sigemptyset', 'sigfillset', 'sigaddset', 'sigdelset', 'sigismember',
  'CPU_ZERO', 'CPU_SET', 'CPU_CLR', 'CPU_ISSET', 'CPU_COUNT',
  // <sys/select.h>'s fd_set macros (libc-fd.ts).
  'FD_ZERO', 'FD_SET', 'FD_CLR', 'FD_ISSET',
  // Spin locks: no system call, a held lock is spun on in the VM (libc-spin.ts).
  'pthread_spin_init', 'pthread_spin_destroy', 'pthread_spin_lock', 'pthread_spin_trylock', 'pthread_spin_unlock',
  'memset', 'malloc', 'calloc', 'free', 'kmalloc', 'kzalloc', 'kfree',
  'IS_ERR', 'PTR_ERR', 'ERR_PTR', 'msecs_to_jiffies',
  // <string.h>, sprintf and <stdlib.h> (libc-string.ts, libc-stdlib.ts).
  'strcpy', 'strncpy', 'strcat', 'strncat', 'strchr', 'strrchr', 'strstr', 'strspn', 'strcspn', 'strdup', 'strndup',
  'strtok', 'strtok_r', 'strpbrk', 'strcasecmp', 'strncasecmp', 'strnlen', 'memchr', 'memcpy', 'memmove', 'memcmp', 'sprintf', 'snprintf',
  'strtol', 'strtoul', 'strtoll', 'strtoull', 'atoll', 'realloc', 'rand', 'srand', 'getenv', 'setenv', 'unsetenv', 'putenv',
  'atexit', 'on_exit', 'strsignal', ...MATH_CALLS, ...CTYPE_CALLS,
  // A FILE's flags and descriptor (stdio-calls.ts).
  'ferror', 'feof', 'clearerr', 'fileno', 'ungetc', 'sscanf',
  // The bytes of a union's integer member (union-bytes.ts; the compiler emits them itself).
  '__le_load', '__le_store',
  // <sys/stat.h>'s file-type macros (libc-fd.ts).
  'S_ISDIR', 'S_ISREG', 'S_ISCHR', 'S_ISFIFO', 'S_ISLNK',
]);

/** div, ldiv and lldiv: the struct each returns and the type of its operands. */
const DIV_RESULTS: Readonly<Record<string, readonly [string, CType]>> = {
  div: ['div_t', INT], ldiv: ['ldiv_t', LONG], lldiv: ['lldiv_t', { k: 'int', bytes: 8, unsigned: false, name: 'long long' }],
};

/** Calls whose second argument is a message buffer moved as bytes (vm/libc-msg.ts). */
const MSG_BUF_CALLS: ReadonlySet<string> = new Set(['msgsnd', 'msgrcv', 'mq_send', 'mq_receive', 'mq_timedsend', 'mq_timedreceive']);
const SIZE_T: CType = { k: 'int', bytes: 8, unsigned: true, name: 'size_t' };

/** Calls the catalog does not list but real programs use; how their result comes back. */
const EXTRA_CALLS: Readonly<Record<string, Convention>> = {
  putchar: 'direct', geteuid: 'syscall', getgid: 'syscall', getegid: 'syscall',
  strncmp: 'direct', labs: 'direct', atol: 'direct', calloc: 'direct', ERR_PTR: 'direct',
  fprintf: 'direct', dprintf: 'direct', _Exit: 'none', execle: 'syscall',
};

function returnType(name: string, declared: string | undefined): CType {
  if (!declared) return INT;
  if (declared === 'void') return INT;
  if (declared === 'double') return DOUBLE;
  if (declared === 'float') return FLOAT;
  if (declared.includes('task_struct')) return { k: 'ptr', to: { k: 'struct', name: 'task_struct', layout: null } };
  if (declared.includes('char *')) return CHAR_PTR;
  if (declared.includes('*') || declared === 'sighandler_t') return VOID_PTR;
  if (declared.includes('struct dirent')) return { k: 'ptr', to: { k: 'struct', name: 'dirent', layout: null } };
  if (/long|size_t|pthread_t|off_t/.test(declared)) return LONG;
  return name === 'sleep' || name === 'alarm' ? { k: 'int', bytes: 4, unsigned: true, name: 'unsigned int' } : INT;
}

/**
 * The arithmetic type of a library parameter as the catalog spells it ('double x', 'int c'),
 * for the conversion C applies to an argument: a double passed for an int is truncated, an int
 * passed for a double converted.
 */
function paramType(p: string): CType {
  if (p.includes('*')) return VOID_PTR;
  if (/\bdouble\b/.test(p)) return DOUBLE;
  if (/\bfloat\b/.test(p)) return FLOAT;
  if (/\blong\b|size_t|pthread_t|off_t|time_t/.test(p)) return LONG;
  return /\bunsigned\b|uid_t|gid_t|mode_t/.test(p) ? { k: 'int', bytes: 4, unsigned: true, name: 'unsigned int' } : INT;
}

/** The parameter types of a library function, as its catalog entry declares them. */
export function libraryParams(name: string): CType[] {
  return (lookupCall(name)?.params ?? []).filter((p) => p !== '...').map(paramType);
}

export class CallCompiler extends ExprCompiler {
  /** A call of the library function itself (a wrapper's body: a function of the file with the same name is not it). */
  libraryCall(e: Extract<Expr, { kind: 'Call' }>): CType {
    return this.builtin(e, (e.callee as Extract<Expr, { kind: 'Ident' }>).name);
  }

  /**
   * container_of(ptr, type, member), as the parser gives it for list_entry, list_first_entry,
   * next_task and the list walks: `type` is carried by a sizeof (of the type, or of `*pos` for
   * typeof(*pos)), `member` by a string. In scenario memory it is C's pointer arithmetic (one cell
   * per member); for a kernel structure the host finds the object the member belongs to.
   */
  private containerOf(e: Extract<Expr, { kind: 'Call' }>): CType {
    const [ptr, carrier, member] = e.args;
    if (e.args.length !== 3 || carrier.kind !== 'Sizeof' || member.kind !== 'String') {
      this.m.error(e.range, 'container_of needs a pointer, a struct type and a member name', 'vm-type');
      this.emit(Op.PUSH, 0);
      return VOID_PTR;
    }
    const t = carrier.type ? this.m.types.resolve(carrier.type) : this.typeOf(carrier.operand as Expr);
    this.expr(ptr);
    if (t.k !== 'struct' || !t.layout) {
      this.m.error(carrier.range, `container_of needs a struct type with a definition, not '${typeName(t)}'`, 'vm-type');
      return VOID_PTR;
    }
    const f = t.layout.fields.find((x) => x.name === member.value);
    if (!f) {
      this.m.error(member.range, `'struct ${t.name}' has no member named '${member.value}'`, 'vm-field');
    } else if (t.layout.kernel) {
      this.emit(Op.FIELD, this.m.constant(`container_of ${t.name}.${member.value}`));
    } else if (f.offset !== 0) {
      this.emit(Op.PUSH, f.offset);
      this.emit(Op.SUB);
    }
    return { k: 'ptr', to: t };
  }

  /** offsetof(type, member), as the parser gives it: a sizeof carrying the type, the member as a string. */
  private offsetOf(e: Extract<Expr, { kind: 'Call' }>): CType {
    const at = this.memberOffset(e);
    if (at === undefined) {
      const [carrier, member] = e.args;
      const t = carrier?.kind === 'Sizeof' && carrier.type ? this.m.types.resolve(carrier.type) : undefined;
      if (!t || t.k !== 'struct' || !t.layout || t.layout.kernel) {
        this.m.error(e.range, `offsetof needs a struct type with a definition${t ? `, not '${typeName(t)}'` : ''}`, 'vm-type');
      } else {
        this.m.error(member.range, `'${typeName(t)}' has no member named '${member.kind === 'String' ? member.value : ''}'`, 'vm-field');
      }
    }
    this.emit(Op.PUSH, at ?? 0);
    return SIZE_T;
  }

  /**
   * div, ldiv and lldiv: the quotient and the remainder C's / and % give, stored in a hidden
   * div_t of the frame whose address is the value (a struct value is its address here).
   */
  private divide(e: Extract<Expr, { kind: 'Call' }>, name: string): CType {
    const [resName, operand] = DIV_RESULTS[name];
    const num = this.temp(), den = this.temp(), quot = this.temp();
    this.temp();
    this.convert(decay(this.expr(e.args[0])), operand);
    this.emit(Op.STORELP, num);
    this.convert(decay(this.expr(e.args[1])), operand);
    this.emit(Op.STORELP, den);
    for (const [op, cell] of [['/', quot], ['%', quot + 1]] as const) {
      this.emit(Op.LOADL, num);
      this.emit(Op.LOADL, den);
      this.arithmetic(op, operand, operand, e.range);
      this.emit(Op.STORELP, cell);
    }
    this.emit(Op.ADDRL, quot);
    return this.m.types.struct(resName);
  }

  override call(e: Extract<Expr, { kind: 'Call' }>, discard: boolean): CType {
    const t = this.callValue(e);
    if (discard) this.emit(Op.POP);
    return t;
  }

  private callValue(e: Extract<Expr, { kind: 'Call' }>): CType {
    // `(*fp)(x)` calls what fp points at, as fp(x) does: a function designator decays back to
    // its pointer, so any number of `*` before a called expression changes nothing.
    let c = e.callee;
    while (c.kind === 'Unary' && c.op === '*') c = c.operand;
    if (c.kind === 'Ident' && !this.isVariable(c.name)) {
      const fi = this.m.fnIndex.get(c.name);
      if (fi !== undefined) return this.direct(e, c.name, fi);
      if (c.name === 'pthread_once' && e.args.length === 2 && !this.m.defines.has(c.name)) return this.once(e);
      if (c.name === 'container_of' && !this.m.defines.has(c.name)) return this.containerOf(e);
      if (c.name === 'offsetof' && !this.m.defines.has(c.name)) return this.offsetOf(e);
      if (DIV_RESULTS[c.name] !== undefined && e.args.length === 2 && !this.m.defines.has(c.name)) return this.divide(e, c.name);
      if (!this.m.defines.has(c.name)) return this.builtin(e, c.name);
    }
    // Through a pointer: the text address goes below the arguments.
    const ft = decay(this.expr(c));
    this.pushArgs(e.args, e.args.map(() => undefined), (i) => { this.argument(e.args[i]); });
    this.emit(Op.CALLI, e.args.length);
    const p = pointee(ft);
    return p && p.k === 'ptr' ? p : LONG;
  }

  /**
   * An argument's value. A struct is passed as its address and the callee copies it; a struct a
   * call returned lies in that call's finished frame, which the next call's frame reuses, so it
   * is copied into a hidden struct of this frame first.
   */
  private argument(e: Expr): CType {
    const t = decay(this.expr(e));
    if (e.kind !== 'Call' || t.k !== 'struct' || !t.layout) return t;
    const from = this.temp(), n = cellsOf(t), to = this.temp();
    for (let i = 1; i < n; i++) this.temp();
    this.emit(Op.STORELP, from);
    this.emit(Op.ADDRL, to);
    this.emit(Op.LOADL, from);
    this.emit(Op.COPY, n);
    this.emit(Op.ADDRL, to);
    return t;
  }

  private direct(e: Extract<Expr, { kind: 'Call' }>, name: string, fi: number): CType {
    const params = this.m.fnParams.get(name) ?? [];
    if (e.args.length !== params.length) {
      this.m.error(e.range, `too ${e.args.length < params.length ? 'few' : 'many'} arguments to function '${name}'`, 'vm-args');
    }
    const given = e.args.slice(0, params.length);
    this.pushArgs(given, params, (i) => this.convert(this.argument(given[i]), params[i]));
    for (let i = e.args.length; i < params.length; i++) this.emit(Op.PUSH, 0);
    for (let i = params.length; i < e.args.length; i++) this.expr(e.args[i], true);
    this.emit(Op.CALL, fi, params.length);
    return this.m.fnTypes.get(name) ?? INT;
  }

  /**
   * Pushes a call's arguments left to right, evaluated in gcc's order (arg-order.ts): when that
   * order differs observably from left to right, the arguments evaluated in place go right to
   * left into hidden frame cells, as gcc's temporaries, and the register reads come last.
   * `params[i]` is the parameter's type, undefined for a variadic or unknown one.
   */
  private pushArgs(args: readonly Expr[], params: ReadonlyArray<CType | undefined>, push: (i: number) => void): void {
    const kinds = args.map((a, i) => this.argKind(a, params[i]));
    if (leftToRightIsExact(kinds)) {
      for (let i = 0; i < args.length; i++) push(i);
      return;
    }
    const cells: Array<number | undefined> = [];
    for (let i = args.length - 1; i >= 0; i--) {
      if (kinds[i] !== 'eff' && kinds[i] !== 'read') continue;
      push(i);
      const cell = this.temp();
      this.emit(Op.STORELP, cell);
      cells[i] = cell;
    }
    for (let i = 0; i < args.length; i++) {
      const cell = cells[i];
      if (cell === undefined) push(i);
      else this.emit(Op.LOADL, cell);
    }
  }

  private argKind(a: Expr, param: CType | undefined): ArgKind {
    if (this.fold(a)) return 'const';
    if (this.argHasEffects(a, 0)) return 'eff';
    let x = a;
    const casts: Expr[] = [];
    while (x.kind === 'Cast') { casts.push(x); x = x.operand; }
    if (x.kind !== 'Ident') return 'read';
    const v = this.lookupLocal(x.name);
    if (!v || v.isStatic || this.addressed.has(x.name)) return 'read';
    if (v.type.k === 'array') return 'reg';
    if (!sameRegisterType(v.type, v.type)) return 'read';
    for (const c of casts) {
      if (c.kind === 'Cast' && !sameRegisterType(this.m.types.resolve(c.type), v.type)) return 'read';
    }
    return param === undefined || sameRegisterType(v.type, param) ? 'reg' : 'read';
  }

  /** hasEffects, looking into the bodies of object-like #defines an argument names. */
  private argHasEffects(e: Expr, depth: number): boolean {
    if (hasEffects(e)) return true;
    if (depth >= 8) return false;
    let found = false;
    walk(e, (x) => {
      if (found || x.kind !== 'Ident' || this.isVariable(x.name)) return;
      const d = this.m.defines.get(x.name);
      if (d && this.argHasEffects(d, depth + 1)) found = true;
    });
    return found;
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
    let bufType: CType | undefined;
    this.pushArgs(e.args, e.args.map(() => undefined), (i) => {
      const t = this.expr(e.args[i]);
      // Integer arguments keep their value as before; floating ones meet their parameter's type.
      const p = info?.params[i];
      const pt = p === undefined || p === '...' ? undefined : paramType(p);
      if (pt && (t.k === 'float' || pt.k === 'float')) this.convert(decay(t), pt);
      if ((i === 0 && (name === 'memset' || name === 'memcpy' || name === 'memmove' || name === 'memcmp' || name === 'qsort')) || (i === 1 && name === 'bsearch')) {
        const el = pointee(decay(t)) ?? INT;
        scale = [Math.max(1, bytesOf(el)), cellsOf(el)];
      }
      if ((i === 1 && (name === 'read' || name === 'write')) || (i === 0 && (name === 'fread' || name === 'fwrite'))) {
        const el = pointee(decay(t));
        if (el && el.k !== 'fn' && !isByteCells(el)) bufType = el;
      }
      // A message queue buffer: the struct msgbuf (or record) even through a (void *) cast.
      if (i === 1 && MSG_BUF_CALLS.has(name)) {
        const a = e.args[i];
        const el = pointee(decay(a.kind === 'Cast' ? this.typeOf(a.operand) : t));
        if (el && el.k !== 'fn' && !isByteCells(el)) bufType = el;
      }
    });
    const conv: Convention = info ? info.convention : extra ?? 'syscall';
    const site = this.m.site(name, e.args.length, conv, e.range, scale);
    if (bufType) this.m.sites[site].bufType = bufType;
    this.emit(PURE_CALLS.has(name) ? Op.PURE : Op.SYS, site);
    if (name === 'current' || name === 'get_current' || name === 'kthread_run' || name === 'kthread_create' || name === 'find_task_by_vpid') {
      return { k: 'ptr', to: this.m.types.struct('task_struct') };
    }
    if (name === 'malloc' || name === 'calloc' || name === 'realloc' || name === 'kmalloc' || name === 'kzalloc') return VOID_PTR;
    return returnType(name, info?.returns);
  }
}
