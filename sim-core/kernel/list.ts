// include/linux/list.h in miniature: intrusive circular doubly linked lists, so that adding and
// removing a task from children, sibling, tasks and thread lists is O(1) as in the kernel.
import type { UserMemory } from '../vm/types';

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

export function list_add<T>(node: ListHead<T>, head: ListHead<T>): void {
  const next = head.next;
  node.next = next;
  node.prev = head;
  next.prev = node;
  head.next = node;
}

/**
 * The list_heads of scenario kernel code (a LIST_HEAD, a list_head inside a kmalloc'd struct or
 * on a stack), by their address in the module's memory: each node's owner is that address. A node
 * is made the first time it is named, linked to itself (as LIST_HEAD and INIT_LIST_HEAD make it).
 * Its memory cell holds a stamp the node was made with: when the memory is used again for
 * something else (a new stack frame, a new allocation), the stamp is gone and the old links with
 * it. After list_del a node is poisoned: its next and prev read as LIST_POISON1 and LIST_POISON2,
 * as in include/linux/poison.h, until it is added again or reinitialised.
 */
export class ScenarioLists {
  private readonly nodes = new Map<number, ListHead<number>>();
  private readonly stamps = new Map<number, number>();
  private readonly poison = new Set<number>();
  private lastStamp = 0;

  constructor(private readonly memory: () => UserMemory | null) {}

  node(addr: number): ListHead<number> {
    let n = this.nodes.get(addr);
    const mem = this.memory();
    if (n && mem && mem.load(addr) !== this.stamps.get(addr)) {
      // The cell was written since: the memory holds another object now.
      n = undefined;
      this.poison.delete(addr);
    }
    if (!n) {
      n = new ListHead<number>(addr);
      this.nodes.set(addr, n);
      const stamp = ++this.lastStamp;
      this.stamps.set(addr, stamp);
      if (mem) mem.store(addr, stamp);
    }
    return n;
  }

  poisoned(addr: number): boolean {
    this.node(addr);
    return this.poison.has(addr);
  }

  /** INIT_LIST_HEAD: an empty list (the node's old neighbours are not touched, as in C). */
  init(addr: number): void {
    const n = this.node(addr);
    n.next = n;
    n.prev = n;
    this.poison.delete(addr);
  }

  /** list_del: unlinks the entry and poisons its links. */
  del(addr: number): void {
    const n = this.node(addr);
    n.prev.next = n.next;
    n.next.prev = n.prev;
    n.next = n;
    n.prev = n;
    this.poison.add(addr);
  }

  /** The entry is linked again (list_add): its poison is gone. */
  relinked(addr: number): void {
    this.poison.delete(addr);
  }
}
