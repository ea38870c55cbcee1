// The scenario language's public surface: parse, check, analyze, LineMap and the builtins catalog.
export * from './ast';
export { parse } from './parser';
export { check, analyze } from './check';
export { LineMap, type Position } from './linemap';
export * from './builtins';
export { INT_SETTINGS, PRAGMA_KEYS } from './check-pragmas';
