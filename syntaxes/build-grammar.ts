// Generates syntaxes/kproc.tmLanguage.json from the builtins catalog, so the grammar highlights
// exactly the calls and constants the checker knows. Run: npx tsx syntaxes/build-grammar.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALLS, CONSTANT_TABLE, DECL_MACRO_TABLE, STRUCT_TABLE } from '../sim-core/lang/builtins';
import type { CallInfo, ConstantInfo } from '../sim-core/lang/builtins';
import { PRAGMA_KEYS } from '../sim-core/lang/check-pragmas';
import { TYPEDEF_NAMES } from '../sim-core/lang/parser-base';

type Rule = Record<string, unknown>;

/** Longest names first so that `execvp` is never cut to `execv` inside an alternation. */
function words(names: Iterable<string>): string {
  const sorted = [...new Set(names)].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return `\\b(?:${sorted.map((n) => n.replace(/[$]/g, '\\$')).join('|')})\\b`;
}

function calls(pred: (c: CallInfo) => boolean): string[] {
  return [...CALLS.values()].filter(pred).map((c) => c.name);
}

function consts(pred: (c: ConstantInfo) => boolean): string[] {
  return [...CONSTANT_TABLE.values()].filter(pred).map((c) => c.name);
}

const LIBC_HEADERS = new Set(['<stdio.h>', '<string.h>', '<stdlib.h>']);
const PROCESS_EXCEPTIONS = new Set(['exit', 'abort']);
/** A user call is "process management" unless it is a plain C library helper (printf, strlen...). */
const isLibc = (c: CallInfo): boolean => LIBC_HEADERS.has(c.header) && !PROCESS_EXCEPTIONS.has(c.name);

function match(re: string, name: string): Rule {
  return { match: re, name };
}

export function buildGrammar(): Rule {
  const constantRules: Rule[] = [
    match(words(consts((c) => c.group === 'clone')), 'support.constant.clone-flag.kproc'),
    match(words(consts((c) => c.group === 'signal')), 'support.constant.signal.kproc'),
    match(words(consts((c) => c.group === 'wait-option' || c.group === 'idtype')), 'support.constant.wait.kproc'),
    match(words(consts((c) => c.group === 'task-state')), 'support.constant.task-state.kproc'),
    match(words(consts((c) => c.group === 'pf-flag')), 'support.constant.pf-flag.kproc'),
    match(words(consts((c) => c.group === 'errno')), 'support.constant.errno.kproc'),
    match(words(['errno']), 'variable.language.errno.kproc'),
    match(words(consts((c) => c.group === 'kernel-var')), 'variable.language.kernel.kproc'),
    match(words(consts((c) => c.group === 'null')), 'constant.language.kproc'),
    match(words(consts((c) => ['sig-handler', 'sa-flag', 'sigprocmask', 'prctl', 'rlimit', 'exit-status',
      'stdio', 'gfp', 'numa', 'time', 'printk-level'].includes(c.group))), 'support.constant.kproc'),
  ];
  const callRules: Rule[] = [
    match(words(calls((c) => c.side === 'kernel')), 'support.function.kernel.kproc'),
    match(words(calls((c) => c.side !== 'kernel' && c.isMacro === true)), 'support.function.wait-macro.kproc'),
    match(words(calls((c) => c.side !== 'kernel' && !c.isMacro && !isLibc(c))), 'support.function.process.kproc'),
    match(words(calls((c) => c.side !== 'kernel' && !c.isMacro && isLibc(c))), 'support.function.libc.kproc'),
    match(words(DECL_MACRO_TABLE.keys()), 'support.function.module.kproc'),
  ];
  const intSettings = PRAGMA_KEYS.filter((k) => k !== 'program');
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Kproc Scenario',
    scopeName: 'source.kproc',
    fileTypes: ['kproc'],
    patterns: [{ include: '#comments' }, { include: '#preprocessor' }, { include: '#code' }],
    repository: {
      comments: {
        patterns: [
          { name: 'comment.block.kproc', begin: '/\\*', end: '\\*/',
            beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.kproc' } },
            endCaptures: { 0: { name: 'punctuation.definition.comment.end.kproc' } } },
          { name: 'comment.line.double-slash.kproc', begin: '//', end: '(?<!\\\\)$',
            beginCaptures: { 0: { name: 'punctuation.definition.comment.kproc' } } },
        ],
      },
      preprocessor: {
        patterns: [
          {
            name: 'meta.preprocessor.pragma.kproc',
            begin: `^\\s*(#)\\s*(pragma)\\s+(kproc)\\b(?:\\s+(?:(program)|(${intSettings.join('|')})|([A-Za-z_]\\w*))\\b)?`,
            beginCaptures: {
              1: { name: 'punctuation.definition.directive.kproc' },
              2: { name: 'keyword.control.directive.pragma.kproc' },
              3: { name: 'keyword.other.pragma-namespace.kproc' },
              4: { name: 'keyword.other.setting.program.kproc' },
              5: { name: 'keyword.other.setting.kproc' },
              6: { name: 'invalid.illegal.unknown-setting.kproc' },
            },
            end: '(?<!\\\\)$',
            patterns: [
              { include: '#comments' },
              { name: 'string.quoted.double.program-path.kproc', begin: '"', end: '"|(?<!\\\\)$' },
              { include: '#numbers' },
              match('\\b[A-Za-z_]\\w*\\b', 'entity.name.function.program.kproc'),
            ],
          },
          {
            name: 'meta.preprocessor.include.kproc',
            begin: '^\\s*(#)\\s*(include)\\b',
            beginCaptures: {
              1: { name: 'punctuation.definition.directive.kproc' },
              2: { name: 'keyword.control.directive.include.kproc' },
            },
            end: '(?<!\\\\)$',
            patterns: [
              { include: '#comments' },
              match('<[^>]*>', 'string.quoted.other.lt-gt.include.kproc'),
              match('"[^"]*"', 'string.quoted.double.include.kproc'),
            ],
          },
          {
            name: 'meta.preprocessor.macro.kproc',
            begin: '^\\s*(#)\\s*(define)\\s+([A-Za-z_]\\w*)',
            beginCaptures: {
              1: { name: 'punctuation.definition.directive.kproc' },
              2: { name: 'keyword.control.directive.define.kproc' },
              3: { name: 'entity.name.constant.preprocessor.kproc' },
            },
            end: '(?<!\\\\)$',
            patterns: [{ include: '#comments' }, { include: '#code' }],
          },
          {
            name: 'meta.preprocessor.kproc',
            begin: '^\\s*(#)\\s*(if|ifdef|ifndef|elif|else|endif|undef|pragma|error|warning|line)\\b',
            beginCaptures: {
              1: { name: 'punctuation.definition.directive.kproc' },
              2: { name: 'keyword.control.directive.conditional.kproc' },
            },
            end: '(?<!\\\\)$',
            patterns: [{ include: '#comments' }, { include: '#code' }],
          },
        ],
      },
      code: {
        patterns: [
          { include: '#comments' },
          { include: '#strings' },
          { include: '#numbers' },
          { include: '#keywords' },
          { include: '#types' },
          ...callRules,
          ...constantRules,
          { include: '#functions' },
          { include: '#operators' },
          match('[A-Za-z_]\\w*', 'variable.other.kproc'),
        ],
      },
      strings: {
        patterns: [
          {
            name: 'string.quoted.double.kproc', begin: '"', end: '"|(?<!\\\\)$',
            beginCaptures: { 0: { name: 'punctuation.definition.string.begin.kproc' } },
            endCaptures: { 0: { name: 'punctuation.definition.string.end.kproc' } },
            patterns: [
              match('\\\\(?:[\\\\abfnrtv\'"?0]|x[0-9A-Fa-f]+|[0-7]{1,3})', 'constant.character.escape.kproc'),
              match('%[-+ #0]*(?:\\d+|\\*)?(?:\\.(?:\\d+|\\*))?(?:hh|h|ll|l|z|j|t)?[diouxXcspfgeEG%]', 'constant.other.placeholder.kproc'),
            ],
          },
          {
            name: 'string.quoted.single.kproc', match: "'(?:\\\\.|[^'\\\\])*'",
          },
        ],
      },
      numbers: {
        patterns: [
          match('\\b0[xX][0-9A-Fa-f]+[uUlL]*\\b', 'constant.numeric.hex.kproc'),
          match('\\b0[0-7]+[uUlL]*\\b', 'constant.numeric.octal.kproc'),
          match('\\b[0-9]+(?:\\.[0-9]+)?[uUlLfF]*\\b', 'constant.numeric.decimal.kproc'),
        ],
      },
      keywords: {
        patterns: [
          match('\\b(?:if|else|while|do|for|switch|case|default|break|continue|return|goto)\\b', 'keyword.control.kproc'),
          match('\\bsizeof\\b', 'keyword.operator.sizeof.kproc'),
          match('\\b(?:static|extern|const|volatile|register|inline|restrict|typedef)\\b', 'storage.modifier.kproc'),
          // Section and address-space annotations mark kernel-side code.
          match('\\b(?:__init|__exit|__user|__iomem|__read_mostly|__initdata|__exitdata|__maybe_unused|__must_check|__always_inline|noinline)\\b',
            'storage.modifier.kernel.kproc'),
        ],
      },
      types: {
        patterns: [
          {
            match: `\\b(struct|union|enum)\\s+(?:(${[...STRUCT_TABLE.keys()].join('|')}|list_head|mm_struct|files_struct|signal_struct|sighand_struct|pid)|([A-Za-z_]\\w*))\\b`,
            captures: {
              1: { name: 'storage.type.struct.kproc' },
              2: { name: 'support.type.struct.kproc' },
              3: { name: 'entity.name.type.struct.kproc' },
            },
          },
          match('\\b(?:void|char|short|int|long|signed|unsigned|float|double)\\b', 'storage.type.builtin.kproc'),
          match(words(TYPEDEF_NAMES), 'support.type.kproc'),
        ],
      },
      functions: {
        patterns: [
          match('\\b[A-Za-z_]\\w*(?=\\s*\\()', 'entity.name.function.kproc'),
        ],
      },
      operators: {
        patterns: [
          match('->', 'punctuation.separator.pointer-access.kproc'),
          match('\\.(?=[A-Za-z_])', 'punctuation.separator.dot-access.kproc'),
          match('\\+\\+|--', 'keyword.operator.increment.kproc'),
          match('&&|\\|\\|', 'keyword.operator.logical.kproc'),
          match('<<=?|>>=?|[&|^]=?|~', 'keyword.operator.bitwise.kproc'),
          match('==|!=|<=|>=|<|>', 'keyword.operator.comparison.kproc'),
          match('!', 'keyword.operator.logical.kproc'),
          match('[-+*/%]?=', 'keyword.operator.assignment.kproc'),
          match('[-+*/%]', 'keyword.operator.arithmetic.kproc'),
          match('[?:]', 'keyword.operator.ternary.kproc'),
          match(';', 'punctuation.terminator.statement.kproc'),
          match(',', 'punctuation.separator.delimiter.kproc'),
        ],
      },
    },
  };
}

/** The JSON text as committed: two-space indentation and a final newline. */
export function grammarText(): string {
  return `${JSON.stringify(buildGrammar(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(join(__dirname, 'kproc.tmLanguage.json'), grammarText());
}
