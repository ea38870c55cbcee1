// "Did you mean" suggestions: the closest known name by edit distance, kept only when it is close.

/** Levenshtein distance with an early exit once every cell exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Whether b is a with two neighbouring letters swapped (frok for fork). */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** The closest candidate within about a third of the name's length (at least 1, at most 3 edits). */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.ceil(name.length / 3)));
  let best: string | undefined;
  let bestD = limit + 1;
  const upper = name.toUpperCase();
  for (const c of candidates) {
    if (c === name) continue;
    // One- and two-letter names are usually fresh variables; any other short name is "close".
    if (name.length < 3 && c.toUpperCase() !== upper) continue;
    // A case-only difference (sigchld vs SIGCHLD) is the likeliest slip of all.
    // Two neighbouring letters swapped comes next: closer than any one-letter change.
    const d = c.toUpperCase() === upper ? 0.5 : swapped(name, c) ? 0.75 : editDistance(name, c, bestD);
    if (d < bestD) { bestD = d; best = c; }
  }
  return best;
}
