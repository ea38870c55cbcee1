// The scenario language's public surface: parse, check, the one analysis (analyze), the symbol index,
// the syntax-tree walk, LineMap and the builtins catalog.
export * from './ast';
export { parse } from './parser';
export { check, analyze, type Analysis } from './check';
export { isAllowed } from './allow';
export { SymbolIndex, hasRole, rolesOf, kernelFunctions, ROLES, type Sym, type SymKind, type Role, type Occurrence } from './symbols';
export { walkExpr, walkStmtExprs, childStmts, calleeName, contains } from './walk';
export { childBranches, type ChildBranch } from './branches';
export { teacherWarnings } from './teacher';
export { pathAt, registrationOf, type PathAt } from './program-refs';
export { LineMap, type Position } from './linemap';
export * from './builtins';
export { INT_SETTINGS, PRAGMA_KEYS } from './check-pragmas';
