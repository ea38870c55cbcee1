// The <stdio.h> functions that go through a FILE: what each puts on which stream and what it
// returns (glibc's results: printf's count, fputs's 1, puts's length + 1, EOF on a failed write),
// the flushes (fflush, exit's _IO_cleanup after the atexit handlers) and the buffering modes.
// The writes themselves are stdio-ops.ts's state machine.
import type { CallSite } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Trap, Value } from './types';
import { Done } from './libc-calls';
import { Fault } from './libc-fault';
import { cellCost } from './cost';
import { cstring } from './cstring';
import { formatCounted } from './printf';
import { strerror } from './strerror';
import { psignalText } from './libc-stdlib';
import { psiginfoText } from './libc-psiginfo';
import { allStreams, BUFSIZ, cell, F_FILENO, F_FLAGS, flagsInt, IO_EOF_SEEN, IO_ERR_SEEN, standardStream } from './stdio-file';
import { startGet, ungetc } from './stdio-input';
import { encodeBytes } from './byte-image';
import { startSeek } from './stdio-seek';
import { startClose, startOpen } from './stdio-open';
import { scan } from './stdio-scanf';
import { exitStreams, IOFBF, IOLBF, IONBF, startFlush, startPut, startSetvbuf, type PutKind } from './stdio-ops';

const EOF = -1, EOVERFLOW = 75;
const MAX_STRING = 1 << 28;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

function str(mem: VmMemory, v: Value | undefined): string {
  return cstring(mem, v, MAX_STRING) ?? '(null)';
}

/** The names stdioCall answers. */
export const STDIO_CALLS: ReadonlySet<string> = new Set(['printf', 'fprintf', 'puts', 'fputs', 'fputc', 'putc', 'putchar',
  'perror', 'psignal', 'psiginfo', 'fwrite', 'fflush', 'setvbuf', 'setbuf', 'setlinebuf', 'exit',
  'getchar', 'fgetc', 'getc', 'fgets', 'fread', 'scanf', 'fscanf', 'fopen', 'fdopen', 'fclose', 'pclose', 'getline', 'getdelim',
  'fseek', 'ftell', 'rewind', 'fseeko', 'ftello']);

/** Call sites' indexes in their image, found once (printf is called often). */
const SITE_INDEX = new WeakMap<CallSite, number>();

function siteIndex(r: VmRegs, site: CallSite): number {
  let i = SITE_INDEX.get(site);
  if (i === undefined) { i = r.image.sites.indexOf(site); SITE_INDEX.set(site, i); }
  return i;
}

/**
 * A stdio call: its first system call (the op goes on in resumeLibc), its result when it needs
 * none (text that stays buffered), or a fault (a bad FILE pointer).
 */
export function stdioCall(site: CallSite, a: Value[], mem: VmMemory, r: VmRegs): Trap | Done | Fault {
  const name = site.name, line = site.line, idx = siteIndex(r, site);
  const put = (fp: number, text: string, kind: PutKind, ok: Value): Trap | Done | Fault => {
    r.owed += cellCost(text.length);
    return startPut(name, idx, line, mem, r, fp, text, kind, ok, EOF);
  };
  const stdout = (): number => standardStream(r.image, mem, 'stdout');
  switch (name) {
    case 'printf': case 'fprintf': {
      const [fp, f, rest] = name === 'printf' ? [stdout(), a[0], a.slice(1)] : [num(a[0]), a[1], a.slice(2)];
      // A width of 100,000,000 is legal: its characters are counted and charged, and built only up
      // to FORMAT_LIMIT (the machine's output limit ends such a run). Past INT_MAX: EOVERFLOW.
      const out = formatCounted(str(mem, f), rest, (v) => cstring(mem, v, MAX_STRING));
      if (out.overflow) { r.owed += cellCost(out.length); r.errno = EOVERFLOW; return new Done(-1); }
      r.owed += cellCost(out.length - out.text.length);
      return put(fp, out.text, 'str', out.length);
    }
    case 'puts': {
      const s = str(mem, a[0]);
      return put(stdout(), s, 'line', Math.min(0x7fffffff, s.length + 1));
    }
    case 'fputs': return put(num(a[1]), str(mem, a[0]), 'str', 1);
    case 'putchar': return put(stdout(), String.fromCharCode(num(a[0]) & 0xff), 'char', num(a[0]) & 0xff);
    case 'fputc': case 'putc': return put(num(a[1]), String.fromCharCode(num(a[0]) & 0xff), 'char', num(a[0]) & 0xff);
    case 'perror': {
      // errno as it is at the call, on stderr: "s: text\n" (just the text when s is NULL or "").
      const s = cstring(mem, a[0], MAX_STRING);
      return put(standardStream(r.image, mem, 'stderr'), `${s ? `${s}: ` : ''}${strerror(r.errno)}\n`, 'str', 0);
    }
    case 'psignal': {
      const s = cstring(mem, a[1], MAX_STRING);
      return put(standardStream(r.image, mem, 'stderr'), `${s ? `${s}: ` : ''}${psignalText(num(a[0]))}\n`, 'str', 0);
    }
    case 'psiginfo': {
      const si = num(a[0]);
      const cell = (i: number): number => num(mem.load(si + i));
      if (si === 0 || mem.load(si) === undefined) return new Fault('SIGSEGV', 'psiginfo: bad siginfo_t pointer');
      const text = psiginfoText({ signo: cell(0), code: cell(2), pid: cell(3), uid: cell(4), status: cell(5) }, cstring(mem, a[1], MAX_STRING));
      return put(standardStream(r.image, mem, 'stderr'), text, 'str', 0);
    }
    case 'fwrite': {
      // size * n bytes from ptr; the result counts whole items.
      const size = num(a[1]), n = num(a[2]);
      const total = size * n;
      if (total <= 0) return new Done(0);
      const text = site.bufType ? encodeBytes(mem, num(a[0]), site.bufType, total) : bytesAt(mem, num(a[0]), total);
      if (text === null) return new Fault('SIGSEGV', 'fwrite: bad buffer pointer');
      return put(num(a[3]), text, 'str', n);
    }
    case 'fflush': {
      const fp = num(a[0]);
      return startFlush(name, idx, line, mem, r, fp === 0 ? allStreams(r.image, mem) : [fp], 0);
    }
    case 'setvbuf': return startSetvbuf(name, idx, line, mem, r, a);
    case 'fopen': return startOpen(name, idx, line, mem, r, cstring(mem, a[0], MAX_STRING) ?? 0, str(mem, a[1]));
    case 'fdopen': return startOpen(name, idx, line, mem, r, num(a[0]), str(mem, a[1]));
    case 'fclose': case 'pclose': return startClose(idx, line, mem, r, num(a[0]));
    case 'getchar': return startGet(name, idx, line, mem, r, standardStream(r.image, mem, 'stdin'), []);
    case 'fgetc': case 'getc': return startGet(name, idx, line, mem, r, num(a[0]), []);
    case 'fgets': return startGet(name, idx, line, mem, r, num(a[2]), [num(a[0]), num(a[1])]);
    case 'fread': return startGet(name, idx, line, mem, r, num(a[3]), [num(a[0]), num(a[1]), num(a[2])]);
    case 'fseek': case 'fseeko': case 'ftell': case 'ftello': case 'rewind': return startSeek(name, idx, line, mem, r, a);
    case 'getline': return startGet('getdelim', idx, line, mem, r, num(a[2]), [num(a[0]), num(a[1]), 10]);
    case 'getdelim': return startGet('getdelim', idx, line, mem, r, num(a[3]), [num(a[0]), num(a[1]), num(a[2]) & 0xff]);
    case 'scanf': return startGet(name, idx, line, mem, r, standardStream(r.image, mem, 'stdin'), [str(mem, a[0]), ...a.slice(1)]);
    case 'fscanf': return startGet(name, idx, line, mem, r, num(a[0]), [str(mem, a[1]), ...a.slice(2)]);
    case 'setbuf': return startSetvbuf(name, idx, line, mem, r, [a[0] ?? 0, a[1] ?? 0, num(a[1]) !== 0 ? IOFBF : IONBF, BUFSIZ]);
    case 'setlinebuf': return startSetvbuf(name, idx, line, mem, r, [a[0] ?? 0, 0, IOLBF, 0]);
    default: return exitCall(r, mem, idx, line, num(a[0]));
  }
}

/** ferror, feof, clearerr and fileno: a FILE's flags and descriptor, read where they lie. */
export function stdioPure(name: string, a: Value[], mem: VmMemory): Value | Fault | null {
  if (name === 'ungetc') return ungetc(mem, num(a[0]), num(a[1]));
  if (name === 'sscanf') {
    const input = cstring(mem, a[0], MAX_STRING), fmt = cstring(mem, a[1], MAX_STRING);
    if (input === null || fmt === null) return new Fault('SIGSEGV', 'sscanf: NULL string');
    const r = scan(fmt, input, true, a.slice(2), mem);
    return r.kind === 'fault' ? new Fault('SIGSEGV', r.message) : r.kind === 'done' ? r.result : EOF;
  }
  if (name !== 'ferror' && name !== 'feof' && name !== 'clearerr' && name !== 'fileno') return null;
  const fp = num(a[0]);
  const flags = mem.load(fp + F_FLAGS);
  if (fp === 0 || typeof flags !== 'number') return new Fault('SIGSEGV', `${name}: ${fp === 0 ? 'NULL' : 'bad'} FILE pointer`);
  switch (name) {
    case 'ferror': return flags & IO_ERR_SEEN ? 1 : 0;
    case 'feof': return flags & IO_EOF_SEEN ? 1 : 0;
    case 'clearerr': mem.store(fp + F_FLAGS, flagsInt(flags & ~(IO_ERR_SEEN | IO_EOF_SEEN))); return 0;
    default: return cell(mem, fp, F_FILENO);
  }
}

/**
 * exit(status) once its atexit handlers have run (and a return from main, at `site`): glibc's
 * _IO_cleanup writes out every stream's buffer, then exit_group. _exit and a fatal signal skip it.
 */
export function exitCall(r: VmRegs, mem: VmMemory, site: number, line: number, status: Value): Trap | Done {
  const streams = exitStreams(r.image, mem);
  if (streams.length === 0 || site < 0) return { kind: 'syscall', name: 'exit_group', args: [status], line };
  return startFlush('exit', site, line, mem, r, streams, status);
}

/** `n` bytes of memory as text (fwrite's buffer); null when the range is not mapped. */
function bytesAt(mem: VmMemory, addr: number, n: number): string | null {
  const cells = mem.cells(addr, n);
  if (cells === null) return null;
  let s = '';
  for (const c of cells) s += String.fromCharCode(typeof c === 'number' ? c & 0xff : 0);
  return s;
}


