// The programs every scenario can exec without registering them (/bin/true, /bin/false,
// /bin/sleep, /bin/echo), written in the scenario language and compiled once.
import { parse } from '../lang/parser';
import { compile } from './compile';
import { execEntry, type ExecImage } from './entry';
import type { Image } from './image';

const SOURCE = `
#include <stdio.h>
#include <stdlib.h>
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
        printf("sleep: missing operand\\n");
        return 1;
    }
    sleep(atoi(argv[1]));
    return 0;
}

int echo_main(int argc, char *argv[])
{
    int i;

    for (i = 1; i < argc; i++)
        printf(i + 1 < argc ? "%s " : "%s", argv[i]);
    printf("\\n");
    return 0;
}
`;

const ENTRY: ReadonlyMap<string, string> = new Map([
  ['/bin/true', 'true_main'], ['/bin/false', 'false_main'], ['/bin/sleep', 'sleep_main'], ['/bin/echo', 'echo_main'],
]);

let compiled: Image | null = null;

/** The image holding the built-in programs (compiled on first use; it never changes). */
export function builtinImage(): Image {
  if (!compiled) compiled = compile(parse(SOURCE).program, SOURCE).image;
  return compiled;
}

/** The paths of the built-in programs (what /bin lists). */
export function builtinProgramPaths(): string[] {
  return [...ENTRY.keys()];
}

export function isBuiltinProgram(path: string): boolean {
  return ENTRY.has(path);
}

/** execve of a built-in program: a fresh memory and registers entering it with argv. */
export function loadBuiltinProgram(path: string, argv: readonly string[]): (ExecImage & { image: Image }) | null {
  const fn = ENTRY.get(path);
  if (!fn) return null;
  const image = builtinImage();
  const e = execEntry(image, fn, argv);
  return e ? { ...e, image } : null;
}
