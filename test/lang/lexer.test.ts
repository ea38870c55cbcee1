// The fast paths of the front end: punctuator and keyword codes, interned names, number values
// scanned in place, token buffers reused across parses, and the checker's scope stack.
import { strict as assert } from 'node:assert';
import { lex, lexRange, T } from '../../sim-core/lang/lexer';
import { K, KEYWORDS, PUNCT_TEXT, TYPEDEF_NAMES } from '../../sim-core/lang/lexer-codes';
import { parse } from '../../sim-core/lang/parser';
import { analyze } from '../../sim-core/lang/check';
import type { Expr, FunctionDef, Stmt } from '../../sim-core/lang/ast';

function kinds(src: string): Array<[T, string]> {
  const { tokens } = lex(src);
  const out: Array<[T, string]> = [];
  for (let i = 0; i < tokens.length - 1; i++) out.push([tokens.kind[i], tokens.val(i)]);
  return out;
}

function firstExpr(src: string): Expr {
  const r = parse(`int main(void) {\n${src};\n}`);
  assert.deepEqual(r.diagnostics.map((d) => d.message), []);
  const s = (r.program.items[0] as FunctionDef).body?.body[0] as Extract<Stmt, { kind: 'ExprStmt' }>;
  return s.expr;
}

describe('lexer: codes and values', () => {
  it('every punctuator lexes to its own kind and text, longest match first', () => {
    for (let k: number = T.LParen; k < PUNCT_TEXT.length; k++) {
      const text: string = PUNCT_TEXT[k];
      // In a directive body '#' and '##' are ordinary punctuators.
      const { tokens } = lexRange(` ${text} `, 0, text.length + 2);
      assert.equal(tokens.length, 2, `'${text}' is one token`);
      assert.equal(tokens.kind[0], k, `'${text}'`);
      assert.equal(tokens.val(0), text);
      assert.deepEqual([tokens.start[0], tokens.end[0]], [1, 1 + text.length]);
    }
    assert.deepEqual(kinds('a<<=b>>c...d..e->f'), [[T.Ident, 'a'], [T.ShlEq, '<<='], [T.Ident, 'b'], [T.Shr, '>>'], [T.Ident, 'c'],
      [T.Ellipsis, '...'], [T.Ident, 'd'], [T.Dot, '.'], [T.Dot, '.'], [T.Ident, 'e'], [T.Arrow, '->'], [T.Ident, 'f']]);
  });

  it('keywords and known type names carry codes; other names, however similar, do not', () => {
    const { tokens } = lex('if iff else pid_t pid_tt __attribute__ int _Bool x');
    const kw = Array.from(tokens.kw.subarray(0, tokens.length - 1));
    assert.deepEqual(kw, [K.If, K.None, K.Else, K.TypedefName, K.None, K.Attribute, K.Int, K.TypedefName, K.None]);
    for (const w of KEYWORDS) assert.ok(lex(w).tokens.kw[0] !== K.None, w);
    for (const w of TYPEDEF_NAMES) assert.equal(lex(w).tokens.kw[0], K.TypedefName, w);
  });

  it('interns names: one string per distinct name, past the first table size', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `name_${i}`);
    const src = names.join(' ') + ' ' + names.slice().reverse().join(' ');
    const { tokens } = lex(src);
    assert.equal(tokens.length, 6001);
    for (let i = 0; i < 3000; i++) {
      assert.equal(tokens.val(i), names[i]);
      assert.equal(tokens.ref[i], tokens.ref[5999 - i], names[i]);
    }
  });

  it('numbers: decimal values scanned in place, the other forms decoded, floating literals valued', () => {
    const cases: Array<[string, number]> = [['0', 0], ['7', 7], ['42', 42], ['123456789012345', 123456789012345], ['0x1F', 31], ['017', 15],
      ['0b101', 5], ['10u', 10], ['300L', 300], ['1234567890123456789', 1234567890123456789], ['08', 8]];
    for (const [text, value] of cases) {
      const e = firstExpr(`x = ${text}`) as Extract<Expr, { kind: 'Assign' }>;
      assert.equal(e.value.kind, 'Number', text);
      const n = e.value as Extract<Expr, { kind: 'Number' }>;
      assert.deepEqual([n.text, n.value], [text, value]);
    }
    const floats: Array<[string, number]> = [['.5', 0.5], ['1e+3', 1000], ['1e9', 1e9], ['2.', 2], ['2.f', 2], ['1.5F', 1.5],
      ['0x1p3', 8], ['0x1.8p1', 3], ['0x1p-2', 0.25], ['0X.8P0', 0.5], ['1.25e-2', 0.0125], ['6.02E23', 6.02e23]];
    for (const [text, value] of floats) {
      const r = parse(`double x = ${text};`);
      assert.deepEqual(r.diagnostics, [], text);
      const e = firstExpr(`x = ${text}`) as Extract<Expr, { kind: 'Assign' }>;
      assert.deepEqual([(e.value as Extract<Expr, { kind: 'Number' }>).text, (e.value as Extract<Expr, { kind: 'Number' }>).value], [text, value]);
    }
    assert.deepEqual(parse('double x = 1.5e;').diagnostics.map((d) => d.message), ["invalid number '1.5e'"]);
    assert.deepEqual(parse('double x = 0x1.8;').diagnostics.map((d) => d.message), ["invalid number '0x1.8'"]);
    assert.deepEqual(parse('int x = 0x1e+3;').diagnostics, []);
    assert.deepEqual(parse('int x = 12ab;').diagnostics.map((d) => d.message), ["invalid number '12ab'"]);
  });

  it('literals keep their decoded values beside the token stream', () => {
    const { tokens } = lex(`"a\\tb" 'c' '\\x41' "\\101" 5`);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => [tokens.kind[i], tokens.val(i), tokens.num(i)]), [
      [T.String, 'a\tb', 0], [T.Char, 'c', 99], [T.Char, 'A', 65], [T.String, 'A', 0], [T.Number, '5', 5]]);
  });

  it('grows the token arrays when a text has more tokens than the first guess', () => {
    const src = 'x;'.repeat(5000);
    const { tokens } = lex(src);
    assert.equal(tokens.length, 10001);
    assert.deepEqual([tokens.kind[9999], tokens.start[9999], tokens.kind[10000]], [T.Semi, 9999, T.EOF]);
  });
});

describe('parser: token buffers reused across parses', () => {
  it('gives the same result for a file after larger and smaller ones', () => {
    const small = 'int main(void) { return fork() == 0 ? 1 : 2; }\n';
    const large = `${'int f(int a) { if (a) return a; else return -a; }\n'.repeat(400)}int main(void) { return f(1); }\n`;
    const first = JSON.stringify(parse(small));
    parse(large);
    assert.equal(JSON.stringify(parse(small)), first);
    const big = JSON.stringify(parse(large));
    parse(small);
    parse('#define X 1\n#pragma kproc cpus 2\nint main(void) { return X; }\n');
    assert.equal(JSON.stringify(parse(large)), big);
  });

  it('keyword codes from a previous file do not leak into the next one', () => {
    parse('int main(void) { if (1) return 0; while (1) ; }');
    const r = parse('a b c d e f g h;');
    assert.deepEqual(r.diagnostics.map((d) => d.message), ["expected a declaration before 'a'"]);
  });
});

describe('checker: scopes on a stack', () => {
  const wrap = (body: string): string => `#include <unistd.h>\nint main(void)\n{\n${body}\nreturn 0;\n}\n`;
  const codes = (src: string): string[] => analyze(src).diagnostics.map((d) => `${d.code}:${src.slice(d.range.start, d.range.end)}`);

  it('an inner declaration shadows and then gives the outer one back', () => {
    assert.deepEqual(codes(wrap('int a = 1;\n{ char *a = "x"; a = 0; }\na = 2;\n{ int b = a; }\nb = 1;')), ['undefined-name:b']);
  });

  it('redefinition only within the same scope, parameters included', () => {
    const src = '#include <unistd.h>\nint f(int p)\n{\nint p = 2;\nint q;\nint q;\n{ int q; int p; }\nfor (int p = 0; p < 1; p++) { int p; }\nreturn p;\n}\nint main(void) { return f(1); }\n';
    assert.deepEqual(codes(src), ['duplicate:p', 'duplicate:q']);
  });

  it('suggests visible names only, outer scopes first', () => {
    const d = analyze(wrap('int count = 0;\n{ int cuont = 1; }\ncoutn = 1;')).diagnostics;
    assert.equal(d.length, 1);
    assert.match(d[0].message, /'coutn' undeclared; did you mean 'count'\?/);
    const e = analyze(wrap('int abcd = 0;\n{ int abce = 0; abcf = 1; }')).diagnostics;
    assert.match(e[0].message, /did you mean 'abcd'\?/);
  });

  it('names of a finished function are gone in the next one', () => {
    const src = '#include <unistd.h>\nint f(int n) { int local = n; return local; }\nint main(void) { return local + n; }\n';
    assert.deepEqual(codes(src), ['undefined-name:local', 'undefined-name:n']);
  });
});
