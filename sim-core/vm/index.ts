// The user-level VM's public surface: compile a scenario, create address spaces and threads,
// run them to their next trap, complete calls, deliver signal frames, inspect frames.
export * from './types';
export { compile } from './compile';
export { BUDGET, run, type RunOptions } from './run';
export {
  completeCall, createMemory, enterFirstStatement, entryRegs, execEntry, functionAddress, functionAt, pendingCall, programFunction,
  pushSignalFrame, sigreturn, type EntryOptions, type ExecImage,
} from './entry';
export { frames, readExpression, type ReadResult } from './debug';
export { builtinImage, builtinProgramPaths, isBuiltinProgram, loadBuiltinProgram, userlandFileOf, userlandSources } from './programs';
export { readArgv, readString, strerror } from './libc';
export { format } from './printf';
export { VmMemory } from './memory';
export { VmRegs } from './regs';
export { SEGMENT_SPAN, TEXT_BASE, TEXT_STRIDE, type Image } from './image';
