// kernel/sched/fair.c: the tree part of a fair run queue (cfs_rq->tasks_timeline with its
// min_vruntime and the avg_vruntime sums), which RunQueue (rq.ts) builds on. The kernel keeps an
// rbtree; a sorted array gives the same in-order walk for our sizes.

import { NS_ZERO, type task_struct } from './task';
import type { FairPolicy } from './rq';

/** The queued fair entities in key order, and the sums EEVDF's average and eligibility read. */
export class CfsTimeline {
  /** Queued entities other than curr, in key order (deadline under EEVDF, vruntime under CFS). */
  readonly timeline: task_struct[] = [];
  /** cfs_rq->curr: the fair entity running (kept out of the tree), null while an RT task runs. */
  cfs_curr: task_struct | null = null;
  min_vruntime = NS_ZERO;
  /** Σ weight * (vruntime - min_vruntime) over the timeline (cfs_rq->avg_vruntime, curr left out). */
  avg_vruntime = NS_ZERO;
  /** Σ weight over the timeline (cfs_rq->avg_load). */
  avg_load = 0;
  /** Smallest vruntime in the timeline (the rbtree's augmented min_vruntime), when not stale. */
  private treeMin = Infinity;
  private treeMinStale = false;
  readonly eevdf: boolean;

  constructor(policy: FairPolicy) {
    this.eevdf = policy === 'eevdf';
  }

  nr_running(): number {
    return this.timeline.length + (this.cfs_curr && this.cfs_curr.se.on_rq ? 1 : 0);
  }

  /** cfs_rq->load.weight: every queued entity, curr included. */
  load(): number {
    return this.avg_load + (this.cfs_curr && this.cfs_curr.se.on_rq ? this.cfs_curr.se.load.weight : 0);
  }

  /** __enqueue_entity: into the tree by key; equal keys go right, as in the rbtree. */
  __enqueue_entity(p: task_struct): void {
    const tl = this.timeline;
    const eevdf = this.eevdf;
    const v = eevdf ? p.se.deadline : p.se.vruntime;
    let lo = 0;
    let hi = tl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((eevdf ? tl[mid].se.deadline : tl[mid].se.vruntime) <= v) lo = mid + 1; else hi = mid;
    }
    // In place (splice would allocate the array of removed elements on every call).
    tl.push(p);
    for (let j = tl.length - 1; j > lo; j--) tl[j] = tl[j - 1];
    tl[lo] = p;
    const w = p.se.load.weight;
    this.avg_vruntime += w * (p.se.vruntime - this.min_vruntime);
    this.avg_load += w;
    if (p.se.vruntime < this.treeMin) this.treeMin = p.se.vruntime;
  }

  /** __dequeue_entity: out of the tree (it is picked, sleeps, or leaves). */
  __dequeue_entity(p: task_struct): void {
    const tl = this.timeline;
    const i = tl.indexOf(p);
    if (i < 0) return;
    if (i === 0) tl.shift();
    else {
      for (let j = i + 1; j < tl.length; j++) tl[j - 1] = tl[j];
      tl.pop();
    }
    const w = p.se.load.weight;
    this.avg_vruntime -= w * (p.se.vruntime - this.min_vruntime);
    this.avg_load -= w;
    if (p.se.vruntime <= this.treeMin) this.treeMinStale = true;
  }

  private minOfTree(): number {
    if (this.treeMinStale) {
      this.treeMinStale = false;
      let m = Infinity;
      const tl = this.timeline;
      for (let i = 0; i < tl.length; i++) if (tl[i].se.vruntime < m) m = tl[i].se.vruntime;
      this.treeMin = m;
    }
    return this.timeline.length === 0 ? Infinity : this.eevdf ? this.treeMin : this.timeline[0].se.vruntime;
  }

  /** avg_vruntime(): the weighted average vruntime of the queue, curr included (EEVDF's V). */
  avg_vruntime_of(): number {
    const [avg, load] = this.sumsWithCurr();
    // Rounds towards negative infinity, as the kernel's `avg -= (load - 1)` before dividing.
    return this.min_vruntime + (load > 0 ? Math.floor(avg / load) : avg);
  }

  /** entity_eligible: vruntime at or before V, compared without dividing (lag >= 0). */
  entity_eligible(p: task_struct): boolean {
    const [avg, load] = this.sumsWithCurr();
    return avg >= (p.se.vruntime - this.min_vruntime) * load;
  }

  /** The queue's weighted key sum and load with curr added back (curr is kept out of the tree). */
  private sumsWithCurr(): [number, number] {
    const c = this.cfs_curr;
    if (!c || !c.se.on_rq) return [this.avg_vruntime, this.avg_load];
    return [this.avg_vruntime + c.se.load.weight * (c.se.vruntime - this.min_vruntime), this.avg_load + c.se.load.weight];
  }

  /** update_min_vruntime: min_vruntime only moves forward, to the least of curr and the tree. */
  update_min_vruntime(): void {
    const c = this.cfs_curr && this.cfs_curr.se.on_rq ? this.cfs_curr : null;
    let v = c ? c.se.vruntime : this.min_vruntime;
    const m = this.minOfTree();
    if (m !== Infinity) v = c ? Math.min(v, m) : m;
    const delta = v - this.min_vruntime;
    if (delta > 0) {
      // avg_vruntime_update: the sum is kept relative to min_vruntime.
      this.avg_vruntime -= this.avg_load * delta;
      this.min_vruntime = v;
    }
  }
}
