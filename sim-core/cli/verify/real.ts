// Runs a scenario file as a real C program on the machine's own kernel: gcc builds it, and it runs
// under init.c as pid 3 of a fresh PID namespace, as the simulator boots it. `kproc verify` and the
// fidelity tests share this one harness.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';

/** The scenario settings that change how the real side must be set up. */
export interface RealSettings {
  pidMax?: number;
  uid: number;
  nproc: number;
  /** `#pragma kproc program "/bin/x" fn`: path -> function and its parameter count. */
  programs: Array<{ path: string; fn: string; params: number }>;
  /** The scenario asks for a real-time policy (SCHED_FIFO or SCHED_RR). */
  realtime?: boolean;
  /**
   * The line `// real side: stdout on a pseudo-terminal`: the run's stdout and stderr are one
   * terminal (util-linux `script`), so stdio buffers as glibc buffers a terminal, isatty
   * included, and the two streams interleave there. Otherwise stdout is a pipe made
   * line-buffered, as the simulator's terminal is.
   */
  terminal: boolean;
}

export interface RealRun {
  stdout: string;
  stderr: string;
  /** init's exit status: 0 when every task ended by itself, 124 on timeout, 125 on a setup error. */
  status: number | null;
}

/** Where a real run takes place: its scratch folder, its environment (PATH finds gcc), its limits. */
export interface RealOptions {
  /** How long the scenario may run before init kills every task (ms); default 20000. */
  timeoutMs?: number;
  /** Environment of gcc and unshare; default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** A folder for the binaries (the caller removes it); default: one per process, removed at exit. */
  workDir?: string;
  /** Settings given on the command line, over the scenario's pragmas. */
  overrides?: Partial<Pick<RealSettings, 'pidMax' | 'uid' | 'nproc'>>;
}

/** The scenario cannot be built or set up on the real side: gcc's errors, an unsupported path. */
export class RealSetupError extends Error {}

/** The simulator's defaults (sim-core/machine-types.ts MachineSettings), mirrored on the real side. */
export const DEFAULT_UID = 1000;
export const DEFAULT_NPROC = 4096;
export const DEFAULT_TIMEOUT_MS = 20000;

/** Next to this module in the source tree; next to the bundled CLI (dist/cli.js) once built. */
const INIT_SOURCE = resolve(__dirname, 'init.c');
/** Name of the scenario binary; never a program basename, so the dispatcher leaves it alone. */
const MAIN_BINARY = 'kproc-scenario-main';
/** Programs the simulator knows without a pragma; real coreutils stand in for them. */
const BUILTIN_PROGRAMS = ['true', 'false', 'sleep', 'echo', 'sh', 'cat', 'wc', 'grep', 'kill', 'ls', 'ps'];

/** The full path of an executable found on PATH, as a shell would find it; undefined if none. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      if (!statSync(path).isFile()) continue;
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/**
 * The namespaces a real run gets, as the simulated machine is its own: pids from 1 (with /proc
 * to match), and System V IPC objects (shm segments, their ids and keys) of its own.
 */
const NAMESPACES = ['--pid', '--ipc', '--fork', '--mount-proc'];

/** Why the real kernel cannot be used here, or undefined when it can. */
export function realKernelUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const tool of ['gcc', 'unshare']) {
    if (!findExecutable(tool, env)) return `${tool} is not installed (not found on PATH)`;
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'a new PID namespace (unshare --pid) needs root';
  const probe = spawnSync('unshare', [...NAMESPACES, 'true'], { encoding: 'utf8', env });
  if (probe.status !== 0) return `unshare ${NAMESPACES.join(' ')} fails: ${(probe.stderr ?? String(probe.error)).trim()}`;
  if (!existsSync(INIT_SOURCE)) return `the harness's init.c is missing (looked for ${INIT_SOURCE})`;
  return undefined;
}

/** Why this kernel cannot run the scenario as the simulator would, or undefined when it can. */
export function realSettingsUnsupported(settings: RealSettings): string | undefined {
  if (settings.realtime) {
    const why = realtimeRefused();
    if (why) return why;
  }
  if (settings.pidMax === undefined) return undefined;
  const [major, minor] = release().split('.').map((x) => parseInt(x, 10));
  // Before 6.14 the namespace shares the host's pid_max, which a run must not change.
  if (major < 6 || (major === 6 && minor < 14)) return `pid_max is per PID namespace only from Linux 6.14 on (this is ${release()})`;
  return undefined;
}

const TERMINAL_LINE = /^[ \t]*\/\/[ \t]*real side: stdout on a pseudo-terminal[ \t]*$/m;

let realtimeProbe: string | null = null;

/**
 * Why real-time policies cannot be tested here, or '' when they can: the scenario needs root in
 * the namespace (`#pragma kproc uid 0`) and a kernel that grants SCHED_FIFO (a container whose
 * cgroup has no real-time runtime refuses it even to root). Probed once with chrt.
 */
function realtimeRefused(): string {
  if (realtimeProbe !== null) return realtimeProbe;
  const chrt = findExecutable('chrt');
  if (!chrt) realtimeProbe = 'chrt is not installed, so whether this kernel grants SCHED_FIFO cannot be probed';
  else {
    const r = spawnSync(chrt, ['-f', '1', 'true'], { encoding: 'utf8' });
    realtimeProbe = r.status === 0 ? '' : `this kernel refuses SCHED_FIFO here (chrt -f 1 true: ${(r.stderr || String(r.error)).trim()})`;
  }
  return realtimeProbe;
}

/** Reads the `#pragma kproc` lines that need the real side's cooperation. */
export function realSettings(source: string): RealSettings {
  const s: RealSettings = { uid: DEFAULT_UID, nproc: DEFAULT_NPROC, programs: [], terminal: TERMINAL_LINE.test(source) };
  if (/\bSCHED_(FIFO|RR)\b/.test(source)) s.realtime = true;
  for (const m of source.matchAll(/^[ \t]*#[ \t]*pragma[ \t]+kproc[ \t]+(\w+)[ \t]+(.*)$/gm)) {
    const [key, rest] = [m[1], m[2].trim()];
    if (key === 'pid_max') s.pidMax = Number(rest);
    else if (key === 'uid') s.uid = Number(rest);
    else if (key === 'nproc') s.nproc = Number(rest);
    else if (key === 'program') {
      const p = /^"([^"]+)"\s+(\w+)/.exec(rest);
      if (!p) throw new RealSetupError(`cannot read '#pragma kproc program ${rest}'`);
      const def = new RegExp(`\\b${p[2]}\\s*\\(([^)]*)\\)\\s*\\{`).exec(source);
      if (!def) throw new RealSetupError(`no definition of ${p[2]} for program ${p[1]}`);
      const params = def[1].trim() === '' || def[1].trim() === 'void' ? 0 : def[1].split(',').length;
      s.programs.push({ path: p[1], fn: p[2], params });
    }
  }
  return s;
}

/** Kernel-side scenarios are written as modules: they run in the simulator only. */
export function isKernelSide(source: string): boolean {
  return /^\s*module_init\s*\(/m.test(source);
}

/**
 * The translation unit gcc builds: the scenario itself plus a constructor that makes stdout (a
 * pipe here) line-buffered as the simulator's terminal is (unless the run has a real terminal)
 * and, when the binary was started under a program's name, runs that program's function instead
 * of main.
 */
function wrapperSource(scenario: string, settings: RealSettings): string {
  const cases = settings.programs.map((p) => {
    const name = basename(p.path);
    const call = p.params === 0 ? `${p.fn}()` : p.params === 1 ? `${p.fn}(argc)` : p.params === 2 ? `${p.fn}(argc, argv)` : `${p.fn}(argc, argv, envp)`;
    return `\tif (strcmp(base, ${JSON.stringify(name)}) == 0)\n\t\texit(${call});\n`;
  }).join('');
  return `#include ${JSON.stringify(scenario)}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void kproc_fidelity_start(int argc, char **argv, char **envp)
{
\tchar exe[4096];
\tssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
\tconst char *base;

${settings.terminal ? '' : '\tsetvbuf(stdout, NULL, _IOLBF, 0);\n'}
\t(void)argc; (void)argv; (void)envp;
\tif (n < 0)
\t\treturn;
\texe[n] = 0;
\tbase = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
\t(void)base;
${cases}}
`;
}

let processRoot: string | undefined;

/** The per-process scratch folder of callers that give none (the tests), removed at exit. */
function defaultRoot(): string {
  if (!processRoot) {
    processRoot = mkdtempSync(join(tmpdir(), 'kproc-fidelity-'));
    chmodSync(processRoot, 0o755);
    process.once('exit', () => rmSync(processRoot as string, { recursive: true, force: true }));
  }
  return processRoot;
}

/** Runs gcc; its complaints become a RealSetupError with gcc's own words. */
function gcc(args: string[], env: NodeJS.ProcessEnv, what: string): void {
  try {
    execFileSync('gcc', args, { stdio: 'pipe', env });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    throw new RealSetupError(`gcc cannot build ${what}${stderr ? `:\n${stderr}` : ` (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`}`);
  }
}

/** Built init binaries, one per scratch folder. */
const initBinaries = new Map<string, string>();

function buildInit(root: string, env: NodeJS.ProcessEnv): string {
  let binary = initBinaries.get(root);
  if (!binary || !existsSync(binary)) {
    binary = join(root, 'kproc-init');
    gcc(['-O2', '-Wall', '-Werror', '-o', binary, INIT_SOURCE], env, 'the harness\'s init');
    initBinaries.set(root, binary);
  }
  return binary;
}

let serial = 0;

/** The scenario's settings with the caller's overrides applied. */
export function realSettingsWith(source: string, overrides: RealOptions['overrides']): RealSettings {
  const s = realSettings(source);
  if (overrides?.pidMax !== undefined) s.pidMax = overrides.pidMax;
  if (overrides?.uid !== undefined) s.uid = overrides.uid;
  if (overrides?.nproc !== undefined) s.nproc = overrides.nproc;
  return s;
}

/**
 * The binary's name: the scenario file's, without its extension, as the simulator names the
 * scenario's process (so comm, and ps, read the same on both sides).
 */
function binaryName(file: string): string {
  const name = basename(file).replace(/\.[^.]*$/, '');
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) && name !== 'bin' && name !== 'wrapper.c' ? name : MAIN_BINARY;
}

/** Compiles a scenario file into a fresh directory; returns the directory and the binary. */
export function compileScenario(file: string, options: RealOptions = {}): { dir: string; binary: string; settings: RealSettings } {
  const path = resolve(file);
  const env = options.env ?? process.env;
  const settings = realSettingsWith(readFileSync(path, 'utf8'), options.overrides);
  const dir = join(options.workDir ?? defaultRoot(), `${basename(file).replace(/\W+/g, '_')}-${serial++}`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const wrapper = join(dir, 'wrapper.c');
  writeFileSync(wrapper, wrapperSource(path, settings));
  const binary = join(dir, binaryName(file));
  gcc(['-O0', '-Wall', '-o', binary, wrapper, '-lpthread'], env, basename(file));
  return { dir, binary, settings };
}

/** A directory to mount over /usr/bin: the scenario's programs plus the built-in ones. */
function programDir(dir: string, binary: string, settings: RealSettings): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  chmodSync(bin, 0o755);
  for (const name of BUILTIN_PROGRAMS) copyFileSync(join('/usr/bin', name), join(bin, name));
  for (const p of settings.programs) {
    if (!/^\/(usr\/)?bin\/[^/]+$/.test(p.path)) throw new RealSetupError(`real runs support programs in /bin only, not ${p.path}`);
    copyFileSync(binary, join(bin, basename(p.path)));
  }
  for (const name of [...BUILTIN_PROGRAMS, ...settings.programs.map((p) => basename(p.path))]) chmodSync(join(bin, name), 0o755);
  return bin;
}

/**
 * Builds and runs a scenario file on the real kernel; the stdout is what its tasks printed. The
 * run is bounded: init kills every task at the timeout, and unshare itself is killed 5 s later.
 * Throws RealSetupError when the scenario (or init) cannot be built or placed.
 */
export function runReal(file: string, options: RealOptions | number = {}): RealRun {
  const o: RealOptions = typeof options === 'number' ? { timeoutMs: options } : options;
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const init = buildInit(o.workDir ?? defaultRoot(), env);
  const { dir, binary, settings } = compileScenario(file, o);
  const bin = settings.programs.length > 0 ? programDir(dir, binary, settings) : '-';
  const args = [...NAMESPACES, init, String(timeoutMs), String(settings.pidMax ?? 0),
    String(settings.uid === 0 ? -1 : settings.uid), String(settings.nproc), bin, binary];
  if (settings.terminal) return runOnTerminal(args, dir, env, timeoutMs);
  const r = spawnSync('unshare', args, { encoding: 'utf8', cwd: dir, env, timeout: timeoutMs + 5000 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

/**
 * Runs unshare on a pseudo-terminal: util-linux `script -qec CMD /dev/null`. The terminal's text
 * (stdout and stderr as they interleaved there, its \r\n turned back into \n) is the run's
 * stdout; the command's status is script's (-e).
 */
function runOnTerminal(args: string[], dir: string, env: NodeJS.ProcessEnv, timeoutMs: number): RealRun {
  if (!findExecutable('script', env)) throw new RealSetupError('a run on a terminal needs script (util-linux), not found on PATH');
  const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
  const cmd = ['unshare', ...args].map(quote).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', cwd: dir, env, timeout: timeoutMs + 5000, stdio: ['ignore', 'pipe', 'pipe'] });
  // init's own last words (main's status, a timeout) come after every task has ended: they go
  // back to stderr, where a run without a terminal has them.
  const text = (r.stdout ?? '').replace(/\r\n/g, '\n');
  const init = /(?:^|\n)((?:kproc-init: [^\n]*\n)+)$/.exec(text);
  const cut = init ? text.length - init[1].length : text.length;
  return { stdout: text.slice(0, cut), stderr: (init ? init[1] : '') + (r.stderr ?? ''), status: r.status };
}

