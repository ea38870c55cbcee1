// The timeline page's frame path: bars given out one at a time by reused aggregation state (no
// arrays or bar objects per frame) exactly as the array form makes them, and the kinds lists of
// mark glyphs shared between glyphs of the same kinds.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  aggregate, aggregateEach, buildLod, cpuBars, cpuBarsEach, kindsOf, laneBars, laneBarsEach, laneGlyphs, type Bar, type View,
} from '../../extension/client/timelineLayout';
import { opaquePixel } from '../../extension/client/timelineCanvas';
import { canvasRoom } from '../../extension/client/timelinePainter';
import { DEFAULT_PALETTE } from '../../extension/client/timelineText';
import type { CpuRun, LaneState, Mark, MarkKind, Span } from '../../extension/client/timelineTypes';

/** The aggregation as first written (a bar array, a fresh value list per pixel): the reference. */
function reference<T, S>(items: readonly T[], from: (x: T) => number, to: (x: T) => number, value: (x: T) => S, v: View, width: number, gap?: S): Array<Bar<S>> {
  const out: Array<Bar<S>> = [];
  const k = width / (v.t1 - v.t0);
  let vals: S[] = [], ws: number[] = [], bucket = -1;
  const push = (x0: number, x1: number, s: S): void => {
    const last = out[out.length - 1];
    if (last && last.value === s && last.x1 >= x0) last.x1 = Math.max(last.x1, x1);
    else out.push({ x0, x1, value: s });
  };
  const flush = (): void => {
    if (bucket < 0) return;
    let best = -1, bestW = 0;
    for (let j = 0; j < vals.length; j++) if (ws[j] > bestW) { best = j; bestW = ws[j]; }
    if (best >= 0) push(bucket, bucket + 1, vals[best]);
    vals = []; ws = []; bucket = -1;
  };
  const add = (px: number, w: number, s: S): void => {
    if (bucket !== px) { flush(); bucket = px; }
    const j = vals.indexOf(s);
    if (j >= 0) ws[j] += w; else { vals.push(s); ws.push(w); }
  };
  for (const it of items) {
    if (to(it) <= v.t0) continue;
    if (from(it) >= v.t1) break;
    const a = Math.max(0, (from(it) - v.t0) * k), b = Math.min(width, (to(it) - v.t0) * k);
    if (b <= a) continue;
    const s = value(it);
    if (gap !== undefined && s === gap) continue;
    const pa = Math.floor(a), pb = Math.floor(b);
    if (pa === pb) { add(pa, b - a, s); continue; }
    add(pa, pa + 1 - a, s);
    flush();
    if (pb > pa + 1) push(pa + 1, pb, s);
    if (b > pb) add(pb, b - pb, s);
  }
  flush();
  return out;
}

const STATES: LaneState[] = ['running', 'runnable', 'sleeping', 'disk-sleep', 'stopped', 'zombie'];

describe('timeline page: the frame path', () => {
  it('gives out the bars the first aggregation made, bar for bar, gaps and all (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: -1, max: 11 })), { minLength: 1, maxLength: 400 }),
      fc.integer({ min: 5, max: 300 }), fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.boolean(),
      (parts, width, a, frac, withGap) => {
        let t = 0;
        const items = parts.map(([len, v]) => { const it = { from: t, to: t + len, v }; t += len; return it; });
        const t0 = a * t;
        const view: View = { t0, t1: t0 + Math.max(1, frac * t), top: 0 };
        const gap = withGap ? -1 : undefined;
        const want = reference(items, (x) => x.from, (x) => x.to, (x) => x.v, view, width, gap);
        assert.deepEqual(aggregate(items, (x) => x.from, (x) => x.to, (x) => x.v, view, width, gap), want);
        const got: Array<Bar<number>> = [];
        aggregateEach(items, (x) => x.from, (x) => x.to, (x) => x.v, view, width, gap, (x0, x1, value) => got.push({ x0, x1, value }));
        assert.deepEqual(got, want);
      }));
  });

  it('reads a coarse copy\'s bars (in buckets) in time units as the bars times the bucket width would be read', () => {
    let seed = 3;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const spans: Span[] = [];
    let t = 1_000_000_007;
    for (let i = 0; i < 6000; i++) { const len = 1 + rnd(3000); spans.push({ from: t, to: t + len, state: STATES[rnd(3)] }); t += len; }
    const lod = buildLod(spans, (s) => s.from, (s) => s.to, (s) => s.state);
    for (let k = 0; k < lod.levels.length; k++) {
      const w = lod.base * 2 ** k;
      for (const v of [{ t0: spans[0].from, t1: t, top: 0 }, { t0: spans[2000].from + 0.5, t1: spans[2100].to, top: 0 }]) {
        const got: Array<Bar<LaneState>> = [];
        aggregateEach(lod.levels[k], (b) => b.x0, (b) => b.x1, (b) => b.value, v, 333, undefined, (x0, x1, value) => got.push({ x0, x1, value }), w);
        assert.deepEqual(got, reference(lod.levels[k], (b) => b.x0 * w, (b) => b.x1 * w, (b) => b.value, v, 333), `level ${k}`);
      }
    }
  });

  it('weighs more values in one pixel than its first room holds', () => {
    // Twenty values in one pixel, the tenth the longest: the room for weights has to grow.
    const items = Array.from({ length: 20 }, (_, i) => ({ from: i * 10, to: i * 10 + (i === 9 ? 9 : 1), v: i }));
    const bars = aggregate(items, (x) => x.from, (x) => x.to, (x) => x.v, { t0: 0, t1: 200, top: 0 }, 1);
    assert.deepEqual(bars, [{ x0: 0, x1: 1, value: 9 }]);
  });

  it('aggregates again from inside a bar it gives out (its state is not shared with the inner one)', () => {
    const outer = [{ from: 0, to: 50, v: 'a' }, { from: 50, to: 100, v: 'b' }];
    const inner = [{ from: 0, to: 100, v: 'c' }];
    const seen: string[] = [];
    aggregateEach(outer, (x) => x.from, (x) => x.to, (x) => x.v, { t0: 0, t1: 100, top: 0 }, 10, undefined, (x0, x1, s) => {
      seen.push(`${s} ${x0}-${x1}`);
      aggregateEach(inner, (x) => x.from, (x) => x.to, (x) => x.v, { t0: 0, t1: 100, top: 0 }, 10, undefined, (y0, y1, u) => seen.push(`${u} ${y0}-${y1}`));
    });
    assert.deepEqual(seen, ['a 0-5', 'c 0-10', 'b 5-10', 'c 0-10']);
  });

  it('draws lanes and CPU rows one bar at a time as the arrays show them, read item by item or from coarse copies', () => {
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    for (const count of [300, 5000]) {
      const spans: Span[] = [];
      const runs: CpuRun[] = [];
      let t = 0;
      for (let i = 0; i < count; i++) {
        const len = 1 + rnd(50);
        spans.push({ from: t, to: t + len, state: STATES[rnd(STATES.length)] });
        runs.push({ cpu: 0, from: t, to: t + len, pid: rnd(4) === 0 ? null : 100 + rnd(20) });
        t += len;
      }
      for (const v of [{ t0: 0, t1: t, top: 0 }, { t0: t * 0.4, t1: t * 0.41, top: 0 }]) {
        const lane: Array<Bar<LaneState>> = [];
        laneBarsEach(spans, v, 640, (x0, x1, value) => lane.push({ x0, x1, value }));
        assert.deepEqual(lane, laneBars(spans, v, 640));
        const cpu: Array<Bar<number>> = [];
        cpuBarsEach(runs, v, 640, (x0, x1, value) => cpu.push({ x0, x1, value }));
        assert.deepEqual(cpu, cpuBars(runs, v, 640));
        assert.ok(cpu.every((b) => b.value !== -1), 'idle time is not drawn');
      }
    }
  });

  it('lists a glyph\'s kinds in order of first appearance, one shared list per order of kinds', () => {
    const m = (time: number, kind: MarkKind): Mark => ({ time, step: time, kind, pid: 1, label: kind, fn: 'f', lane: 0 });
    const a = [m(0, 'signal'), m(1, 'fork'), m(2, 'signal'), m(3, 'exit')];
    const b = [m(0, 'signal'), m(1, 'signal'), m(2, 'fork'), m(3, 'exit'), m(4, 'fork')];
    const c = [m(0, 'fork'), m(1, 'signal'), m(2, 'exit')];
    assert.deepEqual(kindsOf(a, 0, a.length), ['signal', 'fork', 'exit']);
    assert.equal(kindsOf(b, 0, b.length), kindsOf(a, 0, a.length), 'the same kinds in the same order share a list');
    assert.deepEqual(kindsOf(c, 0, c.length), ['fork', 'signal', 'exit']);
    assert.notEqual(kindsOf(c, 0, c.length), kindsOf(a, 0, a.length));
    assert.deepEqual(kindsOf(a, 1, 2), ['fork']);
    const odd = [{ ...m(0, 'fork'), kind: 'other' as MarkKind }, m(1, 'fork')];
    assert.deepEqual(kindsOf(odd, 0, 2), ['other', 'fork'], 'a kind it does not know is listed too');
    const glyphs = laneGlyphs(b, { t0: 0, t1: 5, top: 0 }, 5, 100);
    assert.deepEqual(glyphs.map((g) => [g.count, g.kinds]), [[5, ['signal', 'fork', 'exit']]]);
  });

  it('reads the theme\'s opaque colours as the bytes of an image pixel, and leaves other forms to the canvas', () => {
    const bytes = (px: number | undefined, le: boolean): number[] => {
      assert.ok(px !== undefined);
      const b = [(px >>> 24) & 255, (px >>> 16) & 255, (px >>> 8) & 255, px & 255];
      return le ? b.reverse() : b;
    };
    for (const le of [true, false]) {
      assert.deepEqual(bytes(opaquePixel('#89d185', le), le), [0x89, 0xd1, 0x85, 255]);
      assert.deepEqual(bytes(opaquePixel('#FFF', le), le), [255, 255, 255, 255]);
      assert.deepEqual(bytes(opaquePixel(' #3794ffFF ', le), le), [0x37, 0x94, 0xff, 255]);
      assert.deepEqual(bytes(opaquePixel('rgb(1, 20, 255)', le), le), [1, 20, 255, 255]);
    }
    for (const c of ['#3794ff80', 'rgba(1, 2, 3, 0.5)', 'rgb(300, 0, 0)', 'red', 'transparent', '', '#12345']) assert.equal(opaquePixel(c, true), undefined, c);
    for (const c of [...Object.values(DEFAULT_PALETTE.states), ...DEFAULT_PALETTE.cpu]) assert.notEqual(opaquePixel(c, true), undefined, c);
  });

  it("sizes the canvas to a run's rows at first, doubles it as a run grows, and fits a much smaller run again", () => {
    assert.equal(canvasRoom(0, 5), 5, 'the first frame: the rows exactly');
    assert.equal(canvasRoom(5, 5), 5);
    assert.equal(canvasRoom(5, 6), 10, 'outgrown: doubled');
    assert.equal(canvasRoom(10, 25), 25, 'outgrown by more than double: the rows');
    assert.equal(canvasRoom(40, 12), 40, 'a few rows fewer: kept');
    assert.equal(canvasRoom(40, 9), 9, 'a run a quarter the size: fitted again');
    assert.equal(canvasRoom(0, 0), 1);
    // Growing a row at a time from one to a thousand resizes it a dozen times, not a thousand.
    let room = 0, resizes = 0;
    for (let rows = 1; rows <= 1000; rows++) { const next = canvasRoom(room, rows); if (next !== room) resizes++; room = next; assert.ok(room >= rows); }
    assert.ok(resizes <= 12, `${resizes} resizes`);
  });
});
