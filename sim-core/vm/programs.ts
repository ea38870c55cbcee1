// The programs every scenario can exec without registering them: /bin/true, false, sleep and
// echo (here), and the shell and file tools of sim-core/userland. Each source file is written in
// the scenario language and compiled once into an image of its own, so a frame of a built-in
// program has its own file name and lines (userlandSources lists them for the debugger).
import { parse } from '../lang/parser';
import { COREUTILS_FILE, COREUTILS_SOURCE } from '../userland/coreutils';
import { LSPS_FILE, LSPS_SOURCE } from '../userland/lsps';
import { SH_FILE, SH_SOURCE } from '../userland/sh';
import { compile } from './compile';
import { execEntry, type ExecImage } from './entry';
import type { Image } from './image';

const BASIC_FILE = 'basic.c';

const BASIC_SOURCE = String.raw`/* true, false, sleep and echo of the simulated system */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int true_main(void)
{
    return 0;
}

int false_main(void)
{
    return 1;
}

int sleep_main(int argc, char *argv[])
{
    if (argc < 2) {
        printf("sleep: missing operand\n");
        return 1;
    }
    sleep(atoi(argv[1]));
    return 0;
}

/* echo: its arguments separated by spaces; -n leaves out the newline */
int echo_main(int argc, char *argv[])
{
    int i = 1, newline = 1;

    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = 0;
        i = 2;
    }
    for (; i < argc; i++)
        printf(i + 1 < argc ? "%s " : "%s", argv[i]);
    if (newline)
        printf("\n");
    return 0;
}
`;

/** A source file of built-in programs: its name (as frames show it) and text. */
export interface UserlandSource {
  file: string;
  text: string;
}

const SOURCES: readonly UserlandSource[] = [
  { file: BASIC_FILE, text: BASIC_SOURCE },
  { file: SH_FILE, text: SH_SOURCE },
  { file: COREUTILS_FILE, text: COREUTILS_SOURCE },
  { file: LSPS_FILE, text: LSPS_SOURCE },
];

/** Exec path -> [source file, entry function]. */
const ENTRY: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['/bin/true', [BASIC_FILE, 'true_main']], ['/bin/false', [BASIC_FILE, 'false_main']],
  ['/bin/sleep', [BASIC_FILE, 'sleep_main']], ['/bin/echo', [BASIC_FILE, 'echo_main']],
  ['/bin/sh', [SH_FILE, 'sh_main']],
  ['/bin/cat', [COREUTILS_FILE, 'cat_main']], ['/bin/wc', [COREUTILS_FILE, 'wc_main']],
  ['/bin/grep', [COREUTILS_FILE, 'grep_main']], ['/bin/kill', [COREUTILS_FILE, 'kill_main']],
  ['/bin/ls', [LSPS_FILE, 'ls_main']], ['/bin/ps', [LSPS_FILE, 'ps_main']],
]);

const compiled = new Map<string, Image>();

/** The image compiled from one source file of built-in programs (on first use; it never changes). */
export function builtinImage(file = BASIC_FILE): Image {
  let image = compiled.get(file);
  if (!image) {
    const src = SOURCES.find((s) => s.file === file);
    if (!src) throw new Error(`no built-in source ${file}`);
    image = compile(parse(src.text).program, src.text).image;
    compiled.set(file, image);
  }
  return image;
}

/** The source files of the built-in programs. */
export function userlandSources(): readonly UserlandSource[] {
  return SOURCES;
}

/** The source file a built-in program's image was compiled from, or undefined. */
export function userlandFileOf(image: Image): string | undefined {
  for (const [file, img] of compiled) if (img === image) return file;
  return undefined;
}

/** The paths of the built-in programs (what /bin lists). */
export function builtinProgramPaths(): string[] {
  return [...ENTRY.keys()];
}

export function isBuiltinProgram(path: string): boolean {
  return ENTRY.has(path);
}

/** execve of a built-in program: a fresh memory and registers entering it with argv and envp. */
export function loadBuiltinProgram(path: string, argv: readonly string[], envp: readonly string[] = []): (ExecImage & { image: Image }) | null {
  const e0 = ENTRY.get(path);
  if (!e0) return null;
  const image = builtinImage(e0[0]);
  const e = execEntry(image, e0[1], argv, envp);
  return e ? { ...e, image } : null;
}
