// Runs a scenario file as a real C program on the machine's own kernel: gcc builds it, and it runs
// under test/fidelity/init.c as pid 3 of a fresh PID namespace, as the simulator boots it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

/** The scenario settings that change how the real side must be set up. */
export interface RealSettings {
  pidMax?: number;
  uid: number;
  nproc: number;
  /** `#pragma kproc program "/bin/x" fn`: path -> function and its parameter count. */
  programs: Array<{ path: string; fn: string; params: number }>;
}

export interface RealRun {
  stdout: string;
  stderr: string;
  /** init's exit status: 0 when every task ended by itself, 124 on timeout. */
  status: number | null;
}

/** The simulator's defaults (sim-core/machine-types.ts MachineSettings), mirrored on the real side. */
export const DEFAULT_UID = 1000;
export const DEFAULT_NPROC = 4096;

const INIT_SOURCE = resolve(__dirname, 'init.c');
/** Name of the scenario binary; never a program basename, so the dispatcher leaves it alone. */
const MAIN_BINARY = 'kproc-scenario-main';
/** Programs the simulator knows without a pragma; real coreutils stand in for them. */
const BUILTIN_PROGRAMS = ['true', 'false', 'sleep', 'echo'];

/** Why the real kernel cannot be used here, or undefined when it can. */
export function realKernelUnavailable(): string | undefined {
  for (const tool of ['gcc', 'unshare']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (r.status !== 0) return `${tool} is not installed`;
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'unshare --pid needs root';
  const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) return `unshare --pid --fork --mount-proc fails: ${probe.stderr.trim()}`;
  return undefined;
}

/** Why this kernel cannot run the scenario as the simulator would, or undefined when it can. */
export function realSettingsUnsupported(settings: RealSettings): string | undefined {
  if (settings.pidMax === undefined) return undefined;
  const [major, minor] = release().split('.').map((x) => parseInt(x, 10));
  // Before 6.14 the namespace shares the host's pid_max, which a test must not change.
  if (major < 6 || (major === 6 && minor < 14)) return `pid_max is per PID namespace only from Linux 6.14 on (this is ${release()})`;
  return undefined;
}

/** Reads the `#pragma kproc` lines that need the real side's cooperation. */
export function realSettings(source: string): RealSettings {
  const s: RealSettings = { uid: DEFAULT_UID, nproc: DEFAULT_NPROC, programs: [] };
  for (const m of source.matchAll(/^[ \t]*#[ \t]*pragma[ \t]+kproc[ \t]+(\w+)[ \t]+(.*)$/gm)) {
    const [key, rest] = [m[1], m[2].trim()];
    if (key === 'pid_max') s.pidMax = Number(rest);
    else if (key === 'uid') s.uid = Number(rest);
    else if (key === 'nproc') s.nproc = Number(rest);
    else if (key === 'program') {
      const p = /^"([^"]+)"\s+(\w+)/.exec(rest);
      if (!p) throw new Error(`cannot read '#pragma kproc program ${rest}'`);
      const def = new RegExp(`\\b${p[2]}\\s*\\(([^)]*)\\)\\s*\\{`).exec(source);
      if (!def) throw new Error(`no definition of ${p[2]} for program ${p[1]}`);
      const params = def[1].trim() === '' || def[1].trim() === 'void' ? 0 : def[1].split(',').length;
      s.programs.push({ path: p[1], fn: p[2], params });
    }
  }
  return s;
}

/**
 * The translation unit gcc builds: the scenario itself plus a constructor that makes stdout
 * unbuffered (fork would otherwise copy unflushed lines) and, when the binary was started under a
 * program's name, runs that program's function instead of main.
 */
function wrapperSource(scenario: string, settings: RealSettings): string {
  const cases = settings.programs.map((p) => {
    const name = basename(p.path);
    const call = p.params === 0 ? `${p.fn}()` : p.params === 1 ? `${p.fn}(argc)` : `${p.fn}(argc, argv)`;
    return `\tif (strcmp(base, ${JSON.stringify(name)}) == 0)\n\t\texit(${call});\n`;
  }).join('');
  return `#include ${JSON.stringify(scenario)}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void kproc_fidelity_start(int argc, char **argv)
{
\tchar exe[4096];
\tssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
\tconst char *base;

\tsetvbuf(stdout, NULL, _IONBF, 0);
\t(void)argc; (void)argv;
\tif (n < 0)
\t\treturn;
\texe[n] = 0;
\tbase = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
\t(void)base;
${cases}}
`;
}

let initBinary: string | undefined;
let workRoot: string | undefined;

function root(): string {
  if (!workRoot) {
    workRoot = mkdtempSync(join(tmpdir(), 'kproc-fidelity-'));
    chmodSync(workRoot, 0o755);
    process.once('exit', () => rmSync(workRoot as string, { recursive: true, force: true }));
  }
  return workRoot;
}

function buildInit(): string {
  if (!initBinary || !existsSync(initBinary)) {
    initBinary = join(root(), 'kproc-init');
    execFileSync('gcc', ['-O2', '-Wall', '-Werror', '-o', initBinary, INIT_SOURCE], { stdio: 'pipe' });
  }
  return initBinary;
}

let serial = 0;

/** Compiles a scenario file into a fresh directory; returns the directory and the binary. */
export function compileScenario(file: string): { dir: string; binary: string; settings: RealSettings } {
  const path = resolve(file);
  const settings = realSettings(readFileSync(path, 'utf8'));
  const dir = join(root(), `${basename(file).replace(/\W+/g, '_')}-${serial++}`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const wrapper = join(dir, 'wrapper.c');
  writeFileSync(wrapper, wrapperSource(path, settings));
  const binary = join(dir, MAIN_BINARY);
  execFileSync('gcc', ['-O0', '-Wall', '-o', binary, wrapper, '-lpthread'], { stdio: 'pipe' });
  return { dir, binary, settings };
}

/** A directory to mount over /usr/bin: the scenario's programs plus the built-in ones. */
function programDir(dir: string, binary: string, settings: RealSettings): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  chmodSync(bin, 0o755);
  for (const name of BUILTIN_PROGRAMS) copyFileSync(join('/usr/bin', name), join(bin, name));
  for (const p of settings.programs) {
    if (!/^\/(usr\/)?bin\/[^/]+$/.test(p.path)) throw new Error(`real runs support programs in /bin only, not ${p.path}`);
    copyFileSync(binary, join(bin, basename(p.path)));
  }
  for (const name of [...BUILTIN_PROGRAMS, ...settings.programs.map((p) => basename(p.path))]) chmodSync(join(bin, name), 0o755);
  return bin;
}

/** Builds and runs a scenario file on the real kernel; the stdout is what its tasks printed. */
export function runReal(file: string, timeoutMs = 20000): RealRun {
  const init = buildInit();
  const { dir, binary, settings } = compileScenario(file);
  const bin = settings.programs.length > 0 ? programDir(dir, binary, settings) : '-';
  const args = ['--pid', '--fork', '--mount-proc', init, String(timeoutMs), String(settings.pidMax ?? 0),
    String(settings.uid === 0 ? -1 : settings.uid), String(settings.nproc), bin, binary];
  const r = spawnSync('unshare', args, { encoding: 'utf8', cwd: dir, timeout: timeoutMs + 5000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/**
 * Mocha hooks for a suite that runs programs on the real kernel: skips the suite (saying why)
 * where that is not possible, and gives it a scratch folder removed afterwards. Read `dir()` in
 * tests, not at definition time.
 */
export function realKernelSuite(prefix: string): { dir: () => string } {
  let dir = '';
  before(function () {
    const why = realKernelUnavailable();
    if (why) {
      console.log(`    (skipped: ${why})`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  return { dir: () => dir };
}
