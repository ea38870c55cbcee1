// Non-local jumps of <setjmp.h>: setjmp and sigsetjmp save where the caller is, longjmp and
// siglongjmp go back there (sim-core/vm/libc-jmp.ts), as glibc's __sigsetjmp and __longjmp do.
import type { CallInfo } from './builtins-types';

function jmp(name: string, returns: string, params: string[], doc: string, noreturn = false): CallInfo {
  const info: CallInfo = {
    name, params, returns, doc, header: '<setjmp.h>', side: 'user',
    minArgs: params.length, maxArgs: params.length, convention: returns === 'void' ? 'none' : 'direct',
  };
  if (noreturn) info.noreturn = true;
  return info;
}

const SAVE = 'Saves the calling environment (where the call is, the frame, the stack) in env and returns 0; a later longjmp(env, val) returns here again with val (1 for 0), as long as the function that called it has not returned.';
const JUMP = 'Goes back to where setjmp or sigsetjmp saved env, unwinding every frame since (signal handlers\' frames included), so that call returns val (1 when val is 0). When sigsetjmp saved the signal mask, the mask is set back first (rt_sigprocmask). Locals of that function changed since setjmp should be volatile.';

export const JMP_CALLS: CallInfo[] = [
  jmp('setjmp', 'int', ['jmp_buf env'], `${SAVE} glibc's setjmp does not save the signal mask (it is _setjmp).`),
  jmp('_setjmp', 'int', ['jmp_buf env'], `${SAVE} The signal mask is not saved.`),
  jmp('sigsetjmp', 'int', ['sigjmp_buf env', 'int savemask'], `${SAVE} With savemask nonzero the signal mask is saved too (rt_sigprocmask), and siglongjmp restores it.`),
  jmp('longjmp', 'void', ['jmp_buf env', 'int val'], JUMP, true),
  jmp('_longjmp', 'void', ['jmp_buf env', 'int val'], JUMP, true),
  jmp('siglongjmp', 'void', ['sigjmp_buf env', 'int val'], JUMP, true),
];
