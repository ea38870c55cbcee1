// Runs every example through the machine and, when the real kernel is usable, through gcc and a
// fresh PID namespace; prints where the two outputs differ. usage: npx tsx bench/kernel/examples.ts [name...]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { boot } from '../../sim-core/machine';
import { realKernelUnavailable, runReal } from '../../sim-core/cli/verify/real';
import { exampleFiles, isKernelSide } from '../../test/fidelity/simulated';

const wanted = process.argv.slice(2);
const real = realKernelUnavailable() === undefined;
for (const file of exampleFiles()) {
  const name = basename(file);
  if (wanted.length && !wanted.some((w) => name.includes(w))) continue;
  const source = readFileSync(file, 'utf8');
  const { machine, diagnostics } = boot({ file, source });
  if (!machine) { console.log(`${name}: does not boot: ${diagnostics.map((d) => d.message).join('; ')}`); continue; }
  let stop = machine.run();
  while (stop.reason === 'yield') stop = machine.run();
  const sim = machine.output();
  const r = real && !isKernelSide(file) ? runReal(file) : null;
  const same = r ? r.stdout === sim : undefined;
  console.log(`== ${name}: stop ${stop.reason}${stop.message ? ` (${stop.message})` : ''}${r ? (same ? ' SAME as real' : ' DIFFERS from real') : ''}`);
  if (r && !same) console.log(`--- sim\n${sim}--- real (status ${r.status})\n${r.stdout}${r.stderr ? `--- real stderr\n${r.stderr}` : ''}`);
  else if (wanted.length) console.log(sim);
}
