// The language features as pure functions over a document, without a connection.
import { strict as assert } from 'node:assert';
import type { CompletionItem, Hover, MarkupContent } from 'vscode-languageserver';
import { CALLS, CONSTANT_TABLE, DECL_MACRO_TABLE } from '../../sim-core/lang';
import { analyzeText } from '../../extension/server/features/analysis';
import { completion, resolveCompletion } from '../../extension/server/features/completion';
import { callAt } from '../../extension/server/features/context';
import { lspDiagnostics } from '../../extension/server/features/diagnostics';
import { hover } from '../../extension/server/features/hover';
import { definition, documentSymbols, references } from '../../extension/server/features/navigation';
import { LEGEND, semanticTokens } from '../../extension/server/features/semanticTokens';
import { codeLenses, foldingRanges, signatureHelp } from '../../extension/server/features/structure';
import { BROKEN, KERNEL, USER, posOf } from './fixtures';

const URI = 'file:///t.kproc';

function hoverText(h: Hover | null): string {
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
}

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

/** Labels in the order an editor shows them (sortText, then label). */
function ranked(items: CompletionItem[]): string[] {
  return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
}

/** Completion at the end of `prefix` inserted into main's body of a minimal file. */
function completeIn(body: string, before = ''): CompletionItem[] {
  const text = `${before}int main(void)\n{\n    ${body}\n}\n`;
  const a = analyzeText(text);
  return completion(a, posOf(text, body, body.length)).items;
}

describe('server features', () => {
  describe('hover', () => {
    it('shows what fork does, its kernel path and the older do_fork name', () => {
      const a = analyzeText(USER);
      const t = hoverText(hover(a, posOf(USER, 'fork()', 1)));
      assert.match(t, /pid_t fork\(void\)/);
      assert.match(t, /`kernel_clone` → `copy_process` → `wake_up_new_task`/);
      assert.match(t, /do_fork/);
    });
    it('shows a constant in decimal and hex', () => {
      const a = analyzeText(USER);
      assert.match(hoverText(hover(a, posOf(USER, 'SIGUSR1'))), /\*\*Value:\*\* 10 \(0xa\)/);
      const k = analyzeText(KERNEL);
      assert.match(hoverText(hover(k, posOf(KERNEL, 'TASK_INTERRUPTIBLE', 3))), /1 \(0x1\)/);
    });
    it('describes kernel-only calls and scenario functions by their role', () => {
      const k = analyzeText(KERNEL);
      assert.match(hoverText(hover(k, posOf(KERNEL, 'kthread_run'))), /kernel code only/);
      assert.match(hoverText(hover(k, posOf(KERNEL, 'consume,'))), /kernel thread/);
      const a = analyzeText(USER);
      assert.match(hoverText(hover(a, posOf(USER, 'on_usr1);'))), /signal handler/);
      assert.match(hoverText(hover(a, posOf(USER, 'counter++'))), /global variable/);
    });
    it('covers every call and constant of the catalog', () => {
      for (const name of [...CALLS.keys(), ...CONSTANT_TABLE.keys(), ...DECL_MACRO_TABLE.keys()]) {
        const text = `int main(void)\n{\n    v = ${name};\n}\n`;
        const t = hoverText(hover(analyzeText(text), { line: 2, character: 9 }));
        assert.ok(t.includes(name), name);
        const c = CONSTANT_TABLE.get(name);
        if (c && typeof c.value === 'number' && c.group !== 'kernel-var' && c.group !== 'libc-var') assert.match(t, /\(-?0x[0-9a-f]+\)/, name);
        if (CALLS.get(name)?.kernelPath) assert.match(t, /Kernel path/, name);
      }
    });
    it('explains #pragma kproc keys and exec paths', () => {
      const a = analyzeText(USER);
      assert.match(hoverText(hover(a, posOf(USER, 'pid_max'))), /largest pid.*301 to 4194304/);
      assert.match(hoverText(hover(a, posOf(USER, '"/bin/worker", "worker"', 2))), /starts `worker_main`/);
      const text = 'int main(void)\n{\n    execl("/bin/echo", "echo", "hi", NULL);\n}\n';
      assert.match(hoverText(hover(analyzeText(text), { line: 2, character: 14 })), /Built-in program/);
    });
    it('gives nothing on punctuation or whitespace', () => {
      const a = analyzeText(USER);
      assert.equal(hover(a, posOf(USER, '{\n    pthread_t', 0)), null);
    });
  });

  describe('completion', () => {
    it('puts signals first for the second argument of kill', () => {
      const items = completeIn('kill(getpid(), ');
      assert.equal(ranked(items).slice(0, 5).every((l) => l.startsWith('SIG')), true, ranked(items).slice(0, 5).join());
    });
    it('offers only clone flags and signals after `CLONE_VM |`', () => {
      const items = completeIn('clone(fn, stack, CLONE_VM | ');
      assert.ok(labels(items).includes('CLONE_FILES'));
      assert.ok(labels(items).includes('SIGCHLD'));
      assert.ok(!labels(items).includes('fork'));
      assert.ok(!labels(items).includes('WNOHANG'));
    });
    it('offers wait options after `WNOHANG |`', () => {
      const l = labels(completeIn('waitpid(-1, NULL, WNOHANG | '));
      assert.ok(l.includes('WUNTRACED') && !l.includes('CLONE_VM'));
    });
    it('offers locals, globals and functions in scope, and not out-of-scope locals', () => {
      const text = USER.replace('    int wstatus;', '    int wstatus;\n    w');
      const a = analyzeText(text);
      const l = labels(completion(a, posOf(text, '\n    w\n', 6)).items);
      for (const n of ['wstatus', 'tid', 'counter', 'spin', 'main', 'CHILDREN']) assert.ok(l.includes(n), n);
      assert.ok(!l.includes('pid'), 'pid lives in the for loop only');
      assert.ok(!l.includes('arg'), 'arg is a parameter of spin');
    });
    it('ranks user calls above kernel calls in main, and the reverse in a kthread', () => {
      const user = ranked(completeIn('k'));
      assert.ok(user.indexOf('kill') < user.indexOf('kthread_run'));
      const text = KERNEL.replace('        schedule();', '        schedule();\n        k');
      const kern = ranked(completion(analyzeText(text), posOf(text, '\n        k\n', 10)).items);
      assert.ok(kern.indexOf('kthread_should_stop') < kern.indexOf('kill'));
    });
    it('completes #pragma kproc keys and registered program functions', () => {
      const text = '#pragma kproc \nint w(void) { return 0; }\n';
      const l = labels(completion(analyzeText(text), { line: 0, character: 14 }).items);
      assert.deepEqual(l.sort(), ['cpus', 'nproc', 'pid_max', 'program', 'sched', 'seed', 'uid']);
      const t2 = '#pragma kproc program "/bin/w" \nint w(void) { return 0; }\n';
      assert.deepEqual(labels(completion(analyzeText(t2), { line: 0, character: 31 }).items), ['w']);
    });
    it('has the fork/wait, pthread_create and kthread loop snippets', () => {
      const inMain = completeIn('');
      const fw = inMain.find((i) => i.label === 'fork/wait');
      assert.ok(fw && /waitpid/.test(fw.insertText ?? ''));
      assert.ok(inMain.some((i) => i.label === 'pthread_create' && i.kind === 15));
      const top = completion(analyzeText('\n'), { line: 0, character: 0 }).items;
      assert.ok(top.find((i) => i.label === 'kthread loop')?.insertText?.includes('kthread_should_stop'));
    });
    it('completes task_struct fields after current->', () => {
      const l = labels(completeIn('current->'));
      assert.ok(l.includes('pid') && l.includes('__state'), l.join());
    });
    it('opens on trigger characters only where they start something', () => {
      const at = (body: string, trigger: string): string[] => {
        const text = `int main(void)\n{\n    ${body}\n}\n`;
        return labels(completion(analyzeText(text), posOf(text, body, body.length), trigger).items);
      };
      assert.deepEqual(at('if (a >', '>'), []);
      assert.ok(at('current->', '>').includes('__state'));
      assert.deepEqual(at('x = a |', '|'), []);
      assert.ok(at('waitpid(-1, NULL, WNOHANG |', '|').includes('WUNTRACED'));
      assert.deepEqual(at('x = 1.', '.'), []);
    });
    it('is silent inside comments and strings', () => {
      assert.deepEqual(completeIn('/* fo'), []);
      assert.deepEqual(completeIn('printf("fo'), []);
    });
    it('resolves documentation for catalog items', () => {
      const item = completeIn('wa').find((i) => i.label === 'waitpid') as CompletionItem;
      assert.match((resolveCompletion({ ...item }).documentation as MarkupContent).value, /WNOHANG/);
    });
  });

  describe('signature help', () => {
    it('tracks the active parameter through nested calls', () => {
      const text = 'int main(void) { waitpid(getpid(), &s, ';
      const h = signatureHelp(analyzeText(text), { line: 0, character: text.length });
      assert.ok(h);
      assert.match(h.signatures[0].label, /waitpid\(pid_t pid, int \*wstatus, int options\)/);
      assert.equal(h.activeParameter, 2);
      const inner = 'int main(void) { waitpid(getpid(';
      assert.match(signatureHelp(analyzeText(inner), { line: 0, character: inner.length })?.signatures[0].label ?? '', /getpid/);
    });
    it('works for scenario functions', () => {
      const text = 'int add(int a, int b) { return a + b; }\nint main(void) { add(1, ';
      const h = signatureHelp(analyzeText(text), { line: 1, character: 24 });
      assert.equal(h?.signatures[0].label, 'int add(int a, int b)');
      assert.equal(h?.activeParameter, 1);
    });
    it('gives nothing outside a call', () => {
      assert.equal(callAt('x = 1; (a)', 10), undefined);
    });
  });

  describe('symbol index', () => {
    it('keeps occurrences in source order and finds the one under the cursor', () => {
      const text = `${USER}\nint later(void) { int x = 0; do { x++; } while (x < CHILDREN); return x; }\n`;
      const a = analyzeText(text);
      const starts = a.index.occurrences.map((o) => o.range.start);
      assert.deepEqual(starts, [...starts].sort((x, y) => x - y));
      assert.equal(a.index.at(text.lastIndexOf('CHILDREN);'))?.name, 'CHILDREN');
      for (const o of a.index.occurrences) if (o.range.end - o.range.start >= 2) assert.equal(a.index.at(o.range.start + 1)?.name, o.name);
    });
  });

  describe('navigation', () => {
    it('goes from a use to the declaration, honouring block scope', () => {
      const a = analyzeText(USER);
      const d = definition(a, URI, posOf(USER, 'spin, NULL'));
      assert.deepEqual(d?.range.start, posOf(USER, 'spin(void'));
      const w = definition(a, URI, posOf(USER, 'wstatus) > 0'));
      assert.deepEqual(w?.range.start, posOf(USER, 'wstatus;'));
    });
    it('resolves the function named by #pragma kproc program', () => {
      const a = analyzeText(USER);
      const d = definition(a, URI, posOf(USER, 'worker_main', 2));
      assert.deepEqual(d?.range.start, posOf(USER, 'worker_main(void)'));
    });
    it('goes from an exec path to the function registered for it', () => {
      const a = analyzeText(USER);
      const d = definition(a, URI, posOf(USER, '"/bin/worker", "worker"', 3));
      assert.deepEqual(d?.range.start, posOf(USER, 'worker_main(void)'));
    });
    it('finds every reference, with or without the declaration', () => {
      const a = analyzeText(USER);
      const p = posOf(USER, 'counter');
      assert.equal(references(a, URI, p, true).length, 2);
      assert.equal(references(a, URI, p, false).length, 1);
    });
    it('outlines functions, registered programs and module_init', () => {
      const names = documentSymbols(analyzeText(USER)).map((s) => s.name);
      for (const n of ['CHILDREN', '/bin/worker', 'counter', 'spin', 'on_usr1', 'worker_main', 'main']) assert.ok(names.includes(n), n);
      const k = documentSymbols(analyzeText(KERNEL)).map((s) => s.name);
      assert.ok(k.includes('module_init(lab_init)') && k.includes('consume'));
    });
  });

  describe('structure', () => {
    it('folds function bodies, include runs and block comments', () => {
      const text = `/* a\n   b */\n${USER}`;
      const f = foldingRanges(analyzeText(text));
      assert.ok(f.some((r) => r.kind === 'comment' && r.startLine === 0 && r.endLine === 1));
      assert.ok(f.some((r) => r.kind === 'imports' && r.startLine === 2 && r.endLine === 6));
      const mainLine = posOf(text, 'int main').line + 1;
      assert.ok(f.some((r) => r.startLine === mainLine && r.kind === undefined));
    });
    it('puts Run and Debug lenses over main and module_init with the document URI', () => {
      const l = codeLenses(analyzeText(USER), URI);
      assert.deepEqual(l.map((x) => x.command?.command), ['kproc.runScenario', 'kproc.debugScenario']);
      assert.deepEqual(l[0].command?.arguments, [URI]);
      assert.equal(l[0].range.start.line, posOf(USER, 'int main').line);
      assert.equal(codeLenses(analyzeText(KERNEL), URI).length, 2);
    });
  });

  describe('semantic tokens', () => {
    it('marks thread functions, kthread functions, signal handlers and task handles', () => {
      const decode = (text: string): Map<string, string[]> => {
        const a = analyzeText(text);
        const d = semanticTokens(a).data;
        const out = new Map<string, string[]>();
        let line = 0;
        let ch = 0;
        for (let i = 0; i < d.length; i += 5) {
          line += d[i];
          ch = d[i] === 0 ? ch + d[i + 1] : d[i + 1];
          const name = a.lines.lineText(line).slice(ch, ch + d[i + 2]);
          const mods = LEGEND.tokenModifiers.filter((_, b) => (d[i + 4] >> b) & 1);
          out.set(name, [LEGEND.tokenTypes[d[i + 3]], ...mods]);
        }
        return out;
      };
      const u = decode(USER);
      assert.ok(u.get('spin')?.includes('threadFunction'));
      assert.ok(u.get('on_usr1')?.includes('signalHandler'));
      assert.ok(u.get('tid')?.includes('taskHandle'));
      assert.ok(u.get('pid')?.includes('taskHandle'));
      assert.equal(u.get('counter')?.[0], 'variable');
      assert.ok(!u.has('fork'), 'catalog names are left to the grammar');
      const k = decode(KERNEL);
      assert.ok(k.get('consume')?.includes('kthreadFunction'));
      assert.ok(k.get('consumer')?.includes('taskHandle'));
    });
  });

  describe('diagnostics', () => {
    it('publishes the checker\'s errors with ranges on the right lines', () => {
      const d = lspDiagnostics(analyzeText(BROKEN));
      const byCode = (c: string): number[] => d.filter((x) => x.code === c).map((x) => x.range.start.line);
      assert.ok(byCode('syntax').includes(2));
      assert.deepEqual(byCode('unknown-constant'), [3]);
      assert.ok(byCode('arg-count').includes(4));
      assert.deepEqual(byCode('undefined-name'), [5]);
      assert.ok(d.every((x) => x.source === 'kproc'));
    });
    it('has no warnings on a clean scenario', () => {
      assert.deepEqual(lspDiagnostics(analyzeText(USER)).map((d) => d.message), []);
      assert.deepEqual(lspDiagnostics(analyzeText(KERNEL)).map((d) => d.message), []);
    });
  });
});
