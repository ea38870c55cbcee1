// Parser tables: the C subset the lectures use, ranges on nodes, and recovery from several errors.
import { strict as assert } from 'node:assert';
import { parse } from '../../sim-core/lang/parser';
import type { Expr, FunctionDef, Stmt, VarDecl } from '../../sim-core/lang/ast';

/** Levels of nodes under a node (any object with a kind), counted without recursion. */
function treeHeight(root: object): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [v, h] = stack.pop() as [unknown, number];
    if (Array.isArray(v)) { for (const x of v) stack.push([x, h]); continue; }
    if (!v || typeof v !== 'object') continue;
    const node = 'kind' in v;
    if (node) max = Math.max(max, h);
    for (const [k, x] of Object.entries(v)) if (k !== 'range' && k !== 'nameRange') stack.push([x, node ? h + 1 : h]);
  }
  return max;
}

function body(src: string): Stmt[] {
  const r = parse(`int main(void) {\n${src}\n}`);
  assert.deepEqual(r.diagnostics.map((d) => d.message), []);
  return (r.program.items[0] as FunctionDef).body?.body ?? [];
}
function expr(src: string): Expr {
  const s = body(`x = ${src};`)[0];
  assert.equal(s.kind, 'ExprStmt');
  const e = (s as Extract<Stmt, { kind: 'ExprStmt' }>).expr;
  assert.equal(e.kind, 'Assign');
  return (e as Extract<Expr, { kind: 'Assign' }>).value;
}
/** Fully parenthesised form of an expression, to compare precedence. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'Number': return String(e.value);
    case 'Ident': return e.name;
    case 'String': return JSON.stringify(e.value);
    case 'Char': return `'${String.fromCharCode(e.value)}'`;
    case 'Binary': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Unary': return `(${e.op}${show(e.operand)})`;
    case 'Postfix': return `(${show(e.operand)}${e.op})`;
    case 'Assign': return `(${show(e.target)} ${e.op} ${show(e.value)})`;
    case 'Conditional': return `(${show(e.test)} ? ${show(e.consequent)} : ${show(e.alternate)})`;
    case 'Call': return `${show(e.callee)}(${e.args.map(show).join(', ')})`;
    case 'Member': return `${show(e.object)}${e.arrow ? '->' : '.'}${e.name}`;
    case 'Index': return `${show(e.object)}[${show(e.index)}]`;
    case 'Cast': return `((${e.type.name}${'*'.repeat(e.type.pointer)})${show(e.operand)})`;
    case 'Sizeof': return e.type ? `sizeof(${e.type.name})` : `sizeof ${show(e.operand as Expr)}`;
    case 'Comma': return `(${show(e.left)}, ${show(e.right)})`;
    case 'InitList': return `{${e.items.map(show).join(', ')}}`;
    default: return '<error>';
  }
}

describe('parser: expressions', () => {
  const table: Array<[string, string]> = [
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['a - b - c', '((a - b) - c)'],
    ['a || b && c', '(a || (b && c))'],
    ['a | b ^ c & d', '(a | (b ^ (c & d)))'],
    ['a == b < c', '(a == (b < c))'],
    ['1 << 2 + 3', '(1 << (2 + 3))'],
    ['CLONE_VM | CLONE_FS | SIGCHLD', '((CLONE_VM | CLONE_FS) | SIGCHLD)'],
    ['a ? b : c ? d : e', '(a ? b : (c ? d : e))'],
    ['y = z += 2', '(y = (z += 2))'],
    ['-a * !b', '((-a) * (!b))'],
    ['*p++', '(*(p++))'],
    ['&wstatus', '(&wstatus)'],
    ['(long)p->pid', '((long)p->pid)'],
    ['(struct task_struct *)0', '((struct task_struct*)0)'],
    ['sizeof(struct sigaction) + sizeof x', '(sizeof(struct sigaction) + sizeof x)'],
    ['f(a, b)(c)', 'f(a, b)(c)'],
    ['argv[1][0]', 'argv[1][0]'],
    ['"ab" "cd"', '"abcd"'],
    ["'\\n' + '\\0'", "('\n' + '\u0000')"],
    ['0x1F + 010 + 7UL + 0b11', '(((31 + 8) + 7) + 3)'],
    ['WEXITSTATUS(s) & 0xff', '(WEXITSTATUS(s) & 255)'],
  ];
  for (const [src, want] of table) it(`${src}  =>  ${want}`, () => assert.equal(show(expr(src)), want));

  it('pastes a printk level onto the following literal', () => {
    const e = expr('printk(KERN_INFO "hello %d\\n", 1)');
    assert.equal(e.kind, 'Call');
    const arg = (e as Extract<Expr, { kind: 'Call' }>).args[0];
    assert.deepEqual([arg.kind, (arg as { value: string }).value], ['String', '\x016hello %d\n']);
  });

  it('records designated initialisers', () => {
    const d = body('struct sigaction sa = { .sa_handler = SIG_IGN, .sa_flags = SA_RESTART };')[0] as VarDecl;
    const init = d.declarators[0].init as Extract<Expr, { kind: 'InitList' }>;
    assert.deepEqual(init.fields?.map((f) => f?.name), ['sa_handler', 'sa_flags']);
  });
});

describe('parser: statements and declarations', () => {
  it('parses every statement kind', () => {
    const kinds = body(`
      int i, *p = 0, a[3] = {1, 2, 3};
      if (i) i++; else i--;
      while (i < 3) { i++; continue; }
      do i--; while (i);
      for (int j = 0; j < 2; j++) ;
      switch (i) { case 1: break; default: break; }
      return 0;`).map((s) => s.kind);
    assert.deepEqual(kinds, ['VarDecl', 'If', 'While', 'DoWhile', 'For', 'Switch', 'Return']);
  });

  it('gives pointers and arrays to each declarator', () => {
    const d = body('char *s, c, buf[16];')[0] as VarDecl;
    assert.deepEqual(d.declarators.map((x) => [x.name, x.pointer, x.arraySize?.kind]), [['s', 1, undefined], ['c', 0, undefined], ['buf', 0, 'Number']]);
  });

  it('parses module code: qualifiers, struct definitions and declaration macros', () => {
    const r = parse(`#include <linux/kthread.h>
static struct task_struct *worker;
struct event { int id; struct event *next; };
LIST_HEAD(events);
static int __init demo_init(void) { return 0; }
static void __exit demo_exit(void) { }
module_init(demo_init);
module_exit(demo_exit);
MODULE_LICENSE("GPL");`);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.program.items.map((i) => `${i.kind}:${'name' in i ? i.name : ''}`),
      ['VarDecl:', 'Struct:event', 'MacroDecl:LIST_HEAD', 'Function:demo_init', 'Function:demo_exit',
        'MacroDecl:module_init', 'MacroDecl:module_exit', 'MacroDecl:MODULE_LICENSE']);
    const fn = r.program.items[3] as FunctionDef;
    assert.equal(fn.storage, 'static');
    assert.equal(fn.returnType.name, 'int');
  });

  it('parses parameters, prototypes and function pointers', () => {
    const r = parse('int f(int a, char *argv[], void (*h)(int), ...);\nvoid *worker(void *arg) { return arg; }\nint main(int argc, char **argv) { return 0; }');
    assert.deepEqual(r.diagnostics, []);
    const f = r.program.items[0] as FunctionDef;
    assert.equal(f.body, undefined);
    assert.equal(f.variadic, true);
    assert.deepEqual(f.params.map((p) => [p.name, p.type.pointer]), [['a', 0], ['argv', 2], ['h', 1]]);
    assert.equal((r.program.items[1] as FunctionDef).returnType.pointer, 1);
  });

  it('records directives: include, define, kproc pragma; ignores other pragmas', () => {
    const r = parse('#include <stdio.h>\n#include "mine.h"\n#define N (1 << 4)\n#define EMPTY\n#pragma once\n#pragma kproc program "/bin/w" w_main\n#pragma kproc pid_max 400\nint main(void) { return N; }');
    assert.deepEqual(r.diagnostics, []);
    const ds = r.program.directives;
    assert.deepEqual(ds.map((d) => d.kind), ['Include', 'Include', 'Define', 'Define', 'Pragma', 'Pragma']);
    assert.deepEqual(ds[0].kind === 'Include' && [ds[0].path, ds[0].system], ['stdio.h', true]);
    const p = ds[4];
    assert.ok(p.kind === 'Pragma');
    assert.deepEqual([p.key, p.args.map((a) => a.value)], ['program', ['/bin/w', 'w_main']]);
  });

  it('skips #if 0 regions and keeps #ifdef branches of known names', () => {
    const r = parse('#if 0\nthis is not C\n#endif\n#ifdef SIGCHLD\nint a;\n#else\nint b;\n#endif\n#ifndef NOPE\nint c;\n#endif\n');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.program.items.map((i) => i.kind === 'VarDecl' && i.declarators[0].name), ['a', 'c']);
  });
});

describe('parser: ranges', () => {
  it('puts a range on nodes that covers their text', () => {
    const src = 'int main(void) {\n  pid_t pid = fork();\n  return WEXITSTATUS(pid) + 1;\n}\n';
    const r = parse(src);
    const fn = r.program.items[0] as FunctionDef;
    assert.equal(src.slice(fn.range.start, fn.range.end), src.trimEnd());
    assert.equal(src.slice(fn.nameRange.start, fn.nameRange.end), 'main');
    const [decl, ret] = fn.body?.body ?? [];
    assert.equal(src.slice(decl.range.start, decl.range.end), 'pid_t pid = fork();');
    assert.ok(ret.kind === 'Return' && ret.value);
    assert.equal(src.slice(ret.value.range.start, ret.value.range.end), 'WEXITSTATUS(pid) + 1');
  });
});

describe('parser: recovery', () => {
  it('reports several errors in one file and keeps the good functions', () => {
    const r = parse('int a(void) { int x = ; return 0; }\nint b(void) { foo(1 2); return 1 }\nint c(void) { if x) return 2; return 3; }\nint d(void) { return 4; }\n');
    assert.ok(r.diagnostics.length >= 4, r.diagnostics.map((d) => d.message).join('\n'));
    assert.deepEqual(r.program.items.map((i) => 'name' in i && i.name), ['a', 'b', 'c', 'd']);
    assert.ok(r.diagnostics.every((d) => d.code === 'syntax'));
  });

  it('reports unsupported constructs with their own codes', () => {
    const codes = (src: string): string[] => parse(src).diagnostics.map((d) => d.code);
    assert.deepEqual(codes('#define MAX(a, b) a\n'), []);
    assert.deepEqual(codes('#define LOG(fmt, ...) fmt\n'), ['function-macro']);
    // float and double are C's; long double (x87's 80 bits) is refused, once.
    assert.deepEqual(codes('double avg(long double x, float y) { return 0; }\n'), ['unsupported']);
    assert.deepEqual(parse('double f(double long x);').diagnostics.map((d) => d.message), ["'long double' is not supported by the simulator: it computes in float and double only"]);
    assert.deepEqual(codes('#define MAX(a, b) a\nint x = MAX(1);\n'), ['macro']);
    assert.deepEqual(codes('#define REPEAT(n) for (;;)\nint main(void) { REPEAT(3) x(); }\n'), ['unsupported']);
    assert.deepEqual(codes('#define X 1 2\n'), ['macro-body']);
    assert.deepEqual(codes('typedef int foo;\n'), []);
    assert.deepEqual(codes('typedef int row[4];\nrow r;\nint f(row *p) { return (int)sizeof(row); }\n'), ['unsupported']);
    assert.deepEqual(codes('int main(void) { goto out; out: return 0; }\n'), []);
    assert.deepEqual(codes('int f(void) { int (*rows)[4]; return 0; }\n'), ['unsupported']);
    assert.deepEqual(codes('#frobnicate\n'), ['preprocessor']);
    assert.deepEqual(codes('#if FOO > 2\n#endif\n'), ['preprocessor']);
    assert.deepEqual(codes('#pragma kproc\n'), ['pragma']);
  });

  it('scopes typedef names: a variable or parameter of the same name hides the type in its block', () => {
    const r = parse('typedef int count;\nint f(int count) { count++; return count; }\nint main(void) {\n'
      + '  { int count = 0; count++; count += 2; count--; }\n  { typedef long wide; wide w = 1; }\n  count n = 1; wide v = 2;\n  return n;\n}\n');
    const fns = r.program.items.filter((x): x is FunctionDef => x.kind === 'Function');
    const inner = (fns[1].body?.body[0] as Extract<Stmt, { kind: 'Block' }>).body;
    assert.deepEqual(inner.map((x) => x.kind), ['VarDecl', 'ExprStmt', 'ExprStmt', 'ExprStmt']);
    assert.equal(fns[0].body?.body[0].kind, 'ExprStmt');
    // After the blocks `count` is a type again; the block's `wide` is gone (`wide v` is not a declaration).
    const after = fns[1].body?.body ?? [];
    assert.equal(after[2].kind, 'VarDecl');
    assert.deepEqual(r.diagnostics.map((d) => d.message), ["expected ';' after the statement before 'v'"]);
  });

  it('survives deep nesting without overflowing the stack', () => {
    const r = parse(`int main(void) { return ${'('.repeat(5000)}1${')'.repeat(5000)}; }`);
    assert.ok(r.diagnostics.some((d) => d.code === 'too-deep'));
    const r2 = parse(`int main(void) ${'{'.repeat(3000)}`);
    assert.ok(r2.diagnostics.length > 0);
  });

  it('stops at the nesting limit with one error, not one per level below it', () => {
    const r = parse(`int main(void) { int x = ${'('.repeat(20000)}1${')'.repeat(20000)}; return x; }\nint y = ;\n`);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-deep']);
    assert.match(r.diagnostics[0].message, /nesting too deep \(more than 200 levels\); the rest of the file is not read/);
  });

  it('limits the operators of a statement to 500, so no later pass recurses too deep', () => {
    const sum = (n: number): string => `int main(void) { return 1${' + 1'.repeat(n)}; }`;
    assert.deepEqual(parse(sum(500)).diagnostics, []);
    const r = parse(sum(200000));
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-deep']);
    assert.match(r.diagnostics[0].message, /more than 500 operators in one statement/);
    // The error points at the first operator past the limit.
    assert.equal(r.diagnostics[0].range.start, 'int main(void) { return 1'.length + 500 * 4 + 1);
    // Chains stacked in parentheses count together: they make one deep tree.
    let stacked = `1${' + 1'.repeat(300)}`;
    for (let i = 0; i < 3; i++) stacked = `(${stacked})${' + 1'.repeat(300)}`;
    assert.deepEqual(parse(`int main(void) { return ${stacked}; }`).diagnostics.map((d) => d.code), ['too-deep']);
    // Each statement has its own budget.
    const stmt = `x = x${' + 1'.repeat(450)};`;
    assert.deepEqual(parse(`int main(void) { int x = 0; ${stmt} ${stmt} return x; }`).diagnostics, []);
  });

  it('counts commas and postfix operators against the same limit: one located error, a shallow tree', () => {
    const pre = 'int main(void) { int x = 0; int a[2]; ';
    for (const [what, body] of [
      ['commas', `x = 1${', 1'.repeat(10000)};`], ['x++++', `x${'++'.repeat(10000)};`],
      ['a[0][0]', `a${'[0]'.repeat(10000)} = 1;`], ['f()()', `abs(1)${'(1)'.repeat(10000)};`], ['->n', `x${'->n'.repeat(10000)};`],
    ]) {
      const r = parse(`${pre}${body} return 0; }`);
      assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-deep'], what);
      assert.match(r.diagnostics[0].message, /more than 500 operators in one statement/, what);
      assert.ok(r.diagnostics[0].range.start > pre.length + 500, what);
      const height = treeHeight(r.program.items[0]);
      assert.ok(height < 520, `${what}: tree ${height} levels tall`);
    }
  });

  it('counts call arguments and initializer items as siblings: many short ones are fine, one long one is not', () => {
    const args = Array.from({ length: 400 }, (_, i) => `a[0] + ${i}`).join(', ');
    assert.deepEqual(parse(`int a[1]; int f(int n, ...);\nint main(void) { f(1, ${args}); return 0; }\n`).diagnostics, []);
    const table = Array.from({ length: 1000 }, (_, i) => `${i} | 1`).join(', ');
    assert.deepEqual(parse(`int t[] = { ${table} };\nint main(void) { return t[0]; }\n`).diagnostics, []);
    const deep = parse(`int f(int n);\nint main(void) { f(1, 2${' + 1'.repeat(600)}, 3${' + 1'.repeat(600)}); return 0; }\n`);
    assert.deepEqual(deep.diagnostics.map((d) => d.code), ['too-deep']);
  });

  it('bounds nested initializer braces by the nesting limit', () => {
    const r = parse(`int main(void) { int a[1] = ${'{'.repeat(3000)}1${'}'.repeat(3000)}; return 0; }`);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-deep']);
    assert.match(r.diagnostics[0].message, /nesting too deep \(more than 200 levels\)/);
  });
});
