// Parse + check + compile time of member and subscript chains (`a.n->n->...->v`, `a.n[0]->n[0]...`)
// of N links, for N = 20, 40, 80, 160: the ratio per doubling of N shows the growth (about 2 for
// linear work; it was exponential when each link re-walked the chain below it).
// Run: npx tsx bench/compile/chains.ts
import { analyze } from '../../sim-core/lang/check';
import { compile } from '../../sim-core/vm/compile';

const shapes: Record<string, (n: number) => string> = {
  'p->n->...->v': (n) => `struct q { int v; struct q *n; };\nint main(void) { struct q a; a.v = 1; a.n = &a; return a.n${'->n'.repeat(n)}->v; }\n`,
  'p->n[0]...->v': (n) => `struct q { int v; struct q *n[1]; };\nint main(void) { struct q a; a.v = 1; a.n[0] = &a; return a.n[0]${'->n[0]'.repeat(n / 2)}->v; }\n`,
};

/** Median milliseconds of `reps` runs of parse + check + compile over `copies` copies of the chain. */
function time(src: string, reps = 7): number {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    const a = analyze(src);
    compile(a.program, src);
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return t.sort((x, y) => x - y)[reps >> 1];
}

for (const [name, make] of Object.entries(shapes)) {
  // Many statements per file, so the times are well above timer noise.
  const file = (n: number): string => {
    const one = make(n);
    const body = one.slice(one.indexOf('return '), one.lastIndexOf(';') + 1).replace('return ', 'r += ');
    return one.replace(/return [^;]*;/, `int r = 0; ${`${body} `.repeat(50)}return r;`);
  };
  time(file(20)); // warm-up
  let prev = 0;
  for (const n of [20, 40, 80, 160]) {
    const ms = time(file(n));
    console.log(`${name.padEnd(14)} N=${String(n).padStart(3)}  ${ms.toFixed(2).padStart(8)} ms${prev ? `  x${(ms / prev).toFixed(2)} per doubling` : ''}`);
    prev = ms;
  }
}
