// The scenario language's syntax tree: a C subset. Every node carries its source range so the
// checker, the language server, the VM (statement lines) and the debugger can point back at text.

/** Half-open range of UTF-16 offsets into the source text. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  range: Range;
  severity: Severity;
  message: string;
  /** Short stable identifier, e.g. 'syntax', 'undefined-name', 'arg-count', 'unreachable'. */
  code: string;
}

/** A type as written: `int`, `unsigned long`, `char *`, `struct sigaction`, `pid_t *`. */
export interface TypeRef {
  kind: 'Type';
  /** Base name with qualifiers dropped: 'int', 'unsigned long', 'struct task_struct', 'pid_t'. */
  name: string;
  /** Number of `*` after the base. */
  pointer: number;
  /**
   * A parameter written as an array of arrays (`int g[][4]`): the inner sizes. The type is then a
   * pointer (the last of `pointer`) to arrays of these sizes.
   */
  dims?: Expr[];
  range: Range;
}

export type UnaryOp = '-' | '+' | '!' | '~' | '*' | '&' | '++' | '--';
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^'
  | '<' | '>' | '<=' | '>=' | '==' | '!=' | '&&' | '||';
export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '<<=' | '>>=' | '&=' | '|=' | '^=';

export type Expr =
  | { kind: 'Number'; value: number; text: string; range: Range }
  | { kind: 'String'; value: string; range: Range }
  | { kind: 'Char'; value: number; range: Range }
  | { kind: 'Ident'; name: string; range: Range }
  | { kind: 'Unary'; op: UnaryOp; operand: Expr; range: Range }
  | { kind: 'Postfix'; op: '++' | '--'; operand: Expr; range: Range }
  | { kind: 'Binary'; op: BinaryOp; left: Expr; right: Expr; range: Range }
  | { kind: 'Assign'; op: AssignOp; target: Expr; value: Expr; range: Range }
  | { kind: 'Conditional'; test: Expr; consequent: Expr; alternate: Expr; range: Range }
  | { kind: 'Call'; callee: Expr; args: Expr[]; range: Range }
  | { kind: 'Member'; object: Expr; name: string; nameRange: Range; arrow: boolean; range: Range }
  | { kind: 'Index'; object: Expr; index: Expr; range: Range }
  | { kind: 'Cast'; type: TypeRef; operand: Expr; range: Range }
  | { kind: 'Sizeof'; type?: TypeRef; operand?: Expr; range: Range }
  /**
   * `fields` is present when member designators are used: `{ .sa_handler = h }`, `indices` when
   * array designators are: `{ [2] = 5 }` (null for the items without one).
   */
  | { kind: 'InitList'; items: Expr[]; fields?: Array<{ name: string; range: Range } | null>; indices?: Array<Expr | null>; range: Range }
  | { kind: 'Comma'; left: Expr; right: Expr; range: Range }
  /** Placeholder left by error recovery; a diagnostic has been reported for it. */
  | { kind: 'ErrorExpr'; range: Range };

export interface Declarator {
  name: string;
  nameRange: Range;
  /** Extra `*` written on this declarator (`int *p, q;`), added to the declaration's type. */
  pointer: number;
  /** Present for arrays: the size expression, or null for `[]` sized by the initializer. */
  arraySize?: Expr | null;
  /** Arrays of arrays (`int grid[3][4]`): the sizes after the first. */
  dims?: Expr[];
  init?: Expr;
  range: Range;
}

export interface VarDecl {
  kind: 'VarDecl';
  type: TypeRef;
  storage?: 'static' | 'extern';
  declarators: Declarator[];
  range: Range;
}

export type Stmt =
  | { kind: 'Block'; body: Stmt[]; range: Range }
  | VarDecl
  | { kind: 'ExprStmt'; expr: Expr; range: Range }
  | { kind: 'If'; test: Expr; consequent: Stmt; alternate?: Stmt; range: Range }
  | { kind: 'While'; test: Expr; body: Stmt; range: Range }
  | { kind: 'DoWhile'; body: Stmt; test: Expr; range: Range }
  | { kind: 'For'; init?: VarDecl | { kind: 'ExprStmt'; expr: Expr; range: Range }; test?: Expr; update?: Expr; body: Stmt; range: Range }
  | { kind: 'Switch'; test: Expr; body: Stmt; range: Range }
  | { kind: 'Case'; value: Expr; range: Range }
  | { kind: 'Default'; range: Range }
  | { kind: 'Break'; range: Range }
  | { kind: 'Continue'; range: Range }
  /** `name:` before a statement (the statement follows as the next one of the block). */
  | { kind: 'Label'; name: string; nameRange: Range; range: Range }
  | { kind: 'Goto'; label: string; labelRange: Range; range: Range }
  | { kind: 'Return'; value?: Expr; range: Range }
  | { kind: 'Empty'; range: Range }
  /** Statement-level placeholder left by error recovery. */
  | { kind: 'ErrorStmt'; range: Range };

export interface Param {
  type: TypeRef;
  name?: string;
  nameRange?: Range;
  range: Range;
}

export interface FunctionDef {
  kind: 'Function';
  name: string;
  nameRange: Range;
  returnType: TypeRef;
  params: Param[];
  /** `(void)` and `()` both give no params; `...` sets variadic. */
  variadic: boolean;
  storage?: 'static' | 'extern';
  /** Undefined for a prototype (`int f(int);`). */
  body?: Extract<Stmt, { kind: 'Block' }>;
  range: Range;
}

export interface StructField {
  type: TypeRef;
  name: string;
  nameRange: Range;
  arraySize?: Expr | null;
  /** Arrays of arrays: the sizes after the first. */
  dims?: Expr[];
  range: Range;
}

export interface StructDef {
  kind: 'Struct';
  name: string;
  nameRange: Range;
  fields: StructField[];
  /** A `union`: every member starts at offset 0. */
  union?: boolean;
  range: Range;
}

/**
 * A macro used as a top-level declaration, the way kernel modules write them:
 * `module_init(my_init);`, `MODULE_LICENSE("GPL");`, `LIST_HEAD(events);`, `DEFINE_SPINLOCK(lock);`.
 */
export interface MacroDecl {
  kind: 'MacroDecl';
  name: string;
  nameRange: Range;
  args: Expr[];
  range: Range;
}

export type TopLevel = FunctionDef | VarDecl | StructDef | MacroDecl;

export interface Include {
  kind: 'Include';
  path: string;
  system: boolean;
  range: Range;
}

/** Object-like `#define NAME value`; value is absent for `#define NAME`. */
export interface Define {
  kind: 'Define';
  name: string;
  nameRange: Range;
  value?: Expr;
  range: Range;
}

/** `#pragma kproc KEY ARGS...`: scenario settings that gcc ignores. */
export interface Pragma {
  kind: 'Pragma';
  key: string;
  keyRange: Range;
  args: Array<{ value: string | number; range: Range }>;
  range: Range;
}

export type Directive = Include | Define | Pragma;

export interface Program {
  kind: 'Program';
  items: TopLevel[];
  directives: Directive[];
  range: Range;
}

export interface ParseResult {
  program: Program;
  diagnostics: Diagnostic[];
}
