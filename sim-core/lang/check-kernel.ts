// Checks on kernel objects in scenario code: the kernel's structures are read, never written
// (their state changes through kernel functions, such as set_current_state for __state), and
// container_of (what list_entry and the list walks become) names a member its struct has.
import type { Expr } from './ast';
import { lookupStruct } from './builtins';
import { closest } from './suggest';

type TypeOf = (e: Expr) => { name: string; pointer: number } | undefined;
type Fields = (typeName: string) => Map<string, { name: string; pointer: number }> | undefined;
type Report = (e: Expr, message: string, code: string) => void;

/** What to use instead of writing a field, where the kernel has a function for it. */
const INSTEAD: Readonly<Record<string, string>> = {
  __state: 'set_current_state() or __set_current_state()',
  comm: 'set_task_comm() (not modelled)',
};

/** A store into a field of a read-only kernel structure (`current->__state = ...`, `p->pid++`). */
export function checkKernelWrite(target: Expr, typeOf: TypeOf, report: Report): void {
  if (target.kind !== 'Member') return;
  const t = typeOf(target.object);
  const tag = t?.name.startsWith('struct ') ? t.name.slice(7) : undefined;
  const info = tag ? lookupStruct(tag) : undefined;
  if (!info?.readOnly) return;
  const use = INSTEAD[target.name];
  report(target, `'${target.name}' of 'struct ${tag}' is read-only in scenario code${use ? `; use ${use}` : ''}`, 'read-only');
}

/** container_of(ptr, type, member): the struct must have that member. */
export function checkContainerOf(e: Extract<Expr, { kind: 'Call' }>, typeOf: TypeOf, fieldsOf: Fields, report: Report): void {
  const [, carrier, member] = e.args;
  if (e.args.length !== 3 || carrier.kind !== 'Sizeof' || member.kind !== 'String') return;
  let name: string | undefined;
  if (carrier.type) name = carrier.type.pointer === 0 ? carrier.type.name : undefined;
  else if (carrier.operand?.kind === 'Unary' && carrier.operand.op === '*') {
    const t = typeOf(carrier.operand.operand);
    name = t && t.pointer === 1 ? t.name : undefined;
  }
  const fields = name ? fieldsOf(name) : undefined;
  if (!name || !fields || fields.has(member.value)) return;
  const s = closest(member.value, fields.keys());
  report(member, `'${name}' has no field named '${member.value}'${s ? `; did you mean '${s}'?` : ''}`, 'unknown-field');
}
