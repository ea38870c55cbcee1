// A fault raised by a C library helper (a bad pointer); the VM turns it into a fault trap.
export class Fault {
  constructor(readonly signal: 'SIGSEGV' | 'SIGFPE' | 'SIGILL' | 'SIGBUS', readonly message: string) {}
}
