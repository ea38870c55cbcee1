// include/linux/list.h in miniature: intrusive circular doubly linked lists, so that adding and
// removing a task from children, sibling, tasks and thread lists is O(1) as in the kernel.

export class ListHead<T> {
  next: ListHead<T> = this;
  prev: ListHead<T> = this;
  /** The structure this node is embedded in; null for a list head that owns no entry. */
  constructor(public owner: T | null = null) {}
}

export function list_add_tail<T>(node: ListHead<T>, head: ListHead<T>): void {
  const prev = head.prev;
  node.next = head;
  node.prev = prev;
  prev.next = node;
  head.prev = node;
}

export function list_del_init<T>(node: ListHead<T>): void {
  node.prev.next = node.next;
  node.next.prev = node.prev;
  node.next = node;
  node.prev = node;
}

export function list_empty<T>(head: ListHead<T>): boolean {
  return head.next === head;
}

/** Moves node to the tail of another list (list_move_tail). */
export function list_move_tail<T>(node: ListHead<T>, head: ListHead<T>): void {
  list_del_init(node);
  list_add_tail(node, head);
}

/** Entries in list order; safe against removal of the current entry while iterating. */
export function list_entries<T>(head: ListHead<T>): T[] {
  // Counted first so the array is made at its size (most of these lists hold a task or two).
  let c = 0;
  for (let n = head.next; n !== head; n = n.next) if (n.owner !== null) c++;
  const out = new Array<T>(c);
  let i = 0;
  for (let n = head.next; n !== head; n = n.next) if (n.owner !== null) out[i++] = n.owner;
  return out;
}

export function list_first_entry<T>(head: ListHead<T>): T | null {
  return head.next === head ? null : head.next.owner;
}

export function list_count<T>(head: ListHead<T>): number {
  let c = 0;
  for (let n = head.next; n !== head; n = n.next) c++;
  return c;
}

/** list_replace_init: `nw` takes old's place in its list; old becomes an empty list. */
export function list_replace_init<T>(old: ListHead<T>, nw: ListHead<T>): void {
  if (old.next === old) { list_del_init(nw); return; }
  nw.next = old.next;
  nw.next.prev = nw;
  nw.prev = old.prev;
  nw.prev.next = nw;
  old.next = old;
  old.prev = old;
}
