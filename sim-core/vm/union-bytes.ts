// The integers of a union whose members overlap byte by byte (ctypes.ts): such a member is kept
// as its little-endian bytes, one cell each, so a char array over it reads what x86-64 memory
// holds. The compiler reads and writes it through these two helpers.
import { Fault } from './libc-fault';
import type { VmMemory } from './memory';
import { norm } from './int64';
import type { Value } from './types';

function big(v: Value | undefined): bigint {
  if (typeof v === 'bigint') return v;
  return typeof v === 'number' && Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
}

/**
 * __le_load(addr, bytes, unsigned): the integer in `bytes` cells from addr, low byte first;
 * __le_store(addr, value, bytes, unsigned): stores value's bytes and returns it. Null for another name.
 */
export function bytesCall(name: string, a: Value[], mem: VmMemory): Value | Fault | null {
  if (name !== '__le_load' && name !== '__le_store') return null;
  const addr = typeof a[0] === 'number' ? a[0] : 0;
  if (name === '__le_load') {
    const n = typeof a[1] === 'number' ? a[1] : 4;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) {
      const c = mem.load(addr + i);
      if (c === undefined) return new Fault('SIGSEGV', addr === 0 ? 'NULL pointer dereference' : 'invalid read of a union member');
      v = (v << 8n) | (big(c) & 0xffn);
    }
    return norm(a[2] === 1 ? BigInt.asUintN(n * 8, v) : BigInt.asIntN(n * 8, v));
  }
  const n = typeof a[2] === 'number' ? a[2] : 4;
  const v = big(a[1]);
  for (let i = 0; i < n; i++) {
    if (!mem.store(addr + i, Number((v >> BigInt(8 * i)) & 0xffn))) {
      return new Fault('SIGSEGV', addr === 0 ? 'NULL pointer dereference' : 'invalid write of a union member');
    }
  }
  return a[1] ?? 0;
}
