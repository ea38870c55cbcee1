// The kernel's global state and the primitives step handlers use (call, return, block, wake).
export class Kernel {}
