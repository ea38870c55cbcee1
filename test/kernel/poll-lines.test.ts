// The lines the debugger highlights in poll's and select's kernel frames (select.ts) follow
// their displayed C: the fidelity cases that poll and select are stepped a step at a time and
// checked as line-sequence.test.ts checks the examples.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Report, stepScenario } from './line-recorder';

const CASES = ['poll-children.kproc', 'poll-select-edges.kproc', 'select-timeout.kproc', 'poll-stop-cont.kproc'];

describe('the lines the debugger highlights in poll and select', function () {
  this.timeout(600_000);

  it('follow the displayed C of __x64_sys_poll, do_sys_poll, do_poll, __x64_sys_select, core_sys_select and do_select', () => {
    const report = new Report();
    const runs: string[] = [];
    for (const name of CASES) {
      const source = readFileSync(join(__dirname, '..', 'fidelity', 'cases', name), 'utf8');
      const r = stepScenario({ name, source }, report);
      runs.push(`${name}: ${r.stops} stops, ${r.end}`);
    }
    assert.equal(report.found.size, 0, `${report.found.size} distinct violations:\n${report.text()}\n\nruns:\n${runs.join('\n')}`);
  });
});
