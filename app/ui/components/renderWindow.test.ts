import { describe, expect, it } from 'vitest';
import {
  followTotal,
  growAfter,
  growBefore,
  openRange,
  rangeIncluding,
  reuseUnchanged,
  sameView,
} from './renderWindow.ts';

const sizes = { initial: 40, step: 30, max: 150 };

describe('openRange', () => {
  it('opens at the end when nothing is unread', () => {
    expect(openRange(1000, undefined, sizes)).toEqual({ start: 960, end: 1000 });
    expect(openRange(10, undefined, sizes)).toEqual({ start: 0, end: 10 });
    expect(openRange(0, undefined, sizes)).toEqual({ start: 0, end: 0 });
  });

  it('opens a little before the first unread item', () => {
    expect(openRange(1000, 500, sizes)).toEqual({ start: 497, end: 537 });
    expect(openRange(1000, 1, sizes)).toEqual({ start: 0, end: 40 });
  });

  it('still fills the window when the first unread is near the end', () => {
    expect(openRange(1000, 995, sizes)).toEqual({ start: 960, end: 1000 });
  });

  it('treats an anchor outside the list as none', () => {
    expect(openRange(100, 100, sizes)).toEqual({ start: 60, end: 100 });
  });
});

describe('growing', () => {
  it('adds earlier items and trims the end past the maximum', () => {
    expect(growBefore({ start: 960, end: 1000 }, sizes)).toEqual({ start: 930, end: 1000 });
    expect(growBefore({ start: 850, end: 1000 }, sizes)).toEqual({ start: 820, end: 970 });
    expect(growBefore({ start: 10, end: 50 }, sizes)).toEqual({ start: 0, end: 50 });
  });

  it('adds later items and trims the start past the maximum', () => {
    expect(growAfter({ start: 0, end: 40 }, 1000, sizes)).toEqual({ start: 0, end: 70 });
    expect(growAfter({ start: 0, end: 150 }, 1000, sizes)).toEqual({ start: 30, end: 180 });
    expect(growAfter({ start: 980, end: 990 }, 1000, sizes)).toEqual({ start: 980, end: 1000 });
  });

  it('never renders more than the maximum however far the reader scrolls', () => {
    let r = openRange(1000, 0, sizes);
    for (let i = 0; i < 50; i++) r = growAfter(r, 1000, sizes);
    expect(r.end).toBe(1000);
    expect(r.end - r.start).toBeLessThanOrEqual(150);
    for (let i = 0; i < 50; i++) r = growBefore(r, sizes);
    expect(r.start).toBe(0);
    expect(r.end - r.start).toBeLessThanOrEqual(150);
  });
});

describe('rangeIncluding', () => {
  it('keeps a range that already shows the item', () => {
    const r = { start: 960, end: 1000 };
    expect(rangeIncluding(r, 970, 1000, sizes)).toBe(r);
  });

  it('grows towards a nearby item', () => {
    expect(rangeIncluding({ start: 960, end: 1000 }, 900, 1000, sizes)).toEqual({
      start: 900,
      end: 1000,
    });
    expect(rangeIncluding({ start: 0, end: 40 }, 60, 1000, sizes)).toEqual({ start: 0, end: 61 });
  });

  it('jumps to a fresh range around a far item', () => {
    expect(rangeIncluding({ start: 960, end: 1000 }, 10, 1000, sizes)).toEqual({
      start: 0,
      end: 40,
    });
    expect(rangeIncluding({ start: 960, end: 1000 }, 500, 1000, sizes)).toEqual({
      start: 480,
      end: 520,
    });
  });

  it('ignores an index outside the list', () => {
    const r = { start: 0, end: 10 };
    expect(rangeIncluding(r, -1, 10, sizes)).toBe(r);
    expect(rangeIncluding(r, 10, 10, sizes)).toBe(r);
  });
});

describe('followTotal', () => {
  it('follows new items when the range reached the end', () => {
    expect(followTotal({ start: 960, end: 1000 }, 1000, 1001, sizes)).toEqual({
      start: 960,
      end: 1001,
    });
  });

  it('keeps within the maximum while following', () => {
    expect(followTotal({ start: 850, end: 1000 }, 1000, 1010, sizes)).toEqual({
      start: 860,
      end: 1010,
    });
  });

  it('stays put in the middle of a growing list', () => {
    expect(followTotal({ start: 100, end: 140 }, 1000, 1001, sizes)).toEqual({
      start: 100,
      end: 140,
    });
  });

  it('follows from an empty list once items arrive', () => {
    expect(followTotal({ start: 0, end: 0 }, 0, 5, sizes)).toEqual({ start: 0, end: 5 });
  });

  it('clamps when the list shrinks', () => {
    expect(followTotal({ start: 100, end: 140 }, 200, 120, sizes)).toEqual({
      start: 100,
      end: 120,
    });
  });
});

describe('reuseUnchanged', () => {
  it('keeps the previous object for items that did not change', () => {
    const a1 = { id: 'a', body: 'x', mentions: ['m'] };
    const b1 = { id: 'b', body: 'y', mentions: [] };
    const a2 = { id: 'a', body: 'x', mentions: ['m'] };
    const b2 = { id: 'b', body: 'changed', mentions: [] };
    const c2 = { id: 'c', body: 'new', mentions: [] };
    const out = reuseUnchanged([a1, b1], [a2, b2, c2], sameView);
    expect(out[0]).toBe(a1);
    expect(out[1]).toBe(b2);
    expect(out[2]).toBe(c2);
  });
});

describe('sameView', () => {
  it('compares fields and arrays shallowly', () => {
    expect(sameView({ a: 1, m: ['x'] }, { a: 1, m: ['x'] })).toBe(true);
    expect(sameView({ a: 1, m: ['x'] }, { a: 1, m: ['y'] })).toBe(false);
    expect(sameView({ a: 1 }, { a: 1, editedAt: 5 })).toBe(false);
    expect(sameView({ a: { b: 1 } }, { a: { b: 1 } })).toBe(false);
  });
});
