// Whole-machine snapshots for going back in time: a structural deep copy of the state graph
// reachable from a few root objects (cycles and shared references kept, prototypes kept), with
// code and immutable tables shared. Restoring writes a fresh copy back into the same roots, so
// whatever holds a root (closures, the inspector, the debugger) sees the earlier state.

/** A machine state taken by Snapshotter.take(): each root's own fields, copied. */
export interface Snapshot {
  readonly fields: ReadonlyArray<ReadonlyMap<string, unknown>>;
  /** Objects and array slots copied: the cost of taking (and of restoring) it. */
  readonly objects: number;
  /** Estimated bytes it holds. */
  readonly bytes: number;
}

/** Estimated bytes per copied object and per array slot or map entry. */
const OBJECT_BYTES = 56;
const SLOT_BYTES = 8;

type Typed = Uint8Array | Int32Array | Uint32Array | Float64Array | Int8Array | Int16Array | Uint16Array | Float32Array | Uint8ClampedArray | BigInt64Array | BigUint64Array;

/** One copy of a graph: the memo keeps each object's copy, the work list fills them in. */
class GraphCopy {
  readonly memo = new Map<object, unknown>();
  private readonly work: Array<[object, object]> = [];
  objects = 0;
  bytes = 0;

  constructor(roots: readonly object[], private readonly shared: (o: object) => boolean) {
    for (const r of roots) this.memo.set(r, r);
  }

  copy(v: unknown): unknown {
    if (typeof v !== 'object' || v === null) return v;
    const seen = this.memo.get(v);
    if (seen !== undefined) return seen;
    if (this.shared(v) || Object.isFrozen(v)) { this.memo.set(v, v); return v; }
    let c: object;
    this.objects++;
    if (Array.isArray(v)) {
      c = new Array<unknown>(v.length);
      this.bytes += OBJECT_BYTES + SLOT_BYTES * v.length;
      // A slot costs a fraction of an object to copy (most hold numbers).
      this.objects += v.length >> 5;
    } else if (ArrayBuffer.isView(v)) {
      c = (v as Typed).slice();
      this.bytes += OBJECT_BYTES + v.byteLength;
      this.memo.set(v, c);
      return c;
    } else if (v instanceof Map) {
      c = new Map();
      this.bytes += OBJECT_BYTES + 3 * SLOT_BYTES * v.size;
    } else if (v instanceof Set) {
      c = new Set();
      this.bytes += OBJECT_BYTES + 2 * SLOT_BYTES * v.size;
    } else {
      c = Object.create(Object.getPrototypeOf(v) as object | null) as object;
      this.bytes += OBJECT_BYTES;
    }
    this.memo.set(v, c);
    this.work.push([v, c]);
    return c;
  }

  /** Fills in every copy made so far (and those their fields make), without recursion. */
  drain(): void {
    const work = this.work;
    while (work.length > 0) {
      const [src, dst] = work.pop() as [object, object];
      if (Array.isArray(src)) {
        const d = dst as unknown[];
        for (let i = 0; i < src.length; i++) {
          const x: unknown = src[i];
          d[i] = typeof x === 'object' && x !== null ? this.copy(x) : x;
        }
      } else if (src instanceof Map) {
        const d = dst as Map<unknown, unknown>;
        for (const [k, val] of src) d.set(this.copy(k), this.copy(val));
        this.objects += src.size >> 1;
      } else if (src instanceof Set) {
        const d = dst as Set<unknown>;
        for (const k of src) d.add(this.copy(k));
      } else {
        const s = src as Record<string, unknown>, d = dst as Record<string, unknown>;
        for (const key of Object.keys(s)) d[key] = this.copy(s[key]);
      }
    }
  }
}

export class Snapshotter {
  /**
   * `roots`: the objects whose identity stays (the kernel, the engine...): their fields are what
   * a snapshot holds, and a reference to a root inside the graph stays that root. `shared`: the
   * objects never copied (code, images, ports): immutable while a machine runs.
   */
  constructor(
    private readonly roots: readonly object[], private readonly shared: (o: object) => boolean,
    /** Array fields of a root that a snapshot keeps empty (what the state holds only to hand out). */
    private readonly transient: ReadonlyMap<object, ReadonlySet<string>> = new Map(),
    /** Fields of a root that are no state (a setting of the run under way): neither saved nor restored. */
    private readonly outside: ReadonlyMap<object, ReadonlySet<string>> = new Map(),
  ) {}

  take(): Snapshot {
    const g = new GraphCopy(this.roots, this.shared);
    const fields = this.roots.map((r) => {
      const m = new Map<string, unknown>();
      const rec = r as Record<string, unknown>;
      const skip = this.transient.get(r);
      const out = this.outside.get(r);
      for (const key of Object.keys(rec)) {
        if (out !== undefined && out.has(key)) continue;
        m.set(key, skip !== undefined && skip.has(key) ? [] : g.copy(rec[key]));
      }
      return m;
    });
    g.drain();
    return { fields, objects: g.objects, bytes: g.bytes };
  }

  /** Puts a snapshot's state back into the roots; the snapshot stays usable for later restores. */
  restore(s: Snapshot): void {
    const g = new GraphCopy(this.roots, this.shared);
    const values = s.fields.map((m) => {
      const out: Array<[string, unknown]> = [];
      for (const [key, v] of m) out.push([key, g.copy(v)]);
      return out;
    });
    g.drain();
    this.roots.forEach((r, i) => {
      const rec = r as Record<string, unknown>;
      const m = s.fields[i];
      const out = this.outside.get(r);
      for (const key of Object.keys(rec)) if (!m.has(key) && (out === undefined || !out.has(key))) delete rec[key];
      for (const [key, v] of values[i]) rec[key] = v;
    });
  }
}
