// Shapes of the builtins catalog: what the checker, the VM, the language server and hovers need to
// know about every call, constant and struct layout the scenario language recognises.

/** Where a name may be used: user-space programs, kernel code (module/kthread), or both. */
export type Side = 'user' | 'kernel' | 'both';

/**
 * How the return value reaches the caller.
 * - 'syscall': the kernel returns -errno; the C library stores errno and returns -1.
 * - 'direct': the value is returned as is (pthread_* error numbers, pure macros, kernel functions).
 * - 'none': the function returns void.
 */
export type Convention = 'syscall' | 'direct' | 'none';

export interface CallInfo {
  name: string;
  /** Parameter declarations as C writes them (`pid_t pid`), for signature help. */
  params: string[];
  /** Return type as C writes it (`pid_t`, `void`, `struct task_struct *`). */
  returns: string;
  minArgs: number;
  /** -1 for variadic. */
  maxArgs: number;
  side: Side;
  convention: Convention;
  /** Pure macros (WEXITSTATUS...) the VM evaluates itself, without a trap. */
  isMacro?: boolean;
  /** Never returns to the caller (exit, _exit, pthread_exit, do_exit). */
  noreturn?: boolean;
  /** Returns only when it failed (the execve family): what follows it is the error path. */
  returnsOnlyOnError?: boolean;
  /** Short description in the project's own words. */
  doc: string;
  /** Kernel functions the call goes through, outermost first (Linux 6.x names). */
  kernelPath?: string[];
  header: string;
}

export type ConstantGroup =
  | 'clone' | 'signal' | 'errno' | 'wait-option' | 'idtype' | 'sig-handler' | 'sa-flag'
  | 'sigprocmask' | 'prctl' | 'rlimit' | 'task-state' | 'pf-flag' | 'exit-status' | 'null'
  | 'gfp' | 'numa' | 'time' | 'printk-level' | 'kernel-var' | 'libc-var' | 'stdio'
  | 'limits' | 'si-code' | 'syscall-nr' | 'itimer' | 'pthread' | 'clock' | 'sched' | 'fcntl' | 'mman';

export interface ConstantInfo {
  name: string;
  /**
   * Numeric value on Linux x86-64 (a bigint beyond 2^53, as LONG_MAX and ULONG_MAX are), or the
   * string for printk level prefixes.
   */
  value: number | bigint | string;
  group: ConstantGroup;
  side: Side;
  doc: string;
  header: string;
  /** How the kernel spells the value when it is an expression (`TASK_WAKEKILL | TASK_UNINTERRUPTIBLE`). */
  definition?: string;
}

export interface StructFieldInfo {
  name: string;
  type: string;
  doc: string;
}

export interface StructInfo {
  /** Tag name without `struct` (`sigaction`, `task_struct`). */
  name: string;
  side: Side;
  header: string;
  doc: string;
  fields: StructFieldInfo[];
  /** True when scenario code may only read the fields (task_struct through a KRef). */
  readOnly?: boolean;
}

/** A macro used as a top-level declaration in module code (`module_init(fn);`). */
export interface DeclMacroInfo {
  name: string;
  params: string[];
  minArgs: number;
  maxArgs: number;
  side: Side;
  doc: string;
  header: string;
}
