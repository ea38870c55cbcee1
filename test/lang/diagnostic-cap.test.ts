// The diagnostics of one scenario are capped: past MAX_DIAGNOSTICS the last one shown counts the
// rest, in the analysis (so the editor and `kproc check` show the same) and in kproc check's totals.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { analyze, capDiagnostics, MAX_DIAGNOSTICS, TOO_MANY_CODE } from '../../sim-core/lang/check';
import type { Diagnostic } from '../../sim-core/lang/ast';
import { capture } from '../cli/capture';

/** A main calling `n` undefined functions, one per line: n errors. */
function undefinedCalls(n: number): string {
  const calls = Array.from({ length: n }, (_, i) => `    nosuch_${i}();`);
  return ['int main(void)', '{', ...calls, '    return 0;', '}', ''].join('\n');
}

describe('diagnostics per scenario are capped', () => {
  it('keeps the first ones and counts the rest in one last error, at the first left out', () => {
    const a = analyze(undefinedCalls(750));
    assert.equal(a.diagnostics.length, MAX_DIAGNOSTICS);
    const shown = a.diagnostics.slice(0, -1);
    assert.ok(shown.every((d) => d.code === 'undefined-name'));
    const last = a.diagnostics[MAX_DIAGNOSTICS - 1];
    assert.equal(last.code, TOO_MANY_CODE);
    assert.equal(last.severity, 'error');
    const left = 750 - (MAX_DIAGNOSTICS - 1);
    assert.equal(last.message, `${left} more errors not shown; fix the ones above first`);
    // It sits where the first diagnostic left out would have been: the call to nosuch_99.
    assert.equal(a.lines.positionAt(last.range.start).line, 2 + MAX_DIAGNOSTICS - 1);
    assert.deepEqual(a.omitted, { error: left, warning: 0, info: 0 });
  });

  it('leaves a scenario at the cap untouched', () => {
    const a = analyze(undefinedCalls(MAX_DIAGNOSTICS));
    assert.equal(a.diagnostics.length, MAX_DIAGNOSTICS);
    assert.ok(a.diagnostics.every((d) => d.code === 'undefined-name'));
    assert.deepEqual(a.omitted, { error: 0, warning: 0, info: 0 });
  });

  it('names each severity left out, and is as severe as the worst of them', () => {
    const d = (severity: Diagnostic['severity'], at: number): Diagnostic => ({ range: { start: at, end: at + 1 }, severity, code: 'x', message: 'm' });
    const all = [...Array.from({ length: MAX_DIAGNOSTICS }, (_, i) => d('info', i)), d('warning', 200), d('info', 201), d('warning', 202)];
    const { diagnostics, omitted } = capDiagnostics(all);
    const last = diagnostics[diagnostics.length - 1];
    assert.equal(last.severity, 'warning');
    assert.equal(last.message, '4 more diagnostics (2 warnings, 2 notes) not shown; fix the ones above first');
    assert.deepEqual(omitted, { error: 0, warning: 2, info: 2 });
  });

  it('bounds kproc check output and still counts every error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kproc-cap-'));
    const file = join(dir, 'many.kproc');
    writeFileSync(file, undefinedCalls(750));
    const io = capture();
    assert.equal(await main(['check', file], io), 1);
    assert.equal((io.stdout.match(/\[undefined-name\]/g) ?? []).length, MAX_DIAGNOSTICS - 1);
    assert.match(io.stdout, /error: 651 more errors not shown; fix the ones above first \[too-many-diagnostics\]/);
    assert.match(io.stdout, /\n750 errors, 0 warnings in 1 file\n$/);
    const json = capture();
    await main(['check', '--json', file], json);
    const doc = JSON.parse(json.stdout) as { errors: number; files: Array<{ diagnostics: unknown[] }> };
    assert.equal(doc.errors, 750);
    assert.equal(doc.files[0].diagnostics.length, MAX_DIAGNOSTICS);
  });
});
