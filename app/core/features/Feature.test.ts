import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ActivityItem, newestOf } from './Feature.ts';

const item = (id: string, createdAt: number): ActivityItem => ({
  id,
  author: 'a' as ActivityItem['author'],
  authorName: 'A',
  createdAt,
  status: 'valid',
  action: 'wrote',
  place: { route: 'thread', params: {} },
});

/** Conversations as features list them: by last activity (their newest item), newest first. */
function conversations(times: number[][]) {
  return times
    .map((ts, c) => ({
      items: ts.map((t, i) => item(`c${c}-i${i}`, t)),
      lastActivity: Math.max(...ts),
    }))
    .sort((a, b) => b.lastActivity - a.lastActivity);
}

describe('newestOf', () => {
  it('gives the same items as sorting everything, for any conversations and limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 5 }), {
          maxLength: 12,
        }),
        fc.integer({ min: 0, max: 20 }),
        (times, limit) => {
          const cs = conversations(times);
          const all = cs
            .flatMap((c) => c.items)
            .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
            .slice(0, limit);
          expect(newestOf(cs, (c) => c.items, limit)).toEqual(all);
        },
      ),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it('stops walking once no later conversation can hold anything newer', () => {
    const cs = conversations(Array.from({ length: 1000 }, (_, i) => [i]));
    const seen: number[] = [];
    const out = newestOf(
      cs,
      (c) => {
        seen.push(c.lastActivity);
        return c.items;
      },
      3,
    );
    expect(out.map((x) => x.createdAt)).toEqual([999, 998, 997]);
    expect(seen.length).toBeLessThanOrEqual(4);
  });
});
