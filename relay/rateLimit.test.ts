import { describe, expect, it } from 'vitest';
import { KeyedRateLimiter, TokenBucket } from './rateLimit.ts';

describe('TokenBucket', () => {
  it('allows a burst, refuses beyond it, and refills with the clock', () => {
    let now = 0;
    const b = new TokenBucket(3, 2, () => now);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    expect(b.waitMs()).toBe(500);
    now = 500;
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    now = 100_000;
    expect(b.isFull()).toBe(true);
  });

  it('charges a cost and takes nothing when the cost is not available', () => {
    let now = 0;
    const b = new TokenBucket(10, 10, () => now);
    expect(b.take(8)).toBe(true);
    expect(b.take(5)).toBe(false);
    expect(b.take(2)).toBe(true);
    now = 1000;
    expect(b.take(10)).toBe(true);
  });
});

describe('KeyedRateLimiter', () => {
  it('keeps one bucket per key and forgets full ones on sweep', () => {
    let now = 0;
    const l = new KeyedRateLimiter(1, 1, () => now);
    expect(l.take('a')).toBe(0);
    expect(l.take('a')).toBe(1000);
    expect(l.take('b')).toBe(0);
    expect(l.size).toBe(2);
    now = 5000;
    l.sweep();
    expect(l.size).toBe(0);
    expect(l.take('a')).toBe(0);
  });
});
