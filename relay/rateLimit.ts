// Token buckets for per-connection frame limits and per-IP request limits. The clock is
// injected so tests can drive refill without waiting.

export type Clock = () => number;

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly now: Clock = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(
        this.capacity,
        this.tokens + ((t - this.last) / 1000) * this.refillPerSecond,
      );
    }
    this.last = t;
  }

  /** Takes `cost` tokens if available; returns false (taking nothing) otherwise. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `cost` tokens will be available. */
  waitMs(cost = 1): number {
    this.refill();
    if (this.tokens >= cost) return 0;
    if (this.refillPerSecond <= 0) return Number.POSITIVE_INFINITY;
    return Math.ceil(((cost - this.tokens) / this.refillPerSecond) * 1000);
  }

  isFull(): boolean {
    this.refill();
    return this.tokens >= this.capacity;
  }
}

/** One bucket per key (an IP address). Full buckets are forgotten so memory stays bounded. */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly now: Clock = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Returns 0 when the request may proceed, else the milliseconds to wait. */
  take(key: string, cost = 1): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.sweep();
      bucket = new TokenBucket(this.capacity, this.refillPerSecond, this.now);
      this.buckets.set(key, bucket);
    }
    if (bucket.take(cost)) return 0;
    return Math.max(1, bucket.waitMs(cost));
  }

  /** Like take, but takes nothing: 0 when `cost` is available now, else the wait in ms. */
  wait(key: string, cost = 1): number {
    const bucket = this.buckets.get(key);
    if (!bucket) {
      // A key not seen is a full bucket.
      if (cost <= this.capacity) return 0;
      return this.refillPerSecond > 0
        ? Math.ceil(((cost - this.capacity) / this.refillPerSecond) * 1000)
        : Number.POSITIVE_INFINITY;
    }
    return bucket.waitMs(cost);
  }

  sweep(): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }
}
