// The C library calls students reach for beyond process management: <string.h>, sprintf and the
// stream writers of <stdio.h>, <stdlib.h>'s numbers, memory, random numbers, environment and
// atexit. The VM runs them itself (sim-core/vm/libc-string.ts, libc-stdlib.ts) or as a write.
import type { CallInfo, Convention } from './builtins-types';

function lib(name: string, returns: string, params: string[], header: string, doc: string, conv: Convention = 'direct', path?: string[]): CallInfo {
  const fixed = params.filter((p) => p !== '...').length;
  const info: CallInfo = {
    name, params, returns, header, doc, side: 'user',
    minArgs: fixed, maxArgs: params.includes('...') ? -1 : fixed, convention: conv,
  };
  if (path) info.kernelPath = path;
  if (name.startsWith('exec')) info.returnsOnlyOnError = true;
  return info;
}

const EXEC_PATH = ['__x64_sys_execve', 'do_execveat_common', 'bprm_execve', 'exec_binprm',
  'search_binary_handler', 'load_elf_binary', 'begin_new_exec'];
const WRITE_PATH = ['__x64_sys_write', 'ksys_write', 'vfs_write'];

export const LIBRARY_CALLS: CallInfo[] = [
  // Formatted and plain output to a stream or a descriptor.
  lib('fprintf', 'int', ['FILE *stream', 'const char *format', '...'], '<stdio.h>',
    'printf to a stream (stdout is line-buffered on a terminal, fully buffered otherwise; stderr is unbuffered). Returns the characters formatted, -1 when a write fails.', 'direct', WRITE_PATH),
  lib('dprintf', 'int', ['int fd', 'const char *format', '...'], '<stdio.h>',
    'printf straight to a file descriptor (one write). Returns the characters written.', 'direct', WRITE_PATH),
  lib('fputs', 'int', ['const char *s', 'FILE *stream'], '<stdio.h>', 'Puts s (without a newline) in a stream\'s buffer; a nonnegative number on success, EOF when a write fails.', 'direct', WRITE_PATH),
  lib('fwrite', 'size_t', ['const void *ptr', 'size_t size', 'size_t nmemb', 'FILE *stream'], '<stdio.h>',
    'Puts nmemb items of size bytes from ptr in a stream\'s buffer; returns the items written (fewer when a write fails).', 'direct', WRITE_PATH),
  lib('setvbuf', 'int', ['FILE *stream', 'char *buf', 'int mode', 'size_t size'], '<stdio.h>',
    'Sets how a stream buffers: _IOFBF (fully, a block at a time), _IOLBF (a line at a time) or _IONBF (not at all); buf (or NULL: the library\'s own) of size bytes. Writes out what is buffered first. 0 on success.', 'direct', WRITE_PATH),
  lib('setbuf', 'void', ['FILE *stream', 'char *buf'], '<stdio.h>', 'setvbuf(stream, buf, buf ? _IOFBF : _IONBF, BUFSIZ).', 'none', WRITE_PATH),
  lib('setlinebuf', 'void', ['FILE *stream'], '<stdio.h>', 'setvbuf(stream, NULL, _IOLBF, 0): a line at a time.', 'none', WRITE_PATH),
  lib('ferror', 'int', ['FILE *stream'], '<stdio.h>', 'Nonzero when a write (or read) on the stream has failed (its error flag, _IO_ERR_SEEN).'),
  lib('feof', 'int', ['FILE *stream'], '<stdio.h>', 'Nonzero when a read on the stream has met the end of the file (_IO_EOF_SEEN).'),
  lib('clearerr', 'void', ['FILE *stream'], '<stdio.h>', 'Clears the stream\'s error and end-of-file flags.', 'none'),
  lib('getchar', 'int', [], '<stdio.h>', 'The next character of standard input as an unsigned char, or EOF at its end. stdin is read a buffer at a time (a line at a time from a terminal); reading it first writes out a line-buffered stdout.', 'direct', ['__x64_sys_read', 'vfs_read']),
  lib('fgetc', 'int', ['FILE *stream'], '<stdio.h>', 'The next character of a stream, or EOF at its end or on an error.', 'direct', ['__x64_sys_read', 'vfs_read']),
  lib('getc', 'int', ['FILE *stream'], '<stdio.h>', 'fgetc (a macro in glibc).', 'direct', ['__x64_sys_read', 'vfs_read']),
  lib('ungetc', 'int', ['int c', 'FILE *stream'], '<stdio.h>', 'Puts c back on the stream: the next read returns it. Clears the end-of-file flag; returns c.'),
  lib('fgets', 'char *', ['char *s', 'int size', 'FILE *stream'], '<stdio.h>', 'Reads a line (its newline kept) of at most size-1 characters into s, with a NUL. Returns s, or NULL at the end of the input with nothing read.', 'direct', ['__x64_sys_read', 'vfs_read']),
  lib('fread', 'size_t', ['void *ptr', 'size_t size', 'size_t nmemb', 'FILE *stream'], '<stdio.h>', 'Reads up to nmemb items of size bytes into ptr; returns the whole items read (fewer at the end of the input).', 'direct', ['__x64_sys_read', 'vfs_read']),
  lib('scanf', 'int', ['const char *format', '...'], '<stdio.h>', 'Reads standard input by format (%d %i %u %x %o %s %c %[...] %n): returns the assignments made, or EOF when the input ends before the first conversion.', 'direct', ['__x64_sys_read', 'vfs_read']),
  lib('fscanf', 'int', ['FILE *stream', 'const char *format', '...'], '<stdio.h>', 'scanf from a stream.', 'direct', ['__x64_sys_read', 'vfs_read']),
  lib('sscanf', 'int', ['const char *str', 'const char *format', '...'], '<stdio.h>', 'scanf from a string: the assignments made, or EOF when the string ends before the first conversion.'),
  lib('fopen', 'FILE *', ['const char *pathname', 'const char *mode'], '<stdio.h>',
    'Opens a file as a stream: "r" read, "w" write (created or truncated), "a" append, "+" both, "x" exclusive, "e" close-on-exec. NULL with errno on failure.', 'direct', ['__x64_sys_openat', 'do_sys_openat2', 'do_filp_open', 'path_openat']),
  lib('fdopen', 'FILE *', ['int fd', 'const char *mode'], '<stdio.h>', 'A stream over an open file descriptor (its access mode must allow the mode).', 'direct', ['__x64_sys_fcntl']),
  lib('fclose', 'int', ['FILE *stream'], '<stdio.h>', 'Writes out what the stream buffered, closes its descriptor and frees it. 0, or EOF when the write or the close failed.', 'direct', ['__x64_sys_close', 'file_close_fd', 'filp_close', 'fput']),
  lib('fileno', 'int', ['FILE *stream'], '<stdio.h>', 'The file descriptor under a stream (its _fileno): 0, 1 and 2 for stdin, stdout and stderr.'),
  lib('fputc', 'int', ['int c', 'FILE *stream'], '<stdio.h>', 'Writes the character c to a stream and returns it.', 'direct', WRITE_PATH),
  lib('putc', 'int', ['int c', 'FILE *stream'], '<stdio.h>', 'fputc (a macro in glibc).', 'direct', WRITE_PATH),
  lib('putchar', 'int', ['int c'], '<stdio.h>', 'Writes the character c to standard output and returns it.', 'direct', WRITE_PATH),
  lib('sprintf', 'int', ['char *str', 'const char *format', '...'], '<stdio.h>',
    'printf into the buffer str, ended by a NUL; returns the characters stored (not counting the NUL). Nothing checks the buffer is big enough: prefer snprintf.'),
  lib('snprintf', 'int', ['char *str', 'size_t size', 'const char *format', '...'], '<stdio.h>',
    'printf into str storing at most size-1 characters and a NUL. Returns the length the whole text has, so a result >= size means it was cut short.'),
  lib('psignal', 'void', ['int sig', 'const char *s'], '<signal.h>', 'Prints s, a colon and the text of signal sig (as strsignal words it) to standard error.', 'none', WRITE_PATH),
  lib('strsignal', 'char *', ['int sig'], '<string.h>', 'The text describing a signal ("Segmentation fault" for SIGSEGV, "Real-time signal 0" for SIGRTMIN).'),
  // <string.h>.
  lib('strcpy', 'char *', ['char *dest', 'const char *src'], '<string.h>', 'Copies src and its NUL to dest; returns dest. dest must have room.'),
  lib('strncpy', 'char *', ['char *dest', 'const char *src', 'size_t n'], '<string.h>',
    'Copies at most n characters of src; a shorter src is padded with NULs up to n, a longer one leaves dest without a NUL.'),
  lib('strcat', 'char *', ['char *dest', 'const char *src'], '<string.h>', 'Appends src to the string in dest; returns dest.'),
  lib('strncat', 'char *', ['char *dest', 'const char *src', 'size_t n'], '<string.h>', 'Appends at most n characters of src to dest, then a NUL.'),
  lib('strchr', 'char *', ['const char *s', 'int c'], '<string.h>', 'A pointer to the first c in s (the NUL itself for c == 0), or NULL.'),
  lib('strrchr', 'char *', ['const char *s', 'int c'], '<string.h>', 'A pointer to the last c in s, or NULL.'),
  lib('strstr', 'char *', ['const char *haystack', 'const char *needle'], '<string.h>', 'A pointer to the first occurrence of needle in haystack, or NULL; an empty needle gives haystack.'),
  lib('strspn', 'size_t', ['const char *s', 'const char *accept'], '<string.h>', 'The length of the leading part of s made only of characters in accept.'),
  lib('strcspn', 'size_t', ['const char *s', 'const char *reject'], '<string.h>', 'The length of the leading part of s with no character of reject.'),
  lib('strtok', 'char *', ['char *str', 'const char *delim'], '<string.h>',
    'Splits a string into tokens: the first call takes the string, later calls take NULL and go on where the last stopped (a position kept per process, which fork copies). It writes a NUL over each delimiter it cuts at; NULL when no token is left.'),
  lib('strdup', 'char *', ['const char *s'], '<string.h>', 'A copy of s in a block from malloc (free it); NULL with ENOMEM.'),
  lib('strndup', 'char *', ['const char *s', 'size_t n'], '<string.h>', 'A malloc\'d copy of at most n characters of s, with a NUL.'),
  lib('strncmp', 'int', ['const char *s1', 'const char *s2', 'size_t n'], '<string.h>', 'strcmp over at most n characters.'),
  lib('memcpy', 'void *', ['void *dest', 'const void *src', 'size_t n'], '<string.h>', 'Copies n bytes from src to dest (the ranges must not overlap; use memmove when they may). Returns dest.'),
  lib('memmove', 'void *', ['void *dest', 'const void *src', 'size_t n'], '<string.h>', 'Copies n bytes, correct even when the ranges overlap. Returns dest.'),
  lib('memcmp', 'int', ['const void *s1', 'const void *s2', 'size_t n'], '<string.h>', 'Compares n bytes as unsigned char: negative, 0 or positive.'),
  lib('execle', 'int', ['const char *pathname', 'const char *arg', '...'], '<unistd.h>',
    'execl whose list of arguments, after its NULL, is followed by envp: the new program\'s environment (the other exec functions pass the caller\'s own). Returns only on failure.', 'syscall', EXEC_PATH),
  // Clocks (virtual time: the simulated machine boots at the Epoch).
  lib('time', 'time_t', ['time_t *tloc'], '<time.h>', 'Seconds since the Epoch, also stored in *tloc unless it is NULL. The simulated machine\'s clock is virtual time and starts at 0 at boot.', 'syscall', ['__x64_sys_time']),
  lib('clock_gettime', 'int', ['clockid_t clockid', 'struct timespec *tp'], '<time.h>',
    'Reads a clock into *tp: CLOCK_REALTIME and CLOCK_MONOTONIC give the virtual time since boot, CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID the CPU time used. glibc reads it in the vDSO without a system call; EINVAL for an unknown clock.', 'syscall', ['__x64_sys_clock_gettime']),
  lib('gettimeofday', 'int', ['struct timeval *tv', 'void *tz'], '<sys/time.h>', 'The time in seconds and microseconds (CLOCK_REALTIME); tz is obsolete and should be NULL.', 'syscall', ['__x64_sys_gettimeofday']),
  // <ctype.h> (the C locale): a class test gives its class's bit of glibc's table, not 1.
  ...([
    ['isalpha', 'a letter (1024)'], ['isdigit', 'a decimal digit (2048)'], ['isalnum', 'a letter or digit (8)'],
    ['isspace', 'white space: space, \\t \\n \\v \\f \\r (8192)'], ['isupper', 'an upper-case letter (256)'],
    ['islower', 'a lower-case letter (512)'], ['ispunct', 'printable, not a letter, digit or space (4)'],
    ['isxdigit', 'a hexadecimal digit (4096)'], ['isprint', 'printable, space included (16384)'],
    ['isgraph', 'printable, not space (32768)'], ['iscntrl', 'a control character (2)'], ['isblank', 'a space or tab (1)'],
  ] as const).map(([name, what]) => lib(name, 'int', ['int c'], '<ctype.h>',
    `Nonzero when c (an unsigned char value or EOF) is ${what}: the class's bit of glibc's table, shown in parentheses, else 0.`)),
  lib('toupper', 'int', ['int c'], '<ctype.h>', 'The upper-case letter for a lower-case c; any other c unchanged.'),
  lib('tolower', 'int', ['int c'], '<ctype.h>', 'The lower-case letter for an upper-case c; any other c unchanged.'),
  // <stdlib.h>.
  lib('strtol', 'long', ['const char *nptr', 'char **endptr', 'int base'], '<stdlib.h>',
    'Reads a long in base 2..36 (0: a 0x prefix means 16, a leading 0 means 8, else 10) after white space and a sign; *endptr gets where reading stopped (nptr itself when there was no digit). Out of range: LONG_MAX or LONG_MIN and errno ERANGE; a bad base: 0 and EINVAL.'),
  lib('strtoul', 'unsigned long', ['const char *nptr', 'char **endptr', 'int base'], '<stdlib.h>',
    'strtol for unsigned long: out of range gives ULONG_MAX with ERANGE; a minus sign negates the value in unsigned arithmetic ("-1" is ULONG_MAX).'),
  lib('strtoll', 'long long', ['const char *nptr', 'char **endptr', 'int base'], '<stdlib.h>', 'strtol for long long (the same 64 bits on x86-64).'),
  lib('strtoull', 'unsigned long long', ['const char *nptr', 'char **endptr', 'int base'], '<stdlib.h>', 'strtoul for unsigned long long.'),
  lib('atol', 'long', ['const char *nptr'], '<stdlib.h>', 'strtol(nptr, NULL, 10) without errno.'),
  lib('atoll', 'long long', ['const char *nptr'], '<stdlib.h>', 'strtoll(nptr, NULL, 10) without errno.'),
  lib('strtod', 'double', ['const char *nptr', 'char **endptr'], '<stdlib.h>',
    'Reads a double after white space and a sign: decimal digits with an optional point and exponent (1.5e-3), hexadecimal ones with a binary exponent (0x1.8p1), inf, infinity or nan. *endptr gets where reading stopped (nptr when nothing was read). Rounded to the nearest double; out of range: HUGE_VAL or a denormal/zero with errno ERANGE.'),
  lib('strtof', 'float', ['const char *nptr', 'char **endptr'], '<stdlib.h>', 'strtod for float.'),
  lib('atof', 'double', ['const char *nptr'], '<stdlib.h>', 'strtod(nptr, NULL): the double a string starts with, 0.0 when none.'),
  // <math.h> (link with -lm): the functions whose results IEEE 754 defines exactly, and pow.
  lib('sqrt', 'double', ['double x'], '<math.h>', 'The square root of x, correctly rounded; -nan for x < 0.'),
  lib('fabs', 'double', ['double x'], '<math.h>', 'The absolute value of a double (abs is for int and would truncate it).'),
  lib('floor', 'double', ['double x'], '<math.h>', 'The largest integral value not above x, as a double.'),
  lib('ceil', 'double', ['double x'], '<math.h>', 'The smallest integral value not below x, as a double.'),
  lib('trunc', 'double', ['double x'], '<math.h>', 'x rounded toward zero to an integral value, as a double.'),
  lib('round', 'double', ['double x'], '<math.h>', 'x rounded to the nearest integral value, halfway cases away from zero (round(2.5) is 3.0), as a double.'),
  lib('fmod', 'double', ['double x', 'double y'], '<math.h>', 'The remainder of x / y with the sign of x, exactly; -nan when y is 0.'),
  lib('pow', 'double', ['double x', 'double y'], '<math.h>', 'x raised to the power y. Exact whenever the result is representable (pow(2, 10) is 1024.0); otherwise within one unit in the last place of glibc\'s result.'),
  lib('calloc', 'void *', ['size_t nmemb', 'size_t size'], '<stdlib.h>', 'Allocates nmemb * size bytes set to zero; NULL with ENOMEM when the product overflows or memory is short.'),
  lib('realloc', 'void *', ['void *ptr', 'size_t size'], '<stdlib.h>',
    'Resizes a malloc\'d block, keeping its contents up to the smaller size; the block may move, so use the pointer returned. realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns NULL. On failure NULL, and p is still valid.'),
  lib('qsort', 'void', ['void *base', 'size_t nmemb', 'size_t size', 'int (*compar)(const void *, const void *)'], '<stdlib.h>',
    'Sorts nmemb elements of size bytes at base in place, calling compar(a, b) to order two of them (negative: a first, 0: equal, positive: b first). glibc sorts by merging (equal elements keep their order); the comparison function runs as ordinary program code, so it can be stepped into.', 'none'),
  lib('rand', 'int', [], '<stdlib.h>',
    'The next pseudo-random number, 0..RAND_MAX (2147483647), from glibc\'s additive feedback generator: the same sequence as on Linux for the same seed. Without srand the seed is 1. The state is per process: a fork\'s child goes on with the same numbers as its parent.'),
  lib('srand', 'void', ['unsigned int seed'], '<stdlib.h>', 'Seeds rand: the table is filled from seed by a multiplicative generator (16807) and 310 numbers are drawn and thrown away, as glibc does.', 'none'),
  lib('getenv', 'char *', ['const char *name'], '<stdlib.h>', 'The value of environment variable name, or NULL. The environment comes from execve\'s envp (execle) and is copied by fork.'),
  lib('setenv', 'int', ['const char *name', 'const char *value', 'int overwrite'], '<stdlib.h>',
    'Sets name=value in this process\'s environment (a name already there is kept unless overwrite is nonzero). EINVAL for an empty name or one with \'=\'.'),
  lib('unsetenv', 'int', ['const char *name'], '<stdlib.h>', 'Removes name from the environment (nothing to do is not an error).'),
  lib('atexit', 'int', ['void (*function)(void)'], '<stdlib.h>',
    'Registers function to run when the process calls exit or returns from main: the last registered runs first. _exit and a death by signal skip them; a fork\'s child inherits the list.'),
];
