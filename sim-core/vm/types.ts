// The contract between the user-level VM and the kernel model. The VM executes compiled scenario
// code on explicit, copyable state; whenever the code needs the kernel it stops with a Trap.

/**
 * A handle on a kernel object that scenario kernel code holds in a variable
 * (`struct task_struct *consumer = kthread_run(...)`). The VM never looks inside; field reads go
 * through VmHost.readField. `kref` names the kind of object ('task', or a structure embedded in
 * one: 'list:children', 'se', 'signal'...), `id` the kernel address of the object that holds it;
 * two handles are equal when both are. `of` is what a container_of that names the wrong member
 * was given (the address it computed holds no such structure, as when a walk reaches its head).
 */
export interface KRef {
  readonly kref: string;
  readonly id: number;
  readonly of?: KRef | number;
}

/**
 * &init_task in scenario code: the boot task's handle, the same in every machine. init_task is a
 * static variable of the kernel image, so its address is in the kernel's text mapping
 * (0xffffffff8...), away from the slab objects every other task is (it is a multiple of 0x800,
 * exact as a double).
 */
export const INIT_TASK_REF: KRef = { kref: 'task', id: 0xffffffff82a0c800 };

/**
 * One memory cell. Integers (C int/long/pid_t, pointers as addresses, function pointers as text
 * addresses) hold their exact value in one canonical form (int64.ts): a number when it is a safe
 * integer (|v| <= 2^53 - 1), a bigint only beyond that (64-bit values near LONG_MAX, ULONG_MAX),
 * so that equality stays `===` and small values take the number paths. String literals are JS
 * strings; kernel handles are KRefs.
 */
export type Value = number | bigint | string | KRef;

/**
 * An address space's contents (the part of mm_struct the VM needs). dup_mm copies it with clone();
 * CLONE_VM shares the same object. Addresses are numbers: segment * SEGMENT_SPAN + offset, where
 * segment 0 holds globals and each thread's stack is its own segment. Address 0 is NULL.
 */
export interface UserMemory {
  load(addr: number): Value | undefined;
  /** Returns false when the address is not mapped (the caller raises SIGSEGV). */
  store(addr: number, value: Value): boolean;
  /** A new stack segment for a new thread (pthread_create); returns its segment number. */
  newStack(): number;
  /** Unmaps a thread's stack (the thread exited). */
  freeStack(segment: number): void;
  /** A copy for fork (dup_mm), or null when the machine's memory budget cannot hold it. */
  clone(): UserMemory | null;
  /** A shared futex's key at addr (the shared object and offset), or null when addr is not in shared memory. */
  sharedKey(addr: number): string | null;
  /** Cells in use, for memory accounting. */
  size(): number;
  /** Charges this address space to the machine's budget (when an mm takes it). */
  attach(budget: MemoryBudget): void;
  /** Gives its cells back to the budget (the last user of the mm is gone). */
  release(): void;
}

/**
 * The cells all the address spaces of one machine may hold together, like the RAM of a real
 * one: past it malloc returns NULL and fork fails with ENOMEM, instead of the simulator itself
 * running out of memory. Heap blocks, stack growth and the copies fork makes are counted; a
 * call that would grow a stack past it faults like a stack overflow.
 */
export interface MemoryBudget {
  used: number;
  readonly limit: number;
}

/** Per-thread register state (the frames, pc, operand stack, errno). copy_thread clones it. */
export interface UserRegs {
  clone(): UserRegs;
  /** Source line (0-based) of the statement about to run, or -1 when no frame is active. */
  readonly line: number;
}

/** A frame as the debugger shows it. */
export interface UserFrameInfo {
  function: string;
  /** 0-based line of the current statement. */
  line: number;
  /** Source offsets of the current statement. */
  start: number;
  end: number;
  locals: Array<{ name: string; type: string; addr: number; value: Value | undefined }>;
}

/** Why the VM stopped executing a thread. */
export type Trap =
  /** About to execute a statement (a step boundary); `line` is 0-based. Only when asked for. */
  | { kind: 'statement'; line: number; start: number; end: number; fn: string }
  /** Entering a scenario function (for function breakpoints); only when asked for. */
  | { kind: 'call'; fn: string; line: number }
  /**
   * A system call by its kernel name (fork, wait4, kill, clock_nanosleep, clone3, futex, write
   * from printf, exit_group from exit or main's return, exit from a thread's end, rt_sigreturn
   * when a handler returned), or a kernel function scenario kernel code calls (kthread_run,
   * schedule, printk, ...). The kernel answers with VM.completeCall.
   */
  | { kind: 'syscall'; name: string; args: Value[]; line: number }
  /** A fault the kernel turns into a signal: SIGSEGV (bad pointer), SIGFPE (division by zero). */
  | { kind: 'fault'; signal: 'SIGSEGV' | 'SIGFPE' | 'SIGILL' | 'SIGBUS'; message: string; line: number }
  /** The instruction budget given to run() is used up. */
  | { kind: 'budget' };

/** Things the VM asks of its host synchronously (no scheduling, no steps). */
export interface VmHost {
  /** A field of a kernel object: through a handle, or a list_head at an address of scenario memory. */
  readField(ref: KRef | number, field: string): Value;
}
