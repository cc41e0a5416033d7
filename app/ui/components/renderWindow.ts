// A thread can hold thousands of replies, but a phone should only build the few dozen around
// what is being read. These are the pure rules for which slice of a list is rendered: where
// it opens, how it grows as the reader scrolls, and how it jumps to a far-away item.

/** Rendered slice `[start, end)` of a list. */
export interface RenderRange {
  readonly start: number;
  readonly end: number;
}

export interface WindowSizes {
  /** Items rendered when a list opens or jumps. */
  readonly initial: number;
  /** Items added each time the reader reaches an edge. */
  readonly step: number;
  /** Most items rendered at once; growing one side trims the other. */
  readonly max: number;
}

// Twenty cards fill several phone screens; each one more is rendered and laid out before a
// long thread's first paint.
export const DEFAULT_SIZES: WindowSizes = { initial: 20, step: 20, max: 150 };

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

/**
 * Where a list opens: a little before `anchor` (the first unread item) when there is one,
 * otherwise at its end, where the newest items are.
 */
export function openRange(
  total: number,
  anchor: number | undefined,
  sizes: WindowSizes = DEFAULT_SIZES,
): RenderRange {
  if (anchor === undefined || anchor < 0 || anchor >= total) {
    return { start: Math.max(0, total - sizes.initial), end: total };
  }
  const start = clamp(anchor - 3, 0, Math.max(0, total - sizes.initial));
  return { start, end: Math.min(total, start + sizes.initial) };
}

/** Adds up to `step` earlier items, trimming the end so at most `max` stay rendered. */
export function growBefore(r: RenderRange, sizes: WindowSizes = DEFAULT_SIZES): RenderRange {
  const start = Math.max(0, r.start - sizes.step);
  return { start, end: Math.min(r.end, start + sizes.max) };
}

/** Adds up to `step` later items, trimming the start so at most `max` stay rendered. */
export function growAfter(
  r: RenderRange,
  total: number,
  sizes: WindowSizes = DEFAULT_SIZES,
): RenderRange {
  const end = Math.min(total, r.end + sizes.step);
  return { start: Math.max(r.start, end - sizes.max), end };
}

/**
 * A range that shows `index`: unchanged when it already does, grown when the item is near,
 * otherwise a fresh range around it (a jump to a quote far back).
 */
export function rangeIncluding(
  r: RenderRange,
  index: number,
  total: number,
  sizes: WindowSizes = DEFAULT_SIZES,
): RenderRange {
  if (index < 0 || index >= total) return r;
  if (index >= r.start && index < r.end) return r;
  if (index < r.start && r.end - index <= sizes.max) return { start: index, end: r.end };
  if (index >= r.end && index + 1 - r.start <= sizes.max) return { start: r.start, end: index + 1 };
  const start = clamp(index - Math.floor(sizes.initial / 2), 0, Math.max(0, total - sizes.initial));
  return { start, end: Math.min(total, start + sizes.initial) };
}

/**
 * Keeps a range valid when the list changes length: a range that reached the old end keeps
 * following the end (new replies appear), and nothing points past the new end.
 */
export function followTotal(
  r: RenderRange,
  previousTotal: number,
  total: number,
  sizes: WindowSizes = DEFAULT_SIZES,
): RenderRange {
  if (r.end >= previousTotal) {
    return { start: Math.max(Math.min(r.start, total), total - sizes.max), end: total };
  }
  const end = Math.min(r.end, total);
  return { start: Math.min(r.start, end), end };
}

/**
 * `next` with every element that equals its predecessor (by id, per `same`) replaced by that
 * predecessor, so a keyed list keeps the DOM of items that did not change.
 */
export function reuseUnchanged<T extends { readonly id: string }>(
  previous: readonly T[],
  next: readonly T[],
  same: (a: T, b: T) => boolean,
): T[] {
  if (previous.length === 0) return [...next];
  const byId = new Map<string, T>();
  for (const p of previous) byId.set(p.id, p);
  return next.map((n) => {
    const p = byId.get(n.id);
    return p && same(p, n) ? p : n;
  });
}

/** Shallow equality for plain view objects; arrays are compared element by element. */
export function sameView(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ka) {
    const x = ra[k];
    const y = rb[k];
    if (x === y) continue;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
      continue;
    }
    return false;
  }
  return true;
}
